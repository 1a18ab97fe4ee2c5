"""Run the simulated portals in the foreground: `python -m crawler.simulator [--port-base N] [--duration S]`."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from pathlib import Path

from crawler.simulator.portals import STARTABLE, SimulatedPortals


def instructions(base_urls: dict[str, str]) -> str:
    """The commands that crawl these portals, to copy as they are: `xxgk crawl … --base-url …`, or the
    XXGK_BASE_URLS variable that xxgk and `scrapy crawl` both read (crawler/config.py)."""
    xxgk = Path(sys.executable).with_name("xxgk")
    try:
        xxgk = xxgk.relative_to(Path.cwd())
    except ValueError:
        pass
    flags = [arg for site, url in base_urls.items() for arg in ("--base-url", f"{site}={url}")]
    return "\n".join([
        "crawl them with:",
        "  " + shlex.join([str(xxgk), "crawl", *base_urls, *flags]),
        "or, for every xxgk and scrapy command of this shell:",
        "  export XXGK_BASE_URLS=" + shlex.quote(json.dumps(base_urls)),
    ])


def main(argv: list[str] | None = None) -> None:
    """Start the portals, print their base URLs and the commands that crawl them, serve until the duration ends."""
    parser = argparse.ArgumentParser(prog="python -m crawler.simulator", description=__doc__)
    parser.add_argument("--port-base", type=int, default=0, help="first port (next sites take the following ones)")
    parser.add_argument("--duration", type=float, default=3600, help="seconds to serve before stopping (default 3600)")
    parser.add_argument("--sites", nargs="*", choices=list(STARTABLE),
                        help="sites to serve (default: the four demo sites); v_* are the variation portals")
    args = parser.parse_args(argv)
    with SimulatedPortals(args.sites, args.port_base) as sim:
        for name, portal in sim.portals.items():
            print(f"{name:10} {portal.base_url}  ({portal.family}, {len(portal.report_urls)} reports)", flush=True)
        print("\n" + instructions(sim.base_urls), flush=True)
        try:
            time.sleep(args.duration)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()

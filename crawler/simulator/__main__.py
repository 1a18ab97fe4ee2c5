"""Run the simulated portals in the foreground: `python -m crawler.simulator [--port-base N] [--duration S]`."""

from __future__ import annotations

import argparse
import json
import time

from crawler.simulator.portals import STARTABLE, SimulatedPortals


def main(argv: list[str] | None = None) -> None:
    """Start the portals, print their base URLs (as JSON for XXGK_BASE_URLS) and serve until the duration ends."""
    parser = argparse.ArgumentParser(prog="python -m crawler.simulator", description=__doc__)
    parser.add_argument("--port-base", type=int, default=0, help="first port (next sites take the following ones)")
    parser.add_argument("--duration", type=float, default=3600, help="seconds to serve before stopping (default 3600)")
    parser.add_argument("--sites", nargs="*", choices=list(STARTABLE),
                        help="sites to serve (default: the four demo sites); v_* are the variation portals")
    args = parser.parse_args(argv)
    with SimulatedPortals(args.sites, args.port_base) as sim:
        for name, portal in sim.portals.items():
            print(f"{name:10} {portal.base_url}  ({portal.family}, {len(portal.report_urls)} reports)", flush=True)
        print("XXGK_BASE_URLS=" + json.dumps(sim.base_urls), flush=True)
        try:
            time.sleep(args.duration)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()

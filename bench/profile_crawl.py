"""py-spy profile of one archive-only crawl over the generated portals (raw collapsed stacks), with its CPU time.

    python -m bench.profile_crawl --urls 4000 --out /tmp/prof-4k.txt [--source CHECKOUT] [--rate 200] [--native]

Then `python -m bench.components /tmp/prof-4k.txt --pages N --cpu-seconds S`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import measures
from bench.portals import build
from bench.processes import run
from bench.server import StaticPortals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=4000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--source", type=Path, help="Take the project's modules from this checkout (PYTHONPATH).")
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--native", action="store_true")
    parser.add_argument("--subprocesses", action="store_true")
    parser.add_argument("--keep", type=Path, help="Keep the crawl's data directory here.")
    args = parser.parse_args(argv)
    tree = build(args.urls)
    work = Path(tempfile.mkdtemp(prefix="xxgk-profile-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
    env = {**os.environ, **({"PYTHONPATH": str(args.source.resolve())} if args.source else {})}
    try:
        with StaticPortals(tree, workers=1) as portals:
            context = measures.Context(tree, portals, work, 1)
            data = context.fresh("archive")
            command = measures.crawl_command(context, data, measures.ARCHIVE_ONLY)
            spy = [str(measures.BIN / "py-spy"), "record", "-r", str(args.rate), "-f", "raw", "-o", str(args.out),
                   *(["--native"] if args.native else []), *(["--subprocesses"] if args.subprocesses else []), "--"]
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            before = usage.ru_utime + usage.ru_stime
            started = time.perf_counter()
            measured = run(spy + command, measures.TIMEOUT, work / "profile-output.txt", env=env)
            seconds = time.perf_counter() - started
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            responses, size = measures.warc_counts(sorted((data / "warc").glob("*.warc.gz")))
            found = {"urls": tree.urls, "pages": responses, "warc_bytes": size, "seconds": round(seconds, 2),
                     "cpu_seconds_tree_incl_pyspy": round(usage.ru_utime + usage.ru_stime - before, 2),
                     "exit": measured.returncode, "profile": str(args.out)}
            print(json.dumps(found))
            print(measured.output[-1500:])
            if args.keep:
                shutil.rmtree(args.keep, ignore_errors=True)
                shutil.copytree(data, args.keep)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

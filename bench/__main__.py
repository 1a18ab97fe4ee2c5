"""`make bench`: every figure of issue 7 in one run, written to bench/RESULTS.md and bench/results/bench.json.

    .venv/bin/python -m bench [--urls 20000] [--runs 3] [--processes N] [--quick] [--only NAME,…]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import measures
from bench.portals import build
from bench.report import write_report
from bench.server import StaticPortals, capacity

HERE = Path(__file__).resolve().parent
SHM = Path("/dev/shm")
STEPS = ("server", "bare", "wget", "archive", "recrawl_portals", "archive_sharded", "archive_http11", "full", "full_inline",
         "reextract", "extraction", "recrawl", "replay")


def machine() -> str:
    return f"{platform.node()}: {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=20_000, help="URLs in the generated portals (default 20000).")
    parser.add_argument("--runs", type=int, default=3, help="Runs per figure; the median is reported.")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2, help="Processes for the sharded runs.")
    parser.add_argument("--quick", action="store_true", help="2,000 URLs, one run: to check the harness.")
    parser.add_argument("--only", help=f"Comma-separated steps (of {', '.join(STEPS)}).")
    parser.add_argument("--out", type=Path, default=HERE, help="Where RESULTS.md and results/bench.json go.")
    parser.add_argument("--work-dir", type=Path, default=SHM if SHM.is_dir() else None,
                        help="Where the crawls write (default: /dev/shm, so disk writeback throttles no crawler).")
    args = parser.parse_args(argv)
    if args.quick:
        args.urls, args.runs = min(args.urls, 2_000), 1
    steps = [s for s in (args.only.split(",") if args.only else STEPS) if s]
    unknown = set(steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown steps: {', '.join(sorted(unknown))}")
    started = datetime.now(UTC)
    tree = build(args.urls)
    print(f"portals: {tree.urls} URLs in {tree.root}", flush=True)
    results: dict = {"machine": machine(), "date": started.isoformat(timespec="seconds"), "urls": tree.urls,
                     "runs": args.runs, "processes": args.processes, "quick": args.quick,
                     "load_average": os.getloadavg(), "figures": {}}
    work = Path(tempfile.mkdtemp(prefix="xxgk-bench-", dir=args.work_dir))
    try:
        with StaticPortals(tree, workers=1) as portals:
            context = measures.Context(tree, portals, work, args.processes)
            for step in steps:
                print(f"-- {step}", flush=True)
                began = time.perf_counter()
                results["figures"][step] = run_step(step, context, args.runs)
                print(json.dumps(results["figures"][step], ensure_ascii=False)[:600], flush=True)
                print(f"   ({time.perf_counter() - began:.0f} s)", flush=True)
                save(results, args.out)  # after every step: a long run cut short keeps what it measured
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["load_average_after"] = os.getloadavg()
    save(results, args.out)
    print(f"written {args.out / 'RESULTS.md'} and {args.out / 'results' / 'bench.json'}")
    return 0


def save(results: dict, out: Path) -> None:
    """Write RESULTS.md and results/bench.json from the figures so far."""
    (out / "results").mkdir(parents=True, exist_ok=True)
    (out / "results" / "bench.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n",
                                                encoding="utf-8")
    (out / "RESULTS.md").write_text(write_report(results), encoding="utf-8")


def run_step(step: str, context: measures.Context, runs: int) -> dict:
    """One step's figures: the median over `runs` for repeated measurements."""
    if step == "server":
        url = context.portals.base_urls[next(iter(context.tree.sites))] + context.tree.report_files(1)[0][1]
        return {"wrk_requests_per_second": capacity(url, seconds=5)}
    if step in ("extraction", "recrawl", "replay"):
        return getattr(measures, step)(context, runs)
    return median_of([getattr(measures, step)(context) for _ in range(runs)])


def median_of(samples: list[dict]) -> dict:
    """Numbers: the median over the runs (each run's kept under `runs`); anything else from the last run."""
    merged = dict(samples[-1])
    for key, value in samples[-1].items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            middle = statistics.median(sample[key] for sample in samples)  # of an even count: a mean
            merged[key] = int(middle) if float(middle).is_integer() else round(middle, 4)
    merged["runs"] = samples
    return merged


if __name__ == "__main__":
    sys.exit(main())

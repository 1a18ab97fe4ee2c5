"""Bare Scrapy against xxgk archive-only at several sizes in one run, runs interleaved (bare, archive, bare, …) so
load from other jobs falls on both alike; CPU seconds (user+sys of the crawl's whole process tree, from
getrusage of the reaped child) per 1,000 pages is the comparison figure, pages/s beside it.

    python -m bench.compare --urls 4000,20000 --runs 3 [--out results/compare.json] [--only bare,archive]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench import measures
from bench.portals import build
from bench.processes import run
from bench.server import StaticPortals

HERE = Path(__file__).resolve().parent
STAMP = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) ")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def log_times(data: Path) -> dict:
    """From the crawl's log file (INFO): first 'Spider opened', first 'Closing spider', last 'Spider closed'."""
    found: dict = {}
    for log in sorted((data / "logs").glob("crawl-*.log")) if (data / "logs").is_dir() else ():
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            match = STAMP.match(line)
            if not match:
                continue
            stamp = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S").timestamp() + int(match.group(2)) / 1000
            for key, text in (("opened", "Spider opened"), ("closing", "Closing spider"), ("closed", "Spider closed")):
                if text in line:
                    found.setdefault(f"first_{key}", stamp)
                    found[f"last_{key}"] = stamp
    return found


def archive_at(context: measures.Context, name: str, variant: str) -> dict:
    """The archive step with the project's modules taken from another checkout (PYTHONPATH first), and extra
    Scrapy settings: `CHECKOUT[?NAME=VALUE&NAME=VALUE]`."""
    checkout, _, query = variant.partition("?")
    source = Path(checkout).resolve()
    settings = dict(pair.split("=", 1) for pair in query.split("&") if pair)
    data = context.fresh(name)
    env = {**os.environ, "PYTHONPATH": str(source)}
    measured = run(measures.crawl_command(context, data, measures.ARCHIVE_ONLY, settings=settings),
                   measures.TIMEOUT, data / "crawl-output.txt", env=env)
    responses, size = measures.warc_counts(sorted((data / "warc").glob("*.warc.gz")))
    context.archives[name] = data
    return measures.figures(measured, responses, warc_bytes=size, stored=measures.stored_counts(data))


def bare_with(context: measures.Context, name: str, variant: str) -> dict:
    """bench/bare.py, optionally with the project's GC tuning (`?gc=THRESHOLD`) and Scrapy settings
    (`?CONCURRENT_ITEMS=16`): what bare Scrapy gets from the same process-level tuning."""
    query = dict(pair.split("=", 1) for pair in variant.partition("?")[2].split("&") if pair)
    out = context.fresh(name) / "stats.json"
    env = {**os.environ, "XXGK_BARE_SETTINGS": json.dumps(query)} if query else None
    measured = run([sys.executable, "-m", "bench.bare", "--out", str(out), "--concurrency", str(measures.CONCURRENCY),
                    *context.portals.column_urls()], measures.TIMEOUT, out.with_name("log.txt"), env=env)
    stats = json.loads(out.read_text()) if out.exists() else {"responses": 0}
    return measures.figures(measured, stats["responses"])


def one(kind: str, context: measures.Context, variants: dict[str, Path]) -> dict:
    before, started = children_cpu(), time.time()
    if kind.startswith("bare"):
        figures = bare_with(context, kind, variants.get(kind, ""))
    elif kind in variants:
        figures = archive_at(context, kind, variants[kind])
    else:
        figures = getattr(measures, kind)(context)
    ended = started + figures["seconds"]  # the crawl process's end (counting its WARC records comes after)
    cpu = children_cpu() - before
    figures["cpu_seconds_rusage"] = round(cpu, 2)
    figures["cpu_ms_per_page"] = round(1000 * cpu / figures["pages"], 3) if figures["pages"] else None
    if kind in context.archives:
        times = log_times(context.archives[kind])
        if "first_opened" in times:
            figures["startup_seconds"] = round(times["first_opened"] - started, 2)
            figures["closedown_seconds"] = round(ended - times["last_closing"], 2)  # the last site's close
            figures["last_close_to_exit_seconds"] = round(ended - times["last_closed"], 2)
    return figures


def summary(samples: list[dict]) -> dict:
    out = {}
    for key in ("pages", "seconds", "pages_per_second", "cpu_seconds_rusage", "cpu_ms_per_page", "peak_process_rss_mb",
                "startup_seconds", "closedown_seconds", "last_close_to_exit_seconds"):
        values = [s[key] for s in samples if s.get(key) is not None]
        if values:
            out[key] = {"median": round(statistics.median(values), 3), "min": min(values), "max": max(values),
                        "all": values}
    return out


def markdown(results: dict, kinds: list[str]) -> str:
    """The comparison as a table: per size and kind, medians [min–max] over the interleaved runs, and the ratios."""
    def cell(figures: dict, key: str) -> str:
        found = figures.get(key)
        return f"{found['median']:g} [{found['min']:g}–{found['max']:g}]" if found else "–"

    lines = [f"bench.compare {results['date']} {results['label']}: load average {results['load_average']} at the "
             f"start, {results.get('load_average_after')} at the end; medians [min–max] of interleaved runs.", "",
             "| URLs | crawler | pages | seconds | pages/s | CPU s | CPU ms/page | peak RSS MB | start-up s "
             "| close-down s |", "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for urls, size in results["sizes"].items():
        for kind in kinds:
            figures = size.get(kind, {})
            lines.append(f"| {urls} | {kind} | " + " | ".join(cell(figures, key) for key in (
                "pages", "seconds", "pages_per_second", "cpu_seconds_rusage", "cpu_ms_per_page", "peak_process_rss_mb",
                "startup_seconds", "closedown_seconds")) + " |")
    lines += ["", "| URLs | ratio | value |", "|---|---|---:|"]
    for urls, size in results["sizes"].items():
        lines += [f"| {urls} | {key} | {value} |" for key, value in size.items() if key.startswith("ratio")]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", default="4000,20000", help="Comma-separated sizes (default 4000,20000).")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--only", default="bare,archive")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "compare.json")
    parser.add_argument("--label", default="")
    parser.add_argument("--variant", action="append", default=[], metavar="NAME=CHECKOUT",
                        help="An archive run named NAME with the project's modules from CHECKOUT (add NAME to --only).")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped: nginx and the work directory cleaned up
    kinds = args.only.split(",")
    variants = {name: path for name, _, path in (v.partition("=") for v in args.variant)}
    results: dict = {"label": args.label, "date": datetime.now().isoformat(timespec="seconds"),
                     "load_average": os.getloadavg(), "sizes": {}}
    work = Path(tempfile.mkdtemp(prefix="xxgk-compare-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
    try:
        for urls in (int(u) for u in args.urls.split(",")):
            tree = build(urls)
            samples: dict[str, list[dict]] = {kind: [] for kind in kinds}
            with StaticPortals(tree, workers=1) as portals:
                context = measures.Context(tree, portals, work, 1)
                for attempt in range(args.runs):
                    for kind in kinds:
                        found = one(kind, context, variants)
                        samples[kind].append(found)
                        print(f"{urls} {kind} run {attempt + 1}: {found['pages']} pages, {found['seconds']} s, "
                              f"{found['pages_per_second']} pages/s, {found['cpu_seconds_rusage']} s CPU, "
                              f"{found['cpu_ms_per_page']} ms CPU/page, exit {found['exit']}"
                              + (f", start-up {found.get('startup_seconds')} s, close-down "
                                 f"{found.get('closedown_seconds')} s" if not kind.startswith("bare") else ""), flush=True)
            size = {kind: summary(samples[kind]) for kind in kinds}
            for kind in kinds:
                if not kind.startswith("bare") and "bare" in size and "pages_per_second" in size[kind]:
                    size[f"ratio_pages_per_second/{kind}"] = round(size[kind]["pages_per_second"]["median"]
                                                                   / size["bare"]["pages_per_second"]["median"], 3)
                    size[f"ratio_cpu_per_page/{kind}"] = round(size["bare"]["cpu_ms_per_page"]["median"]
                                                               / size[kind]["cpu_ms_per_page"]["median"], 3)
                    # the same portals crawled: bare's time over archive's (xxgk also fetches robots.txt and page
                    # requisites bare Scrapy does not, which pages/s counts as pages)
                    size[f"ratio_time/{kind}"] = round(size["bare"]["seconds"]["median"]
                                                       / size[kind]["seconds"]["median"], 3)
                    size[f"ratio_cpu_seconds/{kind}"] = round(size["bare"]["cpu_seconds_rusage"]["median"]
                                                              / size[kind]["cpu_seconds_rusage"]["median"], 3)
            size["tree_urls"] = tree.urls
            results["sizes"][str(urls)] = size
            print(json.dumps({k: v for k, v in size.items() if k.startswith("ratio")}), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["load_average_after"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    args.out.with_suffix(".md").write_text(markdown(results, kinds), encoding="utf-8")
    print(markdown(results, kinds))
    print(f"written {args.out} and {args.out.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

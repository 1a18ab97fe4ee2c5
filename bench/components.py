"""Aggregate a py-spy raw (collapsed) profile of a crawl by component: where its CPU went, and per 1,000 pages.

    python -m bench.components prof.txt [--pages N --cpu-seconds S] [--json out.json] [--unclassified 20]

Each sample goes to one component. Walking its stack from the leaf up, the first frame that is a *standalone*
cost (gzip/zlib, hashing, warcio record building, logging, stats) names it; else the first project frame (by
file) names it, except the project's thin subclasses of Scrapy classes (transparent: their `super()` work is
Scrapy's); frames of generic libraries (SQLAlchemy, sqlite3, lxml, parsel, pickle, urllib…) are charged to
the nearest project frame above them; what has no project frame is Scrapy core, Twisted/asyncio, or start-up.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")

# standalone costs, matched on "func file" of a frame, leaf first
STANDALONE = (
    ("gzip/zlib", re.compile(r"(^(deflate|compress|_tr_|longest_match|fill_window|crc32|adler32|zlib_Compress|"
                             r"zlib_compress)\S*)|(\bzlib\b)|(/gzip\.py)|(libz\.so)", re.IGNORECASE)),
    ("hashing", re.compile(r"(sha1|sha256|md5|_hashlib|hashlib|SHA1|sha1_block|_sha1)", re.IGNORECASE)),
    ("logging", re.compile(r"((^|/)logging/|scrapy/utils/log\.py|scrapy/logformatter\.py)")),
    ("stats", re.compile(r"scrapy/statscollectors\.py|scrapy/extensions/corestats\.py")),
    ("warcio record building", re.compile(r"(^|/)warcio/")),
)
PROJECT_ROOTS = (str(Path(__file__).resolve().parent.parent) + "/", "")  # py-spy shortens paths below sys.path
PROJECT_PACKAGES = ("crawler/", "archive/", "spiders/", "pipelines/", "bench/")
PROJECT = (  # file (relative) -> component
    ("crawler/extensions/journal.py", "journal (crash journal)"),
    ("archive/digests.py", "digest index (digests.py)"),
    ("archive/conditional.py", "conditional requests"),
    ("archive/pagelinks.py", "pagelinks middleware"),
    ("archive/capture.py", "capture middleware"),
    ("archive/records.py", "capture middleware"),
    ("archive/warc.py", "capture middleware"),
    ("archive/salvage.py", "capture middleware"),
    ("archive/index.py", "CDXJ index (in crawl process)"),
    ("pipelines/storage.py", "storage pipeline"),
    ("pipelines/extraction.py", "extraction pipeline"),
    ("crawler/database/history.py", "history at close"),
    ("crawler/database/revalidate.py", "spider callbacks (spiders/)"),
    ("crawler/middlewares/limits.py", "hostile web (limits, faults, charset, challenge)"),
    ("crawler/middlewares/charset.py", "hostile web (limits, faults, charset, challenge)"),
    ("crawler/middlewares/challenge.py", "hostile web (limits, faults, charset, challenge)"),
    ("crawler/limits.py", "hostile web (limits, faults, charset, challenge)"),
    ("crawler/faults.py", "hostile web (limits, faults, charset, challenge)"),
    ("crawler/middlewares/", "guard middlewares (scope, traps, retry)"),
    ("crawler/extensions/summary.py", "crawl health / summary"),
    ("crawler/extensions/progress.py", "progress"),
    ("crawler/progress.py", "progress"),
    ("crawler/browser.py", "scrapy core"),
    ("spiders/", "spider callbacks (spiders/)"),
    ("crawler/commands/", "start-up / CLI"),
    ("crawler/config.py", "start-up / CLI"),
    ("crawler/", "other project code"),
    ("archive/", "other project code"),
    ("bench/bare.py", "spider callbacks (spiders/)"),
    ("bench/", "other project code"),
)
# project methods that mostly call Scrapy's own (super()) code: charged to Scrapy unless a project frame lies below
TRANSPARENT = {
    ("enqueue_request", "crawler/extensions/journal.py"), ("request_seen", "crawler/extensions/journal.py"),
    ("open", "crawler/extensions/journal.py"), ("process_response", "crawler/middlewares/retry.py"),
    ("process_exception", "crawler/middlewares/retry.py"), ("_later", "crawler/middlewares/retry.py"),
    ("_download_request", "crawler/browser.py"),
}
TWISTED = re.compile(r"(^|/)(twisted|asyncio)/|selectors\.py|_asyncio|epoll|(^|/)socket\.py|(^|/)ssl\.py")
SCRAPY = re.compile(r"(^|/)(scrapy|w3lib|parsel|itemadapter|queuelib|protego|scrapy_playwright|tldextract)/")
IMPORT = re.compile(r"_find_and_load|_load_unlocked|exec_module|_call_with_frames_removed")
REACTOR = re.compile(r"^(mainLoop|run_forever|_run_once|runUntilCurrent|doIteration|_run)$")


def parse(frame: str) -> tuple[str, str]:
    match = FRAME.match(frame.strip())
    if not match:
        return frame.strip(), ""
    return match.group("func"), match.group("file")


def project_file(file: str) -> str | None:
    for root in PROJECT_ROOTS:
        if file.startswith(root) and file[len(root):].startswith(PROJECT_PACKAGES):
            return file[len(root):]
    return None


IDLE_LEAF = re.compile(r"^(PyThread_acquire_lock_timed|epoll_wait|select_poll_poll_impl|poll|__poll|do_futex_wait|"
                       r"futex_wait|pthread_cond_(timed)?wait|sem_(timed)?wait|__libc_read|read|__select|nanosleep|"
                       r"clock_nanosleep|accept|recv|waitpid)\b")
IDLE_FRAME = re.compile(r"^(Queue\.get|Condition\.wait|_ExecutorManagerThread\.wait_result_broken_or_wakeup|"
                        r"Queue\._feed|_PollLikeSelector\.select|Event\.wait|Thread\.join|select\.poll)$")


def classify(frames: list[str], main: str | None = None) -> str:
    processes = [n for n, frame in enumerate(frames) if frame.startswith("process ")]
    if processes:  # py-spy --subprocesses: a child's stack sits below its parent's process frame
        head, frames = frames[processes[-1]], frames[processes[-1] + 1:]
        if main is not None and not head.startswith(main + ":"):
            if "spawn_main" in head:
                return "CDXJ index workers (separate processes)"
            return "idle (threads and helper processes waiting)" if "resource_tracker" in head else "other processes"
    parsed = [parse(frame) for frame in frames]
    if any(func.startswith("gc_collect") or func == "gc_collect_main" for func, _ in parsed):
        return "garbage collection (gc)"
    named = [func for func, _ in parsed if not func.startswith("0x")]
    leaf = named[-1] if named else ""
    if IDLE_LEAF.match(leaf) and (any(IDLE_FRAME.match(func) for func in named) or "thread_run" in named):
        return "idle (threads and helper processes waiting)"
    if any(IMPORT.search(func) for func, _ in parsed):
        return "imports (start-up and lazy)"
    loop = [n for n, (func, file) in enumerate(parsed) if TWISTED.search(file) and REACTOR.match(func.rsplit(".", 1)[-1])]
    if not loop:
        return "outside the reactor (CLI, set-up before start, close-down after stop)"
    fallback = None
    for func, file in reversed(parsed[loop[-1]:]):
        text = f"{func} {file}"
        for name, pattern in STANDALONE:
            if pattern.search(text):
                return name
        relative = project_file(file)
        if relative == "crawler/database/__init__.py":  # shared helpers: charged to the project code that called them
            fallback = fallback or "database setup"
            continue
        if relative is not None:
            if (func, relative) in TRANSPARENT:
                return fallback or "scrapy core"
            for prefix, name in PROJECT:
                if relative.startswith(prefix):
                    return name
            return "other project code"
        if fallback is None:
            if TWISTED.search(file):
                fallback = "twisted / asyncio / sockets"
            elif SCRAPY.search(file):
                fallback = "scrapy core"
    return fallback or "other (no project frame: libraries, interpreter)"


def aggregate(path: Path) -> tuple[int, collections.Counter, collections.Counter]:
    components: collections.Counter = collections.Counter()
    unclassified: collections.Counter = collections.Counter()
    total = 0
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    heads: collections.Counter = collections.Counter()
    for line in lines:
        stack, _, count = line.rpartition(" ")
        if count.isdigit() and stack.startswith("process "):
            heads[stack.split(":", 1)[0]] += int(count) if stack.count(";process ") == 0 else 0
    main = heads.most_common(1)[0][0] if heads else None  # the crawl: the process with the most samples
    for line in lines:
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        samples = int(count)
        frames = stack.split(";")
        name = classify(frames, main)
        if name.startswith("idle"):
            continue  # not CPU
        total += samples
        components[name] += samples
        if name.startswith("other ("):
            unclassified[";".join(frames[-3:])] += samples
    return total, components, unclassified


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--pages", type=int, help="Pages the crawl fetched (for CPU s per 1,000 pages).")
    parser.add_argument("--cpu-seconds", type=float, help="CPU seconds of the crawl, measured without the profiler "
                        "(scales the shares).")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--unclassified", type=int, default=0)
    args = parser.parse_args(argv)
    total, components, unclassified = aggregate(args.profile)
    rows = []
    for name, samples in components.most_common():
        share = samples / total
        per_k = (args.cpu_seconds * share / args.pages * 1000) if args.pages and args.cpu_seconds else None
        rows.append({"component": name, "samples": samples, "share": round(share, 4),
                     "cpu_s_per_1000_pages": round(per_k, 3) if per_k is not None else None})
    print(f"{total} samples" + (f", {args.cpu_seconds} s CPU, {args.pages} pages" if args.pages else ""))
    print("| component | % of CPU | CPU s / 1000 pages |\n|---|---:|---:|")
    for row in rows:
        per_k = f"{row['cpu_s_per_1000_pages']:.3f}" if row["cpu_s_per_1000_pages"] is not None else "–"
        print(f"| {row['component']} | {100 * row['share']:.1f} | {per_k} |")
    for stack, samples in unclassified.most_common(args.unclassified):
        print(f"{samples:6d}  {stack}")
    if args.json:
        args.json.write_text(json.dumps({"samples": total, "pages": args.pages, "cpu_seconds": args.cpu_seconds,
                                         "rows": rows}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

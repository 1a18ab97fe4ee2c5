"""The measurements: each crawl or job run as a subprocess over the generated portals, timed and its memory sampled."""

from __future__ import annotations

import http.client
import json
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from bench.portals import Tree
from bench.processes import Measured, run
from bench.server import StaticPortals

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 3600
# The same concurrency for every crawler (all portals are on 127.0.0.1: one Scrapy download slot).
CONCURRENCY = 16
HTTP11 = "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"
ARCHIVE_ONLY = {"pipelines.storage.StoragePipeline": 800}
WGET_ACCEPT = r"(index(_[0-9]+)?\.html|/t[0-9]{8}_[0-9]+\.html|/content-[0-9]+\.html|\.pdf)$"


@dataclass
class Context:
    tree: Tree
    portals: StaticPortals
    work: Path
    processes: int
    archives: dict[str, Path] = field(default_factory=dict)  # a kept data directory per kind of crawl
    seconds: dict[str, float] = field(default_factory=dict)  # how long the crawl that made it took

    def fresh(self, name: str) -> Path:
        path = self.work / name
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path


def figures(measured: Measured, pages: int, **extra) -> dict:
    """The common figures of a crawl."""
    if measured.returncode not in (0,):
        print(f"   exit {measured.returncode}:\n{measured.output[-2000:]}", flush=True)
    return {"pages": pages, "seconds": round(measured.seconds, 2),
            "pages_per_second": round(pages / measured.seconds, 1) if measured.seconds else 0.0,
            "cpu_seconds": round(measured.cpu_seconds, 1), "peak_rss_mb": round(measured.peak_tree_rss / 2**20, 1),
            "peak_process_rss_mb": round(measured.peak_process_rss / 2**20, 1), "exit": measured.returncode, **extra}


def warc_counts(paths: list[Path]) -> tuple[int, int]:
    """(response records, bytes) of WARC files."""
    responses = 0
    for path in paths:
        with open(path, "rb") as stream:
            responses += sum(record.rec_type == "response" for record in ArchiveIterator(stream))
    return responses, sum(path.stat().st_size for path in paths)


def bare(context: Context) -> dict:
    """Bare Scrapy (the anchor): same links, no archive, no pipeline."""
    out = context.fresh("bare") / "stats.json"
    measured = run([sys.executable, "-m", "bench.bare", "--out", str(out), "--concurrency", str(CONCURRENCY),
                    *context.portals.column_urls()], TIMEOUT, out.with_name("log.txt"))
    stats = json.loads(out.read_text()) if out.exists() else {"responses": 0}
    return figures(measured, stats["responses"])


def seeds(context: Context, site: str) -> list[str]:
    """Every list page of a site: wget runs no script, so cannot read TRS's createPageHTML pager (xxgk can)."""
    root = context.tree.root / site
    return [context.portals.base_urls[site] + "/" + str(path.relative_to(root))
            for path in sorted(root.rglob("index*.html"))]


def wget(context: Context) -> dict:
    """wget -r --warc-file over the same portals, seeded with their list pages: one wget per site in turn, the
    times summed (one wget over all four sites sat idle once for ~75 s, nginx's keep-alive timeout, when it
    moved to another port, in two runs of three)."""
    directory = context.fresh("wget")
    runs = []
    for site in context.tree.sites:
        (directory / f"{site}.txt").write_text("\n".join(seeds(context, site)) + "\n")
        # files are kept (and removed with the work directory): with --delete-after, wget fetches a page again
        # for every seed whose recursion reaches it
        command = ["wget", "-r", "-l", "2", "-nv", "-P", str(directory / "files"), "--warc-file",
                   str(directory / site), "--accept-regex", WGET_ACCEPT, "-i", str(directory / f"{site}.txt")]
        runs.append(run(command, TIMEOUT, directory / f"{site}.log"))
    measured = Measured(sum(r.seconds for r in runs), sum(r.cpu_seconds for r in runs),
                        max(r.peak_tree_rss for r in runs), max(r.peak_process_rss for r in runs),
                        max(r.returncode for r in runs), runs[-1].output)
    responses, size = warc_counts(sorted(directory.glob("*.warc.gz")))
    shutil.rmtree(directory / "files", ignore_errors=True)
    return figures(measured, responses, warc_bytes=size)


def xxgk_crawl(context: Context, name: str, pipelines: dict | None, processes: int = 1, http11: bool = False,
               settings: dict | None = None) -> dict:
    """`xxgk crawl` of every generated site (with extra Scrapy `settings`); pages counted from the WARC it wrote."""
    data = context.fresh(name)
    measured = run(crawl_command(context, data, pipelines, processes, http11, settings), TIMEOUT,
                   data / "crawl-output.txt")
    responses, size = warc_counts(sorted((data / "warc").glob("*.warc.gz")))
    context.archives[name], context.seconds[name] = data, measured.seconds
    return figures(measured, responses, warc_bytes=size, processes=processes, stored=stored_counts(data))


def crawl_command(context: Context, data: Path, pipelines: dict | None, processes: int = 1, http11: bool = False,
                  settings: dict | None = None) -> list[str]:
    bases = [f"--base-url={site}={url}" for site, url in context.portals.base_urls.items()]
    settings = {"CONCURRENT_REQUESTS": CONCURRENCY, "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY,
                "XXGK_MAX_LIST_PAGES": 100_000, **(settings or {})}
    if pipelines is not None:
        settings["ITEM_PIPELINES"] = json.dumps(pipelines)
    if http11:
        settings["DOWNLOAD_HANDLERS"] = json.dumps({"http": HTTP11, "https": HTTP11})
    command = [str(BIN / "xxgk"), "crawl", *context.tree.sites, "--data-dir", str(data), *bases,
               *(f"-s{key}={value}" for key, value in settings.items())]
    return command + (["--processes", str(processes)] if processes > 1 else [])


def stored_counts(data: Path) -> dict:
    try:
        with sqlite3.connect(data / "xxgk.sqlite") as conn:
            return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                    for table in ("captures", "documents", "attachments", "report_cells")}
    except sqlite3.Error as exc:
        return {"error": str(exc)}


def archive(context: Context) -> dict:
    return xxgk_crawl(context, "archive", ARCHIVE_ONLY)


def archive_sharded(context: Context) -> dict:
    return xxgk_crawl(context, "archive_sharded", ARCHIVE_ONLY, processes=context.processes)


def archive_http11(context: Context) -> dict:
    """Archive only, with Scrapy's own HTTP handler instead of scrapy-playwright's (see docs/bench.md)."""
    return xxgk_crawl(context, "archive_http11", ARCHIVE_ONLY, http11=True)


def full(context: Context) -> dict:
    """The full crawl as configured (ITEM_PIPELINES of crawler/settings.py)."""
    return xxgk_crawl(context, "full", None)


def full_inline(context: Context) -> dict:
    """The full crawl with extraction in the crawl's own process (XXGK_EXTRACT_PROCESSES=0)."""
    return xxgk_crawl(context, "full_inline", None, settings={"XXGK_EXTRACT_PROCESSES": "0"})


def reextract(context: Context) -> dict:
    """`xxgk reextract` over an archive-only crawl, with 1 and with N processes."""
    source = context.archives.get("archive") or context.archives.get("archive_http11")
    if source is None:
        xxgk_crawl(context, "archive", ARCHIVE_ONLY)
        source = context.archives["archive"]
    found = {}
    for processes in sorted({1, context.processes}):
        data = context.fresh(f"reextract-{processes}")
        shutil.copytree(source, data, dirs_exist_ok=True)
        items = sum(stored_counts(data).get(t, 0) for t in ("documents", "attachments"))
        measured = run([str(BIN / "xxgk"), "reextract", "--processes", str(processes), "--data-dir", str(data)],
                       TIMEOUT, data / "reextract-output.txt")
        found[processes] = figures(measured, items)
        shutil.rmtree(data, ignore_errors=True)
    one, many = found[1], found[context.processes]
    return {"pages": many["pages"], "pages_per_second": many["pages_per_second"], "processes": context.processes,
            "one_process_pages_per_second": one["pages_per_second"],
            "scaling": round(many["pages_per_second"] / one["pages_per_second"], 2) if one["pages_per_second"] else None,
            "peak_rss_mb": many["peak_rss_mb"], "peak_process_rss_mb": many["peak_process_rss_mb"],
            "exit": max(one["exit"], many["exit"])}


def extraction(context: Context, runs: int) -> dict:
    """Known-family extraction against trafilatura, one core, in a fresh process."""
    count = 60 if context.tree.urls < 5000 else 300
    code = f"import json; from bench.extraction import measure; print(json.dumps(measure({count})))"
    samples = []
    for _ in range(runs):
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT,
                                cwd=REPO)
        samples.append(json.loads(result.stdout.strip().splitlines()[-1]))
    merged = samples[-1]
    for name in ("xxgk", "xxgk_fields_only", "trafilatura"):
        merged[name]["pages_per_second"] = statistics.median(s[name]["pages_per_second"] for s in samples)
    return merged


def recrawl_portals(context: Context) -> dict:
    """Recrawl the unchanged generated portals over a copy of the archive-only crawl, as it was configured
    (every report page and PDF asked again with If-None-Match), then with --revalidate-after 7."""
    first = context.archives.get("archive")
    if first is None:
        return {"status": "needs the archive step first"}
    found: dict = {"first_warc_bytes": sum(p.stat().st_size for p in (first / "warc").glob("*.warc.gz")),
                   "first_seconds": context.seconds.get("archive")}
    for name, settings in (("conditional", {}), ("revalidate", {"XXGK_REVALIDATE_AFTER": 7})):
        data = context.fresh(f"recrawl_{name}")
        shutil.copytree(first, data, dirs_exist_ok=True)
        before = set((data / "warc").glob("*.warc.gz"))
        measured = run(crawl_command(context, data, ARCHIVE_ONLY, settings=settings), TIMEOUT,
                       data / "crawl-output.txt")
        added = sorted(set((data / "warc").glob("*.warc.gz")) - before)
        found[f"{name}_seconds"] = round(measured.seconds, 2)
        found[f"{name}_warc_bytes"] = sum(p.stat().st_size for p in added)
        found[f"{name}_exit"] = measured.returncode
        shutil.rmtree(data, ignore_errors=True)
    return found


def recrawl(context: Context, runs: int) -> dict:
    """bench/recrawl.py (another helper's), if it is there: time and WARC bytes a recrawl of unchanged portals adds."""
    try:
        from bench import recrawl as module
    except ImportError as exc:
        return {"status": "not yet", "why": str(exc)}
    measure = getattr(module, "measure", None)
    if measure is None:
        return {"status": "not yet", "why": "bench/recrawl.py has no measure()"}
    try:
        rows = [measure(0) for _ in range(runs)]
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - another helper's module: report, never stop the run
        return {"status": "failed", "why": f"{type(exc).__name__}: {exc}"}
    last = rows[-1]
    return {"status": "ok", "first_seconds": statistics.median(r["first_seconds"] for r in rows),
            "recrawl_seconds": statistics.median(r["recrawl_seconds"] for r in rows),
            "first_bytes": last["first_bytes"], "recrawl_bytes": last["recrawl_bytes"], "ratio": last["ratio"],
            "workload": last.get("workload"), "note": "bench/recrawl.py's own portals (the four simulated sites)"}


READY = re.compile(r"xxgk replay: http://([\d.]+):(\d+)/xxgk/")


def replay(context: Context, runs: int) -> dict:
    """pywb lookups (id_ replay of archived report pages) and CDX queries over the archive-only crawl."""
    data = context.archives.get("archive") or context.archives.get("archive_http11")
    if data is None:
        xxgk_crawl(context, "archive", ARCHIVE_ONLY)
        data = context.archives["archive"]
    with sqlite3.connect(data / "xxgk.sqlite") as conn:
        rows = conn.execute("SELECT url, fetched_at FROM captures WHERE kind = 'document'").fetchall()
    if not rows:
        return {"status": "no captures"}
    picks = random.Random(7).sample(rows, min(len(rows), 200 if context.tree.urls >= 5000 else 50))
    log = data / "replay.log"
    with open(log, "wb") as output:
        process = subprocess.Popen([str(BIN / "xxgk"), "replay", "--port", "0", "--data-dir", str(data)],
                                   stdout=output, stderr=subprocess.STDOUT)
    try:
        port = _replay_port(process, log)
        if port is None:
            return {"status": "did not start", "log": log.read_text(errors="replace")[-1500:]}
        lookups, queries = [], []
        for _ in range(runs):
            for url, fetched in picks:
                stamp = re.sub(r"\D", "", fetched)[:14]
                lookups.append(_timed_get(port, f"/xxgk/{stamp}id_/{url}"))
                queries.append(_timed_get(port, f"/xxgk/cdx?url={url}&output=json"))
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    ok = [seconds for seconds, status in lookups if status == 200]
    cdx = [seconds for seconds, status in queries if status == 200]
    return {"status": "ok", "lookups": len(lookups), "lookups_ok": len(ok),
            "lookup_p50_ms": _percentile(ok, 50), "lookup_p95_ms": _percentile(ok, 95),
            "cdx_p50_ms": _percentile(cdx, 50), "cdx_p95_ms": _percentile(cdx, 95),
            "index_files": len(list((data / "indexes").glob("*.cdxj")))}


def _replay_port(process: subprocess.Popen, log: Path, timeout: float = 120) -> int | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        found = READY.search(log.read_text(errors="replace"))
        if found:
            try:
                _timed_get(int(found.group(2)), "/xxgk/cdx?url=http://example.invalid/&output=json")
                return int(found.group(2))
            except OSError:
                pass
        time.sleep(0.2)
    return None


def _timed_get(port: int, path: str) -> tuple[float, int]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return time.perf_counter() - started, response.status
    finally:
        conn.close()


def _percentile(values: list[float], pct: int) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))] * 1000, 1)

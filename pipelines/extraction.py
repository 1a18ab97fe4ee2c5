"""Extract metadata, report year, agency, clean text and statistics tables from report pages and attachments.

Extraction runs in worker processes (`XXGK_EXTRACT_PROCESSES`, default: every core but the reactor's), so
fetching and archiving go on while pages are read; the reactor only hands over a page's HTML or an attachment's
capture location and awaits the result. With 0 processes it runs in the crawl's own process.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from scrapy.exceptions import NotConfigured

from archive.store import location_of
from crawler.extract import ExtractionError, extract
from crawler.items import AttachmentItem, DocumentItem
from crawler.limits import WORKER_MEMORY, TooLarge, check_attachment, limit_memory

logger = logging.getLogger(__name__)


def default_processes() -> int:
    """All cores but the one the reactor runs on (at least one)."""
    return max(1, (os.cpu_count() or 2) - 1)


def warm_up(memory: int = WORKER_MEMORY) -> None:
    """Once per worker: end with the crawl, however it ends; cap its address space; import the extraction library
    before the first page arrives."""
    from crawler.processes import exit_with_parent

    exit_with_parent()
    limit_memory(memory)
    import crawler.extract.attachments  # noqa: F401
    import crawler.extract.tables  # noqa: F401


def pool(processes: int, memory: int = WORKER_MEMORY) -> ProcessPoolExecutor:
    """Spawned workers (a fork would copy the reactor, its threads and open sockets), each within `memory` bytes."""
    return ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"), initializer=warm_up,
                               initargs=(memory,))


# One pool per process and size, shared by every site crawled in the process: a wide crawl of hundreds of sites
# in one process must not start hundreds of pools.
_pools: dict[tuple[int, int], ProcessPoolExecutor] = {}
_in_flight: dict[tuple[int, int], asyncio.Semaphore] = {}  # (pool, event loop): its job slots


def shared_pool(processes: int, memory: int = WORKER_MEMORY) -> ProcessPoolExecutor:
    """The process's pool of `processes` extraction workers (started on first use)."""
    found = _pools.get((processes, memory))
    if found is None:
        found = _pools[(processes, memory)] = pool(processes, memory)
    return found


def drop_pool(executor: ProcessPoolExecutor) -> None:
    """Forget a broken pool (the next crawl, or job, starts a new one)."""
    for key, found in list(_pools.items()):
        if found is executor:
            del _pools[key]
    for key in [key for key in _in_flight if key[0] == id(executor)]:
        del _in_flight[key]
    executor.shutdown(wait=False, cancel_futures=True)


def stop_pools() -> None:
    """End every extraction worker of this process (after its crawls)."""
    while _pools:
        _pools.popitem()[1].shutdown(wait=True, cancel_futures=True)


OUT_OF_MEMORY = "too large: reading it ran out of the worker's memory (XXGK_EXTRACT_MEMORY)"


def extract_document(html: str, url: str, listed: dict | None = None) -> tuple[dict, str | None]:
    """A report page's fields (what its list row showed filling what the page does not) with its tables' cells, and
    the extraction error to log (if any)."""
    try:
        fields = extract(html, url, listed=listed)
    except ExtractionError as exc:
        return {"extract_error": str(exc)}, str(exc)
    except MemoryError:
        return {"extract_error": OUT_OF_MEMORY}, OUT_OF_MEMORY
    item = {"url": url, "html": html, "fields": fields}
    page_cells(item)
    return item["fields"], None


def extract_attachment_job(item: dict, warc_dir: str,
                           archive: tuple[str, str] = ("", "")) -> tuple[dict, str | None]:
    """An attachment's fields, its body read back from the WARC, and the reading error to log (if any)."""
    fields = extract_attachment(item, warc_dir, archive)
    return fields, fields.get("extract_error")


class ExtractionPipeline:
    """Fields for DocumentItem and AttachmentItem, in `processes` worker processes (0: in this one)."""

    def __init__(self, stats, warc_dir: str, processes: int = 0, memory: int = WORKER_MEMORY,
                 archive: tuple[str, str] = ("", "")):
        self.stats, self.warc_dir, self.processes, self.memory = stats, warc_dir, processes, memory
        self.archive = archive  # XXGK_ARCHIVE and XXGK_S3_ENDPOINT: a body whose WARC file was published is read there
        self.executor: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("XXGK_EXTRACT", True):
            raise NotConfigured("extraction deferred (XXGK_EXTRACT off): run `xxgk reextract` later")
        processes = settings.get("XXGK_EXTRACT_PROCESSES")
        processes = default_processes() if processes is None else int(processes)
        return cls(crawler.stats, str(Path(settings["XXGK_DATA_DIR"]) / "warc"), processes,
                   settings.getint("XXGK_EXTRACT_MEMORY", WORKER_MEMORY), location_of(settings))

    def workers(self) -> ProcessPoolExecutor:
        """The worker pool, started at the first item to extract: a crawl that extracts nothing (every report
        unchanged, a site with no reports) spawns no process (each costs ~1 s of CPU to import the extractors)."""
        if self.executor is None:
            self.executor = shared_pool(self.processes, self.memory)
        return self.executor

    def close_spider(self, spider=None) -> None:
        self.executor = None  # the pool goes on serving the process's other crawls (stop_pools ends it)

    async def process_item(self, item, spider=None):
        if not isinstance(item, AttachmentItem | DocumentItem) or item.get("unchanged"):
            return item  # a 304: what it says was extracted when it was first archived
        if isinstance(item, AttachmentItem) and item.get("document_url") == item.get("url"):
            return item  # a report published only as a file: read once, as its document (below)
        if isinstance(item, DocumentItem) and item.get("file"):
            job = {"url": item.get("url"), "filename": item.get("filename"), "capture": item.get("capture")}
            fields, error = await self.run(extract_file_document, job, item.get("entry") or {}, self.warc_dir,
                                           self.archive)
            if error:
                logger.warning("could not read the file %s: %s", item["url"], error)
                self.stats.inc_value("xxgk/extract/attachment_errors")
        elif isinstance(item, AttachmentItem):
            job = {"url": item.get("url"), "filename": item.get("filename"), "capture": item.get("capture")}
            fields, error = await self.run(extract_attachment_job, job, self.warc_dir, self.archive)
            if error:
                logger.warning("could not read attachment %s: %s", item["url"], error)
                self.stats.inc_value("xxgk/extract/attachment_errors")
        else:
            fields, error = await self.run(extract_document, item["html"], item["url"], item.get("entry"))
            if error:
                # The page stays archived and stored; only its fields are missing.
                logger.error("could not extract %s: %s", item["url"], error)
                self.stats.inc_value("xxgk/extract/errors")
        item["fields"] = fields
        return item

    async def run(self, function, *args) -> tuple[dict, str | None]:
        """`function(*args)` in a worker (or here); a dead worker costs this item its fields, not the crawl."""
        if not self.processes:
            return function(*args)
        executor = self.workers()
        waiting = backlog(self.processes)
        waiting.enter()
        try:
            async with in_flight(executor, self.processes):
                return await asyncio.wrap_future(executor.submit(function, *args))
        except BrokenProcessPool as exc:
            if executor in _pools.values():  # the first job to see it starts new workers; the others just fail
                logger.error("an extraction worker died (%s); starting new ones", exc)
                self.stats.inc_value("xxgk/extract/worker_deaths")
                drop_pool(executor)
            if self.executor is executor:
                self.executor = None
            return {"extract_error": f"extraction worker died: {exc}"}, None
        finally:
            waiting.leave()


def in_flight(executor: ProcessPoolExecutor, processes: int) -> asyncio.Semaphore:
    """Jobs handed to the pool at a time, for every crawl of the process: two per worker keep each busy (the pool
    would otherwise hold a pickled copy of every waiting page)."""
    key = (id(executor), id(asyncio.get_running_loop()))
    if key not in _in_flight:
        _in_flight[key] = asyncio.Semaphore(2 * processes)
    return _in_flight[key]


# Items a process's crawls may have waiting for extraction (queued or running) per worker process before they
# stop fetching: a bound for a crawl that fetches far faster than it reads. Low bounds cost time: at 100 sites
# with one extraction process, held requests stall crawls through bursts the process then catches up with. Since
# each crawl lets only twice its per-site concurrency into its downloader (crawler/config.py fit_downloader), a
# held request stalls its site at once: 256 gave 1.34-1.38x the politeness floor there, 512 1.22x, unbounded
# 1.11x; at 500 sites 512 holds the worker at 396 MB against 384 MB at 256 (bench/scale.py).
BACKLOG_PER_PROCESS = 512


class Backlog:
    """A process's items waiting for extraction, and an event set while there is room for more."""

    def __init__(self, limit: int) -> None:
        self.limit, self.waiting, self.room = limit, 0, asyncio.Event()
        self.room.set()

    def enter(self) -> None:
        self.waiting += 1
        if self.waiting >= self.limit:
            self.room.clear()

    def leave(self) -> None:
        self.waiting -= 1
        if self.waiting < self.limit:
            self.room.set()


_backlogs: dict[int, Backlog] = {}  # per event loop


def backlog(processes: int) -> Backlog:
    key = id(asyncio.get_running_loop())
    if key not in _backlogs:
        _backlogs[key] = Backlog(BACKLOG_PER_PROCESS * max(processes, 1))
    return _backlogs[key]


class ExtractionBackpressure:
    """Downloader middleware and send gate (crawler/sendgates.py): while the process's extraction backlog is full,
    every crawl's next request waits, as it enters the downloader and again as it leaves, so pages are not fetched
    faster than they can be read. Checked only on entry, each crawl's CONCURRENT_REQUESTS requests already in its
    downloader went out anyway: a 500-site worker then held ~2,000 pages waiting for extraction."""

    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        from crawler import sendgates

        settings = crawler.settings
        if not settings.getbool("XXGK_EXTRACT", True) or settings.get("XXGK_EXTRACT_PROCESSES") in (0, "0"):
            raise NotConfigured("no extraction workers to wait for")
        middleware = cls(crawler.stats)
        sendgates.add(crawler, middleware.process_request)
        return middleware

    def process_request(self, request):
        found = _backlogs.get(id(asyncio.get_running_loop()))
        if found is None or found.room.is_set():
            return None
        return self.hold(found)  # a coroutine only here: Scrapy awaits it

    async def hold(self, found: Backlog) -> None:
        self.stats.inc_value("xxgk/extract/held_requests")
        await found.room.wait()


def extract_file_document(item: dict, entry: dict, warc_dir: str,
                          archive: tuple[str, str] = ("", "")) -> tuple[dict, str | None]:
    """The fields of a report published only as a file: 标题, 索引号, 发布机构, 文号 and 发布日期 as its list row
    showed them, its text, report year, format, cells and checks from the file itself; nothing else is guessed."""
    from crawler.extract.listing import listed_fields

    read = extract_attachment(item, warc_dir, archive)
    fields = {**listed_fields(entry), "text": read.get("text"), "report_year": read.get("report_year"),
              "format": read.get("format"), "cells": read.get("cells"), "checks": read.get("checks"), "family": None}
    if read.get("extract_error"):
        fields["extract_error"] = read["extract_error"]
    return fields, read.get("extract_error")


def page_cells(item: DocumentItem) -> None:
    """Add the page's statistics-table cells and checks to its fields (tables read from the page's own grids)."""
    from crawler.extract.tables import page_tables

    fields = item["fields"]
    if fields.get("extract_error"):
        return
    try:
        cells, checks = page_tables(item["html"], fields.get("report_year"))
    except Exception as exc:  # noqa: BLE001 - a table the parser trips on must not lose the page
        logger.error("could not parse the tables of %s: %s: %s", item["url"], type(exc).__name__, exc)
        return
    fields["cells"], fields["checks"] = cells, checks


def extract_attachment(item: AttachmentItem, warc_dir: str, archive: tuple[str, str] = ("", "")) -> dict:
    """Text, cells and checks of an attachment, its body read back from the WARC (in DATA_DIR/warc or, once
    published, in the shared archive); extract_error when unreadable."""
    from archive.store import use_location
    from archive.stored import read_payload
    from crawler.extract.attachments import AttachmentError, read_attachment, sniff
    from crawler.extract.tables import attachment_report

    use_location(*archive)
    capture = item.get("capture")
    data = read_payload(warc_dir, capture) if capture else None
    if data is None:
        return {"extract_error": "body not found in the archive"}
    filename = item.get("filename") or item.get("url")
    try:
        check_attachment(data, sniff(data, filename))
        att = read_attachment(data, filename)
    except TooLarge as exc:
        return {"extract_error": str(exc)}
    except AttachmentError as exc:
        return {"extract_error": OUT_OF_MEMORY if isinstance(exc.__cause__, MemoryError) else str(exc)}
    except MemoryError:
        return {"extract_error": OUT_OF_MEMORY}
    except Exception as exc:  # noqa: BLE001 - a damaged file must not stop the crawl
        return {"extract_error": f"{type(exc).__name__}: {exc}"}
    report = attachment_report(att)
    return {"kind": report["source"], "text": att.text, "report_year": report["report_year"],
            "format": report["format"], "cells": report["cells"], "checks": report["checks"]}

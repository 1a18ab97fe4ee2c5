"""Archive every HTTP exchange of a crawl as WARC request/response records.

Sits above every built-in downloader middleware (order 950 > HttpCache 900), so
it sees each redirect hop and each retried failure, and the body still
content-encoded. Where each response went is put in `request.meta["xxgk_capture"]`.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import Future
from functools import partial
from pathlib import Path

from scrapy import Spider, signals
from scrapy.http import Request, Response
from sqlalchemy.exc import SQLAlchemyError

from archive import store
from archive.browser import browser_records, is_page_document, settle_methods
from archive.digests import DigestIndex, Original
from archive.index import LiveIndex, index_in_background, index_path, sort_in_background, unindexed
from archive.records import (
    IDENTICAL,
    NOT_MODIFIED,
    metadata_record,
    not_modified_revisit,
    payload_digest,
    request_record,
    resource_record,
    response_record,
    response_revisit,
    warc_date,
)
from archive.salvage import salvage
from archive.stored import OPEN_SUFFIX, load_response
from archive.warc import RecordLocation, RotatingWarcWriter

logger = logging.getLogger(__name__)

INLINE_SORT_MAX = 16 * 2**20  # bytes of unsorted index lines sorted in the crawl's process when a file closes
RECORDED_SETTINGS = ("USER_AGENT", "ROBOTSTXT_OBEY", "DOWNLOAD_DELAY", "AUTOTHROTTLE_ENABLED", "COOKIES_ENABLED")


class WarcCaptureMiddleware:
    def __init__(self, crawler, directory: Path, prefix: str, max_size: int, digests: DigestIndex | None = None):
        self.crawler, self.stats = crawler, crawler.stats
        self.gzip_level = crawler.settings.getint("XXGK_WARC_GZIP_LEVEL")
        self.live_index = crawler.settings.getbool("XXGK_LIVE_INDEX", True)
        self.directory, self.prefix, self.max_size = directory, prefix, max_size
        self.writer: RotatingWarcWriter | None = None
        self.digests = digests
        self.indexing: list[tuple[Path, Future]] = []
        self.store = store.store_of(crawler.settings)
        self.publishing: dict[str, Future] = {}  # WARC file name -> its upload: each file published once
        self.publishing_lock = threading.Lock()  # ready() runs on the reactor and on indexing's callback thread
        store.use(self.store)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        directory = Path(settings["XXGK_DATA_DIR"]) / "warc"
        digests = DigestIndex.of(crawler) if settings.getbool("XXGK_REVISITS", True) else None
        mw = cls(crawler, directory, settings["XXGK_WARC_PREFIX"], settings.getint("XXGK_WARC_MAX_SIZE"), digests)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def spider_opened(self, spider: Spider) -> None:
        info = {name: self.crawler.settings.get(name) for name in RECORDED_SETTINGS}
        info["spider"] = spider.name
        self.writer = RotatingWarcWriter(
            self.directory, f"{self.prefix}-{spider.name}", self.max_size, info, on_close=self.index,
            gzip_level=self.gzip_level, live_index=self.live_index,
        )
        for salvaged in salvage(self.directory):
            self.stats.inc_value("xxgk/warc/salvaged_files")
            self.stats.inc_value("xxgk/warc/salvaged_torn_bytes", salvaged.torn_bytes)
        for warc in unindexed(self.directory):  # salvaged now, or closed by a crawl killed before its index was written
            self.stats.inc_value("xxgk/index/recovered_files")
            self.index(warc)

    def index(self, warc: Path, live: LiveIndex | None = None) -> None:
        """Index a WARC file as soon as it closes, so replay sees it before the crawl ends: its live index sorted
        (here when small, else in a worker process), or, without one, the file read back in a worker process."""
        try:
            if live is None:
                self.watch(warc, index_in_background(warc))
            elif live.out.tell() <= INLINE_SORT_MAX:
                live.close()
                self.ready(warc)
            else:
                live.out.close()
                self.watch(warc, sort_in_background(live.unsorted_path, live.target))
        except Exception as exc:  # noqa: BLE001 - logged and counted; `xxgk index` rebuilds it
            self.index_failed(warc, exc)

    def watch(self, warc: Path, indexing: Future) -> None:
        """A file indexed in another process: published once its index is written (errors are seen at close)."""
        self.indexing.append((warc, indexing))
        indexing.add_done_callback(lambda done: done.cancelled() or done.exception() or self.ready(warc))

    async def indexed(self) -> None:
        """Wait for the indexes of the WARC files this crawl closed."""
        for warc, future in self.indexing:
            try:
                await asyncio.wrap_future(future)
            except Exception as exc:  # noqa: BLE001 - logged and counted; `xxgk index` rebuilds it
                self.index_failed(warc, exc)
        self.indexing.clear()

    def ready(self, warc: Path) -> None:
        """A closed, indexed WARC file: with a shared archive, published now, in a publishing thread, while the
        crawl goes on (other workers' revisits can read it at once; a machine that dies loses none of it)."""
        if self.store is None:
            return
        with self.publishing_lock:
            if warc.name in self.publishing:
                return
            try:
                self.publishing[warc.name] = store.publisher().submit(self.publish, warc)
            except RuntimeError as exc:  # the interpreter is exiting: no new thread may start
                logger.error("could not publish %s to %s: %s", warc.name, self.store, exc)
                self.stats.inc_value("xxgk/archive/unpublished_files")

    def index_failed(self, warc: Path, exc: Exception) -> None:
        logger.error("could not index %s: %s: %s", warc.name, type(exc).__name__, exc)
        self.stats.inc_value("xxgk/index/errors")

    def write_metadata(self, url: str, concurrent_to: str, fields: list[tuple[str, str]]) -> None:
        """A `metadata` record (warc-fields) about an archived response, e.g. its outlinks."""
        if self.writer is None:
            return
        try:
            self._write([metadata_record(url, warc_date(), concurrent_to, fields)])
        except Exception as exc:  # noqa: BLE001 - logged, counted, and fails the crawl's exit status
            logger.error("could not archive metadata of %s: %s: %s", url, type(exc).__name__, exc)
            self.stats.inc_value("xxgk/warc/errors")

    async def spider_closed(self, spider: Spider) -> None:
        if self.writer:
            self.writer.close()
        await self.indexed()  # the crawl ends once its indexes are written
        with self.publishing_lock:  # and, with a shared archive, once its files are there
            uploads = list(self.publishing.values())
        await asyncio.gather(*map(asyncio.wrap_future, uploads))

    def publish(self, warc: Path) -> None:
        """Move a closed WARC file and its index to the shared archive (archive/store.py); in a publishing thread."""
        from crawler.config import database_url

        lease = getattr(self.crawler, "xxgk_lease", None)
        worker = lease.holder if lease is not None else store.worker_name()
        try:
            store.publish_warc(self.store, warc, index_path(warc), database_url(self.crawler.settings),
                               self.crawler.spider.name, worker)
        except Exception as exc:  # noqa: BLE001 - the file stays local, published by the next worker start here
            logger.error("could not publish %s to %s: %s: %s", warc.name, self.store, type(exc).__name__, exc)
            self.count("xxgk/archive/unpublished_files")
            return
        logger.info("published %s to %s", warc.name, self.store)
        self.count("xxgk/archive/published_files")

    def count(self, key: str) -> None:
        with self.publishing_lock:  # two publishing threads may count at once
            self.stats.inc_value(key)

    def process_request(self, request: Request) -> None:
        if request.meta.get("playwright"):
            handlers = dict(request.meta.get("playwright_page_event_handlers") or {})
            handlers["response"] = partial(self.browser_response, request)
            request.meta["playwright_page_event_handlers"] = handlers
            request.meta["xxgk_browser_tasks"] = []
            # The DOM is read once the page's own requests are done, and the page stays open until every
            # response has been archived: reading a body from a closed page raises TargetClosedError.
            request.meta["playwright_page_methods"] = [*request.meta.get("playwright_page_methods", ()),
                                                       *settle_methods()]
            request.meta.setdefault("xxgk_close_page", not request.meta.get("playwright_include_page"))
            request.meta["playwright_include_page"] = True

    def browser_response(self, request: Request, response) -> None:
        """Playwright event: archive one network response of a browser-loaded page (in the background)."""
        task = asyncio.ensure_future(self.archive_browser_response(request, response))
        request.meta["xxgk_browser_tasks"].append(task)

    async def archive_browser_response(self, request: Request, response) -> None:
        try:
            records = await browser_records(response, warc_date())
            location = self._write(records)
        except Exception as exc:  # noqa: BLE001 - logged, counted, and fails the crawl's exit status
            logger.error("could not archive %s (browser): %s: %s", response.url, type(exc).__name__, exc)
            self.stats.inc_value("xxgk/warc/errors")
            return
        self.stats.inc_value("xxgk/browser/responses")
        if is_page_document(response):
            request.meta["xxgk_capture"] = self._capture(location, records[0], response.status)

    async def process_response(self, request: Request, response: Response) -> Response:
        if "cached" in response.flags:
            return response
        if request.meta.get("playwright"):
            await self.finish_browser_page(request, response)
            return response
        try:
            if response.status == 304 and request.meta.get("xxgk_validated"):
                await self.read_original(request)
            capture = self.archive(request, response)
        except Exception as exc:  # noqa: BLE001 - logged, counted, and fails the crawl's exit status
            logger.error("could not archive %s: %s: %s", request.url, type(exc).__name__, exc)
            self.stats.inc_value("xxgk/warc/errors")
            return response
        request.meta["xxgk_capture"] = capture
        return response

    async def finish_browser_page(self, request: Request, response: Response) -> None:
        """Wait for the page's network responses to be archived, then add the rendered DOM as a resource."""
        try:
            await asyncio.gather(*request.meta.pop("xxgk_browser_tasks", []))
        finally:
            page = request.meta.get("playwright_page")
            if page is not None and request.meta.pop("xxgk_close_page", False):
                request.meta.pop("playwright_page", None)
                await page.close()
        capture = request.meta.get("xxgk_capture")
        if not capture:
            logger.error("the browser loaded %s but its document was not archived", request.url)
            self.stats.inc_value("xxgk/warc/errors")
            return
        dom = resource_record(f"urn:xxgk:dom:{response.url}", "text/html; charset=utf-8", response.body,
                              warc_date(), capture["record_id"], response.url)
        try:
            self._write([dom])
        except Exception as exc:  # noqa: BLE001 - logged, counted, and fails the crawl's exit status
            logger.error("could not archive the DOM of %s: %s: %s", response.url, type(exc).__name__, exc)
            self.stats.inc_value("xxgk/warc/errors")

    async def read_original(self, request: Request) -> None:
        """The archived response a 304 stands for, read in a thread (it may be a ranged GET from the shared store,
        another worker's file) into meta `xxgk_original`: its revisit record takes its HTTP head, and the
        conditional middleware hands it to the spider. None there when it is gone."""
        validated = request.meta["xxgk_validated"]
        request.meta["xxgk_original"] = await asyncio.to_thread(
            self.readable_original, Original(**validated))

    def readable_original(self, original: Original):
        """The original's response record, if its file is still anywhere (None: archive the payload in full)."""
        if not self.holds(original):
            return None
        return load_response(self.directory, original.warc_file, original.offset, original.length)

    def holds(self, original: Original) -> bool:
        """Whether the original's WARC file is still anywhere: being written, closed here, or in the shared archive."""
        warc = self.directory / original.warc_file
        return warc.exists() or warc.with_name(warc.name + OPEN_SUFFIX).exists() or store.archived(original.warc_file)

    def archive(self, request: Request, response: Response) -> dict:
        """Write the response (or a revisit of a payload archived before) and its request; return where it went."""
        date = warc_date()
        digest = payload_digest(response.body)  # once: for the digest index and the record
        profile, original = self.original_of(request, response, digest)
        resp = self.revisit(profile, original, response, date, request.meta.get("xxgk_original")) if profile else None
        if resp is None:
            profile, original, resp = None, None, response_record(response, date, digest)
        req = request_record(request, date, resp.rec_headers.get_header("WARC-Record-ID"))
        capture = self._capture(self._write([resp, req]), resp, response.status)
        if profile:
            capture |= {"revisit": profile, "refers_to": original.as_dict()}
            self.stats.inc_value(f"xxgk/warc/revisits/{profile}")
        self.remember(request, response, capture, original)
        return capture

    def revisit(self, profile: str, original: Original, response: Response, date: str, stored=None):
        """The revisit record of a response whose payload `original` holds (None if the original is unreadable;
        a 304's, `stored`, was read before: `read_original`)."""
        if profile == IDENTICAL:  # None when the original's file is gone: this payload is archived in full again
            return response_revisit(response, date, original.as_dict()) if self.holds(original) else None
        return not_modified_revisit(response, date, original.as_dict(), stored) if stored else None

    def original_of(self, request: Request, response: Response, digest: str) -> tuple[str | None, Original | None]:
        """(revisit profile, original) when this response's payload is archived already, else (None, None)."""
        validated = request.meta.get("xxgk_validated")
        if response.status == 304 and validated:
            return NOT_MODIFIED, Original(**validated)
        if self.digests is None or request.method != "GET" or response.status != 200:
            return None, None
        try:
            original = self.digests.original(response.url, digest)
        except SQLAlchemyError as exc:
            logger.error("digest index lookup failed for %s: %s", response.url, exc)
            return None, None
        return (IDENTICAL, original) if original else (None, None)

    def remember(self, request: Request, response: Response, capture: dict, original: Original | None) -> None:
        """Put a new payload in the digest index, or note that an archived one was seen again."""
        if self.digests is None or request.method != "GET" or response.status not in (200, 304):
            return
        etag = response.headers.get("ETag", b"").decode("latin-1") or None
        modified = response.headers.get("Last-Modified", b"").decode("latin-1") or None
        try:
            if original:
                self.digests.seen(original, capture["date"], etag, modified)
            elif response.status == 200:
                self.digests.add(Original(response.url, capture["digest"], capture["record_id"], capture["date"],
                                        capture["warc_file"], capture["offset"], capture["length"], etag, modified))
        except SQLAlchemyError as exc:
            logger.error("could not update the digest index for %s: %s", response.url, exc)

    def _write(self, records: list) -> RecordLocation:
        """Write records together; count them; return the first one's location."""
        bytes_before = self.writer.bytes_written
        location = self.writer.write(records)[0]
        self.stats.inc_value("xxgk/warc/records", len(records))
        self.stats.inc_value("xxgk/warc/bytes", self.writer.bytes_written - bytes_before)
        return location

    @staticmethod
    def _capture(location: RecordLocation, record, status: int) -> dict:
        return {
            **location.as_dict(),
            "date": record.rec_headers.get_header("WARC-Date"),
            "status": status,
            "digest": record.rec_headers.get_header("WARC-Payload-Digest"),
            "record_id": record.rec_headers.get_header("WARC-Record-ID"),
        }

"""Archive every HTTP exchange of a crawl as WARC request/response records.

Sits above every built-in downloader middleware (order 950 > HttpCache 900), so
it sees each redirect hop and each retried failure, and the body still
content-encoded. Where each response went is put in `request.meta["xxgk_capture"]`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from scrapy import Spider, signals
from scrapy.http import Request, Response

from archive.index import index_warc
from archive.records import metadata_record, request_record, response_record
from archive.salvage import salvage
from archive.warc import RotatingWarcWriter

logger = logging.getLogger(__name__)

RECORDED_SETTINGS = ("USER_AGENT", "ROBOTSTXT_OBEY", "DOWNLOAD_DELAY", "AUTOTHROTTLE_ENABLED", "COOKIES_ENABLED")


def warc_date(now: datetime | None = None) -> str:
    """WARC 1.1 date with microseconds."""
    return (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class WarcCaptureMiddleware:
    def __init__(self, crawler, directory: Path, prefix: str, max_size: int):
        self.crawler, self.stats = crawler, crawler.stats
        self.directory, self.prefix, self.max_size = directory, prefix, max_size
        self.writer: RotatingWarcWriter | None = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        directory = Path(settings["XXGK_DATA_DIR"]) / "warc"
        mw = cls(crawler, directory, settings["XXGK_WARC_PREFIX"], settings.getint("XXGK_WARC_MAX_SIZE"))
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def spider_opened(self, spider: Spider) -> None:
        info = {name: self.crawler.settings.get(name) for name in RECORDED_SETTINGS}
        info["spider"] = spider.name
        self.writer = RotatingWarcWriter(
            self.directory, f"{self.prefix}-{spider.name}", self.max_size, info, on_close=self.index
        )
        for salvaged in salvage(self.directory):
            self.stats.inc_value("xxgk/warc/salvaged_files")
            self.stats.inc_value("xxgk/warc/salvaged_torn_bytes", salvaged.torn_bytes)

    def index(self, warc: Path) -> None:
        """Index a WARC file as soon as it closes, so replay sees it before the crawl ends."""
        try:
            index_warc(warc)
        except Exception as exc:  # noqa: BLE001 - logged and counted; `xxgk index` rebuilds it
            logger.error("could not index %s: %s: %s", warc.name, type(exc).__name__, exc)
            self.stats.inc_value("xxgk/index/errors")

    def write_metadata(self, url: str, concurrent_to: str, fields: list[tuple[str, str]]) -> None:
        """A `metadata` record (warc-fields) about an archived response, e.g. its outlinks."""
        if self.writer is None:
            return
        record = metadata_record(url, warc_date(), concurrent_to, fields)
        bytes_before = self.writer.bytes_written
        try:
            self.writer.write([record])
        except Exception as exc:  # noqa: BLE001 - logged, counted, and fails the crawl's exit status
            logger.error("could not archive metadata of %s: %s: %s", url, type(exc).__name__, exc)
            self.stats.inc_value("xxgk/warc/errors")
            return
        self.stats.inc_value("xxgk/warc/records")
        self.stats.inc_value("xxgk/warc/bytes", self.writer.bytes_written - bytes_before)

    def spider_closed(self, spider: Spider) -> None:
        if self.writer:
            self.writer.close()

    def process_response(self, request: Request, response: Response) -> Response:
        if "cached" in response.flags:
            return response
        try:
            capture = self.archive(request, response)
        except Exception as exc:  # noqa: BLE001 - logged, counted, and fails the crawl's exit status
            logger.error("could not archive %s: %s: %s", request.url, type(exc).__name__, exc)
            self.stats.inc_value("xxgk/warc/errors")
            return response
        request.meta["xxgk_capture"] = capture
        return response

    def archive(self, request: Request, response: Response) -> dict:
        """Write the response and its request; return where the response record went."""
        date = warc_date()
        resp = response_record(response, date)
        req = request_record(request, date, resp.rec_headers.get_header("WARC-Record-ID"))
        bytes_before = self.writer.bytes_written
        location, _ = self.writer.write([resp, req])
        self.stats.inc_value("xxgk/warc/records", 2)
        self.stats.inc_value("xxgk/warc/bytes", self.writer.bytes_written - bytes_before)
        return {
            **location.as_dict(),
            "date": date,
            "status": response.status,
            "digest": resp.rec_headers.get_header("WARC-Payload-Digest"),
            "record_id": resp.rec_headers.get_header("WARC-Record-ID"),
        }

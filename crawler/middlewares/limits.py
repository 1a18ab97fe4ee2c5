"""What one request may cost: a page's size and time caps, a file's larger ones, and the site's whole time budget.

Pages (list and report pages, everything a spider parses) get XXGK_PAGE_MAXSIZE and DOWNLOAD_TIMEOUT; files
(attachments, page requisites) DOWNLOAD_MAXSIZE and XXGK_FILE_TIMEOUT. Scrapy applies the size cap to the body
as sent and, in HttpCompressionMiddleware, to the body decompressed (gzip bombs). Past XXGK_SITE_DEADLINE seconds
after the crawl opened no new request is sent: each is counted as a `site_deadline` fault and the crawl fails as
incomplete.
"""

from __future__ import annotations

import time

from scrapy import Request, signals

from crawler import faults


def is_file_request(request: Request) -> bool:
    """An attachment or a requisite (not parsed as a page): spiders and the capture mark them in meta."""
    meta = request.meta
    return bool(meta.get("xxgk_file") or meta.get("xxgk_requisite") or "document_url" in meta)


class LimitsMiddleware:
    """Size and time caps per request (set unless the request has its own), and the site's deadline."""

    def __init__(self, stats, page: tuple[int, float], file: tuple[int, float], site_deadline: float) -> None:
        self.stats, self.page, self.file, self.site_deadline = stats, page, file, site_deadline
        self.started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        middleware = cls(crawler.stats, (s.getint("XXGK_PAGE_MAXSIZE"), s.getfloat("DOWNLOAD_TIMEOUT")),
                         (s.getint("DOWNLOAD_MAXSIZE"), s.getfloat("XXGK_FILE_TIMEOUT")),
                         s.getfloat("XXGK_SITE_DEADLINE", 0))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider=None) -> None:
        self.started = time.monotonic()

    def process_request(self, request: Request) -> None:
        if self.site_deadline and time.monotonic() - self.started > self.site_deadline:
            faults.count(self.stats, "site_deadline", request.url)
            raise faults.Refused("site_deadline", request.url)
        maxsize, timeout = self.file if is_file_request(request) else self.page
        request.meta.setdefault("download_maxsize", maxsize)
        request.meta.setdefault("download_timeout", timeout)
        return None

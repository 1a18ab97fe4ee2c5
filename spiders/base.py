"""The shared column spider: walk a report column, fetch report pages and their attachments.

A CMS-family spider subclasses ColumnSpider and implements `parse_list`, turning
one list page into entries (and requests for the next list pages). Everything
else — detail pages, attachments, items, error accounting — lives here.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar
from urllib.parse import unquote, urlparse

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.items import AttachmentItem, DocumentItem, ListingItem
from crawler.sites import Site

ATTACHMENT_RE = re.compile(r"\.(pdf|docx?|xlsx?|wps|et|ofd|zip|rar|7z|txt|csv)(?:$|[?#])", re.I)


def is_attachment(url: str) -> bool:
    return bool(ATTACHMENT_RE.search(urlparse(url).path + ("?" if urlparse(url).query else "")))


class ColumnSpider(scrapy.Spider):
    """Crawl one registered site's annual-report columns."""

    site: ClassVar[Site]
    family: ClassVar[str] = ""

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        overrides = crawler.settings.getdict("XXGK_BASE_URLS")
        spider.base_url = overrides.get(cls.name) or cls.site.base_url
        spider.allowed_domains = [urlparse(spider.base_url).hostname]
        return spider

    def url(self, path: str) -> str:
        """A registry path on this crawl's portal (real or simulated)."""
        return self.site.url(path, self.base_url)

    async def start(self):
        for path in self.site.columns:
            url = self.url(path)
            yield self.list_request(url, column=url, page=1)

    # -- list pages ---------------------------------------------------------

    def list_request(self, url: str, column: str, page: int, **kwargs: Any) -> scrapy.Request:
        """A request for one page of a column; `parse_list` receives it."""
        meta = {"column": column, "page": page, **kwargs.pop("meta", {})}
        return scrapy.Request(url, callback=self.parse_list, errback=self.on_error, meta=meta, **kwargs)

    def parse_list(self, response: Response) -> Iterable:
        raise NotImplementedError(f"{type(self).__name__} must read its list pages")

    def follow_entries(self, response: Response, entries: list[dict]) -> Iterator:
        """Yield the ListingItem of a list page and a request for each listed entry."""
        column, page = response.meta["column"], response.meta["page"]
        entries = [{**e, "url": response.urljoin(e["url"])} for e in entries]
        self.crawler.stats.inc_value("xxgk/list_pages")
        self.crawler.stats.inc_value("xxgk/entries", len(entries))
        yield ListingItem(
            site=self.name, url=response.url, column=column, page=page,
            entries=entries, capture=capture_of(response),
        )
        for entry in entries:
            meta = {"column": column, "entry": entry}
            if is_attachment(entry["url"]):
                yield self.attachment_request(entry["url"], document_url=None, meta=meta)
            else:
                yield scrapy.Request(entry["url"], callback=self.parse_detail, errback=self.on_error, meta=meta)

    # -- report pages and attachments ---------------------------------------

    def parse_detail(self, response: Response) -> Iterator:
        entry = response.meta.get("entry", {})
        attachments = self.attachment_links(response)
        yield DocumentItem(
            site=self.name, url=response.url, status=response.status, html=response.text,
            list_title=entry.get("title"), list_date=entry.get("date"),
            column=response.meta.get("column"), attachments=attachments, capture=capture_of(response),
        )
        for url in attachments:
            yield self.attachment_request(url, document_url=response.url)

    def attachment_links(self, response: Response) -> list[str]:
        """Absolute URLs of the files a report page links to, in page order."""
        links = (response.urljoin(href) for href in response.css("a::attr(href)").getall())
        return list(dict.fromkeys(url for url in links if is_attachment(url)))

    def attachment_request(self, url: str, document_url: str | None, meta: dict | None = None) -> scrapy.Request:
        meta = {**(meta or {}), "document_url": document_url}
        return scrapy.Request(url, callback=self.parse_attachment, errback=self.on_error, meta=meta)

    def parse_attachment(self, response: Response) -> Iterator:
        yield AttachmentItem(
            site=self.name, url=response.url, document_url=response.meta.get("document_url"),
            status=response.status, filename=attachment_filename(response),
            content_type=response.headers.get("Content-Type", b"").decode("latin-1") or None,
            size=len(response.body), sha1=hashlib.sha1(response.body).hexdigest(),
            capture=capture_of(response),
        )

    # -- failures -----------------------------------------------------------

    def on_error(self, failure: Failure) -> None:
        """Count and log a failed request; its exchange is already in the WARC when there was one."""
        request = failure.request
        if failure.check(HttpError):
            status = failure.value.response.status
            self.logger.warning("HTTP %s for %s", status, request.url)
            self.crawler.stats.inc_value(f"xxgk/errors/http_{status}")
        else:
            self.logger.error("%s for %s", failure.getErrorMessage() or failure.type.__name__, request.url)
            self.crawler.stats.inc_value(f"xxgk/errors/{failure.type.__name__}")
        self.crawler.stats.inc_value("xxgk/errors")


def capture_of(response: Response) -> dict | None:
    """Where the archive wrote this response (set by archive.capture), if it did."""
    return response.meta.get("xxgk_capture")


def attachment_filename(response: Response) -> str:
    """The server's file name (Content-Disposition, GBK-tolerant) or the URL's last segment."""
    disposition = response.headers.get("Content-Disposition") or b""
    match = re.search(rb"filename\*=(?:UTF-8|utf-8)''([^;]+)", disposition) or re.search(
        rb'filename="?([^";]+)"?', disposition
    )
    if match:
        raw = unquote(match.group(1).decode("latin-1"), encoding="latin-1").encode("latin-1")
        for encoding in ("utf-8", "gb18030"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
    return unquote(urlparse(response.url).path.rsplit("/", 1)[-1])

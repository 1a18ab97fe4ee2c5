""""Save this page now": archive arbitrary pages, their requisites and, optionally, links within a scope."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from archive.pagelinks import is_html
from crawler import faults
from crawler.items import AttachmentItem, CaptureItem, DocumentItem, ListingItem
from spiders.base import capture_of, checked_filename, fault_outcome, is_attachment

SCOPES = ("page", "prefix", "host")


def in_scope(url: str, seed: str, scope: str) -> bool:
    """Whether a link found from `seed` may be followed: same page only, below the seed's folder, or same host."""
    target, origin = urlsplit(url), urlsplit(seed)
    if scope == "page" or target.hostname != origin.hostname:
        return False
    if scope == "host":
        return True
    folder = origin.path.rsplit("/", 1)[0] + "/"
    return target.path.startswith(folder)


def is_seed(request: scrapy.Request) -> bool:
    """A request for one of the given URLs (before any redirect), not for a link found from one."""
    return (request.meta.get("redirect_urls") or [request.url])[0] == request.meta.get("seed")


class SavePageSpider(scrapy.Spider):
    """Archive the given URLs; follow links `depth` hops within `scope` (page, prefix or host)."""

    name = "capture"

    def __init__(self, urls: list[str], depth: int = 0, scope: str = "page", forms: bool = False,
                 browser: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        if scope not in SCOPES:
            raise ValueError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
        self.urls, self.depth, self.scope, self.forms = list(urls), int(depth), scope, forms
        self.browser = browser
        self.allowed_domains = sorted({urlsplit(url).hostname for url in self.urls})

    async def start(self):
        self.crawler.stats.set_value("xxgk/expected_empty", True)  # a capture promises pages, not reports
        for url in self.urls:
            yield self.request(url, url)

    def request(self, url: str, seed: str) -> scrapy.Request:
        """A request for `url`, found from `seed` (its own seed for a given URL)."""
        return scrapy.Request(url, callback=self.parse, errback=self.on_error, meta=self.meta(url, seed))

    def meta(self, url: str, seed: str) -> dict:
        """Request meta: the seed a page was reached from, whether a browser loads it, whether it is a file."""
        return {"seed": seed, **({"playwright": True} if self.browser else {}),
                **({"xxgk_file": True} if is_attachment(url) else {})}

    def on_error(self, failure: Failure) -> Iterator:
        """Count and report a URL that could not be captured (a redirect loop, a timeout, an error status…)."""
        request = failure.request
        kind = faults.failure_kind(failure)
        if kind:
            faults.count(self.crawler.stats, kind, faults.origin(request))
        self.logger.warning("could not capture %s: %s", request.url,
                            kind or failure.getErrorMessage() or failure.type.__name__)
        if is_seed(request):
            self.crawler.stats.inc_value("xxgk/seeds_failed")
        response = getattr(failure.value, "response", None)
        if response is not None and capture_of(response):
            yield CaptureItem(site=self.name, url=response.url, kind="document", outcome="error",
                              capture=capture_of(response))

    def parse(self, response: Response) -> Iterator:
        capture = capture_of(response)
        if fault := faults.page_fault(response):
            faults.count(self.crawler.stats, fault, response.url)
            self.logger.warning("not a page (%s): %s", fault, response.url)
            if is_seed(response.request):
                self.crawler.stats.inc_value("xxgk/seeds_failed")
            if capture:
                yield CaptureItem(site=self.name, url=response.url, kind="document", outcome=fault_outcome(fault),
                                  capture=capture)
            return
        if not is_html(response):
            yield AttachmentItem(
                site=self.name, url=response.url, status=response.status,
                filename=checked_filename(response, self.crawler.stats),
                content_type=response.headers.get("Content-Type", b"").decode("latin-1") or None,
                size=len(response.body), capture=capture,
            )
            return
        yield self.page_item(response, capture)
        if response.meta.get("depth", 0) >= self.depth or not isinstance(response, TextResponse):
            return
        seed = response.meta["seed"]
        for href in response.xpath("//a/@href").getall():
            url = response.urljoin(href)
            if in_scope(url, seed, self.scope):
                yield self.request(url, seed)
        if self.forms:
            yield from self.submit_forms(response, seed)

    def page_item(self, response: Response, capture: dict | None) -> DocumentItem | ListingItem:
        """A document page as a DocumentItem; a column, year index or navigation page only archived and listed
        (a ListingItem of the report links it shows), never stored as a report."""
        from spiders.generic import is_document_page, list_entries, selector

        page = selector(response)
        if is_document_page(page, response):
            return DocumentItem(site=self.name, url=response.url, status=response.status, html=response.text,
                                attachments=[], capture=capture)
        self.crawler.stats.inc_value("xxgk/capture/list_pages")
        return ListingItem(site=self.name, url=response.url, column=response.meta["seed"], page=1,
                           entries=list_entries(page, response), capture=capture)

    def submit_forms(self, response: TextResponse, seed: str) -> Iterator[scrapy.Request]:
        """Each form of the page sent once with its default values (search forms, often POST)."""
        for number, form in enumerate(response.xpath("//form")):
            action = response.urljoin(form.attrib.get("action") or response.url)
            if in_scope(action, seed, self.scope) or action == response.url:
                yield scrapy.FormRequest.from_response(
                    response, formnumber=number, callback=self.parse, errback=self.on_error, meta={"seed": seed},
                    dont_click=True)

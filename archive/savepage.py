""""Save this page now": archive arbitrary pages, their requisites and, optionally, links within a scope."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse

from archive.pagelinks import is_html
from crawler.items import AttachmentItem, DocumentItem, ListingItem
from spiders.base import attachment_filename, capture_of

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
            yield scrapy.Request(url, callback=self.parse, meta=self.meta(url))

    def meta(self, seed: str) -> dict:
        """Request meta: the seed a page was reached from, and whether a browser loads it."""
        return {"seed": seed, **({"playwright": True} if self.browser else {})}

    def parse(self, response: Response) -> Iterator:
        capture = capture_of(response)
        if not is_html(response):
            yield AttachmentItem(
                site=self.name, url=response.url, status=response.status, filename=attachment_filename(response),
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
                yield scrapy.Request(url, callback=self.parse, meta=self.meta(seed))
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
                    response, formnumber=number, callback=self.parse, meta={"seed": seed}, dont_click=True
                )

"""What each archived HTML page links to: a metadata record of its links, and its requisites fetched.

A spider middleware, so it reads the decoded page the spider reads (its parsed
selector is shared). Requisites (stylesheets, scripts, images, icons, and fonts
and images named in stylesheets) are downloaded once per crawl, within the
spider's allowed domains, through the downloader middlewares — so the capture
middleware archives them — without reaching any spider callback.
"""

from __future__ import annotations

import functools
import logging
import re
from urllib.parse import urljoin, urlsplit

from lxml import etree
from scrapy import Spider, signals
from scrapy.http import Request, Response, TextResponse
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.response import get_base_url

from archive.capture import WarcCaptureMiddleware
from crawler import faults

logger = logging.getLogger(__name__)

EMBED_XPATH = " | ".join((
    "//link[contains(concat(' ', normalize-space(@rel), ' '), ' stylesheet ')]/@href",
    "//link[contains(@rel, 'icon')]/@href",
    "//script/@src",
    "//img/@src",
    "//input[@type='image']/@src",
    "//*[@background]/@background",
))  # one union: each separate XPath walks the whole tree again
OUTLINK_XPATH = "//a/@href | //area/@href | //iframe/@src | //frame/@src"
# compiled, returning plain strings: no parsel Selector made per link
EMBEDS, OUTLINKS = (etree.XPath(xpath, smart_strings=False) for xpath in (EMBED_XPATH, OUTLINK_XPATH))
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def is_html(response: Response) -> bool:
    content_type = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    return isinstance(response, TextResponse) and ("html" in content_type or not content_type)


def fetchable(url: str) -> bool:
    return url.startswith(("http://", "https://")) or urlsplit(url).scheme in ("http", "https")


@functools.lru_cache(maxsize=1 << 16)
def _join(directory: str, href: str) -> str:
    return urljoin(directory, href)


def _directory(base: str) -> str | None:
    """The base URL up to the last "/" of its path (None if it has no path)."""
    stem = base.split("#", 1)[0].split("?", 1)[0]
    authority = stem.find("://")
    if authority == -1 or stem.find("/", authority + 3) == -1:
        return None
    return stem[:stem.rfind("/") + 1]


def joiner(base: str):
    """urljoin(base, href) for one page's links. A page's hrefs resolve against its directory alone (except ""
    and those starting with "?" or "#"), and pages of one column share it and most of their links (navigation):
    the joins are cached by directory and href (urljoin was the largest part of this middleware's CPU)."""
    directory = _directory(base)

    def join(href: str) -> str:
        if directory is None or not href or href[0] in "?#":
            return urljoin(base, href)
        return _join(directory, href)

    return join


class PageLinksMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.seen: set[str] = set()
        self.capture: WarcCaptureMiddleware | None = None

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        self.capture = self.crawler.get_downloader_middleware(WarcCaptureMiddleware)

    def process_spider_input(self, response: Response, spider: Spider | None = None) -> None:
        if not is_html(response) or "xxgk_capture" not in response.meta:
            return
        root = response.selector.root
        join = joiner(get_base_url(response))  # what response.urljoin joins with
        embeds = [join(u) for u in EMBEDS(root)]
        embeds = [url for url in dict.fromkeys(embeds) if fetchable(url)]
        outlinks = [join(u) for u in OUTLINKS(root)]
        outlinks = [url for url in dict.fromkeys(outlinks) if fetchable(url)]
        if not response.meta["xxgk_capture"].get("revisit"):
            # a revisit's links are those of its original, whose metadata record holds them already
            self.write_metadata(response, outlinks, embeds)
        if response.meta.get("playwright"):
            return  # the browser fetched them, and they are archived already
        for url in embeds:
            self.fetch_requisite(url, referer=response.url)

    def write_metadata(self, response: Response, outlinks: list[str], embeds: list[str]) -> None:
        if self.capture is None:
            return
        depth = response.meta.get("depth", 0)
        fields = [("via", response.request.headers.get("Referer", b"").decode("latin-1"))] if response.request else []
        fields += [("hopsFromSeed", "L" * depth), ("fetchTimeMs", str(int(response.meta.get("download_latency", 0) * 1000)))]
        fields += [("outlink", f"{url} L a/@href") for url in outlinks]
        fields += [("outlink", f"{url} E embed") for url in embeds]
        self.capture.write_metadata(response.url, response.meta["xxgk_capture"]["record_id"], fields)

    def in_scope(self, url: str) -> bool:
        """Within the spider's allowed domains (ports ignored, as the offsite filter does; Scrapy's
        url_is_from_any_domain compares the port too, which every simulated portal has)."""
        domains = getattr(self.crawler.spider, "allowed_domains", None)
        host = (urlsplit(url).hostname or "").lower()
        return not domains or any(host == d or host.endswith(f".{d}") for d in map(str.lower, domains))

    def fetch_requisite(self, url: str, referer: str) -> None:
        """Download a requisite once per crawl (in the background); stylesheets bring their own."""
        if url in self.seen or not self.in_scope(url):
            return
        self.seen.add(url)
        request = Request(url, callback=NO_CALLBACK, headers={"Referer": referer}, meta={"xxgk_requisite": True})
        self.crawler.stats.inc_value("xxgk/requisites")
        deferred = deferred_from_coro(self.crawler.engine.download_async(request))
        deferred.addCallbacks(self._fetched, self._failed, errbackArgs=(url,))

    def _fetched(self, response: Response) -> None:
        content_type = response.headers.get("Content-Type", b"").decode("latin-1").lower()
        if "css" in content_type and isinstance(response, TextResponse):
            for match in CSS_URL.finditer(response.text):
                url = response.urljoin(match.group(1) or match.group(2))
                if fetchable(url):
                    self.fetch_requisite(url, referer=response.url)
        elif response.status >= 400:
            self.crawler.stats.inc_value("xxgk/requisites/errors")

    def _failed(self, failure, url: str) -> None:
        logger.warning("requisite %s failed: %s", url, failure.getErrorMessage())
        self.crawler.stats.inc_value("xxgk/requisites/errors")
        if kind := faults.failure_kind(failure):
            faults.count(self.crawler.stats, kind, url)

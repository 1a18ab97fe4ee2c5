"""Helpers the test modules share: the console scripts, the four seed sites, database reads, spiders walked
over the simulated portals without a crawl."""

from __future__ import annotations

import gzip
import sqlite3
import sys
import urllib.request
from pathlib import Path

import scrapy
from scrapy.http import HtmlResponse, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from crawler.items import ListingItem
from crawler.middlewares.traps import strip_session_ids

BIN = Path(sys.executable).parent
SITES = ("panjin", "mingguang", "yanji", "zhangxian")


def query(data_dir: Path, sql: str, *params) -> list[sqlite3.Row]:
    """Rows of a query on DATA_DIR/xxgk.sqlite, as sqlite3.Row."""
    with sqlite3.connect(data_dir / "xxgk.sqlite") as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql, params).fetchall()


def spider_for(cls: type, base_urls: dict[str, str]):
    """A spider of `cls` pointed at these (simulated) base URLs, outside any crawl."""
    return cls.from_crawler(get_crawler(cls, {"XXGK_BASE_URLS": base_urls}))


def fetch(request: scrapy.Request) -> TextResponse:
    """Download a Scrapy request with urllib (gzip accepted, session ids stripped as TrapGuardMiddleware does)
    and wrap it the way Scrapy would."""
    headers = {"Accept-Encoding": "gzip", **{k.decode(): v[0].decode() for k, v in request.headers.items()}}
    data = request.body if request.method == "POST" else None
    url = strip_session_ids(request.url)
    with urllib.request.urlopen(urllib.request.Request(url, data, headers, method=request.method)) as answer:
        body = answer.read()
        if answer.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        kind = answer.headers.get("Content-Type", "")
        cls = XmlResponse if "xml" in kind else TextResponse if "json" in kind else HtmlResponse
        return cls(url=answer.url, body=body, headers={"Content-Type": kind}, request=request)


def crawl_lists(spider, start: list[scrapy.Request] | None = None,
                limit: int | None = None) -> tuple[list[ListingItem], set[str]]:
    """Follow every list request from `start` (default: each column's first page), at most `limit` pages;
    the listings and the entry URLs requested."""
    queue = start or [spider.list_request(spider.url(c), column=spider.url(c), page=1) for c in spider.site.columns]
    listings, entries, seen = [], set(), set()
    while queue:
        request = queue.pop(0)
        if request.url in seen or (limit is not None and len(seen) >= limit):
            continue
        seen.add(request.url)
        output = list(request.callback(fetch(request)))
        found = [item for item in output if isinstance(item, ListingItem)]
        listings += found
        urls = {entry["url"] for item in found for entry in item["entries"]}
        for r in output:
            if isinstance(r, scrapy.Request):
                (entries.add(r.url) if r.url in urls else queue.append(r))
    return listings, entries

"""Old Panjin CMS: a report column of year sub-columns, each paged with 下一页 links."""

from __future__ import annotations

import re
from collections.abc import Iterator

from parsel import Selector
from scrapy.http import Response

from spiders.base import ColumnSpider

DATE_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
YEAR_RE = re.compile(r"^\d{4}年$")
ITEM_RE = re.compile(r"/content-\w+\.html?$")


class PanjinCmsSpider(ColumnSpider):
    """Walk the year sub-columns (`2018年` → `/html/{col}{YYYY}/index.html`) and their index_N pages."""

    family = "panjin"

    def parse_list(self, response: Response) -> Iterator:
        entries = [self._parse_entry(li) for li in response.xpath("//li[a[re:test(@href, '/content-\\w+\\.html?$')]]")]
        sub_columns = [] if response.meta.get("sub_column") else self._parse_sub_columns(response)
        if entries or not sub_columns:
            yield from self.follow_entries(response, entries)
        for url in sub_columns:
            yield self.list_request(url, column=url, page=1, meta={"sub_column": True})
        next_url = self._parse_next(response)
        if next_url:
            meta = {"sub_column": response.meta.get("sub_column", False)}
            yield self.list_request(next_url, column=response.meta["column"], page=response.meta["page"] + 1, meta=meta)

    def _parse_entry(self, li: Selector) -> dict:
        """One list row: the content link, its title and the listed date."""
        link = li.xpath("a[re:test(@href, '/content-\\w+\\.html?$')]")[0]
        title = link.attrib.get("title") or " ".join(link.xpath("string()").get("").split())
        date = li.css("span.date::text").get() or "".join(DATE_RE.findall(li.xpath("string()").get(""))[:1])
        return {"url": link.attrib["href"], "title": title.strip(), "date": date.strip() or None}

    def _parse_sub_columns(self, response: Response) -> list[str]:
        """Year sub-columns linked from the column page (`2018年` → …/index.html)."""
        urls = (
            response.urljoin(a.attrib["href"])
            for a in response.xpath("//a[@href]")
            if YEAR_RE.match(a.xpath("normalize-space()").get("")) and a.attrib["href"].endswith("index.html")
        )
        return [url for url in dict.fromkeys(urls) if url != response.url]

    def _parse_next(self, response: Response) -> str | None:
        """The 下一页 link, unless it points back at this page (the last one)."""
        href = response.xpath("//a[normalize-space()='下一页']/@href").get()
        url = response.urljoin(href) if href else None
        return url if url and url != response.url else None

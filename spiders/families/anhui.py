"""Anhui provincial disclosure platform: column shells whose list comes from /site/label/8888 (publicInfoList)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import scrapy
from parsel import Selector
from scrapy.http import Response
from w3lib.url import add_or_replace_parameter

from spiders.base import ColumnSpider

LABEL_RE = re.compile(r"""["']((?:https?://[^"'/]+)?/site/label/8888\?[^"']*labelName=publicInfoList[^"']*)["']""")
PAGE_COUNT_RE = re.compile(r"""pageCount\s*:\s*["']?(\d+)""")
TOTAL_PAGES_RE = re.compile(r"共\s*(\d+)\s*页")


class AnhuiPlatformSpider(ColumnSpider):
    """Read the publicInfoList label URL from the column shell, then page through it by pageIndex."""

    family = "anhui"

    def parse_list(self, response: Response) -> Iterator:
        if response.css("div.xxgk_navli"):  # some sites render the first page into the shell
            yield from self.parse_label(response)
            return
        match = LABEL_RE.search(response.text)
        if not match:
            self.logger.warning("no publicInfoList label URL in column page %s", response.url)
            self.crawler.stats.inc_value("xxgk/errors/no_list_source")
            return
        label_url = response.urljoin(unescape(match.group(1)))
        yield self.label_request(label_url, column=response.meta["column"], page=1)

    def label_request(self, label_url: str, column: str, page: int) -> scrapy.Request:
        """The AJAX list page `page` of a publicInfoList label."""
        url = add_or_replace_parameter(label_url, "pageIndex", str(page))
        meta = {"column": column, "page": page, "label_url": label_url}
        return scrapy.Request(url, callback=self.parse_label, errback=self.on_error, meta=meta)

    def parse_label(self, response: Response) -> Iterator:
        entries = [self._parse_entry(row) for row in response.css("div.xxgk_navli, li.xxgk_navli") if row.css("a")]
        yield from self.follow_entries(response, entries)
        if response.meta["page"] == 1 and response.meta.get("label_url"):
            for page in range(2, self._parse_page_count(response) + 1):
                yield self.label_request(response.meta["label_url"], column=response.meta["column"], page=page)

    def _parse_entry(self, row: Selector) -> dict:
        """One div.xxgk_navli: link, title (the title attribute holds it untruncated) and span.date."""
        link = row.css("a")[0]
        title = link.attrib.get("title") or " ".join(link.xpath("string()").get("").split())
        date = (row.css("span.date::text").get() or "").strip()
        return {"url": link.attrib["href"], "title": title.strip(), "date": date or None}

    def _parse_page_count(self, response: Response) -> int:
        """Pages of the label, from the pager's pageCount (or a 共N页 line)."""
        match = PAGE_COUNT_RE.search(response.text) or TOTAL_PAGES_RE.search(response.text)
        return int(match.group(1)) if match else 1

"""Hanweb xxgk module: a column shell whose script POSTs /module/xxgk/search.jsp (currpage); rows carry mc/wh/syh/rq."""

from __future__ import annotations

import re
from collections.abc import Iterator

import scrapy
from parsel import Selector
from scrapy.http import Response
from w3lib.url import add_or_replace_parameter

from spiders.base import ColumnSpider
from spiders.families.hanweb import script_values

SEARCH_URL_RE = re.compile(r"""["']((?:https?://[^"'/]+)?/module/xxgk/search\.jsp[^"']*)["']""")
DATA_RE = re.compile(r"data\s*:\s*\{([^}]*)\}", re.DOTALL)
PAGES_RE = re.compile(r"第\s*(\d+)\s*/\s*(\d+)\s*页")
ANNUAL_RE = re.compile(r"/module/xxgk/xxgkAnnualReport\.jsp\?")


class HanwebXxgkSpider(ColumnSpider):
    """POST search.jsp page by page (currpage); fall back to the column's xxgkAnnualReport.jsp year pages."""

    family = "hanweb_xxgk"

    def parse_list(self, response: Response) -> Iterator:
        if response.css("a[mc]"):  # an xxgkAnnualReport.jsp page, or a column that renders its rows itself
            yield from self.parse_search(response)
            return
        search = self._parse_search_call(response)
        if search:
            url, form = search
            yield self.search_request(url, form, column=response.meta["column"], page=1)
            return
        for href in response.xpath("//a/@href").getall():
            if ANNUAL_RE.search(href):
                url = response.urljoin(href)
                yield self.list_request(url, column=url, page=1, meta={"sub_column": True})

    def search_request(self, url: str, form: dict[str, str], column: str, page: int) -> scrapy.FormRequest:
        """search.jsp page `page`: currpage both in the query and in the form, as the site's script sends it."""
        url = add_or_replace_parameter(url, "currpage", str(page))
        meta = {"column": column, "page": page, "xxgk_search": (url, form)}
        return scrapy.FormRequest(url, formdata={**form, "currpage": str(page)}, callback=self.parse_search,
                                  errback=self.on_error, meta=meta)

    def parse_search(self, response: Response) -> Iterator:
        entries = [self._parse_row(a) for a in response.css("a[mc]")]
        yield from self.follow_entries(response, entries)
        search = response.meta.get("xxgk_search")
        if search and response.meta["page"] == 1:
            for page in range(2, self._parse_page_count(response) + 1):
                yield self.search_request(search[0], search[1], column=response.meta["column"], page=page)

    def _parse_search_call(self, response: Response) -> tuple[str, dict[str, str]] | None:
        """search.jsp's URL and POST fields from the column page's script."""
        for script in response.xpath("//script/text()").getall():
            match = SEARCH_URL_RE.search(script)
            if match:
                data = DATA_RE.search(script[match.end():])
                return response.urljoin(match.group(1)), script_values(data.group(1)) if data else {}
        return None

    def _parse_row(self, link: Selector) -> dict:
        """A row's link with its metadata attributes: mc title, wh 文号, syh 索引号, rq date."""
        attrs = link.attrib
        return {"url": attrs["href"], "title": (attrs.get("mc") or link.xpath("string()").get("")).strip(),
                "date": (attrs.get("rq") or "").strip()[:10] or None,
                "index_no": attrs.get("syh") or None, "doc_number": attrs.get("wh") or None}

    def _parse_page_count(self, response: Response) -> int:
        match = PAGES_RE.search(" ".join(response.xpath("//text()").getall()))
        return int(match.group(2)) if match else 1

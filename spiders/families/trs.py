"""TRS WCM: index.html, index_1.html… with the page count only in a createPageHTML(…) call."""

from __future__ import annotations

import re
from collections.abc import Iterator

from parsel import Selector
from scrapy.http import Response

from spiders.base import ColumnSpider

CREATE_PAGE_RE = re.compile(r"""createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*["'](\w+)["']\s*,\s*["'](\w+)["']\s*\)""")
ITEM_RE = re.compile(r"(?:^|/)t(\d{4})(\d{2})(\d{2})_\d+(?:_\d+)?\.s?html?$")
DATE_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


class TrsSpider(ColumnSpider):
    """Follow index_N pages while createPageHTML says there are more; list entries are t{YYYYMMDD}_{id} links."""

    family = "trs"
    part_container = "//div[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]"

    def next_part(self, response: Response) -> str | None:
        """Long articles are split as t…_{id}_1.html, t…_{id}_2.html… with the same createPageHTML pager as lists."""
        return self._parse_next(response)

    def parse_list(self, response: Response) -> Iterator:
        entries = [self._parse_entry(a) for a in response.xpath("//a[@href]") if ITEM_RE.search(a.attrib["href"])]
        yield from self.follow_entries(response, entries)
        next_url = self._parse_next(response)
        if next_url:
            yield self.list_request(next_url, column=response.meta["column"], page=response.meta["page"] + 1)

    def _parse_entry(self, link: Selector) -> dict:
        """A document link, its title and the date shown next to it (else the one in its file name)."""
        href = link.attrib["href"]
        title = link.attrib.get("title") or " ".join(link.xpath("string()").get("").split())
        row = link.xpath("ancestor::li[1] | ancestor::tr[1]")
        dates = DATE_RE.findall(row[-1].xpath("string()").get("")) if row else []
        date = dates[0] if dates else "-".join(ITEM_RE.search(href).groups())
        return {"url": href, "title": title.strip(), "date": date}

    def _parse_next(self, response: Response) -> str | None:
        """The next index_N page, or None on the last page (never beyond createPageHTML's count)."""
        match = CREATE_PAGE_RE.search(response.text)
        if not match:
            return None
        count, current, name, ext = int(match.group(1)), int(match.group(2)), match.group(3), match.group(4)
        return response.urljoin(f"{name}_{current + 1}.{ext}") if current + 1 < count else None

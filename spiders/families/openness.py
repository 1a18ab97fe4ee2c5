"""The "OpennessContent" vendor platform: server-rendered showList/{a}/{b}/page_{n}.html lists with 下一页 links."""

from __future__ import annotations

import re
from collections.abc import Iterator

from parsel import Selector
from scrapy.http import Response

from spiders.base import ColumnSpider

ITEM_RE = re.compile(r"/OpennessContent/show/\d+\.html?$")
DATE_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


class OpennessSpider(ColumnSpider):
    """Entries are /OpennessContent/show/{id}.html links; follow 下一页 while it links a page_N of this list."""

    family = "openness"

    def parse_list(self, response: Response) -> Iterator:
        entries = [row_entry(a) for a in response.xpath("//a[@href]") if ITEM_RE.search(a.attrib["href"])]
        yield from self.follow_entries(response, entries)
        next_url = next_link(response, ("下一页", "下页"))
        if next_url:
            yield self.list_request(next_url, column=response.meta["column"], page=response.meta["page"] + 1)


def row_entry(link: Selector) -> dict:
    """A list link, its full title (title attribute) and the date printed in its row."""
    title = link.attrib.get("title") or " ".join(link.xpath("string()").get("").split())
    row = link.xpath("ancestor::li[1] | ancestor::tr[1]")
    dates = DATE_RE.findall(row[-1].xpath("string()").get("")) if row else []
    return {"url": link.attrib["href"], "title": title.strip(), "date": dates[0] if dates else None}


def next_link(response: Response, texts: tuple[str, ...]) -> str | None:
    """The absolute URL of the pager link labelled with one of `texts`, unless it points back at this page."""
    for link in response.xpath("//a[@href]"):
        if link.xpath("normalize-space()").get("") in texts:
            href = link.attrib["href"]
            if href.startswith(("javascript:", "#")):
                continue
            url = response.urljoin(href)
            return url if url != response.url else None
    return None

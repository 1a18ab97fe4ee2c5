"""VSB 博达: static lists /{col}.htm then /{col}/{n}.htm numbered downwards, items info/{col}/{id}.htm."""

from __future__ import annotations

import re
from collections.abc import Iterator

from scrapy.http import Response

from spiders.base import ColumnSpider
from spiders.families.openness import next_link, row_entry

ITEM_RE = re.compile(r"(?:^|/)info/\d+/\d+\.htm$")


class VsbSpider(ColumnSpider):
    """Entries are info/{col}/{id}.htm links; the span.p_pages pager's 下页 leads to the next (lower) number."""

    family = "vsb"

    def parse_list(self, response: Response) -> Iterator:
        entries = [row_entry(a) for a in response.xpath("//a[@href]") if ITEM_RE.search(a.attrib["href"])]
        yield from self.follow_entries(response, entries)
        next_url = next_link(response, ("下页", "下一页"))
        if next_url:
            yield self.list_request(next_url, column=response.meta["column"], page=response.meta["page"] + 1)

"""Ucap (gov.cn style): home.htm, home_1.htm… lists paged only by createPageHTML('page_div', pages, current, …)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from scrapy.http import Response

from spiders.base import ColumnSpider, row_entry

ITEM_RE = re.compile(r"content_\d+\.s?html?$")
PAGER_RE = re.compile(r"""createPageHTML\(\s*['"][\w-]+['"]\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*['"](\w+)['"]\s*,\s*['"](\w+)['"]""")


class UcapSpider(ColumnSpider):
    """Entries are content_{id}.htm links; the next page is {name}_{current}.{ext} while current < pages."""

    family = "ucap"

    def parse_list(self, response: Response) -> Iterator:
        entries = [row_entry(a) for a in response.xpath("//a[@href]") if ITEM_RE.search(a.attrib["href"])]
        yield from self.follow_entries(response, entries)
        match = PAGER_RE.search(response.text)
        if match:
            pages, current, name, ext = int(match.group(1)), int(match.group(2)), match.group(3), match.group(4)
            if current < pages:  # current counts from 1; home_1 is the second page
                url = response.urljoin(f"{name}_{current}.{ext}")
                yield self.list_request(url, column=response.meta["column"], page=response.meta["page"] + 1)

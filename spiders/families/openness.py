"""The "OpennessContent" vendor platform: server-rendered showList/{a}/{b}/page_{n}.html lists with 下一页 links."""

from __future__ import annotations

import re

from spiders.base import LinkListSpider


class OpennessSpider(LinkListSpider):
    """Entries are /OpennessContent/show/{id}.html links; 下一页 leads to the next page_N of this list."""

    family = "openness"
    item_pattern = re.compile(r"/OpennessContent/show/\d+\.html?$")
    next_labels = ("下一页", "下页")

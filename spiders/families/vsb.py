"""VSB 博达: static lists /{col}.htm then /{col}/{n}.htm numbered downwards, items info/{col}/{id}.htm."""

from __future__ import annotations

import re

from spiders.base import LinkListSpider


class VsbSpider(LinkListSpider):
    """Entries are info/{col}/{id}.htm links; the span.p_pages pager's 下页 leads to the next (lower) number."""

    family = "vsb"
    item_pattern = re.compile(r"(?:^|/)info/\d+/\d+\.htm$")
    next_labels = ("下页", "下一页")

"""Guangdong gkmlpt: SID and TREE from window._CONFIG on /gkmlpt/index, then the JSON list API."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from spiders.base import ColumnSpider

SID_RE = re.compile(r"""["']?SID["']?\s*:\s*["']?(\w+)""")
TREE_RE = re.compile(r"""["']?TREE["']?\s*:\s*""")
REPORT_NAME_RE = re.compile(r"年报|年度报告")


class GkmlptSpider(ColumnSpider):
    """Find the report category (the column's #fragment, else the TREE node named 年报) and page through its API."""

    family = "gkmlpt"

    def parse_list(self, response: Response) -> Iterator:
        config = "".join(s for s in response.xpath("//script/text()").getall() if "_CONFIG" in s)
        sid = SID_RE.search(config)
        category = urlsplit(response.meta["column"]).fragment or find_category(parse_tree(config))
        if not sid or not category:
            self.logger.warning("no SID or report category in %s", response.url)
            self.crawler.stats.inc_value("xxgk/errors/no_list_source")
            return
        api = (response.urljoin(f"/gkmlpt/api/all/{category}"), sid.group(1))
        yield self.api_request(api, response.meta["column"], 1)

    def api_request(self, api: tuple[str, str], column: str, page: int) -> scrapy.Request:
        """GET /gkmlpt/api/all/{category}?page={n}&sid={SID}."""
        meta = {"column": column, "page": page, "api": api}
        return scrapy.Request(f"{api[0]}?page={page}&sid={api[1]}", callback=self.parse_api, errback=self.on_error,
                              meta=meta)

    def parse_api(self, response: Response) -> Iterator:
        """One JSON page: `total` and `articles`; page 1 schedules the rest."""
        data = json.loads(response.text)
        articles = data.get("articles") or []
        entries = [self._parse_article(article) for article in articles if article.get("url")]
        yield from self.follow_entries(response, entries)
        if response.meta["page"] == 1 and articles:
            for page in range(2, math.ceil(int(data.get("total") or 0) / len(articles)) + 1):
                yield self.api_request(response.meta["api"], response.meta["column"], page)

    def _parse_article(self, article: dict) -> dict:
        """An API article: url, title, date, and the metadata the list already carries."""
        date = str(article.get("created_at") or article.get("date") or "")[:10] or None
        return {"url": article.get("post_url") or article["url"], "title": (article.get("title") or "").strip(),
                "date": date, "index_no": article.get("identifier") or None,
                "doc_number": article.get("document_number") or None, "publisher": article.get("publisher")}


def parse_tree(config: str) -> list:
    """The TREE array of window._CONFIG (JSON inside an object literal)."""
    match = TREE_RE.search(config)
    if not match:
        return []
    try:
        return json.JSONDecoder().raw_decode(config[match.end():])[0]
    except ValueError:
        return []


def find_category(nodes: list) -> str | None:
    """The id of the first TREE node whose name says annual report, depth first."""
    for node in nodes or ():
        if REPORT_NAME_RE.search(str(node.get("name", ""))):
            return str(node.get("id"))
        found = find_category(node.get("children") or [])
        if found:
            return found
    return None

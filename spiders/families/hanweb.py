"""Hanweb JCMS: records in a <script type="text/xml"> datastore, later groups from jpage/dataproxy.jsp."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import scrapy
from parsel import Selector
from scrapy.http import Response

from spiders.base import ColumnSpider

RECORD_RE = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.DOTALL)
NEXTGROUP_RE = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>\s*</nextgroup>", re.DOTALL)
AJAX_PARAM_RE = re.compile(r"ajaxParam\s*:\s*\{([^}]*)\}", re.DOTALL)
PAIR_RE = re.compile(r"""(\w+)\s*:\s*(?:"([^"]*)"|'([^']*)'|([^,\s}]+))""")
DATE_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
DEFAULT_PROXY = "/module/web/jpage/dataproxy.jsp"
FORM_FIELDS = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname", "permissiontype")


class HanwebJcmsSpider(ColumnSpider):
    """Read the embedded recordset and the jpage call, then POST dataproxy.jsp for the remaining record groups."""

    family = "hanweb"

    def parse_list(self, response: Response) -> Iterator:
        store = "".join(response.xpath("//script[@type='text/xml']/text()").getall())
        entries = parse_records(store)
        yield from self.follow_entries(response, entries)
        jpage = self._parse_jpage(response, store)
        if not jpage:
            return
        proxy, total, per_page, group, form = jpage
        step, embedded = per_page * group, len(RECORD_RE.findall(store))
        for number, start in enumerate(range(embedded + 1, total + 1, step), 2):
            url = f"{response.urljoin(proxy)}?startrecord={start}&endrecord={start + step - 1}&perpage={per_page}"
            meta = {"column": response.meta["column"], "page": number}
            yield scrapy.FormRequest(url, formdata=form, callback=self.parse_proxy, errback=self.on_error, meta=meta)

    def parse_proxy(self, response: Response) -> Iterator:
        """One dataproxy.jsp answer: an XML datastore of CDATA records."""
        yield from self.follow_entries(response, parse_records(response.text))

    def _parse_jpage(self, response: Response, store: str) -> tuple[str, int, int, int, dict[str, str]] | None:
        """(proxy URL, total records, records per page, pages per call, form fields) from the jpage call."""
        script = next((s for s in response.xpath("//script/text()").getall() if "totalRecord" in s), "")
        values = {key.lower(): value for key, value in script_values(script).items()}
        if "totalrecord" not in values:
            return None
        form = dict(nextgroup_params(store))
        ajax = AJAX_PARAM_RE.search(script)
        form.update(script_values(ajax.group(1)) if ajax else {})
        form = {key: form[key] for key in FORM_FIELDS if key in form}
        per_page = int(values.get("perpage") or 15)
        group = int(values.get("groupsize") or 3)
        return values.get("proxyurl") or DEFAULT_PROXY, int(values["totalrecord"]), per_page, group, form


def parse_records(text: str) -> list[dict]:
    """Entries from the CDATA records of a datastore (each a <li> with a link and a date)."""
    entries = []
    for record in RECORD_RE.findall(text or ""):
        row = Selector(text=record)
        link = row.css("a[href]")
        if not link:
            continue
        title = link[0].attrib.get("title") or " ".join(link[0].xpath("string()").get("").split())
        dates = DATE_RE.findall(row.xpath("string()").get(""))
        entries.append({"url": link[0].attrib["href"], "title": title.strip(), "date": dates[-1] if dates else None})
    return entries


def script_values(text: str) -> dict[str, str]:
    """`key: value` pairs of a JavaScript object literal, values as strings."""
    return {m.group(1): next(g for g in m.groups()[1:] if g is not None) for m in PAIR_RE.finditer(text)}


def nextgroup_params(store: str) -> list[tuple[str, str]]:
    """Query parameters of the <nextgroup> link, which repeats the column's dataproxy parameters."""
    match = NEXTGROUP_RE.search(store or "")
    href = Selector(text=match.group(1)).css("a::attr(href)").get() if match else None
    return parse_qsl(urlsplit(href).query) if href else []

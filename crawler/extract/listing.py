"""Metadata delivered outside the detail page: in a list row (Hanweb xxgk `<a mc wh syh rq>` attributes, list tables
whose header names the fields) or in a Guangdong gkmlpt JSON item; and how it fills a page that does not show it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from urllib.parse import urljoin

import lxml.html

from crawler.extract.chinese import to_simplified
from crawler.extract.dates import date_problem, parse_date
from crawler.extract.document import page_tree, text_nodes
from crawler.extract.metadata import clean_value, label_of
from crawler.fields import BY_KEY, BY_LABEL, METADATA_KEYS

CHINA = dt.timezone(dt.timedelta(hours=8))
# the keys spiders give a list entry (spiders/base.py follow_entries) -> the field they fill
ENTRY_KEYS = {"title": "title", "date": "publish_date", "index_no": "index_no", "doc_number": "doc_number",
              "publisher": "issuer", "issuer": "issuer", "category": "category", "written_date": "written_date",
              "subject_terms": "subject_terms", "publish_date": "publish_date"}


def _text(value) -> str | None:
    """A string value cleaned and Simplified (None for empty, 无, —)."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = "、".join(str(v) for v in value if str(v).strip())
    return clean_value(to_simplified(str(value)))


def _date(field: str, value, problems: list[dict]) -> str | None:
    """A date value (string, or Unix seconds/milliseconds as gkmlpt sends) as YYYY-MM-DD, problems recorded."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 10**11 else value
        return dt.datetime.fromtimestamp(seconds, CHINA).date().isoformat()
    text = _text(value)
    if problem := date_problem(text):
        problems.append({"field": field, "value": text, "problem": problem})
    return parse_date(text)


def list_row_fields(attrs: Mapping[str, str]) -> dict:
    """Fields of a Hanweb xxgk list row from its <a> attributes: mc title, wh 文号, syh 索引号, rq date."""
    problems: list[dict] = []
    return {"title": _text(attrs.get("mc")), "doc_number": _text(attrs.get("wh")),
            "index_no": _text(attrs.get("syh")), "publish_date": _date("publish_date", attrs.get("rq"), problems),
            "date_problems": problems}


def gkmlpt_fields(item: Mapping) -> dict:
    """Fields of one gkmlpt API item: identifier, document_number, publisher, keywords, date, title, attachments."""
    problems: list[dict] = []
    attachments = [a.get("url") or a.get("link") for a in item.get("attachment") or [] if isinstance(a, Mapping)]
    return {"title": _text(item.get("title")), "index_no": _text(item.get("identifier")),
            "doc_number": _text(item.get("document_number")), "issuer": _text(item.get("publisher")),
            "subject_terms": _text(item.get("keywords")), "publish_date": _date("publish_date", item.get("date"), problems),
            "attachments": [a for a in attachments if a], "date_problems": problems}


def _row_cells(row: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The th/td cells of a table row (comments and stray elements skipped)."""
    return [cell for cell in row if cell.tag in ("td", "th")]


def _header(row: lxml.html.HtmlElement) -> dict[int, str] | None:
    """Column -> field key of a header row naming at least two fields (名称 | 索引号 | 发布机构 | 发布日期)."""
    columns = {}
    for i, cell in enumerate(_row_cells(row)):
        label = label_of(" ".join(text_nodes(cell)).strip())
        field = BY_LABEL.get(label) if label else None
        if field is not None and field.key in BY_KEY:
            columns[i] = field.key
    return columns if len(columns) >= 2 else None


def _table_rows(table: lxml.html.HtmlElement, base_url: str) -> list[dict]:
    """Linked rows under a header row that names fields, each with the fields its cells show."""
    rows, columns = [], None
    for row in table.iter("tr"):
        if columns is None:
            columns = _header(row)
            continue
        cells, link = _row_cells(row), row.find(".//a[@href]")
        if link is None:
            continue
        entry = {"url": urljoin(base_url, link.get("href").strip())}
        for i, key in columns.items():
            if i < len(cells):
                text = " ".join(text_nodes(cells[i]))
                value = link.get("title") if key == "title" and link.get("title") else text
                entry[key] = parse_date(value) if BY_KEY[key].date else _text(value)
        rows.append(entry)
    return rows


def list_rows(html: str | bytes, base_url: str = "") -> list[dict]:
    """Entries of a list page that carry metadata in their row: Hanweb xxgk `<a mc wh syh rq>` links and rows of
    tables whose header row names fields; each is {"url", field key: value, …} with the page's own values."""
    root = page_tree(html)[1]
    found = [{"url": urljoin(base_url, a.get("href").strip()), **list_row_fields(a.attrib)}
             for a in root.iter("a") if a.get("href") and (a.get("mc") is not None or a.get("syh") is not None)]
    for table in root.iter("table"):
        if table.find(".//table") is None:
            found += _table_rows(table, base_url)
    return found


def listed_fields(entry: Mapping | None) -> dict[str, str | None]:
    """A spider's list entry (title, date, index_no, doc_number, publisher, …) as field key -> value."""
    out: dict[str, str | None] = {}
    for name, value in (entry or {}).items():
        key = ENTRY_KEYS.get(name)
        if key and out.get(key) is None:
            out[key] = parse_date(_text(value)) if BY_KEY[key].date else _text(value)
    return out


def fill_from_list(fields: dict, entry: Mapping | None) -> list[str]:
    """Fill the fields a page leaves empty from its list row, never replacing what the page shows; the keys filled."""
    filled = []
    for key, value in listed_fields(entry).items():
        if value is not None and fields.get(key) is None and key in METADATA_KEYS:
            fields[key] = value
            filled.append(key)
    return filled

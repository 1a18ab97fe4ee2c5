"""Metadata fields (索引号, 主题分类, 发文机关, …) from label/value cells, inline lines and national <meta> tags."""

from __future__ import annotations

import re
from functools import lru_cache

import lxml.html
from lxml import etree

from crawler.extract.chinese import normalise_digits, to_simplified
from crawler.extract.document import text_nodes
from crawler.fields import LABELS

META_TAGS = {"ArticleTitle": "标题", "PubDate": "发布日期", "ContentSource": "发文机关"}
SPACES = re.compile(r"[\s\u3000\xa0]+")
COLONS = ":：﹕"
EMPTY_VALUES = {"", "无", "—", "-", "--", "/", "暂无"}
# variants longest first so 信息来源 wins over 来源; spaces allowed between characters (索 引 号)
INLINE_LABEL = re.compile(
    rf"(?<![{chr(0x4e00)}-{chr(0x9fff)}])("
    + "|".join(r"\s*".join(map(re.escape, v)) for v in sorted(LABELS, key=len, reverse=True))
    + rf")\s*[{COLONS}]"
)
VALUE_END = re.compile(r"\s{2,}|[\n【|]")
LEAF_CELLS = etree.XPath("//td[not(.//td or .//th)] | //th[not(.//td or .//th)]")


@lru_cache(maxsize=4096)  # cell texts repeat across a site's pages, and most are no label (an OpenCC call each)
def label_of(text: str) -> str | None:
    """Canonical label if the cell text is a bare label (spaces, colon, Traditional forms allowed)."""
    key = SPACES.sub("", text).rstrip(COLONS)
    if not key or len(key) > 8:
        return None
    return LABELS.get(key) or LABELS.get(to_simplified(key))


def clean_value(text: str | None) -> str | None:
    """Collapse whitespace; empty and placeholder values (无, —) become None."""
    if text is None:
        return None
    value = " ".join(SPACES.split(text.strip()))
    return None if value in EMPTY_VALUES else value


def _cell_text(cell: lxml.html.HtmlElement) -> str:
    """Text of one cell without scripts."""
    return " ".join(text_nodes(cell)).strip()


def from_cells(root: lxml.html.HtmlElement, body: lxml.html.HtmlElement | None) -> dict[str, str | None]:
    """Fields from label/value cells walked in order; a label followed by another label (or nothing) gets None."""
    inside = set(body.iter("td", "th")) if body is not None else set()  # the body itself included
    cells = [c for c in LEAF_CELLS(root) if c not in inside]
    texts = [_cell_text(c) for c in cells]
    labels = [label_of(t) for t in texts]
    fields: dict[str, str | None] = {}
    for i, (text, label) in enumerate(zip(texts, labels, strict=True)):
        if label:
            nxt = i + 1 < len(texts) and labels[i + 1] is None
            fields.setdefault(label, clean_value(texts[i + 1]) if nxt else None)
            continue
        if i > 0 and labels[i - 1]:
            continue  # this cell is the value of the label before it
        m = INLINE_LABEL.match(text)
        if m and len(INLINE_LABEL.findall(text)) == 1:  # label and value in one cell: <td><b>索引号：</b>…</td>
            canonical = label_of(m.group(1))
            if canonical:
                fields.setdefault(canonical, clean_value(text[m.end():]))
    return fields


def outside_text(root: lxml.html.HtmlElement, body: lxml.html.HtmlElement | None) -> str:
    """Page text outside the body container, one line per block or cell."""
    parts: list[str] = []
    blocks = {"div", "p", "tr", "td", "th", "li", "h1", "h2", "h3", "h4", "br", "table", "ul", "dd", "dt"}

    def walk(el: lxml.html.HtmlElement) -> None:
        tag = el.tag
        if el is body or not isinstance(tag, str) or tag in ("script", "style", "noscript", "head"):
            parts.append(el.tail or "")
            return
        parts.append("\n" if tag in blocks else "")
        parts.append(el.text or "")
        for child in el:
            walk(child)
        parts.append("\n" if tag in blocks else "")
        parts.append(el.tail or "")

    walk(root)
    return "".join(parts)


def from_inline(text: str) -> dict[str, str | None]:
    """Fields from inline lines such as `发布时间:2010-01-04 00:00 来源:` (a value ends at the next label)."""
    fields: dict[str, str | None] = {}
    matches = list(INLINE_LABEL.finditer(text))
    for i, m in enumerate(matches):
        nxt = matches[i + 1] if i + 1 < len(matches) else None
        canonical = label_of(m.group(1))
        raw = text[m.end(): nxt.start() if nxt else len(text)]
        cut = VALUE_END.search(raw.lstrip(" \t\xa0\u3000"))
        value = raw.lstrip(" \t\xa0\u3000")[: cut.start() if cut else None]
        if canonical:
            fields.setdefault(canonical, clean_value(value))
    return fields


def meta_contents(root: lxml.html.HtmlElement) -> dict[str, str]:
    """name -> content of the page's first <meta name=… content=…> of each name."""
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        name, content = meta.get("name"), meta.get("content")
        if name is not None and content is not None:
            found.setdefault(name, content)
    return found


def from_meta_tags(root: lxml.html.HtmlElement) -> dict[str, str | None]:
    """Fields from the national template's <meta name=ArticleTitle|PubDate|ContentSource>."""
    fields: dict[str, str | None] = {}
    contents = meta_contents(root)
    for name, canonical in META_TAGS.items():
        found = contents.get(name)
        if found and clean_value(found):
            fields[canonical] = clean_value(to_simplified(found))
    return fields


def page_fields(root: lxml.html.HtmlElement, body: lxml.html.HtmlElement | None) -> dict[str, str | None]:
    """Canonical label -> value shown on the page: cells first, then inline lines for labels not yet seen."""
    fields = from_cells(root, body)
    for label, value in from_inline(outside_text(root, body)).items():
        fields.setdefault(label, value)
    return fields


def extract_metadata(page: dict[str, str | None], tags: dict[str, str | None]) -> dict[str, str | None]:
    """The page's fields (page_fields), then the <meta> tags' (from_meta_tags) for labels not yet seen."""
    return page | {label: value for label, value in tags.items() if label not in page}


SITE_META = {"SiteIDCode": "site_code", "SiteName": "site_name", "ColumnName": "column_name"}
CONFLICT_FIELDS = {"标题": "title", "发布日期": "publish_date", "发文机关": "issuer"}


def site_meta(root: lxml.html.HtmlElement) -> dict[str, str | None]:
    """SiteIDCode, SiteName and ColumnName of the national template's <meta> tags."""
    contents = meta_contents(root)
    return {key: clean_value(to_simplified(contents[name])) if name in contents else None
            for name, key in SITE_META.items()}


def conflicts(page: dict[str, str | None], tags: dict[str, str | None]) -> list[dict]:
    """Fields where the page's cells or lines (page_fields) and the <meta> tags disagree (dates compared as dates)."""
    from crawler.extract.dates import parse_date

    out = []
    for label, value in tags.items():
        shown = page.get(label)
        if label not in CONFLICT_FIELDS or not shown or not value:
            continue
        same = parse_date(shown) == parse_date(value) if label == "发布日期" else SPACES.sub("", shown) == SPACES.sub("", value)
        if not same:
            out.append({"field": CONFLICT_FIELDS[label], "page": normalise_digits(shown), "meta": normalise_digits(value)})
    return out

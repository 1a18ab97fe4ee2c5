"""Metadata fields (索引号, 主题分类, 发文机关, …) from label/value cells, inline lines and national <meta> tags."""

from __future__ import annotations

import re
from functools import lru_cache

import lxml.html

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
# any short word and a colon opening an element: a field's label even when not one of ours (访问量：, 公开方式：)
ANY_LABEL = re.compile(rf"^[{chr(0x4e00)}-{chr(0x9fff)}\s\u3000\xa0]{{2,10}}[{COLONS}]")
VALUE_END = re.compile(r"\s{2,}|[\n【|]")
MAX_LABEL_TEXT = 40  # an element's own text longer than this (spaces included) is no bare label
CELLS = {"td", "th", "dt", "dd"}  # a label alone in one of these has its value in the next one
NOT_LABELS = {"a", "option", "select", "button", "textarea", "script", "style", "noscript", "title"}
SKIP_VALUE = {"script", "style", "noscript"}
MAX_VALUE = 300  # longer "values" are prose that happens to follow a label-like word


@lru_cache(maxsize=4096)  # cell texts repeat across a site's pages, and most are no label (an OpenCC call each)
def label_of(text: str) -> str | None:
    """Canonical label if the text is a bare label (spaces, &nbsp;, U+3000, colon, Traditional forms allowed)."""
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


def starts_with_label(text: str) -> bool:
    """True when text is a label, or opens with `label：`, known or not (访问量：, 公开方式：): another field."""
    text = text.strip()
    return bool(text) and (label_of(text) is not None or ANY_LABEL.match(text) is not None)


def _text(el: lxml.html.HtmlElement) -> str:
    """Text of an element without scripts, styles and comments."""
    return " ".join(text_nodes(el)).strip()


def _squash(text: str) -> str:
    """Text without whitespace and colons, to compare a label with the element around it."""
    return SPACES.sub("", text).strip(COLONS)


def _as_value(text: str) -> str | None:
    """A value as printed after its label: leading colon dropped, cut where another `label：` starts."""
    text = text.strip().lstrip(COLONS + " \u3000\xa0")
    if m := INLINE_LABEL.search(text):
        text = text[: m.start()]
    return clean_value(text)


def _following(node: lxml.html.HtmlElement) -> str:
    """The text after node inside its parent (its tail and later siblings) up to the next label."""
    parts = [node.tail or ""]
    for sibling in node.itersiblings():
        if isinstance(sibling.tag, str) and sibling.tag not in SKIP_VALUE:
            text = _text(sibling)
            if starts_with_label(text):
                break
            parts.append(text)
        parts.append(sibling.tail or "")
    return " ".join(parts)


def _next_cell(cell: lxml.html.HtmlElement) -> str | None:
    """The value in the cell after a label cell; None when it is empty or is itself a label (cells never shift)."""
    sibling = cell.getnext()
    while sibling is not None and not isinstance(sibling.tag, str):  # a comment between the cells
        sibling = sibling.getnext()
    if sibling is None or sibling.tag not in CELLS:
        return None
    text = _text(sibling)
    return None if starts_with_label(text) else clean_value(text)


def value_after(label: lxml.html.HtmlElement, body: lxml.html.HtmlElement | None) -> tuple[bool, str | None]:
    """(is a label, its value) for an element whose text is a label: the rest of the element, else what follows it
    (tail and siblings: `<strong>索引号</strong>：…`, `<label>…</label><div>…</div>`), climbing out of wrappers that
    hold nothing but the label; a label alone in a cell takes the next cell. Outside cells a label needs a colon
    (tabs and menus named 分类 or 名称 are no labels)."""
    own = label.text or ""
    after = (label.tail or "").lstrip()[:1] if not len(label) else ""
    colon = bool(own.rstrip()) and own.rstrip()[-1] in COLONS or (after != "" and after in COLONS)
    rest = " ".join(text_nodes(label)[1:]) if len(label) else ""  # [0] is the label's own text
    if rest.strip(" " + COLONS):
        return colon, _as_value(rest)
    node = label
    while True:
        if node.tag in CELLS:
            return True, _next_cell(node)
        following = _following(node)
        if following.strip(" \n\t\r\xa0\u3000" + COLONS):
            return colon, _as_value(following)
        parent = node.getparent()
        if parent is None or parent is body or parent.tag in ("body", "html") or _squash(_text(parent)) != _squash(own):
            return colon, None
        node = parent


def from_elements(labels: list[lxml.html.HtmlElement], body: lxml.html.HtmlElement | None) -> dict[str, str | None]:
    """Fields from the label elements outside the body (outside_text() finds them), in document order; a field's
    first shown value wins."""
    fields: dict[str, str | None] = {}
    for el in labels:
        label = label_of(el.text.strip())
        is_label, value = value_after(el, body)
        if is_label and (value is None or len(value) <= MAX_VALUE) and fields.get(label) is None:
            fields[label] = value
    return fields


def outside_text(root: lxml.html.HtmlElement, body: lxml.html.HtmlElement | None,
                 labels: list[lxml.html.HtmlElement] | None = None) -> str:
    """Page text outside the body container, one line per block or cell; elements whose own text is a label are
    appended to `labels` (one walk for both: a page is walked once for its metadata)."""
    parts: list[str] = []
    blocks = {"div", "p", "tr", "td", "th", "li", "h1", "h2", "h3", "h4", "br", "table", "ul", "dd", "dt"}
    found = [] if labels is None else labels

    def walk(el: lxml.html.HtmlElement, in_control: bool) -> None:
        tag = el.tag
        if el is body or not isinstance(tag, str) or tag in ("script", "style", "noscript", "head"):
            parts.append(el.tail or "")
            return
        in_control = in_control or tag in NOT_LABELS
        parts.append("\n" if tag in blocks else "")
        text = el.text
        if text:
            parts.append(text)
            if not in_control and len(text) < MAX_LABEL_TEXT and label_of(text.strip()):
                found.append(el)
        for child in el:
            walk(child, in_control)
        parts.append("\n" if tag in blocks else "")
        parts.append(el.tail or "")

    walk(root, False)
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
        if canonical and fields.get(canonical) is None:
            fields[canonical] = clean_value(value)
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
    """Canonical label -> value shown on the page: label elements first, then inline lines for labels not yet seen."""
    labels: list[lxml.html.HtmlElement] = []
    text = outside_text(root, body, labels)
    fields = from_elements(labels, body)
    for label, value in from_inline(text).items():
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

"""Loading a page: bytes to text (charset from BOM or <meta>), sanity checks, lxml tree, script normalisation."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

import lxml.html
from lxml import etree

from crawler.errors import XxgkError
from crawler.extract.chinese import (
    is_pinyin_annotated,
    is_traditional,
    strip_pinyin,
    to_simplified,
)


class ExtractionError(XxgkError):
    """The input cannot be extracted (not an HTML page, unreadable file)."""


BINARY_MAGIC = {b"%PDF": "a PDF file", b"PK\x03\x04": "a ZIP/DOCX/XLSX file",
                b"\xd0\xcf\x11\xe0": "an OLE (DOC/XLS) file",
                b"\x89PNG": "a PNG image", b"GIF8": "a GIF image", b"\xff\xd8\xff": "a JPEG image",
                b"\x1f\x8b": "gzip data", b"Rar!": "a RAR archive", b"WARC/": "a WARC file"}
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
GB_FAMILY = {"gb2312", "gbk", "gb18030", "gb_2312-80", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}
HTML_TAG = re.compile(r"<\s*(?:!doctype|html|head|body|div|p|table|meta|title|span|td|h1)\b", re.IGNORECASE)
XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
SKIP_TAGS = {"script", "style", "noscript"}
SCRIPT_TAGS = {"script", "style"}
# lxml.html's parser with a lookup done in C: lxml.html's own calls a Python method for every element proxy
# made, a fifth of the time on a page; the form/input/label classes it would pick are not used here.
PARSER = etree.HTMLParser()
PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity))


def declared_charset(data: bytes) -> str | None:
    """Charset declared in a <meta> near the top of the page, GB2312/GBK mapped to GB18030 (a superset)."""
    m = META_CHARSET.search(data[:8192])
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    if name in GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes) -> str:
    """Decode page bytes: BOM, then the declared charset, then UTF-8, then GB18030."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace").lstrip("\ufeff")
    for magic, what in BINARY_MAGIC.items():
        if data.startswith(magic):
            raise ExtractionError(f"not an HTML page: looks like {what}")
    if b"\x00" in data[:2048]:
        raise ExtractionError("not an HTML page: binary data")
    declared = declared_charset(data)
    # a GB page often declares utf-8 and vice versa: strict UTF-8 rarely succeeds on GBK bytes, so try it first
    candidates = ["utf-8", "gb18030"] if declared in (None, "utf-8", "gb18030") else [declared, "utf-8", "gb18030"]
    for codec in candidates:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode("gb18030", errors="replace")


def load(html: str | bytes) -> str:
    """Page text from str or bytes; raises ExtractionError for anything that is not an HTML page."""
    if isinstance(html, (bytes, bytearray)):
        html = decode(bytes(html))
    if not isinstance(html, str):
        raise ExtractionError(f"expected str or bytes, got {type(html).__name__}")
    if not html.strip():
        raise ExtractionError("not an HTML page: empty input")
    if "\x00" in html[:2048]:
        raise ExtractionError("not an HTML page: binary data")
    if not HTML_TAG.search(html[:20000]):
        raise ExtractionError("not an HTML page: no HTML tags found")
    return XML_DECL.sub("", html, count=1)


def parse(text: str) -> lxml.html.HtmlElement:
    """lxml tree of a page."""
    try:
        return lxml.html.document_fromstring(text, parser=PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"not an HTML page: {exc}") from exc


def text_nodes(el: lxml.html.HtmlElement, out: list[str] | None = None) -> list[str]:
    """Text nodes under el in document order, outside scripts and styles (`.//text()` without them, walked faster)."""
    # a list, not text_holders()'s generator: on whole pages that costs 40 % more
    out = [] if out is None else out
    if text := el.text:  # each read of .text, .tail or .tag builds a new str: read once
        out.append(text)
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and tag not in SCRIPT_TAGS:
            if len(child):
                text_nodes(child, out)
            elif text := child.text:  # a leaf (most cells' <p>) without the cost of a call
                out.append(text)
        if tail := child.tail:
            out.append(tail)
    return out


def text_holders(el: lxml.html.HtmlElement) -> Iterator[tuple[str, lxml.html.HtmlElement]]:
    """text_nodes() lazily, each with the element it is the text or tail of, for searches that stop early."""
    if text := el.text:
        yield text, el
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and tag not in SCRIPT_TAGS:
            yield from text_holders(child)
        if tail := child.tail:
            yield tail, child


def script_holders(el: lxml.html.HtmlElement) -> set[lxml.html.HtmlElement]:
    """Elements with a script or style somewhere below them (only their text needs walking)."""
    return {holder for script in el.iter(*SCRIPT_TAGS) for holder in script.iterancestors()}


def joined_text(el: lxml.html.HtmlElement, holders: set[lxml.html.HtmlElement] | None = None) -> str:
    """`"".join(text_nodes(el))`, serialised by lxml in C (4 times faster) below elements without scripts."""
    holders = script_holders(el) if holders is None else holders
    if el not in holders:
        return etree.tostring(el, method="text", encoding=str, with_tail=False)
    parts = [el.text or ""]
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and tag not in SCRIPT_TAGS:
            parts.append(joined_text(child, holders))
        parts.append(child.tail or "")
    return "".join(parts)


def visible_text(root: lxml.html.HtmlElement) -> str:
    """All text outside scripts and styles (for script detection)."""
    return joined_text(root)


_last_page: tuple[str | bytes, str, lxml.html.HtmlElement] | None = None


def page_tree(html: str | bytes) -> tuple[str, lxml.html.HtmlElement]:
    """Page text and its normalised tree; the last page's are kept, so its fields and its tables share one parse."""
    global _last_page
    last = _last_page
    if last is not None and last[0] == html:
        return last[1], last[2]
    text = load(html)
    root = parse(text)
    normalise_tree(root)
    _last_page = (bytes(html) if isinstance(html, bytearray) else html, text, root)
    return text, root


def normalise_tree(root: lxml.html.HtmlElement) -> None:
    """Strip toolbar pinyin and convert Traditional to Simplified in every text node, when the page needs it."""
    sample = visible_text(root)
    pinyin = is_pinyin_annotated(sample)
    traditional = is_traditional(strip_pinyin(sample) if pinyin else sample)
    if not (pinyin or traditional):
        return

    def fix(text: str | None) -> str | None:
        if not text:
            return text
        text = strip_pinyin(text) if pinyin else text
        return to_simplified(text) if traditional else text

    for el in root.iter():
        if isinstance(el.tag, str) and el.tag not in SKIP_TAGS:
            el.text = fix(el.text)
        el.tail = fix(el.tail)

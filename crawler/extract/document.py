"""Loading a page: bytes to text (by what the bytes are, whatever the page declares), sanity checks, lxml tree
(parsed as browsers place content), script normalisation."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import NamedTuple

import lxml.html
from lxml import etree
from w3lib.encoding import html_body_declared_encoding, read_bom

from crawler.errors import XxgkError
from crawler.extract.chinese import (
    is_pinyin_annotated,
    is_traditional,
    strip_pinyin,
    to_simplified,
)
from crawler.limits import TooLarge, check_page


class ExtractionError(XxgkError):
    """The input cannot be extracted (not an HTML page, unreadable file)."""


BINARY_MAGIC = {b"%PDF": "a PDF file", b"PK\x03\x04": "a ZIP/DOCX/XLSX file",
                b"\xd0\xcf\x11\xe0": "an OLE (DOC/XLS) file",
                b"\x89PNG": "a PNG image", b"GIF8": "a GIF image", b"\xff\xd8\xff": "a JPEG image",
                b"\x1f\x8b": "gzip data", b"Rar!": "a RAR archive", b"WARC/": "a WARC file"}
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
    """Charset a page declares in its first 4 KiB (<meta>, XML declaration), read as Scrapy's responses read it."""
    return charset_name(html_body_declared_encoding(data))


def charset_name(name: str | None) -> str | None:
    """Python's name for a declared charset (the GB family as GB18030, its superset); None if unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


class Decoded(NamedTuple):
    """A page's text, the charset its bytes are in, and what was wrong with its declaration (None, or a fault
    kind of crawler/faults.py: charset_mismatch, no_charset)."""

    text: str
    encoding: str
    fault: str | None


SINGLE_BYTE = {"latin_1", "iso8859-1", "cp1252", "ascii", "iso8859-15"}
# GB2312's symbols (lead bytes A1-A9) and level-1 hanzi (B0-D7): the characters Chinese text is mostly made of
COMMON_LEADS = set(range(0xA1, 0xAA)) | set(range(0xB0, 0xD8))


def decode_page(data: bytes, header: str | None = None) -> Decoded:
    """Decode page bytes by what they are: a BOM, else the first strict decoding of UTF-8, the declared charsets
    (HTTP header, then <meta>) and GB18030, in that order. Strict UTF-8 almost never succeeds on GBK bytes, while
    GB18030 often does on UTF-8 bytes, so UTF-8 goes first; when a GB charset is declared and UTF-8 decodes too,
    the text made of commoner characters wins."""
    codec, bom = read_bom(data)
    if codec:
        return Decoded(data[len(bom):].decode(codec, errors="replace"), codec, None)
    declared = [name for name in dict.fromkeys((charset_name(header), declared_charset(data))) if name]
    multibyte = [name for name in declared if name not in SINGLE_BYTE and name != "utf-8"]
    order = list(dict.fromkeys(["utf-8", *multibyte, "gb18030", *declared]))
    for codec in order:
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        codec = _tie_break(data, text, codec, multibyte)
        return Decoded(data.decode(codec) if codec != "utf-8" else text, codec, _fault(data, codec, declared))
    best = min(order, key=lambda codec: _replacements(data, codec))
    return Decoded(data.decode(best, errors="replace"), best, _fault(data, best, declared))


def _tie_break(data: bytes, text: str, codec: str, multibyte: list[str]) -> str:
    """UTF-8 decoded, but a GB charset is declared and decodes too: the reading of commoner characters."""
    if codec != "utf-8" or not multibyte:
        return codec
    try:
        other = data.decode(multibyte[0])
    except UnicodeDecodeError:
        return codec
    return multibyte[0] if _rarity(other) < _rarity(text) else codec


def _rarity(text: str) -> float:
    """The share of non-ASCII characters that are neither CJK punctuation, full-width forms nor GB2312's common
    symbols and level-1 hanzi (mojibake is made of rare characters)."""
    wide = [c for c in text if ord(c) > 127]
    if not wide:
        return 0.0
    return sum(not _common(c) for c in wide) / len(wide)


def _common(char: str) -> bool:
    if "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef":
        return True
    try:
        return char.encode("gb2312")[0] in COMMON_LEADS
    except UnicodeEncodeError:
        return False


def _replacements(data: bytes, codec: str) -> int:
    try:
        return data.decode(codec, errors="replace").count("\ufffd")
    except LookupError:
        return len(data)


def _fault(data: bytes, codec: str, declared: list[str]) -> str | None:
    """charset_mismatch when the bytes are not in the first declared charset, no_charset when none is declared
    (pages of plain ASCII are neither)."""
    if data.isascii():
        return None
    if not declared:
        return "no_charset"
    return None if codec == declared[0] else "charset_mismatch"


def decode(data: bytes, header: str | None = None) -> str:
    """Decode page bytes by what they are (decode_page); ExtractionError for binary data."""
    for magic, what in BINARY_MAGIC.items():
        if data.startswith(magic):
            raise ExtractionError(f"not an HTML page: looks like {what}")
    if b"\x00" in data[:2048] and not read_bom(data)[0]:
        raise ExtractionError("not an HTML page: binary data")
    return decode_page(data, header).text


def load(html: str | bytes) -> str:
    """Page text from str or bytes, without </body> and </html> end tags (browsers ignore them for where content
    goes: a stray one must not end the page for lxml or trafilatura); ExtractionError for anything that is not an
    HTML page, or too large."""
    try:
        check_page(len(html))
    except TooLarge as exc:
        raise ExtractionError(str(exc)) from None
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
    return END_TAGS.sub("", XML_DECL.sub("", html, count=1))


def parse(text: str) -> lxml.html.HtmlElement:
    """lxml tree of a page (loaded: its end tags gone); ExtractionError if the parser lost most of its text."""
    try:
        root = lxml.html.document_fromstring(text, parser=PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"not an HTML page: {exc}") from exc
    check_text_kept(text, root)
    return root


# libxml2 2.14 (lxml's wheels) drops everything after </html>, and a </html> in the head drops the body; HTML5
# parsing ignores both end tags for where content goes ("after body" mode), so without them lxml builds the tree
# a browser builds
END_TAGS = re.compile(r"</\s*(?:body|html)\s*>", re.IGNORECASE)
SOURCE_NOISE = re.compile(r"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^>]*>", re.S | re.I)
CJK = re.compile(r"[\u3400-\u9fff]")
MIN_CHECKED_TEXT = 40  # CJK characters in the source below which a page is too short to judge


def source_text(html: str) -> str:
    """The text of page source outside tags, scripts, styles and comments, whitespace removed (no parser)."""
    return "".join(SOURCE_NOISE.sub(" ", html).split())


def check_text_kept(html: str, root: lxml.html.HtmlElement) -> None:
    """ExtractionError when the tree holds less than half the Chinese text of the source: a page the parser
    mangled must be an extraction error, never a silently empty text."""
    source = len(CJK.findall(source_text(html)))
    if source < MIN_CHECKED_TEXT:
        return
    kept = len(CJK.findall(joined_text(root)))
    if kept * 2 < source:
        raise ExtractionError(f"no text extracted: the parser kept {kept} of the page's {source} Chinese characters")


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

"""Body text: the family's container walked directly (tables as ` | `-joined rows), trafilatura for unknown layouts."""

from __future__ import annotations

import re

import lxml.html

from crawler.extract.document import joined_text, script_holders
from crawler.extract.metadata import COLONS, label_of

BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "blockquote",
              "center", "dd", "dt", "dl", "pre", "form", "header", "footer", "tr"}
SKIP_TAGS = {"script", "style", "noscript", "select", "button", "input", "textarea", "iframe", "rt", "rp"}
BOILERPLATE = re.compile(
    r"^(?:当前位置|您的位置|您现在的位置|所在位置|【\s*字体|字体\s*[:：]\s*[【\[]?大|扫一扫|\[?\s*打印本页|【?\s*打印\s*】?$"
    r"|【?\s*关闭(?:窗口|本页)|分享到\s*[:：]?|责任编辑\s*[:：]|点击数\s*[:：]|浏览次数\s*[:：]|访问量\s*[:：]|登录\s*注册$"
    r"|上一篇|下一篇|相关附件\s*[:：]?$|用手机扫描二维码|手机扫描二维码|微信扫一扫)"
)
# page tools (share, QR code, print, close, font size, downloads): a line made of nothing else is dropped, and a run of
# them in brackets at the end of a line cut off
WIDGET_WORDS = (r"分享到|分享|扫一扫|二维码|在手机(?:上)?打开(?:当前页|本页)?|打印本页|打印|关闭窗口|关闭本页|关闭|收藏本页|加入收藏|收藏"
                r"|返回顶部|返回|(?:字体|字号)\s*[:：]?(?:\s*[【\[]?\s*(?:大|中|小|默认)\s*[】\]]?)*|(?:pdf|word|doc|wps)\s*下载|下载\s*(?:pdf|word|doc|wps)|微信|微博|QQ空间|QQ"
                r"|朋友圈|人人网|豆瓣|复制链接|(?:繁体|简体|无障碍|长者模式|语音播报|读屏)版?")
WIDGET_LINE = re.compile(rf"^(?:\s*(?:{WIDGET_WORDS})\s*[:：|｜/\[\]【】()（）·•>、,，-]*)+$", re.IGNORECASE)
WIDGET_TAIL = re.compile(rf"(?:\s*[【\[]\s*(?:{WIDGET_WORDS})(?:\s*[:：]?\s*(?:{WIDGET_WORDS}))*\s*[】\]])+\s*$",
                         re.IGNORECASE)
MAX_TOOL_LINE = 80  # a line of page tools is short; longer lines are not tried
TOOL_CHARS = re.compile(r"[分扫码打关收返字载微朋复繁简障长语读Qq]")  # one of them is in every tool's name
# a tool's element inside the body container, by its class or id token (bdshare, jiathis, share-box, qrcode, print…)
WIDGET_NAME = re.compile(r"(?:^|[\s_-])(?:bdshare|bdsharebuttonbox|jiathis|share|sharebox|fenxiang|qrcode|qr|erweima|ewm|print"
                         r"|fontsize|font-size|zoomtool|toolbar|article-icon)(?:$|[\s_-])", re.IGNORECASE)


def _cell_text(cell: lxml.html.HtmlElement, holders: set[lxml.html.HtmlElement]) -> str:
    """Whitespace-collapsed text of one table cell (holders: its table's script_holders())."""
    return " ".join(joined_text(cell, holders).split())


def table_lines(table: lxml.html.HtmlElement) -> list[str]:
    """One ` | `-joined line per row (trailing empty cells dropped, empty rows skipped)."""
    lines = []
    holders = script_holders(table)
    for row in table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr"):
        cells = [_cell_text(c, holders) for c in row if c.tag in ("td", "th")]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            lines.append(" | ".join(cells))
    return lines


def is_widget(el: lxml.html.HtmlElement) -> bool:
    """True for a page tool's element (share buttons, QR code, print and font-size tools) by its class or id."""
    names = (el.get("class") or "") + " " + (el.get("id") or "")
    return names != " " and bool(WIDGET_NAME.search(names))


def _walk(el: lxml.html.HtmlElement, parts: list[str]) -> None:
    """Append el's text to parts, with newlines around blocks and table rows as lines (page tools left out)."""
    tag = el.tag
    if not isinstance(tag, str) or not tag or tag in SKIP_TAGS or is_widget(el):
        parts.append(el.tail or "")
        return
    if tag == "table":
        parts.append("\n" + "\n".join(table_lines(el)) + "\n")
    elif tag == "br":
        parts.append("\n")
    else:
        block = tag in BLOCK_TAGS
        parts.append(("\n" if block else "") + (el.text or ""))
        for child in el:
            _walk(child, parts)
        parts.append("\n" if block else "")
    parts.append(el.tail or "")


def clean_lines(text: str) -> str:
    """Collapse whitespace per line, drop empty, boilerplate and page-tool lines, cut tools off the end of a line."""
    kept = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if line and line[-1] in "】]":  # 【打印本页】【关闭窗口】 after the last sentence
            line = WIDGET_TAIL.sub("", line)
        if not line or BOILERPLATE.match(line):
            continue
        if len(line) <= MAX_TOOL_LINE and TOOL_CHARS.search(line) and WIDGET_LINE.match(line):
            continue
        kept.append(line)
    return "\n".join(kept)


def container_text(container: lxml.html.HtmlElement) -> str:
    """Text of a known family's body container."""
    parts = [container.text or ""]
    for child in container:
        _walk(child, parts)
    return clean_lines("".join(parts))


def is_metadata_row(cells: list[str]) -> bool:
    """True for a table row of the page's metadata header (`报送单位： | 市财政局 | 主题分类： |`): it opens with a
    field's label printed with its colon, or holds two labels; a data table whose first column is headed 名称 or
    来源 alone is text."""
    if len(cells) < 2 or label_of(cells[0]) is None:
        return False
    return cells[0].rstrip()[-1:] in COLONS or sum(label_of(c) is not None for c in cells) >= 2


def fallback_text(html: str) -> str:
    """Main text of an unknown layout via trafilatura (tables kept, rows as ` | ` lines); the metadata header's rows,
    which trafilatura keeps as content when the body is empty or small, are left out (they are fields, not text)."""
    import trafilatura  # only needed for unknown layouts

    text = trafilatura.extract(html, include_tables=True, include_comments=False, favor_recall=True) or ""
    rows = []
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            line = " | ".join(cells)
            if set(line) <= set("-| ") or is_metadata_row(cells):
                continue
        rows.append(line)
    return clean_lines("\n".join(rows))

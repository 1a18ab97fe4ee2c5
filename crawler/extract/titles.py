"""A document's title: its 标题 label, else its own heading, else <meta ArticleTitle>, else <title> without the site."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from crawler.extract.families import family_title
from crawler.extract.report import is_report_title
from crawler.families import Family

# what portals put between the document's and the site's names in <title>: ` - `, `_`, `|`, `——`, ` — `, `－`
SEPARATOR = re.compile(r"\s+[-–—]\s+|\s*(?:_+|\||｜|——|－|—{2,}|--)\s*")
TRAILING_DASH = re.compile(r"\s*[-–—]\s*(?=[^-–—]*$)")
# a part naming the site rather than the document: the government, its portal, its disclosure platform
SITE_LIKE = re.compile(r"(?:人民政府|政府|政府网|人民政府网|门户网站?|网站|政务网|政务服务网|信息公开网|信息公开平台|政府信息公开"
                       r"|信息公开|政务公开|公众信息网|首页)$|^中国\S{2,4}$")
HEADINGS = etree.XPath("//ucaptitle | //h1 | //h2 | //h3 | //*[contains(@class, 'title')][not(self::body)]")
TITLE_LIKE = re.compile(r"(?:报告|年报|信息公开情况统计表)\s*$")
NOT_TITLE = re.compile(r"当前位置|您的位置|[|>»。]")
MAX_TITLE = 150


def squash(text: str | None) -> str:
    """Text without any whitespace, for comparing titles printed in different places."""
    return "".join((text or "").split())


def title_tag(root: lxml.html.HtmlElement) -> str | None:
    """The <title> text, whitespace collapsed."""
    found = root.find(".//title")
    text = " ".join(found.text_content().split()) if found is not None else ""
    return text or None


def site_like(part: str, names: tuple[str | None, ...]) -> bool:
    """True when a <title> part names the site (its SiteName/ColumnName <meta>, or a portal's usual name)."""
    return squash(part) in {squash(n) for n in names if n} or bool(SITE_LIKE.search(squash(part)))


def document_parts(tag: str | None, names: tuple[str | None, ...] = ()) -> list[str]:
    """The parts of a <title> that are not the site's name, in order (the site may come first or last)."""
    parts = []
    for part in SEPARATOR.split(tag or ""):
        part = part.strip()
        if part and TRAILING_DASH.search(part):  # `标题-某县人民政府`: a dash without spaces before the site
            head, _, tail = part.rpartition(TRAILING_DASH.search(part).group())
            part = head if site_like(tail, names) else part
        if part and not site_like(part, names):
            parts.append(part)
    return parts


def heading(root: lxml.html.HtmlElement, agrees_with: list[str | None], site_names: tuple[str | None, ...] = ()
            ) -> str | None:
    """A heading that a <title> part or ArticleTitle names (never one naming the site, as a logo's <h1> does)."""
    wanted = [squash(t) for t in agrees_with if t]
    for el in HEADINGS(root):
        text = " ".join(el.text_content().split())
        key = squash(text)
        if (4 <= len(text) <= MAX_TITLE and not site_like(text, site_names)
                and any(key == w or (len(key) >= 8 and key in w) for w in wanted)):
            return text
    return None


def guess_title(text: str | None) -> str | None:
    """The report's title in flattened text: an early line that names an annual report or its statistics table (a
    spreadsheet's heading), or ends in 报告/年报."""
    lines = [ln.strip().removesuffix("|").strip() for ln in (text or "").splitlines() if ln.strip().strip("|").strip()]
    for line in lines[:30]:
        if len(line) <= 80 and not NOT_TITLE.search(line) and (TITLE_LIKE.search(line) or is_report_title(line)):
            return line
    return None


def page_title(root: lxml.html.HtmlElement, family: Family | None, shown: str | None, article_title: str | None,
               site_names: tuple[str | None, ...], text: str | None) -> str | None:
    """The 标题 the page shows, else its heading (its family's title element, or one its <title> names), else <meta ArticleTitle>, else its <title> without the site name,
    else (a page fragment, a <title> that is only the site) the report title its text opens with."""
    if shown:
        return shown
    own = family_title(root, family)
    if own and not site_like(own, site_names):  # a family's title element can be the logo's <h1>
        return own
    parts = document_parts(title_tag(root), site_names)
    found = heading(root, [*parts, article_title], site_names)
    return found or article_title or (parts[0] if parts else guess_title(text))

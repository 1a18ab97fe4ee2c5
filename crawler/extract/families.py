"""Where a report page's title and body live, by the CMS family its markup shows (crawler/families.py)."""

from __future__ import annotations

from functools import cache

import lxml.html
from lxml import etree

from crawler.families import FAMILIES, Family

BODY_FAMILIES = tuple(family for family in FAMILIES.values() if family.body)


@cache
def xpath(expression: str) -> etree.XPath:
    """The expression compiled once (detect() tries every family's on every page)."""
    return etree.XPath(expression)


def detect(root: lxml.html.HtmlElement) -> tuple[Family | None, lxml.html.HtmlElement | None]:
    """The page's family and its (outermost) body container, or (None, None)."""
    for family in BODY_FAMILIES:
        found = xpath(family.body)(root)
        if found:
            return family, found[0]
    return None, None


def family_title(root: lxml.html.HtmlElement, family: Family | None) -> str | None:
    """Title text from the family's title element."""
    if family is None:
        return None
    found = xpath(family.title)(root)
    text = " ".join(found[0].text_content().split()) if found else ""
    return text or None

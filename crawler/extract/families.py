"""CMS families: how to recognise each one and where its title and body live."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import lxml.html
from lxml import etree


def has_class(name: str) -> str:
    """XPath predicate: element has this class."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


@dataclass(frozen=True)
class Family:
    """One CMS family: its body container and title element, as XPath."""

    name: str
    body: str
    title: str


FAMILIES = (
    Family("panjin", f"//div[{has_class('article-content')}]", f"//div[{has_class('article-content')}]/h1"),
    Family("anhui", f"//div[{has_class('wzcon')}]", f"//h1[{has_class('newstitle')}]"),
    Family("trs", f"//div[{has_class('TRS_Editor')}]", f"//div[{has_class('title')}]"),
    Family("ucap", "//*[@id='UCAP-CONTENT']", "//h1"),
    Family("hanweb", "//div[@id='zoom']", f"//td[{has_class('title')}]"),
)


@cache
def xpath(expression: str) -> etree.XPath:
    """The expression compiled once (detect() tries every family's on every page)."""
    return etree.XPath(expression)


def detect(root: lxml.html.HtmlElement) -> tuple[Family | None, lxml.html.HtmlElement | None]:
    """The page's family and its (outermost) body container, or (None, None)."""
    for family in FAMILIES:
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

"""CMS-family spiders: how each platform delivers its column lists."""

from __future__ import annotations

from importlib import import_module

from spiders.base import ColumnSpider

FAMILIES = {
    "panjin": "spiders.families.panjin:PanjinCmsSpider",
    "anhui": "spiders.families.anhui:AnhuiPlatformSpider",
    "trs": "spiders.families.trs:TrsSpider",
    "hanweb": "spiders.families.hanweb:HanwebJcmsSpider",
}


def family_spider(family: str) -> type[ColumnSpider]:
    """The spider class for a CMS family named in the registry."""
    try:
        module, _, attr = FAMILIES[family].partition(":")
    except KeyError:
        raise ValueError(f"unknown CMS family {family!r}; known: {', '.join(sorted(FAMILIES))}") from None
    return getattr(import_module(module), attr)

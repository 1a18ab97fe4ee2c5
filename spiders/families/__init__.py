"""CMS-family spiders: how each platform delivers its column lists."""

from __future__ import annotations

from importlib import import_module

from spiders.base import ColumnSpider

FAMILIES = {
    "panjin": "spiders.families.panjin:PanjinCmsSpider",
    "anhui": "spiders.families.anhui:AnhuiPlatformSpider",
    "trs": "spiders.families.trs:TrsSpider",
    "hanweb": "spiders.families.hanweb:HanwebJcmsSpider",
    "hanweb_xxgk": "spiders.families.hanweb_xxgk:HanwebXxgkSpider",
    "gkmlpt": "spiders.families.gkmlpt:GkmlptSpider",
    "openness": "spiders.families.openness:OpennessSpider",
    "vsb": "spiders.families.vsb:VsbSpider",
    "ucap": "spiders.families.ucap:UcapSpider",
    "generic": "spiders.generic:GenericSpider",
}
GENERIC = ("", "generic")  # registry entries of no known family get the generic spider


def family_spider(family: str) -> type[ColumnSpider]:
    """The spider class for a CMS family named in the registry ("" or "generic": the heuristic spider)."""
    try:
        module, _, attr = FAMILIES["generic" if family in GENERIC else family].partition(":")
    except KeyError:
        raise ValueError(f"unknown CMS family {family!r}; known: {', '.join(sorted(FAMILIES))}") from None
    return getattr(import_module(module), attr)

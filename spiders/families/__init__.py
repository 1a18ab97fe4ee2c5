"""CMS-family spiders: how each platform delivers its column lists (the families are defined in crawler/families.py)."""

from __future__ import annotations

from importlib import import_module

from crawler.families import family
from spiders.base import ColumnSpider


def family_spider(name: str) -> type[ColumnSpider]:
    """The spider class for a CMS family named in the registry ("" or "generic": the heuristic spider)."""
    module, _, attr = family(name).spider.partition(":")
    return getattr(import_module(module), attr)

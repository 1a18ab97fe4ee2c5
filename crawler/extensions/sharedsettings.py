"""One copy of what every crawl of a process has in its settings.

Scrapy gives each crawler a deep copy of the project's settings: ~350 attributes, ~100 KB. A worker crawling 500
sites at once held 175,000 of them, ~50 MB (tracemalloc, bench/scale.py). Once a crawler's settings are frozen
nobody sets them again, so an attribute equal in every crawl (same name, value and priority, the value immutable)
can be one object, and a component table (DOWNLOADER_MIDDLEWARES…) equal in every crawl one frozen table.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakValueDictionary

from scrapy import signals
from scrapy.settings import BaseSettings, SettingsAttribute

IMMUTABLE = (str, int, float, bool, bytes, type(None))

# (name, the value's type and value, priority) -> the one attribute, while a crawl still has it (a worker that
# runs for months crawls each site's JOBDIR, delay… again and again: they go with its last crawl)
_shared: WeakValueDictionary[tuple, SettingsAttribute] = WeakValueDictionary()


def share(settings: BaseSettings) -> None:
    """Replace each attribute of frozen `settings` by an equal one already kept (or keep it)."""
    assert settings.frozen, "only frozen settings can share their attributes"
    for name, attribute in settings.attributes.items():
        key = sharing_key(name, attribute)
        if key is not None:
            settings.attributes[name] = _shared.setdefault(key, attribute)


def sharing_key(name: str, attribute: SettingsAttribute) -> tuple | None:
    """What makes two attributes interchangeable, or None for a value some component might change in place."""
    value = attribute.value
    if type(value) in IMMUTABLE:
        return name, type(value), value, attribute.priority
    if isinstance(value, BaseSettings):
        table = tuple(sorted((key, scalar(inner)) for key, inner in value.attributes.items()))
        if all(entry[1] is not None for entry in table):
            value.freeze()  # components are built: a change now is a bug, and it raises
            return name, BaseSettings, table, attribute.priority
    return None


def scalar(attribute: SettingsAttribute) -> tuple[type, Any, int] | None:
    value = attribute.value
    return (type(value), value, attribute.priority) if type(value) in IMMUTABLE else None


class SharedSettings:
    """Extension: once the engine starts (the crawler's settings frozen, its components built), share them."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        return extension

    def engine_started(self) -> None:
        share(self.crawler.settings)

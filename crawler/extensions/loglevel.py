"""The root logger's level matched to its handlers each time a crawler has installed Scrapy's (crawler/console.py)."""

from __future__ import annotations

from scrapy import signals

from crawler.console import match_root_level


class RootLogLevel:
    """Extension: once the engine starts (after Scrapy has set the root logger to NOTSET), match it to the handlers."""

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls()
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        return extension

    def engine_started(self) -> None:
        match_root_level()

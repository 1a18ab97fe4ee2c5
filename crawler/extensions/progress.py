"""Live crawl progress on a terminal, for `xxgk crawl` and `scrapy crawl` alike: per site, list pages, reports,
files, errors, queued requests and pages/s (crawler/progress.py draws it). Off when stderr is not a terminal,
or with XXGK_PROGRESS = False."""

from __future__ import annotations

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler import progress


class CrawlProgress:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.board: progress.Board | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("XXGK_PROGRESS", True) or not progress.on_terminal():
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider) -> None:
        self.board = progress.board()
        self.board.add(spider.name, self.crawler.stats.get_stats)

    def spider_closed(self, spider) -> None:
        if self.board is not None:
            self.board.finish(spider.name)

"""`scrapy crawl SITE`, as `xxgk crawl SITE` runs it: the crawl summary at the end, exit status 1 unless `ok`."""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from crawler.extensions.summary import crawl_summary, format_table


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            super().run(args, opts)  # Scrapy's own usage errors
            return
        assert self.crawler_process
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        summary = crawl_summary(crawler)
        if summary is not None:
            print("\n" + format_table([summary]))
        if self.crawler_process.bootstrap_failed or summary is None or summary["status"] != "ok":
            self.exitcode = 1

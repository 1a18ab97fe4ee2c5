"""`scrapy crawl SITE`, as `xxgk crawl SITE` runs it: the crawl summary at the end, the same exit status."""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from crawler.commands.runner import skip_quietly
from crawler.extensions.summary import crawl_summary, exit_status, format_table


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            super().run(args, opts)  # Scrapy's own usage errors
            return
        assert self.crawler_process
        crawler = self._create_crawler(args[0])
        skip_quietly(self.crawler_process.crawl(crawler, **opts.spargs), args[0])
        self.crawler_process.start()
        summary = crawl_summary(crawler)
        if summary is not None:
            print("\n" + format_table([summary]))
        skipped = summary is not None and summary["status"] == "skipped"  # a crawl that did not begin, on purpose
        if summary is None or (self.crawler_process.bootstrap_failed and not skipped):
            self.exitcode = 1
        else:
            self.exitcode = exit_status([summary])

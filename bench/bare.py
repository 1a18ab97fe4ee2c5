"""The anchor: bare Scrapy following the same links as xxgk (list pages, report pages, attachments), no pipeline.

    python -m bench.bare --out stats.json --concurrency 16 URL…
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

import scrapy
from scrapy.crawler import CrawlerProcess

# list pages, report pages and every file xxgk fetches (spiders/base.py ATTACHMENT_RE), so both crawl the same URLs
FOLLOW = re.compile(r"(?:/t\d{8}_\d+\.html|/content-\d+\.html|/zfxxgknb\d{4}/index(?:_\d+)?\.html"
                    r"|\.(?:pdf|docx?|xlsx?|wps|et|ofd|zip|rar|7z|txt|csv))$")
CREATE_PAGE = re.compile(r"""createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*["'](\w+)["']\s*,\s*["'](\w+)["']\s*\)""")
NEXT = "//a[normalize-space()='下一页']/@href"


class BareSpider(scrapy.Spider):
    """Follow list pagers, report links and attachments; count what comes back."""

    name = "bare"

    def __init__(self, urls: list[str], **kwargs):
        super().__init__(**kwargs)
        self.start_urls = urls

    def parse(self, response):
        if not isinstance(response, scrapy.http.TextResponse):
            return
        links = [href for href in response.css("a::attr(href)").getall() if FOLLOW.search(href)]
        pager = CREATE_PAGE.search(response.text)
        if pager and int(pager.group(2)) + 1 < int(pager.group(1)):
            links.append(f"{pager.group(3)}_{int(pager.group(2)) + 1}.{pager.group(4)}")
        links.extend(response.xpath(NEXT).getall())
        for href in links:
            yield response.follow(href, callback=self.parse)


def run(urls: list[str], concurrency: int) -> dict:
    """Crawl from `urls`; return Scrapy's counts. XXGK_BARE_SETTINGS (JSON) adds settings, for the comparison of
    bare Scrapy given xxgk's process-level tuning (`gc`: crawler/extensions/gctune.py's threshold; CONCURRENT_ITEMS…)."""
    extra = json.loads(os.environ.get("XXGK_BARE_SETTINGS") or "{}")
    settings = {
        "CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency, "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False, "ROBOTSTXT_OBEY": True, "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    }
    if "gc" in extra:  # crawler/extensions/gctune.py: freeze the start-up heap; a gen-0 threshold if above 700
        settings.setdefault("EXTENSIONS", {})["crawler.extensions.gctune.GcTuning"] = 0
        settings["XXGK_GC_THRESHOLD"] = int(extra.pop("gc"))
    if extra.pop("quiet", None):  # what xxgk leaves out: Scrapy's remote control and telnet extensions
        settings.setdefault("EXTENSIONS", {}).update({"scrapy.extensions.remote_control.RemoteControl": None,
                                                      "scrapy.extensions.telnet.TelnetConsole": None})
        settings["REMOTE_CONTROL_ENABLED"] = False
    process = CrawlerProcess({**settings, **extra})
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, urls=urls)
    process.start()
    stats = crawler.stats.get_stats()
    return {"responses": stats.get("response_received_count", 0), "bytes": stats.get("downloader/response_bytes", 0),
            "status_200": stats.get("downloader/response_status_count/200", 0)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args(argv)
    args.out.write_text(json.dumps(run(args.urls, args.concurrency)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

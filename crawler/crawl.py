"""Run site crawls in this process with the project's settings."""

from __future__ import annotations

import logging
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.summary import summarize

# Simulated portals run on this machine: no need to spare them.
LOCAL_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
}


def project_settings(data_dir: Path, base_urls: dict[str, str], overrides: dict) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("XXGK_DATA_DIR", str(Path(data_dir).resolve()), priority="cmdline")
    settings.set("XXGK_BASE_URLS", base_urls, priority="cmdline")
    settings.set("STATS_DUMP", False, priority="cmdline")
    if base_urls and all(_is_loopback(url) for url in base_urls.values()):
        settings.update(LOCAL_SETTINGS, priority="cmdline")
    settings.update(overrides, priority="cmdline")
    return settings


def _is_loopback(url: str) -> bool:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1")


def crawl_sites(site_names: tuple[str, ...], data_dir: Path, base_urls: dict[str, str], overrides: dict,
                log_file: Path | None = None) -> list[dict]:
    """Crawl every site concurrently in one reactor; return one summary per site.

    The console shows the LOG_LEVEL setting's messages; `log_file`, when given, gets everything from INFO up.
    """
    process = CrawlerProcess(project_settings(data_dir, base_urls, overrides))
    if log_file:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setLevel(logging.INFO)
        handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
        logging.getLogger().addHandler(handler)
    crawlers = []
    for name in site_names:
        crawler = process.create_crawler(name)
        process.crawl(crawler)
        crawlers.append(crawler)
    process.start()
    return [summarize(crawler.spider.name, crawler.stats.get_stats()) for crawler in crawlers]

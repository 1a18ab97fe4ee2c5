"""Run site crawls in this process with the project's settings."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings

from archive.index import stop_workers
from crawler.extensions.journal import prepare_jobdir
from crawler.extensions.summary import summarize

logger = logging.getLogger(__name__)

# Simulated portals run on this machine: no need to spare them.
LOCAL_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
}


def project_settings(data_dir: Path, base_urls: dict[str, str], overrides: dict, local: bool | None = None) -> Settings:
    """The project's settings for one run; `local` (default: every base URL on loopback) drops politeness."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("XXGK_DATA_DIR", str(Path(data_dir).resolve()), priority="cmdline")
    settings.set("XXGK_BASE_URLS", base_urls, priority="cmdline")
    settings.set("STATS_DUMP", False, priority="cmdline")
    if local is None:
        local = bool(base_urls) and all(_is_loopback(url) for url in base_urls.values())
    if local:
        settings.update(LOCAL_SETTINGS, priority="cmdline")
    settings.update(overrides, priority="cmdline")
    return settings


def _is_loopback(url: str) -> bool:
    return urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1")


def crawl_sites(site_names: tuple[str, ...], data_dir: Path, base_urls: dict[str, str], overrides: dict,
                log_file: Path | None = None) -> list[dict]:
    """Crawl every site concurrently in one reactor; return one summary per site."""
    settings = project_settings(data_dir, base_urls, overrides)
    try:
        crawlers = run_spiders([(name, {}) for name in site_names], settings, log_file, jobs=jobs_dir(data_dir))
    finally:
        stop_workers()
    return [summarize(crawler.spider.name, crawler.stats.get_stats()) for crawler in crawlers]


def jobs_dir(data_dir: Path) -> Path:
    """Where each site's crawl state (Scrapy JOBDIR) lives while a crawl is unfinished."""
    return Path(data_dir).resolve() / "jobs"


def capture_urls(urls: list[str], depth: int, scope: str, forms: bool, browser: bool, data_dir: Path,
                 overrides: dict, log_file: Path | None = None) -> dict:
    """Archive arbitrary pages (and their requisites, and links within scope up to `depth`)."""
    from archive.savepage import SavePageSpider

    settings = project_settings(data_dir, {}, overrides, local=all(_is_loopback(url) for url in urls))
    # The user named these hosts: capturing them is allowed even on a private address.
    hosts = sorted({urlsplit(url).hostname for url in urls})
    settings.set("XXGK_ALLOW_PRIVATE_HOSTS", [*settings.getlist("XXGK_ALLOW_PRIVATE_HOSTS"), *hosts], priority="cmdline")
    arguments = {"urls": urls, "depth": depth, "scope": scope, "forms": forms, "browser": browser}
    [crawler] = run_spiders([(SavePageSpider, arguments)], settings, log_file)
    return summarize(crawler.spider.name, crawler.stats.get_stats())


def run_spiders(targets: list[tuple[str | type, dict]], settings: Settings, log_file: Path | None,
                jobs: Path | None = None) -> list:
    """Run spiders (by name or class, with their arguments) concurrently; return their crawlers when all end.

    The console shows the LOG_LEVEL setting's messages; `log_file`, when given, gets everything from INFO up.
    With `jobs`, each spider keeps its state in jobs/{name} (resumed if a run was killed, removed once finished).
    """
    process = CrawlerProcess(settings)
    if log_file:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setLevel(logging.INFO)
        handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
        logging.getLogger().addHandler(handler)
    crawlers = []
    for spider, kwargs in targets:
        spidercls = process.spider_loader.load(spider) if isinstance(spider, str) else spider
        crawler_settings = settings.copy()
        if jobs:
            jobdir = jobs / spidercls.name
            if jobdir.exists():
                killed = prepare_jobdir(jobdir)
                logger.warning("%s: resuming the %s crawl kept in %s", spidercls.name,
                               "killed" if killed else "interrupted", jobdir)
                crawler_settings.set("XXGK_RESUMED", True, priority="cmdline")
            crawler_settings.set("JOBDIR", str(jobdir), priority="cmdline")
        crawler = Crawler(spidercls, crawler_settings, init_reactor=not crawlers)  # the first one installs it
        process.crawl(crawler, **kwargs)
        crawlers.append(crawler)
    process.start()
    for crawler in crawlers:
        jobdir = crawler.settings.get("JOBDIR")
        if jobdir and crawler.stats.get_value("finish_reason") == "finished":
            shutil.rmtree(jobdir, ignore_errors=True)
    return crawlers


def crawl_sharded(site_names: tuple[str, ...], processes: int, data_dir: Path, base_urls: dict[str, str],
                  overrides: dict, log_file: Path | None = None) -> list[dict]:
    """Crawl the sites in `processes` processes (sites dealt round-robin), each with its own reactor and WARC files."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from crawler.database import connect, database_url

    # the schema first: processes creating it at once on a new database collide
    connect(database_url(data_dir, overrides.get("XXGK_DATABASE_URL", ""))).dispose()
    shards = [site_names[n::processes] for n in range(processes) if site_names[n::processes]]
    logs = [log_file.with_name(f"{log_file.stem}-{n}{log_file.suffix}") if log_file else None for n in range(len(shards))]
    # one spawned process per shard: a reactor cannot be restarted, nor safely forked
    executors = [ProcessPoolExecutor(1, mp_context=get_context("spawn")) for _ in shards]
    try:
        futures = [executor.submit(crawl_sites, shard, data_dir, base_urls, overrides, log)
                   for executor, shard, log in zip(executors, shards, logs, strict=True)]
        summaries = {summary["site"]: summary for future in futures for summary in future.result()}
    finally:
        for executor in executors:
            executor.shutdown()
    return [summaries[name] for name in site_names if name in summaries]

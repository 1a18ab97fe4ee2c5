"""Run site crawls in this process with the project's settings."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.log import get_scrapy_root_handler

from archive.index import stop_workers
from crawler import config, leases
from crawler.console import tame
from crawler.extensions.lock import SiteBusy
from crawler.extensions.summary import crawl_summary
from crawler.processes import exit_with_parent
from crawler.sites import load_registry
from pipelines.extraction import stop_pools

logger = logging.getLogger(__name__)


def crawl_settings(data_dir: Path | None, options: dict) -> Settings:
    """The configuration of a crawl run (crawler/config.py) with this run's command-line options."""
    return config.load(data_dir, {"STATS_DUMP": False, **options})


def crawl_sites(site_names: tuple[str, ...], data_dir: Path | None, options: dict,
                log_file: Path | None = None) -> list[dict]:
    """Crawl the sites concurrently in one reactor, the sites of one portal host in turn; one summary per site."""
    settings = crawl_settings(data_dir, options)
    turns = [[(name, {}) for name in turn] for turn in host_turns(site_names, settings)]
    try:
        crawlers = run_spiders(turns, settings, log_file)
    finally:
        stop_workers()
        stop_pools()
    summaries = {crawler.spidercls.name: crawl_summary(crawler) or failed_summary(crawler) for crawler in crawlers}
    return [summaries[name] for name in site_names if name in summaries]


def host_key(settings: Settings, site: str, registry: dict | None = None) -> str:
    """The politeness key a crawl of the site is locked or leased under (crawler/leases.py): the scheme, host and
    port of the base URL it crawls. An unknown site (it fails to crawl) is its own key. `registry`: the loaded
    registry, for many sites at once (loading it copies every entry)."""
    entry = (load_registry(settings) if registry is None else registry).get(site)
    return leases.politeness_key(config.base_url(settings, entry)) if entry else site


def host_turns(site_names: tuple[str, ...], settings: Settings) -> list[list[str]]:
    """The sites grouped by portal host, in their order. A group is crawled one site after another: two registry
    sites on one host (a city's column and its bureaus', on one CMS) started together would have the second
    skipped, its host's lock held by the first (crawler/extensions/lock.py)."""
    turns: dict[str, list[str]] = {}
    registry = load_registry(settings)
    for name in site_names:
        turns.setdefault(host_key(settings, name, registry), []).append(name)
    return list(turns.values())


def failed_summary(crawler) -> dict:
    """The summary of a crawl that never started (its spider did not open, or the run stopped before its turn)."""
    name = getattr(crawler.spidercls, "name", "?")
    why = "not crawled: the run stopped before its turn" if getattr(crawler, "xxgk_no_turn", False) \
        else "the crawl did not start (see the log)"
    return {"site": name, "status": "failed", "problems": [why]}


def capture_urls(urls: list[str], depth: int, scope: str, forms: bool, browser: bool, data_dir: Path | None,
                 options: dict, log_file: Path | None = None) -> dict:
    """Archive arbitrary pages (and their requisites, and links within scope up to `depth`)."""
    from spiders.capture import SavePageSpider

    settings = crawl_settings(data_dir, options)
    if all(config.is_loopback(url) for url in urls):
        settings.update(config.LOCAL_SETTINGS, priority="cmdline")
    # The user named these hosts: capturing them is allowed even on a private address.
    hosts = sorted({urlsplit(url).hostname for url in urls})
    settings.set("XXGK_ALLOW_PRIVATE_HOSTS", [*settings.getlist("XXGK_ALLOW_PRIVATE_HOSTS"), *hosts], priority="cmdline")
    arguments = {"urls": urls, "depth": depth, "scope": scope, "forms": forms, "browser": browser}
    [crawler] = run_spiders([[(SavePageSpider, arguments)]], settings, log_file)
    return crawl_summary(crawler) or failed_summary(crawler)


def run_spiders(turns: list[list[tuple[str | type, dict]]], settings: Settings, log_file: Path | None) -> list:
    """Run spiders (by name or class, with their arguments) concurrently, those of one list in turn; return their
    crawlers when all end.

    The console shows the LOG_LEVEL setting's messages; `log_file`, when given, gets everything from INFO up.
    """
    prepare_database(settings)
    process = CrawlerProcess(settings)
    if log_file:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setLevel(logging.INFO)
        handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
        logging.getLogger().addHandler(handler)
    crawlers = []
    for turn in turns:
        queued = []
        for spider, kwargs in turn:
            spidercls = process.spider_loader.load(spider) if isinstance(spider, str) else spider
            crawler = Crawler(spidercls, settings, init_reactor=not crawlers)  # the first one installs it
            crawlers.append(crawler)
            queued.append((crawler, kwargs))
        crawl_in_turn(process, queued)
    tame(get_scrapy_root_handler())  # the console handler the last crawler installed
    process.start()
    return crawlers


def crawl_in_turn(process: CrawlerProcess, queued: list[tuple[Crawler, dict]]) -> None:
    """Start the first crawl, and each next one when the one before has ended, unless the run is stopping (a
    crawl started now would be cut off by the reactor's end)."""
    (crawler, kwargs), rest = queued[0], queued[1:]
    started = process.crawl(crawler, **kwargs)  # the next one is added before this one leaves `process.join()`
    skip_quietly(started, crawler.spidercls.name)
    if rest:
        started.addCallback(lambda _: _next_turn(process, crawler, rest))


def _next_turn(process: CrawlerProcess, before: Crawler, rest: list[tuple[Crawler, dict]]) -> None:
    if before.stats is not None and before.stats.get_value("finish_reason") == "shutdown":  # Ctrl-C, SIGTERM
        for crawler, _ in rest:
            crawler.xxgk_no_turn = True
        return
    crawl_in_turn(process, rest)


def prepare_database(settings: Settings) -> None:
    """Bring an existing database to the current schema before any spider opens: one that cannot be reached or
    migrated is then one line from the command, not a crawl failing inside Scrapy. (A new SQLite file is left to
    the crawl, which creates it only if it runs: a crawl skipped for its site's lock touches nothing.)"""
    from crawler import database

    url = config.database_url(settings)
    if database.exists(url):
        database.connect(url)


def skip_quietly(started, site: str) -> None:
    """No traceback for a crawl that ends before it begins because another crawl of its site runs: the lock said so
    in one line, and its summary says `skipped`. Any other failure to start is said in one line naming the site
    (its traceback in the log). `started`: what CrawlerProcess.crawl returned (a Deferred, or an asyncio Task under
    `scrapy crawl`)."""
    if hasattr(started, "addErrback"):
        started.addErrback(lambda failure: said_unless_skipped(site, failure.value, failure.getTracebackObject()))
    else:
        started.add_done_callback(lambda task: said_unless_skipped(
            site, None if task.cancelled() else task.exception()))  # retrieved now: asyncio no longer logs it


def said_unless_skipped(site: str, error: BaseException | None, trace=None) -> None:
    if error is not None and not isinstance(error, SiteBusy):
        logger.error("%s: the crawl failed: %s", site, error,
                     exc_info=(type(error), error, trace or error.__traceback__))


def crawl_sharded(site_names: tuple[str, ...], processes: int, data_dir: Path | None, options: dict,
                  log_file: Path | None = None) -> list[dict]:
    """Crawl the sites in `processes` processes (sites dealt round-robin), each with its own reactor and WARC files."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    settings = crawl_settings(data_dir, options)
    prepare_database(settings)
    turns = host_turns(site_names, settings)  # dealt whole: sites of one host never crawl in two processes at once
    shards = [sum(turns[n::processes], []) for n in range(processes) if turns[n::processes]]
    logs = [log_file.with_name(f"{log_file.stem}-{n}{log_file.suffix}") if log_file else None for n in range(len(shards))]
    # one spawned process per shard: a reactor cannot be restarted, nor safely forked
    executors = [ProcessPoolExecutor(1, mp_context=get_context("spawn"), initializer=exit_with_parent)
                 for _ in shards]
    try:
        futures = [executor.submit(crawl_sites, shard, data_dir, options, log)
                   for executor, shard, log in zip(executors, shards, logs, strict=True)]
        summaries = {summary["site"]: summary for future in futures for summary in future.result()}
    finally:
        for executor in executors:
            executor.shutdown()
    return [summaries[name] for name in site_names if name in summaries]

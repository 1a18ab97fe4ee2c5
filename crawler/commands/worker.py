"""The shared queue's worker: `xxgk worker`."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import click

from crawler import config
from crawler.commands.options import configured, log_file, settings_option, verbose_option, with_settings

logger = logging.getLogger(__name__)


@click.command()
@click.option("--slots", type=click.IntRange(min=1), default=None,
              help="Sites crawled at a time by this worker [default: XXGK_WORKER_SLOTS].")
@settings_option
@verbose_option
@configured
def worker(slots: int | None, overrides: tuple[str, ...], verbose: bool, ctx: config.Context) -> None:
    """Crawl the site runs put on the shared queue (XXGK_QUEUE_URL) until stopped (SIGTERM, Ctrl-C); every worker
    shares one PostgreSQL database (XXGK_DATABASE_URL) and, for WARC files, one archive (XXGK_ARCHIVE)."""
    from crawler.queue import configured as queue_configured

    ctx = with_settings(ctx, overrides, LOG_LEVEL="INFO" if verbose else "WARNING", XXGK_PROGRESS=False)
    if not queue_configured(ctx.settings):
        raise click.ClickException("no queue: set XXGK_QUEUE_URL (e.g. redis://127.0.0.1:6379/0)")
    log = log_file(ctx.data_dir, "worker")
    click.echo(f"worker log: {log}")
    serve(ctx.data_dir_option, ctx.options, slots or ctx.settings.getint("XXGK_WORKER_SLOTS"), log)


def serve(data_dir: Path | None, options: dict[str, Any], slots: int, log_file: Path | None) -> None:
    """Run a worker until SIGTERM/SIGINT: a reactor in this thread crawls the sites `slots` dramatiq threads take
    from the queue. Stopping closes the running crawls (`shutdown`) and puts their runs back on the queue."""
    import signal

    import dramatiq as dq
    from scrapy.utils.log import configure_logging
    from scrapy.utils.reactor import install_reactor

    from archive.index import stop_workers
    from crawler.commands.runner import crawl_settings, prepare_database
    from crawler.config import database_url
    from crawler.queue import (
        QUEUE,
        QueueError,
        Worker,
        broker,
        check_database,
        declare,
        settings_url,
        stop_crawls,
        stopping,
    )
    from pipelines.extraction import stop_pools

    settings = crawl_settings(data_dir, options)
    url = database_url(settings)
    check_database(url)
    install_reactor(settings["TWISTED_REACTOR"], settings["ASYNCIO_EVENT_LOOP"])
    from twisted.internet import reactor, threads

    configure_logging(settings)
    if log_file:
        log_to(log_file)
    prepare_database(settings)
    from archive.store import publish_leftovers

    left = publish_leftovers(settings)  # a worker killed here before it published its files: they go first
    if left:
        logger.warning("published %d WARC files an earlier worker left in %s", left, settings["XXGK_DATA_DIR"])
    target = broker(settings)
    from crawler import leases

    holder = leases.holder_id()
    declare(target, Worker(data_dir, options, url, holder, settings.getfloat("XXGK_LEASE_SECONDS"),
                           settings.getfloat("XXGK_LEASE_RENEW_SECONDS")))
    consumer = dq.Worker(target, queues={QUEUE}, worker_threads=slots)
    consumer.queue_prefetch = slots  # dramatiq's default (2 × threads) would sit on sites another worker could take
    try:
        consumer.start()
    except Exception as exc:  # noqa: BLE001 - redis' connection errors: one line
        raise QueueError(f"cannot reach the queue at {settings_url(target)}: {exc}") from None
    logger.warning("worker %s: %d site slots, queue %s", holder, slots, settings_url(target))

    def stop(*_args) -> None:
        if stopping.is_set():
            return
        stopping.set()
        logger.warning("worker %s stopping: running crawls are closed and their runs queued again", holder)
        stop_crawls()
        threads.deferToThread(consumer.stop, timeout=3_600_000).addBoth(lambda _: reactor.stop())

    signal.signal(signal.SIGTERM, lambda *_: reactor.callFromThread(stop))
    signal.signal(signal.SIGINT, lambda *_: reactor.callFromThread(stop))
    try:
        reactor.run(installSignalHandlers=False)
    finally:
        stop_workers()
        stop_pools()


def log_to(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
    logging.getLogger().addHandler(handler)


COMMANDS = [worker]

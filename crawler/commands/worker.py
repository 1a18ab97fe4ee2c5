"""The shared queue's worker: `xxgk worker`."""

from __future__ import annotations

import click

from crawler import config
from crawler.commands.options import configured, log_file, settings_option, verbose_option, with_settings


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
    from crawler.queue import serve

    ctx = with_settings(ctx, overrides, LOG_LEVEL="INFO" if verbose else "WARNING", XXGK_PROGRESS=False)
    if not queue_configured(ctx.settings):
        raise click.ClickException("no queue: set XXGK_QUEUE_URL (e.g. redis://127.0.0.1:6379/0)")
    log = log_file(ctx.data_dir, "worker")
    click.echo(f"worker log: {log}")
    serve(ctx.data_dir_option, ctx.options, slots or ctx.settings.getint("XXGK_WORKER_SLOTS"), log)


COMMANDS = [worker]

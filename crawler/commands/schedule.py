"""Scheduled crawls: `xxgk schedule run|sweep|list`."""

from __future__ import annotations

import sys

import click

from crawler import config
from crawler.commands.options import configured, pair, registry


@click.group()
def schedule() -> None:
    """Crawl each site on its registry schedule (cron syntax)."""


def _site_list(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for value in values for name in value.split(",") if name)


def _base_urls(ctx: config.Context, flags: tuple[str, ...]) -> dict[str, str]:
    """Where each site is crawled: XXGK_BASE_URLS (xxgk.toml, the environment), then --base-url."""
    return {**ctx.settings.getdict("XXGK_BASE_URLS"), **dict(pair(value, "--base-url") for value in flags)}


@schedule.command("run")
@click.option("--once", is_flag=True, help="Run the crawls due now, wait for them, and exit.")
@click.option("--sites", "site_names", multiple=True, metavar="SITE[,SITE…]",
              help="Only these sites (default: every site with a schedule).")
@click.option("--base-url", "base_urls", multiple=True, metavar="SITE=URL",
              help="Crawl SITE at URL instead of its real portal (e.g. a simulated portal).")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Scrapy setting for every crawl.")
@click.option("--max-parallel", type=click.IntRange(min=1), default=2, show_default=True,
              help="Crawls running at a time.")
@click.option("--tick", type=click.FloatRange(min=0.01), default=60.0, show_default=True,
              help="Seconds between looks at the schedules.")
@click.option("--ticks", type=click.IntRange(min=1), help="Stop after this many looks (default: run until stopped).")
@click.option("--now", "now_text", metavar="ISO-TIME", help="Pretend the clock shows this time (tests, back-fills).")
@configured
def schedule_run(once: bool, site_names: tuple[str, ...], base_urls: tuple[str, ...], overrides: tuple[str, ...],
                 max_parallel: int, tick: float, ticks: int | None, now_text: str | None, ctx: config.Context) -> None:
    """Start due crawls as `xxgk crawl SITE` processes, one per site at a time; record each in `runs`. With a shared
    queue (XXGK_QUEUE_URL), put them on it for `xxgk worker` processes instead."""
    import signal

    from crawler.schedule import Options, ScheduleError, Scheduler, clock, parse_now

    for value in overrides:
        pair(value, "--set")
    try:
        options = Options(ctx.data_dir, _site_list(site_names), _base_urls(ctx, base_urls),
                          overrides, max_parallel, tick, ctx.database_url, registry(ctx),
                          ctx.settings if ctx.settings.get("XXGK_QUEUE_URL") else None)
        scheduler = Scheduler(options, clock(parse_now(now_text) if now_text else None), click.echo)
    except ScheduleError as exc:
        raise click.ClickException(str(exc)) from None
    signal.signal(signal.SIGTERM, scheduler.stop)
    signal.signal(signal.SIGINT, scheduler.stop)
    results = scheduler.run(once, ticks)
    if not results:
        click.echo("no crawl was due")
    if any(status not in ("ok", "skipped", "queued") for status in results):
        sys.exit(1)


@schedule.command("sweep")
@click.option("--grace", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
              help="Send again runs queued at least this long [default: XXGK_QUEUE_SWEEP_GRACE].")
@configured
def schedule_sweep(grace: float | None, ctx: config.Context) -> None:
    """Send again the queued runs whose message the shared queue lost (Redis restarted without appendonly,
    flushed), and the running ones whose worker died without a message left to deliver again; one line per run.
    Safe on several machines at once. `xxgk schedule run` does the same at every look."""
    from crawler.queue import configured as queue_configured
    from crawler.queue import sweep

    if not queue_configured(ctx.settings):
        raise click.ClickException("no queue: set XXGK_QUEUE_URL (e.g. redis://127.0.0.1:6379/0)")
    for line in sweep(ctx.settings, ctx.settings.getfloat("XXGK_QUEUE_SWEEP_GRACE") if grace is None else grace):
        click.echo(line)


@schedule.command("list")
@click.option("--sites", "site_names", multiple=True, metavar="SITE[,SITE…]", help="Only these sites.")
@click.option("--base-url", "base_urls", multiple=True, metavar="SITE=URL",
              help="The portal `schedule run --base-url` crawls SITE at: crawls by hand of it count.")
@click.option("--now", "now_text", metavar="ISO-TIME", help="Compute next runs from this time.")
@configured
def schedule_list(site_names: tuple[str, ...], base_urls: tuple[str, ...], now_text: str | None,
                  ctx: config.Context) -> None:
    """Each site's schedule, next run and last run (a crawl by hand of its portal counts as its slot's run)."""
    from crawler.schedule import (
        ScheduleError,
        clock,
        format_overview,
        overview,
        parse_now,
    )

    try:
        now = clock(parse_now(now_text) if now_text else None)()
        click.echo(format_overview(overview(ctx.database_url, registry(ctx), _site_list(site_names), now,
                                            _base_urls(ctx, base_urls))))
    except ScheduleError as exc:
        raise click.ClickException(str(exc)) from None


COMMANDS = [schedule]

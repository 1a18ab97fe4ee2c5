"""Crawling: `xxgk crawl`, `xxgk demo`, `xxgk capture`, and the summary they print."""

from __future__ import annotations

import sys
from urllib.parse import urlsplit

import click

from crawler import config
from crawler.commands.options import (
    configured,
    log_file,
    pair,
    registry,
    settings_option,
    verbose_option,
    with_settings,
)
from crawler.extensions.summary import exit_status, format_table


@click.command()
@click.argument("site_names", nargs=-1, metavar="SITE…")
@click.option("--all", "all_sites", is_flag=True, help="Crawl every registered site.")
@click.option("--base-url", "base_urls", multiple=True, metavar="SITE=URL",
              help="Crawl SITE at URL instead of its real portal (e.g. a simulated portal).")
@settings_option
@click.option("--processes", type=click.IntRange(min=1), default=1, show_default=True,
              help="Share the sites out over this many processes, each with its own reactor and WARC files.")
@click.option("--revalidate-after", type=click.FloatRange(min=0), metavar="DAYS",
              help="Do not ask again for report pages archived less than DAYS ago while still listed "
                   "(default 0: ask for every one, conditionally).")
@click.option("--here", is_flag=True,
              help="Crawl in this process even when a shared queue (XXGK_QUEUE_URL) is configured.")
@verbose_option
@configured
def crawl(site_names: tuple[str, ...], all_sites: bool, base_urls: tuple[str, ...], overrides: tuple[str, ...],
          processes: int, revalidate_after: float | None, here: bool, verbose: bool, ctx: config.Context) -> None:
    """Crawl the report columns of the given sites (needs the internet for real portals). With a shared queue
    (XXGK_QUEUE_URL) the sites' runs are queued for `xxgk worker` processes instead."""
    options = {"LOG_LEVEL": "INFO" if verbose else "WARNING"}
    if base_urls:
        options["XXGK_BASE_URLS"] = dict(pair(value, "--base-url") for value in base_urls)
    if revalidate_after is not None:
        options["XXGK_REVALIDATE_AFTER"] = str(revalidate_after)
    ctx = with_settings(ctx, overrides, **options)
    sites = registry(ctx)
    if all_sites:
        site_names = tuple(sites)
    if not site_names:
        raise click.UsageError("name at least one SITE, or --all")
    unknown = [name for name in site_names if name not in sites]
    if unknown:
        raise click.ClickException(f"unknown site {', '.join(map(repr, unknown))} (see `xxgk sites`)")
    if ctx.settings.get("XXGK_QUEUE_URL") and not here:
        enqueue(site_names, options, overrides, ctx)
        return
    if processes > 1 and len(site_names) > 1:
        report(run_sharded(site_names, processes, ctx), ctx)
        return
    report(run(site_names, ctx), ctx)


# The demo's portals listen on fixed ports, so a site keeps one address (and its documents one URL) from one
# `xxgk demo` to the next: a second demo into the same data dir recrawls the same documents (captures, revisits,
# events), instead of finding 69 new ones at new random ports. The archive records the URL actually fetched.
DEMO_PORT_BASE = 18400


@click.command()
@click.option("--port-base", type=click.IntRange(1024, 65000), default=DEMO_PORT_BASE, show_default=True,
              help="First loopback port of the simulated portals (the next sites take the following ones).")
@click.option("--later", is_flag=True,
              help="Serve the portals as they are weeks later (a figure corrected, an item retitled, a report "
                   "withdrawn): run after a first demo, then see `xxgk changes` and `xxgk diff`.")
@verbose_option
@configured
def demo(port_base: int, later: bool, verbose: bool, ctx: config.Context) -> None:
    """Start the bundled simulated portals on 127.0.0.1 and crawl every demo site."""
    from crawler.simulator import SimulatedPortals
    from crawler.simulator.later import later as change

    try:
        simulated = SimulatedPortals(port_base=port_base)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on 127.0.0.1 from port {port_base} ({exc.strerror or exc}): "
                                   "pass another --port-base") from None
    with simulated:
        click.echo("simulated portals: " + ", ".join(f"{k} {v}" for k, v in simulated.base_urls.items()))
        if later:
            click.echo("weeks later, the portals have changed:")
            for line in (line for portal in simulated.portals.values() for line in change(portal)):
                click.echo(f"  {line}")
        ctx = with_settings(ctx, (), LOG_LEVEL="INFO" if verbose else "WARNING", XXGK_BASE_URLS=simulated.base_urls)
        summaries = run(tuple(simulated.base_urls), ctx)
    report(summaries, ctx)


@click.command()
@click.argument("urls", nargs=-1, required=True, metavar="URL…")
@click.option("--depth", type=click.IntRange(min=0), default=0, show_default=True,
              help="Follow links this many hops from each URL.")
@click.option("--scope", type=click.Choice(["page", "prefix", "host"]), default=None,
              help="Which links may be followed: none, those below the URL's folder, or the whole host "
                   "[default: page; prefix with --depth].")
@click.option("--forms", is_flag=True, help="Also submit each form found (e.g. a POST search) with its defaults.")
@click.option("--browser", is_flag=True,
              help="Load pages in headless Chromium (script-built pages): every response it gets, and the DOM.")
@settings_option
@verbose_option
@configured
def capture(urls: tuple[str, ...], depth: int, scope: str | None, forms: bool, browser: bool, overrides: tuple[str, ...],
            verbose: bool, ctx: config.Context) -> None:
    """Archive arbitrary pages with their requisites into the same archive ("save this page now")."""
    from crawler.commands.runner import capture_urls

    bad = [url for url in urls if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname]
    if bad:
        raise click.BadParameter(f"not an http(s) URL: {bad[0]}", param_hint="URL")
    if depth and scope == "page":
        raise click.UsageError("--depth follows links, which --scope page forbids: use --scope prefix or host")
    scope = scope or ("prefix" if depth else "page")
    ctx = with_settings(ctx, overrides, LOG_LEVEL="INFO" if verbose else "WARNING")
    summary = capture_urls(list(urls), depth, scope, forms, browser, ctx.data_dir_option, ctx.options,
                           log_file(ctx.data_dir, "capture"))
    report([summary], ctx)


def enqueue(site_names: tuple[str, ...], options: dict, overrides: tuple[str, ...], ctx: config.Context) -> None:
    """Put every site's run on the shared queue (XXGK_QUEUE_URL) for `xxgk worker` processes to crawl."""
    from crawler.queue import enqueue as put

    run_options = {key: value for key, value in options.items() if key.startswith("XXGK_")}
    run_options.update(dict(pair(value, "--set") for value in overrides))
    ids = put(ctx.settings, list(site_names), run_options)
    click.echo(f"queued {len(ids)} site runs (runs {ids[0]}–{ids[-1]}) for the workers; "
               "`xxgk schedule list` shows how they went")


def run(site_names: tuple[str, ...], ctx: config.Context) -> list[dict]:
    """Crawl the sites in this process; return one summary per site. The full log goes to DATA_DIR/logs/."""
    from crawler.commands.runner import crawl_sites

    log = log_file(ctx.data_dir, "crawl")
    click.echo(f"crawling {', '.join(site_names)}; log: {log}")
    return crawl_sites(site_names, ctx.data_dir_option, ctx.options, log)


def run_sharded(site_names: tuple[str, ...], processes: int, ctx: config.Context) -> list[dict]:
    """Crawl the sites in `processes` processes; one log per process in DATA_DIR/logs/."""
    from crawler.commands.runner import crawl_sharded

    log = log_file(ctx.data_dir, "crawl")
    ctx = with_settings(ctx, (), XXGK_PROGRESS=False)  # several processes would draw over each other
    click.echo(f"crawling {', '.join(site_names)} in {min(processes, len(site_names))} processes; "
               f"logs: {log.with_name(log.stem + '-N' + log.suffix)}")
    return crawl_sharded(site_names, processes, ctx.data_dir_option, ctx.options, log)


def report(summaries: list[dict], ctx: config.Context) -> None:
    """The summary table and where everything went; exit status 0 when every site is `ok`, 1 when one failed or was
    blocked, 75 when one was skipped (another crawl of it was running)."""
    click.echo("\n" + format_table(summaries))
    click.echo(f"\narchive:  {ctx.data_dir / 'warc'}\ndatabase: {config.describe_database(ctx.database_url)}")
    status = exit_status(summaries)
    if status:
        sys.exit(status)


COMMANDS = [crawl, demo, capture]

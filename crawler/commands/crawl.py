"""Crawling: `xxgk crawl`, `xxgk demo`, `xxgk capture`, and the summary they print."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

import click

from crawler.commands.options import data_dir_option, log_file, pair, verbose_option
from crawler.extensions.summary import format_table
from crawler.sites import UnknownSite, get_site, load_registry


@click.command()
@click.argument("site_names", nargs=-1, metavar="SITE…")
@click.option("--all", "all_sites", is_flag=True, help="Crawl every registered site.")
@click.option("--base-url", "base_urls", multiple=True, metavar="SITE=URL",
              help="Crawl SITE at URL instead of its real portal (e.g. a simulated portal).")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting.")
@click.option("--processes", type=click.IntRange(min=1), default=1, show_default=True,
              help="Share the sites out over this many processes, each with its own reactor and WARC files.")
@click.option("--revalidate-after", type=click.FloatRange(min=0), metavar="DAYS",
              help="Do not ask again for report pages archived less than DAYS ago while still listed "
                   "(default 0: ask for every one, conditionally).")
@verbose_option
@data_dir_option
def crawl(site_names: tuple[str, ...], all_sites: bool, base_urls: tuple[str, ...], overrides: tuple[str, ...],
          processes: int, revalidate_after: float | None, verbose: bool, data_dir: Path) -> None:
    """Crawl the report columns of the given sites (needs the internet for real portals)."""
    if all_sites:
        site_names = tuple(load_registry())
    if not site_names:
        raise click.UsageError("name at least one SITE, or --all")
    try:
        for name in site_names:
            get_site(name)
    except UnknownSite as exc:
        raise click.ClickException(str(exc)) from None
    bases = dict(pair(value, "--base-url") for value in base_urls)
    extra = dict(pair(value, "--set") for value in overrides)
    if revalidate_after is not None:
        extra["XXGK_REVALIDATE_AFTER"] = str(revalidate_after)
    if processes > 1 and len(site_names) > 1:
        _report(run_sharded(site_names, processes, data_dir, bases, extra, verbose), data_dir)
        return
    _report(run(site_names, data_dir, bases, extra, verbose), data_dir)


@click.command()
@verbose_option
@data_dir_option
def demo(verbose: bool, data_dir: Path) -> None:
    """Start the bundled simulated portals on 127.0.0.1 and crawl every demo site."""
    from crawler.simulator import SimulatedPortals

    with SimulatedPortals() as simulated:
        click.echo("simulated portals: " + ", ".join(f"{k} {v}" for k, v in simulated.base_urls.items()))
        summaries = run(tuple(simulated.base_urls), data_dir, simulated.base_urls, {}, verbose)
    _report(summaries, data_dir)


@click.command()
@click.argument("urls", nargs=-1, required=True, metavar="URL…")
@click.option("--depth", type=click.IntRange(min=0), default=0, show_default=True,
              help="Follow links this many hops from each URL.")
@click.option("--scope", type=click.Choice(["page", "prefix", "host"]), default="page", show_default=True,
              help="Which links may be followed: none, those below the URL's folder, or the whole host.")
@click.option("--forms", is_flag=True, help="Also submit each form found (e.g. a POST search) with its defaults.")
@click.option("--browser", is_flag=True,
              help="Load pages in headless Chromium (script-built pages): every response it gets, and the DOM.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting.")
@verbose_option
@data_dir_option
def capture(urls: tuple[str, ...], depth: int, scope: str, forms: bool, browser: bool, overrides: tuple[str, ...],
            verbose: bool, data_dir: Path) -> None:
    """Archive arbitrary pages with their requisites into the same archive ("save this page now")."""
    from crawler.commands.runner import capture_urls

    bad = [url for url in urls if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname]
    if bad:
        raise click.BadParameter(f"not an http(s) URL: {bad[0]}", param_hint="URL")
    settings = {"LOG_LEVEL": "INFO" if verbose else "WARNING", **dict(pair(v, "--set") for v in overrides)}
    summary = capture_urls(list(urls), depth, scope, forms, browser, data_dir, settings,
                           log_file(data_dir, "capture"))
    _report([summary], data_dir)



def run(site_names: tuple[str, ...], data_dir: Path, base_urls: dict[str, str], overrides: dict,
        verbose: bool) -> list[dict]:
    """Crawl the sites in this process; return one summary per site. The full log goes to DATA_DIR/logs/."""
    from crawler.commands.runner import crawl_sites

    log = log_file(data_dir, "crawl")
    click.echo(f"crawling {', '.join(site_names)}; log: {log}")
    overrides = {"LOG_LEVEL": "INFO" if verbose else "WARNING", **overrides}
    return crawl_sites(site_names, data_dir, base_urls, overrides, log)


def run_sharded(site_names: tuple[str, ...], processes: int, data_dir: Path, base_urls: dict[str, str],
                overrides: dict, verbose: bool) -> list[dict]:
    """Crawl the sites in `processes` processes; one log per process in DATA_DIR/logs/."""
    from crawler.commands.runner import crawl_sharded

    log = log_file(data_dir, "crawl")
    click.echo(f"crawling {', '.join(site_names)} in {min(processes, len(site_names))} processes; "
               f"logs: {log.with_name(log.stem + '-N' + log.suffix)}")
    overrides = {"LOG_LEVEL": "INFO" if verbose else "WARNING", **overrides}
    return crawl_sharded(site_names, processes, data_dir, base_urls, overrides, log)


def _report(summaries: list[dict], data_dir: Path) -> None:
    click.echo("\n" + format_table(summaries))
    click.echo(f"\narchive:  {(data_dir / 'warc').resolve()}\ndatabase: {(data_dir / 'xxgk.sqlite').resolve()}")
    if any(summary["status"] != "ok" for summary in summaries):
        sys.exit(1)


COMMANDS = [crawl, demo, capture]

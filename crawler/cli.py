"""The `xxgk` command line."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import click

from crawler.sites import UnknownSite, get_site, load_registry
from crawler.summary import format_table

verbose_option = click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's INFO log on the console.")
data_dir_option = click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("data"), show_default=True,
    help="Where the archive (warc/) and the database live.",
)


@click.group()
@click.version_option(package_name="xxgk")
def main() -> None:
    """Crawl, archive and extract Chinese government annual disclosure reports."""


@main.command()
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per site.")
def sites(data_dir: Path, as_json: bool) -> None:
    """List the registered sites with their CMS family and report column."""
    for site in load_registry().values():
        column = site.url(site.columns[0]) if site.columns else ""
        if as_json:
            click.echo(json.dumps({"name": site.name, "government": site.government, "family": site.family,
                                   "column": column, "verified": site.verified or None}, ensure_ascii=False))
        else:
            click.echo(f"{site.name:<12} {site.family:<8} {site.government:<14} {column}")


@main.command()
@click.argument("site_names", nargs=-1, metavar="SITE…")
@click.option("--all", "all_sites", is_flag=True, help="Crawl every registered site.")
@click.option("--base-url", "base_urls", multiple=True, metavar="SITE=URL",
              help="Crawl SITE at URL instead of its real portal (e.g. a simulated portal).")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting.")
@verbose_option
@data_dir_option
def crawl(site_names: tuple[str, ...], all_sites: bool, base_urls: tuple[str, ...], overrides: tuple[str, ...],
          verbose: bool, data_dir: Path) -> None:
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
    bases = dict(_pair(value, "--base-url") for value in base_urls)
    extra = dict(_pair(value, "--set") for value in overrides)
    _report(run(site_names, data_dir, bases, extra, verbose), data_dir)


@main.command()
@verbose_option
@data_dir_option
def demo(verbose: bool, data_dir: Path) -> None:
    """Start the bundled simulated portals on 127.0.0.1 and crawl every demo site."""
    from crawler.simulator import SimulatedPortals

    with SimulatedPortals() as simulated:
        click.echo("simulated portals: " + ", ".join(f"{k} {v}" for k, v in simulated.base_urls.items()))
        summaries = run(tuple(simulated.base_urls), data_dir, simulated.base_urls, {}, verbose)
    _report(summaries, data_dir)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--url", help="The page's address, to resolve links and recognise its platform.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@data_dir_option
def extract(file: Path, url: str | None, as_json: bool, data_dir: Path) -> None:
    """Extract metadata, report year, agency and clean text from a saved page."""
    from crawler.extract import ExtractionError, extract_file

    try:
        fields = extract_file(str(file), url)
    except ExtractionError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(fields, ensure_ascii=False, indent=2))
        return
    for key, value in fields.items():
        if key != "text":
            click.echo(f"{key}: {'' if value is None else value}")
    click.echo("\n" + (fields.get("text") or ""))


@main.command()
@click.argument("urls", nargs=-1, required=True, metavar="URL…")
@click.option("--depth", type=click.IntRange(min=0), default=0, show_default=True,
              help="Follow links this many hops from each URL.")
@click.option("--scope", type=click.Choice(["page", "prefix", "host"]), default="page", show_default=True,
              help="Which links may be followed: none, those below the URL's folder, or the whole host.")
@click.option("--forms", is_flag=True, help="Also submit each form found (e.g. a POST search) with its defaults.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting.")
@verbose_option
@data_dir_option
def capture(urls: tuple[str, ...], depth: int, scope: str, forms: bool, overrides: tuple[str, ...], verbose: bool,
            data_dir: Path) -> None:
    """Archive arbitrary pages with their requisites into the same archive ("save this page now")."""
    from crawler.crawl import capture_urls

    bad = [url for url in urls if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname]
    if bad:
        raise click.BadParameter(f"not an http(s) URL: {bad[0]}", param_hint="URL")
    settings = {"LOG_LEVEL": "INFO" if verbose else "WARNING", **dict(_pair(v, "--set") for v in overrides)}
    summary = capture_urls(list(urls), depth, scope, forms, data_dir, settings, _log_file(data_dir, "capture"))
    _report([summary], data_dir)


def _log_file(data_dir: Path, kind: str) -> Path:
    return data_dir / "logs" / f"{kind}-{datetime.now():%Y%m%d-%H%M%S}.log"


def run(site_names: tuple[str, ...], data_dir: Path, base_urls: dict[str, str], overrides: dict,
        verbose: bool) -> list[dict]:
    """Crawl the sites in this process; return one summary per site. The full log goes to DATA_DIR/logs/."""
    from crawler.crawl import crawl_sites

    log_file = _log_file(data_dir, "crawl")
    click.echo(f"crawling {', '.join(site_names)}; log: {log_file}")
    overrides = {"LOG_LEVEL": "INFO" if verbose else "WARNING", **overrides}
    return crawl_sites(site_names, data_dir, base_urls, overrides, log_file)


def _report(summaries: list[dict], data_dir: Path) -> None:
    click.echo("\n" + format_table(summaries))
    click.echo(f"\narchive:  {(data_dir / 'warc').resolve()}\ndatabase: {(data_dir / 'xxgk.sqlite').resolve()}")
    if any(summary["status"] != "ok" for summary in summaries):
        sys.exit(1)


def _pair(value: str, option: str) -> tuple[str, str]:
    name, sep, rest = value.partition("=")
    if not sep or not name:
        raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint=option)
    return name, rest

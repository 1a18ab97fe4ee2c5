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
        family = site.family or "generic"
        if as_json:
            click.echo(json.dumps({"name": site.name, "government": site.government, "family": family,
                                   "column": column, "verified": site.verified or None,
                                   "expected_empty": site.expected_empty}, ensure_ascii=False))
        else:
            checked = f"verified {site.verified}" if site.verified else "never verified"
            click.echo(f"{site.name:<16} {family:<12} {checked:<19} {site.government:<14} {column}")


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
@click.argument("home_url")
@click.option("--name", help="Registry name for the entry (default: from the host name).")
@click.option("--max-pages", type=click.IntRange(min=1), default=40, show_default=True, help="Pages to visit at most.")
@click.option("--allow-private", is_flag=True, help="Allow a private or loopback address (a simulated portal).")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting.")
@data_dir_option
def discover(home_url: str, name: str | None, max_pages: int, allow_private: bool, overrides: tuple[str, ...],
             data_dir: Path) -> None:
    """Walk a portal from its home page to its annual-report column; print a registry entry (TOML) for it."""
    from crawler.discover import discover as walk
    from crawler.discover import registry_entry

    if urlsplit(home_url).scheme not in ("http", "https"):
        raise click.BadParameter(f"expected an http(s) URL, got {home_url!r}", param_hint="HOME_URL")
    extra = dict(_pair(value, "--set") for value in overrides)
    if allow_private:
        extra["XXGK_ALLOW_PRIVATE_HOSTS"] = [urlsplit(home_url).hostname]
    found = walk(home_url, extra, max_pages)
    click.echo(f"# family: {found['family'] or 'unknown (generic)'}; columns: {len(found['columns'])}; "
               f"pages visited: {found['pages']}" + (f"; blocked: {found['blocked']}" if found["blocked"] else ""))
    click.echo(registry_entry(found, name))
    if not found["columns"]:
        sys.exit(1)


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


@main.command("report")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", help="The report's address (helps recognise its platform and type).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@data_dir_option
def report_command(file: Path, url: str | None, as_json: bool, data_dir: Path) -> None:
    """Statistics tables of a report (HTML, PDF, DOCX, XLS(X), image or flattened text) as cells and checks."""
    from crawler.extract.attachments import AttachmentError
    from crawler.extract.tables import parse_report

    try:
        result = parse_report(file, url)
    except (AttachmentError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(f"year: {result['report_year']}  agency: {result['agency']}  format: {result['format']}")
    for cell in result["cells"]:
        value = "" if cell["value"] is None else cell["value"]
        click.echo(f"{cell['table']}\t{cell['row']}\t{cell['col']}\t{value}\t{cell.get('unit') or ''}")
    failed = [c for c in result["checks"] if c["ok"] is False]
    click.echo(f"checks: {sum(c['ok'] is True for c in result['checks'])} pass, {len(failed)} fail")
    for check in failed:
        click.echo(f"  FAIL {check['table']} {check['check']} [{check['where']}]: {check['total']} != {check['sum']}")


@main.command("eval")
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), help="Corpus directory (tests/eval).")
@click.option("--update-baseline", is_flag=True, help="Store the current figures as the baseline.")
@data_dir_option
def eval_command(corpus: Path | None, update_baseline: bool, data_dir: Path) -> None:
    """Extraction accuracy on the labelled corpus; exits 1 if a figure drops below the baseline."""
    from crawler.extract.evaluate import main as evaluate_main

    args = (["--corpus", str(corpus)] if corpus else []) + (["--update-baseline"] if update_baseline else [])
    sys.exit(evaluate_main(args))


@main.command()
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
    from crawler.crawl import capture_urls

    bad = [url for url in urls if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname]
    if bad:
        raise click.BadParameter(f"not an http(s) URL: {bad[0]}", param_hint="URL")
    settings = {"LOG_LEVEL": "INFO" if verbose else "WARNING", **dict(_pair(v, "--set") for v in overrides)}
    summary = capture_urls(list(urls), depth, scope, forms, browser, data_dir, settings,
                           _log_file(data_dir, "capture"))
    _report([summary], data_dir)


@main.command()
@data_dir_option
def index(data_dir: Path) -> None:
    """Salvage WARC files a dead crawl left open, then rebuild every CDXJ index."""
    from archive.index import index_dir, rebuild
    from archive.salvage import salvage

    warc_dir = data_dir / "warc"
    if not warc_dir.is_dir():
        raise click.ClickException(f"{warc_dir}: no WARC directory (crawl first, or pass --data-dir)")
    for salvaged in salvage(warc_dir):
        click.echo(f"salvaged {salvaged.path.name}: {salvaged.records} records kept, {salvaged.torn_bytes} torn bytes cut")
    indexes = rebuild(data_dir)
    lines = sum(path.read_bytes().count(b"\n") for path in indexes)
    click.echo(f"indexed {len(indexes)} WARC files ({lines} records) into {index_dir(data_dir)}")


@main.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="0 picks a free port.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@data_dir_option
def replay(port: int, host: str, data_dir: Path) -> None:
    """Replay the archive with pywb at http://HOST:PORT/xxgk/ (CDX API, Memento TimeMaps); Ctrl-C stops."""
    from archive.replay import ReplayError
    from archive.replay import run as run_replay

    try:
        status = run_replay(data_dir, host, port)
    except ReplayError as exc:
        raise click.ClickException(str(exc)) from None
    sys.exit(status)


@main.group()
def export() -> None:
    """Package the archive for other tools."""


@export.command("wacz")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--site", help="Only this site's WARC files and reports.")
@click.option("--crawl", "crawl_id", type=int, help="Only this crawl's WARC files and reports (an id in `crawls`).")
@data_dir_option
def export_wacz_command(out: Path, site: str | None, crawl_id: int | None, data_dir: Path) -> None:
    """Write the archive as a WACZ file for ReplayWeb.page (WARCs, CDXJ, pages with report metadata)."""
    from archive.wacz import ExportError, Selection, export_wacz

    try:
        exported = export_wacz(data_dir, out, Selection(site, crawl_id))
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {out}: {len(exported.warc_files)} WARC files, {exported.index_lines} index records, "
               f"{exported.pages} report pages")


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

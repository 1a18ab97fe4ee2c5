"""The `xxgk` command line."""

from __future__ import annotations

import json
import sys
import time
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
    bases = dict(_pair(value, "--base-url") for value in base_urls)
    extra = dict(_pair(value, "--set") for value in overrides)
    if revalidate_after is not None:
        extra["XXGK_REVALIDATE_AFTER"] = str(revalidate_after)
    if processes > 1 and len(site_names) > 1:
        _report(run_sharded(site_names, processes, data_dir, bases, extra, verbose), data_dir)
        return
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


@main.command()
@click.argument("url")
@click.option("--from", "start", metavar="DATE", help="Only captures from this date or time on.")
@click.option("--to", "end", metavar="DATE", help="Only captures up to this date or time (a date: its whole day).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per capture.")
@data_dir_option
def snapshots(url: str, start: str | None, end: str | None, as_json: bool, data_dir: Path) -> None:
    """Every capture of URL: date, status, kind, revisit or not, WARC file and offset."""
    from crawler import snapshots as history

    found = _history(lambda engine: history.snapshots(engine, url, history.when(start), history.when(end, True)),
                     data_dir)
    if not found and not as_json:
        raise click.ClickException(f"no capture of {url}" + (" in that period" if start or end else ""))
    for capture in found:
        if as_json:
            click.echo(history.to_json(capture))
        else:
            revisit = f"revisit:{capture['revisit']}" if capture["revisit"] else "response"
            click.echo(f"{capture['date']}  {capture['status'] or '-':<3} {capture['kind']:<10} "
                       f"{capture['outcome'] or '':<7} {revisit:<33} {capture['warc_file']}@{capture['offset']}")


@main.command()
@click.argument("url")
@click.option("--at", "at", metavar="DATE", required=True, help="Show the capture closest to this date or time.")
@click.option("--text", "mode", flag_value="text", help="The report's cleaned text as of that capture.")
@click.option("--meta", "mode", flag_value="meta", help="The report's metadata as of that capture (JSON).")
@click.option("--raw", "mode", flag_value="raw", help="The archived HTTP payload (a revisit's: its original's).")
@data_dir_option
def show(url: str, at: str, mode: str | None, data_dir: Path) -> None:
    """The capture of URL closest to a date (Memento-style), with its date; its text, metadata or payload."""
    from crawler import snapshots as history

    def read(engine):
        moment = history.when(at, end_of_day=True)
        capture = history.closest(engine, url, moment)
        version = history.version_at(engine, url, history.parse_date(capture["date"]))
        place = history.payload_place(engine, capture) if mode == "raw" else None
        return capture, version, place

    capture, version, place = _history(read, data_dir)
    if mode == "raw":
        from crawler.extract.payload import read_payload

        body = read_payload(data_dir / "warc", place)
        if body is None:
            raise click.ClickException(f"{place['warc_file']}: the archived payload is missing")
        sys.stdout.buffer.write(body)
        return
    if mode in ("text", "meta") and version is None:
        raise click.ClickException(f"no extracted version of {url} at {capture['date']} ({capture['kind']} capture)")
    if mode == "text":
        click.echo(version["text"] or "")
        return
    if mode == "meta":
        click.echo(json.dumps({"url": url, "capture_date": capture["date"], "version": version["version"],
                               "seen_at": version["seen_at"], **(version["fields"] or {})},
                              ensure_ascii=False, indent=2))
        return
    revisit = f"revisit ({capture['revisit']}) of {capture['refers_to']}" if capture["revisit"] else "response"
    click.echo(f"url:     {url}\ncapture: {capture['date']}\nstatus:  {capture['status']} {capture['kind']} "
               f"{capture['outcome'] or ''}\nrecord:  {revisit}\nwarc:    {capture['warc_file']}@{capture['offset']}")
    if version:
        click.echo(f"version: {version['version']} (seen {version['seen_at']}): {(version['fields'] or {}).get('title')}")


@main.command()
@click.argument("site")
@click.option("--at", "at", metavar="DATE", required=True, help="As of this date or time (a date: its end).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per column.")
@data_dir_option
def column(site: str, at: str, as_json: bool, data_dir: Path) -> None:
    """The items SITE's report columns listed at a date (the last crawl that read each column whole)."""
    from crawler import snapshots as history

    columns = _history(lambda engine: history.column_at(engine, site, history.when(at, end_of_day=True)), data_dir)
    if not columns:
        raise click.ClickException(f"no complete crawl of a {site} column at or before {at}")
    for listed in columns:
        if as_json:
            click.echo(history.to_json(listed))
            continue
        click.echo(f"{listed['column_url']}  (crawl {listed['crawl_id']}, {listed['crawled_at']}): "
                   f"{len(listed['items'])} items")
        for item in listed["items"]:
            click.echo(f"  {item.get('date') or '':<10}  {item.get('title') or ''}  {item['url']}")


@main.command()
@click.argument("url")
@click.option("--from", "start", metavar="DATE", required=True, help="The version in effect at this date…")
@click.option("--to", "end", metavar="DATE", required=True, help="…against the one in effect at this date.")
@data_dir_option
def diff(url: str, start: str, end: str, data_dir: Path) -> None:
    """A unified diff of a report between two dates: metadata, attachments and text."""
    from crawler import snapshots as history

    click.echo(_history(lambda engine: history.diff(engine, url, history.when(start, True), history.when(end, True)),
                        data_dir), nl=False)


@main.command()
@click.argument("site", required=False)
@click.option("--since", metavar="DATE", required=True, help="Events at or after this date or time.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per event.")
@data_dir_option
def changes(site: str | None, since: str, as_json: bool, data_dir: Path) -> None:
    """Column events (first_seen, changed, retitled, removed, reappeared) since a date, of one site or all."""
    from crawler import snapshots as history

    if site:
        try:
            get_site(site)
        except UnknownSite as exc:
            raise click.ClickException(str(exc)) from None
    for event in _history(lambda engine: history.changes(engine, site, history.when(since)), data_dir):
        click.echo(history.to_json(event) if as_json else history.describe_event(event))


def _history(read, data_dir: Path):
    """Run a read of the history tables; bad input or a missing archive becomes a one-line error."""
    from crawler.snapshots import HistoryError, open_database

    try:
        engine = open_database(data_dir)
        try:
            return read(engine)
        finally:
            engine.dispose()
    except HistoryError as exc:
        raise click.ClickException(str(exc)) from None


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


def _dataset_command(dataset: str, summary: str):
    """An `xxgk export DATASET` subcommand: one dataset of the database as Parquet, CSV or JSON lines."""

    @export.command(dataset, help=summary)
    @click.argument("out", type=click.Path(path_type=Path))
    @click.option("--format", "fmt", type=click.Choice(["parquet", "csv", "jsonl"]),
                  help="Output format (default: from OUT's extension).")
    @click.option("--site", help="Only this site.")
    @click.option("--years", metavar="A-B", help="Only these years (report years; fetch years for captures).")
    @data_dir_option
    def command(out: Path, fmt: str | None, site: str | None, years: str | None, data_dir: Path) -> None:
        from crawler.export import ExportError, Filters, check_site, format_for, parse_years
        from crawler.export import export as export_dataset

        try:
            check_site(site)
            filters = Filters(site, parse_years(years) if years else None)
            rows = export_dataset(dataset, data_dir, out, format_for(out, fmt), filters)
        except ExportError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"wrote {out}: {rows} rows")

    return command


export_reports_command = _dataset_command(
    "reports", "One row per report version: metadata, agency, region, year, text and where its capture is archived.")
export_tables_command = _dataset_command(
    "tables", "Statistics-table cells in long format, with report, version, site, year and region code.")
export_captures_command = _dataset_command(
    "captures", "An index of every capture with Common Crawl's column names (url_surtkey … warc_record_length).")


@main.group()
def schedule() -> None:
    """Crawl each site on its registry schedule (cron syntax)."""


def _site_list(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for value in values for name in value.split(",") if name)


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
@data_dir_option
def schedule_run(once: bool, site_names: tuple[str, ...], base_urls: tuple[str, ...], overrides: tuple[str, ...],
                 max_parallel: int, tick: float, ticks: int | None, now_text: str | None, data_dir: Path) -> None:
    """Start due crawls as `xxgk crawl SITE` processes, one per site at a time; record each in `runs`."""
    import signal

    from crawler.schedule import Options, ScheduleError, Scheduler, clock, parse_now

    for value in overrides:
        _pair(value, "--set")
    try:
        options = Options(data_dir, _site_list(site_names), dict(_pair(v, "--base-url") for v in base_urls),
                          overrides, max_parallel, tick)
        scheduler = Scheduler(options, clock(parse_now(now_text) if now_text else None), click.echo)
    except ScheduleError as exc:
        raise click.ClickException(str(exc)) from None
    signal.signal(signal.SIGTERM, scheduler.stop)
    signal.signal(signal.SIGINT, scheduler.stop)
    results = scheduler.run(once, ticks)
    if not results:
        click.echo("no crawl was due")
    if any(status not in ("ok", "skipped") for status in results):
        sys.exit(1)


@schedule.command("list")
@click.option("--sites", "site_names", multiple=True, metavar="SITE[,SITE…]", help="Only these sites.")
@click.option("--now", "now_text", metavar="ISO-TIME", help="Compute next runs from this time.")
@data_dir_option
def schedule_list(site_names: tuple[str, ...], now_text: str | None, data_dir: Path) -> None:
    """Each site's schedule, next run and last run."""
    from crawler.schedule import ScheduleError, clock, format_overview, overview, parse_now

    try:
        now = clock(parse_now(now_text) if now_text else None)()
        click.echo(format_overview(overview(data_dir, _site_list(site_names), now)))
    except ScheduleError as exc:
        raise click.ClickException(str(exc)) from None


@main.command("coverage")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Also draw it: FILE.png or FILE.html.")
@click.option("--years", metavar="A-B", help="Years to show (default: 2008 to last year, widened by the data).")
@click.option("--agencies", is_flag=True, help="One row per agency named in a site's reports, not per site.")
@data_dir_option
def coverage_command(out: Path | None, years: str | None, agencies: bool, data_dir: Path) -> None:
    """Government × year matrix: report found (HTML, attachment, image only), missing, blocked."""
    from crawler.coverage import coverage, format_table, write_html, write_png
    from crawler.export import ExportError, parse_years

    if out is not None and out.suffix.lower() not in (".png", ".html", ".htm"):
        raise click.BadParameter(f"expected a .png or .html file, got {out}", param_hint="--out")
    try:
        span = parse_years(years) if years else None
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    matrix = coverage(data_dir, span, agencies)
    click.echo(format_table(matrix))
    if out is not None:
        try:
            (write_png if out.suffix.lower() == ".png" else write_html)(matrix, out)
        except OSError as exc:
            raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from None
        click.echo(f"\nwrote {out}")


@main.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True, help="0 picks a free port.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--replay-port", type=click.IntRange(1, 65535), default=8080, show_default=True,
              help="Port of `xxgk replay`, which capture links point at.")
@data_dir_option
def browse(port: int, host: str, replay_port: int, data_dir: Path) -> None:
    """Browse the database in Datasette: reports, versions, changes, statistics, coverage; Ctrl-C stops."""
    from crawler.browse import BrowseError
    from crawler.browse import run as run_browse

    try:
        status = run_browse(data_dir, host, port, f"http://127.0.0.1:{replay_port}", click.echo)
    except BrowseError as exc:
        raise click.ClickException(str(exc)) from None
    sys.exit(status)


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


def run_sharded(site_names: tuple[str, ...], processes: int, data_dir: Path, base_urls: dict[str, str],
                overrides: dict, verbose: bool) -> list[dict]:
    """Crawl the sites in `processes` processes; one log per process in DATA_DIR/logs/."""
    from crawler.crawl import crawl_sharded

    log_file = _log_file(data_dir, "crawl")
    click.echo(f"crawling {', '.join(site_names)} in {min(processes, len(site_names))} processes; "
               f"logs: {log_file.with_name(log_file.stem + '-N' + log_file.suffix)}")
    overrides = {"LOG_LEVEL": "INFO" if verbose else "WARNING", **overrides}
    return crawl_sharded(site_names, processes, data_dir, base_urls, overrides, log_file)


@main.command()
@click.option("--processes", type=click.IntRange(min=1), help="Worker processes (default: one per core).")
@click.option("--site", help="Only this site's documents and attachments.")
@click.option("--database-url", default="", help="SQLAlchemy URL (default: SQLite in the data directory).")
@data_dir_option
def reextract(processes: int | None, site: str | None, database_url: str, data_dir: Path) -> None:
    """Re-run extraction over the archive: each report page and attachment read back from its WARC record."""
    import os

    from crawler.reextract import reextract as run_reextract

    if not (data_dir / "warc").is_dir():
        raise click.ClickException(f"{data_dir / 'warc'}: no WARC directory (crawl first, or pass --data-dir)")
    started = time.monotonic()

    def progress(outcome, total: int) -> None:
        done = outcome.documents + outcome.attachments + outcome.missing
        rate = done / max(time.monotonic() - started, 1e-9)
        click.echo(f"\r{done}/{total} re-extracted ({rate:.0f}/s)", nl=False, err=True)

    outcome = run_reextract(data_dir, processes or os.cpu_count() or 1, site, database_url, progress)
    click.echo("", err=True)
    click.echo(f"re-extracted {outcome.documents} documents and {outcome.attachments} attachments "
               f"({outcome.cells} table cells); {outcome.errors} extraction errors, {outcome.missing} not in the archive")
    for problem in outcome.problems[:20]:
        click.echo(f"  {problem}")
    if outcome.missing:
        sys.exit(1)


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

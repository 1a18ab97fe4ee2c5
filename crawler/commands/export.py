"""Datasets and packages: `xxgk export …`, `xxgk coverage`."""

from __future__ import annotations

from pathlib import Path

import click

from crawler import config
from crawler.commands.options import configured, registry


@click.group()
def export() -> None:
    """Package the archive for other tools."""


@export.command("wacz")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--site", help="Only this site's WARC files and reports.")
@click.option("--crawl", "crawl_id", type=int, help="Only this crawl's WARC files and reports (an id in `crawls`).")
@configured
def export_wacz_command(out: Path, site: str | None, crawl_id: int | None, ctx: config.Context) -> None:
    """Write the archive as a WACZ file for ReplayWeb.page (WARCs, CDXJ, pages with report metadata)."""
    from archive.store import archive_root

    data_dir = archive_root(ctx.settings)  # with a shared archive (XXGK_ARCHIVE), every worker's files
    from archive.wacz import ExportError, Selection, export_wacz

    try:
        exported = export_wacz(data_dir, out, ctx.database_url, Selection(site, crawl_id))
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    originals = f", {exported.originals} original records its revisits need" if exported.originals else ""
    click.echo(f"wrote {out}: {len(exported.warc_files)} WARC files{originals}, {exported.index_lines} index records, "
               f"{exported.pages} report pages")


def _dataset_command(dataset: str, summary: str):
    """An `xxgk export DATASET` subcommand: one dataset of the database as Parquet, CSV or JSON lines."""

    @export.command(dataset, help=summary)
    @click.argument("out", type=click.Path(path_type=Path))
    @click.option("--format", "fmt", metavar="FORMAT",
                  help="Output format: parquet, csv or jsonl (default: from OUT's extension).")
    @click.option("--site", help="Only this site.")
    @click.option("--years", metavar="A-B", help="Only these years (report years; fetch years for captures).")
    @configured
    def command(out: Path, fmt: str | None, site: str | None, years: str | None, ctx: config.Context) -> None:
        from crawler.export import Filters, Source, format_for, parse_years
        from crawler.export import export as export_dataset
        from crawler.progress import row_counter

        filters = Filters(site, parse_years(years) if years else None)
        source = Source(ctx.database_url, ctx.data_dir, registry(ctx))
        with row_counter(f"exporting {dataset}") as progress:
            rows = export_dataset(dataset, source, out, format_for(out, fmt), filters, progress)
        click.echo(f"wrote {out}: {rows} rows")

    return command


export_reports_command = _dataset_command(
    "reports", "One row per report version: metadata, agency, region, year, text and where its capture is archived.")
export_tables_command = _dataset_command(
    "tables", "Statistics-table cells in long format, with report, version, site, year and region code.")
export_captures_command = _dataset_command(
    "captures", "An index of every capture with Common Crawl's column names (url_surtkey … warc_record_length).")


@click.command("coverage")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Also draw it: FILE.png or FILE.html.")
@click.option("--years", metavar="A-B", help="Years to show (default: 2008 to last year, widened by the data).")
@click.option("--agencies", is_flag=True, help="One row per agency named in a site's reports, not per site.")
@configured
def coverage_command(out: Path | None, years: str | None, agencies: bool, ctx: config.Context) -> None:
    """Government × year matrix: report found (HTML, attachment, image only), missing, blocked."""
    from crawler.coverage import coverage, format_table, write_html, write_png
    from crawler.export import ExportError, parse_years

    if out is not None and out.suffix.lower() not in (".png", ".html", ".htm"):
        raise click.BadParameter(f"expected a .png or .html file, got {out}", param_hint="--out")
    try:
        span = parse_years(years) if years else None
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    matrix = coverage(ctx.database_url, registry(ctx), span, agencies)
    click.echo(format_table(matrix))
    if out is not None:
        try:
            (write_png if out.suffix.lower() == ".png" else write_html)(matrix, out)
        except OSError as exc:
            raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from None
        click.echo(f"\nwrote {out}")


COMMANDS = [export, coverage_command]

"""Extraction: `xxgk extract`, `xxgk report`, `xxgk eval`, `xxgk reextract`."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from crawler import config
from crawler.commands.options import configured

# Files `xxgk report` reads and `xxgk extract` does not: extract reads saved web pages.
REPORT_FILES = frozenset({".txt", ".pdf", ".docx", ".doc", ".wps", ".xls", ".xlsx", ".et", ".png", ".jpg", ".jpeg",
                          ".tif", ".tiff", ".bmp", ".gif"})


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--url", help="The page's address, to resolve links and recognise its platform.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def extract(file: Path, url: str | None, as_json: bool) -> None:
    """Extract metadata, report year, agency and clean text from a saved page (HTML)."""
    from crawler.extract import ExtractionError, extract_file

    if file.suffix.lower() in REPORT_FILES:
        raise click.ClickException(f"{file}: `xxgk extract` reads saved web pages; for the statistics tables of "
                                   f"a {file.suffix.lower()} file run `xxgk report {file}`")
    try:
        fields = extract_file(str(file), url)
    except ExtractionError as exc:
        hint = "" if file.suffix.lower() in (".html", ".htm", ".shtml") else \
            f" (for a text, PDF, DOCX or spreadsheet report: `xxgk report {file}`)"
        raise click.ClickException(f"{exc}{hint}") from None
    if as_json:
        click.echo(json.dumps(fields, ensure_ascii=False, indent=2))
        return
    for key, value in fields.items():
        if key != "text":
            click.echo(readable(key, value))
    click.echo("\n" + (fields.get("text") or ""))


def readable(key: str, value) -> str:
    """One field as `key: value`; a list one item per indented line (sections by number, heading and size)."""
    if not isinstance(value, list):
        return f"{key}: {'' if value is None else value}"
    if not value:
        return f"{key}: none"
    lines = [f"{key}:"]
    for item in value:
        if key == "sections" and isinstance(item, dict):
            size = len(item.get("text") or "")
            lines.append(f"  {item.get('no') or '-'}. {item.get('heading') or ''} ({size} characters)")
        elif isinstance(item, dict):
            lines.append("  " + ", ".join(f"{k}: {'' if v is None else v}" for k, v in item.items()))
        else:
            lines.append(f"  {item}")
    return "\n".join(lines)


@click.command("report")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", help="The report's address (helps recognise its platform and type).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def report_command(file: Path, url: str | None, as_json: bool) -> None:
    """Statistics tables of a report (HTML, PDF, DOCX, XLS(X), image or flattened text) as cells and checks."""
    from crawler.extract import ExtractionError
    from crawler.extract.attachments import AttachmentError, sniff
    from crawler.extract.tables import parse_report
    from crawler.limits import TooLarge, check_attachment, check_page

    try:
        data = file.read_bytes()
        if not data.strip():
            raise click.ClickException(f"{file}: empty file, no report in it")
        kind = sniff(data, file.name)
        check_page(len(data)) if kind == "html" else check_attachment(data, kind)
        result = parse_report(data, url, file.name)
    except (AttachmentError, ExtractionError, TooLarge, OSError) as exc:
        raise click.ClickException(f"{file}: {exc}") from None
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


@click.command("eval")
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), help="Corpus directory (tests/eval).")
@click.option("--update-baseline", is_flag=True, help="Store the current figures as the baseline.")
def eval_command(corpus: Path | None, update_baseline: bool) -> None:
    """Extraction accuracy on the labelled corpus; exits 1 if a figure drops below the baseline."""
    from crawler.extract.evaluate import main as evaluate_main

    args = (["--corpus", str(corpus)] if corpus else []) + (["--update-baseline"] if update_baseline else [])
    sys.exit(evaluate_main(args))


@click.command()
@click.option("--processes", type=click.IntRange(min=1), help="Worker processes (default: one per core).")
@click.option("--site", help="Only this site's documents and attachments.")
@configured
def reextract(processes: int | None, site: str | None, ctx: config.Context) -> None:
    """Re-run extraction over the archive: each report page and attachment read back from its WARC record."""
    import os

    from archive.store import location_of
    from pipelines.reextract import reextract as run_reextract

    data_dir, archive = ctx.data_dir, location_of(ctx.settings)
    if not (data_dir / "warc").is_dir() and not archive[0]:
        raise click.ClickException(f"{data_dir / 'warc'}: no WARC directory (crawl first, or pass --data-dir)")
    started = time.monotonic()

    def progress(outcome, total: int) -> None:
        done = outcome.documents + outcome.attachments + outcome.missing
        rate = done / max(time.monotonic() - started, 1e-9)
        click.echo(f"\r{done}/{total} re-extracted ({rate:.0f}/s)", nl=False, err=True)

    outcome = run_reextract(data_dir, ctx.database_url, processes or os.cpu_count() or 1, site, progress, archive)
    click.echo("", err=True)
    click.echo(f"re-extracted {outcome.documents} documents and {outcome.attachments} attachments "
               f"({outcome.cells} table cells); {outcome.errors} extraction errors, {outcome.missing} not in the archive")
    for problem in outcome.problems[:20]:
        click.echo(f"  {problem}")
    if outcome.missing:
        sys.exit(1)


COMMANDS = [extract, report_command, eval_command, reextract]

"""History: `xxgk snapshots`, `show`, `column`, `diff`, `changes`."""

from __future__ import annotations

import json
import sys

import click

from crawler import config
from crawler.commands.options import configured, registry
from crawler.database.types import display, json_default


@click.command()
@click.argument("url")
@click.option("--from", "start", metavar="DATE", help="Only captures from this date or time on.")
@click.option("--to", "end", metavar="DATE", help="Only captures up to this date or time (a date: its whole day).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per capture.")
@configured
def snapshots(url: str, start: str | None, end: str | None, as_json: bool, ctx: config.Context) -> None:
    """Every capture of URL: date, status, kind, revisit or not, WARC file and offset."""
    from crawler.database import snapshots as history

    found = _history(lambda engine: history.snapshots(engine, url, history.when(start), history.when(end, True)),
                     ctx)
    if not found and not as_json:
        raise click.ClickException(f"no capture of {url}" + (" in that period" if start or end else ""))
    for capture in found:
        if as_json:
            click.echo(history.to_json(capture))
        else:
            revisit = f"revisit:{capture['revisit']}" if capture["revisit"] else "response"
            click.echo(f"{display(capture['date'])}  {capture['status'] or '-':<3} {capture['kind']:<10} "
                       f"{capture['outcome'] or '':<7} {revisit:<33} {capture['warc_file']}@{capture['offset']}")


@click.command()
@click.argument("url")
@click.option("--at", "at", metavar="DATE", required=True, help="Show the capture closest to this date or time.")
@click.option("--text", "text", is_flag=True, help="The report's cleaned text as of that capture.")
@click.option("--meta", "meta", is_flag=True, help="The report's metadata as of that capture (JSON).")
@click.option("--raw", "raw", is_flag=True, help="The archived HTTP payload (a revisit's: its original's).")
@configured
def show(url: str, at: str, text: bool, meta: bool, raw: bool, ctx: config.Context) -> None:
    """The capture of URL closest to a date (Memento-style), with its date; its text, metadata or payload.

    --meta and --text together print the metadata, a blank line, then the text."""
    from crawler.database import snapshots as history

    if raw and (text or meta):
        raise click.UsageError("--raw prints the payload alone: not with --text or --meta")

    def read(engine):
        moment = history.when(at, end_of_day=True)
        capture = history.closest(engine, url, moment)
        version = history.version_at(engine, url, capture["date"])
        place = history.payload_place(engine, capture) if raw else None
        return capture, version, place

    capture, version, place = _history(read, ctx)
    if raw:
        from archive import store
        from archive.stored import read_payload

        store.use(store.store_of(ctx.settings))  # a file published to the shared archive is read there
        body = read_payload(ctx.data_dir / "warc", place)
        if body is None:
            raise click.ClickException(f"{place['warc_file']}: the archived payload is missing")
        sys.stdout.buffer.write(body)
        return
    if (text or meta) and version is None:
        raise click.ClickException(f"no extracted version of {url} at {display(capture['date'])} "
                                   f"({capture['kind']} capture)")
    if meta:
        click.echo(json.dumps({"url": url, "capture_date": capture["date"], "version": version["version"],
                               "seen_at": version["seen_at"], **(version["fields"] or {})},
                              ensure_ascii=False, indent=2, default=json_default))
    if meta and text:
        click.echo()
    if text:
        click.echo(version["text"] or "")
    if text or meta:
        return
    revisit = f"revisit ({capture['revisit']}) of {capture['refers_to']}" if capture["revisit"] else "response"
    click.echo(f"url:     {url}\ncapture: {display(capture['date'])}\nstatus:  {capture['status']} {capture['kind']} "
               f"{capture['outcome'] or ''}\nrecord:  {revisit}\nwarc:    {capture['warc_file']}@{capture['offset']}")
    if version:
        click.echo(f"version: {version['version']} (seen {display(version['seen_at'])}): {(version['fields'] or {}).get('title')}")


@click.command()
@click.argument("site")
@click.option("--at", "at", metavar="DATE", required=True, help="As of this date or time (a date: its end).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per column.")
@configured
def column(site: str, at: str, as_json: bool, ctx: config.Context) -> None:
    """The items SITE's report columns listed at a date (the last crawl that read each column whole)."""
    from crawler.database import snapshots as history

    known_site(site, ctx)
    columns = _history(lambda engine: history.column_at(engine, site, history.when(at, end_of_day=True)), ctx)
    if not columns:
        raise click.ClickException(f"no complete crawl of a {site} column at or before {at}")
    for listed in columns:
        if as_json:
            click.echo(history.to_json(listed))
            continue
        click.echo(f"{listed['column_url']}  (crawl {listed['crawl_id']}, {display(listed['crawled_at'])}): "
                   f"{len(listed['items'])} items")
        for item in listed["items"]:
            click.echo(f"  {item.get('date') or '':<10}  {item.get('title') or ''}  {item['url']}")


@click.command()
@click.argument("url")
@click.option("--from", "start", metavar="DATE",
              help="The version in effect at this date or time (a date: its start) [default: the one before --to's]…")
@click.option("--to", "end", metavar="DATE",
              help="…against the one in effect at this date or time (a date: its end) [default: the latest].")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the changes (auto: on a terminal); without colour they are marked [-old-]{+new+}.")
@configured
def diff(url: str, start: str | None, end: str | None, color: str, ctx: config.Context) -> None:
    """A unified diff of a report between two dates (by default its latest change): metadata, attachments and text,
    changed words marked."""
    from crawler import textdiff
    from crawler.database import snapshots as history

    coloured = color == "always" or (color == "auto" and sys.stdout.isatty())
    style = textdiff.COLOUR if coloured else textdiff.PLAIN
    click.echo(_history(lambda engine: history.diff(engine, url, history.when(start), history.when(end, True), style),
                        ctx), nl=False, color=coloured)


@click.command()
@click.argument("site", required=False)
@click.option("--since", metavar="DATE", required=True, help="Events at or after this date or time.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per event.")
@configured
def changes(site: str | None, since: str, as_json: bool, ctx: config.Context) -> None:
    """Column events (first_seen, changed, retitled, removed, reappeared) since a date, of one site or all."""
    from crawler.database import snapshots as history

    if site:
        known_site(site, ctx)
    for event in _history(lambda engine: history.changes(engine, site, history.when(since)), ctx):
        click.echo(history.to_json(event) if as_json else history.describe_event(event))


def known_site(site: str, ctx: config.Context) -> None:
    """A one-line error for a site nobody registered."""
    if site not in registry(ctx):
        raise click.ClickException(f"unknown site {site!r} (see `xxgk sites`)")


def _history(read, ctx: config.Context):
    """Run a read of the history tables; bad input or a missing archive becomes a one-line error."""
    from crawler import database as db
    from crawler.database.snapshots import HistoryError

    try:
        return read(db.open_existing(ctx.database_url))
    except HistoryError as exc:
        raise click.ClickException(str(exc)) from None


COMMANDS = [snapshots, show, column, diff, changes]

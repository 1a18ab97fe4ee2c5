"""Serving the archive: `xxgk index`, `xxgk replay`, `xxgk browse`."""

from __future__ import annotations

import sys

import click

from crawler import config
from crawler.commands.options import configured, registry


@click.command()
@configured
def index(ctx: config.Context) -> None:
    """Salvage WARC files a dead crawl left open, then rebuild every CDXJ index; a file that cannot be read whole is
    reported (how many of its records could be read) and left unindexed, and the command exits 1."""
    data_dir = ctx.data_dir
    from archive.index import index_dir, index_warc
    from archive.salvage import salvage
    from archive.verify import verify_warc

    warc_dir = data_dir / "warc"
    if not warc_dir.is_dir():
        raise click.ClickException(f"{warc_dir}: no WARC directory (crawl first, or pass --data-dir)")
    for salvaged in salvage(warc_dir):
        click.echo(f"salvaged {salvaged.path.name}: {salvaged.records} records kept, {salvaged.torn_bytes} torn bytes cut")
    indexes, bad = [], []
    for path in sorted(warc_dir.glob("*.warc.gz")):
        check = verify_warc(path)
        if check.problem:
            bad.append(path)
            click.echo(f"Error: {path}: {check.problem}; {check.records} records readable, not indexed", err=True)
        else:
            indexes.append(index_warc(path))
    lines = sum(path.read_bytes().count(b"\n") for path in indexes)
    click.echo(f"indexed {len(indexes)} WARC files ({lines} records) into {index_dir(data_dir)}")
    if bad:
        sys.exit(1)


@click.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="0 picks a free port.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@configured
def replay(port: int, host: str, ctx: config.Context) -> None:
    """Replay the archive with pywb at http://HOST:PORT/xxgk/ (CDX API, Memento TimeMaps); Ctrl-C stops."""
    from archive.store import archive_root

    data_dir = archive_root(ctx.settings)  # with a shared archive (XXGK_ARCHIVE), every worker's files
    from archive.replay import ReplayError
    from archive.replay import run as run_replay

    try:
        status = run_replay(data_dir, host, port)
    except ReplayError as exc:
        raise click.ClickException(str(exc)) from None
    sys.exit(status)


@click.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True, help="0 picks a free port.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--replay-port", type=click.IntRange(1, 65535), default=8080, show_default=True,
              help="Port of `xxgk replay`, which capture links point at.")
@configured
def browse(port: int, host: str, replay_port: int, ctx: config.Context) -> None:
    """Browse the database in Datasette: reports, versions, changes, statistics, coverage; Ctrl-C stops."""
    from crawler.browse import BrowseError
    from crawler.browse import run as run_browse

    try:
        status = run_browse(ctx.database_url, registry(ctx), host, port, f"http://127.0.0.1:{replay_port}", click.echo)
    except BrowseError as exc:
        raise click.ClickException(str(exc)) from None
    sys.exit(status)


COMMANDS = [index, replay, browse]

"""Browse the database in Datasette: canned queries for documents, versions, changes, statistics and coverage.

Datasette reads SQLite only: a PostgreSQL database is copied first into a read-only SQLite snapshot with the same
schema (in a temporary directory, removed when browsing stops), and that is what is browsed.
"""

from __future__ import annotations

import json
import shutil
import signal
import socket
import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy import insert, select

from crawler import database as db
from crawler.config import describe_database
from crawler.coverage import FIRST_YEAR, MIN_REPORT_TEXT, default_years, write_html
from crawler.errors import XxgkError

DATABASE = "xxgk"  # Datasette names a database after its file: xxgk.sqlite
COPY_BATCH = 1000  # rows per INSERT when copying a PostgreSQL database into the snapshot
CELLS_PLUGIN = Path(__file__).with_name("cells.py")


class BrowseError(XxgkError):
    """Browsing cannot start: no database, or one Datasette cannot open."""


def replay_link(timestamp_sql: str, url_sql: str, replay: str) -> str:
    """SQL for the `xxgk replay` address of a URL at a time (pywb picks the closest capture).

    Timestamps are stored as SQLAlchemy writes them in SQLite (2024-01-02 03:04:05.123456, UTC), which SQLite's
    own strftime reads; pywb wants the 14 digits."""
    digits = f"strftime('%Y%m%d%H%M%S', {timestamp_sql})"
    return f"case when {url_sql} is not null and {timestamp_sql} is not null then '{replay}/{DATABASE}/' || {digits} " \
           f"|| '/' || {url_sql} end"


def coverage_sql(years: list[int]) -> str:
    """Crawled sites × years: html, attachment or image where a report was found, else missing or blocked."""
    columns = ",\n  ".join(
        f"coalesce((select status from best b where b.site = l.site and b.year = {year}), "
        f"case l.status when 'blocked' then 'blocked' else 'missing' end) as \"{year}\"" for year in years)
    return f"""with found as (
  select site, report_year as year, case when length(text) >= {MIN_REPORT_TEXT} then 1 else 3 end as rank
  from documents where report_year is not null
  union all
  select a.site, coalesce(a.report_year, d.report_year),
         case when a.kind != 'image' and length(a.text) >= {MIN_REPORT_TEXT} then 2 else 3 end
  from attachments a left join documents d on d.url = a.document_url
  where coalesce(a.report_year, d.report_year) is not null
),
best as (
  select site, year, case min(rank) when 1 then 'html' when 2 then 'attachment' else 'image' end as status
  from found group by site, year
),
latest as (
  select site, status from crawls
  where id in (select max(id) from crawls where finished_at is not null group by site)
)
select l.site, l.status as last_crawl,
  {columns}
from latest l order by l.site"""


def queries(replay: str, years: list[int]) -> dict:
    """The canned queries, each capture linked to its replay address."""
    capture_link = replay_link("c.fetched_at", "c.url", replay)
    return {
        "documents": {
            "title": "Reports",
            "description": "Every report page: year, agency, format, text size, attachments, versions, its capture.",
            "sql": f"""select d.site, d.report_year, d.agency, d.title, d.publish_date, d.format,
  length(d.text) as text_chars,
  (select count(*) from attachments a where a.document_url = d.url) as attachments,
  (select count(*) from versions v where v.document_url = d.url) as versions,
  d.url, c.fetched_at, {capture_link} as replay_url
from documents d left join captures c on c.id = d.capture_id
where (:site = '' or d.site = :site) and (:year = '' or d.report_year = cast(:year as integer))
  and (:q = '' or d.title like '%' || :q || '%' or d.agency like '%' || :q || '%')
order by d.site, d.report_year desc, d.agency""",
        },
        "versions": {
            "title": "Versions",
            "description": "Each version of a report (a new one only when text, metadata or attachments changed).",
            "sql": f"""select v.site, v.document_url, v.version, v.seen_at,
  json_extract(v.fields, '$.title') as title, json_extract(v.fields, '$.report_year') as report_year,
  length(v.text) as text_chars, v.text_sha1, v.meta_sha1, v.attachments_sha1, c.fetched_at,
  {capture_link} as replay_url
from versions v left join captures c on c.id = v.capture_id
where (:site = '' or v.site = :site) and (:url = '' or v.document_url = :url)
order by v.site, v.document_url, v.version""",
        },
        "changes": {
            "title": "Changes",
            "description": "What happened to column items: first seen, changed, retitled, removed, reappeared.",
            "sql": f"""select e.at, e.site, e.kind, e.url, e.details, e.column_url, e.crawl_id,
  {replay_link("e.at", "e.url", replay)} as replay_url
from events e
where (:site = '' or e.site = :site) and (:kind = '' or e.kind = :kind)
order by e.at desc, e.id desc""",
        },
        "statistics": {
            "title": "Statistics",
            "description": "Statistics-table cells in long format, by site, region code, year and agency.",
            "sql": f"""select d.site, d.region_code, d.report_year, d.agency, r.table_name, r.row_label, r.col_label,
  r.value, r.unit, r.document_url, {capture_link} as replay_url
from report_cells r join documents d on d.url = r.document_url left join captures c on c.id = r.capture_id
where (:site = '' or d.site = :site) and (:year = '' or d.report_year = cast(:year as integer))
  and (:table_name = '' or r.table_name = :table_name) and (:row = '' or r.row_label like '%' || :row || '%')
order by d.site, d.report_year, r.document_url, r.id""",
        },
        "coverage": {
            "title": "Coverage",
            "description_html": "Crawled sites by report year: html, attachment, image (only), missing, blocked. "
                                '<a href="/charts/coverage.html">The chart of every registry site</a>.',
            "sql": coverage_sql(years),
            "hide_sql": True,
        },
        "captures": {
            "title": "Captures",
            "description": "Every archived response, with its WARC location and replay address.",
            "sql": f"""select c.id, c.site, c.kind, c.url, c.status, c.fetched_at, c.warc_file, c.warc_offset,
  c.warc_length, c.digest, {capture_link} as replay_url
from captures c
where (:site = '' or c.site = :site) and (:kind = '' or c.kind = :kind)
order by c.id desc""",
        },
        "runs": {
            "title": "Scheduled runs",
            "description": "Every crawl started by `xxgk schedule run`: slot, start, end, status, exit code.",
            "sql": """select r.id, r.site, r.scheduled_for, r.started_at, r.finished_at, r.status, r.exit_code,
  json_extract(r.stats, '$.reports') as reports, json_extract(r.stats, '$.attachments') as attachments
from runs r order by r.id desc""",
        },
    }


def metadata(replay: str, years: list[int]) -> dict:
    """Datasette metadata: title, description and the canned queries of the xxgk database."""
    return {
        "title": "xxgk: government annual disclosure reports",
        "description_html": (
            "Reports, versions, changes, statistics and coverage of the crawl database. "
            f'Capture links open the archive in <code>xxgk replay</code> at <a href="{replay}/{DATABASE}/">{replay}</a>. '
            '<a href="/charts/coverage.html">Coverage chart</a>.'),
        "databases": {DATABASE: {"queries": queries(replay, years)}},
    }


def database_path(url: str) -> Path:
    """The SQLite file of a SQLite URL; BrowseError when there is none."""
    path = Path(url.removeprefix("sqlite:///"))
    if not path.is_file():
        raise BrowseError(f"{path}: no database (crawl first)")
    return path


def snapshot(url: str, path: Path) -> int:
    """Copy every table of the database at `url` into a new SQLite file at `path` (the same schema, at the same
    revision), then make it read-only; the number of rows copied."""
    target_url = f"sqlite:///{path}"
    source, target = db.open_existing(url), db.connect(target_url)
    copied = 0
    with source.connect() as read, target.begin() as write:
        for table in db.metadata.sorted_tables:  # parents before children: foreign keys hold on every insert
            rows = read.execution_options(stream_results=True, yield_per=COPY_BATCH).execute(
                select(table).order_by(*table.primary_key.columns))
            for batch in rows.mappings().partitions():
                write.execute(insert(table), [dict(row) for row in batch])
                copied += len(batch)
    target.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")  # one self-contained file: Datasette opens it immutable
    conn.close()
    path.chmod(0o444)
    return copied


def data_years(url: str) -> list[int]:
    """The coverage years: 2008 to last year, widened to the years in the database."""
    documents = db.documents.c
    with db.open_existing(url).connect() as conn:
        found = set(conn.scalars(select(documents.report_year).where(documents.report_year.is_not(None)).distinct()))
    return default_years({year for year in found if year >= FIRST_YEAR - 10})


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def browsed_file(url: str, directory: Path, say=print) -> list[str]:
    """Datasette's arguments for the database: a SQLite file as it is, a server database as a snapshot in
    `directory` (said on screen)."""
    if url.startswith("sqlite"):
        return [str(database_path(url))]
    path = directory / f"{DATABASE}.sqlite"
    say(f"Datasette reads SQLite only: copying {describe_database(url)} into a read-only snapshot…")
    rows = snapshot(url, path)
    say(f"browsing the snapshot ({rows} rows, {path.stat().st_size // 1024} KiB); it is removed when browsing "
        "stops, and restarting `xxgk browse` takes a new one")
    return ["--immutable", str(path)]


def prepare(url: str, sites: dict, directory: Path, replay: str, say=print) -> list[str]:
    """Write metadata, the plugin and the coverage chart into `directory`; Datasette's arguments for them."""
    from crawler.coverage import coverage

    database = browsed_file(url, directory, say)
    years = data_years(url)
    (directory / "metadata.json").write_text(json.dumps(metadata(replay, years), ensure_ascii=False, indent=2),
                                             encoding="utf-8")
    plugins, charts = directory / "plugins", directory / "charts"
    plugins.mkdir()
    charts.mkdir()
    shutil.copyfile(CELLS_PLUGIN, plugins / "xxgk_cells.py")
    write_html(coverage(url, sites), charts / "coverage.html")
    return [*database, "--metadata", str(directory / "metadata.json"), "--plugins-dir", str(plugins),
            "--static", f"charts:{charts}", "--setting", "sql_time_limit_ms", "5000"]


def run(url: str, sites: dict, host: str, port: int, replay: str, say=print) -> int:
    """Serve Datasette in this process until Ctrl-C or SIGTERM (uvicorn stops on both); 0 when it stopped cleanly."""
    from datasette.cli import cli as datasette

    port = port or free_port(host)
    with tempfile.TemporaryDirectory(prefix="xxgk-browse-") as scratch:
        arguments = prepare(url, sites, Path(scratch), replay, say)
        shown = f"[{host}]" if ":" in host else host
        say(f"http://{shown}:{port}/{DATABASE}")
        # uvicorn re-raises the signal that stopped it once it has shut down: end as on Ctrl-C, scratch removed.
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            datasette.main(["serve", *arguments, "--host", host, "--port", str(port)], prog_name="datasette",
                           standalone_mode=False)
        except KeyboardInterrupt:
            pass
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else 1
        finally:
            signal.signal(signal.SIGTERM, previous)
    return 0


def _interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt

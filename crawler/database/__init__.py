"""The database: schema and connection (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import sqlite3
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    create_engine,
    event,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from crawler.database.types import JSONData, ReportDate, UTCDateTime, json_text
from crawler.errors import NoDatabase
from crawler.fields import METADATA, METADATA_KEYS

metadata = MetaData()

crawls = Table(
    "crawls", metadata,
    Column("id", Integer, primary_key=True),
    Column("site", String(100), nullable=False, index=True),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("status", String(20)),  # running | ok | failed | blocked | crashed (found dead by the next crawl)
    Column("summary", JSONData),
)

captures = Table(
    "captures", metadata,
    Column("id", Integer, primary_key=True),
    Column("crawl_id", ForeignKey("crawls.id"), index=True),
    Column("site", String(100), nullable=False),
    Column("url", Text, nullable=False, index=True),
    Column("kind", String(20), nullable=False),  # list | document | attachment
    Column("status", Integer),
    Column("fetched_at", UTCDateTime),
    Column("warc_file", Text),
    Column("warc_offset", Integer),
    Column("warc_length", Integer),
    Column("digest", String(64)),
    Column("record_id", String(64)),
    Column("revisit", String(32)),  # identical-payload-digest | server-not-modified | NULL (a full response)
    Column("refers_to", String(64)),  # a revisit's original: WARC-Record-ID of the response holding the payload
    Column("outcome", String(16)),  # ok | blocked | error: blocked and error captures never count as a change
)

digests = Table(
    "digests", metadata,  # the digest index: each payload first archived for a URL, and its latest validators
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("record_id", String(64), nullable=False),  # the original response record
    Column("date", UTCDateTime, nullable=False),  # its WARC-Date
    Column("warc_file", Text, nullable=False),
    Column("warc_offset", Integer, nullable=False),
    Column("warc_length", Integer, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False),  # WARC-Date of the latest capture with this payload
    Column("etag", Text),  # validators the server sent with that latest capture
    Column("last_modified", Text),
    UniqueConstraint("url", "digest"),
)

column_crawls = Table(
    "column_crawls", metadata,  # how well a crawl covered each column: removals are only read from complete ones
    Column("id", Integer, primary_key=True),
    Column("crawl_id", ForeignKey("crawls.id"), index=True),
    Column("site", String(100), nullable=False, index=True),
    Column("column_url", Text, nullable=False),
    Column("pages", Integer),  # list pages stored
    Column("entries", Integer),  # items listed
    Column("complete", Integer, nullable=False),  # 1: every list page fetched OK and the crawl finished
    Column("problem", Text),  # why not complete
    UniqueConstraint("crawl_id", "column_url"),
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("site", String(100), nullable=False, index=True),
    Column("url", Text, nullable=False, unique=True),
    Column("first_seen", UTCDateTime),
    Column("last_seen", UTCDateTime),
    Column("capture_id", ForeignKey("captures.id")),
    Column("list_title", Text),
    Column("list_date", String(32)),
    Column("column_url", Text),
    *(Column(field.key, ReportDate if field.date else Text) for field in METADATA),
    Column("report_year", Integer),
    Column("agency", Text),
    Column("column_path", Text),
    Column("family", String(32)),
    Column("text", Text),
    Column("extract_error", Text),
    Column("site_code", String(20)),
    Column("column_name", Text),
    Column("region_code", String(12)),
    Column("admin_level", String(8)),
    Column("format", String(16)),
    Column("sections", JSONData),
    Column("conflicts", JSONData),
    Column("date_problems", JSONData),
    Column("checks", JSONData),
    Column("attachment_urls", JSONData),  # the files the page linked to when last seen, in page order
)

attachments = Table(
    "attachments", metadata,
    Column("id", Integer, primary_key=True),
    Column("site", String(100), nullable=False, index=True),
    Column("url", Text, nullable=False, unique=True),
    Column("document_url", Text, index=True),
    Column("first_seen", UTCDateTime),
    Column("last_seen", UTCDateTime),
    Column("capture_id", ForeignKey("captures.id")),
    Column("filename", Text),
    Column("content_type", Text),
    Column("size", Integer),
    Column("sha1", String(40)),
    Column("kind", String(16)),  # pdf | docx | xlsx | xls | doc | wps | image | text, as read
    Column("text", Text),
    Column("report_year", Integer),
    Column("format", String(16)),
    Column("checks", JSONData),
    Column("extract_error", Text),
)

listings = Table(
    "listings", metadata,
    Column("id", Integer, primary_key=True),
    Column("crawl_id", ForeignKey("crawls.id"), index=True),
    Column("site", String(100), nullable=False),
    Column("column_url", Text),
    Column("page", Integer),
    Column("url", Text, nullable=False),
    Column("capture_id", ForeignKey("captures.id")),
    Column("entries", JSONData),
    UniqueConstraint("crawl_id", "url"),
)

report_cells = Table(
    "report_cells", metadata,  # statistics-table cells of one capture of a report page or attachment
    Column("id", Integer, primary_key=True),
    Column("document_url", Text, nullable=False, index=True),
    Column("source_url", Text, nullable=False),  # the page itself, or the attachment the table came from
    Column("capture_id", ForeignKey("captures.id"), index=True),
    Column("table_name", String(16), nullable=False),  # t2 | t3 | t4 | pre2019
    Column("row_label", Text, nullable=False),
    Column("col_label", Text, nullable=False),
    Column("value", Float),  # NULL: blank, dash or unreadable in the report, never 0
    Column("unit", String(16)),
    Column("note", Text),
)

versions = Table(
    "versions", metadata,  # one row per version of a document: a new one only when text, metadata or attachments change
    Column("id", Integer, primary_key=True),
    Column("document_url", Text, nullable=False, index=True),
    Column("site", String(100), nullable=False, index=True),
    Column("version", Integer, nullable=False),  # 1, 2, … per document
    Column("capture_id", ForeignKey("captures.id")),  # the capture that first showed this version
    Column("seen_at", UTCDateTime, nullable=False),
    Column("text_sha1", String(40)),
    Column("meta_sha1", String(40)),
    Column("attachments_sha1", String(40)),
    Column("fields", JSONData),  # the extracted fields of this version (extract() output, without the text)
    Column("text", Text),
    UniqueConstraint("document_url", "version"),
)

events = Table(
    "events", metadata,  # what happened to a column item: first_seen | changed | retitled | removed | reappeared
    Column("id", Integer, primary_key=True),
    Column("site", String(100), nullable=False, index=True),
    Column("column_url", Text),
    Column("url", Text, nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("at", UTCDateTime, nullable=False, index=True),
    Column("crawl_id", ForeignKey("crawls.id")),
    Column("details", JSONData),  # e.g. old and new title, versions compared, the evidence for a removal
)

runs = Table(
    "runs", metadata,  # every scheduled or queued crawl run
    Column("id", Integer, primary_key=True),
    Column("site", String(100), nullable=False, index=True),
    Column("scheduled_for", UTCDateTime),
    Column("started_at", UTCDateTime),  # NULL while a queued run waits for a worker
    Column("finished_at", UTCDateTime),
    Column("status", String(20)),  # queued | running | ok | failed | blocked | crashed | skipped
    Column("pid", Integer),
    Column("exit_code", Integer),
    Column("stats", JSONData),
    Column("queued_at", UTCDateTime),  # when it was put on the shared queue (crawler/queue.py)
    Column("attempt", Integer),  # how many workers have started it (a takeover after a dead worker: 2, …)
    Column("worker", String(200)),  # the worker of the latest attempt (host:pid:id)
    Column("crawl_id", Integer),  # the `crawls` row of the latest attempt
    Column("options", JSONData),  # a queued run's settings (base URLs, -s overrides), to send it again if lost
)

site_leases = Table(
    "site_leases", metadata,  # who may crawl on a portal host now (crawler/leases.py): one holder, fenced by its epoch
    Column("key", String(200), primary_key=True),  # the politeness key: scheme://host:port of the crawled base URL
    Column("epoch", BigInteger, nullable=False),  # +1 on every grant: a write names the epoch it holds
    Column("holder", String(200)),  # host:pid:id of the process holding it (NULL: released)
    Column("run_id", Integer),  # the queued run it was granted for, if any
    Column("claimed_at", UTCDateTime),
    Column("lease_until", UTCDateTime),  # on the database's clock; renewed by the holder while it crawls
    Column("site", String(100)),  # the site of the latest grant (a site is crawled under one lease at a time)
)

warc_files = Table(
    "warc_files", metadata,  # WARC files a worker wrote and where they are (archive/archiver.py)
    Column("name", String(300), primary_key=True),
    Column("site", String(100)),
    Column("worker", String(200), nullable=False),  # whose disk holds it until it is archived
    Column("state", String(16), nullable=False),  # open | closed | archived | lost
    Column("size", BigInteger),
    Column("sha256", String(64)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("archived_at", UTCDateTime),
)

DOCUMENT_FIELDS = (
    *METADATA_KEYS, "report_year", "agency", "column_path", "family", "text",
    "site_code", "column_name", "region_code", "admin_level", "format", "sections", "conflicts", "date_problems",
    "checks",
)
ATTACHMENT_FIELDS = ("kind", "text", "report_year", "format", "checks", "extract_error")  # written by extraction


def cell_rows(document_url: str, source_url: str, capture_id: int | None, cells) -> list[dict]:
    """report_cells rows of one capture's statistics-table cells."""
    return [dict(document_url=document_url, source_url=source_url, capture_id=capture_id, table_name=c["table"],
                 row_label=c["row"], col_label=c["col"], value=c["value"], unit=c.get("unit"), note=c.get("note"))
            for c in cells or ()]


@functools.cache
def update_by_url(table: Table):
    """UPDATE table … WHERE url = :key_url, built once (the SET columns come from each call's parameters)."""
    return update(table).where(table.c.url == bindparam("key_url"))


# A crawl process stores through a few writer threads (`writer`), whatever number of sites it crawls: a few
# connections serve it. Many sites in one process, or many processes, then stay well under PostgreSQL's default
# limit of 100 connections.
WRITER_THREADS = 2  # SQLite has one (it takes one writer at a time)
POOL_SIZE = WRITER_THREADS + 2  # and the reactor's own statements, and the lease keeper's renewals
MAX_OVERFLOW = 6
SQLITE_BUSY_SECONDS = 30  # how long a writer waits for another process's write lock

_engines: dict[str, Engine] = {}
_writers: dict[str, ThreadPoolExecutor] = {}
_migrated: set[str] = set()
_lock = threading.Lock()


def engine(url: str) -> Engine:
    """This process's one engine for `url` (created on first use, shared by every component and command)."""
    with _lock:
        found = _engines.get(url)
        if found is None:
            found = _engines[url] = _create_engine(url)
    return found


def writer(url: str) -> ThreadPoolExecutor:
    """This process's writer threads for `url`: a crawl's event loop hands its transactions to them rather than
    wait for the database server itself (that wait was 40 % of a 500-site worker's reactor time)."""
    with _lock:
        found = _writers.get(url)
        if found is None:
            threads = 1 if url.startswith("sqlite") else WRITER_THREADS
            found = _writers[url] = ThreadPoolExecutor(threads, thread_name_prefix="xxgk-writer")
    return found


def _create_engine(url: str) -> Engine:
    """JSON written as readable UTF-8 (Datasette shows it to people); SQLite in WAL mode, foreign keys on."""
    if url.startswith("sqlite"):
        created = create_engine(url, json_serializer=json_text, connect_args={"timeout": SQLITE_BUSY_SECONDS})
        event.listen(created, "connect", _sqlite_pragmas)
        return created
    # pre-ping: a pooled connection the server or a firewall dropped (a scheduler idle between ticks, a restarted
    # server) is replaced instead of failing the next statement
    return create_engine(url, json_serializer=json_text, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW,
                         pool_pre_ping=True)


def exists(url: str) -> bool:
    """False for a SQLite file not created yet (a server database is assumed to exist)."""
    return not url.startswith("sqlite:///") or Path(url.removeprefix("sqlite:///")).is_file()


def open_existing(url: str) -> Engine:
    """connect() to a database a crawl has created; NoDatabase (one line for the user) when there is none."""
    if not exists(url):
        raise NoDatabase(f"no database at {url.removeprefix('sqlite:///')} (crawl first, or pass --data-dir)")
    return connect(url)


def connect(url: str) -> Engine:
    """This process's engine for `url`, the database brought up to the current schema first (once per process)."""
    if url not in _migrated:
        from crawler.database.migrate import upgrade

        if url.startswith("sqlite:///"):
            _create_sqlite_file(Path(url.removeprefix("sqlite:///")))
        upgrade(url)
        _migrated.add(url)
    return engine(url)


def _create_sqlite_file(path: Path) -> None:
    """Create a new SQLite file already in WAL mode, in one atomic step (nothing if it exists).

    Processes that meet a new file at once (a sharded crawl, the scheduler's crawls) would each switch it to WAL
    on connecting. The switch needs the file to itself, and a process that read the file while it was still
    empty then got "database is locked" whatever its busy timeout, as soon as another one held it open.
    """
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, new = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".new")
    os.close(handle)
    try:
        with contextlib.closing(sqlite3.connect(new)) as connection:
            connection.execute("PRAGMA journal_mode=WAL")  # written into the file's header: it persists
        os.link(new, path)  # fails, rather than replaces, when another process created the file first
    except FileExistsError:
        pass
    finally:
        os.unlink(new)


def _forget_connections() -> None:
    """In a forked child: never reuse the parent's connections (their sockets and SQLite handles are shared), nor
    its writer pools (their threads did not come along)."""
    for shared in _engines.values():
        shared.dispose(close=False)
    _writers.clear()


def dispose_all() -> None:
    """Close every pooled connection of this process's engines (they reconnect when next used)."""
    for shared in _engines.values():
        shared.dispose()


os.register_at_fork(after_in_child=_forget_connections)
atexit.register(dispose_all)


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def upsert(conn: Connection, table: Table, values: dict | list[dict], key: str | tuple[str, ...],
           keep: tuple[str, ...] = ()):
    """INSERT … ON CONFLICT(key columns) DO UPDATE, leaving the `keep` columns as first written.

    `values` is one row, or a list of rows with the same columns (sent as one executemany).
    """
    keys = (key,) if isinstance(key, str) else key
    columns = tuple(values[0] if isinstance(values, list) else values)
    statement = _upsert_statement(conn.dialect.name, table, columns, keys, keep)
    return conn.execute(statement, values)


@functools.cache
def _upsert_statement(dialect: str, table: Table, columns: tuple[str, ...], keys: tuple[str, ...],
                      keep: tuple[str, ...]):
    """Built once per shape: building `excluded` copies every column of the table, per call."""
    statement = {"sqlite": sqlite, "postgresql": postgresql}[dialect].insert(table)
    updates = {name: statement.excluded[name] for name in columns if name not in (*keys, "id", *keep)}
    return statement.on_conflict_do_update(index_elements=list(keys), set_=updates)

"""The database itself, on SQLite and on PostgreSQL: migrations (a database from before them upgraded without
losing a row, processes migrating at once), typed timestamps and dates, readable JSON, one engine per process."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
from datetime import UTC, date, datetime, timedelta, timezone
from importlib import import_module

import pytest
import sqlalchemy
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from connecting import connect_and_write_when_all_are_ready, connect_when_all_are_ready
from sqlalchemy import insert, select, text
from support import BIN, Store, query

from crawler import database as db
from crawler.database import migrate
from crawler.simulator import SimulatedPortals

BASELINE = import_module("crawler.database.migrations.versions.0001_baseline")
WARC_DATE = "2024-01-02T03:04:05.123456Z"  # as the capture middleware writes them
LEGACY = {  # (table, column) -> text as the code before migrations stored it
    ("crawls", "started_at"): "2024-01-02T03:04:00+00:00",
    ("captures", "fetched_at"): WARC_DATE,
    ("runs", "scheduled_for"): "2026-01-05T03:00:00+08:00",  # the scheduler wrote local slots with their offset
    ("documents", "written_date"): "2019-03-01",
}


def legacy_database(store: Store, details: str = json.dumps({"title": "盘锦市"})) -> None:
    """A database as xxgk created it before migrations (metadata.create_all of that schema, no alembic_version),
    from an even older version without captures.outcome, holding rows in the text formats of then."""
    engine = sqlalchemy.create_engine(store.url)
    schema = BASELINE.tables()
    try:
        with engine.begin() as conn:
            schema.create_all(conn)
            conn.execute(text("ALTER TABLE captures DROP COLUMN outcome"))  # not a column yet when it was made
            conn.execute(text("INSERT INTO crawls (site, started_at, status, summary) VALUES "
                              "('panjin', :started, 'ok', :summary)"),
                         {"started": LEGACY["crawls", "started_at"], "summary": json.dumps({"site": "盘锦"})})
            conn.execute(text("INSERT INTO captures (crawl_id, site, url, kind, status, fetched_at) VALUES "
                              "(1, 'panjin', 'http://x/1', 'document', 200, :at)"), {"at": LEGACY["captures", "fetched_at"]})
            conn.execute(text("INSERT INTO documents (site, url, first_seen, written_date, title, capture_id) VALUES "
                              "('panjin', 'http://x/1', :at, :written, '盘锦市报告', 1)"),
                         {"at": WARC_DATE, "written": LEGACY["documents", "written_date"]})
            conn.execute(text("INSERT INTO runs (site, scheduled_for, started_at, status) VALUES "
                              "('panjin', :slot, '2026-01-04T19:00:01+00:00', 'ok')"),
                         {"slot": LEGACY["runs", "scheduled_for"]})
            conn.execute(text("INSERT INTO events (site, url, kind, at, details) VALUES "
                              "('panjin', 'http://x/1', 'first_seen', :at, :details)"),
                         {"at": "2024-01-02T03:04:05+00:00", "details": details})
    finally:
        engine.dispose()


def raw_json(store: Store, table: str, column: str) -> list[str]:
    cast = "::text" if store.backend == "postgresql" else ""
    return [value for (value,) in query(store, f"SELECT {column}{cast} FROM {table}")]


def test_a_database_from_before_migrations_is_upgraded_without_losing_a_row(store):
    legacy_database(store)
    assert "\\u76d8" in raw_json(store, "events", "details")[0], "the old rows hold \\u escapes"
    engine = store.engine()
    with engine.connect() as conn:
        assert migrate.current(conn) == migrate.head()
        assert conn.execute(select(db.crawls.c.started_at)).scalar() == datetime(2024, 1, 2, 3, 4, tzinfo=UTC)
        assert conn.execute(select(db.captures.c.fetched_at, db.captures.c.outcome)).one() == \
            (datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC), None)
        assert conn.execute(select(db.runs.c.scheduled_for)).scalar() == datetime(2026, 1, 4, 19, tzinfo=UTC)
        assert conn.execute(select(db.documents.c.written_date)).scalar() == date(2019, 3, 1)
        assert conn.execute(select(db.events.c.details)).scalar() == {"title": "盘锦市"}
        assert conn.execute(select(db.crawls.c.summary)).scalar() == {"site": "盘锦"}
    assert raw_json(store, "events", "details") == ['{"title": "盘锦市"}']
    with engine.begin() as conn:  # the unique constraint survived: upserts still find their row
        db.upsert(conn, db.documents, {"site": "panjin", "url": "http://x/1", "title": "新标题",
                                       "last_seen": WARC_DATE}, key="url")
    assert [tuple(row) for row in query(store, "SELECT title, count(*) FROM documents GROUP BY title")] == \
        [("新标题", 1)]


def test_an_upgraded_schema_is_the_schema_a_new_database_gets(store):
    legacy_database(store)
    with store.engine().connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
    assert differences == []


def test_columns_have_real_types(store):
    with store.engine().begin() as conn:
        conn.execute(insert(db.crawls).values(site="s", started_at=WARC_DATE))
    if store.backend == "postgresql":
        types = dict(query(store, "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
                                  "WHERE table_schema = 'public'"))
        assert types["captures.fetched_at"] == types["events.at"] == "timestamp with time zone"
        assert types["documents.written_date"] == "date" and types["events.details"] == "jsonb"
    else:
        declared = {row[1]: row[2] for row in query(store, "SELECT * FROM pragma_table_info('captures')")}
        assert declared["fetched_at"] == "DATETIME"
        assert [tuple(row) for row in query(store, "SELECT started_at FROM crawls")] == \
            [("2024-01-02 03:04:05.123456",)], "SQLite keeps UTC in SQLAlchemy's ISO text, which sorts as time does"


@pytest.mark.parametrize("written, stored", [
    (WARC_DATE, datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)),
    ("2024-01-02T11:04:05+08:00", datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
    ("2024-01-02T03:04:05", datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),  # no zone: UTC, as the archive writes
    (datetime(2024, 1, 2, 11, 4, 5, tzinfo=timezone(timedelta(hours=8))), datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
])
def test_timestamps_bind_the_strings_callers_pass_and_read_back_in_utc(store, written, stored):
    with store.engine().begin() as conn:
        conn.execute(insert(db.crawls).values(site="s", started_at=written))
        found = conn.execute(select(db.crawls.c.started_at)).scalar()
    assert found == stored and found.tzinfo == UTC


def test_a_value_no_migration_can_read_stops_it_in_one_line_and_changes_nothing(store):
    legacy_database(store)
    with sqlalchemy.create_engine(store.url).begin() as conn:
        conn.execute(text("UPDATE captures SET fetched_at = 'the day before'"))
    for command in (("changes", "--since", "2024-01-01"), ("crawl", "panjin")):
        result = subprocess.run([str(BIN / "xxgk"), *command, *store.args], capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 1 and "cannot bring the database" in result.stderr, result.stderr
        assert "the day before" in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    tables = {name for (name,) in query(store, "SELECT table_name FROM information_schema.tables")} \
        if store.backend == "postgresql" else {name for (name,) in query(store, "SELECT name FROM sqlite_master")}
    assert "alembic_version" not in tables
    assert query(store, "SELECT fetched_at FROM captures")[0][0] == "the day before"
    assert "\\u76d8" in raw_json(store, "events", "details")[0], "nothing was rewritten"


@pytest.mark.parametrize("legacy", [False, True], ids=["new", "legacy"])
def test_processes_connecting_at_once_migrate_once(store, legacy):
    if legacy:
        legacy_database(store)
    store.data_dir.mkdir(exist_ok=True)
    context = multiprocessing.get_context("spawn")
    barrier = context.Manager().Barrier(4)
    with context.Pool(4) as pool:
        revisions = pool.starmap(connect_when_all_are_ready, [(store.url, barrier)] * 4)
    assert revisions == [migrate.head()] * 4
    assert [tuple(row) for row in query(store, "SELECT version_num FROM alembic_version")] == [(migrate.head(),)]
    expected = 1 if legacy else 0
    assert query(store, "SELECT count(*) FROM documents")[0][0] == expected


def test_processes_meeting_a_new_sqlite_file_all_write_to_it(tmp_path):
    """A sharded crawl's processes meet a new SQLite file at once. Each used to switch it to WAL as it connected;
    one that had read the file while it was empty then got "database is locked" at once (no busy timeout helps)
    while another held it open, and its site failed. About one process in ten did, on this test's rounds."""
    context = multiprocessing.get_context("fork")
    with context.Manager() as manager, context.Pool(4) as pool:
        for attempt in range(16):
            url = f"sqlite:///{tmp_path / str(attempt) / 'xxgk.sqlite'}"
            written = pool.starmap(connect_and_write_when_all_are_ready, [(url, manager.Barrier(4))] * 4)
            assert sorted(written) == [1, 2, 3, 4], attempt
            assert not list((tmp_path / str(attempt)).glob(".*"))  # the file was made aside, then linked in


def test_one_engine_per_database_in_a_process(store):
    assert db.connect(store.url) is db.connect(store.url) is db.engine(store.url)


def test_a_crawl_of_several_sites_uses_a_few_connections(postgres, tmp_path):
    """Every component of a crawl (storage, digest index, health check, revalidation) shares the process's engine,
    and a site's crawl lock is a lease row that holds no session (crawler/leases.py), so the sessions a crawl opens
    do not grow with its sites. One engine per component and site once opened 28 sessions for four sites;
    advisory locks then added one session per site."""
    store = Store(tmp_path, postgres.database())
    sites = ["panjin", "mingguang", "yanji", "zhangxian", "hangzhou", "mohrss", "zhuhai", "arongqi"]
    with SimulatedPortals(sites=sites) as simulated:
        bases = [f"--base-url={site}={url}" for site, url in simulated.base_urls.items()]
        result = subprocess.run([str(BIN / "xxgk"), "crawl", *sites, *store.args, *bases, "--revalidate-after", "1"],
                                capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    database = sqlalchemy.engine.make_url(store.url).database
    sessions = query(Store(tmp_path, postgres.url()),
                     "SELECT sessions FROM pg_stat_database WHERE datname = ?", database)[0][0]
    # the migration's own connection and the pool's standing connections (writer threads, the reactor, the lease
    # keeper), now and then an overflow one under load: fewer than one per site
    assert 1 + db.POOL_SIZE < len(sites)
    assert 1 <= sessions < len(sites), sessions

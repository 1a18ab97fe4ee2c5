"""Bring a database to the current schema with the Alembic migrations in crawler/database/migrations/.

`upgrade(url)` runs inside `crawler.database.connect()`, once per process and database, and needs no alembic.ini:

- a new, empty database gets the current schema at once (create_all) and is stamped at the newest revision;
- a database created before migrations existed (xxgk's tables, no `alembic_version`) is upgraded from the
  baseline revision, which recognises the tables as they are and keeps every row;
- any other database is upgraded from the revision it records.

Processes that connect at once (a sharded crawl, the scheduler's crawls, extraction workers) take turns: on
PostgreSQL under a transaction-level advisory lock, on SQLite under the database's own write lock
(BEGIN IMMEDIATE). The check, the migration and the stamp are one transaction, rolled back whole on failure.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from crawler.errors import XxgkError

MIGRATIONS = Path(__file__).with_name("migrations")
ADVISORY_LOCK = 0x78786B67  # "xxgk": the key every xxgk process takes while it migrates a PostgreSQL database
SQLITE_LOCK_SECONDS = 600  # how long a process waits for another one's migration of a SQLite file


class MigrationError(XxgkError):
    """The database could not be brought to the current schema (nothing was changed)."""


def alembic_config(connection: Connection | None = None):
    """Alembic's configuration, in code: the packaged migrations, and the connection to run them on."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current(connection: Connection) -> str | None:
    """The revision the database records (None: never stamped)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def upgrade(url: str) -> None:
    """Migrate the database at `url` to the newest revision, unless it is there already."""
    from crawler import database as db

    newest = head()
    try:
        with db.engine(url).connect() as connection:
            if current(connection) == newest:  # the usual case, decided without a lock
                return
        with migration_connection(url) as connection, connection.begin():
            lock(connection)
            _migrate(connection, newest)
    except OperationalError:
        raise  # the database cannot be reached: the command line says so in one line
    except (SQLAlchemyError, ValueError) as exc:  # ValueError: a stored value a migration cannot convert
        from crawler.config import describe_database

        raise MigrationError(f"cannot bring the database {describe_database(url)} to the current schema: "
                             f"{_first_line(exc)}") from exc


def _migrate(connection: Connection, newest: str) -> None:
    """Under the lock: look again, then create, or upgrade, the schema."""
    from alembic import command

    from crawler.database import metadata

    found = current(connection)
    if found == newest:
        return  # another process did it while we waited
    config = alembic_config(connection)
    if found is None and not set(inspect(connection).get_table_names()) & set(metadata.tables):
        metadata.create_all(connection)
        command.stamp(config, "head")
    else:
        command.upgrade(config, "head")


@contextmanager
def migration_connection(url: str):
    """A connection of its own for the migration (closed after); on SQLite one whose transactions are real."""
    engine = _sqlite_engine(url) if url.startswith("sqlite") else create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def _sqlite_engine(url: str) -> Engine:
    """SQLite with explicit transactions: Python's sqlite3 would run DDL outside them, and BEGIN IMMEDIATE takes
    the write lock at once, so a second process waits at the start instead of failing half-way. Foreign keys
    stay off: migrations that rebuild a table drop and rename it."""
    engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": SQLITE_LOCK_SECONDS})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA journal_mode=WAL")

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def lock(connection: Connection) -> None:
    """PostgreSQL: wait for any other xxgk migration; the lock ends with the transaction. (SQLite holds its write
    lock from BEGIN IMMEDIATE on.)"""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]

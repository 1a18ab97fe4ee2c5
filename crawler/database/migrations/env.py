"""Alembic's environment for xxgk's migrations.

`crawler.database.connect()` runs them in code, on a connection it passes in `config.attributes["connection"]`
(inside its own transaction, under its migration lock). A developer runs the Alembic command line with the
alembic.ini beside this file, against the database XXGK_DATABASE_URL names (see docs/database.md).
"""

from __future__ import annotations

import os

from alembic import context

from crawler.database import metadata

config = context.config


def run(connection) -> None:
    # render_as_batch: SQLite changes a column by rebuilding its table, which Alembic's batch mode does
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def command_line_url() -> str:
    url = os.environ.get("XXGK_DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("set XXGK_DATABASE_URL to the database to migrate (sqlite:///data/xxgk.sqlite, "
                         "postgresql+psycopg://…)")
    return url


if context.is_offline_mode():
    context.configure(url=command_line_url(), target_metadata=metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
elif config.attributes.get("connection") is not None:
    run(config.attributes["connection"])
else:
    from crawler.database.migrate import lock, migration_connection

    with migration_connection(command_line_url()) as connection, connection.begin():
        lock(connection)
        run(connection)

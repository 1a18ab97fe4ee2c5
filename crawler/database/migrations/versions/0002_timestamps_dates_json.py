"""Timestamps as UTC date-times, report dates as dates, JSON as readable UTF-8 (JSONB on PostgreSQL).

PostgreSQL: each column changes type in place (`USING` casts the ISO text; text without a zone counts as UTC),
JSON becomes JSONB, whose text output shows characters, never \\u escapes.
SQLite: each table is rebuilt with DATETIME/DATE declared (Alembic's batch mode; no CAST, which would turn the
text into numbers), then every value is rewritten in SQLAlchemy's storage format (2024-01-02 03:04:05.123456,
UTC) and every JSON text holding \\u escapes is written again as UTF-8.
A value that is not a time or a date stops the migration with its table, column and value; nothing is changed.

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-25
"""

from __future__ import annotations

import json
from datetime import UTC, date

import sqlalchemy as sa
from alembic import op

from crawler.database.types import json_text, parse_timestamp

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# (column, NOT NULL) per table, as revision 0001 declared them
TIMESTAMPS = {
    "crawls": [("started_at", True), ("finished_at", False)],
    "captures": [("fetched_at", False)],
    "digests": [("date", True), ("last_seen", True)],
    "documents": [("first_seen", False), ("last_seen", False)],
    "attachments": [("first_seen", False), ("last_seen", False)],
    "versions": [("seen_at", True)],
    "events": [("at", True)],
    "runs": [("scheduled_for", False), ("started_at", True), ("finished_at", False)],
}
DATES = {"documents": [("written_date", False), ("publish_date", False)]}
JSONS = {
    "crawls": ["summary"],
    "documents": ["sections", "conflicts", "date_problems", "checks", "attachment_urls"],
    "attachments": ["checks"],
    "listings": ["entries"],
    "versions": ["fields"],
    "events": ["details"],
    "runs": ["stats"],
}
TIMESTAMP = sa.DateTime(timezone=True)
BATCH = 5000


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        upgrade_postgresql()
    else:
        upgrade_sqlite()


# -- PostgreSQL -----------------------------------------------------------------------------------------------

def upgrade_postgresql() -> None:
    op.execute("SET LOCAL TIME ZONE 'UTC'")
    for kind, columns, cast in (("timestamp", TIMESTAMPS, "timestamptz"), ("date", DATES, "date")):
        new_type = TIMESTAMP if kind == "timestamp" else sa.Date()
        for table, names in columns.items():
            for name, not_null in names:
                op.alter_column(table, name, type_=new_type, existing_nullable=not not_null,
                                postgresql_using=f"NULLIF(btrim(\"{name}\"), '')::{cast}")
    for table, names in JSONS.items():
        for name in names:
            # The JSON type kept the text as written: \u escapes become characters as JSONB parses it. A \u0000
            # (which JSONB refuses) is dropped, unless its backslash is itself escaped.
            op.alter_column(table, name, type_=sa.dialects.postgresql.JSONB(), existing_nullable=True,
                            postgresql_using=f"regexp_replace(\"{name}\"::text, '(?<!\\\\)\\\\u0000', '', 'g')::jsonb")


# -- SQLite ---------------------------------------------------------------------------------------------------

def upgrade_sqlite() -> None:
    connection = op.get_bind()
    for table in sorted({*TIMESTAMPS, *DATES}):
        declared = [sa.Column(name, TIMESTAMP, nullable=not not_null) for name, not_null in TIMESTAMPS.get(table, ())]
        declared += [sa.Column(name, sa.Date(), nullable=not not_null) for name, not_null in DATES.get(table, ())]
        # the reflected columns replaced by the new declarations: the rebuilt table declares them, the copy
        # moves the text as it is
        with op.batch_alter_table(table, recreate="always", reflect_args=declared):
            pass
        for name, _ in TIMESTAMPS.get(table, ()):
            rewrite(connection, table, name, sqlite_timestamp)
        for name, _ in DATES.get(table, ()):
            rewrite(connection, table, name, sqlite_date)
    for table, names in JSONS.items():
        for name in names:
            rewrite(connection, table, name, readable_json, "instr({0}, '\\u') > 0")


def rewrite(connection, table: str, column: str, convert, where: str = "{0} IS NOT NULL") -> None:
    """Write every value of a column again as `convert` returns it (ValueError names the value)."""
    quoted = f'"{column}"'
    rows = connection.exec_driver_sql(f"SELECT id, {quoted} FROM {table} WHERE {where.format(quoted)}").fetchall()
    changed = []
    for row_id, value in rows:
        try:
            new = convert(value)
        except ValueError as exc:
            raise ValueError(f"{table}.{column} of row {row_id}: cannot convert {value!r} ({exc})") from None
        if new != value:
            changed.append((new, row_id))
    for start in range(0, len(changed), BATCH):
        connection.exec_driver_sql(f"UPDATE {table} SET {quoted} = ? WHERE id = ?", changed[start:start + BATCH])


def sqlite_timestamp(value) -> str | None:
    """ISO text (any zone, or none: UTC) as SQLAlchemy's SQLite DateTime stores UTC: 2024-01-02 03:04:05.123456."""
    if not str(value).strip():
        return None
    return parse_timestamp(str(value)).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def sqlite_date(value) -> str | None:
    """YYYY-MM-DD, checked."""
    if not str(value).strip():
        return None
    return date.fromisoformat(str(value).strip()).isoformat()


def readable_json(value: str) -> str:
    return json_text(json.loads(value))


def downgrade() -> None:
    raise NotImplementedError("xxgk's migrations go forward only: restore a backup to go back")

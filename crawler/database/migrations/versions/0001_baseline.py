"""Baseline: the schema xxgk created before it had migrations (timestamps and dates as ISO text, JSON as text).

Idempotent, so it also adopts a database that code created: tables it lacks are created, and columns added to
the code since that database was made are added (what `_add_missing_columns` did). No row is touched.

Revision ID: 0001
Revises:
Create Date: 2025-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Column = sa.Column
String, Text, Integer, Float, JSON = sa.String, sa.Text, sa.Integer, sa.Float, sa.JSON
STAMP = String(32)  # an ISO timestamp as text, as the code wrote them then


def tables() -> sa.MetaData:
    """The schema as `metadata.create_all` made it at this revision (a frozen copy: never import the current one)."""
    schema = sa.MetaData()
    sa.Table(
        "crawls", schema,
        Column("id", Integer, primary_key=True),
        Column("site", String(100), nullable=False, index=True),
        Column("started_at", STAMP, nullable=False),
        Column("finished_at", STAMP),
        Column("status", String(20)),
        Column("summary", JSON),
    )
    sa.Table(
        "captures", schema,
        Column("id", Integer, primary_key=True),
        Column("crawl_id", sa.ForeignKey("crawls.id"), index=True),
        Column("site", String(100), nullable=False),
        Column("url", Text, nullable=False, index=True),
        Column("kind", String(20), nullable=False),
        Column("status", Integer),
        Column("fetched_at", STAMP),
        Column("warc_file", Text),
        Column("warc_offset", Integer),
        Column("warc_length", Integer),
        Column("digest", String(64)),
        Column("record_id", String(64)),
        Column("revisit", String(32)),
        Column("refers_to", String(64)),
        Column("outcome", String(16)),
    )
    sa.Table(
        "digests", schema,
        Column("id", Integer, primary_key=True),
        Column("url", Text, nullable=False),
        Column("digest", String(64), nullable=False),
        Column("record_id", String(64), nullable=False),
        Column("date", STAMP, nullable=False),
        Column("warc_file", Text, nullable=False),
        Column("warc_offset", Integer, nullable=False),
        Column("warc_length", Integer, nullable=False),
        Column("last_seen", STAMP, nullable=False),
        Column("etag", Text),
        Column("last_modified", Text),
        sa.UniqueConstraint("url", "digest"),
    )
    sa.Table(
        "column_crawls", schema,
        Column("id", Integer, primary_key=True),
        Column("crawl_id", sa.ForeignKey("crawls.id"), index=True),
        Column("site", String(100), nullable=False, index=True),
        Column("column_url", Text, nullable=False),
        Column("pages", Integer),
        Column("entries", Integer),
        Column("complete", Integer, nullable=False),
        Column("problem", Text),
        sa.UniqueConstraint("crawl_id", "column_url"),
    )
    sa.Table(
        "documents", schema,
        Column("id", Integer, primary_key=True),
        Column("site", String(100), nullable=False, index=True),
        Column("url", Text, nullable=False, unique=True),
        Column("first_seen", STAMP),
        Column("last_seen", STAMP),
        Column("capture_id", sa.ForeignKey("captures.id")),
        Column("list_title", Text),
        Column("list_date", String(32)),
        Column("column_url", Text),
        Column("index_no", Text),
        Column("category", Text),
        Column("issuer", Text),
        Column("written_date", String(10)),
        Column("title", Text),
        Column("doc_number", Text),
        Column("publish_date", String(10)),
        Column("subject_terms", Text),
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
        Column("sections", JSON),
        Column("conflicts", JSON),
        Column("date_problems", JSON),
        Column("checks", JSON),
        Column("attachment_urls", JSON),
    )
    sa.Table(
        "attachments", schema,
        Column("id", Integer, primary_key=True),
        Column("site", String(100), nullable=False, index=True),
        Column("url", Text, nullable=False, unique=True),
        Column("document_url", Text, index=True),
        Column("first_seen", STAMP),
        Column("last_seen", STAMP),
        Column("capture_id", sa.ForeignKey("captures.id")),
        Column("filename", Text),
        Column("content_type", Text),
        Column("size", Integer),
        Column("sha1", String(40)),
        Column("kind", String(16)),
        Column("text", Text),
        Column("report_year", Integer),
        Column("format", String(16)),
        Column("checks", JSON),
        Column("extract_error", Text),
    )
    sa.Table(
        "listings", schema,
        Column("id", Integer, primary_key=True),
        Column("crawl_id", sa.ForeignKey("crawls.id"), index=True),
        Column("site", String(100), nullable=False),
        Column("column_url", Text),
        Column("page", Integer),
        Column("url", Text, nullable=False),
        Column("capture_id", sa.ForeignKey("captures.id")),
        Column("entries", JSON),
        sa.UniqueConstraint("crawl_id", "url"),
    )
    sa.Table(
        "report_cells", schema,
        Column("id", Integer, primary_key=True),
        Column("document_url", Text, nullable=False, index=True),
        Column("source_url", Text, nullable=False),
        Column("capture_id", sa.ForeignKey("captures.id"), index=True),
        Column("table_name", String(16), nullable=False),
        Column("row_label", Text, nullable=False),
        Column("col_label", Text, nullable=False),
        Column("value", Float),
        Column("unit", String(16)),
        Column("note", Text),
    )
    sa.Table(
        "versions", schema,
        Column("id", Integer, primary_key=True),
        Column("document_url", Text, nullable=False, index=True),
        Column("site", String(100), nullable=False, index=True),
        Column("version", Integer, nullable=False),
        Column("capture_id", sa.ForeignKey("captures.id")),
        Column("seen_at", STAMP, nullable=False),
        Column("text_sha1", String(40)),
        Column("meta_sha1", String(40)),
        Column("attachments_sha1", String(40)),
        Column("fields", JSON),
        Column("text", Text),
        sa.UniqueConstraint("document_url", "version"),
    )
    sa.Table(
        "events", schema,
        Column("id", Integer, primary_key=True),
        Column("site", String(100), nullable=False, index=True),
        Column("column_url", Text),
        Column("url", Text, nullable=False, index=True),
        Column("kind", String(16), nullable=False),
        Column("at", STAMP, nullable=False, index=True),
        Column("crawl_id", sa.ForeignKey("crawls.id")),
        Column("details", JSON),
    )
    sa.Table(
        "runs", schema,
        Column("id", Integer, primary_key=True),
        Column("site", String(100), nullable=False, index=True),
        Column("scheduled_for", STAMP),
        Column("started_at", STAMP, nullable=False),
        Column("finished_at", STAMP),
        Column("status", String(20)),
        Column("pid", Integer),
        Column("exit_code", Integer),
        Column("stats", JSON),
    )
    return schema


def upgrade() -> None:
    connection = op.get_bind()
    schema = tables()
    existing = set(sa.inspect(connection).get_table_names())
    schema.create_all(connection, tables=[t for t in schema.sorted_tables if t.name not in existing])
    inspector = sa.inspect(connection)
    for table in schema.sorted_tables:
        if table.name not in existing:
            continue
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present:
                op.add_column(table.name, Column(column.name, column.type))


def downgrade() -> None:
    raise NotImplementedError("xxgk's migrations go forward only: restore a backup to go back")

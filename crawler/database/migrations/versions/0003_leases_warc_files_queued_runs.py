"""Scale-out: site leases (who may crawl a site, fenced by an epoch), the WARC files workers wrote and where they
are, and queued runs (a run waits for a worker before it starts; attempts, worker and crawl of the latest attempt).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from crawler.database.types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "site_leases",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("epoch", sa.BigInteger, nullable=False),
        sa.Column("holder", sa.String(200)),
        sa.Column("run_id", sa.Integer),
        sa.Column("claimed_at", UTCDateTime),
        sa.Column("lease_until", UTCDateTime),
    )
    op.create_table(
        "warc_files",
        sa.Column("name", sa.String(300), primary_key=True),
        sa.Column("site", sa.String(100)),
        sa.Column("worker", sa.String(200), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("size", sa.BigInteger),
        sa.Column("sha256", sa.String(64)),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("archived_at", UTCDateTime),
    )
    # SQLite changes a column's NOT NULL by rebuilding the table (batch mode); PostgreSQL alters it in place
    with op.batch_alter_table("runs") as runs:
        runs.alter_column("started_at", existing_type=UTCDateTime, nullable=True)
        runs.add_column(sa.Column("queued_at", UTCDateTime))
        runs.add_column(sa.Column("attempt", sa.Integer))
        runs.add_column(sa.Column("worker", sa.String(200)))
        runs.add_column(sa.Column("crawl_id", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("runs") as runs:
        for name in ("crawl_id", "worker", "attempt", "queued_at"):
            runs.drop_column(name)
        runs.alter_column("started_at", existing_type=UTCDateTime, nullable=False)
    op.drop_table("warc_files")
    op.drop_table("site_leases")

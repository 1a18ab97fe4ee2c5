"""Queued runs keep their options (a run whose message the queue lost is sent again as it was queued), and a lease,
now held per portal host, names the site it was granted for (one crawl of a site at a time, whatever its host).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from crawler.database.types import JSONData

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as runs:
        runs.add_column(sa.Column("options", JSONData))
    with op.batch_alter_table("site_leases") as site_leases:
        site_leases.add_column(sa.Column("site", sa.String(100)))


def downgrade() -> None:
    with op.batch_alter_table("site_leases") as site_leases:
        site_leases.drop_column("site")
    with op.batch_alter_table("runs") as runs:
        runs.drop_column("options")

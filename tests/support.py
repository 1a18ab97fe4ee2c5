"""Helpers the test modules share: the console scripts, the four seed sites, database reads."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

BIN = Path(sys.executable).parent
SITES = ("panjin", "mingguang", "yanji", "zhangxian")


def query(data_dir: Path, sql: str, *params) -> list[sqlite3.Row]:
    """Rows of a query on DATA_DIR/xxgk.sqlite, as sqlite3.Row."""
    with sqlite3.connect(data_dir / "xxgk.sqlite") as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql, params).fetchall()

"""A process that connects to a database when all its siblings are ready (light: spawned processes import it)."""

from __future__ import annotations


def connect_when_all_are_ready(url: str, barrier) -> str | None:
    """Wait for the other processes, then connect (migrating) at the same moment; the revision found after."""
    from crawler import database
    from crawler.database import migrate

    barrier.wait()
    with database.connect(url).connect() as conn:
        return migrate.current(conn)


def connect_and_write_when_all_are_ready(url: str, barrier) -> int:
    """Wait for the other processes, then connect and hold a write transaction a moment, as a crawl starting
    beside another one does; the crawl row written."""
    import time
    from datetime import UTC, datetime

    from crawler import database

    barrier.wait()
    with database.connect(url).begin() as conn:
        written = conn.execute(database.crawls.insert().values(site="panjin", started_at=datetime.now(UTC)))
        time.sleep(0.05)  # the others meet the file while this process holds it
        return written.inserted_primary_key[0]

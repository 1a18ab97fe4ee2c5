"""A process that connects to a database when all its siblings are ready (light: spawned processes import it)."""

from __future__ import annotations


def connect_when_all_are_ready(url: str, barrier) -> str | None:
    """Wait for the other processes, then connect (migrating) at the same moment; the revision found after."""
    from crawler import database
    from crawler.database import migrate

    barrier.wait()
    with database.connect(url).connect() as conn:
        return migrate.current(conn)

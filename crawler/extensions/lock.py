"""One crawl per site at a time, whoever starts it: `xxgk crawl`, `scrapy crawl`, the scheduler, a worker elsewhere.

The lock is taken as the crawl's components are built, before any of them reads the site's journal or writes to the
database, and held until the crawl has ended. On SQLite it is an `flock` on DATA_DIR/locks/SITE.lock (one disk, one
machine); on PostgreSQL a session-level advisory lock on a connection of its own, so crawls on other hosts that share
the database see it too. Either way the lock ends with the process that holds it, however it dies.

Holding the lock proves every other crawl of the site is gone, so a `crawls` row still `running` is a dead crawl's:
it is marked `crashed`, with when that was noticed.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from sqlalchemy import create_engine, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from crawler.errors import XxgkError

logger = logging.getLogger(__name__)

SKIPPED = "skipped"


class SiteBusy(XxgkError):
    """Another crawl of the site holds its lock."""


def lock_key(site: str) -> int:
    """The advisory-lock key of a site: a stable signed 64-bit hash of its name."""
    return int.from_bytes(hashlib.sha256(f"xxgk site {site}".encode()).digest()[:8], "big", signed=True)


class SiteLock:
    """The crawl lock of one site, in the data directory (SQLite) or in the database server (PostgreSQL)."""

    def __init__(self, site: str, data_dir: Path, database_url: str) -> None:
        self.site, self.data_dir, self.database_url = site, Path(data_dir), database_url
        self._fd: int | None = None
        self._conn = None

    @property
    def path(self) -> Path:
        return self.data_dir / "locks" / f"{self.site}.lock"

    @property
    def on_server(self) -> bool:
        return not self.database_url.startswith("sqlite")

    def acquire(self) -> bool:
        """Take the lock if nobody holds it; False if another process does."""
        return self._acquire_advisory() if self.on_server else self._acquire_file()

    def _acquire_file(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())  # for people: who holds it
        self._fd = fd
        return True

    def _acquire_advisory(self) -> bool:
        engine = create_engine(self.database_url, poolclass=NullPool)
        conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        taken = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": lock_key(self.site)}).scalar()
        if not taken:
            conn.close()
            engine.dispose()
            return False
        self._conn = conn
        return True

    def release(self) -> None:
        """Let the next crawl of the site run (safe to call twice)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": lock_key(self.site)})
            except SQLAlchemyError as exc:  # the session ends below either way, and the lock with it
                logger.warning("could not release the lock of %s cleanly: %s", self.site, exc)
            engine = self._conn.engine
            self._conn.close()
            engine.dispose()
            self._conn = None

    def is_free(self) -> bool:
        """Whether nobody holds the lock now (taken and released at once)."""
        if not self.acquire():
            return False
        self.release()
        return True


def mark_crashed(database_url: str, site: str) -> int:
    """Mark the site's `running` crawls rows `crashed` (call only while holding its lock); how many there were."""
    from crawler import database as db
    from crawler.database.types import display, utc_now

    noticed = display(utc_now())
    with db.connect(database_url).begin() as conn:
        rows = conn.execute(db.crawls.select().where(db.crawls.c.site == site,
                                                     db.crawls.c.status == "running")).mappings().all()
        for row in rows:
            summary = {**(row["summary"] or {}), "site": site, "status": "crashed", "noticed_at": noticed,
                       "problems": ["the crawl process died before it finished (noticed when the next crawl "
                                    "of the site started)"]}
            conn.execute(update(db.crawls).where(db.crawls.c.id == row["id"]).values(status="crashed",
                                                                                     summary=summary))
    return len(rows)


class CrawlLock:
    """Extension: take the site's lock before anything else of the crawl runs; a crawl that cannot ends at once,
    `skipped` (SiteBusy is raised before the engine is built)."""

    def __init__(self, crawler, lock: SiteLock) -> None:
        self.crawler, self.lock = crawler, lock
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        from crawler.config import database_url

        site = getattr(crawler.spidercls, "site", None)
        if site is None:
            raise NotConfigured("not a site crawl")  # `xxgk capture`: any number may run at once
        settings = crawler.settings
        url = database_url(settings)
        lock = SiteLock(crawler.spidercls.name, Path(settings["XXGK_DATA_DIR"]), url)
        if not lock.acquire():
            message = f"another crawl of {crawler.spidercls.name} is running"
            crawler.stats.set_value("xxgk/skipped", message)
            logger.warning("skipped: %s", message)
            raise SiteBusy(message)
        crashed = mark_crashed(url, crawler.spidercls.name)
        if crashed:
            logger.warning("%s: %d earlier crawl(s) left `running` died; marked crashed", crawler.spidercls.name,
                           crashed)
            crawler.stats.set_value("xxgk/crashed_before", crashed)
        return cls(crawler, lock)

    def spider_closed(self, spider, reason: str) -> None:
        # Released last, once everything of the crawl is done (the journal is dropped at engine_stopped too):
        # a handler connected now runs after the ones connected when the crawl was built.
        self.crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    def engine_stopped(self) -> None:
        self.lock.release()

"""One crawl per site at a time, whoever starts it: `xxgk crawl`, `scrapy crawl`, the scheduler, a worker elsewhere.

The lock is taken as the crawl's components are built, before any of them reads the site's journal or writes to the
database, and held until the crawl has ended. On SQLite it is an `flock` on DATA_DIR/locks/SITE.lock and one on
DATA_DIR/locks/hosts/KEY.lock, KEY the politeness key of the site's portal host (one disk, one machine). On
PostgreSQL it is the lease of the site's portal host (crawler/leases.py) granted for the site: a row in the server,
so crawls on other hosts see it, that holds no connection while it is held (a process crawling hundreds of sites
keeps none open for them), renewed from the reactor while the crawl runs and fencing every write of the crawl. A
worker of the shared queue claims the lease for its run itself and hands it to the crawl (setting XXGK_LEASE). A
lease whose holder died on this host is taken over at once; one whose holder died elsewhere, when it runs out
(XXGK_LEASE_SECONDS). Either way no two sites of one host are crawled at once.

Holding the lock proves every other crawl of the site is gone or can no longer write, so a `crawls` row still
`running` is a dead crawl's: it is marked `crashed`, with when that was noticed.
"""

from __future__ import annotations

import fcntl
import logging
import os
from functools import partial
from pathlib import Path
from urllib.parse import quote

from scrapy import signals
from scrapy.exceptions import NotConfigured
from sqlalchemy import Engine, update
from sqlalchemy.exc import SQLAlchemyError

from crawler import leases
from crawler.errors import XxgkError

logger = logging.getLogger(__name__)

SKIPPED = "skipped"


class SiteBusy(XxgkError):
    """Another crawl of the site holds its lock."""


class SiteLock:
    """The crawl lock of one site: a file lock in the data directory (SQLite) or the site's lease (PostgreSQL)."""

    def __init__(self, site: str, data_dir: Path, database_url: str, seconds: float = 60.0,
                 key: str | None = None) -> None:
        """`key`: the politeness key of the site's base URL (default: the site): the lease's key on PostgreSQL,
        a second file lock on SQLite."""
        self.site, self.data_dir, self.database_url, self.seconds = site, Path(data_dir), database_url, seconds
        self.key = key or site
        self._fds: list[int] = []
        self.lease: leases.Lease | None = None
        self.busy: leases.Busy | None = None  # who holds it, after a failed acquire on PostgreSQL
        self.held_by = ""  # who holds it, after a failed acquire on SQLite ("PID SITE")

    @property
    def path(self) -> Path:
        return self.data_dir / "locks" / f"{self.site}.lock"

    @property
    def host_path(self) -> Path:
        return self.data_dir / "locks" / "hosts" / f"{quote(self.key, safe='')}.lock"

    @property
    def on_server(self) -> bool:
        return not self.database_url.startswith("sqlite")

    @property
    def engine(self) -> Engine:
        from crawler import database as db

        return db.connect(self.database_url)

    def acquire(self) -> bool:
        """Take the lock if nobody holds it; False if another process does."""
        return self._acquire_lease() if self.on_server else self._acquire_files()

    def _acquire_files(self) -> bool:
        """The site's lock (its journal, its `running` rows), then its portal host's (two sites of one host, as
        the lease on PostgreSQL); neither if either is held."""
        paths = [self.path] if self.key == self.site else [self.path, self.host_path]
        for path in paths:
            fd = self._flock(path)
            if fd is None:
                self.held_by = path.read_text(encoding="utf-8", errors="replace").strip()
                self.release()
                return False
            self._fds.append(fd)
        return True

    def _flock(self, path: Path) -> int | None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {self.site}\n".encode())  # for people, and the message of a skipped crawl
        return fd

    def _acquire_lease(self) -> bool:
        found = leases.claim(self.engine, self.key, leases.holder_id(), self.seconds, site=self.site)
        if isinstance(found, leases.Busy):
            self.busy = found
            return False
        self.lease, self.busy = found, None
        return True

    def release(self) -> None:
        """Let the next crawl of the site run (safe to call twice)."""
        while self._fds:
            os.close(self._fds.pop())
        if self.lease is not None:
            lease, self.lease = self.lease, None
            leases.keeper().remove(lease)
            try:
                leases.release(self.engine, lease)
            except SQLAlchemyError as exc:  # it runs out by itself
                logger.warning("could not release the lease of %s cleanly: %s", self.site, exc)

    def is_free(self) -> bool:
        """Whether nobody holds the lock now (taken and released at once)."""
        if not self.acquire():
            return False
        self.release()
        return True

    def who(self) -> str:
        """Who holds the lock, for the message of a skipped crawl."""
        if self.busy:
            return f" ({self.busy.describe()})"
        pid = self.held_by.partition(" ")[0]
        return f" (process {pid})" if pid else ""

    def other_site(self) -> str | None:
        """The site whose crawl holds the lock (perhaps this one), after a failed acquire."""
        return self.busy.site if self.busy else (self.held_by.partition(" ")[2] or None)


def mark_crashed(engine: Engine, site: str) -> int:
    """Mark the site's `running` crawls rows `crashed` (call only while holding its lock); how many there were."""
    from crawler import database as db
    from crawler.database.types import display, utc_now

    noticed = display(utc_now())
    with engine.begin() as conn:
        rows = conn.execute(db.crawls.select().where(db.crawls.c.site == site,
                                                     db.crawls.c.status == "running")).mappings().all()
        for row in rows:
            summary = {**(row["summary"] or {}), "site": site, "status": "crashed", "noticed_at": noticed,
                       "problems": ["the crawl process died (or lost its lease) before it finished "
                                    "(noticed when the next crawl of the site started)"]}
            conn.execute(update(db.crawls).where(db.crawls.c.id == row["id"]).values(status="crashed",
                                                                                     summary=summary))
    return len(rows)


class CrawlLock:
    """Extension: take the site's lock before anything else of the crawl runs; a crawl that cannot ends at once,
    `skipped` (SiteBusy is raised before the engine is built). On PostgreSQL the crawl then holds the site's lease:
    renewed while it runs, proved by each of its writes, and a lease lost closes the crawl (`lease_lost`)."""

    def __init__(self, crawler, lock: SiteLock | None, lease: leases.Lease | None) -> None:
        self.crawler, self.lock, self.lease = crawler, lock, lease
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        from crawler import database as db
        from crawler.config import base_url, database_url

        site = getattr(crawler.spidercls, "site", None)
        if site is None:
            raise NotConfigured  # not a site crawl (`xxgk capture`: any number may run at once); no warning for it
        settings, name = crawler.settings, crawler.spidercls.name
        url = database_url(settings)
        lock, lease = None, settings.get("XXGK_LEASE")  # a worker claimed it for its run (crawler/queue.py)
        if lease is None:
            lock = SiteLock(name, Path(settings["XXGK_DATA_DIR"]), url, settings.getfloat("XXGK_LEASE_SECONDS"),
                            leases.politeness_key(base_url(settings, site)))
            if not lock.acquire():
                other = lock.other_site()
                crawl = f"of {name}" if other in (None, name) else f"on the portal host of {name} ({other})"
                message = f"another crawl {crawl} is running{lock.who()}"
                crawler.stats.set_value("xxgk/skipped", message)
                logger.warning("skipped: %s", message)
                raise SiteBusy(message)
            lease = lock.lease
        extension = cls(crawler, lock, lease)
        if lease is not None:
            crawler.xxgk_lease = lease
            lease.on_lost.append(extension.lease_lost)
            leases.keeper().add(lease, db.connect(url), settings.getfloat("XXGK_LEASE_RENEW_SECONDS"))
        crashed = mark_crashed(leases.write_engine(crawler), name)
        if crashed:
            logger.warning("%s: %d earlier crawl(s) left `running` died; marked crashed", name, crashed)
            crawler.stats.set_value("xxgk/crashed_before", crashed)
        return extension

    def lease_lost(self) -> None:
        """Stop the crawl at once: another process may be crawling the site now."""
        self.crawler.stats.set_value("xxgk/lease/lost", True)
        engine = getattr(self.crawler, "_engine", None)
        if engine is not None and engine.running and self.crawler.spider is not None:
            from twisted.internet import reactor

            reactor.callFromThread(partial(_close, engine, "lease_lost"))

    def spider_closed(self, spider, reason: str) -> None:
        # Released last, once everything of the crawl is done (the journal is dropped at engine_stopped too):
        # a handler connected now runs after the ones connected when the crawl was built.
        self.crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    def engine_stopped(self) -> None:
        if self.lock is not None:
            self.lock.release()  # a worker's own lease is released by the worker, with its run's end
        elif self.lease is not None:
            leases.keeper().remove(self.lease)


def _close(engine, reason: str) -> None:
    from scrapy.utils.defer import deferred_from_coro

    if engine.running and engine.spider is not None:
        deferred_from_coro(engine.close_spider_async(reason=reason)).addErrback(
            lambda failure: logger.error("could not close the crawl: %s", failure.getErrorMessage()))

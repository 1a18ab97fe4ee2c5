"""Leases: which process may crawl on a portal host now, on every machine sharing one PostgreSQL database.

A lease is a row of `site_leases` keyed by the politeness key of the crawled base URL (`politeness_key`:
scheme://host:port), so two registry sites on one portal host are never crawled at once, by any worker: the portal's
per-site limits (concurrency, delay) hold for the host. A grant also names its site, and a site is granted under one
key at a time (a site crawled at another base URL, e.g. a simulated portal, waits for its live crawl). Claiming it
adds one to its `epoch`, a fencing token, and sets `lease_until` on the database's clock; the holder renews it while
it crawls (`LeaseKeeper`, from the reactor, one UPDATE for every lease of the process). A lease another process let
expire can be claimed by anyone; one whose holder died on this host (its pid is gone) at once.

Three guards keep a holder that lost its lease (a worker paused, cut off, or too slow to renew) from doing harm:
- every write transaction of a crawl starts by proving its lease (`fenced`: the row with its epoch, still live,
  read FOR SHARE, which a new grant's UPDATE must wait for): a stale holder's write raises LeaseLost and commits
  nothing, so no late write can land after another worker took the site over;
- a downloader middleware (`LeaseGuard`) holds requests once the lease may have expired by the local clock
  (CLOCK_BOOTTIME, which also counts a suspended machine's sleep) until a renewal says it holds (a busy process
  renews late: its requests wait, none is lost) or that it is lost (they are refused), and the download handler
  does the same again as each request leaves, so a stale holder stops asking the portal;
- a lost lease closes the crawl (reason `lease_lost`).

SQLite has no leases: one machine, one data directory, and the site lock is a file lock (crawler/extensions/lock.py).
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest, NotConfigured
from sqlalchemy import Engine, event, text

from crawler.errors import XxgkError
from crawler.processes import process_alive

logger = logging.getLogger(__name__)

# Renewal must reach the database before this share of the lease's time has passed on the local clock, or the
# holder stops sending requests (the database's clock decides; this margin covers clocks that run at other rates).
SAFE_SHARE = 0.9


class LeaseLost(XxgkError):
    """The process no longer holds the site's lease: another holder may have it; nothing more may be written."""


def holder_id() -> str:
    """A new holder's identity: host:pid:random (the host and pid let a claimant on this host see a dead holder)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def dead_here(holder: str | None) -> bool:
    """Whether `holder` ran on this host in a process that is gone."""
    host, _, rest = (holder or "").partition(":")
    pid = rest.partition(":")[0]
    return host == socket.gethostname() and pid.isdigit() and not process_alive(int(pid))


DEFAULT_PORTS = {"http": 80, "https": 443}


def politeness_key(base_url: str) -> str:
    """The lease key of a crawl of `base_url`: its scheme, host and port (the unit a portal's politeness is per)."""
    parts = urlsplit(base_url)
    scheme = parts.scheme.lower() or "http"
    return f"{scheme}://{(parts.hostname or '').lower()}:{parts.port or DEFAULT_PORTS.get(scheme, 0)}"


def boottime() -> float:
    """Seconds on a clock that never jumps and keeps counting while the machine sleeps."""
    return time.clock_gettime(getattr(time, "CLOCK_BOOTTIME", time.CLOCK_MONOTONIC))


@dataclass(eq=False)
class Lease:
    """A lease this process holds: its key, the epoch it was granted at, and how long it lasts unrenewed."""

    key: str
    epoch: int
    holder: str
    seconds: float
    renewed: float = field(default_factory=boottime)  # when the last renewal that held was sent
    lost: bool = False
    on_lost: list[Callable[[], None]] = field(default_factory=list)
    site: str = ""  # the site it was granted for

    @property
    def name(self) -> str:
        return lease_name(self.site, self.key)

    def __deepcopy__(self, memo) -> Lease:
        return self  # a handle on the one lease the process holds (Scrapy deep-copies each crawl's settings)

    def fresh(self) -> bool:
        """Whether the lease surely still holds by the local clock."""
        return not self.lost and boottime() < self.renewed + self.seconds * SAFE_SHARE

    def lose(self) -> None:
        """Note the loss once and tell whoever asked (in the reactor thread, where crawls are closed)."""
        if self.lost:
            return
        self.lost = True
        logger.error("lost the lease of %s (epoch %d): another process may crawl there now", self.name, self.epoch)
        for callback in self.on_lost:
            callback()


@dataclass(frozen=True)
class Busy:
    """A lease someone else holds: who, for which site, and for how many more seconds unless renewed."""

    key: str
    holder: str | None
    seconds_left: float
    site: str | None = None

    def describe(self) -> str:
        crawling = lease_name(self.site, self.key)
        return f"{crawling} is crawled by {self.holder} for {self.seconds_left:.0f} s more unless renewed"


def lease_name(site: str | None, key: str) -> str:
    """For messages: the site and its key (\"yanji on http://www.yanji.gov.cn:80\")."""
    return f"{site} on {key}" if site and site != key else key


ENSURE_ROW = text("INSERT INTO site_leases (key, epoch) VALUES (:key, 0) ON CONFLICT (key) DO NOTHING")
GRANT = text("UPDATE site_leases SET epoch = epoch + 1, holder = :holder, run_id = :run_id, site = :site, "
             "claimed_at = now(), "
             "lease_until = now() + make_interval(secs => :seconds) "
             "WHERE key = :key AND (lease_until IS NULL OR lease_until <= now() OR holder = :dead) "
             "RETURNING epoch")
CURRENT = text("SELECT key, holder, site, GREATEST(EXTRACT(EPOCH FROM lease_until - now()), 0) AS left "
               "FROM site_leases WHERE key = :key")
# The site's grants under other keys, locked: a fenced write of one in progress (FOR SHARE) finishes first.
SAME_SITE = text("SELECT key, holder, site, GREATEST(EXTRACT(EPOCH FROM lease_until - now()), 0) AS left "
                 "FROM site_leases WHERE site = :site AND key <> :key ORDER BY key FOR UPDATE")
SITE_LOCK = text("SELECT pg_advisory_xact_lock(hashtext('xxgk-site:' || :site))")
RENEW = text("UPDATE site_leases AS l SET lease_until = now() + make_interval(secs => v.seconds) "
             "FROM unnest(CAST(:keys AS text[]), CAST(:epochs AS bigint[]), CAST(:seconds AS float8[])) "
             "AS v(key, epoch, seconds) "
             "WHERE l.key = v.key AND l.epoch = v.epoch AND l.lease_until > now() RETURNING l.key, l.epoch")
RELEASE = text("UPDATE site_leases SET holder = NULL, lease_until = NULL WHERE key = :key AND epoch = :epoch")
FENCE = text("SELECT 1 FROM site_leases WHERE key = :key AND epoch = :epoch AND lease_until > now() FOR SHARE")


def claim(engine: Engine, key: str, holder: str, seconds: float, run_id: int | None = None,
          site: str | None = None) -> Lease | Busy:
    """The lease of `key` for `holder` to crawl `site`, unless another holder's is live there, or the site's under
    another key (then who holds it, and how long for)."""
    sent = boottime()
    with engine.begin() as conn:
        if site is not None and (busy := site_busy(conn, key, site)) is not None:
            return busy
        conn.execute(ENSURE_ROW, {"key": key})
        params = {"key": key, "holder": holder, "run_id": run_id, "site": site, "seconds": seconds, "dead": None}
        epoch = conn.execute(GRANT, params).scalar()
        if epoch is None:
            current = conn.execute(CURRENT, {"key": key}).one()
            if not dead_here(current.holder):
                return busy_from(current)
            epoch = conn.execute(GRANT, {**params, "dead": current.holder}).scalar()
            if epoch is None:  # someone else took it over first
                return busy_from(conn.execute(CURRENT, {"key": key}).one())
            logger.warning("%s: took over the lease of %s, which died on this host", key, current.holder)
    return Lease(key, int(epoch), holder, seconds, renewed=sent, site=site or "")


def site_busy(conn, key: str, site: str) -> Busy | None:
    """Who crawls `site` under another key now, if anyone (two claimants of one site take turns here)."""
    conn.execute(SITE_LOCK, {"site": site})
    for row in conn.execute(SAME_SITE, {"key": key, "site": site}):
        if row.left > 0:
            return busy_from(row)
    return None


def busy_from(row) -> Busy:
    return Busy(row.key, row.holder, float(row.left), row.site)


def renew(engine: Engine, leases: list[Lease]) -> set[tuple[str, int]]:
    """Extend every lease given; the (key, epoch) of those still held."""
    if not leases:
        return set()
    params = {"keys": [lease.key for lease in leases], "epochs": [lease.epoch for lease in leases],
              "seconds": [lease.seconds for lease in leases]}
    with engine.begin() as conn:
        return {(row.key, int(row.epoch)) for row in conn.execute(RENEW, params)}


def release(engine: Engine, lease: Lease) -> None:
    """Give the lease back (a no-op if another holder has it since)."""
    with engine.begin() as conn:
        conn.execute(RELEASE, {"key": lease.key, "epoch": lease.epoch})


def held(engine: Engine, lease: Lease) -> bool:
    """Whether the database still says the lease holds."""
    with engine.connect() as conn:
        return conn.execute(FENCE, {"key": lease.key, "epoch": lease.epoch}).first() is not None


def fenced(engine: Engine, lease: Lease) -> Engine:
    """`engine` (sharing its pool) whose every transaction first proves the lease, or raises LeaseLost."""
    option = engine.execution_options(xxgk_lease=f"{lease.key}@{lease.epoch}")

    @event.listens_for(option, "begin")
    def prove(conn) -> None:
        if conn.execute(FENCE, {"key": lease.key, "epoch": lease.epoch}).first() is None:
            lease.lose()
            raise LeaseLost(f"{lease.name}: epoch {lease.epoch} no longer holds the lease")

    return option


def write_engine(crawler) -> Engine:
    """The engine a crawl writes through: fenced by its lease on PostgreSQL, the plain shared one on SQLite."""
    from crawler import database as db
    from crawler.config import database_url

    engine = db.connect(database_url(crawler.settings))
    lease = getattr(crawler, "xxgk_lease", None)
    if lease is None:
        return engine
    fenced_engine = getattr(crawler, "xxgk_fenced_engine", None)
    if fenced_engine is None:
        fenced_engine = crawler.xxgk_fenced_engine = fenced(engine, lease)
    return fenced_engine


class LeaseKeeper:
    """Renews every lease this process holds, from the reactor (a frozen reactor renews nothing: the safe side)."""

    def __init__(self) -> None:
        self.leases: dict[tuple[str, int], tuple[Lease, Engine]] = {}
        self.loop = None
        self.interval = 0.0

    def add(self, lease: Lease, engine: Engine, every: float) -> None:
        """Keep renewing `lease` every `every` seconds until removed (call in the reactor thread)."""
        self.leases[(lease.key, lease.epoch)] = (lease, engine)
        if self.loop is None or every < self.interval:
            self._start(every)

    def remove(self, lease: Lease) -> None:
        self.leases.pop((lease.key, lease.epoch), None)

    def _start(self, every: float) -> None:
        from twisted.internet import task

        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.interval = every
        self.loop = task.LoopingCall(self.renew_all)
        self.loop.start(every, now=False).addErrback(self._stopped)

    def _stopped(self, failure) -> None:
        """Renewal broke: every lease will run out, so each is given up now (its crawl closes, its waiters end)."""
        logger.error("lease renewal stopped: %s", failure.getErrorMessage())
        for lease, _ in list(self.leases.values()):
            lease.lose()

    def renew_all(self):
        """Renew in a thread (the database may be slow); mark lost the leases the database no longer grants."""
        from twisted.internet import threads

        by_engine: dict[int, tuple[Engine, list[Lease]]] = {}
        for lease, engine in self.leases.values():
            if not lease.lost:
                by_engine.setdefault(id(engine), (engine, []))[1].append(lease)
        return threads.deferToThread(self._renew, list(by_engine.values())).addCallback(self._renewed)

    @staticmethod
    def _renew(groups: list[tuple[Engine, list[Lease]]]) -> list[tuple[Lease, bool | None, float]]:
        outcomes = []
        for engine, leases in groups:
            sent = boottime()
            try:
                still = renew(engine, leases)
            except Exception as exc:  # noqa: BLE001 - the database is unreachable: the leases run out on their own
                logger.warning("could not renew %d lease(s): %s", len(leases), exc)
                outcomes += [(lease, None, sent) for lease in leases]
                continue
            outcomes += [(lease, (lease.key, lease.epoch) in still, sent) for lease in leases]
        return outcomes

    def _renewed(self, outcomes: list[tuple[Lease, bool | None, float]]) -> None:
        late = max((sent - lease.renewed for lease, holds, sent in outcomes if holds), default=0.0)
        if late > 2 * self.interval:
            logger.warning("lease renewal came %.0f s after the last one (every %.0f s asked): this process is "
                           "overloaded, its leases may run out", late, self.interval)
        for lease, holds, sent in outcomes:
            if holds:
                lease.renewed = max(lease.renewed, sent)
            elif holds is False or not lease.fresh():
                lease.lose()


_keeper: LeaseKeeper | None = None


def keeper() -> LeaseKeeper:
    """The process's one lease keeper."""
    global _keeper
    if _keeper is None:
        _keeper = LeaseKeeper()
    return _keeper


HOLD_POLL_SECONDS = 0.5


class LeaseGuard:
    """Downloader middleware: no request enters the downloader, nor leaves it (a send gate, crawler/sendgates.py),
    while the crawl's lease may have run out by the local clock. It waits for the keeper's next renewal: sent if
    the lease holds, refused if it is lost (the crawl then closes)."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        from crawler import sendgates
        from crawler.config import database_url

        if database_url(crawler.settings).startswith("sqlite"):
            raise NotConfigured  # no leases on SQLite (a message would make Scrapy log a warning on every crawl)
        guard = cls(crawler)
        sendgates.add(crawler, guard.process_request)
        return guard

    def process_request(self, request):
        """None while the lease is fresh (or there is none yet): a fresh lease costs no task. Else `until_fresh`,
        to be awaited."""
        lease = getattr(self.crawler, "xxgk_lease", None)
        if lease is None or lease.fresh():
            return None
        return until_fresh(self.crawler.stats, lease, request)


async def until_fresh(stats, lease: Lease, request) -> None:
    """Return once a renewal makes `lease` fresh again; IgnoreRequest once it is lost. Awaited by LeaseGuard as a
    request enters the downloader and again as it leaves (a send gate, crawler/sendgates.py): a request
    waits for its turn in the downloader's slot (DOWNLOAD_DELAY, the per-site concurrency), and a worker paused
    meanwhile would send every waiting one the moment it resumed, after another worker took the site over (measured:
    15 of them)."""
    import asyncio

    stats.inc_value("xxgk/lease/held_requests")
    while not lease.lost and not lease.fresh():
        await asyncio.sleep(HOLD_POLL_SECONDS)
    if lease.lost:
        stats.inc_value("xxgk/lease/refused_requests")
        raise IgnoreRequest(f"the lease of {lease.name} is lost: not sending {request.url}")

"""The shared queue: site runs handed to `xxgk worker` processes on any host, through dramatiq's Redis broker.

The unit of work is one site crawl. A message names a `runs` row; the worker that receives it claims the lease of
the site's portal host (crawler/leases.py; one crawl per host at a time, whatever the site) for that run, crawls the
site in its reactor (a dramatiq worker thread is one site slot and waits for its crawl), records the run's end and
releases the lease. PostgreSQL is the truth (runs, leases);
Redis only delivers:
- a worker that dies (SIGKILL, OOM, power) stops heartbeating; dramatiq puts its unacknowledged messages back after
  XXGK_WORKER_HEARTBEAT_MS, and the next claimant gets the lease once it has run out (at once on the same host):
  the site is crawled again from its start, documents upserted by URL, so nothing is stored twice;
- a message delivered while the host's lease is live elsewhere is retried after the lease's remaining time; one
  whose run has already ended (looked at again once the lease is held) is acknowledged and dropped, so a duplicate
  delivery is harmless;
- a holder that lost its lease can no longer write (fenced transactions) nor ask the portal (LeaseGuard);
- a run whose message Redis lost (a restart without appendonly, FLUSHALL) is found by `sweep` and sent again.

Why dramatiq and not Celery, scrapy-redis or scrapyd: docs/scale.md.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.common import dq_name
from sqlalchemy import Engine, insert, select, text, update

from crawler import database as db
from crawler import leases
from crawler.database.types import utc_now
from crawler.errors import XxgkError

logger = logging.getLogger(__name__)

QUEUE = "sites"
ACTOR = "crawl_site"
FINISHED = ("ok", "failed", "blocked", "crashed", "skipped", "abandoned")
MAX_ATTEMPTS = 5  # a site whose crawl kills its worker every time (dramatiq#213) is given up after this many
RETRY_MARGIN_MS = 500


class QueueError(XxgkError):
    """The queue cannot be used: no database server, Redis unreachable."""


def configured(settings) -> bool:
    return bool(settings.get("XXGK_QUEUE_URL"))


def broker(settings) -> RedisBroker:
    """The process's broker for XXGK_QUEUE_URL (dramatiq's global broker too)."""
    found = RedisBroker(url=settings["XXGK_QUEUE_URL"],
                        heartbeat_timeout=settings.getint("XXGK_WORKER_HEARTBEAT_MS"),
                        maintenance_chance=settings.getint("XXGK_QUEUE_MAINTENANCE"))
    dramatiq.set_broker(found)
    return found


def check_database(url: str) -> None:
    if url.startswith("sqlite"):
        raise QueueError("the shared queue needs a PostgreSQL database every worker reaches (XXGK_DATABASE_URL): "
                         "a SQLite file is one machine's")


def enqueue(settings, sites: list[str], options: dict[str, Any], slots: dict[str, Any] | None = None) -> list[int]:
    """A queued `runs` row per site and its message; the run ids. `options`: settings every worker applies to
    these crawls (base URLs, -s overrides); `slots`: the schedule slot each run takes, if any."""
    from crawler.config import database_url

    url = database_url(settings)
    check_database(url)
    engine = db.connect(url)
    target = broker(settings)
    ids = []
    for site in sites:
        with engine.begin() as conn:
            run_id = conn.execute(insert(db.runs).values(
                site=site, scheduled_for=(slots or {}).get(site), status="queued", queued_at=utc_now(), attempt=0,
                options=options,
            )).inserted_primary_key[0]
        send(target, run_id, site, options)
        ids.append(run_id)
    return ids


def send(target: RedisBroker, run_id: int, site: str, options: dict[str, Any], delay_ms: int | None = None) -> None:
    try:
        target.enqueue(dramatiq.Message(queue_name=QUEUE, actor_name=ACTOR, args=(run_id, site, options), kwargs={},
                                        options={}), delay=delay_ms)
    except Exception as exc:  # noqa: BLE001 - redis' own errors: one line, the run stays queued in the database
        raise QueueError(f"could not put {site} on the queue ({settings_url(target)}): {exc}") from None


def settings_url(target: RedisBroker) -> str:
    kwargs = target.client.connection_pool.connection_kwargs
    return f"redis://{kwargs.get('host', '?')}:{kwargs.get('port', '?')}"


# -- the worker side ---------------------------------------------------------------------------------------------

@dataclass
class Worker:
    """What a worker process's site slots share: its settings, data directory, database and identity."""

    data_dir: Path | None
    options: dict[str, Any]
    database_url: str
    holder: str
    lease_seconds: float
    renew_seconds: float


_worker: Worker | None = None


def declare(target: RedisBroker, worker: Worker) -> dramatiq.Actor:
    """The crawl actor on `target`, run by this worker's threads."""
    global _worker
    _worker = worker
    # time_limit: a crawl takes hours (dramatiq's default kills it after 10 minutes); retries: only the delays
    # asked for below (dramatiq's default backoff starts at 15 s); attempts are counted in `runs`.
    return dramatiq.actor(crawl_site, actor_name=ACTOR, queue_name=QUEUE, broker=target, time_limit=float("inf"),
                          max_retries=10_000, min_backoff=1_000, max_backoff=60_000)


def crawl_site(run_id: int, site: str, options: dict[str, Any]) -> None:
    """Crawl one queued run's site under its lease (in a dramatiq worker thread, which waits for the crawl)."""
    worker = _worker
    if stopping.is_set():
        raise dramatiq.Retry(delay=0)  # this worker is stopping: another one takes the run
    engine = db.connect(worker.database_url)
    run = load_run(engine, run_id)
    if run is None or run["status"] in FINISHED:
        return  # a duplicate delivery, or a run another worker finished
    if (run["attempt"] or 0) >= MAX_ATTEMPTS:
        finish(engine, run_id, "abandoned", {"problems": [f"{MAX_ATTEMPTS} attempts did not finish the crawl"]})
        return
    found = leases.claim(engine, lease_key(worker, site, options), worker.holder, worker.lease_seconds, run_id, site)
    if isinstance(found, leases.Busy):
        logger.info("%s: %s; run %d retried later", site, found.describe(), run_id)
        raise dramatiq.Retry(delay=int(found.seconds_left * 1000) + RETRY_MARGIN_MS)
    lease = found
    if load_run(engine, run_id)["status"] in FINISHED:  # ended by another worker between our look and our grant
        leases.release(engine, lease)
        return
    from twisted.internet import reactor

    keeper = leases.keeper()
    reactor.callFromThread(keeper.add, lease, engine, worker.renew_seconds)  # renewed from now, not once the crawl is built
    try:
        start(engine, run_id, lease)
        summary, reason = run_crawl(worker, site, {**options, "XXGK_LEASE": lease})
    except BaseException:
        reactor.callFromThread(keeper.remove, lease)
        requeue_after_error(engine, run_id, lease)
        raise
    reactor.callFromThread(keeper.remove, lease)
    if lease.lost:  # delivered again: a live holder makes it wait, a finished run drops it, else it is crawled again
        logger.error("%s: run %d lost its lease; the run is delivered again", site, run_id)
        raise dramatiq.Retry(delay=RETRY_MARGIN_MS)
    if reason == "shutdown":  # the worker is stopping: the run goes back on the queue for another one
        fenced_update(engine, lease, run_id, status="queued")
        leases.release(engine, lease)
        raise dramatiq.Retry(delay=0)
    fenced_update(engine, lease, run_id, status=summary.get("status", "failed"), finished_at=utc_now(),
                  stats=summary, crawl_id=summary["crawl_id"])
    leases.release(engine, lease)


def lease_key(worker: Worker, site: str, options: dict[str, Any]) -> str:
    """The politeness key the run's crawl is leased under: the host of the base URL it crawls."""
    from crawler.commands.runner import crawl_settings, host_key

    return host_key(crawl_settings(worker.data_dir, {**worker.options, **merge_base_urls(worker.options, options)}),
                    site)


def load_run(engine: Engine, run_id: int) -> dict | None:
    with engine.connect() as conn:
        row = conn.execute(select(db.runs).where(db.runs.c.id == run_id)).mappings().first()
    return dict(row) if row else None


def start(engine: Engine, run_id: int, lease: leases.Lease) -> None:
    import os

    with leases.fenced(engine, lease).begin() as conn:
        conn.execute(update(db.runs).where(db.runs.c.id == run_id).values(
            status="running", started_at=utc_now(), attempt=db.runs.c.attempt + 1, worker=lease.holder,
            pid=os.getpid()))


def fenced_update(engine: Engine, lease: leases.Lease, run_id: int, **values) -> None:
    try:
        with leases.fenced(engine, lease).begin() as conn:
            conn.execute(update(db.runs).where(db.runs.c.id == run_id).values(**values))
    except leases.LeaseLost as exc:
        logger.error("run %d: not recorded, %s", run_id, exc)


def finish(engine: Engine, run_id: int, status: str, stats: dict) -> None:
    with engine.begin() as conn:
        conn.execute(update(db.runs).where(db.runs.c.id == run_id).values(status=status, finished_at=utc_now(),
                                                                         stats=stats))


def requeue_after_error(engine: Engine, run_id: int, lease: leases.Lease) -> None:
    """A crawl that raised: the run waits for its next delivery (dramatiq retries the message)."""
    fenced_update(engine, lease, run_id, status="queued")
    try:
        leases.release(engine, lease)
    except Exception as exc:  # noqa: BLE001 - it runs out by itself
        logger.warning("could not release the lease of %s: %s", lease.name, exc)


def run_crawl(worker: Worker, site: str, options: dict[str, Any]) -> tuple[dict, str | None]:
    """Crawl `site` in the reactor (this thread waits); its summary and finish reason."""
    from twisted.internet import reactor
    from twisted.internet.threads import blockingCallFromThread

    from crawler.extensions.summary import crawl_summary

    crawler = blockingCallFromThread(reactor, _crawl, worker, site, options)
    summary = crawl_summary(crawler) or {"site": site, "status": "failed",
                                         "problems": ["the crawl did not start (see the worker's log)"]}
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return {**summary, "crawl_id": stats.get("xxgk/crawl_id")}, stats.get("finish_reason")


_starts: deque = deque()  # crawls waiting to be built, one per reactor turn


def _crawl(worker: Worker, site: str, options: dict[str, Any]):
    """In the reactor: queue the site's crawl to start; a Deferred firing with its crawler when the crawl has ended.

    Building a crawler takes the reactor a while; a worker given hundreds of sites at once would build them all in
    one turn of the loop (a minute at 500), and no timer (lease renewal) nor response would be served meanwhile."""
    from twisted.internet import defer, reactor

    ended = defer.Deferred()
    _starts.append((worker, site, options, ended))
    if len(_starts) == 1:
        reactor.callLater(0, _start_next)
    return ended


def _start_next() -> None:
    from twisted.internet import reactor

    worker, site, options, ended = _starts[0]
    try:
        if stopping.is_set():  # its run goes back on the queue (crawl_site's error path)
            raise QueueError(f"{site}: the worker stopped before the crawl started")
        _build(worker, site, options).chainDeferred(ended)
    except Exception:  # noqa: BLE001 - the crawl's own failure goes to its slot; the next ones still start
        ended.errback()
    _starts.popleft()
    if _starts:
        reactor.callLater(0, _start_next)


def _build(worker: Worker, site: str, options: dict[str, Any]):
    """Start the site's crawler; a Deferred firing with it when the crawl has ended."""
    from scrapy.crawler import Crawler

    from crawler.commands.runner import crawl_settings

    settings = crawl_settings(worker.data_dir, {**worker.options, **merge_base_urls(worker.options, options)})
    crawler = Crawler(spider_class(settings, site), settings)
    _running.add(crawler)
    started = crawler.crawl()

    def ended(result):
        _running.discard(crawler)
        return crawler

    return started.addBoth(lambda outcome: _log_failure(outcome, site)).addBoth(ended)


_loaders: dict[tuple, Any] = {}


def spider_class(settings, site: str) -> type:
    """The site's spider, from a loader kept while the spider modules and registry files stay the same (building
    one walks every spider module and registry entry: a tenth of a 500-site worker's start-up)."""
    from scrapy.spiderloader import get_spider_loader

    from crawler.sites import file_version, registry_files

    registries = [(str(path), file_version(path)) for path in registry_files(settings)]
    key = (repr(settings.getlist("SPIDER_MODULES")), *registries)
    loader = _loaders.get(key)
    if loader is None:
        _loaders.clear()
        loader = _loaders[key] = get_spider_loader(settings)
    return loader.load(site)


def merge_base_urls(base: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """The run's options over the worker's own, base URLs merged rather than replaced."""
    merged = dict(options)
    if "XXGK_BASE_URLS" in options:
        merged["XXGK_BASE_URLS"] = {**(base.get("XXGK_BASE_URLS") or {}), **options["XXGK_BASE_URLS"]}
    return merged


def _log_failure(outcome, site: str):
    from twisted.python.failure import Failure

    if isinstance(outcome, Failure):
        logger.error("%s: the crawl failed: %s", site, outcome.getErrorMessage())


_running: set = set()
stopping = threading.Event()  # set by the worker command when it stops: no new crawl starts


def stop_crawls() -> None:
    """Close every running crawl (`shutdown`): their runs go back on the queue (in the reactor thread)."""
    for crawler in list(_running):
        if crawler.engine is not None and crawler.engine.running:
            from crawler.extensions.lock import _close

            _close(crawler.engine, "shutdown")


# -- runs whose message was lost ----------------------------------------------------------------------------------

# A run the sweep may send again: queued longer than the grace period, or running without a live lease of its own
# (its worker is dead or cut off). Only runs of the queue (queued_at set; the local scheduler's have none).
LOST_CANDIDATES = text(
    "SELECT r.id, r.site, r.status, r.queued_at, r.options FROM runs AS r "
    "WHERE r.queued_at IS NOT NULL AND ("
    " (r.status = 'queued' AND r.queued_at <= now() - make_interval(secs => :grace))"
    " OR (r.status = 'running' AND NOT EXISTS (SELECT 1 FROM site_leases AS l "
    "     WHERE l.run_id = r.id AND l.lease_until > now()))) ORDER BY r.id")
# Taken by one sweeper only: the row must still be as it was seen (several machines may sweep at once); a run taken
# is queued anew, so another sweeper whose look at Redis came before the new message leaves it alone for the grace.
TAKE_LOST = text(
    "UPDATE runs AS r SET status = 'queued', queued_at = now() "
    "WHERE r.id = :id AND r.status = :status AND r.queued_at = :queued_at AND (r.status = 'queued' "
    " OR NOT EXISTS (SELECT 1 FROM site_leases AS l WHERE l.run_id = r.id AND l.lease_until > now())) RETURNING r.id")


def queued_run_ids(target: RedisBroker) -> set[int]:
    """The runs the broker holds a message for: waiting, delayed (a retry) or being crawled by a worker.

    dramatiq keeps every live message's body in `NS:sites.msgs` (waiting in the list `NS:sites`, or fetched by a
    worker and listed in its `NS:__acks__.WORKER.sites` until acknowledged) or `NS:sites.DQ.msgs` (delayed); a
    message moving from one to the other is written to the new hash before it leaves the old one. Both hashes are
    read in one transaction, so a moving message is seen at least once. Dead-lettered ones (`.XQ`) are never
    delivered: they do not count."""
    keys = [f"{target.namespace}:{QUEUE}.msgs", f"{target.namespace}:{dq_name(QUEUE)}.msgs"]
    pipeline = target.client.pipeline(transaction=True)
    for key in keys:
        pipeline.hvals(key)
    ids = set()
    for bodies in pipeline.execute():
        for body in bodies:
            args = dramatiq.Message.decode(body).args
            if args and isinstance(args[0], int):
                ids.add(args[0])
    return ids


def sweep(settings, grace_seconds: float) -> list[str]:
    """Send again every run whose message the broker lost; a line per run sent (safe on several machines at once:
    each lost run is taken by one sweeper, and a duplicate message is dropped by the worker anyway)."""
    from crawler.config import database_url

    url = database_url(settings)
    check_database(url)
    engine = db.connect(url)
    target = broker(settings)
    try:
        present = queued_run_ids(target)  # before the rows: a run queued after this look is within its grace
    except Exception as exc:  # noqa: BLE001 - redis' own errors: one line
        raise QueueError(f"cannot read the queue at {settings_url(target)}: {exc}") from None
    with engine.connect() as conn:
        candidates = conn.execute(LOST_CANDIDATES, {"grace": grace_seconds}).mappings().all()
    sent = []
    for run in candidates:
        if run["id"] in present:
            continue
        with engine.begin() as conn:
            taken = conn.execute(TAKE_LOST, {"id": run["id"], "status": run["status"],
                                             "queued_at": run["queued_at"]}).first()
        if taken is None:
            continue  # another sweeper took it, or it moved on
        send(target, run["id"], run["site"], run["options"] or {})
        was = "queued" if run["status"] == "queued" else "running without a live lease"
        sent.append(f"{run['site']}: run {run['id']} sent again (it was {was} and its message was lost)")
    return sent

"""Run each site's crawl when its cron schedule says, one crawl per site at a time, every run recorded in `runs`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from croniter import croniter
from sqlalchemy import Engine, insert, select, update

from crawler import database as db
from crawler.console import plain_table
from crawler.database.types import display, utc_now
from crawler.errors import XxgkError
from crawler.extensions.lock import SiteLock
from crawler.extensions.summary import SKIPPED_EXIT
from crawler.processes import process_alive
from crawler.sites import Site, UnknownSite, load_registry

POLL_SECONDS = 0.2  # how often running crawls are checked for their exit
CRAWL_PROGRAM = "from crawler.commands import main; main(prog_name='xxgk')"
FINISHED = ("ok", "failed", "blocked", "crashed", "skipped")


class ScheduleError(XxgkError):
    """A schedule that cannot run: bad cron string, unknown site, bad option."""


@dataclass
class Options:
    data_dir: Path
    sites: tuple[str, ...] = ()  # empty: every site with a schedule
    base_urls: dict[str, str] = field(default_factory=dict)
    overrides: tuple[str, ...] = ()  # NAME=VALUE settings passed to each crawl
    max_parallel: int = 2
    tick: float = 60.0
    database: str = ""  # the database URL, as crawler/config.py resolved it
    registry: dict[str, Site] = field(default_factory=load_registry)  # every site the configuration names
    queue: Any = None  # the settings, when runs go on the shared queue (XXGK_QUEUE_URL) instead of local processes


@dataclass
class Running:
    site: str
    run_id: int
    slot: datetime
    started_at: datetime
    process: subprocess.Popen
    log: Path


def clock(start: datetime | None = None) -> Callable[[], datetime]:
    """Local time now; or time running on from `start` (an injected "now" for tests and back-fills)."""
    if start is None:
        return lambda: datetime.now().astimezone()
    began = time.monotonic()
    start = start if start.tzinfo else start.astimezone()
    return lambda: start + timedelta(seconds=time.monotonic() - began)


def parse_now(text: str) -> datetime:
    """An ISO date-time (local time unless it has an offset)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ScheduleError(f"--now: expected an ISO date-time such as 2026-01-05T03:00, got {text!r}") from None
    return moment if moment.tzinfo else moment.astimezone()


def check_cron(site: Site) -> None:
    """ScheduleError unless the site's schedule is a valid cron expression."""
    if site.schedule and not croniter.is_valid(site.schedule):
        raise ScheduleError(f"{site.name}: schedule {site.schedule!r} is not a cron expression")


def latest_slot(cron: str, now: datetime) -> datetime:
    """The last time at or before `now` that the cron expression names."""
    # get_prev() is strictly before its base: start a second later so a slot equal to `now` counts.
    return croniter(cron, now.replace(microsecond=0) + timedelta(seconds=1)).get_prev(datetime)


def next_slot(cron: str, now: datetime) -> datetime:
    """The first time after `now` that the cron expression names."""
    return croniter(cron, now).get_next(datetime)


def due_slot(cron: str, now: datetime, last: datetime | None) -> datetime | None:
    """The slot to run now, if any: the latest one when no run has taken it (missed slots collapse into one)."""
    slot = latest_slot(cron, now)
    return slot if last is None or slot > last else None


def selected_sites(names: tuple[str, ...], registry: dict[str, Site]) -> list[Site]:
    """The named sites (all with a schedule when none is named), their cron strings checked."""
    for name in names:
        if name not in registry:
            raise ScheduleError(str(UnknownSite(name)))
    sites = [registry[name] for name in names] if names else [s for s in registry.values() if s.schedule]
    for site in sites:
        check_cron(site)
    return sites


# -- the runs table -----------------------------------------------------------------------------------------

def last_slot(engine: Engine, site: str) -> datetime | None:
    """The slot the site's latest run took (a skipped run takes none)."""
    with engine.connect() as conn:
        return conn.scalar(select(db.runs.c.scheduled_for)
                           .where(db.runs.c.site == site, db.runs.c.status != "skipped",
                                  db.runs.c.scheduled_for.is_not(None))
                           .order_by(db.runs.c.id.desc()).limit(1))


def hand_crawl(engine: Engine, site: Site, base_urls: dict[str, str]) -> dict | None:
    """The site's latest finished crawl that no scheduled run started (`xxgk crawl` by hand), if it crawled the
    portal the scheduler would (the registry's, or --base-url's): a demo of a simulated portal is no real crawl."""
    portal = (base_urls.get(site.name) or site.base_url).rstrip("/")
    with engine.connect() as conn:
        scheduled = {(stats or {}).get("crawl_id") for stats in conn.scalars(
            select(db.runs.c.stats).where(db.runs.c.site == site.name))}
        rows = conn.execute(select(db.crawls.c.id, db.crawls.c.started_at, db.crawls.c.status, db.crawls.c.summary)
                            .where(db.crawls.c.site == site.name, db.crawls.c.finished_at.is_not(None))
                            .order_by(db.crawls.c.id.desc())).mappings()
        for row in rows:
            crawled = (row["summary"] or {}).get("base_url")
            if row["id"] not in scheduled and (crawled is None or crawled.rstrip("/") == portal):
                return dict(row)
    return None


def taken_slot(engine: Engine, site: Site, base_urls: dict[str, str]) -> datetime | None:
    """The latest slot run: by the scheduler, or covered by a crawl by hand (the slot at or before its start)."""
    taken = last_slot(engine, site.name)
    hand = hand_crawl(engine, site, base_urls) if site.schedule else None
    if hand is not None:
        # cron strings name local times, as the scheduler's clock reads them: the crawl's start (UTC) in local time
        covered = latest_slot(site.schedule, hand["started_at"].astimezone())
        taken = covered if taken is None or covered > taken else taken
    return taken


def last_run(engine: Engine, site: str) -> dict | None:
    """The site's latest run row."""
    with engine.connect() as conn:
        row = conn.execute(select(db.runs).where(db.runs.c.site == site).order_by(db.runs.c.id.desc()).limit(1))
        found = row.mappings().first()
    return dict(found) if found else None


def start_run(engine: Engine, site: str, slot: datetime, pid: int | None, status: str = "running") -> int:
    """Insert a run row; its id."""
    now = utc_now()
    values = dict(site=site, scheduled_for=slot, started_at=now, status=status, pid=pid)
    if status != "running":
        values["finished_at"] = now
    with engine.begin() as conn:
        return conn.execute(insert(db.runs).values(**values)).inserted_primary_key[0]


def crawl_summary(engine: Engine, site: str, since: datetime) -> tuple[int, dict] | None:
    """The (id, summary) of the site's finished crawl that started at or after `since`."""
    with engine.connect() as conn:
        row = conn.execute(
            select(db.crawls.c.id, db.crawls.c.summary)
            .where(db.crawls.c.site == site, db.crawls.c.started_at >= since, db.crawls.c.finished_at.is_not(None))
            .order_by(db.crawls.c.id.desc()).limit(1)
        ).first()
    return (row[0], dict(row[1] or {})) if row else None


def outcome(engine: Engine, site: str, started_at: datetime, exit_code: int | None) -> tuple[str, dict]:
    """A run's status and stats: the crawl's own summary, or `crashed` when the process died without one."""
    if exit_code == SKIPPED_EXIT:
        return "skipped", {"problem": "another crawl of the site was running"}
    found = crawl_summary(engine, site, started_at)
    if exit_code is not None and exit_code < 0:
        return "crashed", ({"crawl_id": found[0], **found[1]} if found else {"signal": -exit_code})
    if found is None:
        # Exit 0 without a stored summary: the crawl ran but could not record its end.
        return ("failed", {"problem": "the crawl stored no summary"}) if exit_code == 0 else ("crashed", {})
    crawl_id, summary = found
    return summary.get("status") or "failed", {"crawl_id": crawl_id, **summary}


def set_pid(engine: Engine, run_id: int, pid: int) -> None:
    with engine.begin() as conn:
        conn.execute(update(db.runs).where(db.runs.c.id == run_id).values(pid=pid))


def finish_run(engine: Engine, run_id: int, status: str, exit_code: int | None, stats: dict) -> None:
    """Record a run's end."""
    with engine.begin() as conn:
        conn.execute(update(db.runs).where(db.runs.c.id == run_id).values(
            finished_at=utc_now(), status=status, exit_code=exit_code, stats=stats))


def reap_stale(engine: Engine, options: Options) -> list[str]:
    """Close `running` rows whose crawl is gone (its scheduler died): by the crawl's summary, else `crashed`."""
    with engine.connect() as conn:
        rows = conn.execute(select(db.runs).where(db.runs.c.status == "running")).mappings().all()
    reaped = []
    for row in rows:
        if row["worker"]:
            continue  # a queue worker's run: a dead worker's message goes back on the queue (crawler/queue.py)
        if (row["pid"] and process_alive(row["pid"])) or not site_lock(options, row["site"]).is_free():
            continue  # still crawling (perhaps not holding its lock yet), under another scheduler or on its own
        status, stats = outcome(engine, row["site"], row["started_at"], None)
        finish_run(engine, row["id"], status, None, stats)
        reaped.append(f"{row['site']}: run {row['id']} left running by a dead scheduler, recorded {status}")
    return reaped


def site_lock(options: Options, site: str) -> SiteLock:
    """The lock every crawl of the site takes (crawler/extensions/lock.py): the scheduler only looks at it."""
    return SiteLock(site, options.data_dir, options.database, key=host_key(options, site))


def host_key(options: Options, site: str) -> str | None:
    """The politeness key of the portal the site's crawl asks (crawler/leases.py), if the site is known."""
    from crawler.leases import politeness_key

    entry = options.registry.get(site)
    url = options.base_urls.get(site) or (entry.base_url if entry else "")
    return politeness_key(url) if url else None


# -- the scheduler ------------------------------------------------------------------------------------------

def crawl_command(site: str, options: Options) -> list[str]:
    """`xxgk crawl SITE` with this run's data directory, base URL and settings."""
    command = [sys.executable, "-c", CRAWL_PROGRAM, "crawl", site, "--data-dir", str(options.data_dir)]
    if site in options.base_urls:
        command.append(f"--base-url={site}={options.base_urls[site]}")
    for override in options.overrides:
        command += ["--set", override]
    return command


def crawl_environment(options: Options) -> dict[str, str]:
    """The crawl's environment: the scheduler's database, passed in the environment (a password never shows in
    the process list)."""
    return {**os.environ, "XXGK_DATABASE_URL": options.database}


class Scheduler:
    """Launch due crawls as `xxgk crawl SITE` processes and record each in `runs`."""

    def __init__(self, options: Options, now: Callable[[], datetime], say: Callable[[str], None] = print) -> None:
        self.options, self.now, self.say = options, now, say
        self.sites = selected_sites(options.sites, options.registry)
        self.engine = db.connect(options.database)
        self.running: dict[str, Running] = {}
        self.results: list[str] = []
        self.stopping = False

    def due(self) -> Iterator[tuple[Site, datetime]]:
        """Sites whose latest slot no run has taken, with that slot."""
        now = self.now()
        for site in self.sites:
            if site.schedule and site.name not in self.running:
                slot = due_slot(site.schedule, now, taken_slot(self.engine, site, self.options.base_urls))
                if slot is not None:
                    yield site, slot

    def launch(self, site: Site, slot: datetime) -> bool:
        """Start the site's crawl unless another process crawls it; False if it was skipped.

        The slot is taken (a `runs` row) under the site's lock, so two schedulers never both take it; the crawl
        process then takes the lock itself, and ends `skipped` (exit 75) if something else took it in between.
        """
        if self.options.queue is not None:
            return self.enqueue(site, slot)
        lock = site_lock(self.options, site.name)
        if not lock.acquire():
            previous = last_run(self.engine, site.name)
            if not (previous and previous["status"] == "skipped" and previous["scheduled_for"] == slot):
                start_run(self.engine, site.name, slot, None, status="skipped")  # once per slot, not per tick
            self.say(f"{site.name}: skipped the {slot:%Y-%m-%d %H:%M} run, another process is crawling it")
            self.results.append("skipped")
            return False
        try:
            if due_slot(site.schedule, self.now(), taken_slot(self.engine, site, self.options.base_urls)) is None:
                return True  # another scheduler ran this slot between our look and our lock
            started_at = utc_now()
            run_id = start_run(self.engine, site.name, slot, None)
        finally:
            lock.release()
        log = Path(self.options.data_dir) / "logs" / f"schedule-{site.name}-{datetime.now():%Y%m%d-%H%M%S}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        try:
            with log.open("ab") as output:
                # A session of its own: Ctrl-C in the scheduler's terminal reaches the scheduler, which decides.
                process = subprocess.Popen(crawl_command(site.name, self.options), stdout=output,
                                           stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                           start_new_session=True, env=crawl_environment(self.options))
        except OSError as exc:
            finish_run(self.engine, run_id, "crashed", None, {"error": str(exc)})
            self.say(f"{site.name}: could not start the crawl: {exc}")
            return False
        set_pid(self.engine, run_id, process.pid)
        self.running[site.name] = Running(site.name, run_id, slot, started_at, process, log)
        self.say(f"{site.name}: crawl started for the {slot:%Y-%m-%d %H:%M} slot (pid {process.pid}, log {log})")
        return True

    def enqueue(self, site: Site, slot: datetime) -> bool:
        """Put the slot's run on the shared queue for a worker (crawler/queue.py); a worker takes the site's lease."""
        from crawler.queue import enqueue

        options = dict(pair.split("=", 1) for pair in self.options.overrides)
        if site.name in self.options.base_urls:
            options["XXGK_BASE_URLS"] = {site.name: self.options.base_urls[site.name]}
        [run_id] = enqueue(self.options.queue, [site.name], options, {site.name: slot})
        self.say(f"{site.name}: run {run_id} queued for the {slot:%Y-%m-%d %H:%M} slot")
        self.results.append("queued")
        return True

    def sweep(self) -> None:
        """With a shared queue: send again the runs whose message the queue lost (crawler/queue.py)."""
        if self.options.queue is None:
            return
        from crawler.queue import QueueError, sweep

        try:
            lines = sweep(self.options.queue, self.options.queue.getfloat("XXGK_QUEUE_SWEEP_GRACE"))
        except QueueError as exc:  # Redis down for now: the next look sweeps again
            lines = [f"sweep: {exc}"]
        for line in lines:
            self.say(line)

    def next_ready(self, pending: list[tuple[Site, datetime]]) -> tuple[Site, datetime] | None:
        """The first pending site whose portal host none of our running crawls asks (one crawl per host)."""
        busy = {host_key(self.options, name) for name in self.running} - {None}
        return next((item for item in pending if host_key(self.options, item[0].name) not in busy), None)

    def reap(self) -> None:
        """Record every crawl that has ended."""
        for name, run in list(self.running.items()):
            code = run.process.poll()
            if code is None:
                continue
            del self.running[name]
            status, stats = outcome(self.engine, name, run.started_at, code)
            finish_run(self.engine, run.run_id, status, code, {**stats, "log": str(run.log)})
            counts = f"reports={stats.get('reports', '-')} attachments={stats.get('attachments', '-')}"
            self.say(f"{name}: {status} (exit {code}) {counts}")
            self.results.append(status)

    def stop(self, *_args) -> None:
        """Launch nothing more; ask running crawls to finish (Scrapy closes gracefully on SIGTERM)."""
        self.stopping = True
        for run in self.running.values():
            if run.process.poll() is None:
                run.process.send_signal(signal.SIGTERM)

    def run(self, once: bool, ticks: int | None = None) -> list[str]:
        """Run due crawls; with `once`, those due now, then return; else check every tick (`ticks` times)."""
        for line in reap_stale(self.engine, self.options):
            self.say(line)
        if once:
            self.sweep()
        pending = list(self.due()) if once else []
        next_tick, done_ticks = time.monotonic(), 0
        while not self.stopping:
            if not once and time.monotonic() >= next_tick:
                if ticks is not None and done_ticks >= ticks:
                    break
                self.sweep()
                pending = list(self.due())
                next_tick, done_ticks = time.monotonic() + self.options.tick, done_ticks + 1
            while pending and len(self.running) < self.options.max_parallel:
                ready = self.next_ready(pending)
                if ready is None:
                    break  # every due site's portal host is being crawled: its turn comes when that crawl ends
                pending.remove(ready)
                if ready[0].name not in self.running:
                    self.launch(*ready)
            self.reap()
            if once and not pending and not self.running:
                break
            time.sleep(POLL_SECONDS)
        while self.running:
            self.reap()
            time.sleep(POLL_SECONDS)
        return self.results


# -- listing ------------------------------------------------------------------------------------------------

def overview(database_url: str, registry: dict[str, Site], names: tuple[str, ...], now: datetime,
             base_urls: dict[str, str] | None = None) -> list[dict]:
    """Each scheduled site's cron string, last run (a crawl by hand included) and next run."""
    sites = selected_sites(names, registry)
    engine = db.connect(database_url) if db.exists(database_url) else None
    rows = []
    for site in sites:
        last = latest_run(engine, site, base_urls or {}) if engine else None
        taken = taken_slot(engine, site, base_urls or {}) if engine else None
        rows.append({
            "site": site.name, "schedule": site.schedule or "-",
            "next": next_slot(site.schedule, now).isoformat(timespec="minutes") if site.schedule else "-",
            "due": bool(site.schedule) and due_slot(site.schedule, now, taken) is not None,
            "last": last,
        })
    return rows


def latest_run(engine: Engine, site: Site, base_urls: dict[str, str]) -> dict | None:
    """The site's latest run row, or its crawl by hand when that started later (marked `by: hand`)."""
    run = last_run(engine, site.name)
    hand = hand_crawl(engine, site, base_urls)
    if hand and (run is None or hand["started_at"] > run["started_at"]):
        return {"started_at": hand["started_at"], "status": hand["status"], "exit_code": None, "by": "hand"}
    return run


def format_overview(rows: list[dict]) -> str:
    """A plain-text table: site, cron string, next run, last run's start, status and exit code."""
    header = ("site", "schedule", "next run", "last run", "status", "exit", "due")
    lines = []
    for row in rows:
        last = row["last"] or {}
        started = (display(last.get("started_at")) or "never") + (" (by hand)" if last.get("by") == "hand" else "")
        lines.append((row["site"], row["schedule"], row["next"], started,
                      last.get("status") or "-", "" if last.get("exit_code") is None else str(last["exit_code"]),
                      "due" if row["due"] else ""))
    return plain_table(header, lines)

"""The scheduler: due crawls run as `xxgk crawl` processes against the simulated portals, each run recorded."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert
from support import Store, stored_time
from support import query as rows

from crawler import database
from crawler.extensions.lock import SiteLock
from crawler.schedule import due_slot, latest_slot, next_slot

BIN = Path(sys.executable).parent


def schedule_run(portals, store: Store, *args: str) -> list[str]:
    bases = [f"--base-url={site}={url}" for site, url in portals.base_urls.items()]
    return [str(BIN / "xxgk"), "schedule", "run", *args, *store.args, *bases]


def run(portals, store: Store, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(schedule_run(portals, store, *args), capture_output=True, text=True, timeout=300)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_missed_slots_collapse_into_the_latest_one():
    now = datetime.fromisoformat("2026-02-01T12:00:00+00:00")
    last = datetime.fromisoformat("2026-01-05T03:00:00+00:00")  # three Mondays missed since
    assert due_slot("0 3 * * 1", now, last) == datetime.fromisoformat("2026-01-26T03:00:00+00:00")
    assert due_slot("0 3 * * 1", now, datetime.fromisoformat("2026-01-26T03:00:00+00:00")) is None
    assert due_slot("0 3 * * 1", now, None) == datetime.fromisoformat("2026-01-26T03:00:00+00:00")
    on_slot = datetime.fromisoformat("2026-01-26T03:00:00+00:00")
    assert latest_slot("0 3 * * 1", on_slot) == on_slot
    assert next_slot("0 3 * * 1", on_slot) == datetime.fromisoformat("2026-02-02T03:00:00+00:00")


def test_due_crawls_run_once_are_recorded_and_missed_slots_caught_up_once(portals, store):
    first = run(portals, store, "--once", "--sites", "panjin,yanji", "--now", "2026-01-08T12:00:00+00:00")
    assert first.returncode == 0, first.stdout + first.stderr
    runs = rows(store, "SELECT * FROM runs ORDER BY site")
    assert [(r["site"], r["status"], r["exit_code"]) for r in runs] == [("panjin", "ok", 0), ("yanji", "ok", 0)]
    assert [stored_time(r["scheduled_for"]) for r in runs] == [at("2026-01-05T03:00:00+00:00"),
                                                               at("2026-01-07T03:00:00+00:00")]
    for run_row in runs:
        stats = json.loads(run_row["stats"])
        crawl = rows(store, "SELECT * FROM crawls WHERE id = ?", stats["crawl_id"])[0]
        assert crawl["site"] == run_row["site"] and crawl["status"] == "ok"
        assert stats["reports"] == json.loads(crawl["summary"])["reports"] > 0
        assert run_row["started_at"] <= crawl["started_at"] <= crawl["finished_at"] <= run_row["finished_at"]
        assert run_row["pid"] > 0 and Path(stats["log"]).is_file()
        assert stats["log"].startswith(str(store.data_dir / "logs"))

    again = run(portals, store, "--once", "--sites", "panjin,yanji", "--now", "2026-01-08T13:00:00+00:00")
    assert again.returncode == 0 and "no crawl was due" in again.stdout
    assert len(rows(store, "SELECT * FROM runs")) == 2

    weeks_later = run(portals, store, "--once", "--sites", "panjin", "--now", "2026-02-01T12:00:00+00:00")
    assert weeks_later.returncode == 0, weeks_later.stdout + weeks_later.stderr
    panjin = rows(store, "SELECT * FROM runs WHERE site = 'panjin' ORDER BY id")
    assert [stored_time(r["scheduled_for"]) for r in panjin] == [at("2026-01-05T03:00:00+00:00"),
                                                                 at("2026-01-26T03:00:00+00:00")]
    assert len(rows(store, "SELECT * FROM crawls WHERE site = 'panjin'")) == 2

    listed = subprocess.run([str(BIN / "xxgk"), "schedule", "list", "--sites", "panjin,yanji,mingguang", "--now",
                             "2026-02-01T12:00:00+00:00", *store.args], capture_output=True, text=True)
    lines = {line.split()[0]: line for line in listed.stdout.splitlines()[2:]}
    started = f"{stored_time(panjin[-1]['started_at']):%Y-%m-%dT%H:%M:%S}Z"
    assert "2026-02-02T03:00" in lines["panjin"] and started in lines["panjin"], listed.stdout
    assert " ok " in lines["panjin"] and not lines["panjin"].endswith("due")
    assert "never" in lines["mingguang"] and lines["mingguang"].endswith("due")


def test_a_locked_site_is_skipped_and_two_schedulers_never_crawl_one_site_twice(portals, store):
    lock = SiteLock("panjin", store.data_dir, store.url)  # what a crawl of panjin holds (on PostgreSQL: in the server)
    assert lock.acquire() and not SiteLock("panjin", store.data_dir, store.url).acquire()
    try:
        for _ in range(2):
            held = run(portals, store, "--once", "--sites", "panjin", "--now", "2026-01-08T12:00:00+00:00")
            assert held.returncode == 0 and "skipped" in held.stdout
    finally:
        lock.release()
    assert [r["status"] for r in rows(store, "SELECT * FROM runs")] == ["skipped"]  # recorded once per slot
    assert rows(store, "SELECT * FROM crawls") == []

    command = schedule_run(portals, store, "--once", "--sites", "panjin", "--now", "2026-01-08T12:00:00+00:00")
    both = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [process.communicate(timeout=300)[0] for process in both]
    assert [process.returncode for process in both] == [0, 0], outputs
    assert len(rows(store, "SELECT * FROM crawls WHERE site = 'panjin'")) == 1, outputs
    assert [r["status"] for r in rows(store, "SELECT * FROM runs WHERE status != 'skipped'")] == ["ok"]


def test_a_crawl_that_dies_is_recorded_crashed_and_the_scheduler_goes_on(portals, store):
    # A run left `running` by a scheduler that died before its crawl ended: reaped on the next start.
    with store.engine().begin() as conn:
        conn.execute(insert(database.runs).values(site="mingguang", scheduled_for="2026-01-06T03:00:00+00:00",
                                                  started_at="2026-01-06T03:00:01+00:00", status="running",
                                                  pid=999999))
    scheduler = subprocess.Popen(
        schedule_run(portals, store, "--once", "--sites", "panjin,yanji", "--max-parallel", "1",
                 "--now", "2026-01-08T12:00:00+00:00"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    victim = None
    for _ in range(600):
        running = rows(store, "SELECT * FROM runs WHERE status = 'running' AND site != 'mingguang' "
                              "AND pid IS NOT NULL")
        if running:
            victim = running[0]
            os.kill(victim["pid"], signal.SIGKILL)
            break
        time.sleep(0.05)
    output = scheduler.communicate(timeout=300)[0]
    assert victim is not None, output
    assert scheduler.returncode == 1, output
    runs = {r["site"]: r for r in rows(store, "SELECT * FROM runs")}
    assert runs[victim["site"]]["status"] == "crashed" and runs[victim["site"]]["exit_code"] == -signal.SIGKILL
    assert runs[victim["site"]]["finished_at"]
    other = ({"panjin", "yanji"} - {victim["site"]}).pop()
    assert runs[other]["status"] == "ok" and runs[other]["exit_code"] == 0
    assert runs["mingguang"]["status"] == "crashed" and runs["mingguang"]["finished_at"]
    assert "left running by a dead scheduler" in output


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(map(toml_value, value)) + "]"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def only_scheduled(path: Path, site: str) -> Path:
    """A user registry (XXGK_REGISTRY) that leaves `site` the only one with a schedule: the bundled entries again,
    every other schedule emptied, so a test scheduler crawls no real portal."""
    import tomllib
    from importlib import resources

    entries = tomllib.loads(resources.files("crawler").joinpath("sites.toml").read_text(encoding="utf-8"))["site"]
    lines = []
    for entry in entries:
        entry["schedule"] = entry["schedule"] if entry["name"] == site else ""
        lines += ["[[site]]", *(f"{key} = {toml_value(value)}" for key, value in entry.items()), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_the_documented_crontab_line_works_on_a_fresh_data_dir(portals, tmp_path):
    """docs/schedule.md's crontab line, run by sh as cron would, with /srv/xxgk standing for a fresh checkout."""
    docs = (Path(__file__).parents[1] / "docs" / "schedule.md").read_text(encoding="utf-8")
    [line] = [line for line in docs.splitlines() if line.startswith("*/10 * * * * ")]
    command = line.split(" ", 5)[5]
    root = tmp_path / "srv"
    root.mkdir()
    (root / ".venv").symlink_to(BIN.parent)
    environment = {**os.environ, "XXGK_REGISTRY": str(only_scheduled(tmp_path / "sites.toml", "panjin")),
                   "XXGK_BASE_URLS": json.dumps({"panjin": portals.base_urls["panjin"]})}
    result = subprocess.run(["sh", "-c", command.replace("/srv/xxgk", str(root))], env=environment,
                            capture_output=True, text=True, timeout=300)
    log = root / "data" / "logs" / "schedule.log"
    assert result.returncode == 0, result.stderr + (log.read_text() if log.exists() else "")
    assert "panjin: ok (exit 0)" in log.read_text()
    assert [(r["site"], r["status"]) for r in rows(root / "data", "SELECT * FROM runs")] == [("panjin", "ok")]


def test_a_crawl_by_hand_counts_as_the_run_of_its_slot(portals, store):
    base = f"--base-url=panjin={portals.base_urls['panjin']}"
    crawled = subprocess.run([str(BIN / "xxgk"), "crawl", "panjin", base, *store.args],
                             capture_output=True, text=True, timeout=300)
    assert crawled.returncode == 0, crawled.stdout + crawled.stderr

    def listed(*args: str) -> str:
        result = subprocess.run([str(BIN / "xxgk"), "schedule", "list", "--sites", "panjin,yanji", *args,
                                 *store.args], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return {line.split()[0]: line for line in result.stdout.splitlines()[2:]}

    started = f"{stored_time(rows(store, 'SELECT started_at FROM crawls')[0]['started_at']):%Y-%m-%dT%H:%M:%S}Z"
    lines = listed(base)
    assert re.search(rf"{re.escape(started)} \(by hand\)\s+ok$", lines["panjin"]), lines["panjin"]
    assert not lines["panjin"].endswith("due") and lines["yanji"].endswith("due")
    real = listed()  # not the portal the scheduler would crawl without --base-url: a demo is no real crawl
    assert "never" in real["panjin"] and real["panjin"].endswith("due")

    once = run(portals, store, "--once", "--sites", "panjin")
    assert once.returncode == 0 and "no crawl was due" in once.stdout, once.stdout + once.stderr
    assert rows(store, "SELECT * FROM runs") == []
    next_week = run(portals, store, "--once", "--sites", "panjin", "--now",
                    (datetime.now().astimezone() + timedelta(days=7)).isoformat())
    assert next_week.returncode == 0, next_week.stdout + next_week.stderr
    assert [r["status"] for r in rows(store, "SELECT * FROM runs")] == ["ok"]
    assert len(rows(store, "SELECT * FROM crawls")) == 2


def test_a_crawl_by_hand_covers_the_slot_of_local_time(store):
    """Cron strings name local times: a crawl by hand started at 20:00 UTC, 04:00 the next day in Shanghai, covers
    that day's 03:00 slot there (not 03:00 UTC, which a UTC reading of its stored start would give)."""
    from crawler.schedule import taken_slot
    from crawler.sites import Site

    zone = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    try:
        with store.engine().begin() as conn:
            conn.execute(insert(database.crawls).values(
                site="panjin", started_at=at("2026-01-05T20:00:00+00:00"), finished_at=at("2026-01-05T20:05:00+00:00"),
                status="ok", summary={"base_url": "http://portal.example"}))
        site = Site("panjin", "盘锦市人民政府", "http://portal.example", schedule="0 3 * * *")
        taken = taken_slot(store.engine(), site, {})
        assert taken == at("2026-01-06T03:00:00+08:00")
        assert due_slot(site.schedule, at("2026-01-06T05:00:00+08:00"), taken) is None
        assert due_slot(site.schedule, at("2026-01-07T03:00:00+08:00"), taken) == at("2026-01-07T03:00:00+08:00")
    finally:
        if zone is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = zone
        time.tzset()


def test_two_due_sites_on_one_portal_host_are_crawled_one_after_the_other(store):
    """The scheduler starts no crawl on a portal host one of its crawls is asking (on PostgreSQL that crawl would end
    `skipped`, its host's lease being held; on SQLite both would hammer the portal at once)."""
    from crawler.simulator import trs
    from crawler.simulator.server import Portal

    portal = Portal("shared", "trs")  # a TRS host serving two registered columns, as a city's portal hosts a bureau's
    trs.build_split(portal)
    trs.build(portal)
    portal.start()
    try:
        command = [str(BIN / "xxgk"), "schedule", "run", "--once", "--sites", "yanji,mohrss", "--max-parallel", "2",
                   "--now", "2026-03-04T06:00:00+00:00", f"--base-url=yanji={portal.base_url}",
                   f"--base-url=mohrss={portal.base_url}", *store.args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, env=store.environment())
    finally:
        portal.stop()
    assert result.returncode == 0, result.stdout + result.stderr
    runs = sorted(rows(store, "SELECT * FROM runs"), key=lambda run: run["started_at"])
    assert [run["status"] for run in runs] == ["ok", "ok"], result.stdout
    assert runs[0]["finished_at"] <= runs[1]["started_at"], "one crawl of the host at a time"

"""The scheduler: due crawls run as `xxgk crawl` processes against the simulated portals, each run recorded."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from crawler import database
from crawler.extensions.lock import SiteLock
from crawler.schedule import due_slot, latest_slot, next_slot

BIN = Path(sys.executable).parent


def schedule_run(portals, data_dir: Path, *args: str) -> list[str]:
    bases = [f"--base-url={site}={url}" for site, url in portals.base_urls.items()]
    return [str(BIN / "xxgk"), "schedule", "run", *args, "--data-dir", str(data_dir), *bases]


def run(portals, data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(schedule_run(portals, data_dir, *args), capture_output=True, text=True, timeout=300)


def rows(data_dir: Path, sql: str, *params) -> list[sqlite3.Row]:
    with sqlite3.connect(data_dir / "xxgk.sqlite") as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql, params).fetchall()


def test_missed_slots_collapse_into_the_latest_one():
    now = datetime.fromisoformat("2026-02-01T12:00:00+00:00")
    last = datetime.fromisoformat("2026-01-05T03:00:00+00:00")  # three Mondays missed since
    assert due_slot("0 3 * * 1", now, last) == datetime.fromisoformat("2026-01-26T03:00:00+00:00")
    assert due_slot("0 3 * * 1", now, datetime.fromisoformat("2026-01-26T03:00:00+00:00")) is None
    assert due_slot("0 3 * * 1", now, None) == datetime.fromisoformat("2026-01-26T03:00:00+00:00")
    on_slot = datetime.fromisoformat("2026-01-26T03:00:00+00:00")
    assert latest_slot("0 3 * * 1", on_slot) == on_slot
    assert next_slot("0 3 * * 1", on_slot) == datetime.fromisoformat("2026-02-02T03:00:00+00:00")


def test_due_crawls_run_once_are_recorded_and_missed_slots_caught_up_once(portals, tmp_path):
    first = run(portals, tmp_path, "--once", "--sites", "panjin,yanji", "--now", "2026-01-08T12:00:00+00:00")
    assert first.returncode == 0, first.stdout + first.stderr
    runs = rows(tmp_path, "SELECT * FROM runs ORDER BY site")
    assert [(r["site"], r["status"], r["exit_code"]) for r in runs] == [("panjin", "ok", 0), ("yanji", "ok", 0)]
    assert [r["scheduled_for"] for r in runs] == ["2026-01-05T03:00:00+00:00", "2026-01-07T03:00:00+00:00"]
    for run_row in runs:
        stats = json.loads(run_row["stats"])
        crawl = rows(tmp_path, "SELECT * FROM crawls WHERE id = ?", stats["crawl_id"])[0]
        assert crawl["site"] == run_row["site"] and crawl["status"] == "ok"
        assert stats["reports"] == json.loads(crawl["summary"])["reports"] > 0
        assert run_row["started_at"] <= crawl["started_at"] <= crawl["finished_at"] <= run_row["finished_at"]
        assert run_row["pid"] > 0 and Path(stats["log"]).is_file()

    again = run(portals, tmp_path, "--once", "--sites", "panjin,yanji", "--now", "2026-01-08T13:00:00+00:00")
    assert again.returncode == 0 and "no crawl was due" in again.stdout
    assert len(rows(tmp_path, "SELECT * FROM runs")) == 2

    weeks_later = run(portals, tmp_path, "--once", "--sites", "panjin", "--now", "2026-02-01T12:00:00+00:00")
    assert weeks_later.returncode == 0, weeks_later.stdout + weeks_later.stderr
    panjin = rows(tmp_path, "SELECT * FROM runs WHERE site = 'panjin' ORDER BY id")
    assert [r["scheduled_for"] for r in panjin] == ["2026-01-05T03:00:00+00:00", "2026-01-26T03:00:00+00:00"]
    assert len(rows(tmp_path, "SELECT * FROM crawls WHERE site = 'panjin'")) == 2

    listed = subprocess.run([str(BIN / "xxgk"), "schedule", "list", "--sites", "panjin,yanji,mingguang", "--now",
                             "2026-02-01T12:00:00+00:00", "--data-dir", str(tmp_path)], capture_output=True, text=True)
    lines = {line.split()[0]: line for line in listed.stdout.splitlines()[2:]}
    assert "2026-02-02T03:00" in lines["panjin"] and panjin[-1]["started_at"] in lines["panjin"]
    assert " ok " in lines["panjin"] and not lines["panjin"].endswith("due")
    assert "never" in lines["mingguang"] and lines["mingguang"].endswith("due")


def test_a_locked_site_is_skipped_and_two_schedulers_never_crawl_one_site_twice(portals, tmp_path):
    lock = SiteLock("panjin", tmp_path, database.database_url(tmp_path))  # what a crawl of panjin holds
    assert lock.acquire() and not SiteLock("panjin", tmp_path, database.database_url(tmp_path)).acquire()
    try:
        for _ in range(2):
            held = run(portals, tmp_path, "--once", "--sites", "panjin", "--now", "2026-01-08T12:00:00+00:00")
            assert held.returncode == 0 and "skipped" in held.stdout
    finally:
        lock.release()
    assert [r["status"] for r in rows(tmp_path, "SELECT * FROM runs")] == ["skipped"]  # recorded once per slot
    assert rows(tmp_path, "SELECT * FROM crawls") == []

    command = schedule_run(portals, tmp_path, "--once", "--sites", "panjin", "--now", "2026-01-08T12:00:00+00:00")
    both = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [process.communicate(timeout=300)[0] for process in both]
    assert [process.returncode for process in both] == [0, 0], outputs
    assert len(rows(tmp_path, "SELECT * FROM crawls WHERE site = 'panjin'")) == 1, outputs
    assert [r["status"] for r in rows(tmp_path, "SELECT * FROM runs WHERE status != 'skipped'")] == ["ok"]


def test_a_crawl_that_dies_is_recorded_crashed_and_the_scheduler_goes_on(portals, tmp_path):
    # A run left `running` by a scheduler that died before its crawl ended: reaped on the next start.
    database.connect(database.database_url(tmp_path)).dispose()
    with sqlite3.connect(tmp_path / "xxgk.sqlite") as conn:
        conn.execute("INSERT INTO runs (site, scheduled_for, started_at, status, pid) VALUES "
                     "('mingguang', '2026-01-06T03:00:00+00:00', '2026-01-06T03:00:01+00:00', 'running', 999999)")
    scheduler = subprocess.Popen(
        schedule_run(portals, tmp_path, "--once", "--sites", "panjin,yanji", "--max-parallel", "1",
                 "--now", "2026-01-08T12:00:00+00:00"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    victim = None
    for _ in range(600):
        running = rows(tmp_path, "SELECT * FROM runs WHERE status = 'running' AND site != 'mingguang' "
                             "AND pid IS NOT NULL")
        if running:
            victim = running[0]
            os.kill(victim["pid"], signal.SIGKILL)
            break
        time.sleep(0.05)
    output = scheduler.communicate(timeout=300)[0]
    assert victim is not None, output
    assert scheduler.returncode == 1, output
    runs = {r["site"]: r for r in rows(tmp_path, "SELECT * FROM runs")}
    assert runs[victim["site"]]["status"] == "crashed" and runs[victim["site"]]["exit_code"] == -signal.SIGKILL
    assert runs[victim["site"]]["finished_at"]
    other = ({"panjin", "yanji"} - {victim["site"]}).pop()
    assert runs[other]["status"] == "ok" and runs[other]["exit_code"] == 0
    assert runs["mingguang"]["status"] == "crashed" and runs["mingguang"]["finished_at"]
    assert "left running by a dead scheduler" in output

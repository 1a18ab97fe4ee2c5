"""Crash safety: SIGKILL a crawl mid-run; the next run salvages the WARC and resumes (JOBDIR) to the end."""

from __future__ import annotations

import gzip
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy
from warcio.archiveiterator import ArchiveIterator

from crawler.simulator import SimulatedPortals

BIN = Path(sys.executable).parent


def documents(data_dir: Path) -> int:
    try:
        with sqlite3.connect(data_dir / "xxgk.sqlite") as conn:
            return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def wait_for(condition, process: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, f"the crawl ended before it could be killed:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"timed out:\n{log.read_text()}"
        time.sleep(0.05)


def stop_mid_crawl(simulated: SimulatedPortals, data_dir: Path, signum: int, wait: float) -> tuple[list[str], Path]:
    """Start a slow crawl of yanji, send it `signum` once it stored 3 reports; (the command to resume it, its log)."""
    command = [str(BIN / "xxgk"), "crawl", "yanji", "--data-dir", str(data_dir),
               f"--base-url=yanji={simulated.base_urls['yanji']}"]
    slow = ["-s", "DOWNLOAD_DELAY=0.2", "-s", "DOWNLOAD_DELAY_JITTER=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
    log = data_dir / "first-run.log"
    with open(log, "w") as output:
        process = subprocess.Popen(command + slow, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: documents(data_dir) >= 3, process, log)
        assert process.poll() is None, "the crawl was still running when stopped"
        os.kill(process.pid, signum)
        process.wait(timeout=wait)
    finally:
        if process.poll() is None:
            process.kill()
    return command, log


def test_sigkill_then_salvage_and_resume(tmp_path):
    with SimulatedPortals(sites=["yanji"]) as simulated:
        portal = simulated.portals["yanji"]
        command, _ = stop_mid_crawl(simulated, tmp_path, signal.SIGKILL, wait=10)
        [open_file] = (tmp_path / "warc").glob("*.open")
        assert (tmp_path / "jobs" / "yanji").is_dir(), "the crawl state survives the kill"
        # A kill can land in the middle of a record: leave a torn gzip member at the tail.
        torn = gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n" + os.urandom(3000))[:700]
        with open(open_file, "ab") as stream:
            stream.write(torn)
        killed_at = documents(tmp_path)

        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "salvaged" in result.stderr and "700 torn bytes cut" in result.stderr
        assert "resuming" in result.stderr

    warc_dir = tmp_path / "warc"
    assert not list(warc_dir.glob("*.open"))
    assert not (tmp_path / "jobs" / "yanji").exists(), "state is dropped once the crawl finished"
    with sqlite3.connect(tmp_path / "xxgk.sqlite") as conn:
        stored = {url for (url,) in conn.execute("SELECT url FROM documents")}
        captures = conn.execute("SELECT url, warc_file, warc_offset FROM captures").fetchall()
    assert killed_at < len(portal.report_urls) and set(portal.report_urls) <= stored
    column = f"{simulated.base_urls['yanji']}/xxgk/zfxxgknb/index.html"
    assert sum(1 for url, *_ in captures if url == column) == 1, "the resumed run did not start over"
    for url, warc_file, offset in captures:
        with open(warc_dir / warc_file, "rb") as stream:
            stream.seek(offset)
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_headers.get_header("WARC-Target-URI") == url
    check = subprocess.run([str(BIN / "warcio"), "check", *map(str, warc_dir.glob("*.warc.gz"))],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_crawl_stopped_by_sigterm_resumes_from_its_journal(tmp_path):
    """A graceful stop (SIGTERM, as the scheduler sends) leaves no queue on disk: the journal alone resumes it."""
    with SimulatedPortals(sites=["yanji"]) as simulated:
        portal = simulated.portals["yanji"]
        command, log = stop_mid_crawl(simulated, tmp_path, signal.SIGTERM, wait=60)
        assert "shutdown" in log.read_text(), log.read_text()[-2000:]
        stopped_at = documents(tmp_path)
        assert not (tmp_path / "jobs" / "yanji" / "requests.queue").exists(), "no disk queue: the journal is the state"

        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "resuming" in result.stderr

    with sqlite3.connect(tmp_path / "xxgk.sqlite") as conn:
        stored = {url for (url,) in conn.execute("SELECT url FROM documents")}
        lists = conn.execute("SELECT count(*) FROM captures WHERE url LIKE '%/xxgk/zfxxgknb/index.html'").fetchone()[0]
    assert stopped_at < len(portal.report_urls) and set(portal.report_urls) <= stored
    assert lists == 1, "the resumed run did not start over"


def test_a_full_disk_is_logged_counted_and_fails_the_crawl(tmp_path):
    warc_dir = tmp_path / "warc"
    warc_dir.mkdir()
    # A real full disk: a 64 KiB tmpfs under the archive (tests run as root, as `make test` does).
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(warc_dir)], check=True)
    try:
        with SimulatedPortals(sites=["yanji"]) as simulated:
            result = subprocess.run(
                [str(BIN / "xxgk"), "crawl", "yanji", "--data-dir", str(tmp_path),
                 f"--base-url=yanji={simulated.base_urls['yanji']}"],
                capture_output=True, text=True, timeout=300,
            )
        assert result.returncode == 1, result.stdout + result.stderr
        assert re.search(r"could not archive http://127\.0\.0\.1:\d+/\S+: OSError: \[Errno 28\]", result.stderr), \
            result.stderr[-2000:]
        assert "responses could not be archived" in result.stdout
        files = list(warc_dir.glob("*.warc.gz"))
        assert files and not list(warc_dir.glob("*.open"))
        check = subprocess.run([str(BIN / "warcio"), "check", *map(str, files)], capture_output=True, text=True)
        assert check.returncode == 0, "what was archived before the disk filled is intact"
    finally:
        subprocess.run(["umount", str(warc_dir)], check=True)


def test_a_rerun_that_cannot_finish_what_the_killed_run_left_says_so(tmp_path):
    """The killed run left requests; the portal is down when the crawl is run again: not `ok`, exit 1. The run
    after, with the portal back, crawls the site afresh and gets everything."""
    with SimulatedPortals(sites=["yanji"]) as simulated:
        command, _ = stop_mid_crawl(simulated, tmp_path, signal.SIGKILL, wait=10)
        port = int(simulated.base_urls["yanji"].rsplit(":", 1)[1])
    down = subprocess.run(command + ["-s", "RETRY_TIMES=0"], capture_output=True, text=True, timeout=300)
    assert down.returncode == 1, down.stdout + down.stderr[-3000:]
    assert re.search(r"yanji: \d+ requests the stopped run left got no answer", down.stdout), down.stdout
    assert [row[0] for row in sqlite3.connect(tmp_path / "xxgk.sqlite").execute(
        "SELECT status FROM crawls ORDER BY id")] == ["crashed", "failed"]

    with SimulatedPortals(sites=["yanji"], port_base=port) as simulated:
        again = subprocess.run(command, capture_output=True, text=True, timeout=300)
        portal = simulated.portals["yanji"]
    assert again.returncode == 0, again.stdout + again.stderr[-3000:]
    assert "resuming" not in again.stderr, "the failed run closed the crawl; this one starts afresh"
    with sqlite3.connect(tmp_path / "xxgk.sqlite") as conn:
        assert set(portal.report_urls) <= {url for (url,) in conn.execute("SELECT url FROM documents")}
        assert conn.execute("SELECT status FROM crawls ORDER BY id DESC LIMIT 1").fetchone() == ("ok",)


def test_a_response_whose_item_could_not_be_stored_is_asked_for_again(tmp_path):
    """The journal answers a request only once its items are stored: reports the database refused while the crawl
    ran (here a trigger, as a full or failing disk would) are asked for again when the stopped crawl resumes."""
    from crawler import database

    database.connect(f"sqlite:///{tmp_path / 'xxgk.sqlite'}")  # the schema, for the trigger below
    with sqlite3.connect(tmp_path / "xxgk.sqlite") as conn:
        conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON documents BEGIN SELECT RAISE(ABORT, 'refused'); END")
    with SimulatedPortals(sites=["yanji"]) as simulated:
        portal = simulated.portals["yanji"]
        command = [str(BIN / "xxgk"), "crawl", "yanji", "--data-dir", str(tmp_path),
                   f"--base-url=yanji={simulated.base_urls['yanji']}"]
        slow = ["-s", "DOWNLOAD_DELAY=0.2", "-s", "DOWNLOAD_DELAY_JITTER=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
        log = tmp_path / "first-run.log"
        with open(log, "w") as output:
            process = subprocess.Popen(command + slow, stdout=output, stderr=subprocess.STDOUT)
        try:
            wait_for(lambda: sum(path.read_text().count("could not store")
                                 for path in (tmp_path / "logs").glob("crawl-*.log")) >= 3, process, log)
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
        with sqlite3.connect(tmp_path / "xxgk.sqlite") as conn:
            conn.execute("DROP TRIGGER refuse")
            assert conn.execute("SELECT count(*) FROM documents").fetchone() == (0,)
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    with sqlite3.connect(tmp_path / "xxgk.sqlite") as conn:
        stored = {url for (url,) in conn.execute("SELECT url FROM documents")}
        lists = conn.execute("SELECT count(*) FROM captures WHERE url LIKE '%/zfxxgknb/index.html'").fetchone()[0]
    assert set(portal.report_urls) <= stored
    assert lists == 1, "the resumed run did not start over: only what was not stored was asked for again"


def test_a_killed_crawl_resumes_on_postgresql(postgres, tmp_path):
    """The same with a team database: the lock, the crashed row, the journal's check of what was stored."""
    database_url = postgres.database()
    engine = sqlalchemy.create_engine(database_url)

    def stored() -> int:
        with engine.connect() as conn:
            try:
                return conn.execute(sqlalchemy.text("SELECT count(*) FROM documents")).scalar()
            except sqlalchemy.exc.ProgrammingError:
                return 0  # no schema yet

    with SimulatedPortals(sites=["yanji"]) as simulated:
        command = [str(BIN / "xxgk"), "crawl", "yanji", "--data-dir", str(tmp_path),
                   f"--base-url=yanji={simulated.base_urls['yanji']}", "-s", f"XXGK_DATABASE_URL={database_url}"]
        log = tmp_path / "first-run.log"
        with open(log, "w") as output:
            process = subprocess.Popen(command + ["-s", "DOWNLOAD_DELAY=0.2", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"],
                                       stdout=output, stderr=subprocess.STDOUT)
        try:
            wait_for(lambda: stored() >= 3, process, log)
            process.kill()
            process.wait(timeout=10)
        finally:
            if process.poll() is None:
                process.kill()
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        reports = set(simulated.portals["yanji"].report_urls)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "resuming" in result.stderr
    with engine.connect() as conn:
        statuses = [row[0] for row in conn.execute(sqlalchemy.text("SELECT status FROM crawls ORDER BY id"))]
        captured = [row[0] for row in conn.execute(sqlalchemy.text(
            "SELECT url FROM captures WHERE kind = 'document' AND outcome = 'ok'"))]
    engine.dispose()
    assert statuses == ["crashed", "ok"]
    assert set(captured) == reports and len(captured) == len(reports), "every report stored once"

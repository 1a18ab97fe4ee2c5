"""docs/scale.md's deployment, followed literally: its systemd units pass `systemd-analyze verify`, and their
ExecStart lines, run as systemd runs them (the environment file the docs fill as the only settings, the instance
name, the state directory, SIGTERM to stop), crawl through the queue into PostgreSQL and the shared archive.

No systemd runs here (no PID 1 of its own in this sandbox): what it would add, restarts and the stop timeout's
SIGKILL, is systemd's own and documented there."""

from __future__ import annotations

import configparser
import os
import re
import signal
import subprocess
import textwrap
import time
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool
from support import BIN, on_request
from test_queue import rows

from crawler.simulator import SimulatedPortals

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "scale.md"
WAIT = 600  # a bound so a broken run cannot hang the suite
# systemd's environment for a service with User=: its manager's PATH, the user's HOME, and what the unit sets
SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def documented_units() -> dict[str, str]:
    """The units docs/scale.md writes, by file name (each block opens with `# /etc/systemd/system/NAME`)."""
    units = {}
    for block in re.findall(r"```ini\n(.*?)\n[ ]*```", DOC.read_text(encoding="utf-8"), re.S):
        block = textwrap.dedent(block)
        path = block.splitlines()[0].removeprefix("#").split()[0]
        units[Path(path).name] = block
    return units


def documented_environment() -> list[str]:
    """The variables docs/scale.md has the reader write into /etc/xxgk.env (`# XXGK_…=…` lines of its sh block)."""
    return re.findall(r"^\s*# (XXGK_[A-Z_]+)=", DOC.read_text(encoding="utf-8"), re.M)


def service(unit: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(strict=False, interpolation=None, comment_prefixes=("#", ";"))
    parser.optionxform = str
    parser.read_string(unit)
    return parser["Service"]


class Unit:
    """One documented unit's service, run here as systemd would run it."""

    def __init__(self, unit: str, instance: str, state: Path, environment_file: Path) -> None:
        self.section = service(unit)
        assert self.section["EnvironmentFile"] == "/etc/xxgk.env", "every unit reads the settings the docs write"
        assert self.section["StateDirectory"] == "xxgk"
        self.command = (self.section["ExecStart"].replace("%i", instance).replace("/opt/xxgk", str(ROOT))
                        .replace("/var/lib/xxgk", str(state)).split())
        self.environment = {"PATH": SYSTEMD_PATH, "HOME": str(state), "STATE_DIRECTORY": str(state),
                            **read_environment_file(environment_file)}
        self.process: subprocess.Popen | None = None

    def start(self, log: Path) -> Unit:
        self.process = subprocess.Popen(self.command, env=self.environment, stdout=log.open("ab"),
                                        stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def signal(self) -> None:
        """`systemctl stop`: the unit's KillSignal."""
        assert self.process is not None
        if self.process.poll() is None:
            os.killpg(self.process.pid, getattr(signal, self.section.get("KillSignal", "SIGTERM")))

    def stop(self) -> int:
        """The unit's KillSignal, then its exit status (systemd would SIGKILL past TimeoutStopSec)."""
        assert self.process is not None
        self.signal()
        try:
            return self.process.wait(timeout=float(self.section.get("TimeoutStopSec", "90")))
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def read_environment_file(path: Path) -> dict[str, str]:
    """An EnvironmentFile= as systemd reads it: NAME=VALUE lines, # comments."""
    found = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            found[name.strip()] = value.strip()
    return found


def queue_crawl(environment: dict[str, str], base_url: str, where: Path) -> subprocess.CompletedProcess:
    """`xxgk crawl yanji` on any machine with the same settings: it queues the run and returns."""
    return subprocess.run([str(BIN / "xxgk"), "crawl", "yanji", f"--base-url=yanji={base_url}", "--data-dir",
                           str(where)], env=environment, capture_output=True, text=True, timeout=120)


def wait_for(engine, sql: str, done) -> list:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = rows(engine, sql)
        if done(found):
            return found
        time.sleep(0.5)
    raise AssertionError(f"{sql}: {rows(engine, sql)}")


def test_the_documented_units_verify(tmp_path):
    units = documented_units()
    assert set(units) == {"xxgk-worker@.service", "xxgk-schedule.service"}
    for name, unit in units.items():
        (tmp_path / name).write_text(unit.replace("/opt/xxgk", str(ROOT)))
    verified = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "xxgk-worker@1.service"),
                               str(tmp_path / "xxgk-schedule.service")], capture_output=True, text=True, timeout=60)
    assert verified.returncode == 0 and not verified.stdout + verified.stderr, verified.stdout + verified.stderr


def test_the_documented_units_crawl_through_the_queue(postgres, redis_server, tmp_path):
    database_url = postgres.database()
    engine = create_engine(database_url, poolclass=NullPool)
    archive = tmp_path / "srv-xxgk-archive"
    archive.mkdir()
    values = {"XXGK_DATABASE_URL": database_url, "XXGK_QUEUE_URL": redis_server.url, "XXGK_ARCHIVE": str(archive)}
    names = documented_environment()
    assert set(names) <= set(values), f"the docs' environment file names a setting this test cannot fill: {names}"
    environment_file = tmp_path / "xxgk.env"
    environment_file.write_text("".join(f"{name}={values[name]}\n" for name in names))
    state = tmp_path / "var-lib-xxgk"
    state.mkdir()
    units = documented_units()
    worker = Unit(units["xxgk-worker@.service"], "1", state, environment_file)

    with SimulatedPortals(["yanji"]) as simulated:
        portal = simulated.portals["yanji"]
        portal.latency = (0.01, 0.03)
        worker.start(tmp_path / "worker.log")
        try:
            queued = queue_crawl(worker.environment, simulated.base_urls["yanji"], tmp_path / "operator")
            assert queued.returncode == 0 and "queued 1 site run" in queued.stdout, queued.stdout + queued.stderr
            [run] = wait_for(engine, "SELECT status, crawl_id FROM runs",
                             lambda found: found and found[0]["status"] not in ("queued", "running"))
            assert run["status"] == "ok", (tmp_path / "worker.log").read_text()[-3000:]
            stored = {row["url"] for row in rows(engine, "SELECT url FROM documents WHERE site = 'yanji'")}
            assert stored == set(portal.report_urls)
            assert list(archive.rglob("*.warc.gz")), "the worker published its WARC files to the shared archive"

            # SIGTERM mid-crawl (systemctl stop): the crawl closes and its run goes back on the queue
            on_request(portal, 5, worker.signal)
            again = queue_crawl(worker.environment, simulated.base_urls["yanji"], tmp_path / "operator")
            assert again.returncode == 0, again.stdout + again.stderr
            stopped = worker.process.wait(timeout=WAIT)  # the portal sent the signal at its 5th request
        finally:
            worker.stop()
    assert stopped == 0, (tmp_path / "worker.log").read_text()[-3000:]
    [second] = rows(engine, "SELECT status FROM runs ORDER BY id DESC LIMIT 1")
    assert second["status"] == "queued", "a stopped worker's run goes back on the queue"

    # the schedule unit queues due runs for the workers; it crawls nothing itself
    schedule = Unit(units["xxgk-schedule.service"], "", state, environment_file).start(tmp_path / "schedule.log")
    try:
        wait_for(engine, "SELECT id FROM runs WHERE status = 'queued'", lambda found: len(found) > 1)
    finally:
        assert schedule.stop() == 0, (tmp_path / "schedule.log").read_text()[-3000:]
    assert not list(state.rglob("*.warc.gz*")) and not list(state.rglob("*.sqlite"))

"""Random kills: SIGKILL a crawl at many moments, rerun the same command each time, then check that nothing was lost.

The portal is the 延吉市 TRS column at full size (crawler/simulator/trs.py `build_column`: 400 department reports on
21 `index_N` pages, a third with a PDF, redirects and a withdrawn page). Kill moments are drawn from a seed and
fired by events, never by time: the Nth list page, report page or attachment the portal is asked for in a run
(the kill lands before it answers), the first WARC file a run closes (a small XXGK_WARC_MAX_SIZE), and, once a run
is storing reports, the Nth report it stores (right after the commit) or N report pages downloaded and not stored
yet (in extraction). The first runs die at list pages, while the column is still being listed. Every run also dies
at the latest when it has stored CAP reports, so no run before the last can finish the crawl.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from support import BIN
from warcio.archiveiterator import ArchiveIterator

from archive.index import index_path
from crawler.simulator import trs
from crawler.simulator.assets import serve_assets
from crawler.simulator.server import Portal

SEED = int(os.environ.get("KILL_TEST_SEED", "20261125"))
LIST_KILLS = 4  # first, while list pages are still to fetch
KINDS = ("report", "attachment", "rotation", "commit", "extraction")
PER_KIND = 4  # 4 + 5 × 4 = 24 kill points
CAP = 14  # reports stored per run at most: the 24 killed runs store well under the 400 the portal serves
WARC_MAX_SIZE = 48_000  # a new WARC file every dozen report pages or so
WAIT = float(os.environ.get("KILL_TEST_WAIT", "30"))  # seconds for killed processes to go: a bound so a broken run cannot hang


@dataclass
class KillPoint:
    kind: str
    n: int


def kill_plan(seed: int) -> list[KillPoint]:
    """List-page kills first, then the other kinds shuffled, each with its own threshold."""
    rng = random.Random(seed)
    bounds = {"list": (1, 2), "report": (2, 20), "attachment": (1, 3), "rotation": (1, 1), "commit": (1, CAP - 1),
              "extraction": (2, 4)}
    kinds = [kind for kind in KINDS for _ in range(PER_KIND)]
    rng.shuffle(kinds)
    return [KillPoint(kind, rng.randint(*bounds[kind])) for kind in ["list"] * LIST_KILLS + kinds]


@dataclass
class Run:
    """One crawl process and what happened in it, as the portal and the data directory saw it."""

    point: KillPoint | None
    process: subprocess.Popen
    documents_before: int
    served: Counter = field(default_factory=Counter)  # requests the portal got in this run, by kind
    storing: bool = False  # the run stored a report
    fired: str = ""
    at_kill: dict = field(default_factory=dict)


class Killer:
    """Watches the portal (from its server threads) and the data directory, and kills the current run on cue."""

    def __init__(self, portal: Portal, data_dir: Path) -> None:
        self.portal, self.data_dir = portal, data_dir
        self.run: Run | None = None
        self.lock = threading.Lock()
        answer = portal.answer
        portal.answer = lambda request: self.observe(request) or answer(request)

    def kind_of(self, path: str) -> str | None:
        url = self.portal.url(path)
        if "/index" in path and path.startswith(trs.COLUMN_DIR):
            return "list"
        if url in self.portal.reports or url in self.portal.redirects or url in self.portal.missing_urls:
            return "report"
        return "attachment" if url in self.portal.attachment_urls else None

    def observe(self, request) -> None:
        """Server thread, before answering: count the request; kill the run if this is its moment."""
        kind = self.kind_of(request.path)
        with self.lock:
            run = self.run
            if run is None or kind is None or run.fired or run.point is None:
                return
            run.served[kind] += 1
            if run.point.kind == kind and run.served[kind] >= run.point.n:
                self.kill(run, f"{kind} #{run.served[kind]} requested" + (" while storing" if run.storing else ""))

    def poll(self) -> None:
        """Test thread: the kill moments seen in the data directory."""
        with self.lock:
            run = self.run
            if run is None or run.point is None or run.fired:
                return
            kind, n = run.point.kind, run.point.n
            stored = document_captures(self.data_dir) - run.documents_before
            run.storing = run.storing or stored > 0
            if stored >= CAP:
                self.kill(run, f"cap: report #{stored} stored")
            elif kind == "rotation" and closed_warcs(self.data_dir, run.process.pid):
                self.kill(run, "a WARC file closed" + (" while storing" if run.storing else ""))
            elif not run.storing:
                return
            elif kind == "commit" and stored >= n:
                self.kill(run, f"report #{stored} stored")
            elif kind == "extraction" and run.served["report"] - stored >= n:
                self.kill(run, f"{run.served['report'] - stored} report pages downloaded, not stored")

    def kill(self, run: Run, why: str) -> None:
        run.fired = why
        run.at_kill = {"served": dict(run.served), "stored": document_captures(self.data_dir) - run.documents_before}
        os.kill(run.process.pid, signal.SIGKILL)


def document_captures(data_dir: Path) -> int:
    return query(data_dir, "SELECT count(*) FROM captures WHERE kind = 'document'")[0][0] if (
        data_dir / "xxgk.sqlite").exists() else 0


def closed_warcs(data_dir: Path, pid: int) -> int:
    """WARC files the crawl process `pid` wrote and closed (its pid is in their names)."""
    return len(list((data_dir / "warc").glob(f"*-{pid}~*.warc.gz")))


def query(data_dir: Path, sql: str, *params) -> list[tuple]:
    try:
        with sqlite3.connect(data_dir / "xxgk.sqlite", timeout=30) as conn:
            return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:  # the schema is not there yet
        if "no such table" in str(exc):
            return [(0,)]
        raise


def group_members(pgid: int) -> list[str]:
    """Live processes of a process group (zombies aside): `pid command` each."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(f"{stat.parent.name} {command[:120]}")
    return found


def orphans_after(run: Run) -> list[str]:
    """Processes of the killed crawl's group still alive once they had WAIT seconds to notice; then ended."""
    pgid = run.process.pid
    deadline = time.monotonic() + WAIT
    while group_members(pgid) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = group_members(pgid)
    if left:
        os.killpg(pgid, signal.SIGKILL)
    return left


def test_sigkill_at_24_moments_loses_nothing(tmp_path):
    portal = Portal("yanji", "trs")
    trs.build_column(portal)
    serve_assets(portal)
    portal.start()
    command = [str(BIN / "xxgk"), "crawl", "yanji", "--data-dir", str(tmp_path), f"--base-url=yanji={portal.base_url}",
               "-s", f"XXGK_WARC_MAX_SIZE={WARC_MAX_SIZE}", "-s", "XXGK_EXTRACT_PROCESSES=2",
               # Downloads wait while responses worth 20 kB are being read (Scrapy's back-pressure), so a run stores
               # reports between its kills instead of downloading everything while its extraction workers start.
               "-s", "SCRAPER_SLOT_MAX_ACTIVE_SIZE=20000", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4"]
    killer = Killer(portal, tmp_path)
    runs, problems = [], []
    try:
        for number, point in enumerate([*kill_plan(SEED), None]):
            log = tmp_path / f"run-{number:02d}.log"
            with open(log, "w") as output:
                process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
            run = Run(point, process, document_captures(tmp_path))
            with killer.lock:
                killer.run = run
            runs.append(run)
            deadline = time.monotonic() + 600
            while process.poll() is None and time.monotonic() < deadline:
                killer.poll()
                time.sleep(0.01)
            if process.poll() is None:
                process.kill()
                problems.append(f"run {number} hung")
            process.wait()
            with killer.lock:
                killer.run = None
            if point is None:
                break
            if not run.fired:
                problems.append(f"run {number} ended by itself (exit {process.returncode}) before its kill point "
                                f"{point}:\n{log.read_text()[-3000:]}")
                break
            left = orphans_after(run)
            if left:
                problems.append(f"run {number} ({run.fired}): processes outlived the crawl: {left}")
        final = runs[-1]
        output = (tmp_path / f"run-{len(runs) - 1:02d}.log").read_text()
        status_line = next((line for line in output.splitlines() if line.startswith("yanji ")), "")
        if final.point is not None or final.process.returncode != 0 or " ok " not in status_line:
            problems.append(f"the last run did not end ok (exit {final.process.returncode}):\n{output[-3000:]}")
    finally:
        portal.stop()
    problems += check_archive(tmp_path, portal)
    report = [f"{n:2d} {r.point.kind if r.point else 'final':10s} {r.point.n if r.point else '':>2} "
              f"{r.fired or 'not killed':55s} {json.dumps(r.at_kill, sort_keys=True)}" for n, r in enumerate(runs)]
    (tmp_path / "kills.txt").write_text("\n".join(report) + "\n\n" + "\n".join(problems), encoding="utf-8")
    print("\n".join(report))
    assert not problems, "\n".join(report) + "\n\n" + "\n\n".join(problems)
    assert len(runs) == LIST_KILLS + len(KINDS) * PER_KIND + 1


def check_archive(data_dir: Path, portal: Portal) -> list[str]:
    """What must hold once the last run ended: every served report archived and stored exactly once, WARC files
    whole and indexed, no crawl left `running`, no state left behind."""
    problems = []
    documents = Counter(url for (url,) in query(data_dir, "SELECT url FROM documents"))
    captured = Counter(url for (url,) in query(data_dir, "SELECT url FROM captures WHERE kind = 'document' AND outcome = 'ok'"))
    files = Counter(url for (url,) in query(data_dir, "SELECT url FROM captures WHERE kind = 'attachment'"))
    for name, counts, expected in (("documents rows", documents, portal.report_urls),
                                   ("report captures", captured, portal.report_urls),
                                   ("attachment captures", files, portal.attachment_urls)):
        missing = sorted(set(expected) - set(counts))
        twice = sorted(url for url, count in counts.items() if count > 1)
        extra = sorted(set(counts) - set(expected))
        if missing or twice or extra:
            problems.append(f"{name}: {len(missing)} missing {missing[:3]}, {len(twice)} more than once {twice[:3]}, "
                            f"{len(extra)} not served {extra[:3]}")
    statuses = Counter(status for (status,) in query(data_dir, "SELECT status FROM crawls"))
    if statuses.get("running"):
        problems.append(f"crawls rows: {dict(statuses)}")
    warc_dir = data_dir / "warc"
    warcs = sorted(warc_dir.glob("*.warc.gz"))
    if list(warc_dir.glob("*.open")):
        problems.append(f"WARC files left open: {list(warc_dir.glob('*.open'))}")
    check = subprocess.run([str(BIN / "warcio"), "check", *map(str, warcs)], capture_output=True, text=True)
    if check.returncode != 0:
        problems.append(f"warcio check: {check.stdout[-2000:]}{check.stderr[-2000:]}")
    unindexed = [warc.name for warc in warcs if not index_matches(warc)]
    if unindexed:
        problems.append(f"{len(unindexed)} of {len(warcs)} WARC files without their full index: {unindexed[:3]}")
    for url, warc_file, offset in query(data_dir, "SELECT url, warc_file, warc_offset FROM captures"):
        with open(warc_dir / warc_file, "rb") as stream:
            stream.seek(offset)
            record = next(iter(ArchiveIterator(stream)))
            if record.rec_headers.get_header("WARC-Target-URI") != url:
                problems.append(f"capture of {url} points at {warc_file}:{offset}, a record of another URL")
    if (data_dir / "jobs" / "yanji").exists():
        problems.append("the crawl state was not dropped after the crawl finished")
    return problems


def index_matches(warc: Path) -> bool:
    """Whether the WARC's CDXJ index exists and says what indexing the file again says."""
    from cdxj_indexer.main import CDXJIndexer

    stored = index_path(warc)
    if not stored.exists():
        return False
    again = warc.parent.parent / "check" / (warc.name + ".cdxj")
    again.parent.mkdir(exist_ok=True)
    CDXJIndexer(str(again), [str(warc)], sort=True, post_append=True).process_all()
    return stored.read_text(encoding="utf-8") == again.read_text(encoding="utf-8")

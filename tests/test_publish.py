"""Publishing each WARC file to the shared archive as soon as the writer rotates it, while the crawl goes on.

The order is proven by an event, not by time: the portal holds one answer until the archive holds a published
WARC file with its index, so that file was provably published while the crawl was still waiting for a page."""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections import Counter
from pathlib import Path

from support import BIN, on_request, query
from test_kills import index_matches

from archive.store import publish_leftovers
from crawler import config
from crawler.simulator import SimulatedPortals
from crawler.simulator.server import Portal

SITE = "yanji"
WARC_MAX_SIZE = 20_000  # a new WARC file every few report pages
HOLD_AT = 20  # of the ~43 requests a crawl of yanji makes: the portal holds this answer until a file is published
WAIT = float(os.environ.get("PUBLISH_TEST_WAIT", "300"))  # a bound so a broken run cannot hang the suite


def published(archive: Path) -> set[str]:
    """WARC files in the archive whose index is there too (an index is published after its WARC file)."""
    return {path.name for path in (archive / "warc").glob("*.warc.gz")
            if (archive / "indexes" / f"{path.name}.cdxj").exists()}


def hold_until_published(portal: Portal, archive: Path, data_dir: Path, seen: dict) -> None:
    """Make `portal` wait, before its HOLD_AT-th answer, until the archive holds a published file; note what the
    archive and the crawl's row looked like then."""
    def hold() -> None:
        deadline = time.monotonic() + WAIT
        while not published(archive) and time.monotonic() < deadline:
            time.sleep(0.05)
        seen["files"] = published(archive)
        seen["crawls"] = [status for (status,) in query(data_dir, "SELECT status FROM crawls")]

    on_request(portal, HOLD_AT, hold)


def crawl(simulated: SimulatedPortals, data_dir: Path, archive: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "xxgk"), "crawl", SITE, "-v", "--data-dir", str(data_dir),
         f"--base-url={SITE}={simulated.base_urls[SITE]}", "-s", f"XXGK_WARC_MAX_SIZE={WARC_MAX_SIZE}",
         "-s", "XXGK_EXTRACT_PROCESSES=1"],  # attachments read back in a spawned process, after their file moved
        env={**os.environ, "XXGK_ARCHIVE": str(archive)}, capture_output=True, text=True, timeout=WAIT)


def test_each_warc_file_is_published_when_it_rotates_while_the_crawl_goes_on(tmp_path):
    data_dir, archive, seen = tmp_path / "data", tmp_path / "archive", {}
    with SimulatedPortals([SITE]) as simulated:
        hold_until_published(simulated.portals[SITE], archive, data_dir, seen)
        result = crawl(simulated, data_dir, archive)
        attachments = simulated.portals[SITE].attachment_urls
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]

    assert seen["files"], "a rotated file was published while the crawl waited for a page"
    assert seen["crawls"] == ["running"], "the crawl was still running then"
    log = result.stderr
    announced = Counter(re.findall(r"published (\S+\.warc\.gz) to ", log))
    closed = log.index("Spider closed")
    assert all(log.index(f"published {name} to ") < closed for name in seen["files"])

    files = published(archive)
    assert len(files) > len(seen["files"]) >= 1, "the crawl went on writing and rotating files after the hold"
    assert announced == Counter(files), "each file published exactly once"
    assert {name for (name,) in query(data_dir, "SELECT name FROM warc_files WHERE state = 'archived'")} == files
    assert not list((data_dir / "warc").glob("*.warc.gz*")), "published files leave the local disk"
    assert not list((data_dir / "indexes").glob("*.cdxj"))
    warcs = sorted((archive / "warc").glob("*.warc.gz"))
    check = subprocess.run([str(BIN / "warcio"), "check", *map(str, warcs)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]
    assert all(index_matches(warc) for warc in warcs), "every published index says what its file holds"
    assert {name for (name,) in query(data_dir, "SELECT DISTINCT warc_file FROM captures")} <= files

    # attachments were read back (in the extraction process) wherever their file was by then
    assert attachments
    unread = [tuple(row) for row in query(data_dir, "SELECT url, extract_error FROM attachments WHERE extract_error IS NOT NULL")]
    assert not [row for row in unread if "not found" in (row[1] or "")], unread


def test_a_file_that_cannot_be_published_stays_local_until_a_later_start_publishes_it(tmp_path):
    data_dir, archive = tmp_path / "data", tmp_path / "archive"
    archive.write_text("a file where the archive directory should be")  # every publish fails
    with SimulatedPortals([SITE]) as simulated:
        result = crawl(simulated, data_dir, archive)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]

    local = {path.name for path in (data_dir / "warc").glob("*.warc.gz")}
    failures = re.findall(r"could not publish (\S+\.warc\.gz) to [^\n]*", result.stderr)
    assert len(local) > 1 and Counter(failures) == Counter(local), "one line per file not published"
    assert not query(data_dir, "SELECT name FROM warc_files")
    assert all((data_dir / "indexes" / f"{name}.cdxj").exists() for name in local), "kept with their indexes"

    archive.unlink()  # the archive is back: the next worker start on this machine publishes what was left
    settings = config.load(data_dir, {"XXGK_ARCHIVE": str(archive)})
    assert publish_leftovers(settings) == len(local)
    assert published(archive) == local
    assert {name for (name,) in query(data_dir, "SELECT name FROM warc_files WHERE state = 'archived'")} == local
    assert not list((data_dir / "warc").glob("*.warc.gz*"))

"""Live progress: on a terminal, `xxgk crawl` and `scrapy crawl` draw a board per site (list pages, reports, files,
errors, pages/s) and `xxgk export` counts rows; without a terminal nothing is drawn."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import termios
from pathlib import Path

from support import BIN

REPO = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def on_terminal(command: list[str], cwd: Path = REPO) -> tuple[int, str]:
    """Run with stdout and stderr on a pseudo-terminal; the exit status and everything drawn, colours removed."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))  # rows, columns: no wrapping
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, close_fds=True)
    os.close(slave)
    output = b""
    while True:
        ready, _, _ = select.select([master], [], [], 1)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            output += data
        elif process.poll() is not None:
            break
    os.close(master)
    return process.wait(timeout=60), ANSI.sub("", output.decode("utf-8", "replace"))


def board_rows(drawn: str, site: str) -> list[list[str]]:
    """Every row the board drew for a site: site, state, list pages, reports, files, errors, queued, pages/s, time."""
    return [line.split() for line in re.split(r"[\r\n]+", drawn) if line.startswith(site + " ")
            and len(line.split()) == 9 and line.split()[1] in ("crawling", "done")]


def summary_row(drawn: str, site: str) -> list[str]:
    return next(line.split() for line in drawn.splitlines() if re.match(rf"{site}\s+(ok|failed)\s", line))


def test_crawl_draws_a_board_per_site_on_a_terminal(portals, tmp_path):
    bases = [f"--base-url={site}={portals.base_urls[site]}" for site in ("panjin", "yanji")]
    status, drawn = on_terminal([str(BIN / "xxgk"), "crawl", "panjin", "yanji", *bases, "--data-dir", str(tmp_path)])
    assert status == 0, drawn[-3000:]
    assert re.search(r"site\s+state\s+list pages\s+reports\s+files\s+errors\s+queued\s+pages/s\s+time", drawn)
    for site in ("panjin", "yanji"):
        rows = board_rows(drawn, site)
        assert rows, drawn[-3000:]
        reports = [int(row[3]) for row in rows]
        assert reports == sorted(reports), "counts only grow"
        final = summary_row(drawn, site)  # site status list_pages reports attachments …
        done = [row for row in rows if row[1] == "done"][-1]
        assert done[2:6] == [final[2], final[3], final[4], final[6]], (done, final)
        assert float(done[7]) > 0


def test_scrapy_crawl_draws_it_too(portals, tmp_path):
    bases = json.dumps({"zhangxian": portals.base_urls["zhangxian"]})
    status, drawn = on_terminal([str(BIN / "scrapy"), "crawl", "zhangxian", "-s", f"XXGK_BASE_URLS={bases}", "-s",
                                 f"XXGK_DATA_DIR={tmp_path}", "-s", "LOG_LEVEL=WARNING"])
    assert status == 0, drawn[-3000:]
    assert [row for row in board_rows(drawn, "zhangxian") if row[1] == "done"], drawn[-3000:]


def test_no_terminal_no_board(portals, tmp_path):
    result = subprocess.run([str(BIN / "xxgk"), "crawl", "yanji", f"--base-url=yanji={portals.base_urls['yanji']}",
                             "--data-dir", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "pages/s" not in result.stderr + result.stdout and "\x1b[" not in result.stderr + result.stdout


def test_export_counts_rows_on_a_terminal(crawled, tmp_path):
    out = tmp_path / "captures.csv"
    status, drawn = on_terminal([str(BIN / "xxgk"), "export", "captures", str(out), *crawled.args])
    assert status == 0, drawn
    written = int(re.search(r"wrote .*: (\d+) rows", drawn).group(1))
    counted = [int(n.replace(",", "")) for n in re.findall(r"exporting captures: ([\d,]+) rows written", drawn)]
    assert counted[0] == 0 and counted[-1] == written, drawn
    quiet = subprocess.run([str(BIN / "xxgk"), "export", "captures", str(out), *crawled.args],
                           capture_output=True, text=True, timeout=300)
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == f"wrote {out}: {written} rows\n"

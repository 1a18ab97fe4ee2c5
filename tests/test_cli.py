"""The first hour at the command line: what `sites`, `extract`, `report` and the simulator print, and the network
failure a user without internet meets first."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from support import BIN, query

from crawler.textdiff import COLOUR, PLAIN, marked, unified

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "eval" / "corpus"


def xxgk(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "xxgk"), *args], capture_output=True, text=True, timeout=300, cwd=cwd,
                          env=env)


def test_sites_prints_a_header_row_over_aligned_columns():
    lines = xxgk("sites").stdout.splitlines()
    assert lines[0].split() == ["site", "family", "verified", "government", "report", "column"]
    assert set(lines[1]) == {"-", " "}
    start = lines[0].index("report column")
    assert lines[1][start] == "-" and lines[1][start - 1] == " "
    panjin = next(line for line in lines if line.startswith("panjin "))
    assert panjin.split()[1] == "panjin" and "盘锦市人民政府" in panjin


def test_extract_points_text_files_to_report_and_prints_sections_readably():
    text = xxgk("extract", str(CORPUS / "seed_000.txt"))
    assert text.returncode == 1 and "xxgk report" in text.stderr and "Traceback" not in text.stderr
    assert len(text.stderr.strip().splitlines()) == 1
    assert xxgk("report", str(CORPUS / "seed_000.txt")).returncode == 0, "the command it points to reads the file"
    page = xxgk("extract", str(CORPUS / "fmt2021.html"))
    assert page.returncode == 0, page.stderr
    assert "[{" not in page.stdout and "{'" not in page.stdout, "no Python repr"
    sections = page.stdout.split("sections:\n", 1)[1].splitlines()
    assert re.fullmatch(r"  1\. 总体情况 \(\d+ characters\)", sections[0]), sections[:3]
    assert sections[5].startswith("  6. 其他需要报告的事项")


@pytest.mark.parametrize("command", [("extract", str(CORPUS / "fmt2021.html")), ("report", str(CORPUS / "seed_000.txt")),
                                     ("eval",)])
def test_file_commands_take_no_data_dir(command, tmp_path):
    """extract, report and eval read files, not the archive: --data-dir is refused, not silently ignored."""
    result = xxgk(*command, "--data-dir", str(tmp_path))
    assert result.returncode == 2 and "No such option '--data-dir'" in result.stderr


def test_word_diff_marks_changed_numbers_and_words():
    line = marked("全年主动公开信息1,204条，依申请公开25件。", "全年主动公开信息1,240条，依申请公开25件。", PLAIN)
    assert line == "全年主动公开信息[-1,204-]{+1,240+}条，依申请公开25件。", "numbers change whole, not digit by digit"
    lines = list(unified(["标题: 盘锦市2019年报告", "", "不变", "全部删除的这一行"],
                         ["标题: 盘锦市2020年报告（更正）", "", "不变", "completely new"], "a", "b"))
    assert lines[:3] == ["--- a", "+++ b", "@@ -1,4 +1,4 @@"]
    assert "~标题: 盘锦市[-2019-]{+2020+}年报告{+（更正）+}" in lines
    assert "-全部删除的这一行" in lines and "+completely new" in lines, "unrelated lines are not marked word by word"
    assert list(unified(["same"], ["same"], "a", "b")) == [], "nothing differs, nothing printed"
    coloured = list(unified(["a 1"], ["a 2"], "x", "y", COLOUR))
    assert coloured[-1] == "~a \x1b[7;31m1\x1b[0m\x1b[7;32m2\x1b[0m"


def test_the_simulator_prints_commands_that_work(tmp_path):
    """`python -m crawler.simulator` prints an `xxgk crawl … --base-url …` line and an `export XXGK_BASE_URLS=…` line:
    both, pasted into a shell as printed, crawl the simulated portal."""
    server = subprocess.Popen([str(BIN / "python"), "-m", "crawler.simulator", "--sites", "panjin", "--duration",
                               "300"], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        printed = [server.stdout.readline() for _ in range(6)]
        command = next(line.strip() for line in printed if " crawl panjin --base-url " in line)
        export = next(line.strip() for line in printed if line.strip().startswith("export XXGK_BASE_URLS="))
        environment = {k: v for k, v in os.environ.items() if not k.startswith("XXGK_")}
        by_flag = subprocess.run(["sh", "-c", f"{command} --data-dir {shlex.quote(str(tmp_path / 'a'))}"], cwd=REPO,
                                 env=environment, capture_output=True, text=True, timeout=300)
        assert by_flag.returncode == 0, by_flag.stdout + by_flag.stderr
        by_variable = subprocess.run(
            ["sh", "-c", f"{export} && .venv/bin/xxgk crawl panjin --data-dir {shlex.quote(str(tmp_path / 'b'))}"],
            cwd=REPO, env=environment, capture_output=True, text=True, timeout=300)
        assert by_variable.returncode == 0, by_variable.stdout + by_variable.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)
    for data_dir in ("a", "b"):
        urls = {row["url"] for row in query(tmp_path / data_dir, "SELECT url FROM documents")}
        assert urls and all(url.startswith("http://127.0.0.1:") for url in urls), "the simulated portal, not the real"


# -- no network ---------------------------------------------------------------------------------------------

UNRESOLVABLE = "http://www.panjin.gov.cn.invalid"  # RFC 2606: never resolves, with or without internet


def test_an_unreachable_portal_is_one_line_and_exit_1(store):
    result = xxgk("crawl", "panjin", "--base-url", f"panjin={UNRESOLVABLE}", *store.args)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == ["panjin: cannot reach www.panjin.gov.cn.invalid (DNS)"]
    assert "panjin: cannot reach www.panjin.gov.cn.invalid (DNS)" in result.stdout.splitlines()
    assert "no report found" not in result.stdout
    [crawl] = query(store, "SELECT status, summary FROM crawls")
    assert crawl["status"] == "failed"
    assert json.loads(crawl["summary"])["unreachable"] == "www.panjin.gov.cn.invalid (DNS)"
    log = next((store.data_dir / "logs").glob("crawl-*.log")).read_text()
    assert "Traceback" in log and "DNS lookup failed" in log, "the log file keeps every detail"


def test_scrapy_crawl_of_an_unreachable_portal_exits_1(tmp_path):
    bases = json.dumps({"panjin": UNRESOLVABLE})
    environment = {k: v for k, v in os.environ.items() if not k.startswith("XXGK_")}
    result = subprocess.run([str(BIN / "scrapy"), "crawl", "panjin", "-s", f"XXGK_BASE_URLS={bases}", "-s",
                             f"XXGK_DATA_DIR={tmp_path}"], cwd=REPO, env=environment, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr[-3000:]
    assert "panjin: cannot reach www.panjin.gov.cn.invalid (DNS)" in result.stdout

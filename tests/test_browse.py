"""`xxgk browse`: a real Datasette over a crawl of the simulated portals, opened in headless Chromium."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import BIN, SITES, query, stored_time

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
REPLAY_PORT = 8099






@pytest.fixture(scope="module")
def browse(crawled) -> Iterator[str]:
    """`xxgk browse --port 0` running; its base address. On PostgreSQL it says it browses a snapshot first."""
    process = subprocess.Popen([str(BIN / "xxgk"), "browse", "--port", "0", "--replay-port", str(REPLAY_PORT),
                                *crawled.args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        said = [process.stdout.readline()]
        while said[-1] and not said[-1].startswith("http"):
            said.append(process.stdout.readline())
        address = said[-1].strip().removesuffix("/xxgk")
        assert address.startswith("http://127.0.0.1:"), "".join(said) + process.stderr.read()
        snapshot = [line for line in said if "read-only snapshot" in line]
        assert bool(snapshot) == (crawled.backend == "postgresql"), said
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{address}/-/versions.json", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                assert process.poll() is None, process.stderr.read()
                time.sleep(0.1)
        yield address
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{address}/", timeout=2)


@pytest.fixture(scope="module")
def page(browse):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": 1400, "height": 900})
        finally:
            browser.close()


def replay_address(fetched_at: str, url: str) -> str:
    return f"http://127.0.0.1:{REPLAY_PORT}/xxgk/{stored_time(fetched_at):%Y%m%d%H%M%S}/{url}"


def table(page) -> list[dict[str, str]]:
    headers = [text.strip() for text in page.locator("table.rows-and-columns thead th").all_inner_texts()]
    rows = []
    for row in page.locator("table.rows-and-columns tbody tr").all():
        rows.append(dict(zip(headers, [text.strip() for text in row.locator("td").all_inner_texts()], strict=True)))
    return rows


def test_reports_query_lists_the_crawled_reports_with_replay_links(crawled, browse, page):
    page.goto(f"{browse}/xxgk/documents?site=panjin")
    rows = table(page)
    documents = query(crawled, "SELECT d.title, d.url, c.fetched_at FROM documents d JOIN captures c "
                               "ON c.id = d.capture_id WHERE d.site = 'panjin'")
    assert len(rows) == len(documents) > 0
    assert {row["title"] for row in rows} == {document["title"] for document in documents}
    links = page.locator("a.replay").evaluate_all("links => links.map(link => link.href)")
    assert set(links) == {replay_address(d["fetched_at"], d["url"]) for d in documents}
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browse-documents.png"), full_page=True)


def test_statistics_query_shows_the_cells_of_a_year(crawled, browse, page):
    page.goto(f"{browse}/xxgk/statistics?site=zhangxian&year=2021&table_name=t2")
    rows = table(page)
    cells = query(crawled, "SELECT r.row_label, r.col_label, r.value FROM report_cells r JOIN documents d "
                           "ON d.url = r.document_url WHERE d.site = 'zhangxian' AND d.report_year = 2021 "
                           "AND r.table_name = 't2'")
    assert len(rows) == len(cells) > 0
    assert {row["report_year"] for row in rows} == {"2021"} and {row["table_name"] for row in rows} == {"t2"}
    shown = {(row["row_label"], row["col_label"], row["value"]) for row in rows}
    assert (cells[0]["row_label"], cells[0]["col_label"], str(cells[0]["value"])) in shown


def test_coverage_query_colours_each_year_and_the_chart_is_served(browse, page):
    page.goto(f"{browse}/xxgk/coverage")
    rows = {row["site"]: row for row in table(page)}
    assert set(rows) == set(SITES)
    assert rows["mingguang"]["2012"] == "attachment" and rows["mingguang"]["2009"] == "html"
    assert rows["panjin"]["2008"] == "missing"
    colour = page.locator("span.coverage.attachment").first.evaluate("cell => getComputedStyle(cell).backgroundColor")
    assert colour == "rgb(129, 199, 132)"
    page.screenshot(path=str(ARTIFACTS / "browse-coverage.png"), full_page=True)
    page.goto(f"{browse}/charts/coverage.html")
    assert page.locator("td.attachment").count() >= 1 and "明光市管店镇人民政府" in page.content()


def test_versions_changes_captures_and_runs_queries_open(crawled, browse, page):
    for name, table_name in (("versions", "versions"), ("changes", "events"), ("captures", "captures"),
                             ("runs", "runs")):
        page.goto(f"{browse}/xxgk/{name}")
        assert page.locator("h1").first.inner_text().strip()
        stored = query(crawled, f"SELECT count(*) FROM {table_name}")[0][0]
        shown = len(table(page)) if stored else 0
        assert shown == min(stored, 1000), name
        if not stored:
            assert page.get_by_text("0 results").count() or page.get_by_text("0 rows").count(), name
    page.goto(f"{browse}/xxgk/captures?kind=attachment")
    assert {row["kind"] for row in table(page)} == {"attachment"}


def test_a_server_database_is_browsed_as_an_immutable_snapshot(crawled, browse):
    with urllib.request.urlopen(f"{browse}/-/databases.json", timeout=10) as response:
        databases = {database["name"]: database for database in json.load(response)}
    assert databases["xxgk"]["is_mutable"] == (crawled.backend == "sqlite")

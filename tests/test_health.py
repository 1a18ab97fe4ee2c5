"""Crawl health: the summary's status, per-year counts, blocked evidence and the comparison with the last crawl."""

from __future__ import annotations

from crawler import database as db
from crawler.extensions.summary import format_table, last_good_summary, summarize


def stats(**values) -> dict:
    base = {"xxgk/list_pages": 3, "xxgk/documents": 10, "xxgk/attachments": 2, "xxgk/years/2019": 4,
            "xxgk/years/2020": 6}
    return {**base, **{key.replace("__", "/"): value for key, value in values.items()}}


def test_ok_summary_counts_reports_per_year():
    summary = summarize("s", stats(), "finished")
    assert summary["status"] == "ok" and summary["years"] == {"2019": 4, "2020": 6}
    assert "s: reports per year 2019:4 2020:6" in format_table([summary])


def test_blocked_is_its_own_status_with_evidence():
    summary = summarize("s", stats(**{"xxgk__documents": 0, "xxgk__attachments": 0, "xxgk__blocked": 2,
                                      "xxgk__blocked_evidence": ["http://a/ HTTP 412 rivers"]}), "finished")
    assert summary["status"] == "blocked"
    assert any("HTTP 412 rivers" in problem for problem in summary["problems"])


def test_no_report_fails_unless_expected_empty():
    empty = stats(**{"xxgk__documents": 0, "xxgk__attachments": 0})
    assert summarize("s", empty, "finished")["status"] == "failed"
    assert summarize("s", {**empty, "xxgk/expected_empty": 1}, "finished")["status"] == "ok"


def test_far_fewer_than_the_last_crawl_fails():
    previous = {"xxgk/previous/reports": 40, "xxgk/previous/attachments": 10, "xxgk/health/min_ratio": 0.5}
    summary = summarize("s", {**stats(), **previous}, "finished")
    assert summary["status"] == "failed" and "far fewer than the last crawl" in summary["problems"][0]
    assert summarize("s", {**stats(**{"xxgk__documents": 30}), **previous}, "finished")["status"] == "ok"


def test_last_good_summary_reads_the_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'xxgk.sqlite'}"
    assert last_good_summary(url, "s") is None  # no database yet
    assert not (tmp_path / "xxgk.sqlite").exists(), "reading the health of a crawl creates no database"
    with db.connect(url).begin() as conn:
        for status, reports in (("ok", 12), ("failed", 0)):
            conn.execute(db.crawls.insert().values(site="s", started_at="2024-01-02T03:04:05Z",
                                                   finished_at="2024-01-02T03:05:00Z", status=status,
                                                   summary={"reports": reports, "attachments": 1}))
    assert last_good_summary(url, "s") == {"reports": 12, "attachments": 1}
    assert last_good_summary(url, "other") is None

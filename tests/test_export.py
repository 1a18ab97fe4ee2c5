"""Datasets: reports, statistics cells and a captures index, read back with pandas and DuckDB in every format."""

from __future__ import annotations

import itertools
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import delete, insert
from support import BIN, SITES, Store, copy_store, query
from warcio.archiveiterator import ArchiveIterator

from crawler import database as db
from crawler.commands import main
from crawler.export import CAPTURES, FORMATS, REPORTS, TABLES, ExportError, batches, format_for

CC_COLUMNS = ["url_surtkey", "url", "url_host_name", "url_path", "url_query", "fetch_time", "fetch_status",
              "content_digest", "content_mime_type", "content_charset", "warc_filename", "warc_record_offset",
              "warc_record_length"]
PANDAS_READERS = {"parquet": pd.read_parquet, "csv": pd.read_csv, "jsonl": lambda p: pd.read_json(p, lines=True)}
DUCKDB_READERS = {"parquet": "read_parquet", "csv": "read_csv_auto", "jsonl": "read_json_auto"}


def xxgk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "xxgk"), *args], capture_output=True, text=True, timeout=300)






def export(store: Store, dataset: str, out: Path, *args: str) -> Result:
    """`xxgk export DATASET OUT …` run in this process (the console script itself is run once, below)."""
    result = CliRunner().invoke(main, ["export", dataset, str(out), *store.args, *args])
    assert result.exit_code == 0, result.output
    return result


def read_both(path: Path, fmt: str) -> tuple[pd.DataFrame, duckdb.DuckDBPyRelation]:
    return PANDAS_READERS[fmt](path), duckdb.sql(f"select * from {DUCKDB_READERS[fmt]}('{path}')")


def rows_in(relation: duckdb.DuckDBPyRelation) -> int:
    return relation.aggregate("count(*)").fetchall()[0][0]


def record_at(store: Store, warc_file: str, offset: int):
    with open(store.data_dir / "warc" / warc_file, "rb") as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream)))
        return record.rec_type, record.rec_headers.get_header("WARC-Target-URI")


@pytest.mark.parametrize("fmt", FORMATS)
def test_reports_load_in_pandas_and_duckdb_with_their_capture(crawled, tmp_path, fmt):
    out = tmp_path / f"reports.{fmt}"
    printed = export(crawled, "reports", out)
    documents = {row["url"]: row for row in query(crawled, "SELECT * FROM documents")}
    expected_rows = sum(max(1, query(crawled, "SELECT count(*) FROM versions WHERE document_url = ?", url)[0][0])
                        for url in documents)
    assert f"{expected_rows} rows" in printed.output
    frame, relation = read_both(out, fmt)
    assert len(frame) == expected_rows == rows_in(relation)
    assert list(frame.columns) == REPORTS.names == relation.columns
    assert pd.api.types.is_integer_dtype(frame["report_year"]) and pd.api.types.is_integer_dtype(frame["warc_offset"])
    types = dict(zip(relation.columns, map(str, relation.types), strict=True))
    assert types["report_year"] in ("INTEGER", "BIGINT") and types["fetched_at"] == "TIMESTAMP WITH TIME ZONE"
    if fmt == "parquet":
        assert str(frame["fetched_at"].dtype).startswith("datetime64") and str(frame["fetched_at"].dt.tz) == "UTC"
    assert set(frame["site"]) == set(SITES) and frame["government"].str.endswith("人民政府").all()
    for row in frame.sample(5, random_state=1).itertuples():
        document = documents[row.document_url]
        assert (row.title, row.report_year, row.agency) == (document["title"], document["report_year"],
                                                            document["agency"])
        assert str(row.region_code) == document["region_code"]
        assert record_at(crawled, row.warc_file, row.warc_offset) == ("response", row.document_url)


def test_versions_are_one_row_each_with_their_own_fields(crawled, tmp_path, request):
    data_dir = copy_store(crawled, tmp_path / "data", request)
    url, capture_id, title = query(data_dir, "SELECT url, capture_id, title FROM documents "
                                             "WHERE site = 'panjin' ORDER BY url LIMIT 1")[0]
    with data_dir.engine().begin() as conn:
        conn.execute(delete(db.versions).where(db.versions.c.document_url == url))
        for version, version_title in ((1, "旧标题"), (2, title)):
            conn.execute(insert(db.versions).values(
                document_url=url, site="panjin", version=version, capture_id=capture_id,
                seen_at=datetime(2025, version, 1, tzinfo=UTC), fields={"title": version_title, "report_year": 2015},
                text=f"text {version}"))
    export(data_dir, "reports", tmp_path / "reports.parquet", "--site", "panjin")
    frame = pd.read_parquet(tmp_path / "reports.parquet")
    mine = frame[frame["document_url"] == url].sort_values("version")
    assert list(mine["version"]) == [1, 2] and list(mine["title"]) == ["旧标题", title]
    assert list(mine["text"]) == ["text 1", "text 2"] and list(mine["report_year"]) == [2015, 2015]
    assert str(mine["seen_at"].iloc[0]) == "2025-01-01 00:00:00+00:00"
    assert set(frame["site"]) == {"panjin"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_tables_are_long_format_cells_with_report_keys(crawled, tmp_path, fmt):
    out = tmp_path / f"tables.{fmt}"
    export(crawled, "tables", out, "--site", "zhangxian", "--years", "2019-2021")
    expected = query(crawled, "SELECT r.*, d.report_year, d.region_code FROM report_cells r "
                              "JOIN documents d ON d.url = r.document_url "
                              "WHERE d.site = 'zhangxian' AND d.report_year BETWEEN 2019 AND 2021 ORDER BY r.id")
    assert expected, "the simulated zhangxian reports of 2019-2021 have statistics tables"
    frame, relation = read_both(out, fmt)
    assert len(frame) == len(expected) == rows_in(relation)
    assert list(frame.columns) == TABLES.names == relation.columns
    assert set(frame["report_year"]) <= {2019, 2020, 2021} and set(frame["site"]) == {"zhangxian"}
    assert pd.api.types.is_float_dtype(frame["value"]) and pd.api.types.is_integer_dtype(frame["version"])
    assert set(frame["table_name"]) <= {"t2", "t3", "t4", "pre2019"}
    sums = duckdb.sql(f"select table_name, sum(value) from {DUCKDB_READERS[fmt]}('{out}') group by 1").fetchall()
    by_table: dict[str, float] = {}
    for cell in expected:
        by_table[cell["table_name"]] = by_table.get(cell["table_name"], 0) + (cell["value"] or 0)
    assert {name: pytest.approx(total) for name, total in sums} == by_table
    first = frame.iloc[0]
    assert (first["row_label"], first["col_label"]) == (expected[0]["row_label"], expected[0]["col_label"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_captures_index_uses_common_crawl_columns(crawled, tmp_path, fmt):
    out = tmp_path / f"captures.{fmt}"
    export(crawled, "captures", out)
    captures = {row["id"]: row for row in query(crawled, "SELECT * FROM captures")}
    frame, relation = read_both(out, fmt)
    assert len(frame) == len(captures) == rows_in(relation)
    assert list(frame.columns)[:len(CC_COLUMNS)] == CC_COLUMNS and list(frame.columns) == CAPTURES.names
    types = dict(zip(relation.columns, map(str, relation.types), strict=True))
    assert types["fetch_time"] == "TIMESTAMP WITH TIME ZONE" and types["warc_record_offset"] == "BIGINT"
    kinds = dict(duckdb.sql(f"select kind || ' ' || site, string_agg(distinct content_mime_type, ',') "
                            f"from {DUCKDB_READERS[fmt]}('{out}') group by 1").fetchall())
    assert kinds["document panjin"] == "text/html"
    assert "application/pdf" in kinds["attachment yanji"].split(",") and set(kinds["attachment yanji"].split(",")) <= {
        "application/pdf", "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    charsets = set(frame[(frame["site"] == "yanji") & (frame["kind"] == "document")]["content_charset"])
    assert "GBK" in charsets, "yanji's TRS pages are served as GBK"
    for row in frame.sample(6, random_state=2).itertuples():
        capture = captures[row.capture_id]
        assert row.url == capture["url"] and row.fetch_status == capture["status"]
        assert row.url_surtkey.startswith("1,0,0,127:") and row.url_path in row.url
        assert "sha1:" + row.content_digest == capture["digest"]
        assert record_at(crawled, row.warc_filename, row.warc_record_offset) == ("response", row.url)


def test_bad_selections_and_outputs_fail_in_one_line_leaving_no_file(crawled, tmp_path):
    out = tmp_path / "reports.csv"
    for args, message in (
        (["--years", "2020-2018"], "--years: 2020 comes after 2018"),
        (["--years", "twenty"], "--years: expected YEAR or FIRST-LAST"),
        (["--site", "atlantis"], "unknown site 'atlantis'"),
    ):
        result = CliRunner().invoke(main, ["export", "reports", str(out), *crawled.args, *args])
        assert result.exit_code == 1 and message in result.output
        assert len(result.output.strip().splitlines()) == 1, result.output
    # The console script, as a researcher runs it.
    unwritable = xxgk("export", "tables", str(tmp_path / "missing" / "t.parquet"), *crawled.args)
    assert unwritable.returncode == 1 and "cannot write" in unwritable.stderr
    assert len(unwritable.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []
    written = xxgk("export", "captures", str(tmp_path / "captures.csv"), "--site", "yanji", "--years", "2000-2001",
                   *crawled.args)
    assert written.returncode == 0 and "0 rows" in written.stdout
    assert list(pd.read_csv(tmp_path / "captures.csv").columns) == CAPTURES.names, "an empty export keeps its columns"


def test_rows_are_batched_lazily():
    endless = ({"n": n} for n in itertools.count())
    first, second = itertools.islice(batches(endless, 1000), 2)
    assert len(first) == len(second) == 1000 and second[0]["n"] == 1000


def test_format_comes_from_the_option_or_the_extension_and_an_unknown_one_is_refused(tmp_path):
    assert format_for(tmp_path / "r.CSV", None) == "csv"
    assert format_for(tmp_path / "r.out", "JSONL") == "jsonl"
    with pytest.raises(ExportError, match="unknown format 'xlsx'"):
        format_for(tmp_path / "r.xlsx", "xlsx")
    with pytest.raises(ExportError, match="say --format"):
        format_for(tmp_path / "r.xlsx", None)

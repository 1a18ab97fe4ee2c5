"""The simulated portals' attachments are real reports (crawler/simulator/documents.py, figures.py): the report's
Chinese text and its statistics tables as PDF (Noto CJK embedded), DOCX or XLS. A crawl reads their tables, so the
first `xxgk export tables` of the demo has cells for nearly every report."""

from __future__ import annotations

import csv
import subprocess
from urllib.parse import urljoin

import pytest
from support import BIN, SITES

from crawler.extract.attachments import read_attachment
from crawler.extract.tables import parse_report
from crawler.extract.templates import key
from crawler.simulator import documents
from crawler.simulator.figures import statistics
from crawler.simulator.reports import Table, seed_reports


def served_reports(portals) -> dict[str, object]:
    """Report page URL -> Report, over the four demo portals."""
    return {url: report for site in SITES for url, report in portals.portals[site].reports.items()}


def has_tables(report) -> bool:
    """The page or an attached file of the report shows a statistics table."""
    _, blocks = report.file_content()
    return any(isinstance(b, Table) for b in report.blocks) or bool(
        report.attachments and any(isinstance(b, Table) for b in blocks))


def test_grid_lays_spans_out_as_html_does():
    table = Table([[{"text": "a", "rowspan": 2}, {"text": "b", "colspan": 2}], ["c", "d"], ["e", "f", "g"]])
    cells, merges = documents.grid(table)
    assert cells == [["a", "b", "b"], ["a", "c", "d"], ["e", "f", "g"]]
    assert merges == [(0, 1, 0, 0), (0, 0, 1, 2)]


@pytest.mark.parametrize("kind", documents.KINDS)
def test_each_kind_of_file_carries_the_report(kind, tmp_path):
    seed = seed_reports()["003"]
    found = statistics("1862299", 2020)
    blocks = [*seed.blocks, *(part for heading, table in found.tables for part in (heading, table))]
    document = documents.Document("延吉市2020年政府信息公开工作年度报告", tuple(blocks))
    documents.will_serve(document)
    data = documents.render(document, kind)
    assert documents.render(document, kind) is data, "rendered once"
    path = tmp_path / f"report.{kind}"
    path.write_bytes(data)
    if kind != "xls":  # a workbook holds only the tables
        assert seed.blocks[0][:20] in "".join(read_attachment(data, path.name).text.split())
    cells = parse_report(path)["cells"]
    for (table, row, column), value in found.figures.items():
        assert any(c["table"] == table and key(c["row"].split("/")[-1]) == key(row) and key(c["col"]) == key(column)
                   and c["value"] == value for c in cells), (table, row, column, value)


def test_every_figure_of_an_attached_file_is_extracted_from_the_crawl(crawled, portals):
    """What the crawl stored from each attachment (report_cells with the file as source) has every number the
    simulator put in it, whatever the file's kind."""
    from support import query

    stored: dict[str, list] = {}
    for row in query(crawled, "SELECT source_url, table_name, row_label, col_label, value FROM report_cells"):
        stored.setdefault(row["source_url"], []).append(
            (row["table_name"], key(row["row_label"].split("/")[-1]), key(row["col_label"]), row["value"]))
    checked = {kind: 0 for kind in documents.KINDS}
    for url, report in served_reports(portals).items():
        for href, _ in report.attachments:
            source = urljoin(url, href)
            for (table, row, column), value in report.figures.items():
                assert (table, key(row), key(column), value) in stored.get(source, []), (source, row, column, value)
                checked[source.rsplit(".", 1)[-1]] += 1
    assert all(checked.values()), checked


def test_the_first_export_of_tables_covers_every_report_with_a_table(crawled, portals, tmp_path):
    out = tmp_path / "cells.csv"
    result = subprocess.run([str(BIN / "xxgk"), "export", "tables", str(out), *crawled.args],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    with open(out, encoding="utf-8") as rows:
        exported = {row["document_url"] for row in csv.DictReader(rows) if row["value"]}
    reports = served_reports(portals)
    assert exported == {url for url, report in reports.items() if has_tables(report)}
    assert len(exported) >= 3 * len(reports) // 4, f"{len(exported)} of {len(reports)} reports have cells"

"""Tests for attachments: PDF, DOCX, XLSX and scanned images built from the seed text, read and parsed; storage of cells."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler import database as db
from crawler.extract.attachments import AttachmentError, read_attachment, sniff
from crawler.extract.tables import parse_report
from crawler.items import AttachmentItem, DocumentItem
from pipelines.extraction import ExtractionPipeline
from pipelines.storage import StoragePipeline
from tests.eval.build import docx_bytes, ocr_png, pdf_bytes, seed004_tables

FILES = Path(__file__).parent / "files"
TITLE = "漳县2019年政府信息公开工作年度报告"
PARAGRAPHS = ["本年度报告中所列数据的统计期限自2019年1月1日起至2019年12月31日止。", "一、总体情况",
              "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]


def cells(result: dict) -> dict:
    """(table, row, col) -> value."""
    return {(c["table"], c["row"], c["col"]): c["value"] for c in result["cells"]}


@pytest.fixture(scope="module")
def truth() -> tuple[list, dict]:
    """Seed-004 tables as rows, and the cells parsed from the seed's HTML page."""
    grids, _ = seed004_tables()
    return grids, cells(parse_report(FILES / "seed_004.html"))


def test_pdf_built_from_seed_tables(truth):
    grids, want = truth
    data = pdf_bytes(TITLE, PARAGRAPHS, grids)
    att = read_attachment(data, "report.pdf")
    assert att.kind == "pdf" and not att.ocr and TITLE in att.text
    result = parse_report(data, filename="report.pdf")
    assert cells(result) == want
    assert result["report_year"] == 2019 and result["agency"] == "漳县" and result["format"] == "fmt2019"


def test_docx_with_merged_cells(truth):
    grids, want = truth
    result = parse_report(docx_bytes(TITLE, PARAGRAPHS, grids), filename="report.docx")
    assert result["source"] == "docx" and cells(result) == want


def test_xlsx_sheet_with_merged_header():
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["行政复议", None, None, None, None, "行政诉讼"])
    sheet.merge_cells("A1:E1")
    sheet.merge_cells("F1:O1")
    sheet.append(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3)
    sheet.append([1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 1, 0, 0, "3"])
    out = io.BytesIO()
    book.save(out)
    result = parse_report(out.getvalue(), filename="t4.xlsx")
    got = cells(result)
    assert got[("t4", "行政复议", "总计")] == 1 and got[("t4", "行政诉讼/复议后起诉", "总计")] == 3
    assert [c["ok"] for c in result["checks"]] == [True, True, True]


def test_scanned_image_through_ocr():
    lines = ["安定区2019年政府信息公开工作年度报告", "行政复议  行政诉讼", "  ".join("1 0 0 2 3 0 0 0 0 0 0 1 0 0 1".split())]
    result = parse_report(ocr_png(lines), filename="scan.png")
    assert result["source"] == "image+ocr" and result["agency"] == "安定区"
    got = cells(result)
    assert got[("t4", "行政复议", "总计")] == 3 and got[("t4", "行政诉讼/复议后起诉", "结果纠正")] == 1


def test_scanned_pdf_page_goes_through_ocr():
    from PIL import Image

    png = ocr_png(["安定区2019年政府信息公开工作年度报告", "行政复议  行政诉讼", "  ".join(["0"] * 15)])
    out = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(out, format="PDF", resolution=150)
    result = parse_report(out.getvalue(), filename="scan.pdf")
    assert result["source"] == "pdf+ocr"
    assert [v for k, v in cells(result).items() if k[0] == "t4"] == [0] * 15


def test_sniff_and_unreadable_files():
    assert sniff(b"%PDF-1.7") == "pdf" and sniff(b"\x89PNG\r\n") == "image"
    assert sniff(b"\xd0\xcf\x11\xe0" + b"\0" * 100, "a.wps") == "wps"
    with pytest.raises(AttachmentError):
        read_attachment(b"%PDF-1.4 broken", "x.pdf")
    with pytest.raises(AttachmentError):
        read_attachment(b"\xd0\xcf\x11\xe0" + b"\0" * 600, "x.doc")
    with pytest.raises(AttachmentError, match="unsupported"):
        read_attachment(b"PK\x03\x04" + b"\0" * 100, "x.zip")


def _warc_with(path: Path, url: str, body: bytes) -> dict:
    """One response record in a WARC file; its capture dict as the archive middleware gives it."""
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "application/pdf")], protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
        offset = f.tell()
        writer.write_record(record)
        length = f.tell() - offset
    return {"warc_file": path.name, "offset": offset, "length": length, "date": "2021-01-01T00:00:00Z",
            "status": 200, "digest": "sha1:x", "record_id": "<urn:uuid:1>"}


def test_pipeline_stores_cells_of_page_and_attachment(tmp_path, truth):
    grids, want = truth
    (tmp_path / "warc").mkdir()
    page_url, pdf_url = "http://x.gov.cn/art/1.html", "http://x.gov.cn/uploads/1.pdf"
    pdf = pdf_bytes(TITLE, PARAGRAPHS, grids)
    pdf_capture = _warc_with(tmp_path / "warc" / "a.warc.gz", pdf_url, pdf)
    stats = SimpleNamespace(inc_value=lambda *a, **k: None, set_value=lambda *a, **k: None)
    crawler = SimpleNamespace(stats=stats, settings={"XXGK_DATA_DIR": str(tmp_path)}, spider=SimpleNamespace(name="x"))
    storage = StoragePipeline(crawler, f"sqlite:///{tmp_path / 'x.sqlite'}")
    storage.open_spider()
    html = (FILES / "seed_004.html").read_text(encoding="utf-8")
    extraction = ExtractionPipeline(stats, str(tmp_path / "warc"))
    page = asyncio.run(extraction.process_item(DocumentItem(site="x", url=page_url, status=200, html=html)))
    pdf = asyncio.run(extraction.process_item(
        AttachmentItem(site="x", url=pdf_url, document_url=page_url, filename="1.pdf", capture=pdf_capture)))

    async def store() -> None:  # stored in one batch, each item returned once it is committed
        await asyncio.gather(storage.process_item(page), storage.process_item(pdf))

    asyncio.run(store())
    with storage.engine.connect() as conn:
        rows = conn.execute(select(db.report_cells)).mappings().all()
        att = conn.execute(select(db.attachments)).mappings().one()
        doc = conn.execute(select(db.documents)).mappings().one()
    by_source: dict[str, dict] = {}
    for r in rows:
        by_source.setdefault(r["source_url"], {})[(r["table_name"], r["row_label"], r["col_label"])] = r["value"]
    assert set(by_source) == {page_url, pdf_url} and all(r["document_url"] == page_url for r in rows)
    assert by_source[page_url] == by_source[pdf_url] == want
    assert att["kind"] == "pdf" and TITLE in att["text"] and att["report_year"] == 2019 and att["extract_error"] is None
    assert doc["format"] == "fmt2019" and doc["region_code"] == "621125" and json.dumps(doc["checks"])

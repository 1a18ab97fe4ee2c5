"""`xxgk reextract`: fields re-read from the archive are those the crawl's pipeline extracts."""

from __future__ import annotations

import asyncio
import gzip
import subprocess
import sys
from pathlib import Path

from sqlalchemy import insert
from support import Store, query

from archive.records import http_response_record
from archive.warc import RotatingWarcWriter
from crawler import database as db
from crawler.items import AttachmentItem, DocumentItem
from crawler.simulator import markup
from crawler.simulator.render import render_report
from crawler.simulator.reports import seed_reports
from pipelines.extraction import ExtractionPipeline
from pipelines.reextract import reextract

BIN = Path(sys.executable).parent
DATE = "2024-01-02T03:04:05.000000Z"


class Stats:
    def inc_value(self, key: str, count: int = 1) -> None:
        pass


def archived(store: Store) -> list[dict]:
    """Seed report pages (GBK and gzip among them) and a PDF archived, with rows as a deferred crawl leaves them."""
    writer = RotatingWarcWriter(store.data_dir / "warc", "test", 10**9)
    made = []
    for n, (key, report) in enumerate(seed_reports().items()):
        html = render_report(report)
        charset = "GBK" if n % 2 else "utf-8"
        body = markup.encode_page(html, charset)
        headers = [("Content-Type", f"text/html; charset={charset}")]
        if n == 2:
            body, headers = gzip.compress(body), [*headers, ("Content-Encoding", "gzip")]
        url = f"http://portal.example/{key}.html"
        location = writer.write([http_response_record(url, 200, headers, body, DATE)])[0]
        made.append({"kind": "document", "url": url, "html": markup.encode_page(html, charset).decode(charset),
                     "location": location})
    url = "http://portal.example/uploads/report.pdf"
    pdf = http_response_record(url, 200, [("Content-Type", "application/pdf")], markup.pdf_bytes("report"), DATE)
    made.append({"kind": "attachment", "url": url, "location": writer.write([pdf])[0]})
    writer.close()
    with store.engine().begin() as conn:
        crawl_id = conn.execute(insert(db.crawls).values(site="s", started_at=DATE)).inserted_primary_key[0]
        for item in made:
            loc = item["location"]
            item["capture_id"] = conn.execute(insert(db.captures).values(
                crawl_id=crawl_id, site="s", url=item["url"], kind=item["kind"], status=200, fetched_at=DATE,
                warc_file=loc.warc_file, warc_offset=loc.offset, warc_length=loc.length)).inserted_primary_key[0]
            table = db.documents if item["kind"] == "document" else db.attachments
            extra = {"filename": "report.pdf", "document_url": None} if item["kind"] == "attachment" else {}
            conn.execute(insert(table).values(site="s", url=item["url"], capture_id=item["capture_id"], **extra))
    return made


def expected(item: dict, warc_dir: Path) -> dict:
    pipeline = ExtractionPipeline(Stats(), str(warc_dir))
    if item["kind"] == "document":
        return asyncio.run(pipeline.process_item(DocumentItem(url=item["url"], html=item["html"])))["fields"]
    capture = {**item["location"].as_dict(), "status": 200}
    item = AttachmentItem(url=item["url"], filename="report.pdf", capture=capture)
    return asyncio.run(pipeline.process_item(item))["fields"]


def test_reextract_stores_what_the_pipeline_extracts(store):
    made = archived(store)
    outcome = reextract(store.data_dir, store.url, processes=2)
    assert (outcome.documents, outcome.attachments, outcome.missing) == (len(made) - 1, 1, 0)
    for item in made:
        fields = expected(item, store.data_dir / "warc")
        table = "documents" if item["kind"] == "document" else "attachments"
        row = query(store, f"SELECT * FROM {table} WHERE url = ?", item["url"])[0]
        for name in ("title", "text", "report_year", "agency", "issuer", "publish_date", "kind", "format"):
            if name in row.keys():
                assert row[name] == fields.get(name), (item["url"], name)
        cells = query(store, "SELECT table_name, row_label, col_label, value FROM report_cells WHERE source_url = ?",
                      item["url"])
        assert sorted(map(tuple, cells)) == sorted((c["table"], c["row"], c["col"], c["value"])
                                                   for c in fields.get("cells") or ())
    assert query(store, "SELECT count(*) FROM report_cells")[0][0] == outcome.cells > 0


def test_reextract_twice_replaces_the_cells(store):
    archived(store)
    first = reextract(store.data_dir, store.url, processes=1)
    result = subprocess.run([str(BIN / "xxgk"), "reextract", "--processes", "2", *store.args],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"re-extracted {first.documents} documents and 1 attachments" in result.stdout
    assert query(store, "SELECT count(*) FROM report_cells")[0][0] == first.cells


def test_reextract_reports_captures_missing_from_the_archive(store):
    made = archived(store)
    (store.data_dir / "warc" / made[0]["location"].warc_file).unlink()
    outcome = reextract(store.data_dir, store.url, processes=1)
    assert outcome.missing == len(made) - 1  # every page; the attachment's error is its extract_error field
    assert outcome.attachments == 1

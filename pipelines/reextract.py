"""Re-run extraction over the archive: each report page and attachment read back from its WARC record.

The database says where each document's and attachment's latest capture lies (captures: file, offset, length;
a revisit's payload through the digests table). Worker processes take batches of jobs: each reads the records,
rebuilds the responses as the spider saw them (same headers, so the same decoding), extracts exactly as the
crawl's pipeline does, and writes the batch (documents, attachments, report_cells) in one transaction of its own,
so N processes do N times the work (a single writer would bound them all).
"""

from __future__ import annotations

import io
import logging
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

from sqlalchemy import bindparam, delete, select

from crawler import database as db

logger = logging.getLogger(__name__)
BATCH = 100  # jobs per task: small enough to share the last ones out evenly over the workers


@dataclass
class Outcome:
    """What a re-extraction did."""

    documents: int = 0
    attachments: int = 0
    errors: int = 0
    missing: int = 0
    cells: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, other: Outcome) -> None:
        for name in ("documents", "attachments", "errors", "missing", "cells"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.problems += other.problems


def jobs(engine, site: str | None) -> Iterator[dict]:
    """One job per document and attachment with a capture: where its payload is archived."""
    original = db.digests.alias("original")
    captures = db.captures
    for kind, table in (("document", db.documents), ("attachment", db.attachments)):
        extra = [table.c.document_url, table.c.filename] if kind == "attachment" else \
            [table.c[name] for name in FILE_ENTRY]
        query = (
            select(table.c.url, table.c.site, captures.c.id.label("capture_id"), captures.c.warc_file,
                   captures.c.warc_offset, captures.c.warc_length, original.c.warc_file.label("o_file"),
                   original.c.warc_offset.label("o_offset"), original.c.warc_length.label("o_length"), *extra)
            .join(captures, captures.c.id == table.c.capture_id)
            .outerjoin(original, original.c.record_id == captures.c.refers_to)
            .order_by(captures.c.warc_file, captures.c.warc_offset)
        )
        if site:
            query = query.where(table.c.site == site)
        with engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        for row in rows:
            located = (row["o_file"], row["o_offset"], row["o_length"]) if row["o_file"] else \
                (row["warc_file"], row["warc_offset"], row["warc_length"])
            yield {"kind": kind, "url": row["url"], "capture_id": row["capture_id"],
                   "capture": dict(zip(("warc_file", "offset", "length"), located, strict=True)),
                   "document_url": row.get("document_url"), "filename": row.get("filename"),
                   "entry": {key: row[name] for name, key in FILE_ENTRY.items()} if kind == "document" else None}


# a document row's list-row values, as a file document's entry (pipelines/extraction.py: extract_file_document)
FILE_ENTRY = {"list_title": "title", "list_date": "date", "index_no": "index_no", "issuer": "publisher",
              "doc_number": "doc_number"}


def archived_html(warc_dir: str, capture: dict, url: str) -> str | None:
    """The page's text as the spider read it: the archived response rebuilt with its own headers."""
    from scrapy.http import Headers, HtmlResponse
    from warcio.archiveiterator import ArchiveIterator

    from archive.stored import capture_member

    member = capture_member(warc_dir, capture)
    if member is None:
        return None
    for record in ArchiveIterator(io.BytesIO(member)):
        if record.rec_type != "response":
            continue
        headers = Headers()
        for name, value in record.http_headers.headers:
            if name.lower() not in ("content-encoding", "transfer-encoding", "content-length"):
                headers.appendlist(name, value.encode("latin-1"))
        body = record.content_stream().read()
        return HtmlResponse(url=url, headers=headers, body=body).text
    return None


def run_job(job: dict, warc_dir: str) -> dict:
    """Extract one job (in a worker): the fields, or an error saying why not."""
    from pipelines.extraction import extract_attachment_job, extract_document, extract_file_document

    if job["kind"] == "attachment":
        fields, error = extract_attachment_job(job, warc_dir)
    else:
        html = archived_html(warc_dir, job["capture"], job["url"])
        if html is None:
            return {**job, "fields": None, "error": "record not found in the archive"}
        fields, error = extract_document(html, job["url"])
        if error and error.startswith("not an HTML page"):  # a report published only as a file
            fields, error = extract_file_document(job, job["entry"] or {}, warc_dir)
    return {**job, "fields": fields, "error": error}


# built once, run with a batch of parameters each (executemany): building them per row cost more than extracting
TABLES = {"document": db.documents, "attachment": db.attachments}
DELETE_CELLS = delete(db.report_cells).where(db.report_cells.c.capture_id == bindparam("key_capture"),
                                             db.report_cells.c.source_url == bindparam("key_url"))


def rows_of(result: dict) -> tuple[dict, list[dict]]:
    """One job's new field values (for its row) and its statistics-table cells."""
    fields = result["fields"]
    if result["kind"] == "document":
        values = {name: fields.get(name) for name in db.DOCUMENT_FIELDS}
        values["extract_error"] = fields.get("extract_error")
        document_url = result["url"]
    else:
        values = {name: fields.get(name) for name in db.ATTACHMENT_FIELDS}
        document_url = result["document_url"] or result["url"]
    cells = db.cell_rows(document_url, result["url"], result["capture_id"], fields.get("cells"))
    return {"key_url": result["url"], **values}, cells


def reextract(data_dir: Path, database_url: str, processes: int, site: str | None = None,
              progress=None, archive: tuple[str, str] = ("", "")) -> Outcome:
    """Re-extract every archived document and attachment (of `site`) with `processes` worker processes; records
    not in DATA_DIR/warc are read from the shared archive `archive` (archive.store.location_of) if there is one."""
    todo = list(jobs(db.connect(database_url), site))
    warc_dir = str(Path(data_dir).resolve() / "warc")
    outcome = Outcome()
    batches = [todo[start:start + BATCH] for start in range(0, len(todo), BATCH)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=context, initializer=open_worker, initargs=(database_url, archive)) as executor:
        for done in executor.map(run_batch, batches, repeat(warc_dir)):
            outcome.add(done)
            if progress:
                progress(outcome, len(todo))
    return outcome


_engine = None  # a worker's own connection to the database


def open_worker(database_url: str, archive: tuple[str, str] = ("", "")) -> None:
    """In each worker: end with this command however it ends, import the extraction library and connect (the
    worker's own engine), before the first batch arrives."""
    from archive.store import use_location
    from pipelines.extraction import warm_up

    global _engine
    warm_up()
    use_location(*archive)
    _engine = db.connect(database_url)


def run_batch(batch: list[dict], warc_dir: str) -> Outcome:
    """Extract a batch of jobs and write the results (in a worker)."""
    outcome = Outcome()
    _write(_engine, [run_job(job, warc_dir) for job in batch], outcome)
    return outcome


def _write(engine, batch: list[dict], outcome: Outcome) -> None:
    """Write a batch of results in one transaction: the rows' fields, then each capture's cells replaced."""
    updates: dict[str, list[dict]] = {"document": [], "attachment": []}
    deletions, cells = [], []
    for result in batch:
        if result["fields"] is None:
            outcome.missing += 1
            outcome.problems.append(f"{result['url']}: {result['error']}")
            continue
        if result["error"]:
            outcome.errors += 1
            logger.warning("%s: %s", result["url"], result["error"])
        values, found = rows_of(result)
        updates[result["kind"]].append(values)
        deletions.append({"key_capture": result["capture_id"], "key_url": result["url"]})
        cells += found
    with engine.begin() as conn:
        for kind, rows in updates.items():
            if rows:
                conn.execute(db.update_by_url(TABLES[kind]), rows)
        if deletions:
            conn.execute(DELETE_CELLS, deletions)
        if cells:
            conn.execute(db.report_cells.insert(), cells)
    outcome.documents += len(updates["document"])
    outcome.attachments += len(updates["attachment"])
    outcome.cells += len(cells)

"""Datasets for researchers: report versions, statistics cells and a captures index as Parquet, CSV or JSON lines."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow as pa
from sqlalchemy import Engine, and_, exists, func, select
from sqlalchemy.sql import Select

from crawler import database as db
from crawler.database.types import display
from crawler.errors import XxgkError
from crawler.fields import DATE_KEYS, METADATA_KEYS
from crawler.sites import UnknownSite

DATASETS = ("reports", "tables", "captures")
BATCH_ROWS = 1000
FIRST_YEAR = 1990  # reports exist from 2008 on; anything before this is a typo
TIMESTAMP = pa.timestamp("us", tz="UTC")
METADATA_FIELDS = (*METADATA_KEYS, "report_year", "agency", "region_code", "admin_level", "format", "column_name")


class ExportError(XxgkError):
    """An export that cannot run: bad selection, no database, unwritable output."""


@dataclass(frozen=True)
class Filters:
    site: str | None = None
    years: tuple[int, int] | None = None


REPORTS = pa.schema([
    ("site", pa.string()), ("government", pa.string()), ("document_url", pa.string()), ("version", pa.int32()),
    ("seen_at", TIMESTAMP), ("list_title", pa.string()),
    *[(name, pa.int32() if name == "report_year" else pa.date32() if name in DATE_KEYS else pa.string())
      for name in METADATA_FIELDS],
    ("text", pa.string()), ("capture_id", pa.int64()), ("capture_url", pa.string()), ("fetch_status", pa.int32()),
    ("fetched_at", TIMESTAMP), ("warc_file", pa.string()), ("warc_offset", pa.int64()), ("warc_length", pa.int64()),
    ("content_digest", pa.string()),
])

TABLES = pa.schema([
    ("site", pa.string()), ("region_code", pa.string()), ("report_year", pa.int32()), ("agency", pa.string()),
    ("document_url", pa.string()), ("version", pa.int32()), ("source_url", pa.string()), ("capture_id", pa.int64()),
    ("fetched_at", TIMESTAMP), ("table_name", pa.string()), ("row_label", pa.string()), ("col_label", pa.string()),
    ("value", pa.float64()), ("unit", pa.string()), ("note", pa.string()),
])

# Common Crawl's columnar index names (cc-index-table), then this archive's own columns.
CAPTURES = pa.schema([
    ("url_surtkey", pa.string()), ("url", pa.string()), ("url_host_name", pa.string()), ("url_path", pa.string()),
    ("url_query", pa.string()), ("fetch_time", TIMESTAMP), ("fetch_status", pa.int32()),
    ("content_digest", pa.string()), ("content_mime_type", pa.string()), ("content_charset", pa.string()),
    ("warc_filename", pa.string()), ("warc_record_offset", pa.int64()), ("warc_record_length", pa.int64()),
    ("site", pa.string()), ("kind", pa.string()), ("crawl_id", pa.int64()), ("capture_id", pa.int64()),
])

SCHEMAS = {"reports": REPORTS, "tables": TABLES, "captures": CAPTURES}


def parse_years(text: str) -> tuple[int, int]:
    """`2019` or `2015-2020` as an inclusive range; ExportError for anything else."""
    match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", text or "")
    if not match:
        raise ExportError(f"--years: expected YEAR or FIRST-LAST (e.g. 2015-2020), got {text!r}")
    first, last = int(match[1]), int(match[2] or match[1])
    if first > last:
        raise ExportError(f"--years: {first} comes after {last}")
    if first < FIRST_YEAR or last > date.today().year + 1:
        raise ExportError(f"--years: {text} is outside {FIRST_YEAR}-{date.today().year + 1}")
    return first, last


def check_site(site: str | None, sites: dict) -> None:
    """ExportError unless the site is in the registry."""
    if site is not None and site not in sites:
        raise ExportError(str(UnknownSite(site)))


def format_for(out: Path, given: str | None) -> str:
    """The format asked for, else the one OUT's extension names."""
    if given:
        if given.lower() not in FORMATS:
            raise ExportError(f"unknown format {given!r}: one of {', '.join(FORMATS)}")
        return given.lower()
    suffix = out.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise ExportError(f"{out}: say --format ({', '.join(FORMATS)}); the extension does not name one")


@dataclass(frozen=True)
class Source:
    """Where a dataset is read from: the database, the archive's data directory, the registry."""

    database_url: str
    data_dir: Path
    sites: dict


def export(dataset: str, source: Source, out: Path, fmt: str, filters: Filters = Filters(),
           progress: Callable[[int], None] | None = None) -> int:
    """Write one dataset to OUT (via OUT.partial, renamed when complete); return the number of rows.
    `progress` gets the rows written so far after each batch."""
    check_site(filters.site, source.sites)
    if out.is_dir():
        raise ExportError(f"cannot write {out}: it is a directory")
    engine = db.open_existing(source.database_url)
    partial = out.with_name(out.name + ".partial")
    rows = {"reports": report_rows, "tables": table_rows, "captures": capture_rows}[dataset]
    try:
        try:
            partial.open("wb").close()
        except OSError as exc:
            raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
        count = write(batches(rows(engine, filters, source), BATCH_ROWS), partial, fmt, SCHEMAS[dataset], progress)
        partial.replace(out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return count


def batches(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    """Rows in lists of `size`, so only one batch is in memory at a time."""
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write(chunks: Iterable[list[dict]], path: Path, fmt: str, schema: pa.Schema,
          progress: Callable[[int], None] | None = None) -> int:
    """Stream the batches into one file of the given format; the schema is fixed, so an empty export has columns."""
    writer = WRITERS[fmt](path, schema)
    count = 0
    try:
        for chunk in chunks:
            writer(chunk)
            count += len(chunk)
            if progress:
                progress(count)
    finally:
        writer(None)
    return count


def _parquet_writer(path: Path, schema: pa.Schema) -> Callable[[list[dict] | None], None]:
    import pyarrow.parquet as pq

    sink = pq.ParquetWriter(path, schema, compression="zstd")
    return lambda chunk: sink.close() if chunk is None else sink.write_batch(pa.RecordBatch.from_pylist(chunk, schema))


def _csv_writer(path: Path, schema: pa.Schema) -> Callable[[list[dict] | None], None]:
    import pyarrow.csv as pcsv

    sink = pcsv.CSVWriter(path, schema)
    return lambda chunk: sink.close() if chunk is None else sink.write_batch(pa.RecordBatch.from_pylist(chunk, schema))


def _jsonl_writer(path: Path, schema: pa.Schema) -> Callable[[list[dict] | None], None]:
    stream = path.open("w", encoding="utf-8")
    names = schema.names

    def write_chunk(chunk: list[dict] | None) -> None:
        if chunk is None:
            stream.close()
            return
        stream.writelines(json.dumps({name: _json_value(row.get(name)) for name in names}, ensure_ascii=False) + "\n"
                          for row in chunk)

    return write_chunk


# an export format is a writer: (path, schema) -> a function taking each batch of rows, then None to close
WRITERS: dict[str, Callable[[Path, pa.Schema], Callable[[list[dict] | None], None]]] = {
    "parquet": _parquet_writer, "csv": _csv_writer, "jsonl": _jsonl_writer}
FORMATS = tuple(WRITERS)


def _json_value(value):
    if isinstance(value, datetime):
        return display(value)
    return value.isoformat() if isinstance(value, date) else value


def report_date(value) -> date | None:
    """A report date as stored (a date) or as a version's fields keep it (YYYY-MM-DD)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _stream(engine: Engine, query: Select) -> Iterator:
    with engine.connect() as conn:
        yield from conn.execution_options(stream_results=True, yield_per=BATCH_ROWS).execute(query).mappings()


def _in_years(value: int | None, years: tuple[int, int] | None) -> bool:
    return years is None or (value is not None and years[0] <= value <= years[1])


# -- reports ------------------------------------------------------------------------------------------------

def report_rows(engine: Engine, filters: Filters, source: Source) -> Iterator[dict]:
    """One row per report version; a document without a versions row counts as its version 1."""
    documents, versions, captures = db.documents, db.versions, db.captures
    document_columns = [documents.c[name].label(f"d_{name}") for name in ("site", "url", "list_title", "first_seen",
                                                                          "text", *METADATA_FIELDS)]
    capture_columns = [captures.c[name].label(f"c_{name}") for name in (
        "id", "url", "status", "fetched_at", "warc_file", "warc_offset", "warc_length", "digest")]
    versioned = (
        select(*document_columns, *capture_columns, versions.c.version, versions.c.seen_at, versions.c.fields,
               versions.c.text)
        .select_from(versions.join(documents, documents.c.url == versions.c.document_url)
                     .outerjoin(captures, captures.c.id == versions.c.capture_id))
        .order_by(documents.c.site, documents.c.url, versions.c.version)
    )
    unversioned = (
        select(*document_columns, *capture_columns)
        .select_from(documents.outerjoin(captures, captures.c.id == documents.c.capture_id))
        .where(~exists().where(versions.c.document_url == documents.c.url))
        .order_by(documents.c.site, documents.c.url)
    )
    if filters.site:
        versioned, unversioned = (q.where(documents.c.site == filters.site) for q in (versioned, unversioned))
    governments = {name: site.government for name, site in source.sites.items()}
    for query in (versioned, unversioned):
        for row in _stream(engine, query):
            report = report_row(row, governments)
            if _in_years(report["report_year"], filters.years):
                yield report


def report_row(row, governments: dict[str, str]) -> dict:
    """A report version's row: the version's own extracted fields over the document's current ones."""
    keys = row.keys()
    fields = (row["fields"] if "fields" in keys else None) or {}
    metadata = {name: fields[name] if name in fields else row[f"d_{name}"] for name in METADATA_FIELDS}
    metadata |= {name: report_date(metadata[name]) for name in DATE_KEYS}
    if metadata["report_year"] is not None:
        try:
            metadata["report_year"] = int(metadata["report_year"])
        except (TypeError, ValueError):
            metadata["report_year"] = None
    versioned = "version" in keys
    return {
        "site": row["d_site"], "government": governments.get(row["d_site"]), "document_url": row["d_url"],
        "version": row["version"] if versioned else 1,
        "seen_at": row["seen_at"] if versioned else row["d_first_seen"],
        "list_title": row["d_list_title"], **metadata,
        "text": row["text"] if versioned else row["d_text"],
        "capture_id": row["c_id"], "capture_url": row["c_url"], "fetch_status": row["c_status"],
        "fetched_at": row["c_fetched_at"], "warc_file": row["c_warc_file"],
        "warc_offset": row["c_warc_offset"], "warc_length": row["c_warc_length"], "content_digest": bare_digest(row["c_digest"]),
    }


# -- tables -------------------------------------------------------------------------------------------------

def table_rows(engine: Engine, filters: Filters, source: Source) -> Iterator[dict]:
    """Statistics cells in long format, each with its report, the version its capture showed, and its site."""
    cells, documents, captures, versions = db.report_cells, db.documents, db.captures, db.versions
    version = (
        select(func.max(versions.c.version))
        .where(versions.c.document_url == cells.c.document_url, versions.c.seen_at <= captures.c.fetched_at)
        .correlate(cells, captures).scalar_subquery()
    )
    query = (
        select(documents.c.site, documents.c.region_code, documents.c.report_year, documents.c.agency,
               cells.c.document_url, func.coalesce(version, 1).label("version"), cells.c.source_url,
               cells.c.capture_id, captures.c.fetched_at, cells.c.table_name, cells.c.row_label, cells.c.col_label,
               cells.c.value, cells.c.unit, cells.c.note)
        .select_from(cells.join(documents, documents.c.url == cells.c.document_url)
                     .outerjoin(captures, captures.c.id == cells.c.capture_id))
        .order_by(documents.c.site, cells.c.document_url, cells.c.capture_id, cells.c.id)
    )
    if filters.site:
        query = query.where(documents.c.site == filters.site)
    if filters.years:
        query = query.where(documents.c.report_year.between(*filters.years))
    for row in _stream(engine, query):
        yield dict(row)


# -- captures -----------------------------------------------------------------------------------------------

def capture_rows(engine: Engine, filters: Filters, source: Source) -> Iterator[dict]:
    """The captures index with Common Crawl's column names; content type and charset read from each WARC record."""
    import surt

    captures = db.captures
    query = select(captures).order_by(captures.c.id)
    if filters.site:
        query = query.where(captures.c.site == filters.site)
    if filters.years:
        first, last = filters.years
        query = query.where(and_(captures.c.fetched_at >= datetime(first, 1, 1, tzinfo=UTC),
                                 captures.c.fetched_at < datetime(last + 1, 1, 1, tzinfo=UTC)))
    reader = RecordTypes(source.data_dir / "warc")
    try:
        for row in _stream(engine, query):
            parts = urlsplit(row["url"])
            mime, charset = reader.content_type(row["warc_file"], row["warc_offset"])
            yield {
                "url_surtkey": surt.surt(row["url"]), "url": row["url"], "url_host_name": parts.hostname,
                "url_path": parts.path, "url_query": parts.query or None, "fetch_time": row["fetched_at"],
                "fetch_status": row["status"], "content_digest": bare_digest(row["digest"]),
                "content_mime_type": mime, "content_charset": charset, "warc_filename": row["warc_file"],
                "warc_record_offset": row["warc_offset"], "warc_record_length": row["warc_length"],
                "site": row["site"], "kind": row["kind"], "crawl_id": row["crawl_id"], "capture_id": row["id"],
            }
    finally:
        reader.close()


def bare_digest(digest: str | None) -> str | None:
    """`sha1:ABC…` → `ABC…` (Common Crawl's form: the base32 SHA-1 without its label)."""
    return digest.partition(":")[2] or digest if digest else None


class RecordTypes:
    """Content-Type of archived responses, read from the record's HTTP headers (the body is not read)."""

    def __init__(self, warc_dir: Path) -> None:
        self.warc_dir = warc_dir
        self.name: str | None = None
        self.stream = None

    def content_type(self, name: str | None, offset: int | None) -> tuple[str | None, str | None]:
        """(mime type, charset) of the response record at `offset` in WARC file `name`; Nones if unreadable."""
        from warcio.archiveiterator import ArchiveIterator

        stream = self._open(name) if name and offset is not None else None
        if stream is None:
            return None, None
        try:
            stream.seek(offset)
            record = next(iter(ArchiveIterator(stream)))
        except (OSError, StopIteration, ValueError, EOFError):
            return None, None
        header = record.http_headers.get_header("Content-Type") if record.http_headers else None
        return split_content_type(header)

    def _open(self, name: str):
        # Captures come in id order, mostly file by file: keep one file open, never thousands.
        if name != self.name:
            self.close()
            path = self.warc_dir / name
            self.name, self.stream = name, path.open("rb") if path.is_file() else None
        return self.stream

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()
        self.name, self.stream = None, None


def split_content_type(header: str | None) -> tuple[str | None, str | None]:
    """`text/html; charset=GBK` → ("text/html", "GBK")."""
    if not header:
        return None, None
    mime, _, params = header.partition(";")
    charset = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.I)
    return mime.strip().lower() or None, charset[1].upper() if charset else None

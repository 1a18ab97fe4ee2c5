"""Package the archive, or one site's or one crawl's part of it, as a WACZ file (ReplayWeb.page, py-wacz).

Layout (WACZ 1.1.1, the `wacz_version` py-wacz validates and the one ReplayWeb.page reads; 1.2.0's
`profile: "wacz"` is refused by ReplayWeb.page 2.4 and 2.5): archive/*.warc.gz stored as they are, plus
archive/originals-….warc.gz with the records the selection's revisits refer to when those sit in WARC files
outside the selection (copied byte for byte: a package of one recrawl replays on its own),
indexes/index.cdx.gz (CDXJ in gzip blocks, stored) with its ZipNum index indexes/index.idx,
pages/pages.jsonl with one line per report page, its text made searchable (archive/search.py) and its
extracted metadata, datapackage.json listing every file's sha256 and size, and datapackage-digest.json.
Everything is streamed: memory stays flat whatever the size of the WARC files.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO

from cdxj_indexer.main import CDXJIndexer, CompressedWriter
from sqlalchemy import Engine, func, select, tuple_
from warcio.warcwriter import WARCWriter

import crawler
from archive import records
from archive.index import index_path, index_warc
from archive.search import searchable
from crawler import database as db
from crawler.database.types import display
from crawler.errors import XxgkError

WACZ_VERSION = "1.1.1"
PAGES_FORMAT = "json-pages-1.0"
PAGE_FIELDS = ("index_no", "category", "issuer", "written_date", "doc_number", "publish_date", "subject_terms",
               "report_year", "agency")
CHUNK = 1 << 20
BATCH = 500  # (URL, digest) pairs per digest-index query
SPOOL = 16 << 20
# Frictionless (which `wacz validate` runs) only accepts these characters in resource names.
NAME_UNSAFE = re.compile(r"[^-a-z0-9._/]")


class ExportError(XxgkError):
    """Nothing to export, or the data directory is not a crawl's."""


@dataclass(frozen=True)
class Selection:
    """Which part of the archive to export: everything, one site, one crawl."""

    site: str | None = None
    crawl: int | None = None

    @property
    def label(self) -> str:
        parts = [f"site {self.site}" if self.site else "", f"crawl {self.crawl}" if self.crawl is not None else ""]
        return ", ".join(part for part in parts if part) or "all sites"


@dataclass
class Exported:
    """What went into a WACZ file."""

    path: Path
    warc_files: list[str] = field(default_factory=list)
    index_lines: int = 0
    pages: int = 0
    originals: int = 0  # records copied in for revisits whose originals sit outside the selection


class HashingWriter:
    """A binary stream that counts and sha256-hashes what passes through it."""

    def __init__(self, stream):
        self.stream, self.hasher, self.size = stream, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.hasher.update(data)
        self.size += len(data)
        return self.stream.write(data)

    def resource(self, path: str) -> dict:
        """The datapackage.json entry of the file written."""
        name = NAME_UNSAFE.sub("-", path.rsplit("/", 1)[-1].lower())
        return {"name": name, "path": path, "hash": f"sha256:{self.hasher.hexdigest()}", "bytes": self.size}


def select_warcs(engine: Engine, warc_dir: Path, selection: Selection) -> list[Path]:
    """The closed WARC files holding the selection's captures (every one when nothing is selected)."""
    if selection.site is None and selection.crawl is None:
        return sorted(warc_dir.glob("*.warc.gz"))
    query = select(db.captures.c.warc_file).where(db.captures.c.warc_file.is_not(None)).distinct()
    if selection.site is not None:
        query = query.where(db.captures.c.site == selection.site)
    if selection.crawl is not None:
        query = query.where(db.captures.c.crawl_id == selection.crawl)
    with engine.connect() as conn:
        names = sorted(conn.scalars(query))
    missing = [name for name in names if not (warc_dir / name).is_file()]
    if missing:
        raise ExportError(f"{warc_dir}: missing WARC files {', '.join(missing)} (still open? run `xxgk index`)")
    return [warc_dir / name for name in names]


def select_pages(engine: Engine, selection: Selection) -> Iterator[dict]:
    """One page per report in the selection: its latest capture there, with its extracted fields."""
    captures, documents = db.captures, db.documents
    candidate = captures.alias("candidate")
    latest = select(func.max(candidate.c.id)).where(
        candidate.c.url == documents.c.url, candidate.c.kind == "document", candidate.c.warc_file.is_not(None),
    )
    if selection.crawl is not None:
        latest = latest.where(candidate.c.crawl_id == selection.crawl)
    query = (
        select(*(documents.c[name] for name in ("url", "site", "title", "list_title", "text", *PAGE_FIELDS)),
               captures.c.fetched_at, captures.c.record_id)
        .select_from(documents)
        .join(captures, captures.c.id == latest.correlate(documents).scalar_subquery())
        .order_by(documents.c.site, documents.c.url)
    )
    if selection.site is not None:
        query = query.where(documents.c.site == selection.site)
    with engine.connect() as conn:
        for row in conn.execution_options(stream_results=True).execute(query).mappings():
            yield page_line(row)


def page_line(row) -> dict:
    """A pages.jsonl entry: ReplayWeb.page's url, ts, title, text, then the disclosure metadata."""
    page = {
        "id": (row["record_id"] or "").strip("<>").removeprefix("urn:uuid:") or None,
        "url": row["url"],
        "ts": display(row["fetched_at"]),
        "title": row["title"] or row["list_title"],
        "text": searchable(row["title"] or row["list_title"], row["text"]),
        "site": row["site"],
    }
    page.update({name: row[name].isoformat() if isinstance(row[name], date) else row[name] for name in PAGE_FIELDS})
    return {key: value for key, value in page.items() if value is not None}


def warc_index(warc: Path) -> Path:
    """The CDXJ index of a WARC file of the archive (written now if it has none yet)."""
    return index_path(warc) if index_path(warc).is_file() else index_warc(warc)


def cdxj_lines(indexes: Iterable[Path]) -> Iterator[str]:
    """The sorted union of CDXJ index files."""
    with ExitStack() as stack:
        streams = [stack.enter_context(open(path, encoding="utf-8")) for path in indexes]
        yield from heapq.merge(*streams)


def revisited(indexes: Iterable[Path]) -> set[tuple[str, str]]:
    """(URL, payload digest) of every revisit record the indexes list."""
    found = set()
    for path in indexes:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if '"warc/revisit"' in line:
                    fields = json.loads(line.split(" ", 2)[2])
                    found.add((fields["url"], fields["digest"]))
    return found


def originals_outside(engine: Engine, warcs: list[Path], indexes: list[Path]) -> list[tuple[str, int, int]]:
    """(WARC file, offset, length) of the original records the revisits in `warcs` refer to, where those sit in
    other files; found in the digest index, the table the crawl chose each revisit's original from."""
    wanted = sorted(revisited(indexes))
    places = set()
    with engine.connect() as conn:
        for start in range(0, len(wanted), BATCH):
            rows = conn.execute(select(db.digests.c.url, db.digests.c.digest, db.digests.c.warc_file,
                                       db.digests.c.warc_offset, db.digests.c.warc_length)
                                .where(tuple_(db.digests.c.url, db.digests.c.digest).in_(wanted[start:start + BATCH])))
            places.update((name, offset, length) for _url, _digest, name, offset, length in rows)
    selected = {warc.name for warc in warcs}
    return sorted(place for place in places if place[0] not in selected)


def write_originals(warc_dir: Path, places: list[tuple[str, int, int]], target: Path) -> None:
    """A WARC file of a warcinfo record, then each original record copied byte for byte from its file."""
    missing = sorted({name for name, _, _ in places if not (warc_dir / name).is_file()})
    if missing:
        raise ExportError(f"{warc_dir}: missing WARC files {', '.join(missing)} (they hold originals of revisits)")
    with open(target, "wb") as out:
        info = records.BUILDER.create_warcinfo_record(target.name, {
            "software": f"xxgk {crawler.__version__}", "format": "WARC File Format 1.1",
            "description": "the response records revisits in this package refer to, copied byte for byte from "
                           "earlier WARC files: " + ", ".join(sorted({name for name, _, _ in places}))})
        WARCWriter(out, gzip=True, warc_version="1.1").write_record(info)
        for name, offset, length in places:
            with open(warc_dir / name, "rb") as source:
                source.seek(offset)
                out.write(source.read(length))


def export_wacz(data_dir: Path, out: Path, database_url: str, selection: Selection = Selection()) -> Exported:
    """Write the selection of DATA_DIR's archive to `out` as a WACZ file; return what went in."""
    data_dir, out = Path(data_dir), Path(out)
    warc_dir = data_dir / "warc"
    if not warc_dir.is_dir():
        raise ExportError(f"{warc_dir}: no WARC directory")
    engine = db.open_existing(database_url)
    warcs = select_warcs(engine, warc_dir, selection)
    if not warcs:
        raise ExportError(f"no closed WARC file for {selection.label} in {warc_dir}")
    exported = Exported(out, [warc.name for warc in warcs])
    title = f"xxgk: {selection.label}"
    partial = out.with_name(out.name + ".partial")
    indexes = [warc_index(warc) for warc in warcs]
    originals = originals_outside(engine, warcs, indexes)
    scratch = tempfile.TemporaryDirectory(prefix="xxgk-wacz-")
    try:
        if originals:
            extra = Path(scratch.name) / originals_name(selection, {warc.name for warc in warcs})
            write_originals(warc_dir, originals, extra)
            indexes.append(Path(scratch.name) / "originals.cdxj")
            CDXJIndexer(str(indexes[-1]), [str(extra)], sort=True, post_append=True).process_all()
            warcs, exported.originals = [*warcs, extra], len(originals)
        with zipfile.ZipFile(partial, "w", allowZip64=True) as package:
            resources = [_store_warc(package, warc) for warc in warcs]
            index_resources, exported.index_lines = _write_index(package, cdxj_lines(indexes))
            resources += index_resources
            pages_resource, exported.pages = _write_pages(package, select_pages(engine, selection), title)
            resources.append(pages_resource)
            datapackage = _datapackage(resources, title, selection)
            package.writestr(_entry("datapackage.json", zipfile.ZIP_DEFLATED), datapackage)
            digest = {"path": "datapackage.json", "hash": f"sha256:{hashlib.sha256(datapackage).hexdigest()}"}
            package.writestr(_entry("datapackage-digest.json", zipfile.ZIP_DEFLATED),
                             json.dumps(digest, indent=2).encode())
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
        scratch.cleanup()
    return exported


def originals_name(selection: Selection, taken: set[str]) -> str:
    """archive/originals-{selection}.warc.gz, named apart from every WARC file in the package."""
    name = "originals-" + NAME_UNSAFE.sub("-", selection.label.lower().replace(", ", "-").replace(" ", "-"))
    while f"{name}.warc.gz" in taken:
        name += "-copy"
    return f"{name}.warc.gz"


def _entry(path: str, compression: int, size: int = 0) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, datetime.now(UTC).timetuple()[:6])
    info.compress_type = compression
    info.file_size = size  # tells zipfile beforehand whether the entry needs ZIP64
    return info


def _add(package: zipfile.ZipFile, path: str, source: BinaryIO, size: int, compression: int) -> dict:
    """Copy `size` bytes from `source` into the entry `path`, hashing them; return its datapackage entry."""
    with package.open(_entry(path, compression, size), "w") as dest:
        writer = HashingWriter(dest)
        while chunk := source.read(CHUNK):
            writer.write(chunk)
    return writer.resource(path)


def _spooled() -> tempfile.SpooledTemporaryFile:
    """A scratch file: in memory while small, on disk past SPOOL bytes."""
    return tempfile.SpooledTemporaryFile(max_size=SPOOL)


def _add_spooled(package: zipfile.ZipFile, path: str, scratch, compression: int) -> dict:
    size = scratch.tell()
    scratch.seek(0)
    return _add(package, path, scratch, size, compression)


def _store_warc(package: zipfile.ZipFile, warc: Path) -> dict:
    """Copy a WARC file into archive/, stored (its gzip members must stay addressable by offset)."""
    with open(warc, "rb") as source:
        return _add(package, f"archive/{warc.name}", source, warc.stat().st_size, zipfile.ZIP_STORED)


class _Utf8:
    """The text stream CompressedWriter writes its index lines to, over a binary file."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(text.encode("utf-8"))


def _write_index(package: zipfile.ZipFile, lines: Iterable[str]) -> tuple[list[dict], int]:
    """indexes/index.cdx.gz (gzip blocks of CDXJ lines, stored) and indexes/index.idx (one line per block)."""
    count = 0
    with _spooled() as cdx, _spooled() as idx:
        blocks = CompressedWriter(_Utf8(idx), cdx, num_lines=CDXJIndexer.DEFAULT_NUM_LINES,
                                  data_out_name="index.cdx.gz", digest_records=True)
        for line in lines:
            if not line.startswith("!"):  # the `!meta` header lines of the per-WARC files
                blocks.write(line)
                count += 1
        if blocks.block:
            blocks.flush()
        if not count:
            blocks.write_header()
        resources = [_add_spooled(package, "indexes/index.cdx.gz", cdx, zipfile.ZIP_STORED),
                     _add_spooled(package, "indexes/index.idx", idx, zipfile.ZIP_DEFLATED)]
    return resources, count


def _write_pages(package: zipfile.ZipFile, pages: Iterable[dict], title: str) -> tuple[dict, int]:
    """pages/pages.jsonl: the json-pages-1.0 header, then one line per report page."""
    count = 0
    with _spooled() as scratch:
        # No "hasText": with it, ReplayWeb.page 2.4 builds its search from at most the first MiB (compressed) of
        # this file and searches nothing once the file is bigger; without it, it indexes every page's text.
        header = {"format": PAGES_FORMAT, "id": "pages", "title": title}
        scratch.write((json.dumps(header, ensure_ascii=False) + "\n").encode("utf-8"))
        for page in pages:
            scratch.write((json.dumps(page, ensure_ascii=False) + "\n").encode("utf-8"))
            count += 1
        return _add_spooled(package, "pages/pages.jsonl", scratch, zipfile.ZIP_DEFLATED), count


def _datapackage(resources: list[dict], title: str, selection: Selection) -> bytes:
    """datapackage.json: the Frictionless data package WACZ readers check hashes against."""
    package = {
        "profile": "data-package",
        "wacz_version": WACZ_VERSION,
        "title": title,
        "description": f"Chinese government information-disclosure reports archived by xxgk ({selection.label})",
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "software": f"xxgk {crawler.__version__}",
        "resources": resources,
    }
    return json.dumps(package, indent=2, ensure_ascii=False).encode("utf-8")

"""What one untrusted page or file may cost: its bytes, what it may decompress to, an extraction worker's memory.

The checks read only headers and directories (a ZIP's central directory, an image's header) or inflate with a
bounded buffer (a PDF's streams), so a bomb is refused before a reader opens it. Readers that got past them are
still held by the worker's address-space limit (RLIMIT_AS), which turns runaway memory into a MemoryError.
"""

from __future__ import annotations

import io
import re
import resource
import zipfile
import zlib

from crawler.errors import XxgkError

MiB = 1 << 20
# A report page (crawl: XXGK_PAGE_MAXSIZE, the download cap of every page request; extraction: the parser's cap).
# lxml needs about ten times a page's size: 10 MiB of HTML is 100 MB of tree.
MAX_PAGE_BYTES = 10 * MiB
# ZIP containers (.docx, .xlsx): the declared sizes are an upper bound zipfile enforces while reading
ZIP_MAX_MEMBER = 64 * MiB  # python-docx / openpyxl need 4-8x a part's size (a 200 MB document.xml took 863 MB)
ZIP_MAX_TOTAL = 160 * MiB
ZIP_MAX_MEMBERS = 5000
ZIP_MAX_RATIO = 200  # real parts compress 40:1 at most; the bomb was 2000:1
ZIP_RATIO_FROM = MiB  # tiny parts may compress at any ratio
# PDF: one inflated stream is what pdfium holds at once; the total bounds the time the check itself takes
PDF_MAX_STREAM = 128 * MiB
PDF_MAX_INFLATED = 1024 * MiB
# images (OCR): a 219 KB PNG may claim 15000x15000 pixels
IMAGE_MAX_PIXELS = 40_000_000
# legacy OLE (.xls, .doc) and plain text are not compressed: their size is what the reader loads
FLAT_MAX_BYTES = 64 * MiB
# an extraction worker's address space
WORKER_MEMORY = 1024 * MiB

STREAM_RE = re.compile(rb"stream\r?\n")
CHUNK = 1 << 16


class TooLarge(XxgkError, ValueError):
    """A page or file refused before reading: it would cost more than its cap."""

    def __init__(self, what: str) -> None:
        super().__init__(f"too large: {what}")


def check_page(size: int) -> None:
    """TooLarge for a page over MAX_PAGE_BYTES."""
    if size > MAX_PAGE_BYTES:
        raise TooLarge(f"page of {size} bytes (limit {MAX_PAGE_BYTES})")


def check_attachment(data: bytes, kind: str) -> None:
    """TooLarge when reading an attachment of this kind (attachments.sniff) would cost more than the caps allow."""
    if kind in ("docx", "xlsx", "zip"):
        check_zip(data)
    elif kind == "pdf":
        check_pdf(data)
    elif kind == "image":
        check_image(data)
    elif len(data) > FLAT_MAX_BYTES:
        raise TooLarge(f"{kind} file of {len(data)} bytes (limit {FLAT_MAX_BYTES})")


def check_zip(data: bytes) -> None:
    """Member count, each member's size and compression ratio, and the total, from the central directory."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # the reader reports a damaged file itself
    if len(infos) > ZIP_MAX_MEMBERS:
        raise TooLarge(f"{len(infos)} ZIP members (limit {ZIP_MAX_MEMBERS})")
    for info in infos:
        if info.file_size > ZIP_MAX_MEMBER:
            raise TooLarge(f"{info.filename} unpacks to {info.file_size} bytes (limit {ZIP_MAX_MEMBER})")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ZIP_RATIO_FROM and ratio > ZIP_MAX_RATIO:
            raise TooLarge(f"{info.filename} unpacks {ratio:.0f}:1 (a ZIP bomb; limit {ZIP_MAX_RATIO}:1)")
    total = sum(info.file_size for info in infos)
    if total > ZIP_MAX_TOTAL:
        raise TooLarge(f"ZIP unpacks to {total} bytes (limit {ZIP_MAX_TOTAL})")


def check_pdf(data: bytes) -> None:
    """Inflate every zlib stream with a bounded buffer: none may pass PDF_MAX_STREAM, all together PDF_MAX_INFLATED."""
    view, total = memoryview(data), 0
    for match in STREAM_RE.finditer(data):
        size = inflated_size(view, match.end(), PDF_MAX_STREAM + 1)
        if size > PDF_MAX_STREAM:
            raise TooLarge(f"a PDF stream at byte {match.end()} inflates past {PDF_MAX_STREAM} bytes")
        total += size
        if total > PDF_MAX_INFLATED:
            raise TooLarge(f"PDF streams inflate past {PDF_MAX_INFLATED} bytes")


def inflated_size(view: memoryview, start: int, limit: int) -> int:
    """Bytes the zlib stream starting at `start` inflates to, counting stops past `limit` (0: not zlib data)."""
    inflater, total, position, pending = zlib.decompressobj(), 0, start, b""
    try:
        while not inflater.eof and total <= limit:
            if not pending:
                if position >= len(view):
                    break
                pending, position = view[position:position + CHUNK], position + CHUNK
            total += len(inflater.decompress(pending, MiB))
            pending = inflater.unconsumed_tail
    except zlib.error:
        return total
    return total


def check_image(data: bytes) -> None:
    """The pixel count an image header claims (read without decoding the image)."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except Image.DecompressionBombError as exc:
        raise TooLarge(f"image: {exc}") from None
    except Exception:  # noqa: BLE001 - not an image Pillow knows: the reader reports it
        return
    if width * height > IMAGE_MAX_PIXELS:
        raise TooLarge(f"image of {width}x{height} pixels (limit {IMAGE_MAX_PIXELS})")


def limit_memory(limit: int = WORKER_MEMORY) -> None:
    """Cap this process's address space (and its children's: OCR, antiword) at `limit` bytes; 0 leaves it."""
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

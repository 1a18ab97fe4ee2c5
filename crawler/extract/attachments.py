"""Attachments to text and table rows: PDF (pdfium text, pdfplumber table grid), DOCX, XLSX/XLS, DOC/WPS, images (OCR)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from crawler.errors import XxgkError
from crawler.extract.cells import Row, clean, text_blocks
from crawler.extract.document import ExtractionError, decode

OCR_LANGS = "chi_sim+eng"
OCR_DPI = 300
MIN_PAGE_TEXT = 20  # characters on a PDF page below which the page is taken to be a scan
TOOL_TIMEOUT = 120
# tesseract puts one space between Chinese characters; a wider gap (kept by preserve_interword_spaces) is a cell border
CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff，。、：；（）“”]) (?=[\u3400-\u9fff，。、：；（）“”])")
MEANINGFUL = re.compile(r"[\u3400-\u9fff]|[A-Za-z0-9]{10}")  # catdoc passes non-Word bytes through as text
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")
HTML_FRAGMENT = re.compile(rb"<(?:p|div|span|td|tr|h[1-6]|br|strong|font)\b[^>]{0,300}>")


class AttachmentError(XxgkError):
    """The file cannot be read (unknown type, or the tool that reads it is missing or failed)."""


@dataclass
class Attachment:
    """What a file holds: its kind, text, and table rows (grids from the file's own table structure)."""

    kind: str
    text: str
    blocks: list[list[Row]] = field(default_factory=list)
    ocr: bool = False


def sniff(data: bytes, filename: str | None = None) -> str:
    """pdf, docx, xlsx, xls, doc, wps, image, html or text, from magic bytes first and the name second."""
    suffix = Path(filename or "").suffix.lower().lstrip(".")
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        head = data[:65536] + data[-65536:]
        return "xlsx" if b"xl/" in head else "docx" if b"word/" in head else suffix or "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        if b"W\0o\0r\0k\0b\0o\0o\0k" in data or suffix in ("xls", "et"):
            return "xls"
        return "wps" if suffix == "wps" else "doc"
    if data.startswith(IMAGE_MAGIC):
        return "image"
    head = data[:4096].lower()
    if b"<html" in head or b"<table" in head or b"<!doctype" in head or len(HTML_FRAGMENT.findall(head)) >= 3:
        return "html"  # a whole page, or a fragment of one (a report body saved without its frame)
    return "text"


def ocr_image(image) -> str:
    """Text of a PIL image through tesseract (chi_sim), spaces between Chinese characters removed."""
    if not shutil.which("tesseract"):
        raise AttachmentError("OCR needs tesseract (Debian: tesseract-ocr tesseract-ocr-chi-sim)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.png"
        image.save(path)
        done = subprocess.run(["tesseract", str(path), "stdout", "-l", OCR_LANGS, "--psm", "6",
                               "-c", "preserve_interword_spaces=1"],
                              capture_output=True, timeout=TOOL_TIMEOUT, check=False)
    if done.returncode != 0:
        raise AttachmentError(f"tesseract failed: {done.stderr.decode(errors='replace').strip()[:200]}")
    return "\n".join(CJK_GAP.sub("", line) for line in done.stdout.decode("utf-8", errors="replace").splitlines())


def read_image(data: bytes) -> Attachment:
    """An image (a scanned report or a table published as a picture) through OCR."""
    from PIL import Image

    text = ocr_image(Image.open(io.BytesIO(data)).convert("L"))
    return Attachment("image", text, text_blocks(text, loose=True), ocr=True)


def _pdf_grid(table, textpage, height: float) -> list[Row]:
    """A pdfplumber table's cells read back with pdfium (robust to CID fonts); merged positions left blank."""
    rows = []
    for row in table.rows:
        cells = [clean(textpage.get_text_bounded(c[0], height - c[3], c[2], height - c[1])) if c else ""
                 for c in row.cells]
        if any(cells):
            rows.append(Row(cells, "grid"))
    return rows


def _has_paths(page) -> bool:
    """Whether a PDF page draws any path (table rules are paths; text-only pages have none)."""
    import pypdfium2.raw as pdfium_raw

    return next(iter(page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_PATH])), None) is not None


def read_pdf(data: bytes) -> Attachment:
    """PDF text page by page (pdfium), tables from ruling lines (pdfplumber), scanned pages through OCR."""
    import pdfplumber
    import pypdfium2 as pdfium

    texts, blocks, ocr = [], [], False
    pdf = pdfium.PdfDocument(data)
    plumber = None  # opened at the first page with ruling lines: parsing the file again costs, most have none
    try:
        for i, page in enumerate(pdf):
            textpage = page.get_textpage()
            text = textpage.get_text_range().replace("\r\n", "\n")
            if len(text.strip()) < MIN_PAGE_TEXT:
                text = ocr_image(page.render(scale=OCR_DPI / 72).to_pil().convert("L"))
                blocks += text_blocks(text, loose=True)
                ocr = True
            elif _has_paths(page):  # pdfplumber's table finder is slow: only where ruling lines can be
                plumber = plumber or pdfplumber.open(io.BytesIO(data))
                found = plumber.pages[i].find_tables()
                blocks += [g for t in found if (g := _pdf_grid(t, textpage, page.get_height()))]
            texts.append(text)
    finally:
        if plumber is not None:
            plumber.close()
        pdf.close()
    text = "\n".join(texts)
    if not blocks:
        blocks = text_blocks(text, loose=True)
    return Attachment("pdf", text, blocks, ocr=ocr)


def read_docx(data: bytes) -> Attachment:
    """DOCX paragraphs and tables in document order; merged cells repeat their text, as spans do in HTML."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    blocks: list[list[Row]] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            lines.append(item.text)
        elif isinstance(item, Table):
            rows = [Row([clean(c.text) for c in r.cells], "grid") for r in item.rows]
            rows = [r for r in rows if any(r.cells)]
            blocks.append(rows)
            lines += [" | ".join(r.cells) for r in rows]
    return Attachment("docx", "\n".join(lines), blocks)


def read_xlsx(data: bytes) -> Attachment:
    """Every sheet of an XLSX as a grid, merged ranges filled with their value."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    blocks, lines = [], []
    for sheet in book.worksheets:
        values = {(c.row, c.column): c.value for row in sheet.iter_rows() for c in row}
        for rng in sheet.merged_cells.ranges:
            top = values.get((rng.min_row, rng.min_col))
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    values[(r, c)] = top
        grid = _grid_rows(values, sheet.max_row, sheet.max_column)
        blocks.append(grid)
        lines += [sheet.title] + [" | ".join(r.cells) for r in grid]
    return Attachment("xlsx", "\n".join(lines), blocks)


def _text(value) -> str:
    """A spreadsheet value as cell text (2.0 -> 2)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value))


def _grid_rows(values: dict, height: int, width: int) -> list[Row]:
    """Non-empty rows of a {(row, col): value} sheet."""
    rows = [Row([_text(values.get((r, c))) for c in range(1, width + 1)], "grid") for r in range(1, height + 1)]
    return [r for r in rows if any(r.cells)]


def read_xls(data: bytes) -> Attachment:
    """Every sheet of a legacy XLS (xlrd), merged ranges filled."""
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=False)
    blocks, lines = [], []
    for sheet in book.sheets():
        values = {(r + 1, c + 1): sheet.cell_value(r, c) for r in range(sheet.nrows) for c in range(sheet.ncols)}
        for r0, r1, c0, c1 in sheet.merged_cells:
            for r in range(r0, r1):
                for c in range(c0, c1):
                    values[(r + 1, c + 1)] = values.get((r0 + 1, c0 + 1))
        grid = _grid_rows(values, sheet.nrows, sheet.ncols)
        blocks.append(grid)
        lines += [sheet.name] + [" | ".join(r.cells) for r in grid]
    return Attachment("xls", "\n".join(lines), blocks)


def read_doc(data: bytes, kind: str = "doc") -> Attachment:
    """Legacy Word (and WPS, the same container) through antiword, else catdoc; tables come out as `|` rows."""
    commands = [["antiword", "-m", "UTF-8.txt", "-w", "0"], ["catdoc", "-d", "utf-8", "-w"]]
    errors = []
    with tempfile.NamedTemporaryFile(suffix=f".{kind}") as tmp:
        tmp.write(data)
        tmp.flush()
        for command in commands:
            if not shutil.which(command[0]):
                errors.append(f"{command[0]} not installed")
                continue
            done = subprocess.run([*command, tmp.name], capture_output=True, timeout=TOOL_TIMEOUT, check=False)
            text = done.stdout.decode("utf-8", errors="replace")
            if done.returncode == 0 and MEANINGFUL.search(text):
                return Attachment(kind, text, text_blocks(text))
            errors.append(f"{command[0]}: {done.stderr.decode(errors='replace').strip()[:120] or 'no text'}")
    raise AttachmentError(f"cannot read {kind.upper()}: " + "; ".join(errors))


def read_attachment(data: bytes, filename: str | None = None) -> Attachment:
    """Text and table rows of any attachment; AttachmentError when its type cannot be read."""
    kind = sniff(data, filename)
    readers = {"pdf": read_pdf, "docx": read_docx, "xlsx": read_xlsx, "xls": read_xls, "image": read_image,
               "doc": read_doc, "wps": lambda d: read_doc(d, "wps")}
    if kind in readers:
        try:
            return readers[kind](data)
        except AttachmentError:
            raise
        except Exception as exc:  # a damaged file of a known type: report it, never crash the crawl
            raise AttachmentError(f"cannot read {kind.upper()}: {type(exc).__name__}: {exc}") from exc
    if kind == "text":
        try:
            text = decode(data)
        except ExtractionError as exc:
            raise AttachmentError(str(exc)) from None
        return Attachment("text", text, text_blocks(text))
    raise AttachmentError(f"unsupported attachment type: {kind}")

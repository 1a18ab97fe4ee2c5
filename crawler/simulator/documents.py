"""Attachments as the portals publish them: the report as a PDF (Noto Sans CJK embedded, ruled tables whose header
row repeats on each page, as Word's "repeat header row" prints them) or a Word document, or its statistics tables
alone as an Excel 97 workbook (附件：政府信息公开情况统计表.xls). Files are rendered when first asked for, once per
process.

The PDF font: fpdf2 parses and subsets the 20 MB Noto CJK collection for every document (about a second each), so
the collection is cut once to the characters of every file the simulator may serve (fontTools) and kept in the
temporary directory under the hash of those characters; rendered files are kept there too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from crawler.simulator.reports import Table

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SC_INDEX = 2  # the Simplified Chinese face in the Noto CJK collection
CREATED = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)  # fixed, so a file's bytes (and its ETag) never change run to run
KINDS = ("pdf", "docx", "xls")
ASCII = "".join(chr(c) for c in range(0x20, 0x7F)) + "\u3000"  # and the ideographic space indenting paragraphs


@dataclass(frozen=True)
class Document:
    """What a file holds: a title, then paragraphs and tables in order (an .xls keeps only the tables)."""

    title: str
    blocks: tuple

    def text(self) -> str:
        cells = (cell_text(cell) for block in self.blocks if isinstance(block, Table) for row in block.rows
                 for cell in row)
        return self.title + "".join(b for b in self.blocks if isinstance(b, str)) + "".join(cells)

    def key(self) -> str:
        blocks = [b.rows if isinstance(b, Table) else b for b in self.blocks]
        return hashlib.sha1(json.dumps([self.title, blocks], ensure_ascii=False).encode()).hexdigest()


def cell_text(cell: str | dict) -> str:
    return cell["text"] if isinstance(cell, dict) else cell


def grid(table: Table) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """The table as a full grid, a merged cell's text in each position it covers, and its merges
    (first row, last row, first column, last column), as an HTML table lays its spans out."""
    cells: dict[tuple[int, int], str] = {}
    merges = []
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in cells:
                c += 1
            rows = cell.get("rowspan", 1) if isinstance(cell, dict) else 1
            cols = cell.get("colspan", 1) if isinstance(cell, dict) else 1
            for dr in range(rows):
                for dc in range(cols):
                    cells[(r + dr, c + dc)] = cell_text(cell)
            if rows > 1 or cols > 1:
                merges.append((r, r + rows - 1, c, c + cols - 1))
            c += cols
    height = max(r for r, _ in cells) + 1 if cells else 0
    width = max(c for _, c in cells) + 1 if cells else 0
    return [[cells.get((r, c), "") for c in range(width)] for r in range(height)], merges


# -- the font -----------------------------------------------------------------------------------------------

_characters: set[str] = set(ASCII)
_lock = threading.Lock()


def will_serve(document: Document) -> None:
    """Note a file that may be asked for: the PDF font must have its characters."""
    with _lock:
        _characters.update(document.text())


def font_file() -> Path:
    """Noto Sans CJK SC cut to the characters of every file noted so far (made once per set of characters)."""
    with _lock:
        characters = "".join(sorted(_characters))
    path = Path(tempfile.gettempdir()) / "xxgk-simulator-fonts" / \
        f"noto-sans-sc-{hashlib.sha1(characters.encode()).hexdigest()[:16]}.otf"
    if not path.exists():
        from fontTools import subset
        from fontTools.ttLib import TTFont

        font = TTFont(FONT, fontNumber=SC_INDEX, lazy=True)
        options = subset.Options()
        options.layout_features, options.hinting, options.notdef_outline = [], False, True
        cutter = subset.Subsetter(options)
        cutter.populate(unicodes=[ord(c) for c in characters])
        cutter.subset(font)
        out = io.BytesIO()
        font.save(out)
        keep(path, out.getvalue())
    return path


# -- the files ----------------------------------------------------------------------------------------------

_rendered: dict[tuple[str, str], bytes] = {}


def render(document: Document, kind: str) -> bytes:
    """The document as a `kind` file (pdf, docx, xls): rendered once, then kept in memory and in the temporary
    directory (a PDF takes about half a second; a demo serves dozens, and the files never change)."""
    key = (kind, document.key())
    if key not in _rendered:
        cached = cache_dir() / f"{key[1]}.{kind}"
        if cached.exists():
            _rendered[key] = cached.read_bytes()
        else:
            _rendered[key] = {"pdf": pdf_file, "docx": docx_file, "xls": xls_file}[kind](document)
            keep(cached, _rendered[key])
    return _rendered[key]


def cache_dir() -> Path:
    """Where rendered files are kept, under the hash of this module: changing how files are made starts afresh."""
    version = hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / "xxgk-simulator-files" / version


def keep(path: Path, data: bytes) -> None:
    """Write a file whole or not at all, whichever process writes it first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}")
    partial.write_bytes(data)
    os.replace(partial, path)


def pdf_file(document: Document) -> bytes:
    """A4 landscape (the wide statistics tables fit), title, paragraphs, ruled tables."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    will_serve(document)
    pdf = FPDF(orientation="L")
    pdf.set_creation_date(CREATED)
    pdf.add_font("noto", "", str(font_file()))
    pdf.set_font("noto", size=9)
    pdf.add_page()
    pdf.multi_cell(0, 7, document.title, align="C", new_x="LMARGIN", new_y="NEXT")
    for block in document.blocks:
        if isinstance(block, Table):
            cells, _ = grid(block)
            with pdf.table(num_heading_rows=heading_rows(cells), repeat_headings=1, line_height=5,
                           headings_style=FontFace(emphasis=""), col_widths=column_widths(cells),
                           text_align="CENTER") as table:
                for row in block.rows:
                    line = table.row()
                    for cell in row:
                        spans = {k: cell[k] for k in ("rowspan", "colspan") if k in cell} if isinstance(cell, dict) else {}
                        line.cell(cell_text(cell), **spans)
            pdf.ln(3)
        elif block.strip():
            pdf.multi_cell(0, 5.5, "　　" + block.strip(), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def column_widths(cells: list[list[str]]) -> list[float]:
    """Relative widths: a column as wide as its longest text (labels wide, numbers narrow), within bounds."""
    widths = [max(min(len(row[c]), 14) for row in cells) for c in range(len(cells[0]))]
    return [max(width, 3) for width in widths]


def heading_rows(cells: list[list[str]]) -> int:
    """The header rows of a table: those before the first row with a number in it."""
    for n, row in enumerate(cells):
        if any(any(ch.isdigit() for ch in text) and not text.startswith("第") for text in row[1:]):
            return max(n, 1)
    return 1


def docx_file(document: Document) -> bytes:
    """Title, paragraphs, tables with their merged cells merged, as Word keeps them."""
    import docx

    word = docx.Document()
    word.core_properties.created = CREATED.replace(tzinfo=None)
    word.add_heading(document.title, level=1)
    for block in document.blocks:
        if isinstance(block, Table):
            cells, merges = grid(block)
            table = word.add_table(rows=len(cells), cols=len(cells[0]))
            table.style = "Table Grid"
            for row, texts in zip(table.rows, cells, strict=True):  # row.cells once: table.cell() walks the XML
                for cell, text in zip(row.cells, texts, strict=True):
                    cell.text = text
            for top, bottom, left, right in merges:
                merged = table.cell(top, left).merge(table.cell(bottom, right))
                merged.text = cells[top][left]
        elif block.strip():
            word.add_paragraph(block.strip())
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def xls_file(document: Document) -> bytes:
    """One sheet per table (表1, 表2…): the table's heading in the first row, then the table, merges kept."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    heading = ""
    tables = 0
    for block in document.blocks:
        if not isinstance(block, Table):
            heading = block.strip() or heading
            continue
        tables += 1
        sheet = book.add_sheet(f"表{tables}")
        sheet.write(0, 0, document.title)
        sheet.write(1, 0, heading)
        cells, merges = grid(block)
        merged = {(r, c) for top, bottom, left, right in merges for r in range(top, bottom + 1)
                  for c in range(left, right + 1)}
        for top, bottom, left, right in merges:
            sheet.write_merge(top + 2, bottom + 2, left, right, number(cells[top][left]))
        for r, row in enumerate(cells):
            for c, text in enumerate(row):
                if (r, c) not in merged:
                    sheet.write(r + 2, c, number(text))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def number(text: str) -> str | int | float:
    """A spreadsheet keeps counts as numbers: "12" -> 12, "3820.5" -> 3820.5; anything else as text."""
    try:
        return int(text) if text.isdigit() else float(text) if text.replace(".", "", 1).isdigit() else text
    except ValueError:
        return text

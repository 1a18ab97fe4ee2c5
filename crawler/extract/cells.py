"""Table sources to rows of cell texts: HTML tables with spans expanded, and flattened text in its three shapes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import lxml.html

from crawler.extract.chinese import normalise_digits
from crawler.extract.document import text_nodes

NUMBER = re.compile(r"^([+\-−－]?)\s*(\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.(\d+))?\s*(万元|亿元|元|件|条|个|次|项|人次|%)?$")
BLANKS = {"", "—", "——", "－", "-", "--", "–", "/", "／", "无", "…", "\\"}
SEPARATOR_LINE = re.compile(r"^\|{2,}$")


@dataclass
class Row:
    """One table row; `mode` says how far positions can be trusted (grid/pipe/cell exact, space loose)."""

    cells: list[str]
    mode: str


@lru_cache(maxsize=16384)  # cell texts repeat (labels, 0, —) within and across tables
def clean(text: str) -> str:
    """Cell text with whitespace (incl. nbsp and U+3000) collapsed and full-width digits made ASCII."""
    return " ".join(normalise_digits(text.replace("\xa0", " ")).split())


@lru_cache(maxsize=16384)
def is_value(text: str) -> bool:
    """True for a number, a blank or a not-applicable dash: what a data cell may hold."""
    text = clean(text)
    return text in BLANKS or bool(NUMBER.match(text.replace(" ", "")))


@lru_cache(maxsize=16384)
def parse_value(text: str | None) -> tuple[int | float | None, str | None]:
    """(number, unit) of a data cell; blanks, dashes and unreadable text give (None, None), never 0."""
    if text is None:
        return None, None
    squeezed = clean(text).replace(" ", "")
    m = NUMBER.match(squeezed)
    if not m:
        return None, None
    sign, digits, fraction, unit = m.groups()
    digits = digits.replace(",", "").replace("，", "")
    number: int | float = float(f"{digits}.{fraction}") if fraction else int(digits)
    return (-number if sign and sign != "+" else number), unit


def _cell_text(cell: lxml.html.HtmlElement) -> str:
    """Text of a cell, Word markup (<o:p>, spans, &nbsp;) flattened."""
    return clean(" ".join(text_nodes(cell)))


def _span(cell: lxml.html.HtmlElement, name: str) -> int:
    """rowspan/colspan as an int in 1..100 (Word writes odd values)."""
    value = cell.get(name)
    if value is None:
        return 1
    try:
        return max(1, min(100, int(str(value).strip() or 1)))
    except ValueError:
        return 1


def html_grid(table: lxml.html.HtmlElement) -> list[Row]:
    """Rows of a table with rowspan/colspan expanded: a spanning cell's text fills every position it covers."""
    taken: dict[tuple[int, int], str] = {}
    rows = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):  # comments' tag is a function: never equal
                continue
            while (r, c) in taken:
                c += 1
            text, rs, cs = _cell_text(cell), _span(cell, "rowspan"), _span(cell, "colspan")
            if rs == cs == 1:
                taken[r, c] = text
            else:
                for dr in range(rs):
                    for dc in range(cs):
                        taken.setdefault((r + dr, c + dc), text)
            c += cs
    widths: dict[int, int] = {}
    for r, c in taken:
        widths[r] = max(widths.get(r, 0), c + 1)
    out = []
    for r in range(len(rows)):
        cells = [taken.get((r, c), "") for c in range(widths.get(r, 0))]
        if any(cells):
            out.append(Row(cells, "grid"))
    return out


def leaf_tables(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Tables that hold no other table (layout frames skipped)."""
    return root.xpath("//table[not(.//table)]")


ANCHORS = {"信息内容", "行政复议", "自然人", "统计指标"}


def _space_row(line: str) -> Row | None:
    """A `label 1 2 3` line (PDF/OCR text) as a row, when it ends in at least two numbers, is all numbers or is a header."""
    tokens = line.split()
    if tokens and (ANCHORS & set(tokens) or tokens[0].startswith("第二十条")):
        return Row(tokens, "space")
    i = len(tokens)
    while i > 0 and is_value(tokens[i - 1]) and clean(tokens[i - 1]) not in ("", "无"):
        i -= 1
    values = tokens[i:]
    if len(values) >= 2 or (values and i == 0):
        return Row(([" ".join(tokens[:i])] if i else []) + values, "space")
    return None


def text_blocks(text: str, loose: bool = False) -> list[list[Row]]:
    """Runs of table rows in flattened text (` | ` rows, one `cell |` per line, and with loose=True `label 1 2`)."""
    blocks: list[list[Row]] = [[]]
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        row = None
        if SEPARATOR_LINE.match(line):
            continue
        if line.endswith("|") and "|" not in line[:-1].strip():
            row = Row([clean(line[:-1])], "cell")
        elif "|" in line:
            row = Row([clean(c) for c in line.strip("|").split("|")], "pipe")
        elif loose:
            row = _space_row(clean(line))
        if row is None:
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append(row)
    return [b for b in blocks if b]

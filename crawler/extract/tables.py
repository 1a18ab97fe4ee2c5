"""A report's statistics as data: `parse_report(source)` on an HTML page, PDF, DOCX, XLS(X), image or flattened text."""

from __future__ import annotations

from pathlib import Path

from crawler.extract.attachments import Attachment, read_attachment, sniff
from crawler.extract.cells import Row, html_grid, leaf_tables, text_blocks
from crawler.extract.checks import run_checks
from crawler.extract.chinese import PINYIN, is_pinyin_annotated, is_traditional, strip_pinyin, to_simplified
from crawler.extract.document import ExtractionError, load, page_tree
from crawler.extract.report import classify, report_format
from crawler.extract.statistics import continues, parse_pre2019, parse_t2, parse_t3, parse_t4, segments
from crawler.extract.templates import T2_FMT2021_MARKS, T3_LEAVES, key
from crawler.extract.titles import guess_title

__all__ = ["parse_report", "parse_blocks", "report_from_text"]


def parse_blocks(blocks: list[list[Row]], fmt: str | None = None) -> tuple[list[dict], list[str], set[str]]:
    """(cells, problems, table kinds found) of every statistics table in these blocks of rows."""
    cells: list[dict] = []
    problems: list[str] = []
    kinds: set[str] = set()
    merged: list[tuple[str, list[Row]]] = []
    for block in blocks:
        for kind, rows in segments(block):
            # one table cut by a page break or by a line the flattening left without cells
            if merged and (merged[-1][0] == kind or (kind is None and continues(merged[-1][0], rows[0]))):
                merged[-1][1].extend(rows)
            elif kind:
                merged.append((kind, list(rows)))
    parsers = {"t2": lambda r: parse_t2(r, fmt, problems), "t3": lambda r: parse_t3(r, problems),
               "t4": lambda r: parse_t4(r, problems), "pre2019": lambda r: parse_pre2019(r, problems)}
    for kind, rows in merged:
        if kind in kinds:
            problems.append(f"{kind}: a second table of this kind ignored")
            continue
        if parsed := parsers[kind](rows):
            kinds.add(kind)
            cells += parsed
    return cells, problems, kinds


def normalise_text(text: str) -> str:
    """Toolbar pinyin removed and Traditional converted, as for pages."""
    if is_pinyin_annotated(text) or len(PINYIN.findall(text)) >= 3:
        text = strip_pinyin(text)
    return to_simplified(text) if is_traditional(text) else text


def _is_fmt2021(cells: list[dict]) -> bool:
    """True when the tables use the 2021 template's wording."""
    new_leaves = {key(x) for x in T3_LEAVES["其他处理"][:2]}
    return any(c["col"] in T2_FMT2021_MARKS or c["row"] in T2_FMT2021_MARKS
               or key(c["row"].rsplit("/", 1)[-1]) in new_leaves for c in cells)


def report_from_text(title: str | None, text: str, blocks: list[list[Row]], source: str) -> dict:
    """The parse_report result from a report's title, text and table rows."""
    kind = classify(title, text)
    year = kind.year
    cells, problems, kinds = parse_blocks(blocks, "fmt2021" if year and year >= 2021 else None)
    fmt = report_format(year, text, kinds, _is_fmt2021(cells)) if kind.is_report or kinds else None
    return {"report_year": year, "agency": kind.agency, "title": title, "format": fmt, "source": source,
            "cells": cells, "checks": run_checks(cells), "problems": problems}


def page_grids(html: str | bytes) -> list[list[Row]]:
    """Rows of every leaf <table> of a page that has any, from the tree extract() parsed."""
    return [g for t in leaf_tables(page_tree(html)[1]) if (g := html_grid(t))]


def _from_html(html: str | bytes, url: str | None) -> dict:
    """parse_report on an HTML page: fields from extract(), tables from the page's own <table> grids."""
    from crawler.extract import extract

    fields = extract(html, url)
    blocks = page_grids(html)
    return report_from_text(fields["title"], fields["text"], blocks, "html")


def page_tables(html: str | bytes, year: int | None = None) -> tuple[list[dict], list[dict]]:
    """(cells, checks) of the statistics tables in a page's own <table> grids."""
    cells = parse_blocks(page_grids(html), "fmt2021" if year and year >= 2021 else None)[0]
    return cells, run_checks(cells)


def attachment_report(att: Attachment) -> dict:
    """parse_report result of an attachment already read."""
    return _from_attachment(att)


def _from_attachment(att: Attachment) -> dict:
    """parse_report on a file's text and tables."""
    text = normalise_text(att.text)
    blocks = [[Row([normalise_text(c) for c in r.cells], r.mode) for r in b] for b in att.blocks]
    return report_from_text(guess_title(text), text, blocks, att.kind + ("+ocr" if att.ocr else ""))


def parse_report(source: str | bytes | Path, url: str | None = None, filename: str | None = None) -> dict:
    """report_year, agency, format, cells and checks of a report given as a path, bytes or text."""
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source and len(source) < 4096
                                    and Path(source).is_file()):
        path = Path(source)
        return parse_report(path.read_bytes(), url, filename or path.name)
    if isinstance(source, str):
        try:
            load(source)
            return _from_html(source, url)
        except ExtractionError:
            text = normalise_text(source)
            return report_from_text(guess_title(text), text, text_blocks(text, loose="|" not in text), "text")
    kind = sniff(source, filename or url)
    if kind == "html":
        return _from_html(source, url)
    return _from_attachment(read_attachment(source, filename or url))

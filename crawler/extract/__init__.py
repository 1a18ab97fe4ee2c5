"""Extraction of annual-report pages: metadata fields, report year, agency, column path and clean body text."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from crawler.extract.body import container_text, fallback_text
from crawler.extract.dates import date_problem, parse_date
from crawler.extract.document import ExtractionError, page_tree
from crawler.extract.families import detect
from crawler.extract.listing import fill_from_list
from crawler.extract.metadata import conflicts, extract_metadata, from_meta_tags, page_fields, site_meta
from crawler.extract.regions import admin_level, region_code
from crawler.extract.report import before_2019, classify, column_path, report_format, sections
from crawler.extract.titles import page_title
from crawler.fields import METADATA, METADATA_KEYS

__all__ = ["ExtractionError", "extract", "extract_file", "parse_date"]


def extract(html: str | bytes, url: str | None = None, listed: Mapping | None = None) -> dict:
    """Fields, report year, agency, column path, body text and family of one report page; `listed` (the entry of the
    list row that linked it: title, date, index_no, doc_number, publisher…) fills what the page does not show."""
    text, root = page_tree(html)
    family, container = detect(root)
    shown, tags = page_fields(root, container), from_meta_tags(root)
    meta = extract_metadata(shown, tags)
    body = container_text(container) if container is not None else fallback_text(text)
    site = site_meta(root)
    result = {field.key: parse_date(meta.get(field.label)) if field.date else meta.get(field.label)
              for field in METADATA}
    result["title"] = page_title(root, family, shown.get("标题"), tags.get("标题"),
                                 (site["site_name"], site["column_name"]), body)
    fill_from_list(result, listed)
    kind = classify(result["title"], body)  # a year or agency is read only into an annual report
    result |= {
        "report_year": kind.year, "agency": kind.agency, "column_path": column_path(root),
        "text": body, "family": family.name if family else None,
        "site_code": site["site_code"], "column_name": site["column_name"],
        "region_code": region_code(kind.agency, site["site_code"]), "admin_level": admin_level(kind.agency),
        "format": report_format(kind.year, body, _table_kinds(body, kind.year)) if kind.is_report else None,
        "sections": sections(body),
        "conflicts": conflicts(shown, tags),
        "date_problems": [{"field": field.key, "value": meta[field.label], "problem": problem}
                          for field in METADATA if field.date and (problem := date_problem(meta.get(field.label)))],
    }
    return {key: result[key] for key in ORDER}


ORDER = (*METADATA_KEYS, "report_year", "agency", "column_path", "text", "family", "site_code", "column_name", "region_code",
         "admin_level", "format", "sections", "conflicts", "date_problems")


def _table_kinds(text: str, year: int | None) -> set[str]:
    """Statistics tables present in the body text (their kinds); not read when the year alone gives the format."""
    from crawler.extract.cells import text_blocks
    from crawler.extract.tables import parse_blocks

    return set() if before_2019(year) else parse_blocks(text_blocks(text))[2]


def extract_file(path: str, url: str | None = None, listed: Mapping | None = None) -> dict:
    """extract() on a saved page; ExtractionError with a one-line message if the file cannot be read."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ExtractionError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ExtractionError(f"{path}: is a directory") from None
    except OSError as exc:
        raise ExtractionError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return extract(data, url=url, listed=listed)

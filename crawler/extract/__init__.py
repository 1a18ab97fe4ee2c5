"""Extraction of annual-report pages: metadata fields, report year, agency, column path and clean body text."""

from __future__ import annotations

from pathlib import Path

from crawler.extract.body import container_text, fallback_text
from crawler.extract.dates import date_problem, parse_date
from crawler.extract.document import ExtractionError, page_tree
from crawler.extract.families import detect, family_title
from crawler.extract.metadata import conflicts, extract_metadata, from_meta_tags, page_fields, site_meta
from crawler.extract.regions import admin_level, region_code
from crawler.extract.report import agency, before_2019, column_path, report_format, report_year, sections
from crawler.fields import METADATA, METADATA_KEYS

__all__ = ["ExtractionError", "extract", "extract_file", "parse_date"]



def extract(html: str | bytes, url: str | None = None) -> dict:
    """Fields, report year, agency, column path, body text and family of one report page."""
    text, root = page_tree(html)
    family, container = detect(root)
    shown, tags = page_fields(root, container), from_meta_tags(root)
    meta = extract_metadata(shown, tags)
    body = container_text(container) if container is not None else fallback_text(text)
    title = meta.get("标题") or family_title(root, family) or _title_tag(root)
    result = {field.key: parse_date(meta.get(field.label)) if field.date else meta.get(field.label)
              for field in METADATA}
    result |= {
        "title": title, "report_year": report_year(title, body),
        "agency": agency(title), "column_path": column_path(root), "text": body,
        "family": family.name if family else None,
    }
    site = site_meta(root)
    result |= {
        "site_code": site["site_code"], "column_name": site["column_name"],
        "region_code": region_code(result["agency"], site["site_code"]), "admin_level": admin_level(result["agency"]),
        "format": report_format(result["report_year"], body, _table_kinds(body, result["report_year"])),
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


def _title_tag(root) -> str | None:
    """The <title>, without a trailing `_site name`."""
    found = root.xpath("//title")
    text = " ".join(found[0].text_content().split()) if found else ""
    return text.split("_")[0].strip() or None


def extract_file(path: str, url: str | None = None) -> dict:
    """extract() on a saved page; ExtractionError with a one-line message if the file cannot be read."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ExtractionError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ExtractionError(f"{path}: is a directory") from None
    except OSError as exc:
        raise ExtractionError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return extract(data, url=url)

"""Extract metadata, report year, agency, clean text and statistics tables from report pages and attachments."""

from __future__ import annotations

import logging
from pathlib import Path

from crawler.extract import ExtractionError, extract
from crawler.items import AttachmentItem, DocumentItem

logger = logging.getLogger(__name__)


class ExtractionPipeline:
    def __init__(self, stats, warc_dir: str):
        self.stats, self.warc_dir = stats, warc_dir

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, str(Path(crawler.settings["XXGK_DATA_DIR"]) / "warc"))

    def process_item(self, item, spider=None):
        if isinstance(item, AttachmentItem):
            item["fields"] = extract_attachment(item, self.warc_dir)
            if item["fields"].get("extract_error"):
                logger.warning("could not read attachment %s: %s", item["url"], item["fields"]["extract_error"])
                self.stats.inc_value("xxgk/extract/attachment_errors")
            return item
        if not isinstance(item, DocumentItem):
            return item
        try:
            item["fields"] = extract(item["html"], item["url"])
        except ExtractionError as exc:
            # The page stays archived and stored; only its fields are missing.
            logger.error("could not extract %s: %s", item["url"], exc)
            self.stats.inc_value("xxgk/extract/errors")
            item["fields"] = {"extract_error": str(exc)}
        page_cells(item)
        return item


def page_cells(item: DocumentItem) -> None:
    """Add the page's statistics-table cells and checks to its fields (tables read from the page's own grids)."""
    from crawler.extract.tables import page_tables

    fields = item["fields"]
    if fields.get("extract_error"):
        return
    try:
        cells, checks = page_tables(item["html"], fields.get("report_year"))
    except Exception as exc:  # noqa: BLE001 - a table the parser trips on must not lose the page
        logger.error("could not parse the tables of %s: %s: %s", item["url"], type(exc).__name__, exc)
        return
    fields["cells"], fields["checks"] = cells, checks


def extract_attachment(item: AttachmentItem, warc_dir: str) -> dict:
    """Text, cells and checks of an attachment, its body read back from the WARC; extract_error when unreadable."""
    from crawler.extract.attachments import AttachmentError, read_attachment
    from crawler.extract.payload import read_payload
    from crawler.extract.tables import attachment_report

    capture = item.get("capture")
    data = read_payload(warc_dir, capture) if capture else None
    if data is None:
        return {"extract_error": "body not found in the archive"}
    try:
        att = read_attachment(data, item.get("filename") or item.get("url"))
    except AttachmentError as exc:
        return {"extract_error": str(exc)}
    except Exception as exc:  # noqa: BLE001 - a damaged file must not stop the crawl
        return {"extract_error": f"{type(exc).__name__}: {exc}"}
    report = attachment_report(att)
    return {"kind": report["source"], "text": att.text, "report_year": report["report_year"],
            "format": report["format"], "cells": report["cells"], "checks": report["checks"]}

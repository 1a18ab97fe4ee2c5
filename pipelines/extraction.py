"""Extract metadata, report year, agency and clean text from each report page."""

from __future__ import annotations

import logging

from crawler.extract import ExtractionError, extract
from crawler.items import DocumentItem

logger = logging.getLogger(__name__)


class ExtractionPipeline:
    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item, spider=None):
        if not isinstance(item, DocumentItem):
            return item
        try:
            item["fields"] = extract(item["html"], item["url"])
        except ExtractionError as exc:
            # The page stays archived and stored; only its fields are missing.
            logger.error("could not extract %s: %s", item["url"], exc)
            self.stats.inc_value("xxgk/extract/errors")
            item["fields"] = {"extract_error": str(exc)}
        return item

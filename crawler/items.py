"""What spiders hand to the pipelines: column listings, report pages and attachments."""

from __future__ import annotations

import scrapy


class ListingItem(scrapy.Item):
    """One page of an annual-report column, with the entries it listed."""

    site = scrapy.Field()
    url = scrapy.Field()
    column = scrapy.Field()  # URL of the column's first page
    page = scrapy.Field()  # 1-based page number within the column
    entries = scrapy.Field()  # list of {"url", "title", "date"} as listed
    capture = scrapy.Field()  # archive.capture.Capture dict of this page's response


class DocumentItem(scrapy.Item):
    """A report (detail) page as fetched; pipelines add the extracted fields."""

    site = scrapy.Field()
    url = scrapy.Field()
    status = scrapy.Field()
    html = scrapy.Field()  # decoded page text
    list_title = scrapy.Field()  # title as shown in the column list
    list_date = scrapy.Field()  # date as shown in the column list
    column = scrapy.Field()
    attachments = scrapy.Field()  # absolute URLs of attachments linked from the page
    capture = scrapy.Field()
    unchanged = scrapy.Field()  # True: every part answered 304 (read from the archive, not extracted again)
    fields = scrapy.Field()  # set by pipelines.extraction: crawler.extract.extract() output
    entry = scrapy.Field()  # what the list row said: url, title, date, and index_no, publisher, doc_number if shown
    file = scrapy.Field()  # True: a report published only as a file (PDF, DOCX, XLS…), html is None
    filename = scrapy.Field()  # a file document's name (Content-Disposition or URL)


class AttachmentItem(scrapy.Item):
    """A file linked from a report page (PDF, DOC, XLS, …)."""

    site = scrapy.Field()
    url = scrapy.Field()
    document_url = scrapy.Field()
    status = scrapy.Field()
    filename = scrapy.Field()
    content_type = scrapy.Field()
    size = scrapy.Field()
    sha1 = scrapy.Field()
    capture = scrapy.Field()
    unchanged = scrapy.Field()  # True: answered 304 (read from the archive, not extracted again)
    fields = scrapy.Field()  # set by pipelines.extraction: text, kind, report_year, format, cells, checks


class CaptureItem(scrapy.Item):
    """An archived response that became no other item: an HTTP error or a blocked (challenge) page."""

    site = scrapy.Field()
    url = scrapy.Field()
    kind = scrapy.Field()  # list | document | attachment
    outcome = scrapy.Field()  # error | blocked
    capture = scrapy.Field()

"""Records of what a browser received: every network response of a page loaded through scrapy-playwright.

The browser hands over bodies already content-decoded, so Content-Encoding and a
Content-Length that no longer matches are stored as X-Orig-…; the status line's
protocol is unknown to the page API and written as HTTP/1.1.
"""

from __future__ import annotations

import logging

from warcio.recordloader import ArcWarcRecord

from archive.records import FRAMING_HEADERS, http_request_record, http_response_record, stored_headers

logger = logging.getLogger(__name__)

DECODED_BY_BROWSER = FRAMING_HEADERS | {"content-encoding"}


def latin1(value: str) -> str:
    """A header value as the latin-1 text of its bytes (browsers may hand over UTF-8 decoded text)."""
    try:
        value.encode("latin-1")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-8").decode("latin-1")


def _pairs(headers: list[dict]) -> list[tuple[str, str]]:
    return [(h["name"], latin1(h["value"])) for h in headers if not h["name"].startswith(":")]


async def browser_records(response, date: str) -> list[ArcWarcRecord]:
    """[response, request] records for one Playwright response."""
    try:
        body = await response.body()
    except Exception as exc:  # noqa: BLE001 - Playwright has no body for redirects and some aborted loads
        logger.debug("no body for %s: %s", response.url, exc)
        body = b""
    address = await response.server_addr()
    headers = stored_headers(_pairs(await response.headers_array()), body, renamed=DECODED_BY_BROWSER)
    record = http_response_record(response.url, response.status, headers, body, date,
                                  ip=address["ipAddress"] if address else None, reason=response.status_text)
    request = response.request
    request_record = http_request_record(
        request.url, request.method, _pairs(await request.headers_array()), request.post_data_buffer or b"", date,
        record.rec_headers.get_header("WARC-Record-ID"),
    )
    return [record, request_record]


SETTLE_TIMEOUT_MS = 15_000


async def settle(page, timeout_ms: int = SETTLE_TIMEOUT_MS) -> bool:
    """Wait until the page has made no request for 500 ms (its own fetch()/XHR calls answered and rendered);
    False if it never went quiet (a page that polls): its DOM is then read as it stands."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    try:
        await page.wait_for_load_state("networkidle", timeout=timeout_ms)
    except PlaywrightTimeout:
        logger.info("%s: the network never went idle in %d ms; the DOM is saved as it stands", page.url, timeout_ms)
        return False
    return True


def settle_methods() -> list:
    """scrapy-playwright page methods run before the DOM is read."""
    from scrapy_playwright.page import PageMethod

    return [PageMethod(settle)]


def is_page_document(response) -> bool:
    """The main frame's own document (not a script, an XHR or a frame)."""
    request = response.request
    return request.is_navigation_request() and request.frame.parent_frame is None

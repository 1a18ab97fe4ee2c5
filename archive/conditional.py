"""Conditional requests: ask only whether an archived page or file changed, and answer a 304 from the archive.

A downloader middleware (order 945, just inside the capture middleware). Requests the
spider marks `meta["xxgk_conditional"]` (report pages, their parts, attachments) get
`If-None-Match`/`If-Modified-Since` with the validators the digest index holds for the
URL. The capture middleware sees the 304 first and archives it as a server-not-modified
revisit; this middleware then hands the spider the archived response instead, flagged
NOT_MODIFIED_FLAG, so it reads the page it already has and does not extract it again.
Scrapy's HTTP cache would hide the 304 from the archive; this never does.
"""

from __future__ import annotations

import logging
from pathlib import Path

from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.responsetypes import responsetypes
from sqlalchemy.exc import SQLAlchemyError

from archive.digests import DigestIndex
from archive.stored import load_response

logger = logging.getLogger(__name__)

NOT_MODIFIED_FLAG = "xxgk:not-modified"
VALIDATOR_HEADERS = ("If-None-Match", "If-Modified-Since")


class ConditionalRequestMiddleware:
    def __init__(self, crawler, index: DigestIndex, warc_dir: Path):
        self.stats, self.index, self.warc_dir = crawler.stats, index, warc_dir

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("XXGK_CONDITIONAL_REQUESTS", True):
            raise NotConfigured
        return cls(crawler, DigestIndex.of(crawler), Path(settings["XXGK_DATA_DIR"]) / "warc")

    def process_request(self, request: Request) -> None:
        if not request.meta.get("xxgk_conditional"):
            return None
        # a redirect copies the headers of the request it follows: validators belong to one URL only
        for name in VALIDATOR_HEADERS:
            request.headers.pop(name, None)
        request.meta.pop("xxgk_validated", None)
        if request.meta.get("xxgk_unconditional"):
            return None
        try:
            original = self.index.latest(request.url)
        except SQLAlchemyError as exc:
            logger.error("digest index lookup failed for %s: %s", request.url, exc)
            return None
        if original is None or not (original.etag or original.last_modified):
            return None
        if original.etag:
            request.headers["If-None-Match"] = original.etag
        if original.last_modified:
            request.headers["If-Modified-Since"] = original.last_modified
        request.meta["xxgk_validated"] = original.as_dict()
        request.meta["handle_httpstatus_list"] = [*request.meta.get("handle_httpstatus_list", ()), 304]
        self.stats.inc_value("xxgk/conditional/requests")
        return None

    def process_response(self, request: Request, response: Response) -> Request | Response:
        validated = request.meta.get("xxgk_validated")
        if response.status != 304 or not validated:
            return response
        if "xxgk_original" in request.meta:  # read by the capture middleware, off the reactor
            stored = request.meta.pop("xxgk_original")
        else:
            stored = load_response(self.warc_dir, validated["warc_file"], validated["offset"], validated["length"])
        if stored is None:
            logger.warning("%s: not modified, but its archived copy is gone; fetching it again", request.url)
            self.stats.inc_value("xxgk/conditional/refetched")
            meta = {**request.meta, "xxgk_unconditional": True}
            meta.pop("xxgk_validated", None)
            return request.replace(meta=meta, dont_filter=True)
        self.stats.inc_value("xxgk/conditional/not_modified")
        # not Set-Cookie: the archived response's cookies are stale and must not reach the cookie jar
        headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in stored.headers
                   if name.lower() != "set-cookie"]
        cls = responsetypes.from_args(headers=dict(headers), url=request.url, body=stored.body)
        return cls(url=request.url, status=stored.status, headers=_multi(headers), body=stored.body,
                   flags=[*response.flags, NOT_MODIFIED_FLAG], request=request, ip_address=response.ip_address,
                   protocol=response.protocol)


def _multi(pairs: list[tuple[bytes, bytes]]) -> dict[bytes, list[bytes]]:
    """Header pairs as Scrapy's Headers take them, repeated names (Set-Cookie) kept."""
    headers: dict[bytes, list[bytes]] = {}
    for name, value in pairs:
        headers.setdefault(name, []).append(value)
    return headers

"""Pages decoded by what their bytes are: a header or <meta> charset the bytes contradict (UTF-8 declared on GBK,
GB2312 on UTF-8) is overruled, and counted. The archive keeps the bytes as they came."""

from __future__ import annotations

from scrapy.http import HtmlResponse, Response
from w3lib.encoding import http_content_type_encoding

from crawler import faults
from crawler.extract.document import decode_page


class CharsetMiddleware:
    """Give each HTML page the encoding its bytes are in (crawler/extract/document.decode_page)."""

    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_response(self, request, response: Response) -> Response:
        if not isinstance(response, HtmlResponse) or not 200 <= response.status < 300 or not response.body:
            return response
        header = http_content_type_encoding(response.headers.get(b"Content-Type", b"").decode("latin-1"))
        decoded = decode_page(response.body, header)
        if decoded.fault:
            faults.count(self.stats, decoded.fault, response.url)
        if decoded.encoding == response.encoding:
            return response
        return response.replace(encoding=decoded.encoding)

"""The live CDXJ index (made while records are written) equals cdxj-indexer's index of the closed file."""

from __future__ import annotations

import copy
from pathlib import Path

from scrapy.http import FormRequest, Request, Response

from archive.index import index_warc
from archive.records import (
    metadata_record,
    request_record,
    resource_record,
    response_record,
    response_revisit,
)
from archive.warc import RotatingWarcWriter, _warcio_bytes, record_bytes

DATE = "2026-11-22T10:00:00.000000Z"


def exchanges():
    for n in range(40):
        if n % 5 == 0:
            request = FormRequest(f"http://127.0.0.1:8080/search.jsp?n={n}", formdata={"q": "年报", "page": str(n)})
        elif n % 5 == 1:
            request = Request(f"http://127.0.0.1:8080/api/{n}", method="POST", body=b'{"a": 1}',
                              headers={"Content-Type": "application/json"})
        else:
            request = Request(f"http://127.0.0.1:8080/p/{n}.html" + ("?x=1" if n % 2 else ""))
        body = (f"<html><body>{n}</body></html>" * (n + 1)).encode()
        content_type = [b"text/html; charset=GBK", b"application/pdf", b" text/plain", b"TEXT/HTML;charset=utf-8"][n % 4]
        response = Response(request.url, status=[200, 404, 302, 200, 500][n % 5],
                            headers={"Content-Type": content_type, "ETag": f'"e{n}"',
                                     "Content-Disposition": b'attachment; filename="' + "年报.pdf".encode(
                                         "gbk" if n % 2 else "utf-8") + b'"'}, body=body, request=request)
        yield n, request, response


def write(directory: Path, live: bool) -> Path:
    writer = RotatingWarcWriter(directory, "t", 10**9, {"spider": "x"}, live_index=live)
    for n, request, response in exchanges():
        resp = response_record(response, DATE)
        record_id = resp.rec_headers.get_header("WARC-Record-ID")
        group = [resp, request_record(request, DATE, record_id)]
        if n % 3 == 0:
            group.append(metadata_record(request.url, DATE, record_id, [("outlink", "http://x/ L a/@href")]))
        if n % 7 == 0:
            group.append(resource_record(f"urn:xxgk:dom:{request.url}", "text/html; charset=utf-8", response.body,
                                         DATE, record_id, request.url))
        writer.write(group)
        if n % 4 == 1:
            original = {"record_id": record_id, "digest": resp.rec_headers.get_header("WARC-Payload-Digest"),
                        "url": request.url, "date": DATE}
            revisit = response_revisit(response, DATE, original)
            writer.write([revisit, request_record(request, DATE, revisit.rec_headers.get_header("WARC-Record-ID"))])
    writer.close()
    return writer.closed_files[0]


def test_live_index_equals_the_index_read_back(tmp_path):
    warc = write(tmp_path / "live" / "warc", live=True)
    live = (tmp_path / "live" / "indexes" / f"{warc.name}.cdxj").read_text(encoding="utf-8")
    assert not list((tmp_path / "live" / "indexes").glob("*.unsorted"))
    read_back = index_warc(warc).read_text(encoding="utf-8")
    assert live.count("\n") > 50 and "__wb_method=post" in live
    assert live == read_back


def test_records_built_in_one_piece_are_the_bytes_warcio_writes():
    """archive.warc.record_bytes (one buffer, payload digest computed once) against warcio's own WARCWriter."""
    for n, request, response in exchanges():
        resp = response_record(response, DATE)
        record_id = resp.rec_headers.get_header("WARC-Record-ID")
        records = [resp, request_record(request, DATE, record_id),
                   metadata_record(request.url, DATE, record_id, [("outlink", f"http://x/{n} L a/@href")]),
                   resource_record(f"urn:xxgk:dom:{request.url}", "text/html", response.body, DATE, record_id,
                                   request.url),
                   response_revisit(response, DATE, {"record_id": record_id, "url": request.url, "date": DATE,
                                                     "digest": resp.rec_headers.get_header("WARC-Payload-Digest")})]
        for record in records:
            expected = _warcio_bytes(copy.deepcopy(record))
            assert record_bytes(record) == expected, (n, record.rec_type)

"""WARC writing: records rebuilt byte-faithfully, one gzip member each, `.open` files renamed on close."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from scrapy.http import Request, Response
from warcio.archiveiterator import ArchiveIterator

from archive.records import request_record, response_record
from archive.salvage import salvage
from archive.warc import OPEN_SUFFIX, RotatingWarcWriter

GBK_NAME = "漳县2019年报告.pdf".encode("gbk")
DATE = "2026-11-22T10:00:00.000000Z"


def sample_exchange(body: bytes = b"\x1f\x8b gzip bytes stay as sent") -> tuple[Request, Response]:
    request = Request(
        "http://127.0.0.1:8080/module/xxgk/search.jsp?currpage=2&area=x", method="POST", body=b"a=1&b=%E5%B9%B4",
        headers={"Cookie": "JSESSIONID=abc", "Accept-Encoding": "gzip, deflate"},
    )
    headers = [
        (b"Content-Type", b"application/pdf"),
        (b"Content-Encoding", b"gzip"),
        (b"Set-Cookie", b"a=1; Path=/"),
        (b"Set-Cookie", b"b=2; Path=/"),
        (b"Content-Disposition", b'attachment; filename="' + GBK_NAME + b'"'),
        (b"Transfer-Encoding", b"chunked"),
        (b"Content-Length", b"9999"),
    ]
    response = Response(request.url, status=200, headers=headers, body=body, request=request, protocol="HTTP/1.1")
    return request, response


def read_records(path: Path) -> list:
    with open(path, "rb") as stream:
        return [(r.rec_type, r.rec_headers, r.http_headers, r.raw_stream.read()) for r in ArchiveIterator(stream)]


def test_response_record_keeps_status_line_headers_and_encoded_body(tmp_path):
    request, response = sample_exchange()
    writer = RotatingWarcWriter(tmp_path, "t", 10**9)
    writer.write([response_record(response, DATE)])
    writer.close()
    (_, _, _, _), (rec_type, rec_headers, http, body) = read_records(writer.closed_files[0])
    assert rec_type == "response"
    assert http.protocol == "HTTP/1.1" and http.statusline == "200 OK"
    assert [v for k, v in http.headers if k == "Set-Cookie"] == ["a=1; Path=/", "b=2; Path=/"]
    disposition = http.get_header("Content-Disposition").encode("latin-1")
    assert GBK_NAME in disposition, "the raw GBK bytes of the file name are kept"
    assert http.get_header("Content-Encoding") == "gzip"
    assert http.get_header("Transfer-Encoding") is None
    assert http.get_header("X-Orig-Transfer-Encoding") == "chunked"
    assert http.get_header("X-Orig-Content-Length") == "9999"
    assert body == response.body
    assert rec_headers.get_header("WARC-Payload-Digest").startswith("sha1:")


def test_request_record_has_request_line_host_headers_and_body(tmp_path):
    request, response = sample_exchange()
    writer = RotatingWarcWriter(tmp_path, "t", 10**9)
    resp = response_record(response, DATE)
    writer.write([resp, request_record(request, DATE, resp.rec_headers.get_header("WARC-Record-ID"))])
    writer.close()
    records = read_records(writer.closed_files[0])
    rec_type, rec_headers, http, body = records[2]
    assert rec_type == "request"
    assert http.protocol == "POST" and http.statusline == "/module/xxgk/search.jsp?currpage=2&area=x HTTP/1.1"
    assert http.get_header("Host") == "127.0.0.1:8080"
    assert http.get_header("Cookie") == "JSESSIONID=abc"
    assert body == b"a=1&b=%E5%B9%B4"
    assert rec_headers.get_header("WARC-Concurrent-To") == records[1][1].get_header("WARC-Record-ID")


def test_one_gzip_member_per_record_and_locations_point_at_them(tmp_path):
    request, response = sample_exchange()
    writer = RotatingWarcWriter(tmp_path, "t", 10**9)
    location, _ = writer.write([response_record(response, DATE), request_record(request, DATE, "<urn:x>")])
    writer.close()
    data = writer.closed_files[0].read_bytes()
    member = data[location.offset:location.offset + location.length]
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    record = decompressor.decompress(member)
    assert decompressor.eof and not decompressor.unused_data, "the location covers exactly one gzip member"
    assert record.startswith(b"WARC/1.1\r\n") and b"WARC-Type: response" in record
    assert gzip.decompress(data).count(b"WARC/1.1\r\n") == 3  # warcinfo, response, request


def test_open_while_written_renamed_on_close_and_rotated_by_size(tmp_path):
    request, response = sample_exchange(body=os.urandom(5000))
    writer = RotatingWarcWriter(tmp_path, "t", max_size=2000)
    writer.write([response_record(response, DATE)])
    assert writer.closed_files, "a file past max_size is closed at once"
    writer.write([response_record(response, DATE)])
    assert writer.current_path is None or writer.current_path.name.endswith(OPEN_SUFFIX)
    writer.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 2 and all(n.endswith(".warc.gz") for n in names)
    assert not list(tmp_path.glob("*" + OPEN_SUFFIX))
    for path in writer.closed_files:
        assert read_records(path)[0][0] == "warcinfo"


def test_warcio_check_passes(tmp_path):
    request, response = sample_exchange()
    writer = RotatingWarcWriter(tmp_path, "t", 10**9)
    resp = response_record(response, DATE)
    writer.write([resp, request_record(request, DATE, resp.rec_headers.get_header("WARC-Record-ID"))])
    writer.close()
    warcio = Path(sys.executable).with_name("warcio")
    result = subprocess.run([str(warcio), "check", "-v", str(writer.closed_files[0])], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "digest pass" in result.stdout


def test_salvage_keeps_complete_records_and_cuts_a_torn_tail(tmp_path):
    request, response = sample_exchange(body=os.urandom(3000))
    writer = RotatingWarcWriter(tmp_path, "t", 10**9)
    for _ in range(3):
        writer.write([response_record(response, DATE)])
    writer._file.flush()
    open_path = writer.current_path
    complete = open_path.stat().st_size
    writer._file.write(gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n" + os.urandom(4000))[:1500])
    writer._file.close()  # the process "dies": nothing renamed
    dead = open_path.with_name(open_path.name.replace(f"-{os.getpid()}~", "-999999999~"))
    open_path.rename(dead)

    [salvaged] = salvage(tmp_path)
    assert salvaged.records == 4 and salvaged.kept_bytes == complete and salvaged.torn_bytes == 1500
    assert salvaged.path.exists() and not dead.exists()
    assert [r[0] for r in read_records(salvaged.path)] == ["warcinfo", "response", "response", "response"]


def test_salvage_leaves_files_of_a_live_writer_alone(tmp_path):
    request, response = sample_exchange()
    writer = RotatingWarcWriter(tmp_path, "t", 10**9)
    writer.write([response_record(response, DATE)])
    assert salvage(tmp_path) == [] and writer.current_path.exists()
    writer.close()


def test_header_names_take_their_conventional_case(tmp_path):
    request = Request("http://127.0.0.1/a")
    response = Response(request.url, headers={"etag": '"x"', "www-authenticate": "Basic", "content-type": "text/html"},
                        body=b"", request=request)
    names = [name for name, _ in response_record(response, DATE).http_headers.headers]
    assert names == ["ETag", "WWW-Authenticate", "Content-Type"]


def test_a_failed_write_leaves_the_file_ending_on_a_complete_record(tmp_path):
    request, response = sample_exchange()
    writer = RotatingWarcWriter(tmp_path, "t", 10**9)
    writer.write([response_record(response, DATE)])
    good_size = writer.current_path.stat().st_size

    class Unwritable:
        def __init__(self):
            self.rec_headers = response_record(response, DATE).rec_headers

    with pytest.raises(AttributeError):
        writer.write([response_record(response, DATE), Unwritable()])
    assert writer.current_path.stat().st_size == good_size
    writer.close()
    assert [r[0] for r in read_records(writer.closed_files[0])] == ["warcinfo", "response"]

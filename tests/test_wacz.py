"""WACZ export: py-wacz accepts the package, and a record found through its index reads back from inside the zip."""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from support import Store, query, stored_time
from warcio.archiveiterator import ArchiveIterator

from archive.replay import ReplayError, replay_python

BIN = Path(sys.executable).parent
SITES = ("panjin", "mingguang", "yanji", "zhangxian")
METADATA = ("index_no", "category", "issuer", "written_date", "doc_number", "publish_date", "subject_terms",
            "report_year", "agency")


def xxgk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "xxgk"), *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def data_dir(crawled) -> Store:
    """The session's crawl of the simulated portals (on each backend)."""
    return crawled


def export(data_dir: Store, out: Path, *args: str) -> Path:
    result = xxgk("export", "wacz", str(out), *data_dir.args, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"wrote {out}" in result.stdout
    return out


@pytest.fixture(scope="module")
def wacz_all(data_dir, tmp_path_factory) -> Path:
    return export(data_dir, tmp_path_factory.mktemp("wacz") / "all.wacz")


def validate(path: Path) -> subprocess.CompletedProcess:
    """py-wacz's `wacz validate`, from the replay environment (it shares pywb's pins)."""
    try:
        wacz = replay_python().parent / "wacz"
    except ReplayError as exc:
        pytest.fail(f"{exc} (py-wacz is installed there)")
    return subprocess.run([str(wacz), "validate", "-f", str(path)], capture_output=True, text=True, timeout=300)



def pages(path: Path) -> list[dict]:
    with zipfile.ZipFile(path) as package:
        return [json.loads(line) for line in package.read("pages/pages.jsonl").decode("utf-8").splitlines()]


def archived(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as package:
        return {name.removeprefix("archive/") for name in package.namelist() if name.startswith("archive/")}


def test_py_wacz_validates_the_export(wacz_all):
    result = validate(wacz_all)
    assert result.returncode == 0 and "Validation succeeded" in result.stdout, result.stdout + result.stderr


def test_py_wacz_rejects_a_package_whose_file_does_not_match_its_hash(wacz_all, tmp_path):
    tampered = tmp_path / "tampered.wacz"
    with zipfile.ZipFile(wacz_all) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "pages/pages.jsonl":
                data = data.replace("年".encode(), "月".encode(), 1)
            target.writestr(info, data)
    result = validate(tampered)
    assert result.returncode != 0 and "Validation failed" in result.stdout, result.stdout
    assert "pages.jsonl" in result.stdout and "hash" in result.stdout.lower()


def test_layout_hashes_and_compression(wacz_all, data_dir):
    with zipfile.ZipFile(wacz_all) as package:
        names = package.namelist()
        datapackage = json.loads(package.read("datapackage.json"))
        digest = json.loads(package.read("datapackage-digest.json"))
        assert digest == {"path": "datapackage.json",
                          "hash": "sha256:" + hashlib.sha256(package.read("datapackage.json")).hexdigest()}
        assert datapackage["profile"] == "data-package" and datapackage["wacz_version"] == "1.1.1"
        resources = {resource["path"]: resource for resource in datapackage["resources"]}
        assert set(resources) == set(names) - {"datapackage.json", "datapackage-digest.json"}
        for name, resource in resources.items():
            data = package.read(name)
            assert resource["bytes"] == len(data) and resource["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}"
        for name in ("indexes/index.cdx.gz", *[n for n in names if n.startswith("archive/")]):
            assert package.getinfo(name).compress_type == zipfile.ZIP_STORED, name
        for warc in (data_dir.data_dir / "warc").glob("*.warc.gz"):
            assert package.read(f"archive/{warc.name}") == warc.read_bytes(), "WARC files are copied unchanged"
        assert package.read("indexes/index.idx").decode().startswith('!meta 0 {"format": "cdxj-gzip-1.0"')
    assert archived(wacz_all) == {path.name for path in (data_dir.data_dir / "warc").glob("*.warc.gz")}


def raw_entry_offset(path: Path, info: zipfile.ZipInfo) -> int:
    """Where a stored entry's bytes start in the zip file (after its local header), as a range reader sees it."""
    with open(path, "rb") as stream:
        stream.seek(info.header_offset)
        header = stream.read(30)
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    return info.header_offset + 30 + name_length + extra_length


def read_range(path: Path, start: int, length: int) -> bytes:
    with open(path, "rb") as stream:
        stream.seek(start)
        return stream.read(length)


def index_lines(path: Path) -> list[tuple[str, str, dict]]:
    """The CDXJ lines, found the ReplayWeb.page way: index.idx → gzip block of index.cdx.gz by byte range."""
    with zipfile.ZipFile(path) as package:
        idx = package.read("indexes/index.idx").decode().splitlines()
        cdx_start = raw_entry_offset(path, package.getinfo("indexes/index.cdx.gz"))
    lines = []
    for line in idx[1:]:
        block = json.loads(line.split(" ", 2)[2])
        compressed = read_range(path, cdx_start + block["offset"], block["length"])
        assert block["digest"] == f"sha256:{hashlib.sha256(compressed).hexdigest()}"
        for cdxj in gzip.decompress(compressed).decode().splitlines():
            key, ts, fields = cdxj.split(" ", 2)
            lines.append((key, ts, json.loads(fields)))
    return lines


def test_records_found_through_the_index_read_back_from_inside_the_zip(wacz_all, data_dir):
    lines = index_lines(wacz_all)
    assert [line[:2] for line in lines] == sorted(line[:2] for line in lines), "the index is sorted"
    documents = {row["url"] for row in query(data_dir, "SELECT url FROM documents")}
    with zipfile.ZipFile(wacz_all) as package:
        starts = {name: raw_entry_offset(wacz_all, package.getinfo(f"archive/{name}")) for name in archived(wacz_all)}
    checked = 0
    for _, _, fields in lines:
        offset, length = int(fields["offset"]), int(fields["length"])
        member = read_range(wacz_all, starts[fields["filename"]] + offset, length)
        inside = next(iter(ArchiveIterator(BytesIO(member))))
        with open(data_dir.data_dir / "warc" / fields["filename"], "rb") as stream:
            stream.seek(offset)
            original = next(iter(ArchiveIterator(stream)))
            original_payload = original.raw_stream.read()
        assert inside.rec_headers.get_header("WARC-Target-URI") == fields["url"]
        assert inside.raw_stream.read() == original_payload
        checked += fields["url"] in documents
    assert checked >= len(documents), "every report page is reachable through the index"


def test_pages_list_every_report_with_its_metadata(data_dir, portals, wacz_all):
    reports = {site: portals.portals[site].reports for site in SITES}
    header, *entries = pages(wacz_all)
    assert header["format"] == "json-pages-1.0" and header["id"] == "pages" and header["title"]
    documents = {row["url"]: row for row in query(data_dir, "SELECT * FROM documents")}
    by_url = {entry["url"]: entry for entry in entries}
    assert set(by_url) == set(documents) and len(entries) == len(documents)
    for url, entry in by_url.items():
        capture = query(data_dir, "SELECT fetched_at FROM captures WHERE id = ?", documents[url]["capture_id"])[0]
        assert stored_time(entry["ts"].removesuffix("Z")) == stored_time(capture["fetched_at"])
        assert entry["ts"].endswith("Z") and entry["title"] == documents[url]["title"]
        text, words = entry["text"].rsplit("\n\n", 1)  # the report text, then its words for the page search
        assert text == documents[url]["text"] and " " in words and "\n" not in words
        for name in METADATA:
            assert entry.get(name) == documents[url][name], f"{url} {name}"
    seeds = [(url, report) for site in SITES for url, report in reports[site].items() if report.expected]
    assert len(seeds) >= 5
    for url, report in seeds:
        for name in ("report_year", "agency"):
            if name in report.expected:
                assert by_url[url][name] == report.expected[name], f"{url} {name}"
    assert any(entry.get("report_year") and entry.get("agency") for entry in entries)


def test_export_of_one_site_holds_only_its_warcs_and_reports(data_dir, tmp_path):
    out = export(data_dir, tmp_path / "yanji.wacz", "--site", "yanji")
    expected = {row["warc_file"] for row in query(data_dir, "SELECT DISTINCT warc_file FROM captures WHERE site = 'yanji'")}
    assert archived(out) == expected and all("-yanji-" in name for name in expected)
    header, *entries = pages(out)
    count = query(data_dir, "SELECT COUNT(*) AS n FROM documents WHERE site = 'yanji'")[0]["n"]
    assert len(entries) == count > 0 and {entry["site"] for entry in entries} == {"yanji"}
    assert "yanji" in header["title"]
    assert {fields["filename"] for _, _, fields in index_lines(out)} == expected
    result = validate(out)
    assert result.returncode == 0, result.stdout + result.stderr


def test_export_of_one_crawl_holds_only_its_warcs(data_dir, tmp_path):
    crawl = query(data_dir, "SELECT id FROM crawls WHERE site = 'zhangxian'")[0]["id"]
    out = export(data_dir, tmp_path / "crawl.wacz", "--crawl", str(crawl))
    expected = {row["warc_file"] for row in query(data_dir, "SELECT DISTINCT warc_file FROM captures WHERE crawl_id = ?",
                                                  crawl)}
    assert archived(out) == expected
    _, *entries = pages(out)
    assert entries and {entry["site"] for entry in entries} == {"zhangxian"}


def test_export_of_nothing_fails_in_one_line_and_leaves_no_file(data_dir, tmp_path):
    out = tmp_path / "none.wacz"
    result = xxgk("export", "wacz", str(out), *data_dir.args, "--site", "atlantis")
    assert result.returncode == 1 and "no closed WARC file for site atlantis" in result.stderr
    assert "Traceback" not in result.stderr and not list(tmp_path.iterdir())
    result = xxgk("export", "wacz", str(out), "--data-dir", str(tmp_path / "empty"))
    assert result.returncode == 1 and "no WARC directory" in result.stderr


def test_page_text_carries_its_words_for_the_search():
    """ReplayWeb.page matches whole space- or punctuation-delimited tokens: the words must stand alone."""
    from archive.search import searchable

    page = searchable("延吉市2019年政府信息公開工作年度報告", "全年收到依申请公开申请25件，行政复议0件。")
    text, words = page.rsplit("\n\n", 1)
    assert text == "全年收到依申请公开申请25件，行政复议0件。"
    tokens = words.split(" ")
    assert {"延吉", "延吉市", "依申请", "依申请公开", "信息公开", "政府信息公开", "年度报告", "行政复议", "2019"} <= set(tokens)
    assert len(tokens) == len(set(tokens)) and "，" not in tokens and "。" not in tokens
    assert searchable(None, None) is None

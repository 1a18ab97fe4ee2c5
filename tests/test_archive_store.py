"""The shared archive's stores: a shared directory, and an S3-compatible bucket (moto's server, started here on
loopback, stands in for MinIO or S3; boto3 talks to it as to any S3 endpoint)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from postgres import free_port
from support import BIN

from archive.store import ArchiveError, DirectoryStore, S3Store, open_store


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = subprocess.Popen([str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test", config=Config(s3={"addressing_style": "path"}))
    try:
        for _ in range(200):
            try:
                client.create_bucket(Bucket="xxgk")
                break
            except Exception:  # noqa: BLE001 - not listening yet
                if server.poll() is not None:
                    raise RuntimeError("moto_server exited") from None
                time.sleep(0.1)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=30)


def records(tmp_path: Path) -> Path:
    local = tmp_path / "local.warc.gz"
    local.write_bytes(b"first record|" + b"x" * 100 + b"|second record")
    return local


def test_a_directory_store_publishes_atomically_and_never_overwrites(tmp_path):
    store, local = DirectoryStore(tmp_path / "archive"), records(tmp_path)
    store.publish(local, "warc/a.warc.gz")
    store.publish(local, "warc/a.warc.gz")  # the same bytes again: a re-publish after a crash is fine
    assert store.read("warc/a.warc.gz", 0, 12) == b"first record"
    assert store.keys("warc/") == ["warc/a.warc.gz"] and not list((tmp_path / "archive" / "warc").glob(".*"))
    other = tmp_path / "other"
    other.write_bytes(b"something else")
    with pytest.raises(ArchiveError, match="other content"):
        store.publish(other, "warc/a.warc.gz")
    assert store.read("warc/a.warc.gz", 0, 12) == b"first record", "the archived file is untouched"
    assert store.read("warc/missing.warc.gz", 0, 5) is None


def test_an_s3_store_reads_one_record_by_range_and_mirrors_for_replay(s3_endpoint, tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    store, local = open_store("s3://xxgk/archive", s3_endpoint), records(tmp_path)
    assert isinstance(store, S3Store) and str(store) == "s3://xxgk/archive/"
    assert not store.exists("warc/a.warc.gz")
    store.publish(local, "warc/a.warc.gz")
    index = tmp_path / "a.warc.gz.cdxj"
    index.write_text("cn,gov,yanji)/ 20260101000000 {}\n")
    store.publish(index, "indexes/a.warc.gz.cdxj")
    assert store.exists("warc/a.warc.gz")
    assert store.read("warc/a.warc.gz", local.stat().st_size - 13, 13) == b"second record"
    assert store.read("warc/gone.warc.gz", 0, 4) is None
    assert store.keys("warc/") == ["warc/a.warc.gz"]
    mirror = store.local_root(tmp_path / "cache")
    assert (mirror / "warc" / "a.warc.gz").read_bytes() == local.read_bytes()
    assert (mirror / "indexes" / "a.warc.gz.cdxj").read_text() == index.read_text()


def test_a_bad_archive_location_is_one_line(tmp_path):
    with pytest.raises(ArchiveError, match="expected a directory or s3://"):
        open_store("ftp://example/archive")
    with pytest.raises(ArchiveError, match="no bucket"):
        open_store("s3:///prefix")

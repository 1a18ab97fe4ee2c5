"""The shared archive's stores: a shared directory, and an S3-compatible bucket (moto's server, tests/moto_server.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from moto_server import moto_s3

from archive.store import ArchiveError, DirectoryStore, S3Store, open_store


@pytest.fixture(scope="module")
def s3_endpoint():
    with moto_s3() as endpoint:
        yield endpoint


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


def test_a_record_is_read_wherever_its_file_has_moved(tmp_path, monkeypatch):
    """Written (.open), closed (renamed), published (removed locally): each step is followed, in that order."""
    from archive import store
    from archive.stored import read_member

    monkeypatch.setattr(store, "_current", None)
    warc_dir, archive = tmp_path / "warc", DirectoryStore(tmp_path / "archive")
    warc_dir.mkdir()
    local = records(tmp_path)
    opened = warc_dir / "a.warc.gz.open"
    local.rename(opened)
    assert read_member(warc_dir, "a.warc.gz", 0, 12) == b"first record"
    closed = opened.rename(warc_dir / "a.warc.gz")
    assert read_member(warc_dir, "a.warc.gz", 0, 12) == b"first record"
    archive.publish(closed, "warc/a.warc.gz")
    closed.unlink()
    assert read_member(warc_dir, "a.warc.gz", 0, 12) is None, "no shared archive in use: nowhere to look"
    store.use(archive)
    assert read_member(warc_dir, "a.warc.gz", 0, 12) == b"first record"

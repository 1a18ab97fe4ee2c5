"""Workers on an S3 archive (moto's server standing in for MinIO or S3), as separate machines with separate data
directories: every report stored once, every WARC file and its index in the bucket (published as each file rotates),
and a recrawl by a worker whose disk never held a WARC file answering its 304s and unchanged payloads with
revisits whose originals it reads from the bucket; `xxgk export wacz` from yet another data directory packs it all."""

from __future__ import annotations

import os
import signal
import subprocess
import zipfile
from pathlib import Path

import pytest
from moto_server import CREDENTIALS, client, moto_s3
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool
from support import BIN, SITES
from test_queue import enqueue, rows, start_workers, wait_for_runs, worker_environment

from crawler.simulator import SimulatedPortals
from crawler.simulator.server import Portal

BUCKET, PREFIX = "xxgk", "archive"
WARC_MAX_SIZE = 30_000  # several files per site crawl: each published when it rotates
SERVLETS = ("panjin", "yanji")  # portals whose attachments come from a download servlet


def without_validators_for_files(portal: Portal) -> None:
    """Serve attachments without ETag/Last-Modified, as download servlets (download.jsp?id=…) do: a recrawl gets
    them whole again, identical, so they are revisits whose payload extraction reads from the original."""
    validated = portal.validated
    portal.validated = lambda path: validated(path) and portal.url(path) not in portal.attachment_urls


@pytest.fixture(scope="module")
def s3_endpoint():
    with moto_s3(BUCKET) as endpoint:
        yield endpoint


def bucket_keys(endpoint: str, folder: str) -> set[str]:
    listed = client(endpoint).list_objects_v2(Bucket=BUCKET, Prefix=f"{PREFIX}/{folder}/", MaxKeys=1000)
    assert not listed.get("IsTruncated")
    return {item["Key"].rpartition("/")[2] for item in listed.get("Contents", [])}


def attachment_texts(engine) -> dict[str, tuple]:
    return {row["url"]: (row["text"], row["extract_error"])
            for row in rows(engine, "SELECT url, text, extract_error FROM attachments")}


def stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        worker.wait(timeout=120)


def test_workers_on_s3_publish_everything_and_a_fresh_worker_revisits_from_the_bucket(postgres, redis_server,
                                                                                       s3_endpoint, tmp_path):
    database_url = postgres.database()
    engine = create_engine(database_url, poolclass=NullPool)
    environment = {**worker_environment(database_url, redis_server.url, f"s3://{BUCKET}/{PREFIX}"),
                   "XXGK_S3_ENDPOINT": s3_endpoint, **CREDENTIALS}
    with SimulatedPortals() as simulated:
        expected = {url for portal in simulated.portals.values() for url in portal.report_urls}
        files = {url for site in SERVLETS for url in simulated.portals[site].attachment_urls}
        for site in SERVLETS:
            without_validators_for_files(simulated.portals[site])
        workers = start_workers(tmp_path, environment, (0, 1))
        try:
            enqueue(simulated, environment, tmp_path / "enqueuer", f"XXGK_WARC_MAX_SIZE={WARC_MAX_SIZE}")
            first = wait_for_runs(engine, len(SITES))
        finally:
            stop(workers)
        read_first = attachment_texts(engine)
        # a machine whose disk never held a WARC file recrawls every site: its originals are only in the bucket
        workers = start_workers(tmp_path, environment, (2,))
        fresh = workers[0].pid
        try:
            enqueue(simulated, environment, tmp_path / "enqueuer")
            second = wait_for_runs(engine, 2 * len(SITES))[len(SITES):]
        finally:
            stop(workers)
        # a POST's answer is not named by its URL alone (its body asks): the digest index keeps GET payloads only
        posted = {entry["url"] for portal in simulated.portals.values() for entry in portal.sent
                  if entry["method"] == "POST"}

    for runs in (first, second):
        assert {run["status"] for run in runs} == {"ok"}, [(run["site"], (run["stats"] or {}).get("problems"))
                                                           for run in runs if run["status"] != "ok"]
    assert {run["pid"] for run in second} == {fresh}, "the fresh worker crawled the second round"
    documents = [row["url"] for row in rows(engine, "SELECT url FROM documents")]
    assert len(documents) == len(set(documents)), "no document stored twice"
    assert expected <= set(documents), f"missing: {sorted(expected - set(documents))[:5]}"

    # every WARC file and its index in the bucket, recorded once, none left on a worker's disk
    archived = [row["name"] for row in rows(engine, "SELECT name FROM warc_files WHERE state = 'archived'")]
    assert len(archived) > 2 * len(SITES), "the first round rotated files"
    assert set(archived) == bucket_keys(s3_endpoint, "warc")
    assert {f"{name}.cdxj" for name in archived} == bucket_keys(s3_endpoint, "indexes")
    assert not list(tmp_path.glob("w*/warc/*.warc.gz*")), "published files leave the workers' disks"
    assert {row["warc_file"] for row in rows(engine, "SELECT DISTINCT warc_file FROM captures")} <= set(archived)

    # the second round archived no unchanged payload again: 304s and identical payloads became revisits, read
    # (a 304's stored response) from the bucket, since worker 2's disk never held the first round's files
    crawls = {run["crawl_id"]: run for run in second}
    captures = [row for row in rows(engine, "SELECT * FROM captures ORDER BY id") if row["crawl_id"] in crawls]
    before = [row for row in rows(engine, "SELECT * FROM captures ORDER BY id") if row["crawl_id"] not in crawls]
    full_before = {(row["url"], row["digest"]) for row in before if row["revisit"] is None and row["status"] == 200}
    again = [row["url"] for row in captures if row["revisit"] is None and row["status"] == 200
             and (row["url"], row["digest"]) in full_before and row["url"] not in posted]
    assert not again, f"archived in full again: {again[:5]}"
    reports = [row for row in captures if row["kind"] == "document" and row["url"] in expected]
    assert reports and all(row["revisit"] == "server-not-modified" for row in reports), \
        {row["url"]: (row["revisit"], row["status"]) for row in reports if row["revisit"] != "server-not-modified"}
    revisited = [row for row in captures if row["url"] in files]
    assert revisited and {row["revisit"] for row in revisited} == {"identical-payload-digest"}
    # ... and their text read again, in worker 2's extraction process, from the originals in the bucket
    assert {url: attachment_texts(engine)[url] for url in files} == {url: read_first[url] for url in files}
    assert all(text and not error for text, error in (read_first[url] for url in files)), read_first
    originals = {row["record_id"] for row in before}
    assert all(row["refers_to"] in originals for row in captures if row["revisit"]), "originals from round one"

    # re-extraction from a data directory with no WARC file reads every record from the bucket
    texts = attachment_texts(engine)
    again = subprocess.run([str(BIN / "xxgk"), "reextract", "--processes", "1", "--data-dir", str(tmp_path / "reader")],
                           env=environment, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0 and ", 0 not in the archive" in again.stdout, again.stdout + again.stderr[-2000:]
    assert attachment_texts(engine) == texts

    # export from a data directory with no WARC file: the whole bucket, both rounds
    out = tmp_path / "all.wacz"
    exported = subprocess.run([str(BIN / "xxgk"), "export", "wacz", str(out), "--data-dir", str(tmp_path / "reader")],
                              env=environment, capture_output=True, text=True, timeout=300)
    assert exported.returncode == 0, exported.stdout + exported.stderr
    with zipfile.ZipFile(out) as package:
        assert {Path(name).name for name in package.namelist() if name.startswith("archive/")} == set(archived)

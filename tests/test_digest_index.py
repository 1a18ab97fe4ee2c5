"""The digest index answers "never archived" from the URLs it read once per origin, not with a query per URL."""

from __future__ import annotations

from sqlalchemy import event

from archive.digests import DigestIndex, Original

DATE = "2026-11-22T10:00:00.000000Z"


def original(url: str, digest: str = "sha1:AAAA") -> Original:
    return Original(url, digest, "<urn:uuid:1>", DATE, "x.warc.gz", 0, 100)


def test_lookups_of_unarchived_urls_ask_one_query_per_origin(store):
    engine = store.engine()
    index = DigestIndex(engine)
    index.add(original("http://a.example/old/1.html"))
    index.add(original("http://a.example:8080/Old/2.html"))  # another origin, a case SQLite's LIKE would match
    index.flush()
    queries = []

    def count(conn, cursor, statement, *rest) -> None:
        queries.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        fresh = DigestIndex(engine)
        for n in range(50):
            assert fresh.latest(f"http://a.example/new/{n}.html") is None
            assert fresh.original(f"http://a.example/new/{n}.html", "sha1:BBBB") is None
        assert len(queries) == 1, "one read of the origin's URLs, then none per request"
        found = fresh.original("http://a.example/old/1.html", "sha1:AAAA")
        assert found is not None and found.url == "http://a.example/old/1.html"
        assert fresh.latest("http://a.example:8080/Old/2.html") is not None  # its own origin, read once too
        fresh.add(original("http://a.example/new/1.html", "sha1:CCCC"))  # archived in this crawl: found at once
        assert fresh.original("http://a.example/new/1.html", "sha1:CCCC") is not None
    finally:
        event.remove(engine, "before_cursor_execute", count)

"""What the runs of one crawl stored, for a crawl resumed after a kill (its journal lists the runs' `crawls` rows)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import distinct, func, select

from crawler import database as db


def captured_urls(url: str, crawl_ids: list[int]) -> set[str]:
    """URLs with a stored capture in these crawls."""
    with db.connect(url).connect() as conn:
        return {found for chunk in _chunks(crawl_ids) for (found,) in conn.execute(
            select(db.captures.c.url).distinct().where(db.captures.c.crawl_id.in_(chunk)))}


def stored_counts(conn, crawl_ids: list[int]) -> dict:
    """Reports, attachments, list pages and reports per report year stored by these crawls (each URL once)."""
    captures = db.captures.c
    ok = (captures.crawl_id.in_(crawl_ids), captures.outcome == "ok")
    counts = {kind: conn.scalar(select(func.count(distinct(captures.url))).where(*ok, captures.kind == kind))
              for kind in ("document", "attachment")}
    pages = conn.scalar(select(func.count(distinct(db.listings.c.url))).where(db.listings.c.crawl_id.in_(crawl_ids)))
    documents = select(captures.url).distinct().where(*ok, captures.kind == "document")
    years = Counter(str(year or "unknown") for (year,) in conn.execute(
        select(db.documents.c.report_year).where(db.documents.c.url.in_(documents))))
    return {"reports": counts["document"], "attachments": counts["attachment"], "list_pages": pages,
            "years": dict(years)}


def _chunks(ids: list[int], size: int = 500):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]

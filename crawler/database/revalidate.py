"""How often a recrawl asks again for report pages it has already archived.

List pages are fetched on every crawl: they show what appeared, was retitled or was
unlisted. A report page (and the files it links) archived less than
`XXGK_REVALIDATE_AFTER` days ago is not asked for again while its column still lists
it; the crawl counts it as a report found (`xxgk/documents/fresh`). 0, the default,
asks for every one every time (with If-None-Match/If-Modified-Since), which is what
catches silent edits soonest; a daily schedule with e.g. 7 checks each report weekly.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from crawler import database as db


def fresh_documents(settings, site: str) -> dict[str, int]:
    """The site's report pages seen within the revalidation window: URL -> how many files each links."""
    days = settings.getfloat("XXGK_REVALIDATE_AFTER", 0)
    if days <= 0:
        return {}
    from crawler.config import database_url

    since = datetime.now(UTC) - timedelta(days=days)
    documents = db.documents.c
    try:
        with db.connect(database_url(settings)).connect() as conn:
            rows = conn.execute(select(documents.url, documents.attachment_urls)
                                .where(documents.site == site, documents.last_seen >= since)).all()
    except SQLAlchemyError as exc:
        raise RuntimeError(f"cannot read which reports of {site} are fresh: {exc}") from exc
    return {url: len(files or []) for url, files in rows}

"""Reading the archive over time: a URL's captures, the one closest to a date, a column as listed then,
diffs between document versions, and column events. What `xxgk snapshots|show|column|diff|changes` print."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from crawler import database as db
from crawler import textdiff
from crawler.database.history import META_FIELDS
from crawler.database.types import display, json_default, parse_timestamp
from crawler.errors import XxgkError

DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}|\d{8}")


class HistoryError(XxgkError):
    """Bad input or nothing archived for it: one line for the user."""


def when(text: str | None, end_of_day: bool = False) -> datetime | None:
    """A typed date or time in UTC; a bare date means its start, or its end with `end_of_day`."""
    if text is None:
        return None
    try:
        moment = parse_timestamp(text)
    except ValueError:
        raise HistoryError(f"expected a date like 2024-03-01, 2024-03-01T08:00:00 or 20240301080000, "
                           f"got {text!r}") from None
    if end_of_day and DATE_ONLY.fullmatch(text.strip()):
        moment += timedelta(days=1, microseconds=-1)
    return moment


# -- captures -----------------------------------------------------------------------------

def snapshots(engine: Engine, url: str, start: datetime | None = None, end: datetime | None = None) -> list[dict]:
    """Every capture of a URL, oldest first: date (UTC), status, kind, outcome, revisit, WARC place."""
    captures = db.captures.c
    query = select(db.captures).where(captures.url == url).order_by(captures.fetched_at, captures.id)
    if start:
        query = query.where(captures.fetched_at >= start)
    if end:
        query = query.where(captures.fetched_at <= end)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    found = []
    for row in rows:
        found.append({"date": row["fetched_at"], "status": row["status"], "kind": row["kind"],
                      "outcome": row["outcome"], "revisit": row["revisit"], "refers_to": row["refers_to"],
                      "warc_file": row["warc_file"], "offset": row["warc_offset"], "length": row["warc_length"],
                      "crawl_id": row["crawl_id"], "id": row["id"]})
    return found


def closest(engine: Engine, url: str, at: datetime) -> dict:
    """The capture nearest in time to `at` (Memento-style), the earlier one on a tie."""
    found = snapshots(engine, url)
    if not found:
        raise HistoryError(f"no capture of {url}")
    return min(found, key=lambda c: (abs(c["date"] - at), c["date"]))


def payload_place(engine: Engine, capture: dict) -> dict:
    """Where a capture's payload is: its own record, or for a revisit its original's (via the digest index)."""
    if not capture["revisit"]:
        return {"warc_file": capture["warc_file"], "offset": capture["offset"], "length": capture["length"]}
    with engine.connect() as conn:
        row = conn.execute(select(db.digests).where(db.digests.c.record_id == capture["refers_to"])).mappings().first()
    if row is None:
        raise HistoryError(f"the original of revisit {display(capture['date'])} ({capture['refers_to']}) is not indexed")
    return {"warc_file": row["warc_file"], "offset": row["warc_offset"], "length": row["warc_length"]}


# -- versions and diffs -------------------------------------------------------------------

def versions(engine: Engine, url: str) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(db.versions).where(db.versions.c.document_url == url)
                            .order_by(db.versions.c.version)).mappings().all()
    return [dict(row) for row in rows]


def version_at(engine: Engine, url: str, at: datetime) -> dict | None:
    """The document version in effect at `at` (the last one first seen by then), or None."""
    found = [v for v in versions(engine, url) if v["seen_at"] <= at]
    return found[-1] if found else None


def render_version(version: dict) -> list[str]:
    """A version as diffable lines: metadata, then attachments, then the text."""
    fields = version["fields"] or {}
    lines = [f"{name}: {'' if fields.get(name) is None else fields.get(name)}" for name in META_FIELDS]
    lines += [f"attachment: {a.get('filename') or ''} <{a['url']}> sha1={a.get('sha1')} size={a.get('size')}"
              for a in fields.get("attachments") or []]
    lines.append("")
    return lines + (version["text"] or "").splitlines()


def diff(engine: Engine, url: str, start: datetime | None, end: datetime | None,
         style: textdiff.Style = textdiff.PLAIN) -> str:
    """A unified diff between the versions in effect at `start` and at `end`, changed words and numbers marked.
    Without `end`: the latest version; without `start`: the version before the one at `end` (its last change)."""
    found = versions(engine, url)
    if not found:
        raise HistoryError(f"no versions of {url} (not a report page, or never extracted)")
    new = version_at(engine, url, end) if end else found[-1]
    if new is None:
        raise HistoryError(f"{url} had no version yet at {display(end)} "
                           f"(its first was seen {display(found[0]['seen_at'])})")
    old = version_at(engine, url, start) if start else ([v for v in found if v["version"] < new["version"]] or
                                                         [new])[-1]
    if old is None:
        raise HistoryError(f"{url} had no version yet at {display(start)} "
                           f"(its first was seen {display(found[0]['seen_at'])})")
    if old["version"] == new["version"] and start is None:
        return f"no change: {url} has had one version, version {old['version']} (seen {display(old['seen_at'])})\n"
    if old["version"] == new["version"]:
        return f"no change: version {old['version']} (seen {display(old['seen_at'])}) at both dates\n"
    lines = list(textdiff.unified(render_version(old), render_version(new), style=style,
                                  fromfile=f"{url} version {old['version']} ({display(old['seen_at'])})",
                                  tofile=f"{url} version {new['version']} ({display(new['seen_at'])})"))
    if not lines:  # an edit undone: a new version that reads as the old one
        return f"no change: version {old['version']} and version {new['version']} read the same\n"
    return "\n".join(lines) + "\n"


# -- columns and events -------------------------------------------------------------------

def column_at(engine: Engine, site: str, at: datetime) -> list[dict]:
    """Per column of the site: the items listed by the last crawl that read it whole at or before `at`."""
    with engine.connect() as conn:
        covered = conn.execute(
            select(db.column_crawls.c.column_url, db.column_crawls.c.crawl_id, db.crawls.c.started_at)
            .join(db.crawls, db.crawls.c.id == db.column_crawls.c.crawl_id)
            .where(db.column_crawls.c.site == site, db.column_crawls.c.complete == 1, db.crawls.c.started_at <= at)
            .order_by(db.column_crawls.c.crawl_id)).all()
        latest: dict[str, tuple[int, datetime]] = {}
        for column, crawl_id, started in covered:
            latest[column] = (crawl_id, started)
        columns = []
        for column, (crawl_id, started) in sorted(latest.items()):
            pages = conn.execute(select(db.listings.c.page, db.listings.c.entries).where(
                db.listings.c.crawl_id == crawl_id, db.listings.c.column_url == column)
                .order_by(db.listings.c.page)).all()
            items = list({e["url"]: e for _, entries in pages for e in entries or []}.values())
            columns.append({"column_url": column, "crawl_id": crawl_id, "crawled_at": started, "items": items})
    return columns


def changes(engine: Engine, site: str | None, since: datetime) -> list[dict]:
    """Column events at or after `since`, oldest first."""
    query = select(db.events).where(db.events.c.at >= since).order_by(db.events.c.at, db.events.c.id)
    if site:
        query = query.where(db.events.c.site == site)
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def describe_event(event: dict) -> str:
    """One line: when, site, kind, URL and what changed."""
    details = event["details"] or {}
    if event["kind"] == "retitled":
        what = f"{details.get('old_title')!r} -> {details.get('title')!r}"
    elif event["kind"] == "changed":
        what = f"version {details.get('from_version')} -> {details.get('to_version')}: " + \
               ", ".join(details.get("changed") or [])
    elif event["kind"] == "removed":
        what = f"{details.get('reason')}: {details.get('title') or ''}".rstrip(": ")
    else:
        what = details.get("title") or ""
    return f"{display(event['at'])}  {event['site']:<12} {event['kind']:<10} {event['url']}  {what}".rstrip()


def to_json(value) -> str:
    """One JSON line; times as ISO 8601 in UTC (…Z), dates as YYYY-MM-DD."""
    return json.dumps(value, ensure_ascii=False, default=json_default)

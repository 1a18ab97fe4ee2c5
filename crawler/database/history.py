"""What a finished crawl showed over time: how it covered each column, new document versions, column events.

Run by the storage pipeline when a site's crawl closes, in one transaction:

- `column_crawls`: per column, the list pages and items stored, and whether the
  column was read whole (every list page fetched OK, the crawl finished, not resumed).
- `versions`: a document gets a new version only when its cleaned text, its
  metadata or its attachments (URL, name, sha1) hash differently from its last one.
- `events`: per column item `first_seen`, `retitled`, `removed`, `reappeared`, and
  `changed` when a document got a new version. An item counts as removed when a
  complete crawl of its column no longer lists it, or lists it and its page answers
  404. Blocked and error captures, and incomplete columns, never make a removal.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from datetime import date, datetime

from sqlalchemy import func, insert, select

from crawler import database as db
from crawler.database.types import utc_now
from crawler.fields import METADATA_KEYS

META_FIELDS = (*METADATA_KEYS, "report_year", "agency", "format")
VERSION_FIELDS = tuple(name for name in db.DOCUMENT_FIELDS if name != "text")
PRESENT = ("first_seen", "retitled", "reappeared", "changed")
ALL_COLUMNS = "*"  # in `incomplete`: no column of this crawl was read whole


def sha1(value) -> str:
    data = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha1(data.encode("utf-8")).hexdigest()


def clean_title(title: str | None) -> str:
    return re.sub(r"\s+", " ", title or "").strip()


def record_crawl(conn, crawl_id: int, site: str, incomplete: set[str], earlier: list[int] = ()) -> dict[str, int]:
    """Write the crawl's column coverage, new versions and events; return how many of each kind.

    `earlier`: the runs a resumed crawl continues (killed before they could record anything): what they stored
    counts as this crawl's.
    """
    runs = [*earlier, crawl_id]
    complete = record_columns(conn, crawl_id, site, incomplete, runs)
    changed = record_versions(conn, runs)
    counts = record_events(conn, crawl_id, site, complete, changed, runs)
    return {"versions": len(changed), **counts}


# -- columns ------------------------------------------------------------------------------

def record_columns(conn, crawl_id: int, site: str, incomplete: set[str], runs: list[int]) -> set[str]:
    """One column_crawls row per column listed in this crawl; return the columns read whole."""
    rows = conn.execute(select(db.listings.c.column_url, db.listings.c.url, db.listings.c.entries)
                        .where(db.listings.c.crawl_id.in_(runs)).order_by(db.listings.c.id)).all()
    columns: dict[str, dict[str, list]] = {}
    for column, url, entries in rows:
        columns.setdefault(column, {})[url] = entries or []  # a page two runs stored counts once
    complete = set()
    for column, by_url in columns.items():
        pages = list(by_url.values())
        problem = None
        if ALL_COLUMNS in incomplete:
            problem = "the crawl did not finish, or resumed a killed one"
        elif column in incomplete:
            problem = "a list page failed or was blocked"
        if problem is None:
            complete.add(column)
        conn.execute(insert(db.column_crawls).values(
            crawl_id=crawl_id, site=site, column_url=column, pages=len(pages),
            entries=sum(len(entries) for entries in pages), complete=int(problem is None), problem=problem))
    return complete


# -- versions -----------------------------------------------------------------------------

def record_versions(conn, runs: list[int]) -> list[dict]:
    """A new version for each document seen in this crawl whose text, metadata or attachments changed."""
    first = (select(db.captures.c.url, func.min(db.captures.c.id).label("first_capture")).where(
        db.captures.c.crawl_id.in_(runs), db.captures.c.kind == "document",
        db.captures.c.status.in_((200, 304)), db.captures.c.outcome == "ok")
        .group_by(db.captures.c.url).subquery())
    documents = conn.execute(
        select(db.documents, first.c.first_capture, db.captures.c.fetched_at)
        .join(first, first.c.url == db.documents.c.url)
        .join(db.captures, db.captures.c.id == first.c.first_capture)).mappings().all()
    attachments = _attachments_of(conn, {url for d in documents for url in d["attachment_urls"] or []})
    last_versions = _last_versions(conn, [d["url"] for d in documents])
    changed, rows = [], []
    for document in documents:
        current = version_of(document, attachments)
        last = last_versions.get(document["url"])
        found = new_version(document, current, last)
        if found is None:
            continue
        rows.append(found[0])
        if found[1]:
            changed.append(found[1])
    if rows:
        conn.execute(insert(db.versions), rows)
    return changed


def _chunks(items: list, size: int = 500):
    """Slices small enough for one IN (…) list on every database."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _attachments_of(conn, urls: set[str]) -> dict[str, tuple]:
    """(filename, sha1, size) of each stored attachment among `urls`."""
    found = {}
    for chunk in _chunks(sorted(urls)):
        found |= {url: (filename, sha1, size) for url, filename, sha1, size in conn.execute(
            select(db.attachments.c.url, db.attachments.c.filename, db.attachments.c.sha1, db.attachments.c.size)
            .where(db.attachments.c.url.in_(chunk)))}
    return found


def _last_versions(conn, urls: list[str]) -> dict[str, dict]:
    """Each document's latest version (number and hashes)."""
    found: dict[str, dict] = {}
    versions = db.versions.c
    for chunk in _chunks(urls):
        for row in conn.execute(select(versions.document_url, versions.version, versions.text_sha1, versions.meta_sha1,
                                       versions.attachments_sha1).where(versions.document_url.in_(chunk))).mappings():
            if row["document_url"] not in found or found[row["document_url"]]["version"] < row["version"]:
                found[row["document_url"]] = dict(row)
    return found


def version_of(document, attachments: dict[str, tuple]) -> dict:
    """The version-defining parts of a document as stored now: text, metadata, fields, attachments."""
    listed = []
    for url in document["attachment_urls"] or []:
        filename, digest, size = attachments.get(url, (None, None, None))
        listed.append({"url": url, "filename": filename, "sha1": digest, "size": size})
    fields = {name: _json_value(document[name]) for name in VERSION_FIELDS}
    text = document["text"] or ""
    return {
        "text": text, "fields": {**fields, "attachments": listed},
        "text_sha1": sha1(re.sub(r"\s+", " ", text).strip()),
        "meta_sha1": sha1({name: _json_value(document[name]) for name in META_FIELDS}),
        "attachments_sha1": sha1([(a["url"], a["filename"], a["sha1"]) for a in listed]),
    }


def _json_value(value):
    """A report date as the YYYY-MM-DD text extraction gives (what versions.fields keeps, and hashes)."""
    return value.isoformat() if isinstance(value, date) and not isinstance(value, datetime) else value


def new_version(document, current: dict, last: dict | None) -> tuple[dict, dict | None] | None:
    """The document's next version row if it differs from its last, and what changed (None for a first version)."""
    what = [name for name, key in (("text", "text_sha1"), ("metadata", "meta_sha1"), ("attachments", "attachments_sha1"))
            if last is None or last[key] != current[key]]
    if not what:
        return None
    number = (last["version"] if last else 0) + 1
    at = document["fetched_at"] or utc_now()
    row = dict(document_url=document["url"], site=document["site"], version=number,
               capture_id=document["first_capture"], seen_at=at, text_sha1=current["text_sha1"],
               meta_sha1=current["meta_sha1"], attachments_sha1=current["attachments_sha1"],
               fields=current["fields"], text=current["text"])
    if last is None:
        return row, None  # a first version is no change; its item's first_seen says when it appeared
    return row, {"url": document["url"], "column_url": document["column_url"], "at": at, "from": last["version"],
                 "to": number, "changed": what, "title": document["title"] or document["list_title"]}


# -- events -------------------------------------------------------------------------------

def record_events(conn, crawl_id: int, site: str, complete: set[str], changed: list[dict],
                  runs: list[int]) -> dict[str, int]:
    """Column events from this crawl's listings (removals only where the column was read whole)."""
    events: list[dict] = [
        {"column_url": c["column_url"], "url": c["url"], "kind": "changed", "at": c["at"],
         "details": {"from_version": c["from"], "to_version": c["to"], "changed": c["changed"], "title": c["title"]}}
        for c in changed
    ]
    gone = dict(conn.execute(select(db.captures.c.url, db.captures.c.fetched_at).where(
        db.captures.c.crawl_id.in_(runs), db.captures.c.status == 404, db.captures.c.kind != "list")).all())
    for column, (listed, at) in listed_items(conn, runs).items():
        state = item_states(conn, site, column)
        for url, entry in listed.items():
            events += item_events(url, entry, state.get(url), gone)
        if column in complete:
            events += [{"url": url, "kind": "removed", "at": at,
                        "details": {"reason": "unlisted", "title": last["title"], "crawl_id": crawl_id}}
                       for url, last in state.items() if last["kind"] != "removed" and url not in listed]
        for event in events:
            event.setdefault("column_url", column)
    if events:
        conn.execute(insert(db.events), [dict(site=site, crawl_id=crawl_id, **event) for event in events])
    return dict(Counter(event["kind"] for event in events))


def listed_items(conn, runs: list[int]) -> dict[str, tuple[dict[str, dict], datetime]]:
    """Per column: the items this crawl's list pages showed (URL -> entry with the listing's date), latest date."""
    rows = conn.execute(
        select(db.listings.c.column_url, db.listings.c.entries, db.captures.c.fetched_at)
        .select_from(db.listings.outerjoin(db.captures, db.listings.c.capture_id == db.captures.c.id))
        .where(db.listings.c.crawl_id.in_(runs)).order_by(db.listings.c.column_url, db.listings.c.page)).all()
    columns: dict[str, tuple[dict[str, dict], datetime]] = {}
    for column, entries, fetched in rows:
        at = fetched or utc_now()
        listed, latest = columns.get(column, ({}, at))
        for entry in entries or []:
            listed.setdefault(entry["url"], {**entry, "at": at})
        columns[column] = (listed, max(latest, at))
    return columns


def item_states(conn, site: str, column: str) -> dict[str, dict]:
    """Each item's state in a column before this crawl: its last listing event's kind and last known title."""
    rows = conn.execute(select(db.events.c.url, db.events.c.kind, db.events.c.details).where(
        db.events.c.site == site, db.events.c.column_url == column, db.events.c.kind != "changed")
        .order_by(db.events.c.id)).all()
    state: dict[str, dict] = {}
    for url, kind, details in rows:
        title = (details or {}).get("title")
        previous = state.get(url, {})
        state[url] = {"kind": kind, "title": title if kind != "removed" and title is not None else previous.get("title")}
    return state


def item_events(url: str, entry: dict, last: dict | None, gone: dict[str, datetime | None]) -> list[dict]:
    """Events for one listed item, given its state before this crawl and the URLs that answered 404 now."""
    title, at = clean_title(entry.get("title")), entry["at"]
    listed = {"title": title, "date": entry.get("date")}
    if last is None:
        found = [{"url": url, "kind": "first_seen", "at": at, "details": listed}]
        if url in gone:
            found.append({"url": url, "kind": "removed", "at": gone[url] or at, "details": {"reason": "404", **listed}})
        return found
    if last["kind"] == "removed":
        return [] if url in gone else [{"url": url, "kind": "reappeared", "at": at, "details": listed}]
    if url in gone:
        return [{"url": url, "kind": "removed", "at": gone[url] or at, "details": {"reason": "404", **listed}}]
    if title and title != clean_title(last["title"]):
        return [{"url": url, "kind": "retitled", "at": at, "details": {**listed, "old_title": last["title"]}}]
    return []

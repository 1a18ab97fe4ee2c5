"""Column types: timestamps as UTC date-times, report dates as dates, JSON stored as readable UTF-8.

Callers may bind the ISO strings the archive speaks (a WARC-Date such as 2024-01-02T03:04:05.123456Z, an
isoformat with an offset, a bare date); every read gives back an aware datetime in UTC, or a `date`.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

from sqlalchemy import JSON, Date, DateTime
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import TypeDecorator

DIGITS = re.compile(r"\d{4}(\d{2}){0,5}")


def parse_timestamp(value: str) -> datetime:
    """A date/time as text (YYYY-MM-DD, ISO 8601 with or without zone, a 4- to 14-digit timestamp) in UTC.

    Text without a zone is taken as UTC (what the archive writes); ValueError for anything else."""
    text = value.strip()
    if DIGITS.fullmatch(text):
        text = (text + "0101000000"[len(text) - 4:])[:14] if len(text) < 14 else text
        parsed = datetime.strptime(text, "%Y%m%d%H%M%S")
    else:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return as_utc(parsed)


def as_utc(moment: datetime) -> datetime:
    """An aware datetime in UTC (a naive one is taken as UTC already)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def utc_now() -> datetime:
    """Now in UTC, to the second (what `crawls`, `runs` and the history tables record)."""
    return datetime.now(UTC).replace(microsecond=0)


def display(moment: datetime | None) -> str | None:
    """A stored timestamp for people and JSON: ISO 8601 in UTC with a Z (2024-01-02T03:04:05.123456Z)."""
    return None if moment is None else as_utc(moment).isoformat().replace("+00:00", "Z")


class UTCDateTime(TypeDecorator):
    """A point in time, stored in UTC: TIMESTAMP WITH TIME ZONE on PostgreSQL, SQLAlchemy's ISO text on SQLite
    (2024-01-02 03:04:05.123456, which sorts and compares as time does). Binds datetimes or ISO strings."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        moment = parse_timestamp(value) if isinstance(value, str) else as_utc(value)
        # SQLite's DateTime writes the wall-clock fields only: give it UTC's
        return moment if dialect.name == "postgresql" else moment.replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else as_utc(value)


class ReportDate(TypeDecorator):
    """A calendar date written in a report (成文日期, 发布日期): DATE; binds a date or YYYY-MM-DD."""

    impl = Date
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if isinstance(value, str):
            return date.fromisoformat(value)  # extraction writes YYYY-MM-DD only (crawler/extract/dates.py)
        return value.date() if isinstance(value, datetime) else value


# JSONB on PostgreSQL: stored parsed, so text comes back as characters whoever wrote it (never \u76d8 escapes),
# and it has equality (DISTINCT, GROUP BY) and indexes, which PostgreSQL's text-preserving JSON lacks.
JSONData = JSON().with_variant(postgresql.JSONB(), "postgresql")


def json_text(value) -> str:
    """JSON as readable UTF-8 (Datasette shows it to people); dates as ISO text; no NUL, which JSONB refuses."""
    text = json.dumps(value, ensure_ascii=False, default=json_default)
    if "\\u0000" in text:
        text = json.dumps(_without_nul(value), ensure_ascii=False, default=json_default)
    return text


def json_default(value):
    """json.dumps' `default`: times as ISO 8601 in UTC (…Z), dates as YYYY-MM-DD."""
    if isinstance(value, datetime):
        return display(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _without_nul(value):
    """The value with NUL characters removed from every string (PostgreSQL stores no NUL in text or JSONB)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_nul(item) for item in value]
    return value

"""Date parsing for metadata values: every form seen on the portals to YYYY-MM-DD, or None, never a guess."""

from __future__ import annotations

import datetime as dt
import re

from crawler.extract.chinese import normalise_numerals

DATE = re.compile(r"(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")
COMPACT = re.compile(r"\s*(\d{4})(\d{2})(\d{2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*")
LETTERS = re.compile(r"[A-Za-z]{3,}")


def _valid(year: str, month: str, day: str) -> str | None:
    """ISO date if the parts make a real date in a plausible range."""
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return date.isoformat() if 1949 <= date.year <= 2100 else None


def _dateparser(text: str) -> str | None:
    """Last resort for spelled-out dates (e.g. English month names); strict, so partial dates are refused."""
    import dateparser  # slow to import, rarely needed

    settings = {"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"}
    parsed = dateparser.parse(text, languages=["en", "zh"], settings=settings)
    return _valid(str(parsed.year), str(parsed.month), str(parsed.day)) if parsed else None


def parse_date(text: str | None) -> str | None:
    """Parse one date (ISO, 2019年3月11日, 二〇一〇年一月四日, full-width, with time) to YYYY-MM-DD or None."""
    if not text or not text.strip():
        return None
    normalised = normalise_numerals(text)
    for m in DATE.finditer(normalised):
        if found := _valid(*m.groups()):
            return found
    if m := COMPACT.fullmatch(normalised):
        return _valid(*m.groups())
    if LETTERS.search(normalised) and re.search(r"\d{4}", normalised):
        return _dateparser(normalised)
    return None


PARTIAL = (re.compile(r"(?<!\d)\d{4}\s*[-/.年]\s*\d{1,2}\s*月?(?!\s*[-/.]?\s*\d)"), re.compile(r"^\s*\d{4}\s*年?\s*$"),
           re.compile(r"(?<!\d)\d{1,2}\s*月\s*\d{1,2}\s*日"), re.compile(r"\d{5,7}\s*日"))


def date_problem(text: str | None) -> str | None:
    """Why a non-empty date value gives no date: `impossible` (2019-02-30), `partial` (2019年3月, 201711日), `unreadable`."""
    if not text or not text.strip() or parse_date(text):
        return None
    normalised = normalise_numerals(text)
    if DATE.search(normalised) or COMPACT.fullmatch(normalised) or re.search(r"\d{4}\s*年\s*\d+\s*月\s*\d+\s*日", normalised):
        return "impossible"
    if any(p.search(normalised) for p in PARTIAL) or re.search(r"\d", normalised):
        return "partial"
    return "unreadable"

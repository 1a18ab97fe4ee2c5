"""Metadata delivered outside the detail page: Hanweb xxgk list-row attributes and Guangdong gkmlpt JSON items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from crawler.extract.chinese import to_simplified
from crawler.extract.dates import date_problem, parse_date
from crawler.extract.metadata import clean_value

CHINA = dt.timezone(dt.timedelta(hours=8))


def _text(value) -> str | None:
    """A string value cleaned and Simplified (None for empty, 无, —)."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = "、".join(str(v) for v in value if str(v).strip())
    return clean_value(to_simplified(str(value)))


def _date(field: str, value, problems: list[dict]) -> str | None:
    """A date value (string, or Unix seconds/milliseconds as gkmlpt sends) as YYYY-MM-DD, problems recorded."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 10**11 else value
        return dt.datetime.fromtimestamp(seconds, CHINA).date().isoformat()
    text = _text(value)
    if problem := date_problem(text):
        problems.append({"field": field, "value": text, "problem": problem})
    return parse_date(text)


def list_row_fields(attrs: Mapping[str, str]) -> dict:
    """Fields of a Hanweb xxgk list row from its <a> attributes: mc title, wh 文号, syh 索引号, rq date."""
    problems: list[dict] = []
    return {"title": _text(attrs.get("mc")), "doc_number": _text(attrs.get("wh")),
            "index_no": _text(attrs.get("syh")), "publish_date": _date("publish_date", attrs.get("rq"), problems),
            "date_problems": problems}


def gkmlpt_fields(item: Mapping) -> dict:
    """Fields of one gkmlpt API item: identifier, document_number, publisher, keywords, date, title, attachments."""
    problems: list[dict] = []
    attachments = [a.get("url") or a.get("link") for a in item.get("attachment") or [] if isinstance(a, Mapping)]
    return {"title": _text(item.get("title")), "index_no": _text(item.get("identifier")),
            "doc_number": _text(item.get("document_number")), "issuer": _text(item.get("publisher")),
            "subject_terms": _text(item.get("keywords")), "publish_date": _date("publish_date", item.get("date"), problems),
            "attachments": [a for a in attachments if a], "date_problems": problems}

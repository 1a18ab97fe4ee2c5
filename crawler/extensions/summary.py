"""A site crawl's health in a few numbers, from its Scrapy stats, for the log, the database and the screen."""

from __future__ import annotations

import logging
from collections import Counter
from urllib.parse import urlsplit

from scrapy import signals

from crawler import faults
from crawler.console import REACH, plain_table

logger = logging.getLogger(__name__)

COLUMNS = ("site", "status", "list_pages", "reports", "attachments", "warc_bytes", "errors", "faults", "blocked",
           "passes")
YEAR_PREFIX = "xxgk/years/"


# Exit status of a crawl command: 0 when every site is `ok`, 1 when one failed or was blocked, else 75 (EX_TEMPFAIL,
# "try again later") when one was skipped because another crawl of it was running.
SKIPPED_EXIT = 75


def exit_status(summaries: list[dict]) -> int:
    statuses = {summary["status"] for summary in summaries}
    if statuses - {"ok", "skipped"}:
        return 1
    return SKIPPED_EXIT if "skipped" in statuses else 0


def summarize(site: str, stats: dict, finish_reason: str | None = None) -> dict:
    """Counts shown after a crawl and stored with it; status `ok`, `failed` (something lost), `blocked`, or
    `skipped` (another crawl of the site was running)."""
    if stats.get("xxgk/skipped"):
        return {"site": site, "status": "skipped", "problems": [f"skipped: {stats['xxgk/skipped']}"]}
    summary = {
        "site": site,
        "list_pages": stats.get("xxgk/list_pages", 0),
        "reports": stats.get("xxgk/documents", 0),
        "attachments": stats.get("xxgk/attachments", 0),
        "years": years(stats),
        "warc_bytes": stats.get("xxgk/warc/bytes", 0),
        "errors": stats.get("xxgk/errors", 0),
        "archive_errors": stats.get("xxgk/warc/errors", 0),
        "storage_errors": stats.get("xxgk/storage/errors", 0),
        "extract_errors": stats.get("xxgk/extract/errors", 0),
        "challenges": stats.get("xxgk/challenges", 0),
        "passes": stats.get("xxgk/challenge_passes", 0),
        "blocked": stats.get("xxgk/blocked", 0),
        "blocked_evidence": list(stats.get("xxgk/blocked_evidence") or []),
        "faults": faults.counted(stats),
        "fault_urls": faults.evidence(stats),
        "timeouts": stats.get("xxgk/attempts/timeout", 0),
        "retries": stats.get("retry/count", 0),
        "seeds_failed": stats.get("xxgk/seeds_failed", 0),
        "expected_empty": bool(stats.get("xxgk/expected_empty")),
        # column pages the family's reader got nothing from, read by the generic spider instead
        "fallback_columns": list(dict.fromkeys(stats.get("xxgk/fallback/columns") or [])),
        "previous": previous_counts(stats),
        "finish_reason": finish_reason or stats.get("finish_reason"),
        "runs": stats.get("xxgk/runs", 1),  # a crawl resumed after a kill: its counts are every run's
        "index_errors": stats.get("xxgk/index/errors", 0),
        "unrestorable": stats.get("xxgk/journal/unrestorable", 0),
        "resumed_unanswered": stats.get("xxgk/journal/resumed_unanswered", 0),
        "base_url": stats.get("xxgk/base_url"),
        "unreachable": unreachable(stats),
    }
    summary["problems"] = problems(summary, stats.get("xxgk/health/min_ratio", 0.5))
    summary["status"] = "blocked" if summary["blocked"] else "failed" if summary["problems"] else "ok"
    return summary


def crawl_summary(crawler) -> dict | None:
    """The summary of a crawler that ran (None if its spider never opened)."""
    if crawler.spider is None or crawler.stats is None:
        return None
    return summarize(crawler.spider.name, crawler.stats.get_stats())


def years(stats: dict) -> dict[str, int]:
    """Reports found per report year (as the spider counted them), oldest first."""
    found = {key.removeprefix(YEAR_PREFIX): value for key, value in stats.items() if key.startswith(YEAR_PREFIX)}
    return dict(sorted(found.items()))


def unreachable(stats: dict) -> str | None:
    """`HOST (DNS)` when the crawl got no response at all and its requests failed on the network (the faults the
    spider counted, with their URLs), else None."""
    if stats.get("downloader/response_count"):
        return None
    found: Counter[str] = Counter()
    for kind, word in REACH.items():
        for url in stats.get(f"{faults.PREFIX}evidence/{kind}") or []:
            found[f"{urlsplit(url).hostname} ({word})"] += stats.get(faults.PREFIX + kind, 0)
    return ", ".join(place for place, _ in found.most_common()) or None


def previous_counts(stats: dict) -> dict | None:
    """What the site's last good crawl found, if CrawlHealth read one from the database."""
    if "xxgk/previous/reports" not in stats:
        return None
    return {"reports": stats["xxgk/previous/reports"], "attachments": stats.get("xxgk/previous/attachments", 0)}


def problems(summary: dict, min_ratio: float = 0.5) -> list[str]:
    """Why a crawl counts as failed or blocked (empty when it did not)."""
    found = []
    if summary["archive_errors"]:
        found.append(f"{summary['archive_errors']} responses could not be archived")
    if summary["storage_errors"]:
        found.append(f"{summary['storage_errors']} items could not be stored")
    if summary.get("index_errors"):
        found.append(f"{summary['index_errors']} WARC files could not be indexed (replay misses them; `xxgk index`)")
    if summary.get("unrestorable"):
        found.append(f"{summary['unrestorable']} requests the stopped run left could not be read back from its "
                     "journal")
    if summary.get("resumed_unanswered"):
        found.append(f"{summary['resumed_unanswered']} requests the stopped run left got no answer")
    if summary.get("blocked"):
        evidence = "; ".join((summary.get("blocked_evidence") or [])[:3])
        found.append(f"blocked by an anti-bot front end ({summary['blocked']} requests): {evidence}")
    found_now = summary["reports"] + summary["attachments"]
    if summary.get("unreachable"):
        found.append(f"cannot reach {summary['unreachable']}")
    elif not found_now and not summary.get("expected_empty"):
        found.append("no report found")
    previous = summary.get("previous")
    if previous and found_now and not summary.get("expected_empty"):
        before = previous["reports"] + previous["attachments"]
        if found_now < before * min_ratio:
            found.append(f"far fewer than the last crawl: {found_now} reports and attachments, {before} before")
    if summary.get("faults", {}).get("site_deadline"):
        found.append(f"incomplete: the site's time budget ran out ({summary['faults']['site_deadline']} requests "
                     "not made; XXGK_SITE_DEADLINE)")
    if summary.get("seeds_failed"):
        found.append(f"{summary['seeds_failed']} of the given URLs could not be captured")
    if summary["finish_reason"] not in (None, "finished"):
        found.append(f"crawl ended: {summary['finish_reason']}")
    return found


def format_table(summaries: list[dict]) -> str:
    """A plain-text table, one row per site, then reports per year and any problems."""
    lines = plain_table(COLUMNS, [tuple(str(_cell(s, c)) for c in COLUMNS) for s in summaries]).splitlines()
    for summary in summaries:
        if summary.get("years"):
            per_year = " ".join(f"{year}:{count}" for year, count in summary["years"].items())
            lines.append(f"{summary['site']}: reports per year {per_year}")
    for summary in summaries:
        lines.extend(f"{summary['site']}: {note}" for note in notes(summary))
        if summary.get("faults"):
            lines.append(f"{summary['site']}: faults " + " ".join(f"{k}:{n}" for k, n in summary["faults"].items()))
    for summary in summaries:
        if summary.get("runs", 1) > 1:
            lines.append(f"{summary['site']}: resumed a stopped crawl; the counts are those of its {summary['runs']} "
                         "runs")
        lines.extend(f"{summary['site']}: {problem}" for problem in summary.get("problems", ()))
    return "\n".join(lines)


def notes(summary: dict) -> list[str]:
    """What went otherwise than the registry entry says, without failing the crawl."""
    fallback = summary.get("fallback_columns") or []
    if not fallback:
        return []
    return [f"{len(fallback)} column(s) read by the generic spider, where the family's reader found nothing or no "
            "further page: "
            + ", ".join(fallback[:5]) + (" …" if len(fallback) > 5 else "")]


def _cell(summary: dict, column: str):
    """A table cell: the faults column is their total."""
    value = summary.get(column, "")
    return sum(value.values()) if isinstance(value, dict) else value


def format_summary(summary: dict) -> str:
    """One log line."""
    keys = ("status", "list_pages", "reports", "attachments", "errors", "challenges", "passes", "blocked")
    counts = " ".join(f"{key}={summary.get(key)}" for key in keys)
    counts += " faults=" + (",".join(f"{k}:{n}" for k, n in (summary.get("faults") or {}).items()) or "-")
    per_year = ",".join(f"{year}:{count}" for year, count in (summary.get("years") or {}).items())
    return f"crawl summary {summary['site']}: {counts} years={per_year or '-'}" + "".join(
        f"\n  note: {n}" for n in notes(summary)) + "".join(f"\n  problem: {p}" for p in summary.get("problems", ()))


class CrawlHealth:
    """Read the site's last good crawl from the database when it opens; log the summary when it closes."""

    def __init__(self, crawler, url: str, min_ratio: float) -> None:
        self.crawler, self.url, self.min_ratio = crawler, url, min_ratio

    @classmethod
    def from_crawler(cls, crawler):
        from crawler.config import database_url

        settings = crawler.settings
        extension = cls(crawler, database_url(settings),
                        settings.getfloat("XXGK_HEALTH_MIN_RATIO", 0.5))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def spider_opened(self, spider) -> None:
        stats = self.crawler.stats
        stats.set_value("xxgk/health/min_ratio", self.min_ratio)
        if getattr(spider, "base_url", None):
            stats.set_value("xxgk/base_url", spider.base_url)
        previous = last_good_summary(self.url, spider.name)
        if previous:
            stats.set_value("xxgk/previous/reports", previous.get("reports", 0))
            stats.set_value("xxgk/previous/attachments", previous.get("attachments", 0))

    def engine_stopped(self) -> None:
        """Log the summary once every component has closed (a resumed crawl's counts are known only then)."""
        summary = crawl_summary(self.crawler)
        if summary is not None:  # INFO: the log file keeps it; the console gets it as the table the command prints
            logger.info(format_summary(summary))


def last_good_summary(url: str, site: str) -> dict | None:
    """The summary of the site's last finished `ok` crawl, or None (no database yet, or never crawled)."""
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from crawler import database as db

    if not db.exists(url):
        return None
    try:
        with db.connect(url).connect() as conn:
            row = conn.execute(
                select(db.crawls.c.summary).where(db.crawls.c.site == site, db.crawls.c.status == "ok",
                                                  db.crawls.c.finished_at.is_not(None))
                .order_by(db.crawls.c.id.desc()).limit(1)
            ).first()
    except SQLAlchemyError as exc:
        logger.warning("%s: cannot read the last good crawl, so the health check compares with none: %s", site, exc)
        return None
    return dict(row[0]) if row and row[0] else None

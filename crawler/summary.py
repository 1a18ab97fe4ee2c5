"""A site crawl's health in a few numbers, from its Scrapy stats."""

from __future__ import annotations

COLUMNS = ("site", "status", "list_pages", "reports", "attachments", "warc_bytes", "errors", "blocked")


def summarize(site: str, stats: dict, finish_reason: str | None = None, expect_reports: bool = True) -> dict:
    """Counts shown after a crawl and stored with it; status is `failed` when something was lost."""
    summary = {
        "site": site,
        "list_pages": stats.get("xxgk/list_pages", 0),
        "reports": stats.get("xxgk/documents", 0),
        "attachments": stats.get("xxgk/attachments", 0),
        "warc_bytes": stats.get("xxgk/warc/bytes", 0),
        "errors": stats.get("xxgk/errors", 0),
        "archive_errors": stats.get("xxgk/warc/errors", 0),
        "storage_errors": stats.get("xxgk/storage/errors", 0),
        "extract_errors": stats.get("xxgk/extract/errors", 0),
        "blocked": stats.get("xxgk/blocked", 0),
        "finish_reason": finish_reason or stats.get("finish_reason"),
    }
    summary["problems"] = problems(summary, expect_reports)
    summary["status"] = "failed" if summary["problems"] else "ok"
    return summary


def problems(summary: dict, expect_reports: bool = True) -> list[str]:
    """Why a crawl counts as failed (empty when it did not)."""
    found = []
    if summary["archive_errors"]:
        found.append(f"{summary['archive_errors']} responses could not be archived")
    if summary["storage_errors"]:
        found.append(f"{summary['storage_errors']} items could not be stored")
    if expect_reports and not summary["reports"] and not summary["attachments"]:
        found.append("no report found")
    if summary["finish_reason"] not in (None, "finished"):
        found.append(f"crawl ended: {summary['finish_reason']}")
    return found


def format_table(summaries: list[dict]) -> str:
    """A plain-text table, one row per site."""
    rows = [COLUMNS] + [tuple(str(s.get(c, "")) for c in COLUMNS) for s in summaries]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    for summary in summaries:
        lines.extend(f"{summary['site']}: {problem}" for problem in summary.get("problems", ()))
    return "\n".join(lines)

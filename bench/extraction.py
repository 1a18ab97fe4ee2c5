"""Extraction speed and accuracy on one core: xxgk's known-family path against trafilatura on the same pages."""

from __future__ import annotations

import collections
import json
import time
from pathlib import Path

from bench.portals import SITES, _reports
from crawler.simulator.render import render_report
from crawler.simulator.reports import expected_text

EVAL = Path(__file__).resolve().parent.parent / "tests" / "eval"


def sample(count: int) -> list[tuple[str, str, str]]:
    """(url, html, expected body text) of `count` generated report pages over the bench families."""
    found = []
    for site, family, _, first_id in SITES:
        for report in _reports(family, max(1, count // len(SITES)), first_id):
            found.append((f"http://{site}.example/{report.id}.html", render_report(report),
                          "\n".join(expected_text(report.blocks))))
    return found[:count]


def char_f1(got: str | None, want: str) -> float:
    """F1 of the multiset of non-space characters: 1.0 when the text is the same, whatever its line breaks."""
    got_chars = collections.Counter(c for c in got or "" if not c.isspace())
    want_chars = collections.Counter(c for c in want if not c.isspace())
    common = sum((got_chars & want_chars).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got_chars.values()), common / sum(want_chars.values())
    return 2 * precision * recall / (precision + recall)


def xxgk_page(url: str, html: str) -> str | None:
    """What the crawl's pipeline does to a report page: fields, then the statistics tables."""
    from pipelines.extraction import extract_document

    fields, _ = extract_document(html, url)
    return fields.get("text")


def xxgk_fields_only(url: str, html: str) -> str | None:
    """extract() alone: metadata and clean text, no statistics tables."""
    from crawler.extract import extract

    return extract(html, url).get("text")


def trafilatura_page(url: str, html: str) -> str | None:
    import trafilatura

    return trafilatura.extract(html, url=url, include_tables=True, favor_precision=False)


def measure(count: int) -> dict:
    """Pages per second and mean text F1 of both extractors (one core, after a warm-up page)."""
    pages_ = sample(count)
    results = {}
    for name, function in (("xxgk", xxgk_page), ("xxgk_fields_only", xxgk_fields_only),
                           ("trafilatura", trafilatura_page)):
        function(*pages_[0][:2])
        started = time.process_time()
        texts = [function(url, html) for url, html, _ in pages_]
        seconds = time.process_time() - started  # scoring is not extraction: outside the timed loop
        scores = [char_f1(text, want) for text, (_, _, want) in zip(texts, pages_, strict=True)]
        results[name] = {"pages": len(pages_), "cpu_seconds": round(seconds, 3),
                         "pages_per_second": round(len(pages_) / seconds, 1),
                         "text_f1": round(sum(scores) / len(scores), 4)}
    results["eval_corpus"] = eval_titles()
    return results


def eval_titles() -> dict:
    """Title and publication-date accuracy on the labelled corpus's page cases, xxgk against trafilatura."""
    import trafilatura

    from crawler.extract import extract_file

    tally = {"xxgk": [0, 0], "trafilatura": [0, 0]}
    for path in sorted((EVAL / "expected").glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        if case["mode"] != "page":
            continue
        source = EVAL / case["file"]
        ours = extract_file(str(source), case.get("url"))
        theirs = trafilatura.bare_extraction(ours.get("_html") or _decoded(source), url=case.get("url"),
                                             with_metadata=True)
        theirs = theirs.as_dict() if hasattr(theirs, "as_dict") else (theirs or {})
        for field, other in (("title", "title"), ("publish_date", "date")):
            if field not in case["fields"]:
                continue
            want = case["fields"][field]
            tally["xxgk"][0] += ours.get(field) == want
            tally["trafilatura"][0] += theirs.get(other) == want
            for name in tally:
                tally[name][1] += 1
    return {name: f"{right}/{total}" for name, (right, total) in tally.items()}


def _decoded(path: Path) -> str:
    from crawler.extract.document import decode

    return decode(path.read_bytes())

"""Extraction quality on the labelled corpora (tests/eval): per-field and per-table cell accuracy against a baseline.

Three corpora, scored and reported separately: `synthetic` (tests/eval: seeds and generated cases), `real` (pages
saved from government portals, tests/eval/real) and `variations` (hand-made variations of real patterns that no
real page covers, tests/eval/variations). An *invented* value is one where the truth is empty (the page shows
none): a field, a list entry's field or a table cell. The baseline requires none.

Run: `python -m crawler.extract.evaluate [--corpus DIR] [--update-baseline]` or `xxgk eval`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import urljoin

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "tests" / "eval"
BASELINE = "baseline.json"
CORPORA = {"synthetic": ".", "real": "real", "variations": "variations"}  # name -> directory under the corpus root
ENTRY_FIELDS = ("report_year", "agency")  # what a list entry's title says, as the document classifier reads it
ROW_FIELDS = ("title", "index_no", "issuer", "doc_number", "publish_date")  # metadata a list row carries


def run_case(case: dict, root: Path) -> dict:
    """The output a case is judged on: extract() fields, parse_report() result, or listing fields."""
    from crawler.extract import extract_file
    from crawler.extract.listing import gkmlpt_fields, list_row_fields
    from crawler.extract.tables import parse_report

    mode = case["mode"]
    if mode == "gkmlpt":
        return gkmlpt_fields(case["input"])
    if mode == "listrow":
        return list_row_fields(case["input"])
    path = root / case["file"]
    if mode == "page":
        out = extract_file(str(path), case.get("url"), case.get("listed"))
        out["section_headings"] = [s["heading"] for s in out["sections"]]
        return out
    if mode == "list":
        return list_output(case, path)
    return parse_report(path, case.get("url"))


def list_output(case: dict, path: Path) -> dict:
    """A list page's rows (metadata by URL) and the classification of every listed title."""
    from crawler.extract.document import decode
    from crawler.extract.listing import list_rows
    from crawler.extract.report import classify

    base = case.get("url") or ""
    rows = {row["url"]: row for row in list_rows(decode(path.read_bytes()), base)}
    titles = {entry["title"]: classify(entry["title"]) for entry in case.get("entries", []) if entry.get("title")}
    return {"rows": rows, "titles": {t: {"report_year": c.year, "agency": c.agency} for t, c in titles.items()}}


def _cell_key(cell: dict) -> tuple[str, str, str]:
    """(table, row, col) of a cell."""
    return cell["table"], cell["row"], cell["col"]


def _judge(tally: dict, case: str, name: str, want, got, mistakes: list[str], where: str = "") -> None:
    """One value against its truth: tallied under `name`, a mistake line if wrong, invented if the truth is empty."""
    ok = got == want
    tally["fields"][name].append(ok)
    if ok:
        return
    mistakes.append(f"field {name}{where}: want {want!r}, got {got!r}")
    if want is None and got is not None:
        tally["invented"].append(f"{case}: {name}{where} = {got!r}")


def score_entries(case: dict, out: dict, tally: dict) -> list[str]:
    """List cases: each entry's title classified, and the metadata its row carries (none invented)."""
    mistakes: list[str] = []
    base = case.get("url") or ""
    for entry in case.get("entries", []):
        where = f" [{entry.get('title') or entry.get('url')}]"
        judged = out["titles"].get(entry.get("title"), {})
        for name in ENTRY_FIELDS:
            if name in entry:
                _judge(tally, case["name"], f"entry_{name}", entry[name], judged.get(name), mistakes, where)
        row = out["rows"].get(urljoin(base, entry["url"])) if entry.get("url") else None
        for name in ROW_FIELDS:
            want, got = entry.get("date" if name == "publish_date" else name), (row or {}).get(name)
            if _carries(entry, name) or got is not None:
                _judge(tally, case["name"], f"row_{name}", want, got, mistakes, where)
    return mistakes


def _carries(entry: dict, name: str) -> bool:
    """True when the labels say what this entry's list row shows for a field (its title and date only in rows that
    show metadata: reading every list's links is the spiders' work, not extraction's)."""
    if name in ("publish_date", "title"):
        return ("date" if name == "publish_date" else name) in entry and any(
            key in entry for key in ("index_no", "issuer", "doc_number"))
    return name in entry


def score_case(case: dict, out: dict, tally: dict) -> list[str]:
    """Add one case's field and cell results to the tally; return its mistakes as lines."""
    mistakes: list[str] = []
    for name, want in case.get("fields", {}).items():
        _judge(tally, case["name"], name, want, out.get(name), mistakes)
    if case["mode"] == "list":
        mistakes += score_entries(case, out, tally)
    text = out.get("text") or ""
    for name, wanted, present in (("text_kept", case.get("text_includes", []), True),
                                  ("text_clean", case.get("text_excludes", []), False)):
        for snippet in wanted:
            ok = (snippet in text) == present
            tally["fields"][name].append(ok)
            if not ok:
                mistakes.append(f"{name}: {snippet!r} {'missing from' if present else 'left in'} the text")
    if "cells" in case:
        got_cells = {_cell_key(c): c for c in out.get("cells", [])}
        want_keys = set()
        for want in case["cells"]:
            key = _cell_key(want)
            want_keys.add(key)
            got = got_cells.get(key)
            ok = got is not None and got["value"] == want["value"] and got.get("unit") == want.get("unit")
            tally["tables"][want["table"]].append(ok)
            if not ok:
                mistakes.append(f"cell {key}: want {want['value']!r} {want.get('unit') or ''}, "
                                f"got {None if got is None else (got['value'], got.get('unit'))}")
        if case.get("cells_complete"):
            for key, cell in got_cells.items():
                invented = key not in want_keys and cell["value"] is not None
                if invented or (key in want_keys and _invents(case, key, cell)):
                    tally["invented"].append(f"{case['name']}: {key} = {cell['value']}")
                    mistakes.append(f"invented number {key} = {cell['value']}")
    for table, check, where in case.get("failing_checks", []):
        found = [c for c in out.get("checks", []) if (c["table"], c["check"], c["where"]) == (table, check, where)]
        ok = bool(found) and found[0]["ok"] is False
        tally["fields"]["failing_checks"].append(ok)
        if not ok:
            mistakes.append(f"check {check} {where} should fail")
    return mistakes


def _invents(case: dict, key: tuple, cell: dict) -> bool:
    """True when the parser gives a number where the truth is blank."""
    want = next(c for c in case["cells"] if _cell_key(c) == key)
    return want["value"] is None and cell["value"] is not None


def evaluate(root: Path = DEFAULT_CORPUS) -> dict:
    """Accuracy per field and per table over every case in root/expected; invented values listed."""
    tally: dict = {"fields": defaultdict(list), "tables": defaultdict(list), "invented": []}
    mistakes: dict[str, list[str]] = {}
    for path in sorted((root / "expected").glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8")) | {"name": path.stem}
        try:
            out = run_case(case, root)
        except Exception as exc:  # noqa: BLE001 - a crash is a case wholly wrong, not the end of the evaluation
            out = {"error": f"{type(exc).__name__}: {exc}", "rows": {}, "titles": {}}
        if found := score_case(case, out, tally) + ([out["error"]] if "error" in out else []):
            mistakes[path.stem] = found
    accuracy = lambda oks: round(sum(oks) / len(oks), 4)  # noqa: E731
    every = [ok for oks in tally["fields"].values() for ok in oks]
    return {"fields": {k: accuracy(v) for k, v in sorted(tally["fields"].items())},
            "tables": {k: accuracy(v) for k, v in sorted(tally["tables"].items())},
            "all_fields": accuracy(every) if every else None,
            "counts": {"fields": {k: len(v) for k, v in sorted(tally["fields"].items())},
                       "cells": {k: len(v) for k, v in sorted(tally["tables"].items())}, "all_fields": len(every)},
            "invented": tally["invented"], "mistakes": mistakes}


def evaluate_all(root: Path = DEFAULT_CORPUS) -> dict[str, dict]:
    """evaluate() of each corpus present under root, by corpus name."""
    return {name: evaluate(root / sub) for name, sub in CORPORA.items() if (root / sub / "expected").is_dir()}


def regressions(result: dict, baseline: dict) -> list[str]:
    """Figures of one corpus below its baseline (and invented values above it)."""
    out = []
    for group in ("fields", "tables"):
        for name, floor in baseline.get(group, {}).items():
            got = result[group].get(name)
            if got is None or got < floor:
                out.append(f"{group} {name}: {got} < baseline {floor}")
    if len(result["invented"]) > baseline.get("invented", 0):
        out.append(f"invented values: {len(result['invented'])} > baseline {baseline.get('invented', 0)}")
    return out


def report_lines(result: dict, baseline: dict) -> list[str]:
    """Human-readable table of one corpus's figures with their baseline."""
    lines = ["field                     accuracy  baseline  n"]
    for name, acc in result["fields"].items():
        lines.append(f"{name:<25} {acc:>8.4f}  {baseline.get('fields', {}).get(name, '-'):>8}  "
                     f"{result['counts']['fields'][name]}")
    if result["all_fields"] is not None:
        lines.append(f"{'(all fields)':<25} {result['all_fields']:>8.4f}  {'':>8}  {result['counts']['all_fields']}")
    if result["tables"]:
        lines.append("table cells               accuracy  baseline  n")
    for name, acc in result["tables"].items():
        lines.append(f"{name:<25} {acc:>8.4f}  {baseline.get('tables', {}).get(name, '-'):>8}  "
                     f"{result['counts']['cells'][name]}")
    lines.append(f"invented values: {len(result['invented'])}")
    lines += [f"  INVENTED {line}" for line in result["invented"]]
    for case, found in result["mistakes"].items():
        lines += [f"  {case}: {m}" for m in found[:10]]
    return lines


def stored(result: dict) -> dict:
    """The figures of one corpus as the baseline keeps them."""
    return {"fields": result["fields"], "tables": result["tables"], "invented": len(result["invented"])}


def main(argv: list[str] | None = None) -> int:
    """Print the figures of each corpus; exit 1 if any is below its baseline."""
    parser = argparse.ArgumentParser(prog="xxgk eval", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--update-baseline", action="store_true", help="Store the current figures as the baseline.")
    args = parser.parse_args(argv)
    results = evaluate_all(args.corpus)
    baseline_path = args.corpus / BASELINE
    if args.update_baseline:
        text = json.dumps({name: stored(r) for name, r in results.items()}, ensure_ascii=False, indent=1)
        baseline_path.write_text(text + "\n", encoding="utf-8")
    baseline = json.loads(baseline_path.read_text(encoding="utf-8")) if baseline_path.exists() else {}
    failed = []
    for name, result in results.items():
        print(f"== {name} corpus ({args.corpus / CORPORA[name]})")
        print("\n".join(report_lines(result, baseline.get(name, {}))))
        failed += [f"{name}: {line}" for line in regressions(result, baseline.get(name, {}))]
    for line in failed:
        print("REGRESSION " + line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Extraction quality on the labelled corpus (tests/eval): per-field and per-table cell accuracy against a baseline.

Run: `python -m crawler.extract.evaluate [--corpus DIR] [--update-baseline]` or `xxgk eval`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "tests" / "eval"
BASELINE = "baseline.json"


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
        out = extract_file(str(path), case.get("url"))
        out["section_headings"] = [s["heading"] for s in out["sections"]]
        return out
    return parse_report(path, case.get("url"))


def _cell_key(cell: dict) -> tuple[str, str, str]:
    """(table, row, col) of a cell."""
    return cell["table"], cell["row"], cell["col"]


def score_case(case: dict, out: dict, tally: dict) -> list[str]:
    """Add one case's field and cell results to the tally; return its mistakes as lines."""
    mistakes = []
    for name, want in case.get("fields", {}).items():
        got = out.get(name)
        ok = got == want
        tally["fields"][name].append(ok)
        if not ok:
            mistakes.append(f"field {name}: want {want!r}, got {got!r}")
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
    """Accuracy per field and per table over every case in root/expected; invented numbers listed."""
    tally: dict = {"fields": defaultdict(list), "tables": defaultdict(list), "invented": []}
    mistakes: dict[str, list[str]] = {}
    for path in sorted((root / "expected").glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8")) | {"name": path.stem}
        try:
            out = run_case(case, root)
        except Exception as exc:  # noqa: BLE001 - a crash is a case wholly wrong, not the end of the evaluation
            out = {"error": f"{type(exc).__name__}: {exc}"}
        if found := score_case(case, out, tally) + ([out["error"]] if "error" in out else []):
            mistakes[path.stem] = found
    accuracy = lambda oks: round(sum(oks) / len(oks), 4)  # noqa: E731
    return {"fields": {k: accuracy(v) for k, v in sorted(tally["fields"].items())},
            "tables": {k: accuracy(v) for k, v in sorted(tally["tables"].items())},
            "counts": {"fields": {k: len(v) for k, v in sorted(tally["fields"].items())},
                       "cells": {k: len(v) for k, v in sorted(tally["tables"].items())}},
            "invented": tally["invented"], "mistakes": mistakes}


def regressions(result: dict, baseline: dict) -> list[str]:
    """Figures below the baseline (and invented numbers above it)."""
    out = []
    for group in ("fields", "tables"):
        for name, floor in baseline.get(group, {}).items():
            got = result[group].get(name)
            if got is None or got < floor:
                out.append(f"{group} {name}: {got} < baseline {floor}")
    if len(result["invented"]) > baseline.get("invented", 0):
        out.append(f"invented numbers: {len(result['invented'])} > baseline {baseline.get('invented', 0)}")
    return out


def report_lines(result: dict, baseline: dict) -> list[str]:
    """Human-readable table of the figures with their baseline."""
    lines = ["field                     accuracy  baseline  n"]
    for name, acc in result["fields"].items():
        lines.append(f"{name:<25} {acc:>8.4f}  {baseline.get('fields', {}).get(name, '-'):>8}  "
                     f"{result['counts']['fields'][name]}")
    lines.append("table cells               accuracy  baseline  n")
    for name, acc in result["tables"].items():
        lines.append(f"{name:<25} {acc:>8.4f}  {baseline.get('tables', {}).get(name, '-'):>8}  "
                     f"{result['counts']['cells'][name]}")
    lines.append(f"invented numbers: {len(result['invented'])}")
    for case, found in result["mistakes"].items():
        lines += [f"  {case}: {m}" for m in found[:10]]
    return lines


def main(argv: list[str] | None = None) -> int:
    """Print the figures; exit 1 if any is below the baseline."""
    parser = argparse.ArgumentParser(prog="xxgk eval", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--update-baseline", action="store_true", help="Store the current figures as the baseline.")
    args = parser.parse_args(argv)
    result = evaluate(args.corpus)
    baseline_path = args.corpus / BASELINE
    if args.update_baseline:
        stored = {"fields": result["fields"], "tables": result["tables"], "invented": len(result["invented"])}
        baseline_path.write_text(json.dumps(stored, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    baseline = json.loads(baseline_path.read_text(encoding="utf-8")) if baseline_path.exists() else {}
    print("\n".join(report_lines(result, baseline)))
    failed = regressions(result, baseline)
    for line in failed:
        print("REGRESSION " + line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

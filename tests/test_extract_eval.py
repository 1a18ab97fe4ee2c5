"""The evaluation corpus (tests/eval) against its stored baseline: no figure may drop, no number may be invented."""

from __future__ import annotations

import json
from pathlib import Path

from crawler.extract.evaluate import evaluate, regressions

EVAL = Path(__file__).parent / "eval"


def test_corpus_at_or_above_baseline():
    result = evaluate(EVAL)
    baseline = json.loads((EVAL / "baseline.json").read_text(encoding="utf-8"))
    assert regressions(result, baseline) == [], result["mistakes"]
    assert result["invented"] == []
    assert {"t2", "t3", "t4", "pre2019"} <= set(result["tables"])
    assert result["counts"]["cells"]["t3"] >= 1000


def test_a_wrong_value_is_a_regression(tmp_path):
    for sub in ("expected", "corpus"):
        (tmp_path / sub).mkdir()
    case = json.loads((EVAL / "expected" / "seed_004_html.json").read_text(encoding="utf-8"))
    (tmp_path / "corpus" / "seed_004.html").write_bytes((EVAL / case["file"]).read_bytes())
    case["file"] = "corpus/seed_004.html"
    case["cells"][0]["value"] = 99
    case["cells"] = [c for c in case["cells"] if not (c["table"] == "t4" and c["col"] == "总计")]
    (tmp_path / "expected" / "x.json").write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    result = evaluate(tmp_path)
    found = regressions(result, {"tables": {"t2": 1.0}, "invented": 0})
    assert any(line.startswith("tables t2") for line in found)
    assert any("invented" in line for line in found)  # t4 totals the truth does not list count as invented

"""The template's own identities over the parsed cells; a failing check is recorded, the numbers stay as published."""

from __future__ import annotations

from crawler.extract import templates as tp

Number = int | float | None


def _check(table: str, name: str, total: Number, terms: dict[str, Number], where: str) -> dict:
    """One identity `total == sum(terms)` with its numbers; ok is None when a number is missing."""
    missing = [k for k, v in terms.items() if v is None] + (["total"] if total is None else [])
    computed = None if missing else round(sum(v for v in terms.values() if v is not None), 6)
    ok = None if missing else abs(computed - total) < 1e-6
    return {"table": table, "check": name, "where": where, "total": total, "sum": computed, "terms": terms,
            "ok": ok, **({"missing": missing} if missing else {})}


def t3_checks(cells: list[dict]) -> list[dict]:
    """一+二 = 三（七）+四 per column, 总计 = sum of the results per column, 总计 = sum of applicants per row."""
    grid = {(c["row"], c["col"]): c["value"] for c in cells if c["table"] == "t3"}
    if not grid:
        return []
    rows = list(dict.fromkeys(r for r, _ in grid))
    cols = list(dict.fromkeys(c for _, c in grid))
    total_row = f"{tp.T3_RESULTS}/总计"
    results = [r for r in rows if r.startswith(tp.T3_RESULTS + "/") and r != total_row]
    # a group printed with its own row and sub-rows (其他处理 in 2021) counts once: by its sub-rows
    results = [r for r in results if not any(o.startswith(r + "/") for o in results)]
    out = []
    for col in cols:
        get = lambda row, col=col: grid.get((row, col))  # noqa: E731
        if (tp.T3_NEW, col) in grid and (total_row, col) in grid:
            out.append(_check("t3", "一+二=三（七）+四", None if get(tp.T3_NEW) is None or get(tp.T3_CARRIED_IN) is None
                              else get(tp.T3_NEW) + get(tp.T3_CARRIED_IN),
                              {total_row: get(total_row), tp.T3_CARRIED_OUT: get(tp.T3_CARRIED_OUT)}, col))
        if results and (total_row, col) in grid:
            out.append(_check("t3", "总计=办理结果之和", get(total_row), {r: get(r) for r in results}, col))
    applicants = [c for c in cols if c not in (tp.T3_TOTAL, tp.T3_SUBTOTAL)]
    orgs = [c for c in cols if c in tp.T3_ORGS]
    for row in rows:
        if tp.T3_TOTAL in cols:
            out.append(_check("t3", "总计=申请人之和", grid.get((row, tp.T3_TOTAL)),
                              {c: grid.get((row, c)) for c in applicants}, row))
        if tp.T3_SUBTOTAL in cols:
            out.append(_check("t3", "小计=法人或其他组织之和", grid.get((row, tp.T3_SUBTOTAL)),
                              {c: grid.get((row, c)) for c in orgs}, row))
    return out


def t4_checks(cells: list[dict]) -> list[dict]:
    """Each block's 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结."""
    grid = {(c["row"], c["col"]): c["value"] for c in cells if c["table"] == "t4"}
    out = []
    for block in tp.T4_BLOCKS:
        if (block, "总计") in grid:
            terms = {r: grid.get((block, r)) for r in tp.T4_RESULTS[:-1]}
            out.append(_check("t4", "总计=各结果之和", grid[(block, "总计")], terms, block))
    return out


def run_checks(cells: list[dict]) -> list[dict]:
    """Every identity the template states, over whatever tables were parsed."""
    return t3_checks(cells) + t4_checks(cells)

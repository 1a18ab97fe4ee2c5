"""The statistics tables as cells: sections 二 (t2), 三 (t3), 四 (t4) and the pre-2019 统计表, mapped onto the template."""

from __future__ import annotations

from crawler.extract import templates as tp
from crawler.extract.cells import Row, clean, is_value, parse_value

Cell = dict


def _cell(table: str, row: str, col: str, text: str | None, unit: str | None = None) -> Cell:
    """One output cell; the number is parsed from the printed text (None when blank or unreadable)."""
    value, printed_unit = parse_value(text)
    out = {"table": table, "row": row, "col": col, "value": value}
    if unit or printed_unit:
        out["unit"] = printed_unit or unit
    return out


def split(row: Row) -> tuple[list[str], list[str]]:
    """(label cells, trailing value cells) of a row; consecutive repeated labels (span copies) kept once."""
    i = len(row.cells)
    while i > 0 and is_value(row.cells[i - 1]):
        i -= 1
    labels: list[str] = []
    for c in row.cells[:i]:
        if c and (not labels or labels[-1] != c):
            labels.append(c)
    return labels, row.cells[i:]


def kind_of(row: Row) -> str | None:
    """Which table a row opens: a 第二十条/信息内容 row (t2), the applicant header (t3), 行政复议 (t4), 统计指标."""
    keys = [tp.key(c) for c in row.cells if c]
    if not keys:
        return None
    if keys[0].startswith("第二十条第") or keys[0] == "信息内容":
        return "t2"
    if "自然人" in keys or "申请人情况" in keys or keys[0] == tp.key(tp.T3_NEW):
        return "t3"
    if "行政复议" in keys:
        return "t4"
    if "统计指标" in keys or ("统计数" in keys and "单位" in keys):
        return "pre2019"
    return None


def segments(block: list[Row]) -> list[tuple[str | None, list[Row]]]:
    """A block of rows cut into (table kind, rows) wherever a row opens a table of another kind (None before any)."""
    out: list[tuple[str | None, list[Row]]] = []
    for row in block:
        kind = kind_of(row)
        if not out or (kind and out[-1][0] != kind):
            out.append((kind, []))
        out[-1][1].append(row)
    return out


def continues(kind: str, row: Row) -> bool:
    """True when a row opening a block is a row of this kind's table (its label is the template's)."""
    labels = split(row)[0]
    if not labels:
        return False
    k = tp.key(labels[0])
    if kind == "t3":
        leaves = {tp.key(x) for group in tp.T3_LEAVES.values() for x in group}
        return k in tp.T3_TOP_KEYS or k in tp.T3_GROUP_KEYS or k in leaves
    return kind == "t2" and tp.strip_label(labels[0]) in tp.T2_ITEMS


def _regroup(rows: list[Row], kind: str) -> list[Row]:
    """One-cell-per-line rows rebuilt into table rows for the template of this kind."""
    if any(r.mode != "cell" for r in rows):
        return rows
    cells = [r.cells[0] for r in rows]
    if kind == "pre2019":
        start = next((i for i, c in enumerate(cells) if tp.key(c) == "统计指标"), 0)
        end = next((i for i, c in enumerate(cells[start:], start) if "说明" in c), start + 3)
        width = end - start + 1
        return [Row(cells[i:i + width], "cell") for i in range(start, len(cells), width)]
    starters = {tp.key(x) for x in (*tp.T3_TOP, *tp.T2_ITEMS, "信息内容")}
    out: list[list[str]] = []
    for c in cells:
        label = not is_value(c)
        k = tp.key(c) if label else ""
        prev_value = bool(out) and bool(out[-1]) and is_value(out[-1][-1])
        t4_values = kind == "t4" and not label and bool(out) and bool(out[-1]) and not prev_value
        if not out or t4_values or (label and (prev_value or k in starters or k.startswith("第二十条第"))):
            out.append([])
        out[-1].append(c)
    return [Row(r, "cell") for r in out]


def _fit(values: list[str], n: int, row: Row, problems: list[str], name: str) -> list[str | None]:
    """Values for n columns: extra leading cells dropped, a truncated row padded with None (never 0)."""
    if len(values) == n:
        return list(values)
    if row.mode == "space":
        problems.append(f"{name}: {len(values)} numbers for {n} columns in flattened text; left empty")
        return [None] * n
    if len(values) > n:
        return values[-n:]
    if values or row.mode != "grid":
        problems.append(f"{name}: row truncated ({len(values)} of {n} cells)")
    return [*values, *([None] * (n - len(values)))]


# ---------------------------------------------------------------- section 三


def t3_columns(header: list[Row], problems: list[str]) -> list[str]:
    """Applicant columns in printed order (法人或其他组织 expanded to its sub-columns); the template if unreadable."""
    seq: list[str] = []
    for row in header:
        for c in row.cells:
            name = tp.T3_COLUMN_KEYS.get(tp.key(c))
            if name and name not in seq:
                seq.append(name)
    if tp.T3_ORG_GROUP in seq:
        orgs = [c for c in seq if c in tp.T3_ORGS or c == tp.T3_SUBTOTAL]
        i = seq.index(tp.T3_ORG_GROUP)
        rest = [c for c in seq if c not in orgs]
        seq = rest[:i] + orgs + rest[i + 1:]
    if set(tp.T3_COLUMNS) <= set(seq) and len(seq) <= len(tp.T3_COLUMNS) + 1:
        return seq
    if header:
        problems.append("t3: header not recognised, template columns used")
    return list(tp.T3_COLUMNS)


def parse_t3(rows: list[Row], problems: list[str]) -> list[Cell]:
    """Cells of the requests table: rows by template label (groups joined with /), columns by applicant type."""
    rows = _regroup(rows, "t3")
    first = next((i for i, r in enumerate(rows) if any(tp.key(c) in tp.T3_TOP_KEYS for c in split(r)[0])), len(rows))
    columns = t3_columns(rows[:first], problems)
    top, group = None, None
    cells: list[Cell] = []
    seen: set[str] = set()
    for row in rows[first:]:
        labels, values = split(row)
        leaf = None
        for label in labels:
            k = tp.key(label)
            if k in tp.T3_TOP_KEYS:
                top, group = tp.T3_TOP_KEYS[k], None
            elif k in tp.T3_GROUP_KEYS and top in (tp.T3_RESULTS, None):
                top, group = tp.T3_RESULTS, tp.T3_GROUP_KEYS[k]
            elif top == tp.T3_RESULTS and group and "勾稽" not in label:
                leaf = tp.t3_leaf(group, label)
        if not labels or top is None:
            continue
        name = "/".join(x for x in (top, group, leaf) if x) if top == tp.T3_RESULTS else top
        if name in seen:
            problems.append(f"t3: row {name} repeated; first kept")
            continue
        seen.add(name)
        fitted = _fit(values, len(columns), row, problems, f"t3 {name}")
        cells += [_cell("t3", name, col, text) for col, text in zip(columns, fitted, strict=True)]
    return cells


# ---------------------------------------------------------------- section 四


def t4_columns(header: list[Row], grid: bool) -> list[tuple[str, str]]:
    """(block, result) per value position, from the header's result labels; the template if unreadable."""
    results_by_row = [[tp.strip_label(c) for c in r.cells if tp.strip_label(c) in tp.T4_RESULTS] for r in header]
    seq = [x for row in results_by_row for x in row]
    if grid and results_by_row and len(results_by_row[-1]) == 15:
        seq = results_by_row[-1]
    blocks = list(tp.T4_BLOCKS)
    flat = [tp.strip_label(c) for r in header for c in r.cells]
    if "复议后起诉" in flat and "未经复议直接起诉" in flat and flat.index("复议后起诉") < flat.index("未经复议直接起诉"):
        blocks[1], blocks[2] = blocks[2], blocks[1]
    chunks = [seq[i:i + 5] for i in range(0, 15, 5)] if len(seq) == 15 else []
    if not chunks or any(sorted(c) != sorted(tp.T4_RESULTS) for c in chunks):
        chunks = [list(tp.T4_RESULTS)] * 3
    return [(b, r) for b, chunk in zip(blocks, chunks, strict=True) for r in chunk]


def parse_t4(rows: list[Row], problems: list[str]) -> list[Cell]:
    """Cells of the appeals table: fifteen numbers in three blocks of five results."""
    rows = _regroup(rows, "t4")
    header = [r for r in rows if split(r)[0]]
    data = [r for r in rows if not split(r)[0]]
    columns = t4_columns(header, any(r.mode == "grid" for r in rows))
    values: list[str] = [v for r in data for v in r.cells]
    if not data:
        return []
    fitted = _fit(values, 15, data[0] if len(data) == 1 else Row(values, "pipe"), problems, "t4")
    return [_cell("t4", block, result, text) for (block, result), text in zip(columns, fitted, strict=True)]


# ---------------------------------------------------------------- section 二


def _t2_header(cells: list[str], item: str | None, fmt: str) -> list[str | None] | None:
    """Column per position after 信息内容: printed labels if they are the template's, else the item's template."""
    printed = [tp.strip_label(c) or None for c in cells[1:]]
    if printed and all(p in tp.T2_ALL_COLUMNS for p in printed if p) and any(printed):
        return printed
    template = tp.T2_COLUMNS[fmt].get(item or "")
    return list(template) if template else None


def parse_t2(rows: list[Row], fmt: str | None, problems: list[str]) -> list[Cell]:
    """Cells of the proactive-disclosure table: item rows under the column header of their 第二十条 item."""
    rows = _regroup(rows, "t2")
    keys = {tp.strip_label(c) for r in rows for c in r.cells}
    # the printed columns say which template the table follows, whatever the report's year
    printed = "fmt2021" if keys & tp.T2_FMT2021_MARKS else "fmt2019" if keys & tp.T2_FMT2019_MARKS else None
    fmt = printed or ("fmt2021" if fmt == "fmt2021" else "fmt2019")
    item, columns, units = None, None, {}
    cells: list[Cell] = []
    for row in rows:
        first = row.cells[0] if row.cells else ""
        if m := tp.ITEM_NO.search(first.replace(" ", "")):
            item, columns = m.group(1), None
            continue
        if tp.key(first) == "信息内容":
            columns = _t2_header(row.cells, item, fmt)
            units = {tp.strip_label(c): u for c in row.cells[1:] if (u := _unit_note(c))}
            if columns is None:
                problems.append(f"t2: header {' | '.join(row.cells)} not recognised")
            continue
        label = tp.strip_label(first)
        if not label or is_value(first):
            continue
        label = tp.T2_ROW_SPELLING[fmt].get(label, label)
        if columns is None and label in tp.T2_ITEMS:
            item = tp.T2_ITEMS[label]
            columns = list(tp.T2_COLUMNS[fmt].get(item, ())) or None
        if columns is None:
            continue
        values = row.cells[1:]
        if row.mode == "space" and len(values) != len(columns):
            problems.append(f"t2 {label}: {len(values)} numbers for {len(columns)} columns in flattened text; left empty")
            values = []
        done: set[str] = set()
        for i, col in enumerate(columns):
            if col and col not in done:
                done.add(col)
                cells.append(_cell("t2", label, col, values[i] if i < len(values) else None, units.get(col)))
    return cells


def _unit_note(text: str) -> str | None:
    """Unit named in a header's note: `本年收费金额（单位：万元）` -> 万元."""
    i = text.find("单位")
    if i < 0:
        return None
    unit = text[i + 2:].strip(" :：）)")
    return unit or None


# ---------------------------------------------------------------- pre-2019 统计表


def parse_pre2019(rows: list[Row], problems: list[str]) -> list[Cell]:
    """Cells of the pre-2019 统计表: indicator as printed, column 统计数, with its unit and note."""
    rows = _regroup(rows, "pre2019")
    head = next((r for r in rows if kind_of(r) == "pre2019"), None)
    if head is None:
        return []
    keys = [tp.key(c) for c in head.cells]
    unit_at = keys.index("单位") if "单位" in keys else 1
    value_at = keys.index("统计数") if "统计数" in keys else 2
    note_at = next((i for i, c in enumerate(head.cells) if "说明" in c), None)
    cells: list[Cell] = []
    seen: dict[str, int] = {}
    for row in rows[rows.index(head) + 1:]:
        get = row.cells.__getitem__
        n = len(row.cells)
        indicator = clean(row.cells[0]) if row.cells else ""
        unit = clean(get(unit_at)) if unit_at < n else ""
        text = get(value_at) if value_at < n else None
        if not indicator or (unit in ("—", "-", "") and clean(text or "") in ("—", "-", "")):
            continue  # a heading row: no unit, no number
        seen[indicator] = seen.get(indicator, 0) + 1
        name = indicator if seen[indicator] == 1 else f"{indicator}#{seen[indicator]}"
        cell = _cell("pre2019", name, "统计数", text)
        cell["unit"] = unit or None
        if text and cell["value"] is None and clean(text) not in ("—", "-", "无"):
            problems.append(f"pre2019 {name}: value {text!r} is not a number")
        note = clean(get(note_at)) if note_at is not None and note_at < n else ""
        if note:
            cell["note"] = note
        cells.append(cell)
    return cells

"""The statistics tables of generated reports: the seeds' own layouts (seed 002's 政府信息公开情况统计表 before the
2019 format, seed 004's three fmt2019 tables from the 2019 reports on) with numbers that differ from report to report
and add up as the notices require. Each table comes with the figures a test can look for in what was extracted."""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field

from crawler.simulator.reports import (
    FMT2019_DISCLOSURE,
    REQUEST_ROWS,
    Table,
    fmt2019_appeals_table,
    fmt2019_disclosure_table,
    fmt2019_requests_table,
    seed_reports,
)

NUMBER = re.compile(r"\d+(?:\.\d+)?")
FIRST_FMT2019_YEAR = 2019  # the 2019 notice's tables replace the old 统计表 from the 2019 reports on


@dataclass
class Statistics:
    """Tables as a report publishes them, with the section heading before each, and figures for tests:
    (table, row label as printed, column label) -> value."""

    tables: list[tuple[str, Table]]
    figures: dict[tuple[str, str, str], float] = field(default_factory=dict)


def statistics(report_id: str, year: int) -> Statistics:
    """The statistics tables of a report of `year` (numbers drawn from the report's id: stable run to run)."""
    rng = random.Random(f"statistics-{report_id}")
    return pre2019(rng) if year < FIRST_FMT2019_YEAR else fmt2019(rng)


def pre2019(rng: random.Random) -> Statistics:
    """Seed 002's 统计表 (统计指标 | 单位 | 统计数 | 说明), each count scaled by one factor per report."""
    seed = [block for block in seed_reports()["002"].blocks if isinstance(block, Table)][-1]
    factor = rng.uniform(0.2, 1.8)
    rows, figures = [], {}
    labels = Counter(row[0] for row in seed.rows if isinstance(row[0], str))
    for row in seed.rows:
        cells = list(row)
        count = cells[2] if len(cells) > 2 and isinstance(cells[2], str) else ""
        if NUMBER.fullmatch(count):
            value = max(0, round(float(count) * factor))
            cells[2] = str(value)
            if labels[cells[0]] == 1:  # 被依法纠错数 under both 行政复议 and 行政诉讼 names no one cell
                figures[("pre2019", cells[0], "统计数")] = float(value)
        rows.append(cells)
    return Statistics([("附表：政府信息公开情况统计表", Table(rows))], figures)


def fmt2019(rng: random.Random) -> Statistics:
    """Seed 004's sections 二, 三 and 四 with new numbers: section 三's rows add up (一+二 = 三（七）+四, the results
    to 总计, the applicants to 总计) and each block of section 四 to its 总计."""
    disclosure = {label: [_vary(value, rng) for value in values] for label, values in FMT2019_DISCLOSURE.items()}
    counts, figures = _requests(rng), {}
    appeals = []
    for _block in range(3):
        results = [rng.choice((0, 0, 0, 1, 2)) for _ in range(4)]
        appeals += [*results, sum(results)]
    for label, numbers in counts.items():
        figures[("t3", label, "总计")] = float(sum(numbers))
    figures[("t4", "行政复议", "总计")] = float(appeals[4])
    figures[("t2", "规范性文件", "本年新制作数量")] = float(disclosure["规范性文件"][0])
    return Statistics([
        ("附表1：主动公开政府信息情况", fmt2019_disclosure_table(disclosure)),
        ("附表2：收到和处理政府信息公开申请情况", fmt2019_requests_table(counts)),
        ("附表3：政府信息公开行政复议、行政诉讼情况", fmt2019_appeals_table(appeals)),
    ], figures)


def _vary(printed: str, rng: random.Random) -> str:
    """A printed number of the same kind (signed, with a unit, blank) but another value."""
    match = NUMBER.search(printed)
    if not match:
        return printed
    value = float(match.group()) * rng.uniform(0.3, 2.5)
    number = f"{value:.1f}" if "." in match.group() else str(round(value))
    return printed[:match.start()] + number + printed[match.end():]


RESULT_LABELS = [label for _head, _span, label, _n in REQUEST_ROWS if label and label != "（七）总计"]
APPLICANTS = 6  # 自然人, then 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他


def _requests(rng: random.Random) -> dict[str, list[int]]:
    """Section 三's numbers by row label: results drawn per applicant, totals and carried-over requests to match.
    科研机构 stays 0 in the 不予处理 rows, which the table prints blank."""
    counts: dict[str, list[int]] = {}
    group = ""
    for head, _span, label, _n in REQUEST_ROWS:
        group = head or group
        if label not in RESULT_LABELS:
            continue
        if label == "（一）予以公开":  # most requests are answered in full; the other outcomes are rare
            numbers = [rng.randint(5, 80), rng.randint(0, 6), rng.randint(0, 1), rng.randint(0, 1), 0, rng.randint(0, 2)]
        else:
            numbers = [rng.choice((0, 0, 0, 1, 2, 3)), rng.choice((0, 0, 0, 0, 1)), 0, 0, 0, rng.choice((0, 0, 0, 0, 1))]
        if group == "（五）不予处理" and label[:1].isdigit():
            numbers[2] = 0
        counts[label] = numbers
    total = [sum(numbers[column] for numbers in counts.values()) for column in range(APPLICANTS)]
    carried_in = [rng.randint(0, min(2, n)) for n in total]
    carried_out = [rng.randint(0, 2) for _ in range(APPLICANTS)]
    counts["（七）总计"] = total
    counts["四、结转下年度继续办理"] = carried_out
    counts["二、上年结转政府信息公开申请数量"] = carried_in
    counts["一、本年新收政府信息公开申请数量"] = [t + o - i for t, o, i in zip(total, carried_out, carried_in,
                                                                        strict=True)]
    return counts

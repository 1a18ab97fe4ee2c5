"""The simulated portals' reports: the report model, the five seed reports, generated ones and what extraction must
return for each (`Report.expected`)."""

from __future__ import annotations

import copy
import re
import zlib
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from crawler.fields import METADATA

SEED_FILES = {
    "000": "000_simplified.txt",  # Simplified, pinyin-free rebuild of 000_357bcb75ecbbd974.txt
    "001": "001_b2afd8930d9e1ae8.txt",
    "002": "002_5ca275e7fc674769.txt",
    "003": "003_5b34a5218a1df926.txt",
    "004": "004_ff2da5e668afafb4.txt",
}
FAMILIES = ("panjin", "anhui", "trs", "hanweb")
# families added after the seeds: each reuses a seed's text (SEED_OF_FAMILY) on its own template; the extraction
# library is not tuned to them, so tests/test_extract.py keeps to FAMILIES
MORE_FAMILIES = ("hanweb_xxgk", "gkmlpt", "openness", "vsb", "ucap", "generic")
META_ORDER = tuple(field.label for field in METADATA)


@dataclass
class Table:
    """A body table: rows of cells, each a str or dict(text=, rowspan=, colspan=)."""

    rows: list[list]


@dataclass
class Report:
    """One annual-report page; meta values: str as printed, "" empty cell, None value cell missing (misaligned)."""

    id: str
    family: str
    title: str
    blocks: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    column_path: list[str] = field(default_factory=list)
    publish_date: str = ""
    attachments: list[tuple[str, str]] = field(default_factory=list)
    expected: dict = field(default_factory=dict)
    # what the attached files hold: the body (None: the page's blocks) and statistics tables the page does not show,
    # each after its heading; `figures` are numbers of those tables a test can look for: (table, row, column) -> value
    file_blocks: list | None = None
    statistics: list[tuple[str, Table]] = field(default_factory=list)
    figures: dict = field(default_factory=dict)

    def file_content(self) -> tuple[str, list]:
        """The title and blocks an attached file of the report holds."""
        blocks = list(self.blocks if self.file_blocks is None else self.file_blocks)
        for heading, table in self.statistics:
            blocks += [heading, table]
        return self.title, blocks


# ---------------------------------------------------------------- seeds


def _seed_text(name: str) -> str:
    """Read one seed file from the package data."""
    return (files("crawler.simulator") / "seeds" / name).read_text(encoding="utf-8")


def _cell_text(cell: str | dict) -> str:
    """Text of a table cell given as str or dict."""
    return cell["text"] if isinstance(cell, dict) else cell


def table_lines(table: Table) -> list[str]:
    """Rows as ` | `-joined lines (trailing empty cells dropped, all-empty rows skipped), as extraction gives them."""
    lines = []
    for row in table.rows:
        cells = [" ".join(_cell_text(c).split()) for c in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            lines.append(" | ".join(cells))
    return lines


def expected_text(blocks: list) -> str:
    """The text extraction must return for a body made of these blocks."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            lines.extend(table_lines(block))
        elif block.strip():
            lines.append(" ".join(block.split()))
    return "\n".join(lines)


def _survey_table(lines: list[str]) -> Table:
    """Rebuild the 工作机构调查表 from its flattening: `x |` a cell, `|` an empty cell, `||…` the end of a row."""
    rows: list[list] = [[]]
    for line in lines:
        if re.fullmatch(r"\|{2,}", line):
            rows.append([])
        elif line == "|":
            rows[-1].append("")
        else:
            rows[-1].append(line.removesuffix("|").strip())
    rows = [r for r in rows if r]
    out: list[list] = []
    for i, row in enumerate(rows):
        cells: list = list(row)
        grouped = len(row) % 2 == 1 and row[0]
        if grouped:  # an odd row opens a group whose first cell spans the even rows after it
            span = 1
            while i + span < len(rows) and len(rows[i + span]) % 2 == 0:
                span += 1
            if span > 1:
                cells[0] = {"text": row[0], "rowspan": span}
        body = cells[1:] if grouped else cells
        if len(body) == 2 and any(body):
            body[1] = {"text": body[1], "colspan": 3}
        out.append(cells[:1] + body if grouped else body)
    return Table(out)


def _stats_table(lines: list[str]) -> Table:
    """Rebuild the 4-column 政府信息公开情况统计表 (统计指标|单位|统计数|说明) from one-cell-per-line text."""
    cells = ["" if line == "|" else line.removesuffix("|").strip() for line in lines]
    cells += [""] * (-len(cells) % 4)
    return Table([cells[i : i + 4] for i in range(0, len(cells), 4)])


def _blocks_with_tables(lines: list[str]) -> list:
    """Paragraph lines, with each run of ` |`-terminated lines turned into a Table."""
    blocks: list = []
    run: list[str] = []
    for line in [*lines, ""]:
        if line.endswith("|"):
            run.append(line)
            continue
        if run:
            blocks.append(_survey_table(run) if any(re.fullmatch(r"\|{2,}", r) for r in run) else _stats_table(run))
            run = []
        if line.strip():
            blocks.append(line.strip())
    return blocks


def _panjin_meta(rows: list[str]) -> dict:
    """Canonical meta from the seed's flattened metadata rows; a label directly followed by a label has no cell."""
    cells = [c.strip() for row in rows for c in row.split("|")]
    meta: dict = {}
    for i, cell in enumerate(cells):
        label = cell.replace(" ", "").rstrip(":")
        if cell.endswith(":") and label in META_ORDER:
            nxt = cells[i + 1] if i + 1 < len(cells) else ""
            meta[label] = None if nxt.endswith(":") else nxt
    return meta


def _seed_000() -> Report:
    """辽东湾新区 2018 on the old Panjin CMS (seed 000, rebuilt in Simplified)."""
    lines = _seed_text(SEED_FILES["000"]).splitlines()
    return _panjin_seed("000", lines, "content-223")


def _seed_002() -> Report:
    """盘锦市 2015 on the old Panjin CMS, with its two appendix tables (seed 002)."""
    lines = _seed_text(SEED_FILES["002"]).splitlines()
    return _panjin_seed("002", lines, "content-118")


def _panjin_seed(id: str, lines: list[str], _slug: str) -> Report:
    """Shared builder for the two Panjin seeds: breadcrumb, 5 metadata rows, then the body."""
    crumbs = [c.strip() for c in lines[0].split(":", 1)[1].split(">")][1:]
    meta = _panjin_meta(lines[1:6])
    blocks = _blocks_with_tables(lines[6:])
    return Report(id=id, family="panjin", title=lines[6].strip(), blocks=blocks, meta=meta, column_path=crumbs,
                  publish_date=meta["发布日期"])


def _seed_001() -> Report:
    """明光市管店镇 2009 on the Anhui disclosure platform (seed 001)."""
    lines = [line.strip() for line in _seed_text(SEED_FILES["001"]).splitlines()]
    title = lines[0]
    start = lines.index(title, 1)
    end = next(i for i, line in enumerate(lines) if line.startswith("扫一扫"))
    # the seed lost one character to a decoding error: 管���公共事务 is 管理公共事务
    blocks = [line.replace("管\ufffd\ufffd\ufffd公共", "管理公共") for line in lines[start:end]]
    meta = {"索引号": "003186443/201001-00001", "主题分类": "政府信息公开年报", "发文机关": "明光市管店镇人民政府",
            "成文日期": "2010-01-04", "标题": title, "发文字号": "", "主题词": "", "发布日期": "2010-01-04 00:00"}
    return Report(id="001", family="anhui", title=title, blocks=blocks, meta=meta,
                  column_path=["信息公开", "政府信息公开年报"], publish_date="2010-01-04")


def _seed_003() -> Report:
    """延吉市建工街道 2014 (published 2019) on a TRS WCM site (seed 003)."""
    lines = [line.strip() for line in _seed_text(SEED_FILES["003"]).splitlines()]
    title = next(line for line in lines[1:] if line)
    start = next(i for i, line in enumerate(lines) if line.startswith("发布日期")) + 1
    meta = {"发布日期": "2019-12-10", "发文机关": "延吉市建工街道办事处"}
    return Report(id="003", family="trs", title=title, blocks=[ln for ln in lines[start:] if ln], meta=meta,
                  column_path=["政务公开", "政府信息公开年报"], publish_date="2019-12-10")


def _seed_004() -> Report:
    """漳县 2019 on Hanweb JCMS, with the three fmt2019 tables the seed's extraction lost (seed 004)."""
    lines = _seed_text(SEED_FILES["004"]).splitlines()
    title = lines[1].removesuffix("|").strip()
    body = [line for line in lines if line.startswith(("本年度报告", "二、", "三、", "四、", "五、"))]
    paragraphs = [p for line in body for p in line.split(" ") if p]
    tables = {"二、": fmt2019_disclosure_table(), "三、": fmt2019_requests_table(), "四、": fmt2019_appeals_table()}
    blocks: list = []
    for p in paragraphs:
        blocks.append(p)
        if p[:2] in tables and p.endswith("情况"):
            blocks.append(tables.pop(p[:2]))
    meta = {"发布日期": "2020-01-21", "发文机关": "漳县人民政府办公室"}
    return Report(id="004", family="hanweb", title=title, blocks=blocks, meta=meta,
                  column_path=["政务公开", "政府信息公开年报"], publish_date="2020-01-21")


# Seed 004's section 二 numbers, by row: the cells after the row label, as printed ("" = left blank).
FMT2019_DISCLOSURE = {
    "规章": ["0", "0", "0"], "规范性文件": ["3", "3", "26"],
    "行政许可": ["156", "+4", "2087"], "其他对外管理服务事项": ["12", "", "35"],
    "行政处罚": ["305", "-3", "121"], "行政强制": ["24", "0", "6"],
    "行政事业性收费": ["18", "-1"], "政府集中采购": ["46", "3820.5万元"],
}


def fmt2019_disclosure_table(values: dict[str, list[str]] = FMT2019_DISCLOSURE) -> Table:
    """Section 二 table of the 2019 format (第二十条 items), a few cells left blank as published."""
    head3 = ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]

    def item(name: str) -> list:
        return [{"text": name, "colspan": 4}]

    def row(label: str) -> list:
        return [label, *values[label]]

    def wide(label: str) -> list:  # two numbers, the second spanning the last two columns
        first, second = values[label]
        return [label, first, {"text": second, "colspan": 2}]

    return Table([
        item("第二十条第（一）项"),
        ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        row("规章"), row("规范性文件"),
        item("第二十条第（五）项"), head3, row("行政许可"), row("其他对外管理服务事项"),
        item("第二十条第（六）项"), head3, row("行政处罚"), row("行政强制"),
        item("第二十条第（八）项"),
        ["信息内容", "上一年项目数量", {"text": "本年增/减", "colspan": 2}],
        wide("行政事业性收费"),
        item("第二十条第（九）项"),
        ["信息内容", "采购项目数量", {"text": "采购总金额", "colspan": 2}],
        wide("政府集中采购"),
    ])


REQUEST_ROWS = [  # (group, group rowspan, row label, natural person, other columns): 1 request, answered 予以公开
    ("一、本年新收政府信息公开申请数量", 0, "", "1"),
    ("二、上年结转政府信息公开申请数量", 0, "", "0"),
    ("三、本年度办理结果", 20, "（一）予以公开", "1"),
    ("", 0, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "0"),
    ("（三）不予公开", 8, "1.属于国家秘密", "0"),
    ("", 0, "2.其他法律行政法规禁止公开", "0"),
    ("", 0, "3.危及“三安全一稳定”", "0"),
    ("", 0, "4.保护第三方合法权益", "0"),
    ("", 0, "5.属于三类内部事务信息", "0"),
    ("", 0, "6.属于四类过程性信息", "0"),
    ("", 0, "7.属于行政执法案卷", "0"),
    ("", 0, "8.属于行政查询事项", "0"),
    ("（四）无法提供", 3, "1.本机关不掌握相关政府信息", "0"),
    ("", 0, "2.没有现成信息需要另行制作", "0"),
    ("", 0, "3.补正后申请内容仍不明确", "0"),
    ("（五）不予处理", 5, "1.信访举报投诉类申请", "0"),
    ("", 0, "2.重复申请", "0"),
    ("", 0, "3.要求提供公开出版物", "0"),
    ("", 0, "4.无正当理由大量反复申请", "0"),
    ("", 0, "5.要求行政机关确认或重新出具已获取信息", "0"),
    ("", 0, "（六）其他处理", "0"),
    ("", 0, "（七）总计", "1"),
    ("四、结转下年度继续办理", 0, "", "0"),
]


def fmt2019_requests_table(counts: dict[str, list[int]] | None = None) -> Table:
    """Section 三 table of the 2019 format: applicant columns under rowspan/colspan header rows. `counts` gives
    a row's six applicant numbers by its label (its head's for a row without one); seed 004's by default: one
    request from a natural person, answered 予以公开."""
    rows: list[list] = [
        [{"text": "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "colspan": 3, "rowspan": 3},
         {"text": "申请人情况", "colspan": 7}],
        [{"text": "自然人", "rowspan": 2}, {"text": "法人或其他组织", "colspan": 5}, {"text": "总计", "rowspan": 2}],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
    ]
    group = ""
    for head, span, label, natural in REQUEST_ROWS:
        group = head or group
        found = (counts or {}).get(label or head) or [int(natural), 0, 0, 0, 0, 0]
        numbers = [str(n) for n in [*found, sum(found)]]
        if group == "（五）不予处理" and label[:1].isdigit():
            numbers[2] = ""  # 科研机构 left blank in the 不予处理 rows, as some published tables do (blank is not 0)
        if head and not label:
            cells: list = [{"text": head, "colspan": 3}]
        elif head:
            cells = [{"text": head, "rowspan": span}, {"text": label, "colspan": 2} if span == 20 else label]
        else:
            cells = [{"text": label, "colspan": 2} if label.startswith("（") else label]
        rows.append(cells + numbers)
    return Table(rows)


def fmt2019_appeals_table(numbers: list[int] | None = None) -> Table:
    """Section 四 table of the 2019 format: 15 numbers in three blocks (all 0 in seed 004)."""
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return Table([
        [{"text": "行政复议", "colspan": 5}, {"text": "行政诉讼", "colspan": 10}],
        [{"text": r, "rowspan": 2} for r in results]
        + [{"text": "未经复议直接起诉", "colspan": 5}, {"text": "复议后起诉", "colspan": 5}],
        results + results,
        [str(n) for n in numbers or [0] * 15],
    ])


@cache
def _seeds() -> dict[str, Report]:
    """Build the five seed reports once."""
    reports = {r.id: r for r in (_seed_000(), _seed_001(), _seed_002(), _seed_003(), _seed_004())}
    agencies = {"000": "辽东湾新区", "001": "明光市管店镇", "002": "盘锦市", "003": "延吉市建工街道", "004": "漳县"}
    years = {"000": 2018, "001": 2009, "002": 2015, "003": 2014, "004": 2019}
    for id, report in reports.items():
        report.expected = _expected(report, years[id], agencies[id])
    return reports


def seed_reports() -> dict[str, Report]:
    """The five seed reports "000".."004" (fresh copies, safe to mutate)."""
    return copy.deepcopy(_seeds())


def _value(meta: dict, label: str) -> str | None:
    """Meta value as extraction reports it: empty, missing or 无 -> None."""
    value = meta.get(label)
    return value.strip() if value and value.strip() and value.strip() != "无" else None


def _expected(report: Report, year: int, agency: str) -> dict:
    """What extract() must return for this report's page."""
    m = report.meta
    written = _value(m, "成文日期")
    return {
        "index_no": _value(m, "索引号"), "category": _value(m, "主题分类"), "issuer": _value(m, "发文机关"),
        "written_date": written[:10] if written else None, "title": _value(m, "标题") or report.title,
        "doc_number": _value(m, "发文字号"), "publish_date": report.publish_date,
        "subject_terms": _value(m, "主题词"), "report_year": year, "agency": agency,
        "column_path": " > ".join(report.column_path) or None, "text": expected_text(report.blocks),
        "family": report.family,
    }


# ---------------------------------------------------------------- generated reports

CN_DIGITS = "0一二三四五六七八九"


def _cn_year(year: int) -> str:
    """Year in the seed-001 style: 2009 -> 二00九."""
    return "".join(CN_DIGITS[int(d)] for d in str(year))


def _substitute(text: str, subs: dict[str, str]) -> str:
    """Replace all keys in one pass (longest first), so replacements never chain."""
    pattern = re.compile("|".join(re.escape(k) for k in sorted(subs, key=len, reverse=True)))
    return pattern.sub(lambda m: subs[m.group()], text)


# family -> (seed it reuses, the seed's report year, names of the seed's agency to replace)
SEED_OF_FAMILY = {
    "panjin": ("000", 2018, ["辽东湾新区", "新区"]), "anhui": ("001", 2009, ["明光市管店镇", "管店镇"]),
    "trs": ("003", 2014, ["延吉市建工街道", "建工街道"]), "hanweb": ("004", 2019, ["漳县"]),
    "hanweb_xxgk": ("004", 2019, ["漳县"]), "gkmlpt": ("003", 2014, ["延吉市建工街道", "建工街道"]),
    "openness": ("001", 2009, ["明光市管店镇", "管店镇"]), "vsb": ("003", 2014, ["延吉市建工街道", "建工街道"]),
    "ucap": ("004", 2019, ["漳县"]), "generic": ("001", 2009, ["明光市管店镇", "管店镇"]),
}


def generated_report(family: str, year: int, agency: str, id: str, publish_date: str) -> Report:
    """A report of another agency and year on a family's template, reusing its seed with names and years replaced."""
    seed_id, seed_year, names = SEED_OF_FAMILY[family]
    seed = seed_reports()[seed_id]
    subs = {name: agency for name in names}
    subs |= {str(seed_year + d): str(year + d) for d in (-1, 0, 1)}
    subs |= {_cn_year(seed_year + d): _cn_year(year + d) for d in (-1, 0, 1)}

    def sub(block: str | Table) -> str | Table:
        if isinstance(block, Table):
            return Table([[_sub_cell(c, subs) for c in row] for row in block.rows])
        return _substitute(block, subs)

    blocks = [sub(b) for b in seed.blocks]
    title = _substitute(seed.title, subs)
    if blocks and blocks[0] == seed.title:
        blocks[0] = title
    meta = {k: (_substitute(v, subs) if isinstance(v, str) else v) for k, v in seed.meta.items()}
    if "发布日期" in meta:
        meta["发布日期"] = publish_date + (" 00:00" if family == "anhui" else "")
    if family == "anhui":
        meta["索引号"] = f"003186443/{publish_date[:7].replace('-', '')}-{int(id) % 100000:05d}" if id.isdigit() \
            else f"003186443/{publish_date[:4]}-{id}"
        meta["成文日期"] = publish_date
        meta["标题"] = title
    if family == "panjin":
        meta["索引号"] = f"pjsrmzf-{publish_date[:4]}-{id.zfill(6)}"
        meta["标题"] = title
        meta["发文机关"] = "盘锦市政府"
    if family in ("trs", "hanweb"):
        meta["发文机关"] = f"{agency}人民政府办公室" if family == "hanweb" else f"{agency}办事处"
    column = [_substitute(c, subs) for c in seed.column_path]
    if family == "panjin":
        column = ["政务公开", "政府信息公开年报", f"{year}年", "县区政府信息公开工作年度报告"]
    report = Report(id=id, family=family, title=title, blocks=blocks, meta=meta, column_path=column,
                    publish_date=publish_date)
    if not any(isinstance(block, Table) for block in blocks):  # the seed's page had none: the files carry them
        from crawler.simulator.figures import statistics

        found = statistics(id, year)
        report.statistics, report.figures = found.tables, found.figures
    kind = FILE_KINDS[zlib.crc32(id.encode()) % len(FILE_KINDS)]
    if kind == "xls":
        report.attachments = [(f"/uploads/{publish_date[:4]}/{id}.xls", f"{agency}{year}年政府信息公开情况统计表.xls")]
    elif kind:
        report.attachments = [(f"/uploads/{publish_date[:4]}/{id}.{kind}", f"{title}.{kind}")]
    report.expected = _expected(report, year, agency)
    return report


# What generated reports attach, by id: mostly the report as PDF or Word, some their statistics tables as a
# spreadsheet, a few nothing (the page is all there is), as report columns do.
FILE_KINDS = ("pdf", "docx", "pdf", "xls", "docx", "")


def _sub_cell(cell: str | dict, subs: dict[str, str]) -> str | dict:
    """Substitute names and years inside one table cell."""
    if isinstance(cell, dict):
        return {**cell, "text": _substitute(cell["text"], subs)}
    return _substitute(cell, subs)

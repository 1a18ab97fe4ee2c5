"""Report (detail) pages of the simulated portals: one template per CMS family, built from the seed texts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from html import escape
from importlib.resources import files

import opencc
from pypinyin import Style, lazy_pinyin

SEED_FILES = {
    "000": "000_simplified.txt",  # Simplified, pinyin-free rebuild of 000_357bcb75ecbbd974.txt
    "001": "001_b2afd8930d9e1ae8.txt",
    "002": "002_5ca275e7fc674769.txt",
    "003": "003_5b34a5218a1df926.txt",
    "004": "004_ff2da5e668afafb4.txt",
}
FAMILIES = ("panjin", "anhui", "trs", "hanweb")
CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
META_ORDER = ("索引号", "主题分类", "发文机关", "成文日期", "标题", "发文字号", "发布日期", "主题词")


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


def fmt2019_disclosure_table() -> Table:
    """Section 二 table of the 2019 format (第二十条 items), a few cells left blank as published."""
    head3 = ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]

    def item(name: str) -> list:
        return [{"text": name, "colspan": 4}]

    return Table([
        item("第二十条第（一）项"),
        ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["规章", "0", "0", "0"],
        ["规范性文件", "3", "3", "26"],
        item("第二十条第（五）项"), head3,
        ["行政许可", "156", "+4", "2087"],
        ["其他对外管理服务事项", "12", "", "35"],
        item("第二十条第（六）项"), head3,
        ["行政处罚", "305", "-3", "121"],
        ["行政强制", "24", "0", "6"],
        item("第二十条第（八）项"),
        ["信息内容", "上一年项目数量", {"text": "本年增/减", "colspan": 2}],
        ["行政事业性收费", "18", {"text": "-1", "colspan": 2}],
        item("第二十条第（九）项"),
        ["信息内容", "采购项目数量", {"text": "采购总金额", "colspan": 2}],
        ["政府集中采购", "46", {"text": "3820.5万元", "colspan": 2}],
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


def fmt2019_requests_table() -> Table:
    """Section 三 table of the 2019 format: applicant columns under rowspan/colspan header rows."""
    rows: list[list] = [
        [{"text": "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "colspan": 3, "rowspan": 3},
         {"text": "申请人情况", "colspan": 7}],
        [{"text": "自然人", "rowspan": 2}, {"text": "法人或其他组织", "colspan": 5}, {"text": "总计", "rowspan": 2}],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
    ]
    group = ""
    for head, span, label, natural in REQUEST_ROWS:
        group = head or group
        # 科研机构 left blank in the 不予处理 rows, as some published tables do (blank is not 0)
        research = "" if group == "（五）不予处理" and label[:1].isdigit() else "0"
        numbers = [natural, "0", research, "0", "0", "0", natural]
        if head and not label:
            cells: list = [{"text": head, "colspan": 3}]
        elif head:
            cells = [{"text": head, "rowspan": span}, {"text": label, "colspan": 2} if span == 20 else label]
        else:
            cells = [{"text": label, "colspan": 2} if label.startswith("（") else label]
        rows.append(cells + numbers)
    return Table(rows)


def fmt2019_appeals_table() -> Table:
    """Section 四 table of the 2019 format: 15 numbers in three blocks."""
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return Table([
        [{"text": "行政复议", "colspan": 5}, {"text": "行政诉讼", "colspan": 10}],
        [{"text": r, "rowspan": 2} for r in results]
        + [{"text": "未经复议直接起诉", "colspan": 5}, {"text": "复议后起诉", "colspan": 5}],
        results + results,
        ["0"] * 15,
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
    import copy

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


SEED_OF_FAMILY = {"panjin": ("000", 2018, ["辽东湾新区", "新区"]), "anhui": ("001", 2009, ["明光市管店镇", "管店镇"]),
                  "trs": ("003", 2014, ["延吉市建工街道", "建工街道"]), "hanweb": ("004", 2019, ["漳县"])}


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
    if int("".join(c for c in id if c.isdigit()) or 0) % 3 == 0:
        report.attachments = [(f"/uploads/{publish_date[:4]}/{id}.pdf", f"{title}.pdf")]
    report.expected = _expected(report, year, agency)
    return report


def _sub_cell(cell: str | dict, subs: dict[str, str]) -> str | dict:
    """Substitute names and years inside one table cell."""
    if isinstance(cell, dict):
        return {**cell, "text": _substitute(cell["text"], subs)}
    return _substitute(cell, subs)


# ---------------------------------------------------------------- rendering


def _e(text: str) -> str:
    """Escape text for HTML."""
    return escape(text, quote=True)


def _render_table(table: Table, attrs: str = 'border="1" cellspacing="0" cellpadding="0"') -> str:
    """A body table as HTML, spans as attributes."""
    out = [f"<table {attrs}><tbody>"]
    for row in table.rows:
        out.append("<tr>")
        for cell in row:
            if isinstance(cell, dict):
                spans = "".join(f' {k}="{cell[k]}"' for k in ("rowspan", "colspan") if cell.get(k, 1) != 1)
                out.append(f"<td{spans}><p>{_e(cell['text'])}</p></td>")
            else:
                out.append(f"<td><p>{_e(cell)}</p></td>" if cell else "<td><p>&nbsp;</p></td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _render_blocks(blocks: list, indent: bool = True) -> str:
    """Body blocks as <p>s and <table>s."""
    style = ' style="text-indent:2em;"' if indent else ""
    return "\n".join(
        _render_table(b) if isinstance(b, Table) else (f"<p{style}>{_e(b)}</p>" if b.strip() else "<p>&nbsp;</p>")
        for b in blocks
    )


def _crumbs(report: Report, sep: str = " &gt; ") -> str:
    """Breadcrumb links after 首页."""
    links = ['<a href="/">首页</a>'] + [f'<a href="/col/{i}/">{_e(c)}</a>' for i, c in enumerate(report.column_path)]
    return sep.join(links)


def _attachments(report: Report) -> str:
    """Attachment links, shown under the body."""
    if not report.attachments:
        return ""
    links = "".join(f'<li><a href="{_e(h)}" target="_blank">{_e(t)}</a></li>' for h, t in report.attachments)
    return f'<div class="attachments"><span>相关附件：</span><ul>{links}</ul></div>'


def _panjin_meta_rows(meta: dict) -> str:
    """The 8-field grid of the old Panjin CMS; a None value drops its cell and pads the row (seeds 000/002)."""
    spaced = {"索引号": "索 引 号", "标题": "标 题", "主题词": "主 题 词"}
    layout = [("索引号", "主题分类"), ("发文机关", "成文日期"), ("标题",), ("发文字号", "发布日期"), ("主题词",)]
    rows = []
    for labels in layout:
        cells = []
        for label in labels:
            cells.append(f'<td class="label">{spaced.get(label, label)}:</td>')
            value = meta.get(label, "")
            if value is not None:
                span = ' colspan="3"' if len(labels) == 1 else ""
                cells.append(f'<td class="value"{span}>{_e(value)}</td>')
        width = sum(3 if 'colspan="3"' in c else 1 for c in cells)
        cells += ['<td class="value"></td>'] * (4 - width)
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "\n".join(rows)


def _render_panjin(report: Report) -> str:
    """Old Panjin CMS (panjin.gov.cn/html/{col}/{date}/content-{id}.html), layout as in seeds 000 and 002."""
    title = _e(report.title)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{title}_盘锦市人民政府</title>
<meta name="SiteName" content="盘锦市人民政府" />
<meta name="SiteDomain" content="www.panjin.gov.cn" />
<meta name="SiteIDCode" content="2111000001" />
<meta name="ColumnName" content="{_e(report.column_path[-1] if report.column_path else '')}" />
<meta name="ArticleTitle" content="{title}" />
<meta name="PubDate" content="{_e(report.publish_date)}" />
<link href="/css/style.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/js/jquery.min.js"></script>
</head>
<body>
<div class="header"><div class="top-bar"><span>今天是：
<script>document.write(new Date().toLocaleDateString());</script></span>
<a href="javascript:void(0)" id="jft">繁体</a> |
<a href="javascript:void(0)" id="pinyin">拼音</a> |
<a href="/wza/">无障碍</a></div>
<div class="logo"><img src="/images/logo.png" alt="盘锦市人民政府" /></div>
<ul class="nav"><li><a href="/">首页</a></li>
<li><a href="/html/zwgk/">政务公开</a></li>
<li><a href="/html/zwfw/">政务服务</a></li>
<li><a href="/html/hdjl/">互动交流</a></li>
<li><a href="/html/zjpj/">走进盘锦</a></li></ul></div>
<div class="main">
<div class="position">当前位置: {_crumbs(report)}</div>
<table class="xxgk-meta" width="100%" border="0" cellspacing="1" cellpadding="0">
{_panjin_meta_rows(report.meta)}
</table>
<div class="article-content" id="zoom">
<h1>{title}</h1>
{_render_blocks(report.blocks[1:] if report.blocks and report.blocks[0] == report.title else report.blocks)}
</div>
{_attachments(report)}
<div class="article-tools">【<a href="javascript:window.print()">打印本页</a>】
【<a href="javascript:window.close()">关闭窗口</a>】</div>
</div>
<div class="footer"><p>主办：盘锦市人民政府办公室　承办：盘锦市信息中心</p>
<p>网站标识码：2111000001　<a href="https://beian.miit.gov.cn/">辽ICP备05006143号</a>　辽公网安备 21110202000076号</p>
<div class="qrcode"><img src="/images/ewm.png" alt="" /><span>扫一扫在手机打开当前页</span></div></div>
</body>
</html>
"""


def _render_anhui(report: Report) -> str:
    """Anhui provincial disclosure platform (/public/{unit}/{id}.html): th/td 索引 table, div.wzcon body."""
    m = report.meta
    rows = [("索引号", "索引号", "信息分类", "主题分类"), ("发布机构", "发文机关", "生成日期", "成文日期"),
            ("名称", "标题"), ("文号", "发文字号", "关键词", "主题词")]
    trs = []
    for row in rows:
        cells = []
        for label, key in zip(row[::2], row[1::2], strict=True):
            span = ' colspan="3"' if len(row) == 2 else ""
            cells.append(f"<th>{label}：</th><td{span}>{_e(m.get(key) or '')}</td>")
        trs.append("<tr>" + "".join(cells) + "</tr>")
    title = _e(report.title)
    shown = _e(m.get("发布日期") or report.publish_date)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{title}_明光市人民政府信息公开网</title>
<meta name="SiteName" content="明光市人民政府">
<meta name="SiteDomain" content="www.mingguang.gov.cn">
<meta name="SiteIDCode" content="3411820001">
<meta name="ColumnName" content="{_e(report.column_path[-1] if report.column_path else '')}">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{shown}">
<link rel="stylesheet" href="/assets/css/xxgk.css">
<script src="/assets/js/jquery.min.js"></script>
</head>
<body>
<div class="header"><div class="wrap"><div class="logo">
<a href="/"><img src="/assets/images/xxgk_logo.png" alt="政府信息公开"></a></div>
<div class="search"><form action="/site/search/" method="get">
<input type="text" name="keywords" placeholder="请输入关键词">
<button type="submit">搜索</button></form></div></div></div>
<div class="wrap">
<div class="wz">当前位置：{_crumbs(report)}</div>
<div class="xxgk_content">
<table class="table_suoyin" cellspacing="0" cellpadding="0" border="0">
{chr(10).join(trs)}
</table>
<div class="newsdetail">
<h1 class="newstitle">{title}</h1>
<div class="newsinfo"><span>发布时间:{shown}</span> <span>来源:</span> 【字体:
<a href="javascript:void(0)" class="fontb">大</a>
<a href="javascript:void(0)" class="fontm">中</a>
<a href="javascript:void(0)" class="fonts">小</a>】
<a href="javascript:window.print()">打印</a></div>
<div class="wzcon j-fontContent">
{_render_blocks(report.blocks)}
</div>
{_attachments(report)}
<div class="ewm"><img src="/assets/images/qrcode.png" alt=""><p>扫一扫在手机打开当前页</p></div>
</div></div></div>
<div class="footer"><p>主办单位：明光市人民政府办公室　地址：明光市明光大道</p>
<p>网站标识码：3411820001　皖ICP备05012345号</p></div>
</body>
</html>
"""


def _render_trs(report: Report) -> str:
    """TRS WCM detail page (/{YYYYMM}/t{YYYYMMDD}_{id}.html) on the national site template, served as GBK."""
    title = _e(report.title)
    m = report.meta
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{title}</title>
<meta name="SiteName" content="延吉市人民政府">
<meta name="SiteDomain" content="www.yanji.gov.cn">
<meta name="SiteIDCode" content="2224010001">
<meta name="ColumnName" content="{_e(report.column_path[-1] if report.column_path else '')}">
<meta name="ColumnType" content="政府信息公开年报">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{_e(report.publish_date)} 09:30">
<meta name="ContentSource" content="{_e(m.get('发文机关') or '')}">
<meta name="Keywords" content="">
<link href="../../images/style.css" rel="stylesheet" type="text/css">
<script type="text/javascript" src="../../images/jquery.js"></script>
</head>
<body>
<div class="top">登录 注册</div>
<div class="head"><img src="../../images/banner.jpg" alt=""></div>
<div class="nav"><a href="../../">首页</a>
<a href="../../zwgk/">政务公开</a>
<a href="../../zwfw/">政务服务</a>
<a href="../../gzcy/">公众参与</a></div>
<div class="container">
<div class="position">您现在的位置：{_crumbs(report, " &gt;&gt; ")}</div>
<div class="title">{title}</div>
<div class="info">发布日期:{_e(report.publish_date)}&nbsp;&nbsp;&nbsp;&nbsp;点击数:<span id="clicks"></span></div>
<div class="content">
<div class="TRS_Editor">
{_render_blocks(report.blocks)}
</div>
</div>
{_attachments(report)}
<script type="text/javascript">
var clicks = document.getElementById("clicks"); // filled by the click counter
</script>
</div>
<div class="footer">版权所有：延吉市人民政府　网站标识码：2224010001　吉ICP备05000360号</div>
</body>
</html>
"""


def _render_hanweb(report: Report) -> str:
    """Hanweb JCMS article page (/art/YYYY/M/D/art_{col}_{id}.html): a frame of nested layout tables."""
    title = _e(report.title)
    m = report.meta
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title}</title>
<meta name="SiteName" content="漳县人民政府">
<meta name="SiteDomain" content="www.zhangxian.gov.cn">
<meta name="SiteIDCode" content="6211250001">
<meta name="ColumnName" content="{_e(report.column_path[-1] if report.column_path else '')}">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{_e(report.publish_date)} 16:20">
<meta name="ContentSource" content="{_e(m.get('发文机关') or '')}">
<script language="javascript" src="/script/0/1512111455488540.js"></script>
</head>
<body leftmargin="0" topmargin="0">
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0"><tr><td>
<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr>
<td class="header"><img src="/images/top.jpg" width="1000" height="160"></td></tr></table>
<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr>
<td class="dh">当前位置：{_crumbs(report)}</td></tr></table>
<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr><td>
<table width="96%" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td class="title" align="center">{title}</td></tr>
<tr><td class="bt_info" align="center">发布日期：{_e(report.publish_date)}&nbsp;&nbsp;&nbsp;
信息来源：{_e(m.get('发文机关') or '')}&nbsp;&nbsp;&nbsp;
浏览次数：<script>document.write(1024)</script></td></tr>
<tr><td><table width="100%" border="0" cellspacing="0" cellpadding="0"><tr><td class="bt_content">
<div id="zoom">
{_render_blocks(report.blocks)}
</div>
</td></tr></table></td></tr>
<tr><td>{_attachments(report)}</td></tr>
<tr><td><table width="100%" border="0" cellspacing="0" cellpadding="0"><tr>
<td align="left">[ <a href="javascript:window.print()">打印本页</a> | <a href="javascript:window.close()">关闭窗口</a> ]
分享到:<span class="bdsharebuttonbox">
<a href="#" class="bds_weixin"></a><a href="#" class="bds_tsina"></a></span></td>
<td align="right">责任编辑:漳县管理员</td></tr></table></td></tr>
</table></td></tr></table>
<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr>
<td class="footer" align="center">主办：漳县人民政府办公室　网站标识码：6211250001　陇ICP备09001234号<br>
<img src="/images/qrcode.jpg" alt="扫一扫"></td></tr></table>
</td></tr></table>
</body>
</html>
"""


RENDERERS = {"panjin": _render_panjin, "anhui": _render_anhui, "trs": _render_trs, "hanweb": _render_hanweb}
TAG_OR_SCRIPT = re.compile(r"(<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->|<[^>]+>)", re.DOTALL | re.IGNORECASE)


@cache
def _converter(config: str) -> opencc.OpenCC:
    """One OpenCC converter per configuration."""
    return opencc.OpenCC(config)


def _annotate(text: str) -> str:
    """Traditional characters each followed by their pinyin, as the site's 繁体/拼音 toolbar rewrites text."""
    def run(m: re.Match) -> str:
        simple = m.group()
        trad = _converter("s2t").convert(simple)
        if len(trad) != len(simple):
            trad = "".join(_converter("s2t").convert(c) for c in simple)
        sounds = lazy_pinyin(simple, style=Style.TONE)
        return "".join(f"{t}({p})" for t, p in zip(trad, sounds, strict=True))

    return CJK_RUN.sub(run, text)


def toolbar_html(html: str) -> str:
    """Apply the 繁体+拼音 toolbar to every text node (not to tags, scripts or styles)."""
    parts = TAG_OR_SCRIPT.split(html)
    return "".join(p if i % 2 else _annotate(p) for i, p in enumerate(parts))


def render_report(report: Report, toolbar: bool = False) -> str:
    """The full HTML page of a report in its family's template; toolbar=True as seen with 繁体+拼音 switched on."""
    html = RENDERERS[report.family](report)
    return toolbar_html(html) if toolbar else html


# ---------------------------------------------------------------- more families
# Detail pages of the families added after the seeds. Each reuses a seed's text (SEED_OF_FAMILY) on its
# family's own template; the extraction library is not tuned to them, so tests/test_extract.py keeps to FAMILIES.

MORE_FAMILIES = ("hanweb_xxgk", "gkmlpt", "openness", "vsb", "ucap", "generic")
SEED_OF_FAMILY.update({
    "hanweb_xxgk": ("004", 2019, ["漳县"]), "gkmlpt": ("003", 2014, ["延吉市建工街道", "建工街道"]),
    "openness": ("001", 2009, ["明光市管店镇", "管店镇"]), "vsb": ("003", 2014, ["延吉市建工街道", "建工街道"]),
    "ucap": ("004", 2019, ["漳县"]), "generic": ("001", 2009, ["明光市管店镇", "管店镇"]),
})


def _meta_value(report: Report, label: str) -> str:
    """A metadata value for the templates below, falling back to what every report has."""
    fallback = {"标题": report.title, "发布日期": report.publish_date, "主题分类": "政府信息公开年报"}
    value = report.meta.get(label)
    return _e(value if value else fallback.get(label, ""))


def _national_head(report: Report, site: str, code: str, domain: str) -> str:
    """The <head> of the national government-site template (SiteIDCode and friends)."""
    title = _e(report.title)
    return f"""<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title}_{_e(site)}</title>
<meta name="SiteName" content="{_e(site)}">
<meta name="SiteDomain" content="{domain}">
<meta name="SiteIDCode" content="{code}">
<meta name="ColumnName" content="{_e(report.column_path[-1] if report.column_path else '')}">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{_e(report.publish_date)}">
<meta name="ContentSource" content="{_meta_value(report, '发文机关')}">
</head>"""


def _render_hanweb_xxgk(report: Report) -> str:
    """Hanweb xxgk-module article: metadata in div.bt-article-y as <td><b>label</b></td><td>value</td>, body #zoom."""
    pairs = [("索引号", "索引号"), ("发布机构", "发文机关"), ("生成日期", "成文日期"), ("公开方式", None),
             ("文号", "发文字号"), ("组配分类", "主题分类")]
    cells = "".join(f"<td><b>{label}：</b></td><td>{_meta_value(report, key) if key else '主动公开'}</td>"
                    + ("</tr><tr>" if n % 2 else "") for n, (label, key) in enumerate(pairs))
    return f"""<!DOCTYPE html>
<html>
{_national_head(report, "杭州市人民政府", "3301000016", "www.hangzhou.gov.cn")}
<body>
<div class="top">无障碍 | 长者模式 | 繁體</div>
<div class="position">当前位置：{_crumbs(report)}</div>
<div class="bt-article-y"><table class="xxgk_table"><tr>{cells}</tr>
<tr><td><b>名称：</b></td><td colspan="3">{_e(report.title)}</td></tr></table></div>
<div class="bt-article-title"><h1>{_e(report.title)}</h1></div>
<div class="bt-article-info">发布日期：{_e(report.publish_date)}</div>
<div id="zoom">
{_render_blocks(report.blocks)}
</div>
{_attachments(report)}
<div class="bt-article-tools">【<a href="javascript:window.print()">打印</a>】【<a href="javascript:window.close()">关闭</a>】</div>
<div class="footer">主办：杭州市人民政府办公厅　网站标识码：3301000016</div>
</body>
</html>
"""


def _render_gkmlpt(report: Report) -> str:
    """Guangdong gkmlpt post page: a div.classify table of 索引号/分类/发布机构/成文日期/名称/文号, body in div.article-content."""
    rows = [("索引号", "索引号", "分类", "主题分类"), ("发布机构", "发文机关", "成文日期", "成文日期"),
            ("名称", "标题", "", ""), ("文号", "发文字号", "发布日期", "发布日期")]
    trs = "".join(
        "<tr>" + "".join(f'<td class="td-label">{label}：</td><td class="td-value"><span>{_meta_value(report, key)}'
                         f"</span></td>" for label, key in ((r[0], r[1]), (r[2], r[3])) if label) + "</tr>"
        for r in rows)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
{_national_head(report, "珠海市人民政府", "4404000002", "www.zhuhai.gov.cn")}
<body>
<div class="gkml-header"><a href="/gkmlpt/index">政府信息公开</a></div>
<div class="content-container">
<div class="introduce"><table class="classify">{trs}</table></div>
<h1 class="content-title">{_e(report.title)}</h1>
<div class="article-content">
{_render_blocks(report.blocks)}
</div>
{_attachments(report)}
</div>
<div class="gkml-footer">珠海市人民政府办公室主办</div>
</body>
</html>
"""


def _render_openness(report: Report) -> str:
    """OpennessContent vendor detail page: a div.xxgk_table of th/td pairs, body in div#zoom.content."""
    rows = [("索引号", "索引号", "信息分类", "主题分类"), ("发布机构", "发文机关", "生成日期", "成文日期"),
            ("文号", "发文字号", "发布日期", "发布日期")]
    trs = "".join(f"<tr><th>{a}：</th><td>{_meta_value(report, b)}</td><th>{c}：</th><td>{_meta_value(report, d)}"
                  "</td></tr>" for a, b, c, d in rows)
    return f"""<!DOCTYPE html>
<html>
{_national_head(report, "阿荣旗人民政府", "1507210001", "www.arq.gov.cn")}
<body>
<div class="header"><a href="/">阿荣旗人民政府</a> <a href="/OpennessContent/index.html">政府信息公开</a></div>
<div class="location">您的位置：{_crumbs(report)}</div>
<div class="xxgk_table"><table>{trs}
<tr><th>名称：</th><td colspan="3">{_e(report.title)}</td></tr></table></div>
<div class="article"><h1 class="title">{_e(report.title)}</h1>
<div class="content" id="zoom">
{_render_blocks(report.blocks)}
</div>
{_attachments(report)}</div>
<div class="footer">阿荣旗人民政府办公室　网站标识码：1507210001</div>
</body>
</html>
"""


def _render_vsb(report: Report) -> str:
    """VSB 博达 news page: title in td.titlestyle, body in form[name=_newscontent_fromname] div.v_news_content."""
    return f"""<!DOCTYPE html>
<html>
{_national_head(report, "示例县人民政府", "0000000000", "www.example.gov.cn")}
<body>
<div class="header"><a href="../../index.htm">首页</a> <a href="../../zwgk.htm">政务公开</a></div>
<div class="dqwz">当前位置：{_crumbs(report)}</div>
<form name="_newscontent_fromname">
<table width="100%"><tr><td class="titlestyle" align="center">{_e(report.title)}</td></tr>
<tr><td align="center"><span class="timestyle">{_e(report.publish_date)}</span>
<span class="authorstyle">{_meta_value(report, '发文机关')}</span></td></tr>
<tr><td><div id="vsb_content"><div class="v_news_content">
{_render_blocks(report.blocks)}
</div></div>
{_attachments(report)}
</td></tr></table>
</form>
<div class="footer">技术支持：博达软件</div>
</body>
</html>
"""


def _render_ucap(report: Report) -> str:
    """gov.cn-style Ucap page: metadata <td><b>索引号：</b></td><td>…, body in div#UCAP-CONTENT."""
    pairs = [("索 引 号", "索引号"), ("主题分类", "主题分类"), ("发文机关", "发文机关"), ("成文日期", "成文日期"),
             ("标　　题", "标题"), ("发文字号", "发文字号"), ("发布日期", "发布日期")]
    trs = "".join(f"<tr><td><b>{label}：</b></td><td>{_meta_value(report, key)}</td></tr>" for label, key in pairs)
    return f"""<!DOCTYPE html>
<html>
{_national_head(report, "中国政府网", "bm01000001", "www.gov.cn")}
<body>
<div class="header"><a href="/">首页</a> <a href="/zhengce/">政策</a></div>
<div class="BreadcrumbNav">{_crumbs(report)}</div>
<div class="policyLibraryOverview_header"><table class="bd1">{trs}</table></div>
<div class="article oneColumn pub_border"><h1>{_e(report.title)}</h1>
<div class="pages-date">{_e(report.publish_date)}</div>
<div class="pages_content" id="UCAP-CONTENT">
{_render_blocks(report.blocks)}
</div>
{_attachments(report)}</div>
<div class="footer">版权所有：中国政府网</div>
</body>
</html>
"""


def _render_generic(report: Report) -> str:
    """A home-made CMS of no known family: plain divs, no national meta tags, date in a span."""
    return f"""<html>
<head><meta charset="utf-8"><title>{_e(report.title)}</title></head>
<body>
<div id="nav"><a href="/">网站首页</a> | <a href="/zwgk/">政务公开</a></div>
<div id="main"><h2 class="ctitle">{_e(report.title)}</h2>
<p class="cinfo">时间：<span>{_e(report.publish_date)}</span> 来源：{_meta_value(report, '发文机关')}</p>
<div class="cbody">
{_render_blocks(report.blocks, indent=False)}
</div>
{_attachments(report)}</div>
<div id="foot">Copyright 经济开发区管委会</div>
</body>
</html>
"""


RENDERERS.update({"hanweb_xxgk": _render_hanweb_xxgk, "gkmlpt": _render_gkmlpt, "openness": _render_openness,
                  "vsb": _render_vsb, "ucap": _render_ucap, "generic": _render_generic})


def split_trs(report: Report, parts: int) -> list[str]:
    """A long TRS article split into pages t…_{id}.html, t…_{id}_1.html…, each with a share of the blocks and the
    createPageHTML(count, current, "t…_{id}", "html") pager TRS prints under the text (attachments on the last)."""
    stem = f"t{report.publish_date.replace('-', '')}_{report.id}"
    size = -(-len(report.blocks) // parts)
    pages = []
    for number in range(parts):
        chunk = Report(**{**report.__dict__, "blocks": report.blocks[number * size:(number + 1) * size],
                          "attachments": report.attachments if number == parts - 1 else []})
        pager = f'<div class="page"><script type="text/javascript">createPageHTML({parts}, {number}, "{stem}", "html");</script></div>\n'
        html = _render_trs(chunk)
        end = html.index("</div>\n", html.index('<div class="TRS_Editor">')) + len("</div>\n")
        pages.append(html[:end] + pager + html[end:])
    return pages

"""Build the synthetic part of the evaluation corpus (run: .venv/bin/python -m tests.eval.build).

Each case's truth is written from the same numbers the file is rendered from, never from the parser's output.
Needs fpdf2, python-docx, Pillow and fonts-noto-cjk; OCR (tesseract) runs at evaluation, not here.
"""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from pathlib import Path

from crawler.extract import templates as tp

HERE = Path(__file__).parent
CORPUS, EXPECTED = HERE / "corpus", HERE / "expected"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SC_INDEX = 2  # Simplified Chinese face inside the Noto CJK collection
ORDINALS = "一二三四五六七八九"


# ---------------------------------------------------------------- truth tables


def t3_rows(fmt: str) -> list[tuple[str, list[str]]]:
    """(row path, printed label cells) of the requests table in template order."""
    res = tp.T3_RESULTS
    rows = [(tp.T3_NEW, ["一、本年新收政府信息公开申请数量"]), (tp.T3_CARRIED_IN, ["二、上年结转政府信息公开申请数量"]),
            (f"{res}/予以公开", ["三、本年度办理结果", "（一）予以公开"]),
            (f"{res}/部分公开", ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"])]
    for n, group in enumerate(("不予公开", "无法提供", "不予处理"), start=3):
        for i, leaf in enumerate(tp.T3_LEAVES[group], start=1):
            rows.append((f"{res}/{group}/{leaf}", ([f"（{ORDINALS[n - 1]}）{group}"] if i == 1 else []) + [f"{i}.{leaf}"]))
    if fmt == "fmt2021":
        for i, leaf in enumerate(tp.T3_LEAVES["其他处理"], start=1):
            rows.append((f"{res}/其他处理/{leaf}", (["（六）其他处理"] if i == 1 else []) + [f"{i}.{leaf}"]))
    else:
        rows.append((f"{res}/其他处理", ["（六）其他处理"]))
    rows += [(f"{res}/总计", ["（七）总计"]), (tp.T3_CARRIED_OUT, ["四、结转下年度继续办理"])]
    return rows


def t3_numbers(fmt: str) -> dict[str, list[int]]:
    """Consistent numbers per row (6 applicant columns + 总计): results sum to 总计, 一+二 = 三+四."""
    rows = [path for path, _ in t3_rows(fmt)]
    results = [r for r in rows if r.startswith(tp.T3_RESULTS + "/") and not r.endswith("/总计")]
    out: dict[str, list[int]] = {}
    for i, r in enumerate(results):
        out[r] = [(i * 7) % 5, i % 2, 0, (i % 3 == 0) * 1, 0, i % 4 == 1]
        out[r] = [int(x) for x in out[r]]
    out[f"{tp.T3_RESULTS}/予以公开"][0] = 1000
    total = [sum(out[r][c] for r in results) for c in range(6)]
    out[f"{tp.T3_RESULTS}/总计"] = total
    out[tp.T3_CARRIED_IN] = [2, 0, 0, 1, 0, 0]
    out[tp.T3_CARRIED_OUT] = [3, 1, 0, 0, 0, 0]
    out[tp.T3_NEW] = [t + o - c for t, o, c in zip(total, out[tp.T3_CARRIED_OUT], out[tp.T3_CARRIED_IN], strict=True)]
    return {r: v + [sum(v)] for r, v in out.items()}


T2_2021 = [("一", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            [("规章", ["2", "0", "15"]), ("行政规范性文件", ["11", "3", "1,204"])]),
           ("五", ["信息内容", "本年处理决定数量"], [("行政许可", ["３５６"])]),
           ("六", ["信息内容", "本年处理决定数量"], [("行政处罚", ["1 032"]), ("行政强制", ["—"])]),
           ("八", ["信息内容", "本年收费金额（单位：万元）"], [("行政事业性收费", ["12.5"])])]
T2_2021_TRUTH = {("规章", "本年制发件数"): 2, ("规章", "本年废止件数"): 0, ("规章", "现行有效件数"): 15,
                 ("行政规范性文件", "本年制发件数"): 11, ("行政规范性文件", "本年废止件数"): 3,
                 ("行政规范性文件", "现行有效件数"): 1204, ("行政许可", "本年处理决定数量"): 356,
                 ("行政处罚", "本年处理决定数量"): 1032, ("行政强制", "本年处理决定数量"): None,
                 ("行政事业性收费", "本年收费金额"): 12.5}
T4_VALUES = ["3", "1", "0", "1", "5", "2", "0", "1", "0", "3", "1", "0", "0", "", "1"]


def truth_cells(t2: dict | None, t3: dict[str, list] | None, t4: list[str] | None,
                t3_cols: tuple[str, ...] = tp.T3_COLUMNS, units: dict | None = None) -> list[dict]:
    """Expected cells in the parser's shape."""
    cells = []
    for (row, col), value in (t2 or {}).items():
        cell = {"table": "t2", "row": row, "col": col, "value": value}
        if units and (row, col) in units:
            cell["unit"] = units[(row, col)]
        cells.append(cell)
    for row, values in (t3 or {}).items():
        cells += [{"table": "t3", "row": row, "col": c, "value": v} for c, v in zip(t3_cols, values, strict=True)]
    if t4:
        for i, text in enumerate(t4):
            block, result = tp.T4_BLOCKS[i // 5], tp.T4_RESULTS[i % 5]
            cells.append({"table": "t4", "row": block, "col": result, "value": int(text) if text else None})
    return cells


# ---------------------------------------------------------------- HTML rendering


def _td(text: str, rowspan: int = 1, colspan: int = 1, word: bool = False) -> str:
    """One cell; Word-pasted markup when word=True."""
    spans = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    inner = escape(text) if text else "&nbsp;"
    if word:
        inner = f'<p class="MsoNormal" align="center"><span lang="EN-US" style="font-size:10.5pt">{inner}<o:p></o:p></span></p>'
    return f"<td{spans}>{inner}</td>"


def t2_html(items) -> str:
    """Section 二 table of 2021."""
    rows = []
    for no, header, data in items:
        rows.append(f"<tr>{_td(f'第二十条第（{no}）项', colspan=4)}</tr>")
        rows.append("<tr>" + "".join(_td(h, colspan=4 - len(header) + 1 if i == len(header) - 1 else 1)
                                     for i, h in enumerate(header)) + "</tr>")
        for label, values in data:
            rows.append("<tr>" + _td(label) + "".join(_td(v, colspan=4 - len(values) if i == len(values) - 1 else 1)
                                                    for i, v in enumerate(values)) + "</tr>")
    return '<table border="1">' + "".join(rows) + "</table>"


def t3_html(fmt: str, printed: dict[str, list[str]], word: bool = False, order: list[int] | None = None,
            subtotal: bool = False, broken_header: bool = False) -> str:
    """Section 三 table with the template's spans; optional Word markup, column order, 小计 column, broken header."""
    order = order or list(range(7))
    orgs = [tp.T3_COLUMNS[i] for i in order if 1 <= i <= 5] + (["小计"] if subtotal else [])
    n = len(orgs)
    head = [
        "<tr>" + _td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3, word)
        + _td("申请人情况", colspan=n + 2, word=word) + "</tr>",
        "<tr>" + _td("自然人", 2, word=word) + _td("法人或其他组织", colspan=n, word=word)
        + _td("总计", 2, word=word) + "</tr>",
        "<tr>" + "".join(_td("本年新" if broken_header else o, word=word) for o in orgs) + "</tr>",
    ]
    body = []
    rows = t3_rows(fmt)
    result_rows = sum(1 for p, _ in rows if p.startswith(tp.T3_RESULTS))
    for path, labels in rows:
        values = printed[path]
        org_values = [values[i] for i in order if 1 <= i <= 5]
        if subtotal:
            org_values.append(str(sum(int(v) for v in org_values if v.strip().isdigit())))
        cells = []
        if path in (tp.T3_NEW, tp.T3_CARRIED_IN, tp.T3_CARRIED_OUT):
            cells.append(_td(labels[0], colspan=3, word=word))
        else:
            for label in labels:
                if label.startswith("三、"):
                    cells.append(_td(label, rowspan=result_rows, word=word))
                elif label.startswith("（") and path.count("/") == 2:
                    group = path.split("/")[1]
                    size = sum(1 for p, _ in rows if p.startswith(f"{tp.T3_RESULTS}/{group}/"))
                    cells.append(_td(label, rowspan=size, word=word))
                elif label.startswith("（"):
                    cells.append(_td(label, colspan=2, word=word))
                else:
                    cells.append(_td(label, word=word))
        cells += [_td(values[0], word=word)] + [_td(v, word=word) for v in org_values] + [_td(values[6], word=word)]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return '<table border="1" class="MsoNormalTable">' + "".join(head + body) + "</table>"


def t4_html(values: list[str]) -> str:
    """Section 四 table."""
    results = list(tp.T4_RESULTS)
    return ('<table border="1"><tr>' + _td("行政复议", colspan=5) + _td("行政诉讼", colspan=10) + "</tr><tr>"
            + "".join(_td(r, rowspan=2) for r in results) + _td("未经复议直接起诉", colspan=5)
            + _td("复议后起诉", colspan=5) + "</tr><tr>" + "".join(_td(r) for r in results * 2) + "</tr><tr>"
            + "".join(_td(v) for v in values) + "</tr></table>")


def page(title: str, body: str, head: str = "", meta_rows: str = "") -> str:
    """A Hanweb-like page around a body."""
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}</title>{head}</head><body>'
            f'<div class="dh">当前位置：<a href="/">首页</a> &gt; <a href="/col/1/">政府信息公开年报</a></div>'
            f'{meta_rows}<table><tr><td class="title">{escape(title)}</td></tr></table>'
            f'<div id="zoom">{body}</div><div>[ 打印本页 | 关闭窗口 ]</div></body></html>')


# ---------------------------------------------------------------- cases


def fmt2021_case() -> tuple[str, list[dict]]:
    """A 2021-format county report: full-width digits, thousands separators, blanks, a published total that is off."""
    numbers = t3_numbers("fmt2021")
    printed = {r: [str(v) for v in vals] for r, vals in numbers.items()}
    truth = {r: list(vals) for r, vals in numbers.items()}
    printed[tp.T3_NEW][6] = str(numbers[tp.T3_NEW][6] + 1)  # as published: the total is one too many
    truth[tp.T3_NEW][6] = numbers[tp.T3_NEW][6] + 1
    printed[tp.T3_NEW][0] = f"{numbers[tp.T3_NEW][0]:,}"
    leaf = f"{tp.T3_RESULTS}/不予处理/重复申请"
    printed[leaf][2], truth[leaf][2] = "", None  # blank stays blank
    printed[tp.T3_CARRIED_IN][0] = "２"
    body = "".join([
        "<p>本报告根据《中华人民共和国政府信息公开条例》编制。本年度报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。</p>",
        "<p>一、总体情况</p><p>本县持续推进政务公开。</p>",
        "<p>二、主动公开政府信息情况</p>", t2_html(T2_2021),
        "<p>三、收到和处理政府信息公开申请情况</p>", t3_html("fmt2021", printed),
        "<p>四、政府信息公开行政复议、行政诉讼情况</p>", t4_html(T4_VALUES),
        "<p>五、存在的主要问题及改进情况</p><p>无。</p><p>六、其他需要报告的事项</p><p>无。</p>"])
    head = ('<meta name="SiteIDCode" content="3301270001"><meta name="ColumnName" content="政府信息公开年报">'
            '<meta name="PubDate" content="2022-01-20 10:00"><meta name="ContentSource" content="淳安县人民政府办公室">'
            '<meta name="ArticleTitle" content="淳安县2021年政府信息公开工作年度报告">')
    html = page("淳安县2021年政府信息公开工作年度报告", body, head)
    units = {("行政事业性收费", "本年收费金额"): "万元"}
    return html, truth_cells(T2_2021_TRUTH, truth, T4_VALUES, units=units)


def word_case() -> tuple[str, list[dict]]:
    """A 2019-format table pasted from Word: <o:p> markup, broken header, a 小计 column, two columns swapped."""
    numbers = t3_numbers("fmt2019")
    printed = {r: [str(v) for v in vals] for r, vals in numbers.items()}
    order = [0, 1, 3, 2, 4, 5, 6]  # 社会公益组织 printed before 科研机构
    table = t3_html("fmt2019", printed, word=True, order=order, subtotal=True)
    body = ("<p>一、总体情况</p><p>…</p><p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>"
            + table + "<p>四、政府信息公开行政复议、行政诉讼情况</p>")
    html = page("某市财政局2020年政府信息公开工作年度报告", body)
    cols = ("自然人", "商业企业", "社会公益组织", "科研机构", "法律服务机构", "其他", "小计", "总计")
    truth = {}
    for row, vals in numbers.items():
        orgs = [vals[i] for i in order if 1 <= i <= 5]
        truth[row] = [vals[0], *orgs, sum(orgs), vals[6]]
    return html, truth_cells(None, truth, None, t3_cols=cols)


def broken_header_case() -> tuple[str, list[dict]]:
    """Merged header cells repeated (`本年新 | 本年新`): the template's columns are used."""
    numbers = t3_numbers("fmt2019")
    printed = {r: [str(v) for v in vals] for r, vals in numbers.items()}
    html = page("某镇2019年政府信息公开工作年度报告", "<p>三、收到和处理政府信息公开申请情况</p>"
                + t3_html("fmt2019", printed, broken_header=True))
    return html, truth_cells(None, numbers, None)


def metadata_case() -> tuple[str, dict]:
    """Traditional page (Big5 gateway), a PubDate that disagrees with the page, an impossible 成文日期, 无 values."""
    rows = ("<table class='bt-article-y'><tr><td><b>索 引 號：</b></td><td>11341702486344515H/202110-00013</td>"
            "<td><b>發布機構：</b></td><td>東至縣人民政府辦公室</td></tr>"
            "<tr><td><b>生成日期：</b></td><td>2021-02-30</td><td><b>發布時間：</b></td><td>２０２１年１月２８日</td></tr>"
            "<tr><td><b>文號：</b></td><td>無</td><td><b>關鍵詞：</b></td><td></td></tr></table>")
    head = ('<meta name="SiteIDCode" content="3417210001"><meta name="PubDate" content="2021-01-29 09:00">'
            '<meta name="ColumnName" content="政府信息公開年報">')
    body = ("<p>東至縣2020年政府信息公開工作年度報告</p><p>一、總體情況</p><p>本縣依法推進政務公開。</p>"
            "<p>二、主動公開政府信息情況</p><p>三、收到和處理政府信息公開申請情況</p>")
    html = page("東至縣2020年政府信息公開工作年度報告", body, head, rows)
    fields = {"index_no": "11341702486344515H/202110-00013", "issuer": "东至县人民政府办公室",
              "written_date": None, "publish_date": "2021-01-28", "doc_number": None, "subject_terms": None,
              "title": "东至县2020年政府信息公开工作年度报告", "report_year": 2020, "agency": "东至县",
              "region_code": "341721", "admin_level": "县", "format": "fmt2019", "site_code": "3417210001",
              "column_name": "政府信息公开年报",
              "conflicts": [{"field": "publish_date", "page": "2021年1月28日", "meta": "2021-01-29 09:00"}],
              "date_problems": [{"field": "written_date", "value": "2021-02-30", "problem": "impossible"}]}
    return html, fields


def nonstandard_case() -> tuple[str, dict]:
    """A 2020 report written as a letter, ignoring the template."""
    body = ("<p>县政府办公室：</p><p>现将我局2020年度政府信息公开工作情况报告如下。全年主动公开信息120条，"
            "未收到依申请公开。</p><p>特此报告。</p><p>二〇二一年一月十五日</p>")
    html = page("县自然资源局2020年度政府信息公开工作报告", body)
    fields = {"report_year": 2020, "agency": "县自然资源局", "admin_level": "部门", "format": "nonstandard",
              "sections": []}
    return html, fields


def pdf_bytes(title: str, paragraphs: list[str], tables: list[list[list[str]]]) -> bytes:
    """A PDF with a Chinese font: paragraphs then ruled tables (merged cells written out as repeated text)."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L")
    pdf.add_page()
    pdf.add_font("noto", "", FONT, collection_font_number=SC_INDEX)
    pdf.set_font("noto", size=9)
    pdf.set_creation_date(dt.datetime(2021, 1, 1, tzinfo=dt.UTC))
    pdf.multi_cell(0, 6, title + "\n" + "\n".join(paragraphs))
    for rows in tables:
        with pdf.table(first_row_as_headings=False, line_height=5) as table:
            for row in rows:
                r = table.row()
                for cell in row:
                    r.cell(cell)
        pdf.ln(4)
    return bytes(pdf.output())


def docx_bytes(title: str, paragraphs: list[str], tables: list[list[list[str]]], merge_first: bool = True) -> bytes:
    """A DOCX: paragraphs then tables; equal neighbouring header cells merged, as Word does."""
    import io

    import docx

    document = docx.Document()
    document.core_properties.created = dt.datetime(2021, 1, 1)
    document.add_paragraph(title)
    for p in paragraphs:
        document.add_paragraph(p)
    for rows in tables:
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                table.cell(i, j).text = text
        if merge_first:
            for i, row in enumerate(rows):
                j = 0
                while j < len(row):
                    k = j
                    while k + 1 < len(row) and row[k + 1] == row[j] and not row[j].isdigit() and row[j]:
                        k += 1
                    if k > j:
                        merged = table.cell(i, j).merge(table.cell(i, k))
                        merged.text = row[j]
                    j = k + 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def seed004_tables() -> tuple[list[list[list[str]]], list[dict]]:
    """The seed-004 tables as plain rows (spans written out) and their truth cells."""
    import lxml.html

    from crawler.extract.cells import html_grid
    from crawler.simulator.render import table_html
    from crawler.simulator.reports import fmt2019_appeals_table, fmt2019_disclosure_table, fmt2019_requests_table

    grids = []
    for table in (fmt2019_disclosure_table(), fmt2019_requests_table(), fmt2019_appeals_table()):
        grids.append([r.cells for r in html_grid(lxml.html.fragment_fromstring(table_html(table)))])
    return grids, json.loads((EXPECTED / "seed_004_html.json").read_text(encoding="utf-8"))["cells"]


def ocr_png(lines: list[str]) -> bytes:
    """A scanned-looking page: text lines drawn in a Chinese font at 300 dpi scale."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 60, index=SC_INDEX)
    image = Image.new("L", (4200, 110 * len(lines) + 120), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        x = 60
        for token in line.split("  "):
            draw.text((x, 60 + 110 * i), token, font=font, fill=0)
            x += max(150, int(draw.textlength(token, font=font)) + 220)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def write_case(name: str, filename: str, data: bytes | str, expected: dict) -> None:
    """Write a corpus file and its expectation."""
    path = CORPUS / filename
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    EXPECTED.joinpath(f"{name}.json").write_text(
        json.dumps({"file": f"corpus/{filename}", **expected}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    """Write every synthetic case."""
    CORPUS.mkdir(exist_ok=True)
    EXPECTED.mkdir(exist_ok=True)
    html, cells = fmt2021_case()
    write_case("fmt2021_html", "fmt2021.html", html, {"mode": "report", "fields": {
        "report_year": 2021, "agency": "淳安县", "format": "fmt2021"}, "cells": cells, "cells_complete": True,
        "failing_checks": [["t3", "总计=申请人之和", tp.T3_NEW], ["t3", "一+二=三（七）+四", "总计"]]})
    write_case("fmt2021_page", "fmt2021.html", html, {"mode": "page", "fields": {
        "title": "淳安县2021年政府信息公开工作年度报告", "publish_date": "2022-01-20", "issuer": "淳安县人民政府办公室",
        "report_year": 2021, "agency": "淳安县", "region_code": "330127", "admin_level": "县", "format": "fmt2021",
        "site_code": "3301270001", "conflicts": [], "date_problems": []}})
    html, cells = word_case()
    write_case("word_pasted", "word_pasted.html", html, {"mode": "report", "fields": {
        "report_year": 2020, "agency": "某市财政局", "format": "fmt2019"}, "cells": cells, "cells_complete": True})
    html, cells = broken_header_case()
    write_case("broken_header", "broken_header.html", html, {"mode": "report", "fields": {"report_year": 2019},
                                                              "cells": cells, "cells_complete": True})
    html, fields = metadata_case()
    write_case("metadata_big5", "metadata_big5.html", html, {"mode": "page", "fields": fields})
    html, fields = nonstandard_case()
    write_case("nonstandard", "nonstandard.html", html, {"mode": "page", "fields": fields})
    grids, cells = seed004_tables()
    paragraphs = ["本年度报告中所列数据的统计期限自2019年1月1日起至2019年12月31日止。", "一、总体情况",
                  "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]
    title = "漳县2019年政府信息公开工作年度报告"
    report_fields = {"report_year": 2019, "agency": "漳县", "format": "fmt2019"}
    write_case("seed_004_pdf", "seed_004.pdf", pdf_bytes(title, paragraphs, grids),
               {"mode": "report", "fields": report_fields, "cells": cells, "cells_complete": True})
    write_case("seed_004_docx", "seed_004.docx", docx_bytes(title, paragraphs, grids),
               {"mode": "report", "fields": report_fields, "cells": cells, "cells_complete": True})
    t4 = [c for c in cells if c["table"] == "t4"]
    lines = ["安定区2019年政府信息公开工作年度报告", "四、政府信息公开行政复议、行政诉讼情况", "行政复议  行政诉讼",
             "  ".join(["0"] * 15)]
    write_case("scan_t4_png", "scan_t4.png", ocr_png(lines), {"mode": "report", "fields": {
        "report_year": 2019, "agency": "安定区", "format": "fmt2019"}, "cells": t4, "cells_complete": True})


if __name__ == "__main__":
    main()

"""Build the table variations of tests/eval/variations (run: .venv/bin/python -m tests.eval.variations.build).

Each follows a real page's markup (tests/eval/real) with what no real page in the corpus shows: the 2021 format's
wording as counties misprint it. Truth is written from the numbers the file is rendered from, never from the parser.
The other variation pages are written by hand (see README.md).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import opencc
from pypinyin import Style, lazy_pinyin

from tests.eval.build import T4_VALUES, _td, t3_html, t3_numbers, t3_rows, truth_cells

HERE = Path(__file__).parent
PAGES, EXPECTED = HERE / "pages", HERE / "expected"
TITLE = "某县人民政府办公室2021年政府信息公开工作年度报告（全文）"
AGENCY = "某县人民政府办公室"

# section 二 as a county printed it in 2021: 规范性文件 for 行政规范性文件 (the 2019 wording), the unit inside a cell,
# a blank, words broken by <br /> in the header (real 015: 本年新<br />制作数量, 251000元, &nbsp; blanks)
T2_PRINTED = [("一", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
               [("规章", ["1", "0", "9"]), ("规范性文件", ["7", "2", "86"])]),
              ("五", ["信息内容", "本年处理决定数量"], [("行政许可", ["2,315"])]),
              ("六", ["信息内容", "本年处理决定数量"], [("行政处罚", ["48"]), ("行政强制", [""])]),
              ("八", ["信息内容", "本年收费金额（单位：万元）"], [("行政事业性收费", ["35.2万元"])])]
T2_TRUTH = {("规章", "本年制发件数"): 1, ("规章", "本年废止件数"): 0, ("规章", "现行有效件数"): 9,
            ("行政规范性文件", "本年制发件数"): 7, ("行政规范性文件", "本年废止件数"): 2,
            ("行政规范性文件", "现行有效件数"): 86, ("行政许可", "本年处理决定数量"): 2315,
            ("行政处罚", "本年处理决定数量"): 48, ("行政强制", "本年处理决定数量"): None,
            ("行政事业性收费", "本年收费金额"): 35.2}
T2_UNITS = {("行政事业性收费", "本年收费金额"): "万元"}
# section 三 and 四 labels as printed (the template's wording -> the county's)
MISPRINTS = {"一、本年新收政府信息公开申请数量": "一、本年新收政府信息公开申请数",
             "四、结转下年度继续办理": "四、结转下年度继续办理申请数", "（七）总计": "（七）合计"}


def t2_html() -> str:
    """Section 二 with four columns per item, spans as the 2021 template draws them."""
    rows = []
    for no, header, data in T2_PRINTED:
        rows.append(f"<tr>{_td(f'第二十条第（{no}）项', colspan=4)}</tr>")
        cells = [_td(h, colspan=4 - len(header) + 1 if i == len(header) - 1 else 1) for i, h in enumerate(header)]
        rows.append("<tr>" + "".join(cells) + "</tr>")
        for label, values in data:
            cells = [_td(v, colspan=4 - len(values) if i == len(values) - 1 else 1) for i, v in enumerate(values)]
            rows.append("<tr>" + _td(label) + "".join(cells) + "</tr>")
    html = '<table border="1" cellspacing="0">' + "".join(rows) + "</table>"
    return html.replace("本年制发件数", "本年<br />制发件数").replace("现行有效件数", "现行有效<br />件数")


def misprinted(html: str) -> str:
    """The template's labels replaced by the county's, blanks as `<p align="center">&nbsp;</p>` (real 015)."""
    for template, printed in MISPRINTS.items():
        html = html.replace(f">{template}<", f">{printed}<")
    html = html.replace("<td>其他</td>", "<td>其它</td>").replace('<td rowspan="2">总计</td>', '<td rowspan="2">合计</td>')
    return html.replace(">&nbsp;</td>", '><p align="center">&nbsp;</p></td>')


def t4_html(values: list[str]) -> str:
    """Section 四 with 其它结果 and 合计 (real 015's layout)."""
    results = ["结果维持", "结果纠正", "其它结果", "尚未审结", "合计"]
    return ('<table border="1"><tr>' + _td("行政复议", colspan=5) + _td("行政诉讼", colspan=10) + "</tr><tr>"
            + "".join(_td(r, rowspan=2) for r in results) + _td("未经复议直接起诉", colspan=5)
            + _td("复议后起诉", colspan=5) + "</tr><tr>" + "".join(_td(r) for r in results * 2) + "</tr><tr>"
            + "".join(_td(v) for v in values) + "</tr></table>")


def t3_truth() -> tuple[dict[str, list[str]], dict[str, list]]:
    """(printed values, true values) of section 三: blanks where nothing was printed, never 0."""
    numbers = t3_numbers("fmt2021")
    printed = {r: [str(v) if v else "" for v in vals] for r, vals in numbers.items()}
    truth = {r: [v if v else None for v in vals] for r, vals in numbers.items()}
    return printed, truth


def report_page() -> tuple[str, list[dict]]:
    """An HTML report fragment in real 015's markup with the 2021 wording misprinted."""
    printed, truth = t3_truth()
    body = "".join([
        f"<p style='text-align: center;font-weight: bold;'>{TITLE}</p>",
        "<p>本年度报告根据《中华人民共和国政府信息公开条例》编制。</p><p>一、总体情况</p><p>本县持续推进政务公开。</p>",
        "<p>二、主动公开政府信息情况</p>", misprinted(t2_html()),
        "<p>三、收到和处理政府信息公开申请情况</p>", misprinted(t3_html("fmt2021", printed)),
        "<p><br />四、政府信息公开行政复议、行政诉讼情况</p>", misprinted(t4_html(T4_VALUES)),
        "<p>五、存在的主要问题及改进情况</p><p>无。</p><p>六、其他需要报告的事项</p><p>无。</p>"])
    return body, truth_cells(T2_TRUTH, truth, T4_VALUES, units=T2_UNITS)


def flattened_text() -> str:
    """The same report as text extraction flattens it (seed 004's ` | ` rows): its heading carries the year."""
    printed, _ = t3_truth()
    lines = [TITLE, "一、总体情况", "本县持续推进政务公开。", "二、主动公开政府信息情况"]
    for no, header, data in T2_PRINTED:
        lines += [f"第二十条第（{no}）项", " | ".join(header)]
        lines += [" | ".join([label, *values]) for label, values in data]
    lines += ["三、收到和处理政府信息公开申请情况", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况",
              "自然人 | 法人或其他组织 | 总计", "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其它"]
    for path, labels in t3_rows("fmt2021"):
        labels = [MISPRINTS.get(label, label) for label in labels]
        lines.append(" | ".join([*labels, *printed[path]]))
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议 | 行政诉讼",
              "结果维持 | 结果纠正 | 其它结果 | 尚未审结 | 合计 | 未经复议直接起诉 | 复议后起诉",
              " | ".join(["结果维持", "结果纠正", "其它结果", "尚未审结", "合计"] * 3), " | ".join(T4_VALUES),
              "五、存在的主要问题及改进情况", "无。"]
    return "\n".join(lines) + "\n"


TOOLBAR_PARAGRAPHS = ["汤口镇2020年度政府信息公开工作报告",
                      "根据《中华人民共和国政府信息公开条例》要求，现将本镇2020年度政府信息公开工作情况报告如下。",
                      "一、总体情况", "本镇认真落实政务公开各项工作，及时公开财政预决算、惠民资金等信息。",
                      "二、主动公开政府信息情况", "全年主动公开政府信息126条。"]


def full_width_toolbar(text: str) -> str:
    """Each character in Traditional form followed by its pinyin in full-width parentheses: 汤 -> 湯（tāng）."""
    convert = opencc.OpenCC("s2t").convert
    return "".join(f"{convert(c)}（{lazy_pinyin(c, style=Style.TONE)[0]}）" if re.match(r"[\u4e00-\u9fff]", c) else c
                   for c in text)


def toolbar_page() -> str:
    """A report whose article alone went through the toolbar, inside a long Simplified frame."""
    body = "\n".join(f"<p>{full_width_toolbar(p)}</p>" for p in TOOLBAR_PARAGRAPHS)
    frame = "".join(f"<li><a href='/news/{i}.html'>黄山区召开第{i}次政务服务工作推进会议，部署近期重点工作任务</a></li>"
                    for i in range(1, 25))
    return f"""<!DOCTYPE html>
<!-- Variation of seed 000's toolbar capture (當(dāng)前位置 = 当前位置): this toolbar converts to Traditional characters and
     writes the pinyin in FULL-WIDTH parentheses, and only inside the article; the page frame stays Simplified and is
     much longer than the article. Saved from the site's own URL, not through a /gate/big5/ gateway. -->
<html><head><meta charset="utf-8"><title>汤口镇2020年度政府信息公开工作报告_黄山区人民政府</title></head>
<body>
<div class="top"><a href="javascript:void(0)" id="jft">繁体</a> | <a href="javascript:void(0)" id="py">拼音</a></div>
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a> &gt; 政府信息公开年报</div>
<table class="xxgk_table">
<tr><td>索引号：</td><td>11341003003203641X/202101-00002</td><td>发布机构：</td><td>汤口镇人民政府</td></tr>
<tr><td>标题：</td><td colspan="3">汤口镇2020年度政府信息公开工作报告</td></tr>
<tr><td>发布时间：</td><td>2021-01-26</td><td>文号：</td><td></td></tr>
</table>
<div class="wzcon">
{body}
</div>
<div class="related"><h3>相关新闻</h3><ul>{frame}</ul></div>
</body></html>
"""


SHEET_TITLE = "旌德县2020年政府信息公开情况统计表"


def sheet_text() -> tuple[str, list[dict]]:
    """A report's section 三 table alone, as a spreadsheet attachment's text: its heading is the only title."""
    numbers = t3_numbers("fmt2019")
    lines = [SHEET_TITLE, "单位：件", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况",
             "自然人 | 法人或其他组织 | 总计", "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他"]
    lines += [" | ".join([*labels, *map(str, numbers[path])]) for path, labels in t3_rows("fmt2019")]
    return "\n".join(lines) + "\n", truth_cells(None, numbers, None)


def write(name: str, filename: str, data: str, expected: dict) -> None:
    """A variation file and its truth."""
    (PAGES / filename).write_text(data, encoding="utf-8")
    text = json.dumps({"file": f"pages/{filename}", **expected}, ensure_ascii=False, indent=1)
    (EXPECTED / f"{name}.json").write_text(text + "\n", encoding="utf-8")


def main() -> None:
    """Write the table variations."""
    fields = {"report_year": 2021, "agency": AGENCY, "format": "fmt2021"}
    follows = ("real 015 (Shanghai 2019 report body) markup, 2021 wording as counties misprint it: 规范性文件, 其它, "
               "合计, 本年新收政府信息公开申请数, 结转下年度继续办理申请数; units in cells, <br /> in header words")
    html, cells = report_page()
    write("v09_report_fmt2021_misprints", "v09_report_fmt2021_misprints.html", html,
          {"mode": "report", "follows": follows, "fields": fields, "cells": cells, "cells_complete": True})
    write("v10_flattened_year_heading", "v10_flattened_year_heading.txt", flattened_text(),
          {"mode": "report", "follows": "seed 004's flattened ` | ` rows; no 统计期限 sentence: the year is only in the "
           "heading, which ends in （全文）", "fields": fields, "cells": cells, "cells_complete": True})
    text, cells = sheet_text()
    write("v13_statistics_sheet_heading", "v13_statistics_sheet_heading.txt", text, {
        "mode": "report", "follows": "seed 002's appended 政府信息公开情况统计表 and seed 004's ` | ` rows: a spreadsheet "
        "attachment holding only the table, whose heading carries the government and the year",
        "fields": {"report_year": 2020, "agency": "旌德县", "format": "fmt2019"}, "cells": cells, "cells_complete": True})
    write("v03_traditional_pinyin_article", "v03_traditional_pinyin_article.html", toolbar_page(), {
        "mode": "page", "url": "http://www.hsq.gov.cn/xxgk/nb/202101/t20210126_1234.html",
        "follows": "seed 000's toolbar capture; full-width pinyin, article only, no gateway URL",
        "fields": {"index_no": "11341003003203641X/202101-00002", "issuer": "汤口镇人民政府", "written_date": None,
                   "title": "汤口镇2020年度政府信息公开工作报告", "doc_number": None, "publish_date": "2021-01-26",
                   "subject_terms": None, "category": None, "report_year": 2020, "agency": "汤口镇",
                   "admin_level": "乡镇", "conflicts": []},
        "text_includes": [p for p in TOOLBAR_PARAGRAPHS[1:]], "text_excludes": ["（tāng）", "湯", "報告", "（"]})


if __name__ == "__main__":
    main()

"""Tests for the statistics-table parser (crawler.extract.tables and friends) on pages, text and edge cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extract import extract_file
from crawler.extract.cells import parse_value
from crawler.extract.dates import date_problem
from crawler.extract.listing import gkmlpt_fields, list_row_fields
from crawler.extract.regions import admin_level, region_code
from crawler.extract.report import report_format, sections
from crawler.extract.tables import parse_report

FILES = Path(__file__).parent / "files"
CORPUS = Path(__file__).parent / "eval" / "corpus"
SEEDS = Path(__file__).parent.parent / "crawler" / "simulator" / "seeds"


def cells(result: dict) -> dict:
    """(table, row, col) -> value."""
    return {(c["table"], c["row"], c["col"]): c["value"] for c in result["cells"]}


def wrap(table: str, title: str = "某县2019年政府信息公开工作年度报告") -> str:
    """A page holding one table."""
    return f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><div id='zoom'>{table}</div></body></html>"


@pytest.fixture(scope="module")
def seed4() -> dict:
    return parse_report(FILES / "seed_004.html")


def test_seed_004_page_all_three_tables(seed4):
    got = cells(seed4)
    assert seed4["report_year"] == 2019 and seed4["agency"] == "漳县" and seed4["format"] == "fmt2019"
    assert got[("t2", "规范性文件", "对外公开总数量")] == 26
    assert got[("t2", "行政许可", "本年增/减")] == 4 and got[("t2", "行政处罚", "本年增/减")] == -3
    assert got[("t2", "其他对外管理服务事项", "本年增/减")] is None  # blank, never 0
    assert got[("t2", "行政事业性收费", "本年增/减")] == -1  # a colspan value counted once
    assert ("t2", "行政事业性收费", "处理决定数量") not in got
    assert [c for c in seed4["cells"] if c["row"] == "政府集中采购" and c["col"] == "采购总金额"][0]["unit"] == "万元"
    assert got[("t3", "本年新收政府信息公开申请数量", "自然人")] == 1
    assert got[("t3", "本年度办理结果/不予公开/危及“三安全一稳定”", "总计")] == 0
    assert got[("t3", "本年度办理结果/不予处理/重复申请", "科研机构")] is None
    assert got[("t3", "本年度办理结果/部分公开", "总计")] == 0
    assert len([k for k in got if k[0] == "t3"]) == 23 * 7
    assert len([k for k in got if k[0] == "t4"]) == 15 and set(v for k, v in got.items() if k[0] == "t4") == {0}


def test_seed_004_checks(seed4):
    checks = seed4["checks"]
    assert all(c["ok"] is not False for c in checks)
    balance = [c for c in checks if c["check"] == "一+二=三（七）+四" and c["where"] == "自然人"][0]
    assert balance["ok"] is True and balance["total"] == 1 and balance["sum"] == 1
    skipped = [c for c in checks if c["ok"] is None]
    assert skipped and all(c["where"] == "科研机构" or "科研机构" in c["missing"] for c in skipped)


def test_same_cells_from_page_text_and_cell_per_line(seed4):
    text = extract_file(str(FILES / "seed_004.html"))["text"]
    assert cells(parse_report(text)) == cells(seed4)
    flat = "\n".join(f"{c.strip()} |" for line in text.splitlines() if "|" in line for c in line.split("|"))
    assert cells(parse_report("漳县2019年政府信息公开工作年度报告\n" + flat)) == cells(seed4)


def test_seed_002_pre2019_text_and_page_agree():
    page = parse_report(FILES / "seed_002.html")
    text = parse_report((SEEDS / "002_5ca275e7fc674769.txt").read_text(encoding="utf-8"))
    assert cells(page) == cells(text) and page["format"] == text["format"] == "pre2019"
    got = cells(text)
    assert got[("pre2019", "(一)收到申请数", "统计数")] == 103
    parts = ["1.当面申请数", "2.传真申请数", "3.网络申请数", "4.信函申请数"]
    assert sum(got[("pre2019", p, "统计数")] for p in parts) == 103
    unit = [c for c in text["cells"] if c["row"] == "(一)收到申请数"][0]["unit"]
    assert unit == "件"
    assert not any(c["row"].startswith("一、主动公开总体情况") for c in text["cells"])  # heading rows are not data


def test_seed_004_text_lost_tables_invents_nothing():
    result = parse_report((SEEDS / "004_ff2da5e668afafb4.txt").read_text(encoding="utf-8"))
    assert result["cells"] == [] and result["format"] == "fmt2019" and result["report_year"] == 2019


def test_traditional_pinyin_text_normalised():
    result = parse_report((SEEDS / "000_357bcb75ecbbd974.txt").read_text(encoding="utf-8"))
    assert result["title"] == "辽东湾新区2018年度政府信息公开工作报告" and result["agency"] == "辽东湾新区"


@pytest.mark.parametrize(("text", "want"), [
    ("12", (12, None)), ("+2", (2, None)), ("-1", (-1, None)), ("−3", (-3, None)), ("1,204", (1204, None)),
    ("1 032", (1032, None)), ("３５６", (356, None)), ("3820.5万元", (3820.5, "万元")), ("—", (None, None)),
    ("-", (None, None)), ("", (None, None)), ("无", (None, None)), ("12…", (None, None)), ("约10", (None, None)),
])
def test_parse_value(text, want):
    assert parse_value(text) == want


def test_truncated_pipe_row_is_null_not_zero():
    text = ("自然人 | 法人或其他组织 | 总计\n商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他\n"
            "一、本年新收政府信息公开申请数量 | 5 | 1 | 0\n二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0")
    result = parse_report(text)
    got = cells(result)
    assert got[("t3", "本年新收政府信息公开申请数量", "科研机构")] == 0
    assert got[("t3", "本年新收政府信息公开申请数量", "社会公益组织")] is None
    assert got[("t3", "本年新收政府信息公开申请数量", "总计")] is None
    assert any("truncated" in p for p in result["problems"])


def test_space_separated_rows_with_missing_numbers_left_empty():
    text = "第二十条第（一）项\n信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n规章 1 2 3\n规范性文件 4 26"
    result = parse_report(text)
    got = cells(result)
    assert got[("t2", "规章", "对外公开总数量")] == 3
    assert got[("t2", "规范性文件", "本年新制作数量")] is None  # which one is missing is unknown: none guessed


def test_failing_check_keeps_published_numbers():
    table = ("<table><tr><td colspan=5>行政复议</td><td colspan=10>行政诉讼</td></tr>"
             "<tr>" + "".join(f"<td>{r}</td>" for r in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3)
             + "</tr><tr>" + "".join(f"<td>{v}</td>" for v in [1, 1, 0, 0, 5] + [0] * 10) + "</tr></table>")
    result = parse_report(wrap(table))
    assert cells(result)[("t4", "行政复议", "总计")] == 5
    check = [c for c in result["checks"] if c["where"] == "行政复议"][0]
    assert check["ok"] is False and check["total"] == 5 and check["sum"] == 2


def test_format_detection():
    assert report_format(2015, "") == "pre2019"
    assert report_format(2019, "一、总体情况\n二、主动公开政府信息情况") == "fmt2019"
    assert report_format(2022, "一、总体情况\n三、收到和处理政府信息公开申请情况") == "fmt2021"
    assert report_format(2020, "现将我局2020年度工作情况报告如下。") == "nonstandard"
    assert report_format(None, "") is None


def test_sections_in_order_and_table_rows_ignored():
    text = "一、总体情况\n本县…\n二、主动公开政府信息情况\n一、本年新收 | 1\n三、收到和处理政府信息公开申请情况\n五、乱序"
    found = sections(text)
    assert [s["heading"] for s in found] == ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况"]
    assert "一、本年新收 | 1" in found[1]["text"] and "五、乱序" in found[2]["text"]


@pytest.mark.parametrize(("text", "want"), [
    ("2019-02-30", "impossible"), ("2019年3月", "partial"), ("201711日", "partial"), ("二〇一〇年十三月四日", "impossible"),
    ("不详", "unreadable"), ("2019-03-11", None), ("", None),
])
def test_date_problem(text, want):
    assert date_problem(text) == want


def test_region_and_level():
    assert region_code("漳县", "6211250001") == "621125"
    assert region_code("明光市管店镇", "3411820001") == "341182"
    assert region_code("辽东湾新区", "2111000001") == "211100"  # not a division: the site's own code
    assert region_code("朝阳区") is None  # ambiguous without context: not guessed
    assert region_code("北京市朝阳区") == "110105"
    assert region_code("某部", "bm0100001") is None
    assert [admin_level(x) for x in ("甘肃省", "盘锦市", "漳县", "明光市管店镇", "延吉市建工街道", "某市财政局")] == [
        "省", "市", "县", "乡镇", "街道", "部门"]


def test_list_row_and_gkmlpt_fields():
    row = list_row_fields({"mc": "某市2019年政府信息公開年報", "wh": "无", "syh": "002649513/2020-12345",
                           "rq": "2020年1月5日"})
    assert row == {"title": "某市2019年政府信息公开年报", "doc_number": None, "index_no": "002649513/2020-12345",
                   "publish_date": "2020-01-05", "date_problems": []}
    item = gkmlpt_fields({"identifier": "x/2021-1", "document_number": "粤府办〔2021〕1号", "publisher": "某局",
                          "keywords": "年报", "date": "2021-01-3", "title": "t"})
    assert item["publish_date"] == "2021-01-03" and item["doc_number"] == "粤府办〔2021〕1号"
    assert gkmlpt_fields({"date": "2021-02"})["date_problems"] == [
        {"field": "publish_date", "value": "2021-02", "problem": "partial"}]


def test_page_conflicts_and_site_meta():
    out = extract_file(str(CORPUS / "metadata_big5.html"))
    assert out["conflicts"] == [{"field": "publish_date", "page": "2021年1月28日", "meta": "2021-01-29 09:00"}]
    assert out["publish_date"] == "2021-01-28"  # the page's own value is kept
    assert out["date_problems"] == [{"field": "written_date", "value": "2021-02-30", "problem": "impossible"}]
    assert out["doc_number"] is None and out["region_code"] == "341721" and out["column_name"] == "政府信息公开年报"

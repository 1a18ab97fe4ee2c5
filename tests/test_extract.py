"""Tests for crawler.extract on saved pages (tests/files) and synthetic variants; no network."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import crawler.extract.body
from crawler.extract import ExtractionError, extract, extract_file, parse_date
from crawler.extract.chinese import (
    cn_number,
    normalise_numerals,
    strip_pinyin,
    to_simplified,
)
from crawler.extract.document import joined_text, page_tree, text_holders, text_nodes
from crawler.extract.regions import _divisions, _matches
from crawler.extract.report import agency, report_year
from crawler.extract.tables import page_tables
from crawler.simulator.render import render_report
from crawler.simulator.reports import FAMILIES, generated_report

FILES = Path(__file__).parent / "files"
KEYS = ["index_no", "category", "issuer", "written_date", "title", "doc_number", "publish_date", "subject_terms",
        "report_year", "agency", "column_path", "text", "family", "site_code", "column_name", "region_code",
        "admin_level", "format", "sections", "conflicts", "date_problems"]


def page(name: str) -> dict:
    """Extraction result of a saved page."""
    return extract_file(str(FILES / f"{name}.html"))


def expected(name: str) -> dict:
    """Saved expected output of a seed page."""
    return json.loads((FILES / f"{name}.json").read_text(encoding="utf-8"))


def squash(text: str) -> str:
    """Text with all whitespace removed."""
    return "".join(text.split())


def wrap(inner: str, head: str = "") -> str:
    """A minimal page around some markup."""
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{inner}</body></html>"


# ---------------------------------------------------------------- seed pages, field by field


def test_keys_exact():
    assert list(page("seed_000")) == KEYS


def test_seed_000_fields():
    out = page("seed_000")
    assert out["index_no"] == "pjsrmzf-2019-000223"
    assert out["category"] == "县区政府信息公开工作年度报告"
    assert out["issuer"] == "盘锦市政府"
    assert out["written_date"] is None
    assert out["title"] == "辽东湾新区2018年度政府信息公开工作报告"
    assert out["doc_number"] is None  # its value cell is missing: 发布日期 must not shift into it
    assert out["publish_date"] == "2019-03-11"
    assert out["subject_terms"] is None
    assert out["report_year"] == 2018
    assert out["agency"] == "辽东湾新区"
    assert out["column_path"] == "政务公开 > 政府信息公开年报 > 2018年 > 县区政府信息公开工作年度报告"
    assert out["family"] == "panjin"


def test_seed_002_fields():
    out = page("seed_002")
    assert out["index_no"] is None  # 索 引 号: | 主题分类: | … : the empty value stays empty
    assert out["category"] == "市政府信息公开工作年度报告"
    assert out["issuer"] == "盘锦市政府"
    assert out["written_date"] is None and out["doc_number"] is None and out["subject_terms"] is None
    assert out["publish_date"] == "2016-03-07"
    assert out["report_year"] == 2015
    assert out["agency"] == "盘锦市"
    assert out["column_path"] == "政务公开 > 政府信息公开年报 > 2015年 > 市政府信息公开工作年度报告"


def test_seed_001_fields():
    out = page("seed_001")
    assert out["publish_date"] == "2010-01-04"
    assert out["report_year"] == 2009
    assert out["agency"] == "明光市管店镇"
    assert out["title"] == "明光市管店镇政府信息公开工作二00九年度报告"
    assert out["index_no"] == "003186443/201001-00001"
    assert out["category"] == "政府信息公开年报"
    assert out["issuer"] == "明光市管店镇人民政府"
    assert out["written_date"] == "2010-01-04"
    assert out["doc_number"] is None and out["subject_terms"] is None
    assert out["family"] == "anhui"


def test_seed_003_fields():
    out = page("seed_003")
    assert out["publish_date"] == "2019-12-10"
    assert out["report_year"] == 2014  # five years before publication
    assert out["agency"] == "延吉市建工街道"
    assert out["title"] == "2014年延吉市建工街道政府信息公开工作报告"
    assert out["issuer"] == "延吉市建工街道办事处"  # from <meta name="ContentSource">
    assert out["index_no"] is None and out["category"] is None
    assert out["family"] == "trs"


def test_seed_004_fields():
    out = page("seed_004")
    assert out["report_year"] == 2019
    assert out["agency"] == "漳县"
    assert out["title"] == "漳县2019年政府信息公开工作年度报告"
    assert out["publish_date"] == "2020-01-21"
    assert out["issuer"] == "漳县人民政府办公室"
    assert out["family"] == "hanweb"


@pytest.mark.parametrize("name", ["seed_000", "seed_001", "seed_002", "seed_003", "seed_004"])
def test_seed_matches_saved_expected(name):
    out, want = page(name), expected(name)
    assert squash(out["text"]) == squash(want["text"])
    assert {k: out[k] for k in want if k != "text"} == {k: v for k, v in want.items() if k != "text"}


@pytest.mark.parametrize("name", ["seed_000", "seed_001", "seed_002", "seed_003", "seed_004"])
def test_boilerplate_removed(name):
    text = page(name)["text"]
    for junk in ("当前位置", "【字体", "扫一扫", "打印本页", "关闭窗口", "分享到", "责任编辑", "点击数", "登录 注册",
                 "索 引 号", "发布日期:"):
        assert junk not in text


def test_toolbar_page_equals_plain_page():
    plain, toolbar = page("seed_000"), page("seed_000_toolbar")
    assert toolbar["text"] == plain["text"]
    assert toolbar == plain
    assert "(" not in toolbar["text"].replace("(盘政办函〔2018〕)", "")


def test_seed_004_text_has_the_three_tables():
    text = page("seed_004")["text"]
    assert "第二十条第（一）项" in text
    assert "规范性文件 | 3 | 3 | 26" in text
    assert "其他对外管理服务事项 | 12 | | 35" in text  # blank cell kept blank, not 0
    assert "自然人 | 法人或其他组织 | 总计" in text
    assert "一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1" in text
    assert "三、本年度办理结果 | （一）予以公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1" in text
    assert " | ".join(["0"] * 15) in text
    lines = text.splitlines()
    assert lines.index("三、收到和处理政府信息公开申请情况") < lines.index("自然人 | 法人或其他组织 | 总计")


def test_seed_002_tables_as_rows():
    text = page("seed_002")["text"]
    assert "(一)收到申请数 | 件 | 103" in text
    assert "2.政府网站公开政府信息数 | 条 | 2683 | 信息公开改版后(2015年7月28日—今)信息发布量251" in text
    assert "政府信息公开工作机构 | 名称* | 盘锦市政府信息公开办公室" in text


def test_known_families_do_not_use_trafilatura(monkeypatch):
    def boom(html: str) -> str:
        raise AssertionError("fallback used on a known family")

    monkeypatch.setattr(crawler.extract, "fallback_text", boom)
    for name in ("seed_000", "seed_000_toolbar", "seed_001", "seed_002", "seed_003", "seed_004"):
        assert page(name)["family"]


# ---------------------------------------------------------------- encodings and bad input


def test_gbk_bytes_decoded_as_gb18030():
    html = (FILES / "seed_003.html").read_text(encoding="utf-8")
    assert extract(html.encode("gbk")) == extract(html)
    rare = html.replace("2014年", "2014年\u9fa5").encode("gb18030")  # outside GBK: only GB18030 decodes it
    assert extract(rare)["title"] == "2014年\u9fa5延吉市建工街道政府信息公开工作报告"


def test_meta_says_utf8_but_bytes_are_gbk():
    html = wrap("<div class='TRS_Editor'><p>延吉市建工街道2014年度报告</p></div>")
    assert extract(html.encode("gbk"))["text"] == "延吉市建工街道2014年度报告"


def test_utf8_bom():
    html = wrap("<div class='wzcon'><p>管店镇</p></div>")
    assert extract(b"\xef\xbb\xbf" + html.encode("utf-8"))["text"] == "管店镇"


@pytest.mark.parametrize("data", ["", "   \n", b"", b"%PDF-1.4\n%\xe2\xe3", b"\x89PNG\r\n\x1a\n\x00\x00",
                                  b"PK\x03\x04\x14\x00", b"\x00\x01\x02\x03binary", "只是一段纯文本，没有标签。"])
def test_not_html_raises(data):
    with pytest.raises(ExtractionError):
        extract(data)


def test_extract_file_errors(tmp_path):
    with pytest.raises(ExtractionError, match="no such file"):
        extract_file(str(tmp_path / "missing.html"))
    with pytest.raises(ExtractionError, match="directory"):
        extract_file(str(tmp_path))
    bad = tmp_path / "x.html"
    bad.write_bytes(b"")
    with pytest.raises(ExtractionError) as info:
        extract_file(str(bad))
    assert "\n" not in str(info.value)


# ---------------------------------------------------------------- metadata variants and misalignment


def test_misaligned_cells_never_shift():
    rows = ("<tr><td>索 引 号:</td><td>主题分类:</td><td>年度报告</td><td></td></tr>"
            "<tr><td>发文字号:</td><td>发布日期:</td><td>2019-03-11</td><td></td></tr>"
            "<tr><td>发文机关:</td><td></td><td>成文日期:</td><td>无</td></tr>"
            "<tr><td>主 题 词:</td></tr><tr><td>标 题:</td><td>某区2018年度政府信息公开工作报告</td></tr>")
    out = extract(wrap(f"<table>{rows}</table><div class='article-content'><p>正文</p></div>"))
    assert out["index_no"] is None and out["category"] == "年度报告"
    assert out["doc_number"] is None and out["publish_date"] == "2019-03-11"
    assert out["issuer"] is None and out["written_date"] is None
    assert out["subject_terms"] is None  # label followed by the next row's label
    assert out["title"] == "某区2018年度政府信息公开工作报告"


def test_variant_labels_bold_cells_traditional():
    cells = ("<tr><td><b>索 引 號：</b></td><td>11341702486344515H/202110-00013</td>"
             "<td><b>組配分類：</b></td><td>政府信息公开年报</td></tr>"
             "<tr><td><b>信息名称：</b></td><td>某市财政局2020年政府信息公开工作年度报告</td></tr>"
             "<tr><td><b>发布机构：</b></td><td>某市财政局</td><td><b>文号：</b></td><td>财办〔2021〕3号</td></tr>"
             "<tr><td><b>生成日期：</b></td><td>２０２１年１月２０日</td><td><b>关键词：</b></td><td>年报</td></tr>"
             "<tr><td><b>发布时间：</b></td><td>2021-01-22 10:00:00</td></tr>")
    out = extract(wrap(f"<div class='bt-article-y'><table>{cells}</table></div><div id='zoom'><p>正文。</p></div>"))
    assert out["index_no"] == "11341702486344515H/202110-00013"
    assert out["category"] == "政府信息公开年报"
    assert out["title"] == "某市财政局2020年政府信息公开工作年度报告"
    assert out["issuer"] == "某市财政局" and out["doc_number"] == "财办〔2021〕3号"
    assert out["written_date"] == "2021-01-20" and out["publish_date"] == "2021-01-22"
    assert out["subject_terms"] == "年报"
    assert out["agency"] == "某市财政局" and out["report_year"] == 2020


def test_label_and_value_in_one_cell_ucap():
    cells = ("<tr><td><b>索引号：</b>000014349/2021-00012</td><td><b>主题分类：</b>综合政务</td></tr>"
             "<tr><td><b>发文机关：</b>国务院办公厅</td><td><b>成文日期：</b>2021年01月15日</td></tr>")
    out = extract(wrap(f"<table>{cells}</table><div id='UCAP-CONTENT'><p>内容</p></div>"))
    assert out["index_no"] == "000014349/2021-00012" and out["category"] == "综合政务"
    assert out["issuer"] == "国务院办公厅" and out["written_date"] == "2021-01-15"
    assert out["family"] == "ucap"


def test_inline_line_and_national_meta_tags():
    head = ('<meta name="ArticleTitle" content="某镇2016年度政府信息公开工作报告">'
            '<meta name="PubDate" content="2017-03-28 09:00"><meta name="ContentSource" content="某镇人民政府">')
    out = extract(wrap("<div class='TRS_Editor'><p>正文</p></div>", head))
    assert out["title"] == "某镇2016年度政府信息公开工作报告" and out["publish_date"] == "2017-03-28"
    assert out["issuer"] == "某镇人民政府" and out["agency"] == "某镇"
    inline = "<div class='newsinfo'><span>发布时间:2010-01-04 00:00</span> <span>来源:</span></div>"
    out = extract(wrap(inline + "<div class='wzcon'><p>x</p></div>", head))
    assert out["publish_date"] == "2010-01-04"  # the page line wins over <meta PubDate>
    assert out["issuer"] is None  # 来源: shown empty on the page


def test_unknown_layout_uses_fallback():
    paragraph = "本年度报告根据《中华人民共和国政府信息公开条例》编制。" * 8
    html = wrap(f"<div class='nav'>首页</div><article><h2>某县2019年政府信息公开工作年度报告</h2>"
                f"<p>{paragraph}</p><p>统计期限自2019年1月1日起至2019年12月31日止。{paragraph}</p>"
                "<table><tr><td>自然人</td><td>总计</td></tr><tr><td>1</td><td>1</td></tr></table></article>",
                "<title>某县2019年政府信息公开工作年度报告_某县人民政府</title>")
    out = extract(html)
    assert out["family"] is None
    assert "本年度报告根据" in out["text"] and "自然人 | 总计" in out["text"]
    assert out["title"] == "某县2019年政府信息公开工作年度报告" and out["report_year"] == 2019


@pytest.mark.parametrize("family", FAMILIES)
def test_generated_pages(family):
    report = generated_report(family, 2020, "某某县", "321", "2021-01-29")
    for toolbar in (False, True):
        out = extract(render_report(report, toolbar=toolbar))
        assert squash(out.pop("text")) == squash(report.expected["text"])
        assert {k: out[k] for k in report.expected if k != "text"} == {
            k: v for k, v in report.expected.items() if k != "text"}
        assert out["conflicts"] == [] and out["date_problems"] == []


# ---------------------------------------------------------------- dates, numerals, year, agency


@pytest.mark.parametrize(("text", "want"), [
    ("2019-03-11", "2019-03-11"),
    ("2010-01-04 00:00", "2010-01-04"),
    ("2021-01-22 10:00:00", "2021-01-22"),
    ("2019/3/1", "2019-03-01"),
    ("2019.03.11", "2019-03-11"),
    ("2019年3月11日", "2019-03-11"),
    ("2019年03月11日 15:30", "2019-03-11"),
    ("二〇一〇年一月四日", "2010-01-04"),
    ("二零一九年十二月三十一日", "2019-12-31"),
    ("二00九年十月二十日", "2009-10-20"),
    ("２０１９年３月１１日", "2019-03-11"),
    ("２０１９－０３－１１", "2019-03-11"),
    ("20190311", "2019-03-11"),
    ("March 11, 2019", "2019-03-11"),
    ("发布时间：2016-03-07", "2016-03-07"),
])
def test_parse_date(text, want):
    assert parse_date(text) == want


@pytest.mark.parametrize("text", [None, "", "  ", "2019-02-30", "2019-13-01", "2019年3月", "2019年",
                                  "〇〇九年一月 四日",
                                  "201711日", "201711日至20171231日", "3月11日", "二〇一〇年十三月四日", "March 2019",
                                  "0000-00-00", "1900-01-01"])
def test_parse_date_refuses(text):
    assert parse_date(text) is None


def test_chinese_helpers():
    assert strip_pinyin("當(dāng)前(qián)位(wèi)置(zhì): 首(shǒu)頁(yè)") == "當前位置: 首頁"
    assert strip_pinyin("网址(http://a.gov.cn)和(IPv6)") == "网址(http://a.gov.cn)和(IPv6)"
    assert to_simplified("縣區政府信息公開") == "县区政府信息公开"
    assert [cn_number(x) for x in ("十", "十二", "二十", "三十一", "廿一", "二〇一〇", "二00九", "十十")] == \
        [10, 12, 20, 31, 21, 2010, 2009, None]
    assert normalise_numerals("二〇一〇年一月四日") == "2010年1月4日"


@pytest.mark.parametrize(("title", "text", "want"), [
    ("明光市管店镇政府信息公开工作二00九年度报告", "", 2009),
    ("2014年延吉市建工街道政府信息公开工作报告", "", 2014),
    ("政府信息公开工作年度报告", "本年度报告中所列数据的统计期限自2019年1月1日起至2019年12月31日止。", 2019),
    ("政府信息公开工作年度报告", "2021年1月发布。现将本机关2020年度政府信息公开工作情况报告如下", 2020),
    ("政府信息公开工作年度报告", "发布日期：2021-01-20", None),
])
def test_report_year(title, text, want):
    assert report_year(title, text) == want


@pytest.mark.parametrize(("title", "want"), [
    ("辽东湾新区2018年度政府信息公开工作报告", "辽东湾新区"),
    ("明光市管店镇政府信息公开工作二00九年度报告", "明光市管店镇"),
    ("2014年延吉市建工街道政府信息公开工作报告", "延吉市建工街道"),
    ("漳县2019年政府信息公开工作年度报告", "漳县"),
    ("盘锦市2015年度政府信息公开工作报告", "盘锦市"),
    ("某县人民政府2020年政府信息公开工作年度报告", "某县"),
    ("某县人民政府信息公开工作年度报告", "某县"),
    ("关于某市财政局2019年度政府信息公开工作报告", "某市财政局"),
    ("通知公告", None),
])
def test_agency(title, want):
    assert agency(title) == want


# ---------------------------------------------------------------- speed-ups that must not change results


@pytest.mark.parametrize("name", ["seed_000", "seed_000_toolbar", "seed_004"])
def test_text_nodes_equal_the_xpath(name):
    root = page_tree((FILES / f"{name}.html").read_bytes())[1]
    xpath = ".//text()[not(ancestor::script or ancestor::style)]"
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag not in ("script", "style"):
            assert text_nodes(el) == el.xpath(xpath)
            assert joined_text(el) == "".join(el.xpath(xpath))
            assert [(t, h) for t, h in text_holders(el)] == [(t, t.getparent()) for t in el.xpath(xpath)]


def test_page_tree_shared_by_fields_and_tables():
    html = (FILES / "seed_004.html").read_bytes()
    extract(html)
    root = page_tree(html)[1]
    assert page_tables(html, 2019)[0]
    assert page_tree(html)[1] is root  # the page's fields and its tables read one parse
    assert page_tree((FILES / "seed_002.html").read_bytes())[1] is not root
    assert page_tree(html)[1] is not root  # only the last page is kept


def test_region_prefix_index_matches_a_full_scan():
    for name in ("延吉市建工街道", "辽宁省盘锦市", "漳县", "北京市海淀区", "某县"):
        scan = sorted((d for d in _divisions() if name.startswith(d[0]) and len(d[0]) >= 2), key=lambda d: -len(d[0]))
        assert _matches(name, None) == scan

"""Extraction on markup as real portals print it (tests/eval/real): label spellings and containers, empty values,
values hidden in comments, titles, document classification, Traditional/pinyin from content, page tools, list-row
metadata and misprinted statistics tables. Each markup snippet names the real page it comes from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.extract import extract, extract_file
from crawler.extract.attachments import sniff
from crawler.extract.body import clean_lines
from crawler.extract.chinese import is_pinyin_annotated, strip_pinyin
from crawler.extract.listing import fill_from_list, list_rows
from crawler.extract.report import classify
from crawler.extract.tables import parse_report
from crawler.extract.templates import strip_label
from crawler.simulator.render import render_report
from crawler.simulator.reports import seed_reports

REAL = Path(__file__).parent / "eval" / "real"
BODY = "<div id='UCAP-CONTENT'><p>正文。</p></div>"


def wrap(inner: str, head: str = "") -> str:
    """A minimal page around some markup."""
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{inner}</body></html>"


def real_case(name: str) -> tuple[Path, dict]:
    """A real page's path and its labels."""
    case = json.loads((REAL / "expected" / f"{name}.json").read_text(encoding="utf-8"))
    return REAL / case["file"], case


# ---------------------------------------------------------------- labels and their containers


@pytest.mark.parametrize("markup", [
    "<p><strong>索引号</strong>：000014348/2020-35147</p>",  # real 001: the colon outside the tag
    "<table><tr><td width='70'><b>索 引 号：</b></td><td>000014348/2020-35147</td></tr></table>",  # real 003
    "<dl><dd><label><font>索 引 号：</font></label><div class='display-block'>\n\t\t000014348/2020-35147\n\t</div>"
    "</dd></dl>",  # real 012
    "<div><span class='t'>索&nbsp;&nbsp;引&nbsp;&nbsp;号：</span><span>000014348/2020-35147</span></div>",
    "<div><span>索　取　号：</span><span>000014348/2020-35147</span></div>",
    "<dl><dt>信息索引号</dt><dd>000014348/2020-35147</dd></dl>",
    "<table><tr><td>索引號:</td><td>000014348/2020-35147</td></tr></table>",
    "<p>索引号：000014348/2020-35147</p>",
])
def test_index_number_in_every_container(markup):
    assert extract(wrap(markup + BODY))["index_no"] == "000014348/2020-35147"


@pytest.mark.parametrize(("label", "field", "value", "want"), [
    ("标　　题", "title", "某县2020年政府信息公开工作年度报告", "某县2020年政府信息公开工作年度报告"),
    ("信息名称", "title", "某县2020年政府信息公开工作年度报告", "某县2020年政府信息公开工作年度报告"),
    ("名称", "title", "某县2020年政府信息公开工作年度报告", "某县2020年政府信息公开工作年度报告"),
    ("生成日期", "written_date", "2023-05-11", "2023-05-11"),
    ("发文日期", "written_date", "2023年4月18日", "2023-04-18"),
    ("公开日期", "publish_date", "2021-01-29", "2021-01-29"),
    ("发布时间", "publish_date", "2021-01-29 10:00", "2021-01-29"),
    ("发布机构", "issuer", "宜春市统计局", "宜春市统计局"),
    ("信息来源", "issuer", "宜春市统计局", "宜春市统计局"),
    ("责任部门", "issuer", "万载县统计局", "万载县统计局"),
    ("报送单位", "issuer", "市财政局", "市财政局"),  # real 018 (Tianjin)
    ("分类", "category", "统计公报", "统计公报"),
    ("文号", "doc_number", "无", None),
    ("关键词", "subject_terms", "年报", "年报"),
])
def test_label_spellings(label, field, value, want):
    markup = f"<table><tr><td><b>{label}：</b></td><td>{value}</td></tr></table>"
    assert extract(wrap(markup + BODY))[field] == want


def test_an_empty_value_never_takes_the_next_label():
    govcn = ("<table><tr><td><b>主 题 词：</b></td><td></td><td></td><td></td></tr></table>"  # real 003-006
             "<table><tr><td><b>发布日期：</b></td><td>2019年01月08日</td></tr></table>")
    out = extract(wrap(govcn + BODY))
    assert out["subject_terms"] is None and out["publish_date"] == "2019-01-08"
    spans = ("<div><span>生成日期：</span><span></span><span>公开方式：</span><span>主动公开</span></div>"
             "<div><span>发布机构：</span><span>某局</span></div>")
    out = extract(wrap(spans + BODY))
    assert out["written_date"] is None and out["issuer"] == "某局"
    dts = "<dl><dt>生成日期</dt><dd></dd><dt>发布机构</dt><dd>某局</dd></dl>"
    out = extract(wrap(dts + BODY))
    assert out["written_date"] is None and out["issuer"] == "某局"


def test_an_unknown_label_ends_a_value():
    """Real 011: `来源：<b></b>` then `访问量：199`: the source is empty, not the visit count."""
    attr = ("<div class='article-attr'><span class='ly'>来源：<b></b></span>"
            "<span class='llcs'>访问量：<b id='view'>199</b></span>"
            "<span class='date'>发布日期：<b><publishtime>2017-05-15 10:49:00</publishtime></b></span></div>")
    out = extract(wrap(attr + BODY, "<meta name='ContentSource' content='某县统计局'>"))
    assert out["issuer"] is None  # shown empty on the page: the <meta> does not fill it
    assert out["publish_date"] == "2017-05-15"


def test_values_hidden_in_comments_stay_null():
    """Real 001: 成文日期 and 主题词 exist only inside HTML comments."""
    path, case = real_case("001_handan_jyj_detail")
    out = extract_file(str(path))
    assert out["written_date"] is None and out["subject_terms"] is None
    assert "2020年08月02日" in path.read_text(encoding="utf-8").split("<!--<p><strong>成文日期")[1][:60]
    assert out["index_no"] == case["fields"]["index_no"] and out["doc_number"] is None  # 文号：无


def test_tabs_and_menus_named_like_labels_are_no_labels():
    menu = "<ul class='tabs'><li>分类</li><li>机构分类</li><li>名称</li><li>年度</li></ul>"
    out = extract(wrap(menu + BODY))
    assert out["category"] is None and out["title"] is None


def test_links_named_like_labels_are_no_labels():
    """The 信息公开目录 tree's links 主题分类 / 组配分类 sit in cells of a layout table: they are no label cells."""
    tree = ("<table><tr><td><a href='/zt/'>主题分类</a></td><td><a href='/zp/'>组配分类</a></td>"
            "<td><a href='/jg/'>机构分类</a></td></tr></table>")
    assert extract(wrap(tree + BODY))["category"] is None


# ---------------------------------------------------------------- titles


@pytest.mark.parametrize("title_tag", [
    "某县2019年政府信息公开工作年度报告 - 某县人民政府",
    "某县2019年政府信息公开工作年度报告_政府信息公开年报_某县人民政府",
    "某县2019年政府信息公开工作年度报告 | 某县人民政府",
    "某县人民政府 | 某县2019年政府信息公开工作年度报告",  # real 011: the site first
    "某县人民政府——某县2019年政府信息公开工作年度报告",
    "某县2019年政府信息公开工作年度报告-某县人民政府网",
    "某县2019年政府信息公开工作年度报告 _ 中国某州",
])
def test_site_name_stripped_from_the_title_tag(title_tag):
    out = extract(wrap(BODY, f"<title>{title_tag}</title><meta name='ColumnName' content='政府信息公开年报'>"))
    assert out["title"] == "某县2019年政府信息公开工作年度报告"
    assert out["report_year"] == 2019 and out["agency"] == "某县"


def test_the_pages_own_heading_is_preferred_and_the_logo_is_not():
    page = ("<h1 class='logo'>万载县人民政府</h1><h1 class='article-title'><ucaptitle>万载县2022年国民经济和社会发展"
            "统计公报</ucaptitle></h1>" + BODY)
    out = extract(wrap(page, "<title>万载县人民政府 | 万载县2022年国民经济和社会发展统计公报（图文）</title>"
                             "<meta name='ArticleTitle' content='万载县2022年国民经济和社会发展统计公报'>"))
    assert out["title"] == "万载县2022年国民经济和社会发展统计公报"


def test_a_fragment_takes_the_report_title_its_text_opens_with():
    """Real 015: a report body saved without its page: no <title>, no heading element."""
    path, case = real_case("015_shanghai_2019_xxgk_report_fragment")
    out = extract_file(str(path))
    assert out["title"] == case["fields"]["title"] and out["report_year"] == 2019
    assert out["agency"] == "上海市人民政府办公厅"


# ---------------------------------------------------------------- what the document is


@pytest.mark.parametrize(("title", "year", "agency"), [
    ("鄂尔多斯市2019年政府信息公开工作年度报告", 2019, "鄂尔多斯市"),
    ("鄂尔多斯市2018年政府信息公开年度报告", 2018, "鄂尔多斯市"),  # real 008: without 工作
    ("鄂尔多斯市人民政府办公室2019年政府信息公开工作年度报告", 2019, "鄂尔多斯市人民政府办公室"),
    ("明光市管店镇政府信息公开工作二00九年度报告", 2009, "明光市管店镇"),
    ("某县2020年政务公开工作年度报告", 2020, "某县"),
    ("某市财政局政府信息公开年报（2019年）", 2019, "某市财政局"),
    ("某县人民政府办公室2021年政府信息公开工作年度报告（全文）", 2021, "某县人民政府办公室"),
    ("某县2019年政府信息公开工作年度报告.pdf", 2019, "某县"),
])
def test_annual_reports_are_classified_with_year_and_government(title, year, agency):
    found = classify(title)
    assert found.is_report and found.year == year and found.agency == agency


@pytest.mark.parametrize("title", [
    "国务院关于2018年度国家科学技术奖励的决定",  # real 003
    "国务院办公厅关于2019年部分节假日安排的通知",  # real 004
    "2020年09月11日药品批准证明文件待领取信息发布",  # real 009
    "万载县2022年国民经济和社会发展统计公报",  # real 012
    "恩格贝生态示范区召开2020年度工作会暨党风廉政建设会议",  # real 008
    "一图读懂示范区2017年重点工作",  # real 008
    "邯郸市人民政府办公室关于印发2020年国务院《政府工作报告》部署重点任务分工方案...",  # real 026, cut by the page
    "国务院办公厅转发国家地震局关于1997年地震趋势和加强防震减灾工作意见报告的通知",  # real 024
    "关于做好2020年政府信息公开工作年度报告编制工作的通知",
    "图解：某县2019年政府信息公开工作年度报告",
    "某县2019年政府信息公开工作年度报告解读",
    "郎溪县2016-2020年政务公开工作规划",
])
def test_other_documents_get_no_year_and_no_government(title):
    assert classify(title, "本年度报告中所列数据的统计期限自2019年1月1日起至2019年12月31日止。") == classify(title)
    found = classify(title)
    assert not found.is_report and found.year is None and found.agency is None


def test_a_report_without_a_report_title_is_known_by_its_text():
    text = "2019年度报告\n本年度报告根据《中华人民共和国政府信息公开条例》编制。\n一、总体情况\n二、主动公开政府信息情况"
    assert classify("2019年度报告", text).is_report
    assert not classify("2019年度报告", "2019年度报告\n全年完成生产总值…").is_report


@pytest.mark.parametrize("name", ["003_govcn_2018_kjjl_decision", "004_govcn_2019_holidays_notice",
                                  "009_nmpa_yppjfb_notice", "011_wanzai_2015_tjgb_notice",
                                  "012_wanzai_2022_tjgb_notice", "014_jiangxi_2022_tjgb_on_yichun_notice",
                                  "023_govcn_2018_xiongan_reply", "024_govcn_1997_earthquake_notice"])
def test_real_pages_with_a_year_in_the_title_are_no_reports(name):
    path, _ = real_case(name)
    out = extract_file(str(path))
    assert out["report_year"] is None and out["agency"] is None and out["format"] is None
    assert out["admin_level"] is None


# ---------------------------------------------------------------- Traditional characters and toolbar pinyin


def test_toolbar_page_read_from_its_content_whatever_the_url():
    """The simulator serves seed 000 with the 繁体+拼音 toolbar under /gate/big5/: the URL plays no part."""
    report = seed_reports()["000"]
    html = render_report(report, toolbar=True)
    outs = [extract(html, url) for url in (None, "http://www.panjin.gov.cn/html/zfxxgknb2018/2019-03-11/content-1.html",
                                          "http://127.0.0.1:1/gate/big5/www.panjin.gov.cn/html/a/content-1.html")]
    assert outs[0] == outs[1] == outs[2]
    assert outs[0]["title"] == report.expected["title"] and "(dāng)" not in outs[0]["text"]
    assert outs[0] == extract(render_report(report), "http://www.panjin.gov.cn/x.html")


def test_full_width_pinyin_on_the_article_only():
    article = "".join(f"{c}（{p}）" for c, p in zip("縣區政府信息公開工作報告", ("xiàn", "qū", "zhèng", "fǔ", "xìn", "xī",
                                                                           "gōng", "kāi", "gōng", "zuò", "bào", "gào"),
                                               strict=True))
    frame = "部署近期重点工作任务。" * 300
    assert is_pinyin_annotated(frame + article * 2)
    assert not is_pinyin_annotated(frame + "附件(a)和(b)以及(c)" * 5)
    assert strip_pinyin(article) == "縣區政府信息公開工作報告"


# ---------------------------------------------------------------- page tools and metadata headers in the text


def test_page_tools_never_reach_the_text():
    lines = ["正文第一段。", "【字体：大 中 小】【打印】【关闭】", "分享到：", "扫一扫在手机打开当前页", "特此报告。 【打印本页】【关闭窗口】",
             "pdf下载 | word下载", "[ 打印本页 | 关闭窗口 ]", "字号：【大】【中】【小】", "一、总体情况"]
    assert clean_lines("\n".join(lines)) == "正文第一段。\n特此报告。\n一、总体情况"
    tools = ("<div class='bdsharebuttonbox'><a>分享到：</a><a>微信</a></div><div id='qrcode'>手机查看</div>"
             "<div class='print'><a>打印</a></div>")
    out = extract(wrap(f"<div id='zoom'><p>正文。</p>{tools}<p>结尾。</p></div>"))
    assert out["text"] == "正文。\n结尾。"


def test_the_metadata_header_of_an_unknown_layout_stays_out_of_the_text():
    """Real 018 (Tianjin 财政局): no known body container, an empty body; the header table's rows are fields."""
    path, case = real_case("018_tianjin_czj_2019_detail")
    out = extract_file(str(path))
    assert out["issuer"] == "市财政局" and out["category"] is None  # 报送单位; 主题分类's cell is an empty <span>
    assert out["doc_number"] == "津财采〔2019〕1号" and out["written_date"] == "2019-01-04"
    assert "报送单位" not in out["text"] and "津财采" not in out["text"]


def test_a_data_table_headed_like_a_label_stays_in_the_text():
    """A body table whose first column is headed 名称 (one label, no colon) is content, not a metadata header."""
    rows = "".join(f"<tr><td>{a}</td><td>{b}</td></tr>" for a, b in (("名称", "数量"), ("规章", "3"), ("规范性文件", "12")))
    page = wrap("<div class='x'><p>" + "本机关主动公开政府信息情况如下，详见下表所列各项数据。" * 3
                + f"</p><table>{rows}</table></div>")
    text = extract(page)["text"]
    assert "名称 | 数量" in text and "规范性文件 | 12" in text


@pytest.mark.parametrize(("name", "issuer"), [("019_govcn_1996_yiqi_huawu_notice", "国务院办公厅、中央军委办公厅"),
                                              ("020_govcn_1996_wujing_reply", "国务院、中央军委")])
def test_joint_issuers_are_kept_whole(name, issuer):
    path, case = real_case(name)
    assert extract_file(str(path))["issuer"] == issuer == case["fields"]["issuer"]


# ---------------------------------------------------------------- metadata delivered in a list row


def test_list_rows_from_hanweb_attributes_and_labelled_tables():
    path, case = real_case("002_handan_jinqixxgk_list")
    rows = list_rows(path.read_bytes(), case["url"])
    want = case["entries"][0]
    assert [(r["url"], r["title"], r["index_no"], r["issuer"], r["publish_date"]) for r in rows] == [
        (want["url"], want["title"], want["index_no"], want["issuer"], want["date"])]
    hanweb = ("<table><tr><td><a href='/art/1.html' mc='某县2019年政府信息公開工作年度報告' wh='无' "
              "syh='003187021/2020-00017' rq='2020-01-20 10:00:00'>x</a></td></tr></table>")
    assert list_rows(wrap(hanweb), "http://a.gov.cn/module/xxgk/search.jsp") == [{
        "url": "http://a.gov.cn/art/1.html", "title": "某县2019年政府信息公开工作年度报告", "doc_number": None,
        "index_no": "003187021/2020-00017", "publish_date": "2020-01-20", "date_problems": []}]
    path, case = real_case("010_mnr_kyqgs_annual_list")
    assert list_rows(path.read_bytes(), case["url"]) == []  # no header names our fields: nothing is claimed


def test_list_row_fills_what_the_page_lacks_and_never_what_it_shows():
    page = wrap("<h1>某县2019年政府信息公开工作年度报告</h1><div class='bt-article-date'>发布日期：2020-01-21</div>"
                "<div id='zoom'><p>一、总体情况</p><p>二、主动公开政府信息情况</p></div>",
                "<title>某县2019年政府信息公开工作年度报告|某县人民政府</title>")
    listed = {"url": "http://a/1.html", "title": "列表里的标题", "date": "2020-01-22", "index_no": "003/2020-1",
              "doc_number": "无", "publisher": "某县人民政府办公室"}
    out = extract(page, listed=listed)
    assert out["index_no"] == "003/2020-1" and out["issuer"] == "某县人民政府办公室"
    assert out["publish_date"] == "2020-01-21" and out["title"] == "某县2019年政府信息公开工作年度报告"
    assert out["doc_number"] is None and out["report_year"] == 2019
    assert extract(page) | {"index_no": "003/2020-1", "issuer": "某县人民政府办公室"} == out
    fields = {"title": None, "index_no": "shown"}
    assert fill_from_list(fields, {"title": "t", "index_no": "listed"}) == ["title"]
    assert fields == {"title": "t", "index_no": "shown"}


def test_title_from_the_list_row_lets_a_bare_page_be_classified():
    page = wrap("<div id='zoom'><p>一、总体情况</p></div>")
    assert extract(page)["report_year"] is None
    out = extract(page, listed={"title": "绩溪县2020年政府信息公开工作年度报告"})
    assert out["report_year"] == 2020 and out["agency"] == "绩溪县"


# ---------------------------------------------------------------- statistics tables as counties print them


@pytest.mark.parametrize(("printed", "template"), [
    ("一、本年新收政府信息公开申请数", "本年新收政府信息公开申请数量"),
    ("二、上年度结转政府信息公开申请数量", "上年结转政府信息公开申请数量"),
    ("四、结转下年度继续办理申请数", "结转下年度继续办理"),
    ("（七）合计", "总计"),
    ("其它", "其他"),
    ("（六）其它处理", "其他处理"),
    ("本年增减", "本年增/减"),
    ("本年 制发件数", "本年制发件数"),
    ("现行有效件数", "现行有效件数"),
    ("（三）不予公开", "不予公开"),
])
def test_misprinted_labels_read_as_the_template(printed, template):
    assert strip_label(printed) == template


def test_regulatory_documents_row_named_as_its_format_names_it():
    def table(header: list[str], label: str) -> str:
        return ("<table><tr><td colspan='4'>第二十条第（一）项</td></tr><tr>" + "".join(f"<td>{h}</td>" for h in header)
                + f"</tr><tr><td>{label}</td><td>1</td><td>2</td><td>3</td></tr></table>")

    fmt2021 = ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    fmt2019 = ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]
    for header, label, want in ((fmt2021, "规范性文件", "行政规范性文件"), (fmt2021, "行政规范性文件", "行政规范性文件"),
                                (fmt2019, "行政规范性文件", "规范性文件"), (fmt2019, "规范性文件", "规范性文件")):
        cells = parse_report(wrap("<p>某县2021年政府信息公开工作年度报告</p>" + table(header, label)))["cells"]
        assert {c["row"] for c in cells} == {want}
        assert [c["value"] for c in cells] == [1, 2, 3]


def test_a_report_body_fragment_is_read_as_html():
    """Real 015 starts with <p>, without <html> or <table> in its first 4 KB."""
    path, _ = real_case("015_shanghai_2019_xxgk_report_fragment")
    data = path.read_bytes()
    assert b"<html" not in data[:4096].lower() and sniff(data, path.name) == "html"
    assert sniff("第一行\n第二行 a<b 且 c>d\n".encode(), "x.txt") == "text"


@pytest.mark.parametrize("name", ["011_wanzai_2015_tjgb_notice", "012_wanzai_2022_tjgb_notice",
                                  "013_yichun_2022_tjgb_notice", "014_jiangxi_2022_tjgb_on_yichun_notice"])
def test_jiangxi_ucap_pages_are_ucap_with_title_and_body_from_its_own_tags(name):
    # the Jiangxi 开普云 platform wraps its title and body in <ucaptitle>/<ucapcontent> inside div.article-content,
    # a class other CMSs use too: the family is read from the platform's own tags, not the class
    path, case = real_case(name)
    out = extract(path.read_bytes())
    assert out["family"] == "ucap"
    assert out["title"] == case["fields"]["title"]
    assert len(out["text"]) > 200 and "万载县人民政府-" not in out["text"][:20]

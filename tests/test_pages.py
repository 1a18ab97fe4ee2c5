"""Tests for the simulated portals' report pages (crawler/simulator/reports.py, render.py and each family's render)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest

from crawler.simulator.render import render_report
from crawler.simulator.reports import FAMILIES, Report, Table, generated_report, seed_reports

FILES = Path(__file__).parent / "files"
SEEDS = Path(__file__).parent.parent / "crawler" / "simulator" / "seeds"


def fixtures() -> dict[str, str]:
    """Saved page name -> HTML, as the renderer produces them now."""
    reports = seed_reports()
    pages = {f"seed_{id}.html": render_report(r) for id, r in reports.items()}
    pages["seed_000_toolbar.html"] = render_report(reports["000"], toolbar=True)
    for id, r in reports.items():
        pages[f"seed_{id}.json"] = json.dumps(r.expected, ensure_ascii=False, indent=1) + "\n"
    return pages


def write_fixtures() -> None:
    """Regenerate tests/files from the renderer (run: python -m tests.test_pages)."""
    for name, text in fixtures().items():
        (FILES / name).write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    return seed_reports()


def _tree(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


def _meta_rows(html: str) -> list[list[str]]:
    return [[td.text_content() for td in tr] for tr in _tree(html).xpath("//table[@class='xxgk-meta']//tr")]


def test_saved_fixtures_match_renderer():
    for name, text in fixtures().items():
        assert (FILES / name).read_text(encoding="utf-8") == text, f"{name} stale: run python -m tests.test_pages"


def test_seed_ids_and_families(reports):
    assert {id: r.family for id, r in reports.items()} == {
        "000": "panjin", "001": "anhui", "002": "panjin", "003": "trs", "004": "hanweb"}


def test_seed_package_data_present():
    names = {p.name for p in SEEDS.iterdir()}
    assert {"README.md", "000_simplified.txt", "004_ff2da5e668afafb4.txt"} <= names


def test_seed_000_simplified_is_clean():
    text = (SEEDS / "000_simplified.txt").read_text(encoding="utf-8")
    assert "帮助指导" in text and "。现将" in text and "为“日常公开" in text and "为“我要公开" in text
    assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔù]+\)", text)
    assert "?" not in text and "當" not in text and "县区政府信息公开工作年度报告" in text


def test_panjin_contract(reports):
    html = render_report(reports["000"])
    assert '<div class="position">当前位置: <a href="/">首页</a> &gt; ' in html
    assert '<table class="xxgk-meta"' in html
    assert '<div class="article-content" id="zoom">\n<h1>辽东湾新区2018年度政府信息公开工作报告</h1>' in html
    assert 'charset=utf-8' in html


def test_panjin_misalignments_as_in_seeds(reports):
    rows = _meta_rows(render_report(reports["000"]))
    assert rows[0] == ["索 引 号:", "pjsrmzf-2019-000223", "主题分类:", "县区政府信息公开工作年度报告"]
    assert rows[1] == ["发文机关:", "盘锦市政府", "成文日期:", ""]
    assert rows[3] == ["发文字号:", "发布日期:", "2019-03-11", ""]
    rows = _meta_rows(render_report(reports["002"]))
    assert rows[0] == ["索 引 号:", "主题分类:", "市政府信息公开工作年度报告", ""]
    assert rows[3] == ["发文字号:", "发布日期:", "2016-03-07", ""]


def test_seed_002_appendix_tables(reports):
    tables = [b for b in reports["002"].blocks if isinstance(b, Table)]
    assert len(tables) == 2
    survey, stats = tables
    assert any(isinstance(c, dict) and c.get("rowspan", 1) > 1 for row in survey.rows for c in row)
    assert all(len(row) == 4 for row in stats.rows)
    assert stats.rows[0][:3] == ["统 计 指 标", "单位", "统计数"]
    assert ["(一)收到申请数", "件", "103", ""] in stats.rows
    body = _tree(render_report(reports["002"])).xpath("//div[@id='zoom']//table")
    assert len(body) == 2


def test_anhui_contract(reports):
    html = render_report(reports["001"])
    assert '<table class="table_suoyin"' in html and "<tr><th>索引号：</th><td>" in html
    assert '<h1 class="newstitle">明光市管店镇政府信息公开工作二00九年度报告</h1>' in html
    assert '<div class="newsinfo"><span>发布时间:2010-01-04 00:00</span> <span>来源:</span> 【字体:' in html
    assert '<div class="wzcon' in html and '<div class="ewm">' in html and "扫一扫在手机打开当前页" in html
    assert "\ufffd" not in html


def test_trs_contract(reports):
    html = render_report(reports["003"])
    assert '<div class="top">登录 注册</div>' in html
    assert '<div class="title">2014年延吉市建工街道政府信息公开工作报告</div>' in html
    assert '<div class="info">发布日期:2019-12-10&nbsp;&nbsp;&nbsp;&nbsp;点击数:<span id="clicks"></span></div>' in html
    assert '<div class="TRS_Editor">' in html and 'charset=gb2312' in html
    for name in ("SiteIDCode\" content=\"2224010001", "ColumnName", "PubDate", "ContentSource"):
        assert f'<meta name="{name}' in html
    html.encode("gbk")  # the TRS server serves GBK: every character must be encodable


def test_hanweb_contract(reports):
    html = render_report(reports["004"])
    tree = _tree(html)
    assert tree.xpath("//td[@class='title']")[0].text_content() == "漳县2019年政府信息公开工作年度报告"
    assert len(tree.xpath("//table//table//table")) >= 1  # nested layout frame
    footer = '[ <a href="javascript:window.print()">打印本页</a> | <a href="javascript:window.close()">关闭窗口</a> ]'
    assert footer in html
    assert "分享到:" in html and "责任编辑:漳县管理员" in html


def test_hanweb_sections_carry_the_three_tables(reports):
    zoom = _tree(render_report(reports["004"])).xpath("//div[@id='zoom']")[0]
    order = [el.tag if el.tag == "table" else el.text_content()[:3] for el in zoom]
    for heading in ("二、主", "三、收", "四、政"):
        assert order[order.index(heading) + 1] == "table"
    requests = zoom.xpath("./table")[1]
    assert requests.xpath(".//td[@colspan='5']")[0].text_content() == "法人或其他组织"
    assert requests.xpath(".//td[@rowspan='2']")[0].text_content() == "自然人"
    appeals = zoom.xpath("./table")[2]
    assert len(appeals.xpath(".//tr")[-1]) == 15


def _numbers(row: list) -> list[int | None]:
    cells = [c["text"] if isinstance(c, dict) else c for c in row][-7:]
    return [int(c) if c else None for c in cells]


def test_requests_table_adds_up(reports):
    table = [b for b in reports["004"].blocks if isinstance(b, Table)][1]
    rows = {(r[0]["text"] if isinstance(r[0], dict) else r[0]): _numbers(r) for r in table.rows[3:]}
    first = rows["一、本年新收政府信息公开申请数量"]
    assert first[0] == 1 and first[-1] == 1
    total = next(_numbers(r) for r in table.rows if "（七）总计" in str(r))
    carried, forward = rows["二、上年结转政府信息公开申请数量"], rows["四、结转下年度继续办理"]
    for col in range(7):
        assert first[col] + carried[col] == total[col] + forward[col]
    assert any(n is None for r in table.rows[3:] for n in _numbers(r))  # some cells left blank


def test_toolbar_is_traditional_with_pinyin(reports):
    html = render_report(reports["000"], toolbar=True)
    assert "當(dāng)前(qián)位(wèi)置(zhì)" in html
    assert "遼(liáo)東(dōng)灣(wān)新(xīn)區(qū)" in html
    body = _tree(html).xpath("//div[@id='zoom']")[0].text_content()
    assert "当前" not in html and "辽东湾" not in body
    cjk_bare = re.findall(r"[\u4e00-\u9fff](?!\()", body)
    assert not cjk_bare
    assert 'href="/"' in html and "<script" in html  # tags untouched


@pytest.mark.parametrize("family", FAMILIES)
def test_generated_report(family):
    report = generated_report(family, 2021, "某某县", "4512", "2022-01-28")
    html = render_report(report)
    assert report.family == family and "某某县" in report.title
    assert report.expected["report_year"] == 2021 and report.expected["agency"] == "某某县"
    assert report.expected["publish_date"] == "2022-01-28"
    assert "2022-01-28" in html
    for seed_name in ("辽东湾新区", "管店镇", "建工街道", "漳县2019"):
        assert seed_name not in report.expected["text"]
    assert "2021" in report.expected["text"]


def test_generated_report_is_stable_and_independent():
    a = generated_report("panjin", 2016, "大洼区", "77", "2017-03-01")
    b = generated_report("panjin", 2016, "大洼区", "77", "2017-03-01")
    assert render_report(a) == render_report(b)
    assert seed_reports()["000"].title == "辽东湾新区2018年度政府信息公开工作报告"


if __name__ == "__main__":
    write_fixtures()

"""Simulated 盘锦市 portal on the old Panjin CMS: a report column split into year sub-columns.

Based on the URL shapes printed in seeds 000 and 002 (`/html/{column}/{YYYY-MM-DD}/content-{id}.html`,
breadcrumb `政府信息公开年报 > 2018年 > 县区政府信息公开工作年度报告`); the list markup follows the
static-publishing CMSs of that generation (`index.html`, `index_2.html`… with 首页/上一页/下一页/尾页
links, items as `<li><span class="date">…</span><a …>`) and is a reconstruction (unverified).
"""

from __future__ import annotations

from html import escape

from crawler.simulator import markup
from crawler.simulator.render import attachments_html, blocks_html, crumbs_html, esc, renders
from crawler.simulator.reports import Report, seed_reports
from crawler.simulator.server import Portal

SITE = "盘锦市人民政府"
COLUMN = "/html/zfxxgknb/index.html"
PER_PAGE = 2
GATE = "/gate/big5/www.panjin.gov.cn"

SPECS = [
    (2015, "双台子区"), (2015, "兴隆台区"), (2016, "盘锦市"), (2016, "大洼区"), (2017, "盘锦市"), (2017, "盘山县"),
    (2018, "盘锦市"), (2018, "双台子区"), (2018, "兴隆台区"), (2018, "大洼区"), (2019, "盘锦市"), (2019, "盘山县"),
    (2019, "辽东湾新区"), (2020, "盘锦市"), (2020, "大洼区"), (2020, "兴隆台区"),
]


def report_year(report: Report) -> int:
    """The year sub-column a report is filed under (the year before publication)."""
    return int(report.publish_date[:4]) - 1


def item_path(report: Report, column: str) -> str:
    return f"/html/{column}/{report.publish_date}/content-{report.id}.html"


def build(portal: Portal) -> None:
    """Home, 政务公开, the year-split column, report pages, one redirect, one 404 and a big5 gateway copy."""
    seeds = seed_reports()
    reports = markup.newest_first([seeds["000"], seeds["002"], *markup.generated("panjin", SPECS, 180101, 37, 211100)])
    by_year: dict[int, list[tuple[str, str, str]]] = {}
    for n, report in enumerate(reports):
        column = f"zfxxgknb{report_year(report)}"
        path = item_path(report, column)
        listed = path
        if n == 1:  # listed under the URL it had before the site moved items into year sub-columns
            listed = item_path(report, "zfxxgknb")
            markup.serve_redirect(portal, listed, path, 301)
        markup.serve_report(portal, path, report)
        by_year.setdefault(report_year(report), []).append((listed, report.title, report.publish_date))
    missing = "/html/zfxxgknb2019/2020-01-08/content-180099.html"
    by_year[2019].append((missing, "盘山县2019年政府信息公开工作年度报告（更正）", "2020-01-08"))
    markup.serve_missing(portal, missing)
    markup.serve_report(portal, GATE + item_path(seeds["000"], "zfxxgknb2018"), seeds["000"], linked=False,
                        toolbar=True)
    years = sorted(by_year, reverse=True)
    markup.serve_page(portal, "/", markup.frame(SITE, "首页", markup.link_list([("/html/zwgk/index.html", "政务公开")])))
    markup.serve_page(portal, "/html/zwgk/index.html", section_page())
    markup.serve_page(portal, COLUMN, column_page(years))
    for year, items in by_year.items():
        chunks = [items[i:i + PER_PAGE] for i in range(0, len(items), PER_PAGE)]
        for number, chunk in enumerate(chunks, 1):
            path = f"/html/zfxxgknb{year}/" + page_name(number)
            markup.serve_page(portal, path, year_page(year, years, chunk, number, len(chunks), len(items)))


def page_name(number: int) -> str:
    return "index.html" if number == 1 else f"index_{number}.html"


def section_page() -> str:
    links = [("/html/xxgkzn/index.html", "政府信息公开指南"), ("/html/xxgkml/index.html", "政府信息公开目录"),
             (COLUMN, "政府信息公开年报"), ("/html/ysqgk/index.html", "依申请公开")]
    crumbs = '<a href="/">首页</a> &gt; 政务公开'
    return markup.frame(SITE, "政务公开", f'<div class="zwgk_nav">{markup.link_list(links)}</div>', crumbs=crumbs)


def sidebar(years: list[int]) -> str:
    items = "".join(f'<li><a href="/html/zfxxgknb{year}/index.html">{year}年</a></li>' for year in years)
    return f'<div class="list_left"><div class="left_title">政府信息公开年报</div><ul class="sub_column">{items}</ul></div>'


def column_page(years: list[int]) -> str:
    crumbs = '<a href="/">首页</a> &gt; <a href="/html/zwgk/index.html">政务公开</a> &gt; 政府信息公开年报'
    body = sidebar(years) + '<div class="list_right"><p>请选择年度查看政府信息公开工作年度报告。</p></div>'
    return markup.frame(SITE, "政府信息公开年报", body, crumbs=crumbs)


def year_page(year: int, years: list[int], items: list[tuple[str, str, str]], number: int, pages_: int,
              total: int) -> str:
    rows = "".join(
        f'<li><span class="date">{date}</span><a href="{href}" target="_blank" title="{escape(title)}">'
        f"{escape(title)}</a></li>"
        for href, title, date in items
    )
    crumbs = (f'<a href="/">首页</a> &gt; <a href="/html/zwgk/index.html">政务公开</a> &gt; '
              f'<a href="{COLUMN}">政府信息公开年报</a> &gt; {year}年')
    body = (sidebar(years) + f'<div class="list_right"><div class="list_title">{year}年</div>'
            f'<ul class="list_ul">{rows}</ul>{pager(number, pages_, total)}</div>')
    return markup.frame(SITE, f"{year}年", body, crumbs=crumbs)


def pager(number: int, pages_: int, total: int) -> str:
    """首页 上一页 1 2 3 下一页 尾页; on the last page 下一页 points at the page itself."""
    prev, nxt = page_name(max(number - 1, 1)), page_name(min(number + 1, pages_))
    numbers = " ".join(
        f"<span class=\"current\">{n}</span>" if n == number else f'<a href="{page_name(n)}">{n}</a>'
        for n in range(1, pages_ + 1)
    )
    return (f'<div class="pages">共{total}条 {number}/{pages_}页 <a href="index.html">首页</a> '
            f'<a href="{prev}">上一页</a> {numbers} <a href="{nxt}">下一页</a> '
            f'<a href="{page_name(pages_)}">尾页</a></div>')


# -- the report (detail) page -----------------------------------------------------------------------------


def meta_rows(meta: dict) -> str:
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
                cells.append(f'<td class="value"{span}>{esc(value)}</td>')
        width = sum(3 if 'colspan="3"' in c else 1 for c in cells)
        cells += ['<td class="value"></td>'] * (4 - width)
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "\n".join(rows)


@renders("panjin")
def render(report: Report) -> str:
    """Old Panjin CMS (panjin.gov.cn/html/{col}/{date}/content-{id}.html), layout as in seeds 000 and 002."""
    title = esc(report.title)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{title}_盘锦市人民政府</title>
<meta name="SiteName" content="盘锦市人民政府" />
<meta name="SiteDomain" content="www.panjin.gov.cn" />
<meta name="SiteIDCode" content="2111000001" />
<meta name="ColumnName" content="{esc(report.column_path[-1] if report.column_path else '')}" />
<meta name="ArticleTitle" content="{title}" />
<meta name="PubDate" content="{esc(report.publish_date)}" />
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
<div class="position">当前位置: {crumbs_html(report)}</div>
<table class="xxgk-meta" width="100%" border="0" cellspacing="1" cellpadding="0">
{meta_rows(report.meta)}
</table>
<div class="article-content" id="zoom">
<h1>{title}</h1>
{blocks_html(report.blocks[1:] if report.blocks and report.blocks[0] == report.title else report.blocks)}
</div>
{attachments_html(report)}
<div class="article-tools">【<a href="javascript:window.print()">打印本页</a>】
【<a href="javascript:window.close()">关闭窗口</a>】</div>
</div>
<div class="footer"><p>主办：盘锦市人民政府办公室　承办：盘锦市信息中心</p>
<p>网站标识码：2111000001　<a href="https://beian.miit.gov.cn/">辽ICP备05006143号</a>　辽公网安备 21110202000076号</p>
<div class="qrcode"><img src="/images/ewm.png" alt="" /><span>扫一扫在手机打开当前页</span></div></div>
</body>
</html>
"""

"""Simulated gov.cn-style (Ucap 开普云) report column.

Based on the gov.cn policy pages (`/zhengce/content/{YYYYMM}/content_{id}.htm`, body in `#UCAP-CONTENT`,
metadata as `<td><b>索引号：</b></td><td>…`); list pages are `home.htm`, `home_1.htm`… whose pager is written by
`createPageHTML('page_div', pages, current, 'home', 'htm', total)` (this call's argument order is unverified).
"""

from __future__ import annotations

from html import escape

from crawler.simulator import markup
from crawler.simulator.render import attachments_html, blocks_html, crumbs_html, esc, meta_value, national_head, renders
from crawler.simulator.reports import Report
from crawler.simulator.server import Portal

SITE = "中国政府网"
COLUMN_DIR = "/zhengce/zfxxgknb/"
PER_PAGE = 5
SPECS = [(year, agency) for year in range(2012, 2024) for agency in ("国务院办公厅",)] + [
    (2021, "国务院国有资产监督管理委员会"), (2022, "国家统计局"), (2023, "国家统计局")]


def content_path(report: Report) -> str:
    return f"/zhengce/content/{report.publish_date[:7].replace('-', '')}/content_{report.id}.htm"


def build(portal: Portal) -> None:
    """Home, 政策, the home_N.htm column and the content pages."""
    reports = markup.newest_first(markup.generated("ucap", SPECS, 5571201, 313, 100000))
    items = []
    for report in reports:
        markup.serve_report(portal, content_path(report), report)
        items.append((content_path(report), report.title, report.publish_date))
    markup.serve_page(portal, "/", markup.frame(SITE, "首页", markup.link_list([("/zhengce/", "政策"),
                                                                                 ("/zhengce/", "政府信息公开")])))
    section = markup.link_list([("/zhengce/zuixin.htm", "最新政策"), (COLUMN_DIR + "home.htm", "政府信息公开年报")])
    markup.serve_page(portal, "/zhengce/", markup.frame(SITE, "政策", section))
    chunks = [items[i:i + PER_PAGE] for i in range(0, len(items), PER_PAGE)]
    for number, chunk in enumerate(chunks):
        name = "home.htm" if number == 0 else f"home_{number}.htm"
        markup.serve_page(portal, COLUMN_DIR + name, list_page(chunk, number, len(chunks), len(items)))


def list_page(items: list[tuple[str, str, str]], number: int, count: int, total: int) -> str:
    rows = "".join(f'<li><h4><a href="{href}" target="_blank">{escape(title)}</a>'
                   f'<span class="date">{date}</span></h4></li>\n' for href, title, date in items)
    script = (f'<div id="page_div" class="pagination"></div><script type="text/javascript">'
              f"createPageHTML('page_div', {count}, {number + 1}, 'home', 'htm', {total});</script>")
    body = f'<div class="list list_1 list_2"><ul>\n{rows}</ul></div>{script}'
    return markup.frame(SITE, "政府信息公开年报", body, crumbs="首页 &gt; 政策 &gt; 政府信息公开年报")


# -- the report (detail) page -----------------------------------------------------------------------------


@renders("ucap")
def render(report: Report) -> str:
    """gov.cn-style Ucap page: metadata <td><b>索引号：</b></td><td>…, body in div#UCAP-CONTENT."""
    pairs = [("索 引 号", "索引号"), ("主题分类", "主题分类"), ("发文机关", "发文机关"), ("成文日期", "成文日期"),
             ("标　　题", "标题"), ("发文字号", "发文字号"), ("发布日期", "发布日期")]
    trs = "".join(f"<tr><td><b>{label}：</b></td><td>{meta_value(report, key)}</td></tr>" for label, key in pairs)
    return f"""<!DOCTYPE html>
<html>
{national_head(report, "中国政府网", "bm01000001", "www.gov.cn")}
<body>
<div class="header"><a href="/">首页</a> <a href="/zhengce/">政策</a></div>
<div class="BreadcrumbNav">{crumbs_html(report)}</div>
<div class="policyLibraryOverview_header"><table class="bd1">{trs}</table></div>
<div class="article oneColumn pub_border"><h1>{esc(report.title)}</h1>
<div class="pages-date">{esc(report.publish_date)}</div>
<div class="pages_content" id="UCAP-CONTENT">
{blocks_html(report.blocks)}
</div>
{attachments_html(report)}</div>
<div class="footer">版权所有：中国政府网</div>
</body>
</html>
"""

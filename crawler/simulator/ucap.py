"""Simulated gov.cn-style (Ucap 开普云) report column.

Based on the gov.cn policy pages (`/zhengce/content/{YYYYMM}/content_{id}.htm`, body in `#UCAP-CONTENT`,
metadata as `<td><b>索引号：</b></td><td>…`); list pages are `home.htm`, `home_1.htm`… whose pager is written by
`createPageHTML('page_div', pages, current, 'home', 'htm', total)` (this call's argument order is unverified).
"""

from __future__ import annotations

from html import escape

from crawler.simulator import markup
from crawler.simulator.markup import Report
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

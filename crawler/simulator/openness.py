"""Simulated 阿荣旗 (Inner Mongolia) and 枞阳县 (Anhui) columns on the "OpennessContent" vendor platform.

Based on public scrapers of hlbe.gov.cn, arq.gov.cn, gaj.chizhou.gov.cn and zongyang.gov.cn: server-rendered lists
at `/OpennessContent/showList/{a}/{b}/page_{n}.html` (some sites under a prefix such as `/openness/`) whose links
point at `/OpennessContent/show/{id}.html` with the full title in `title`. The pager markup (共N条, 下一页, 尾页)
is a reconstruction (unverified).
"""

from __future__ import annotations

from html import escape

from crawler.simulator import markup
from crawler.simulator.render import attachments_html, blocks_html, crumbs_html, esc, meta_value, national_head, renders
from crawler.simulator.reports import Report
from crawler.simulator.server import Portal


def build_site(portal: Portal, site: str, prefix: str, unit: str, cat: str, agency: str, seed: int,
               per_page: int = 5) -> None:
    """Home, 政府信息公开, the paged column and the report pages."""
    specs = [(year, name) for year in range(2013, 2024) for name in (agency, agency + "教育局")][:14]
    reports = markup.newest_first(markup.generated("openness", specs, 2130401 + seed % 1000, 89, seed))
    items = []
    for report in reports:
        path = f"{prefix}/OpennessContent/show/{report.id}.html"
        markup.serve_report(portal, path, report)
        items.append((path, report.title, report.publish_date))
    column = f"{prefix}/OpennessContent/showList/{unit}/{cat}/page_1.html"
    markup.serve_page(portal, "/", markup.frame(site, "首页", markup.link_list([(f"{prefix}/OpennessContent/index.html",
                                                                                 "政府信息公开")])))
    section = markup.link_list([(f"{prefix}/OpennessContent/showList/{unit}/{int(cat) - 1}/page_1.html",
                                 "政府信息公开指南"), (column, "政府信息公开年报")])
    markup.serve_page(portal, f"{prefix}/OpennessContent/index.html", markup.frame(site, "政府信息公开", section))
    chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)]
    for number, chunk in enumerate(chunks, 1):
        html = list_page(site, chunk, number, len(chunks), len(items))
        markup.serve_page(portal, f"{prefix}/OpennessContent/showList/{unit}/{cat}/page_{number}.html", html)


def build(portal: Portal) -> None:
    """阿荣旗: unit 784, column 34510."""
    build_site(portal, "阿荣旗人民政府", "", "784", "34510", "阿荣旗", 150721)


def build_zongyang(portal: Portal) -> None:
    """枞阳县: the same platform under /openness/ (the real site sits behind a 加速乐 cookie challenge)."""
    build_site(portal, "枞阳县人民政府", "/openness", "1442", "45712", "枞阳县", 340722)


def list_page(site: str, items: list[tuple[str, str, str]], number: int, count: int, total: int) -> str:
    rows = "".join(f'<li><a href="{href}" title="{escape(title)}" target="_blank">{escape(title)}</a>'
                   f'<span class="date">{date}</span></li>\n' for href, title, date in items)
    nxt = f'<a href="page_{number + 1}.html">下一页</a>' if number < count else "<span>下一页</span>"
    pager = (f'<div class="pages">共{total}条 {number}/{count}页 <a href="page_1.html">首页</a> {nxt} '
             f'<a href="page_{count}.html">尾页</a></div>')
    body = f'<div class="xxgk_list"><ul class="clearfix">\n{rows}</ul>{pager}</div>'
    return markup.frame(site, "政府信息公开年报", body, crumbs="首页 &gt; 政府信息公开 &gt; 政府信息公开年报")


# -- the report (detail) page -----------------------------------------------------------------------------


@renders("openness")
def render(report: Report) -> str:
    """OpennessContent vendor detail page: a div.xxgk_table of th/td pairs, body in div#zoom.content."""
    rows = [("索引号", "索引号", "信息分类", "主题分类"), ("发布机构", "发文机关", "生成日期", "成文日期"),
            ("文号", "发文字号", "发布日期", "发布日期")]
    trs = "".join(f"<tr><th>{a}：</th><td>{meta_value(report, b)}</td><th>{c}：</th><td>{meta_value(report, d)}"
                  "</td></tr>" for a, b, c, d in rows)
    return f"""<!DOCTYPE html>
<html>
{national_head(report, "阿荣旗人民政府", "1507210001", "www.arq.gov.cn")}
<body>
<div class="header"><a href="/">阿荣旗人民政府</a> <a href="/OpennessContent/index.html">政府信息公开</a></div>
<div class="location">您的位置：{crumbs_html(report)}</div>
<div class="xxgk_table"><table>{trs}
<tr><th>名称：</th><td colspan="3">{esc(report.title)}</td></tr></table></div>
<div class="article"><h1 class="title">{esc(report.title)}</h1>
<div class="content" id="zoom">
{blocks_html(report.blocks)}
</div>
{attachments_html(report)}</div>
<div class="footer">阿荣旗人民政府办公室　网站标识码：1507210001</div>
</body>
</html>
"""

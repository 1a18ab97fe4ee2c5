"""Simulated 宁夏回族自治区卫生健康委员会 report column on VSB 博达.

Based on VSB sites seen in public code (wsjkw.nx.gov.cn/info/1140/15800.htm, www.xjhfpc.gov.cn/info/…): static
pages `/{col}.htm` then `/{col}/{n}.htm` numbered downwards (the newest page has no number, the oldest is 1, so old
pages keep their address), items `info/{col}/{id}.htm` relative to the list, and the `span.p_pages` pager with
下页/尾页 links. Pager class names follow VSB's templates as remembered (unverified).
"""

from __future__ import annotations

from html import escape

from crawler.simulator import markup
from crawler.simulator.render import attachments_html, blocks_html, crumbs_html, esc, meta_value, national_head, renders
from crawler.simulator.reports import Report
from crawler.simulator.server import Portal

SITE = "宁夏回族自治区卫生健康委员会"
COL, COL_ID = "xxgk/zfxxgknb", "1163"
PER_PAGE = 4
SPECS = [(year, agency) for year in range(2012, 2024) for agency in ("宁夏回族自治区卫生健康委员会",)] + [
    (2020, "宁夏回族自治区疾病预防控制中心"), (2021, "宁夏回族自治区疾病预防控制中心"), (2022, "宁夏医科大学总医院")]


def info_path(report: Report) -> str:
    return f"/info/{COL_ID}/{report.id}.htm"


def page_path(number: int, count: int) -> str:
    """The list page `number` (1 = newest): /{col}.htm, then /{col}/{count-1}.htm down to /{col}/1.htm."""
    return f"/{COL}.htm" if number == 1 else f"/{COL}/{count - number + 1}.htm"


def build(portal: Portal) -> None:
    """Home, 政务公开, the list pages numbered downwards and the info pages."""
    reports = markup.newest_first(markup.generated("vsb", SPECS, 40211, 7, 640000))
    items = []
    for report in reports:
        markup.serve_report(portal, info_path(report), report)
        items.append((report, info_path(report)))
    markup.serve_page(portal, "/", markup.frame(SITE, "首页", markup.link_list([("/xxgk.htm", "政务公开")])))
    section = markup.link_list([("/xxgk/zfxxgkzn.htm", "政府信息公开指南"), (f"/{COL}.htm", "政府信息公开年报")])
    markup.serve_page(portal, "/xxgk.htm", markup.frame(SITE, "政务公开", section))
    chunks = [items[i:i + PER_PAGE] for i in range(0, len(items), PER_PAGE)]
    for number, chunk in enumerate(chunks, 1):
        markup.serve_page(portal, page_path(number, len(chunks)), list_page(chunk, number, len(chunks), len(items)))


def relative(path: str, from_path: str) -> str:
    """A site path as the list page at `from_path` links it (VSB writes relative links)."""
    depth = from_path.count("/") - 1
    return "../" * depth + path.lstrip("/")


def list_page(items: list[tuple[Report, str]], number: int, count: int, total: int) -> str:
    here = page_path(number, count)
    rows = "".join(f'<li id="line_u8_{n}"><a href="{relative(path, here)}" title="{escape(r.title)}">'
                   f'{escape(r.title)}</a><span>{r.publish_date}</span></li>\n' for n, (r, path) in enumerate(items))

    def link(target: int, text: str) -> str:
        return f'<a href="{relative(page_path(target, count), here)}">{text}</a>'

    nxt = link(number + 1, "下页") if number < count else "下页"
    pager = (f'<table><tr><td><span class="p_pages"><span class="p_t">共{total}条</span> '
             f'<span class="p_t">{number}/{count}</span> <span class="p_first p_fun">{link(1, "首页")}</span> '
             f'<span class="p_next p_fun">{nxt}</span> <span class="p_last p_fun">{link(count, "尾页")}</span>'
             f"</span></td></tr></table>")
    body = f'<div class="list"><ul>\n{rows}</ul></div><div class="pb_sys_common pb_sys_normal">{pager}</div>'
    return markup.frame(SITE, "政府信息公开年报", body, crumbs="首页 &gt; 政务公开 &gt; 政府信息公开年报")


# -- the report (detail) page -----------------------------------------------------------------------------


@renders("vsb")
def render(report: Report) -> str:
    """VSB 博达 news page: title in td.titlestyle, body in form[name=_newscontent_fromname] div.v_news_content."""
    return f"""<!DOCTYPE html>
<html>
{national_head(report, "示例县人民政府", "0000000000", "www.example.gov.cn")}
<body>
<div class="header"><a href="../../index.htm">首页</a> <a href="../../zwgk.htm">政务公开</a></div>
<div class="dqwz">当前位置：{crumbs_html(report)}</div>
<form name="_newscontent_fromname">
<table width="100%"><tr><td class="titlestyle" align="center">{esc(report.title)}</td></tr>
<tr><td align="center"><span class="timestyle">{esc(report.publish_date)}</span>
<span class="authorstyle">{meta_value(report, '发文机关')}</span></td></tr>
<tr><td><div id="vsb_content"><div class="v_news_content">
{blocks_html(report.blocks)}
</div></div>
{attachments_html(report)}
</td></tr></table>
</form>
<div class="footer">技术支持：博达软件</div>
</body>
</html>
"""

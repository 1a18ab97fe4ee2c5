"""Simulated 珠海市 disclosure catalogue on Guangdong's gkmlpt platform.

Based on public gkmlpt scrapers (gd.gov.cn sid 2, gz.gov.cn 200001, zhuhai.gov.cn 756001, sz.gov.cn): `/gkmlpt/index`
is a JavaScript app whose page carries `window._CONFIG = {SID: '…', TREE: […]}`; lists come as JSON from
`GET /gkmlpt/api/all/{category}?page={n}&sid={SID}` with `total` and `articles` (id, title, url, identifier,
document_number, publisher, keywords, created_at, attachment[]); posts live at
`/gkmlpt/content/{a}/{b}/post_{id}.html`. The shape of TREE nodes is a reconstruction (unverified).
"""

from __future__ import annotations

import json

from crawler.simulator import markup
from crawler.simulator.render import attachments_html, blocks_html, esc, meta_value, national_head, renders
from crawler.simulator.reports import Report
from crawler.simulator.server import Portal, Reply, Request

SITE = "珠海市人民政府"
SID, CATEGORY = "756001", "2620"
PER_PAGE = 5
TREE = [
    {"id": 2601, "name": "政府信息公开指南", "children": []},
    {"id": 2610, "name": "政府信息公开制度", "children": []},
    {"id": 2611, "name": "法定主动公开内容", "children": [{"id": 2612, "name": "政策文件", "children": []}]},
    {"id": int(CATEGORY), "name": "政府信息公开年报", "children": []},
]

SPECS = [(year, agency) for year in range(2015, 2024) for agency in ("珠海市", "珠海市香洲区")][:16]


def post_path(report: Report) -> str:
    return f"/gkmlpt/content/{int(report.id) % 10}/{CATEGORY}/post_{report.id}.html"


def article(portal: Portal, report: Report) -> dict:
    """One JSON article as the API lists it."""
    return {
        "id": int(report.id), "title": report.title, "url": portal.url(post_path(report)),
        "identifier": f"11440400MB2C99220T/{report.publish_date[:4]}-{report.id[-5:]}",
        "document_number": "", "publisher": report.meta.get("发文机关") or SITE, "keywords": "年报",
        "created_at": f"{report.publish_date} 10:00:00", "date": report.publish_date,
        "attachment": [{"name": text, "url": portal.url(href)} for href, text in report.attachments],
    }


def build(portal: Portal) -> None:
    """Home, the /gkmlpt/index app shell with window._CONFIG, the JSON API and the post pages."""
    reports = markup.newest_first(markup.generated("gkmlpt", SPECS, 3150721, 97, 440400))
    articles = []
    for report in reports:
        markup.serve_report(portal, post_path(report), report)
        articles.append(article(portal, report))
    markup.serve_page(portal, "/", markup.frame(SITE, "首页", markup.link_list([("/gkmlpt/index", "政府信息公开")])))
    markup.serve_page(portal, "/gkmlpt/index", app_shell())
    portal.add("/gkmlpt/static/js/manifest.js", Reply(body=MANIFEST_JS.encode(), content_type="application/javascript"))
    portal.add("/gkmlpt/static/js/app.js", Reply(body=APP_JS.encode(), content_type="application/javascript"))
    portal.add(f"/gkmlpt/api/all/{CATEGORY}", lambda request: api_reply(request, articles))


# The app's scripts, as small stand-ins for the webpack bundles: the list address is built at run time from
# window._CONFIG and the TREE node, so only a running script (or the family spider) finds it.
MANIFEST_JS = "!function(e){window.webpackJsonp = window.webpackJsonp || [];}([]);\n"
APP_JS = """(function () {
  var config = window._CONFIG, node = null;
  (function walk(nodes) { (nodes || []).forEach(function (n) { if (!node && /年报/.test(n.name)) node = n; walk(n.children); }); })(config.TREE);
  if (!node) return;
  var api = "/gkmlpt/api/all/" + node.id, xhr = new XMLHttpRequest();
  xhr.open("GET", api + "?page=1&sid=" + config.SID);
  xhr.onload = function () {
    var data = JSON.parse(xhr.responseText), html = "";
    data.articles.forEach(function (a) { html += '<li><a href="' + a.url + '">' + a.title + '</a><span>' + a.date + '</span></li>'; });
    document.getElementById("app").innerHTML = "<ul>" + html + "</ul>";
  };
  xhr.send();
})();
"""


def app_shell() -> str:
    # an object literal, not JSON: unquoted keys and single-quoted strings, as public scrapers match it (SID: '…')
    config = f"{{SID: '{SID}', TREE: {json.dumps(TREE, ensure_ascii=False)}, SITE_NAME: '{SITE}', PAGE_SIZE: 100}}"
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>政府信息公开_{SITE}</title>
<link rel="stylesheet" href="/gkmlpt/static/css/app.css"></head>
<body><div id="app"></div>
<script>window._CONFIG = {config};</script>
<script src="/gkmlpt/static/js/manifest.js"></script>
<script src="/gkmlpt/static/js/app.js"></script>
</body></html>"""


def api_reply(request: Request, articles: list[dict]) -> Reply:
    """page n (1-based) of the category's articles; a wrong sid gets an empty list."""
    if request.query.get("sid") != SID:
        body = {"total": 0, "articles": []}
    else:
        page = max(int(request.query.get("page") or 1), 1)
        body = {"total": len(articles), "articles": articles[(page - 1) * PER_PAGE:page * PER_PAGE]}
    return Reply(body=json.dumps(body, ensure_ascii=False).encode(), content_type="application/json;charset=UTF-8")


# -- the report (detail) page -----------------------------------------------------------------------------


@renders("gkmlpt")
def render(report: Report) -> str:
    """Guangdong gkmlpt post page: a div.classify table of 索引号/分类/发布机构/成文日期/名称/文号, body in div.article-content."""
    rows = [("索引号", "索引号", "分类", "主题分类"), ("发布机构", "发文机关", "成文日期", "成文日期"),
            ("名称", "标题", "", ""), ("文号", "发文字号", "发布日期", "发布日期")]
    trs = "".join(
        "<tr>" + "".join(f'<td class="td-label">{label}：</td><td class="td-value"><span>{meta_value(report, key)}'
                         f"</span></td>" for label, key in ((r[0], r[1]), (r[2], r[3])) if label) + "</tr>"
        for r in rows)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
{national_head(report, "珠海市人民政府", "4404000002", "www.zhuhai.gov.cn")}
<body>
<div class="gkml-header"><a href="/gkmlpt/index">政府信息公开</a></div>
<div class="content-container">
<div class="introduce"><table class="classify">{trs}</table></div>
<h1 class="content-title">{esc(report.title)}</h1>
<div class="article-content">
{blocks_html(report.blocks)}
</div>
{attachments_html(report)}
</div>
<div class="gkml-footer">珠海市人民政府办公室主办</div>
</body>
</html>
"""

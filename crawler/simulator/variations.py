"""Variations of the simulated families, built the way real portals depart from the templates the family spiders
were written for. None is in the bundled registry: tests reach them as a new user would, through
`xxgk discover HOME --add` and then `xxgk crawl NAME`.

Each builder says which real pattern it follows (shared/reference/portals.md and the real pages kept with it):

- `build_trs_script_pager` (东胜区): TRS WCM column as saved from 鄂尔多斯 恩格贝 (real page 008): a `<table>` of rows,
  news items mixed with the reports, and the pager only as a script (`var countPage = N` and
  `document.write("<a href=\\"index"+"_" + nextPage + "."+"html\\">下一页</a>")`, no createPageHTML call, nothing
  rendered); GBK with no charset in the Content-Type header, and list pages without a <meta> charset.
- `build_hanweb_onclick` (渭源县): a Hanweb JCMS site (`/col/col{N}/index.html`, `/art/…` pages) whose column is not a
  datastore: rows that are onclick only (`<tr onclick="showArt('…','…')">`, real page 016) and a pager that exists
  only as `gotopage(n)` setting a hidden field of a POST form and submitting it (real page 016).
- `build_json_list` (蓬江区): a column shell whose list the site's own script file (`/js/xxgk-list.js`, beside
  jQuery) fills from a JSON endpoint (`$.ajax` GET with `data: {columnId, pageNo, pageSize}`), as gkmlpt's app
  does with its API, with other key names (`docTitle`, `docUrl`, `publishTime`, `indexNo`, `fbjg`), answering
  `{"data": {"totalPage": N, "list": […]}}`.
- `build_catalogue_files` (凤阳县): an Anhui-style 信息公开目录 reached only through a left-hand 分类 tree built by
  script (zTree `zNodes` with `url` and `target`), the list in an iframe at `list.jsp?ClassID=N`: a table with a
  header row (索引号 | 名称 | 发布机构 | 发布日期) whose rows link files directly (PDF, DOCX, XLSX): each file is the
  report.
- `build_departments` (鞍山市): the report column of a city that carries its departments' reports as sub-columns
  (市教育局 …, seed 000's `县区政府信息公开工作年度报告` pattern) beside year sub-columns; department lists are VSB-like
  pages paged by `_gotoPage(pages, col, 'n')` buttons whose function lives in an external script and that submit
  a GET form's hidden `pageNo` (real page 010).
- `build_script_app` (德清县): a column that is a script application, as gkmlpt's `/gkmlpt/index` and the Vue
  disclosure apps are: an empty `<div id="app">` and a script file that builds its API address from pieces
  (`["", "open", "api", "docs"].join("/")`) and writes the list into the page; nothing in the markup or the
  scripts names the list, only a browser running them shows it.
"""

from __future__ import annotations

import io
import json
import re
from html import escape

from crawler.simulator import markup
from crawler.simulator.reports import Report, expected_text
from crawler.simulator.server import Portal, Reply, Request

META_CHARSET_RE = re.compile(r"<meta http-equiv=\"Content-Type\"[^>]*>\n?")


def serve_gbk_bare(portal: Portal, path: str, html: str) -> None:
    """A GBK page with no charset in the Content-Type header and none in the page."""
    portal.add(path, Reply(body=META_CHARSET_RE.sub("", html).encode("gbk", "xmlcharrefreplace"),
                           content_type="text/html"))


def chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


# -- 东胜区: TRS with a script-only countPage pager, GBK without a declared charset ----------------------------

TRS_SITE = "鄂尔多斯市东胜区人民政府"
TRS_DIR = "/xxgk/xxgknb/"
TRS_SPECS = [(year, agency) for year in range(2012, 2024) for agency in ("东胜区", "东胜区交通街道")][:19]
TRS_NEWS = ["东胜区召开2020年度工作会暨党风廉政建设会议", "一图读懂东胜区2021年重点工作", "东胜区：栽下梧桐引凤来"]
COUNT_PAGE_SCRIPT = """var currentPage = {current};//所在页从0开始
var prevPage = currentPage-1//上一页
var nextPage = currentPage+1//下一页
var countPage = {count}//共多少页
document.write("共计"+"&nbsp;<font style='color:#FF8008'>"+"{count}"+"&nbsp;</font>"+"页");
document.write("&nbsp;<a href=\\"index."+"html\\">首页</a>&nbsp;|");
if(countPage>1&&currentPage!=(countPage-1))
document.write("&nbsp;<a href=\\"index"+"_" + nextPage + "."+"html\\">&nbsp;<span class=greyfont>下一页</span>&nbsp;</a>&nbsp;");
else
document.write("&nbsp;下一页&nbsp;");
if(countPage!=1)
document.write("&nbsp;<a href=\\"index"+"_" + (countPage-1)  + "."+"html\\">尾页</a>&nbsp;");"""


def build_trs_script_pager(portal: Portal) -> None:
    """Home, 信息公开, a table-row column paged by a countPage script, report and news pages, all GBK."""
    from crawler.simulator.trs import item_name

    reports = markup.newest_first(markup.generated("trs", TRS_SPECS, 2389801, 13, 150602))
    items = []
    for report in reports:
        html = markup.render_report(report).replace('charset=gb2312', 'charset=gbk')
        portal.add_report(TRS_DIR + item_name(report), report, html.encode("gbk", "xmlcharrefreplace"),
                          "text/html")
        for href, text in report.attachments:
            url = portal.url(href)
            portal.add(href, markup.attachment_reply(url, text))
            portal.attachment_urls.append(url)
        items.append(("./" + item_name(report), report.title, report.publish_date))
    for n, title in enumerate(TRS_NEWS):  # news items in the report column, as real page 008 shows
        path = f"201905/t2019053{n}_23809{n}.html"
        body = f"<html><body><h1>{escape(title)}</h1><p>{escape(title)}。" + "会议强调，" * 80 + "</p></body></html>"
        portal.add(TRS_DIR + path, Reply(body=body.encode("gbk"), content_type="text/html"))
        items.insert(3 + 4 * n, ("./" + path, title, f"2019-05-3{n}"))
    serve_gbk_bare(portal, "/", markup.frame(TRS_SITE, "首页", markup.link_list([("/xxgk/", "信息公开")]), "gbk"))
    section = markup.link_list([("/xxgk/xxgkzn/", "政府信息公开指南"), (TRS_DIR, "政府信息公开年报")])
    serve_gbk_bare(portal, "/xxgk/", markup.frame(TRS_SITE, "信息公开", section, "gbk"))
    pages = chunks(items, 6)
    for number, chunk in enumerate(pages):
        html = trs_table_page(chunk, number, len(pages))
        serve_gbk_bare(portal, TRS_DIR + ("index.html" if number == 0 else f"index_{number}.html"), html)
        if number == 0:
            serve_gbk_bare(portal, TRS_DIR, html)


def trs_table_page(items: list[tuple[str, str, str]], number: int, count: int) -> str:
    rows = "".join(f'<tr valign="top"><td width="25"><img src="../../images/ico2.jpg"></td>'
                   f'<td width="550"><a href="{href}">{escape(title)}</a></td><td>{date}</td></tr>\n'
                   for href, title, date in items)
    script = COUNT_PAGE_SCRIPT.format(current=number, count=count)
    body = (f'<table class="gl_list"><tbody>\n{rows}</tbody></table>'
            f'<table><tr><td class="page"><script language="JavaScript" type="text/javascript">\n{script}\n'
            "</script></td></tr></table>")
    return markup.frame(TRS_SITE, "政府信息公开年报", body, "gbk", "首页 &gt; 信息公开 &gt; 政府信息公开年报")


# -- 渭源县: Hanweb URLs, onclick-only rows, a gotopage(n) POST form pager ----------------------------------------

HANWEB_SITE = "渭源县人民政府"
HANWEB_COLUMN = "/col/col5120/index.html"
HANWEB_SPECS = [(year, agency) for year in range(2013, 2024) for agency in ("渭源县", "渭源县教育局")][:21]
GOTOPAGE_SCRIPT = """function showArt(id, day) {
  window.open("/art/" + day + "/art_5120_" + id + ".html");
}
function gotopage(pageValue) {
  document.pageform.pageNo.value = pageValue;
  document.pageform.submit();
}"""


def build_hanweb_onclick(portal: Portal) -> None:
    """Home, 政务公开, the onclick-row column paged by a POST form, report pages on the Hanweb template."""
    reports = markup.newest_first(markup.generated("hanweb", HANWEB_SPECS, 912301, 17, 621123))
    rows = []
    for report in reports:
        year, month, day = (int(part) for part in report.publish_date.split("-"))
        markup.serve_report(portal, f"/art/{year}/{month}/{day}/art_5120_{report.id}.html", report)
        rows.append((report, f"{year}/{month}/{day}"))
    markup.serve_page(portal, "/", markup.frame(HANWEB_SITE, "首页", markup.link_list([("/col/col5100/index.html",
                                                                                       "政务公开")])))
    section = markup.link_list([("/col/col5101/index.html", "政策文件"), (HANWEB_COLUMN, "政府信息公开年报")])
    markup.serve_page(portal, "/col/col5100/index.html", markup.frame(HANWEB_SITE, "政务公开", section))
    pages = chunks(rows, 5)
    portal.add(HANWEB_COLUMN, lambda request: hanweb_page(request, pages))


def hanweb_page(request: Request, pages: list[list[tuple[Report, str]]]) -> Reply:
    """Page `pageNo` (POSTed by the pager form; the first page on GET)."""
    number = min(max(int(request.form.get("pageNo") or 1), 1), len(pages))
    rows = "".join(f'<tr class="item" onclick="showArt(\'{r.id}\',\'{day}\')" style="cursor:pointer">'
                   f"<td>{escape(r.title)}</td><td>{r.publish_date}</td></tr>\n" for r, day in pages[number - 1])
    pager = ('<a href="#" onclick="gotopage(1)">首页</a> '
             + (f'<a href="#" onclick="gotopage({number + 1});">下一页&raquo;</a> ' if number < len(pages) else "")
             + f'<a href="#" onclick="gotopage({len(pages)})">尾页</a> 第{number}/{len(pages)}页')
    form = (f'<form name="pageform" method="post" action="{HANWEB_COLUMN}">'
            f'<input type="hidden" name="pageNo" value="{number}"><input type="hidden" name="col" value="5120"></form>')
    body = (f'<script type="text/javascript">\n{GOTOPAGE_SCRIPT}\n</script>{form}'
            f'<table class="list"><tbody>\n{rows}</tbody></table><div class="pager">{pager}</div>')
    html = markup.frame(HANWEB_SITE, "政府信息公开年报", body, crumbs="首页 &gt; 政务公开 &gt; 政府信息公开年报")
    return Reply(body=html.encode("utf-8"))


# -- 蓬江区: a column shell filled from a JSON endpoint -------------------------------------------------------

JSON_SITE = "江门市蓬江区人民政府"
JSON_COLUMN = "/zwgk/zfxxgknb/"
JSON_API = "/api/xxgk/list"
JSON_SPECS = [(year, agency) for year in range(2014, 2024) for agency in ("蓬江区", "蓬江区环市街道")]
JSON_SCRIPT = """$(function () {
  $.ajax({
    url: "%s",
    type: "GET",
    dataType: "json",
    data: {columnId: "2871", pageNo: 1, pageSize: 6},
    success: function (res) {
      var html = "";
      $.each(res.data.list, function (i, item) {
        html += '<li><a href="' + item.docUrl + '">' + item.docTitle + '</a><span>' + item.publishTime + '</span></li>';
      });
      $("#list").html(html);
    }
  });
});"""


def build_json_list(portal: Portal) -> None:
    """Home, 政务公开, the column shell, the JSON endpoint and the report pages (generic template)."""
    reports = markup.newest_first(markup.generated("generic", JSON_SPECS, 77101, 9, 440703))
    rows = []
    for report in reports:
        path = f"/zwgk/content/post_{report.id}.html"
        markup.serve_report(portal, path, report)
        rows.append({"docId": int(report.id), "docTitle": report.title, "docUrl": path,
                     "publishTime": report.publish_date + " 09:00:00", "indexNo": f"007024815/{report.id}",
                     "fbjg": JSON_SITE + "办公室"})
    markup.serve_page(portal, "/", markup.frame(JSON_SITE, "首页", markup.link_list([("/zwgk/", "政务公开")])))
    section = markup.link_list([("/zwgk/zcwj/", "政策文件"), (JSON_COLUMN, "政府信息公开年报")])
    markup.serve_page(portal, "/zwgk/", markup.frame(JSON_SITE, "政务公开", section))
    shell = '<ul id="list"></ul><script type="text/javascript" src="/js/xxgk-list.js"></script>'
    portal.add("/js/xxgk-list.js", Reply(body=(JSON_SCRIPT % JSON_API).encode(), content_type="application/javascript"))
    markup.serve_page(portal, JSON_COLUMN, markup.frame(JSON_SITE, "政府信息公开年报", shell,
                                                        crumbs="首页 &gt; 政务公开 &gt; 政府信息公开年报"))
    portal.add(JSON_API, lambda request: json_page(request, rows))


def json_page(request: Request, rows: list[dict]) -> Reply:
    size = int(request.query.get("pageSize") or 6)
    number = max(int(request.query.get("pageNo") or 1), 1)
    pages = -(-len(rows) // size)
    answer = {"code": 0, "msg": "success", "data": {"pageNo": number, "pageSize": size, "totalPage": pages,
                                                     "totalCount": len(rows),
                                                     "list": rows[(number - 1) * size:number * size]}}
    return Reply(body=json.dumps(answer, ensure_ascii=False).encode(), content_type="application/json;charset=UTF-8")


# -- 凤阳县: a 信息公开目录 tree, an iframe list, reports only as files ---------------------------------------------

FILES_SITE = "凤阳县人民政府"
FILES_SPECS = [(year, agency) for year in range(2015, 2024) for agency in ("凤阳县", "凤阳县府城镇")]
FILE_KINDS = ("pdf", "docx", "xlsx")
TREE_SCRIPT = """var setting = {data: {simpleData: {enable: true}}};
var zNodes = [
  {id: 1, pId: 0, name: "政府信息公开目录", open: true},
  {id: 11, pId: 1, name: "政策文件", url: "/xxgk/list.jsp?ClassID=11", target: "listFrame"},
  {id: 12, pId: 1, name: "政府信息公开年报", url: "/xxgk/list.jsp?ClassID=12", target: "listFrame"},
  {id: 13, pId: 1, name: "财政预决算", url: "/xxgk/list.jsp?ClassID=13", target: "listFrame"}
];
$(document).ready(function () { $.fn.zTree.init($("#tree"), setting, zNodes); });"""


def build_catalogue_files(portal: Portal) -> None:
    """Home, the 信息公开目录 (script tree + iframe), the ClassID lists, and the reports as PDF/DOCX/XLSX files."""
    reports = markup.newest_first(markup.generated("generic", FILES_SPECS, 55101, 7, 341126))
    rows = []
    for n, report in enumerate(reports):
        ext = FILE_KINDS[n % len(FILE_KINDS)]
        path = f"/group1/M00/{report.publish_date[:4]}/{report.id}.{ext}"
        body = report_file(report, ext)
        portal.add_report(path, report, body, markup.CONTENT_TYPES[ext])
        index_no = f"11341126003237466X/{report.publish_date[:4]}-{int(report.id) % 1000:05d}"
        rows.append((index_no, report.title, path, report.meta.get("发文机关") or FILES_SITE, report.publish_date))
    markup.serve_page(portal, "/", markup.frame(FILES_SITE, "首页", markup.link_list([("/xxgk/index.html",
                                                                                      "信息公开目录")])))
    catalogue = (f'<div class="left"><ul id="tree" class="ztree"></ul></div>'
                 f'<div class="right"><iframe name="listFrame" id="listFrame" src="/xxgk/list.jsp?ClassID=11" '
                 f'width="100%" height="800"></iframe></div><script type="text/javascript">\n{TREE_SCRIPT}\n</script>')
    markup.serve_page(portal, "/xxgk/index.html", markup.frame(FILES_SITE, "信息公开目录", catalogue))
    portal.add("/xxgk/list.jsp", lambda request: catalogue_list(request, rows))


def catalogue_list(request: Request, rows: list[tuple[str, str, str, str, str]]) -> Reply:
    """The list of one ClassID (12: the reports; the others: an empty list), paged by `page=N` links."""
    shown = rows if request.query.get("ClassID") == "12" else []
    pages = chunks(shown, 8)
    number = min(max(int(request.query.get("page") or 1), 1), len(pages))
    body = "".join(f"<tr><td>{index_no}</td><td><a href=\"{path}\" target=\"_blank\">{escape(title)}</a></td>"
                   f"<td>{escape(issuer)}</td><td>{date}</td></tr>\n"
                   for index_no, title, path, issuer, date in pages[number - 1])
    pager = "".join(f'<a href="list.jsp?ClassID=12&amp;page={n}">{n}</a> ' for n in range(1, len(pages) + 1))
    if number < len(pages):
        pager += f'<a href="list.jsp?ClassID=12&amp;page={number + 1}">下一页</a>'
    html = (f'<html><head><meta charset="utf-8"><title>目录</title></head><body><table class="xxgk-list">'
            f"<tr><th>索 引 号</th><th>名　称</th><th>发布机构</th><th>发布日期</th></tr>\n{body}</table>"
            f'<div class="page">{pager}</div></body></html>')
    return Reply(body=html.encode("utf-8"))


def report_file(report: Report, ext: str) -> bytes:
    """The report as a PDF, DOCX or XLSX file holding its title and text."""
    lines = [report.title, *expected_text(report.blocks).splitlines()]
    if ext == "pdf":
        return markup.cjk_pdf(lines)
    buffer = io.BytesIO()
    if ext == "docx":
        import docx

        document = docx.Document()
        for line in lines:
            document.add_paragraph(line)
        document.save(buffer)
    else:
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        for line in lines:
            sheet.append(line.split(" | "))
        book.save(buffer)
    return buffer.getvalue()


# -- 鞍山市: a parent column of department and year sub-columns; _gotoPage(…) pagers ----------------------------

DEPT_SITE = "鞍山市人民政府"
DEPT_COLUMN = "/zwgk/zfxxgknb/index.html"
DEPARTMENTS = [("jyj", "鞍山市教育局"), ("czj", "鞍山市财政局"), ("wjw", "鞍山市卫生健康委员会")]
DEPT_PER_PAGE = 3
PAGER_JS = """function _gotoPage(pages, col, page) {
  var form = document.getElementById('tableForm1');
  form.pageNo.value = page;
  form.submit();
}"""


def build_departments(portal: Portal) -> None:
    """Home, 政务公开, the parent column (its own city reports, year and department sub-columns), the department
    lists paged by _gotoPage buttons, and the report pages (VSB template)."""
    city = markup.newest_first(markup.generated("vsb", [(y, "鞍山市") for y in range(2016, 2024)], 61001, 5, 210300))
    for report in city:
        markup.serve_report(portal, f"/zwgk/zfxxgknb/{report.id}.htm", report)
    sub_links = []
    for n, (code, agency) in enumerate(DEPARTMENTS):
        specs = [(y, agency) for y in range(2015, 2024)][: 7 + n]
        reports = markup.newest_first(markup.generated("vsb", specs, 62001 + 100 * n, 3, 210301 + n))
        for report in reports:
            markup.serve_report(portal, f"/zwgk/zfxxgknb/{code}/{report.id}.htm", report)
        portal.add(f"/zwgk/zfxxgknb/{code}/list.htm",
                   lambda request, reports=reports, agency=agency: department_page(request, reports, agency))
        sub_links.append((f"/zwgk/zfxxgknb/{code}/list.htm", agency))
    years = sorted({r.publish_date[:4] for r in city}, reverse=True)
    for year in years:
        shown = [r for r in city if r.publish_date[:4] == year]
        rows = "".join(f'<li><a href="/zwgk/zfxxgknb/{r.id}.htm">{escape(r.title)}</a><span>{r.publish_date}'
                       f"</span></li>" for r in shown)
        markup.serve_page(portal, f"/zwgk/zfxxgknb/{year}/index.html",
                          markup.frame(DEPT_SITE, f"{year}年", f"<ul>{rows}</ul>"))
    side = "".join(f'<li><a href="{href}">{escape(text)}</a></li>' for href, text in sub_links)
    side += "".join(f'<li><a href="/zwgk/zfxxgknb/{y}/index.html">{y}年</a></li>' for y in years)
    own = "".join(f'<li><a href="/zwgk/zfxxgknb/{r.id}.htm">{escape(r.title)}</a><span>{r.publish_date}</span></li>'
                  for r in city[:4])
    body = f'<div class="side"><ul>{side}</ul></div><div class="list"><ul>{own}</ul></div>'
    markup.serve_page(portal, "/", markup.frame(DEPT_SITE, "首页", markup.link_list([("/zwgk/index.html",
                                                                                      "政务公开")])))
    section = markup.link_list([("/zwgk/zcwj/index.html", "政策文件"), (DEPT_COLUMN, "政府信息公开年报")])
    markup.serve_page(portal, "/zwgk/index.html", markup.frame(DEPT_SITE, "政务公开", section))
    markup.serve_page(portal, DEPT_COLUMN, markup.frame(DEPT_SITE, "政府信息公开年报", body,
                                                        crumbs="首页 &gt; 政务公开 &gt; 政府信息公开年报"))
    portal.add("/js/pager.js", Reply(body=PAGER_JS.encode(), content_type="application/javascript"))


def department_page(request: Request, reports: list[Report], agency: str) -> Reply:
    """Page `pageNo` of a department's list: buttons calling _gotoPage(pages, col, 'n') (external script)."""
    pages = chunks(reports, DEPT_PER_PAGE)
    number = min(max(int(request.query.get("pageNo") or 1), 1), len(pages))
    rows = "".join(f'<li><a href="{r.id}.htm" title="{escape(r.title)}">{escape(r.title)}</a>'
                   f"<span>{r.publish_date}</span></li>" for r in pages[number - 1])
    buttons = "".join(f'<input type="button" value="{n}" onclick="_gotoPage({len(pages)},464,\'{n}\');"/>'
                      for n in range(1, len(pages) + 1))
    form = (f'<form id="tableForm1" action="" method="get"><input id="pageNo" type="hidden" name="pageNo" '
            f'value="{number}"/>{buttons} 共 {len(pages)} 页</form>')
    body = f'<script src="/js/pager.js"></script><div class="list"><ul>{rows}</ul></div>{form}'
    return Reply(body=markup.encode_page(markup.frame(DEPT_SITE, agency, body), "utf-8"))


APP_SITE = "德清县人民政府"
APP_COLUMN = "/col/zfxxgknb/"
APP_SPECS = [(year, agency) for year in range(2016, 2024) for agency in ("德清县", "德清县武康街道")]
APP_SCRIPT = """(function () {
  var parts = ["", "open", "api", "docs"];
  var app = document.getElementById("app");
  fetch(parts.join("/") + "?cat=" + app.getAttribute("data-cat") + "&size=50")
    .then(function (r) { return r.json(); })
    .then(function (d) {
      var html = "";
      d.result.forEach(function (x) {
        html += '<li><a href="' + x.u + '" title="' + x.t + '">' + x.t + '</a><span>' + x.d + '</span></li>';
      });
      app.innerHTML = "<ul class=\\"list\\">" + html + "</ul>";
    });
})();"""


def build_script_app(portal: Portal) -> None:
    """Home, 政务公开, the application column, its script, the API and the report pages (generic template)."""
    reports = markup.newest_first(markup.generated("generic", APP_SPECS, 33101, 11, 330521))
    rows = []
    for report in reports:
        path = f"/art/{report.publish_date[:4]}/art_{report.id}.html"
        markup.serve_report(portal, path, report)
        rows.append({"u": path, "t": report.title, "d": report.publish_date})
    markup.serve_page(portal, "/", markup.frame(APP_SITE, "首页", markup.link_list([("/zwgk/", "政务公开")])))
    section = markup.link_list([("/zwgk/zcwj/", "政策文件"), (APP_COLUMN, "政府信息公开年报")])
    markup.serve_page(portal, "/zwgk/", markup.frame(APP_SITE, "政务公开", section))
    shell = '<div id="app" data-cat="nb"></div><script type="text/javascript" src="/js/app.js"></script>'
    markup.serve_page(portal, APP_COLUMN, markup.frame(APP_SITE, "政府信息公开年报", shell))
    portal.add("/js/app.js", Reply(body=APP_SCRIPT.encode(), content_type="application/javascript"))
    answer = json.dumps({"ok": True, "result": rows}, ensure_ascii=False).encode()
    portal.add("/open/api/docs", Reply(body=answer, content_type="application/json;charset=UTF-8"))


VARIATIONS = {
    "v_trs_script_pager": ("trs", build_trs_script_pager),
    "v_hanweb_onclick": ("hanweb", build_hanweb_onclick),
    "v_json_list": ("generic", build_json_list),
    "v_catalogue_files": ("generic", build_catalogue_files),
    "v_departments": ("vsb", build_departments),
    "v_script_app": ("generic", build_script_app),
}

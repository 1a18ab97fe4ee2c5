"""HTML the simulated report pages share: body blocks and tables, breadcrumbs, attachments, the national <head>,
the 繁体+拼音 toolbar, and render_report, which hands a report to its family's renderer.

Each family's own detail-page template lives in that family's module (panjin.render, trs.render…), beside its portal
builder, and files itself here with @renders(family).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from html import escape

import opencc
from pypinyin import Style, lazy_pinyin

from crawler.simulator.reports import Report, Table

Renderer = Callable[[Report], str]
# family -> its detail-page renderer. Every family module registers on import, and the package's __init__ imports
# them all (through portals), so the registry is full before any caller can reach render_report.
RENDERERS: dict[str, Renderer] = {}
CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


def renders(family: str) -> Callable[[Renderer], Renderer]:
    """Decorator: file a family module's detail-page renderer under `family`."""
    def register(renderer: Renderer) -> Renderer:
        RENDERERS[family] = renderer
        return renderer

    return register


def render_report(report: Report, toolbar: bool = False) -> str:
    """The full HTML page of a report in its family's template; toolbar=True as seen with 繁体+拼音 switched on."""
    html = RENDERERS[report.family](report)
    return toolbar_html(html) if toolbar else html


def esc(text: str) -> str:
    """Escape text for HTML."""
    return escape(text, quote=True)


def table_html(table: Table, attrs: str = 'border="1" cellspacing="0" cellpadding="0"') -> str:
    """A body table as HTML, spans as attributes."""
    out = [f"<table {attrs}><tbody>"]
    for row in table.rows:
        out.append("<tr>")
        for cell in row:
            if isinstance(cell, dict):
                spans = "".join(f' {k}="{cell[k]}"' for k in ("rowspan", "colspan") if cell.get(k, 1) != 1)
                out.append(f"<td{spans}><p>{esc(cell['text'])}</p></td>")
            else:
                out.append(f"<td><p>{esc(cell)}</p></td>" if cell else "<td><p>&nbsp;</p></td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def blocks_html(blocks: list, indent: bool = True) -> str:
    """Body blocks as <p>s and <table>s."""
    style = ' style="text-indent:2em;"' if indent else ""
    return "\n".join(
        table_html(b) if isinstance(b, Table) else (f"<p{style}>{esc(b)}</p>" if b.strip() else "<p>&nbsp;</p>")
        for b in blocks
    )


def crumbs_html(report: Report, sep: str = " &gt; ") -> str:
    """Breadcrumb links after 首页."""
    links = ['<a href="/">首页</a>'] + [f'<a href="/col/{i}/">{esc(c)}</a>' for i, c in enumerate(report.column_path)]
    return sep.join(links)


def attachments_html(report: Report) -> str:
    """Attachment links, shown under the body."""
    if not report.attachments:
        return ""
    links = "".join(f'<li><a href="{esc(h)}" target="_blank">{esc(t)}</a></li>' for h, t in report.attachments)
    return f'<div class="attachments"><span>相关附件：</span><ul>{links}</ul></div>'


def meta_value(report: Report, label: str) -> str:
    """A metadata value for the family templates, falling back to what every report has."""
    fallback = {"标题": report.title, "发布日期": report.publish_date, "主题分类": "政府信息公开年报"}
    value = report.meta.get(label)
    return esc(value if value else fallback.get(label, ""))


def national_head(report: Report, site: str, code: str, domain: str) -> str:
    """The <head> of the national government-site template (SiteIDCode and friends)."""
    title = esc(report.title)
    return f"""<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title}_{esc(site)}</title>
<meta name="SiteName" content="{esc(site)}">
<meta name="SiteDomain" content="{domain}">
<meta name="SiteIDCode" content="{code}">
<meta name="ColumnName" content="{esc(report.column_path[-1] if report.column_path else '')}">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{esc(report.publish_date)}">
<meta name="ContentSource" content="{meta_value(report, '发文机关')}">
</head>"""


# ---------------------------------------------------------------- the 繁体+拼音 toolbar

TAG_OR_SCRIPT = re.compile(r"(<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->|<[^>]+>)", re.DOTALL | re.IGNORECASE)


@cache
def _converter(config: str) -> opencc.OpenCC:
    """One OpenCC converter per configuration."""
    return opencc.OpenCC(config)


def _annotate(text: str) -> str:
    """Traditional characters each followed by their pinyin, as the site's 繁体/拼音 toolbar rewrites text."""
    def run(m: re.Match) -> str:
        simple = m.group()
        trad = _converter("s2t").convert(simple)
        if len(trad) != len(simple):
            trad = "".join(_converter("s2t").convert(c) for c in simple)
        sounds = lazy_pinyin(simple, style=Style.TONE)
        return "".join(f"{t}({p})" for t, p in zip(trad, sounds, strict=True))

    return CJK_RUN.sub(run, text)


def toolbar_html(html: str) -> str:
    """Apply the 繁体+拼音 toolbar to every text node (not to tags, scripts or styles)."""
    parts = TAG_OR_SCRIPT.split(html)
    return "".join(p if i % 2 else _annotate(p) for i, p in enumerate(parts))

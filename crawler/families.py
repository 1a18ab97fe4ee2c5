"""The CMS families, defined once: the spider that reads a family's columns, the fingerprint that recognises its
pages during discovery, and where its report pages keep their title and body (extraction).

A new family is one entry here, its spider in spiders/families/ and its simulated portal in crawler/simulator/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def has_class(name: str) -> str:
    """XPath predicate: element has this class."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


@dataclass(frozen=True)
class Family:
    name: str
    spider: str  # "module:Class"
    fingerprint: re.Pattern | None = None  # over a page's URL and markup; discovery scores families by it
    weight: int = 0  # score per fingerprint match
    body: str = ""  # XPath of the report body container; extraction tries the families in this file's order
    title: str = ""  # XPath of the report's title element


FAMILIES: dict[str, Family] = {family.name: family for family in (
    # Ucap (开普云) first: its markers are its own (the UCAP-CONTENT id, the <ucapcontent>/<ucaptitle> tags of its
    # provincial platforms, e.g. Jiangxi's), while Panjin's `article-content` class is common to many CMSs
    Family("ucap", "spiders.families.ucap:UcapSpider",
           re.compile(r"UCAP-CONTENT|<ucapcontent|createPageHTML\(\s*'page_div'|/content_\d+\.htm"), 3,
           "//*[@id='UCAP-CONTENT'] | //ucapcontent", "//ucaptitle | //h1[not(//ucaptitle)]"),
    Family("panjin", "spiders.families.panjin:PanjinCmsSpider",
           re.compile(r"/html/[\w]+/\d{4}-\d{2}-\d{2}/content-\d+\.html|/html/zfxxgknb\d{4}/"), 3,
           f"//div[{has_class('article-content')}]", f"//div[{has_class('article-content')}]/h1"),
    Family("anhui", "spiders.families.anhui:AnhuiPlatformSpider",
           re.compile(r"/site/label/8888|/public/column/\d+|publicInfoList|xxgk_navli"), 3,
           f"//div[{has_class('wzcon')}]", f"//h1[{has_class('newstitle')}]"),
    Family("trs", "spiders.families.trs:TrsSpider",
           re.compile(r"createPageHTML\(\s*\d+\s*,\s*\d+|TRS_Editor|/t\d{8}_\d+(?:_\d+)?\.s?html?"), 2,
           f"//div[{has_class('TRS_Editor')}]", f"//div[{has_class('title')}]"),
    Family("hanweb", "spiders.families.hanweb:HanwebJcmsSpider",
           re.compile(r"<datastore>|/module/web/jpage/|/col/col\d+/|/art/\d{4}/\d+/\d+/art_\d+_\d+\.html"), 2,
           "//div[@id='zoom']", f"//td[{has_class('title')}]"),
    Family("hanweb_xxgk", "spiders.families.hanweb_xxgk:HanwebXxgkSpider",
           re.compile(r"/module/xxgk/(?:search|xxgkAnnualReport|subjectinfo)\.jsp"), 5),
    Family("gkmlpt", "spiders.families.gkmlpt:GkmlptSpider",
           re.compile(r"window\._CONFIG|/gkmlpt/(?:index|api|content)"), 5),
    Family("openness", "spiders.families.openness:OpennessSpider",
           re.compile(r"/OpennessContent/(?:showList|show|index)"), 4),
    Family("vsb", "spiders.families.vsb:VsbSpider",
           re.compile(r"_newscontent_fromname|vsb_content|class=\"p_pages|(?:^|[\"'/])info/\d+/\d+\.htm"), 3),
    Family("generic", "spiders.generic:GenericSpider"),
)}
GENERIC = "generic"  # the heuristic spider: registry entries of no known family ("" or "generic")


def family(name: str) -> Family:
    """The family a registry entry names ("" is the generic one); ValueError for an unknown name."""
    try:
        return FAMILIES[name or GENERIC]
    except KeyError:
        raise ValueError(f"unknown CMS family {name!r}; known: {', '.join(sorted(FAMILIES))}") from None

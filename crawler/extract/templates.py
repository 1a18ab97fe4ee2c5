"""The statistics tables' templates (2019 and 2021 formats): row and column labels as the notices fix them."""

from __future__ import annotations

import re
from functools import lru_cache

from crawler.extract.chinese import normalise_digits, to_simplified

# section 三: applicant columns, in template order
T3_PERSON = "自然人"
T3_ORG_GROUP = "法人或其他组织"
T3_ORGS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
T3_SUBTOTAL = "小计"
T3_TOTAL = "总计"
T3_COLUMNS = (T3_PERSON, *T3_ORGS, T3_TOTAL)

# section 三: rows; the top level, the groups of 本年度办理结果 and the leaves of each group
T3_NEW, T3_CARRIED_IN, T3_RESULTS, T3_CARRIED_OUT = (
    "本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "本年度办理结果", "结转下年度继续办理")
T3_TOP = (T3_NEW, T3_CARRIED_IN, T3_RESULTS, T3_CARRIED_OUT)
T3_GROUPS = ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理", "总计")
T3_LEAVES = {
    "不予公开": ("属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
             "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"),
    "无法提供": ("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"),
    "不予处理": ("信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
             "要求行政机关确认或重新出具已获取信息"),
    "其他处理": ("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
             "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "其他"),
}

# section 四: three blocks of five results
T4_BLOCKS = ("行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉")
T4_RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

# section 二: columns per 第二十条 item, by format
T2_COLUMNS = {
    "fmt2019": {"一": ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
                "五": ("上一年项目数量", "本年增/减", "处理决定数量"),
                "六": ("上一年项目数量", "本年增/减", "处理决定数量"),
                "八": ("上一年项目数量", "本年增/减"),
                "九": ("采购项目数量", "采购总金额")},
    "fmt2021": {"一": ("本年制发件数", "本年废止件数", "现行有效件数"),
                "五": ("本年处理决定数量",), "六": ("本年处理决定数量",), "八": ("本年收费金额",)},
}
T2_ITEMS = {"规章": "一", "规范性文件": "一", "行政规范性文件": "一", "行政许可": "五", "其他对外管理服务事项": "五",
            "行政处罚": "六", "行政强制": "六", "行政事业性收费": "八", "政府集中采购": "九"}
T2_ALL_COLUMNS = {c for fmt in T2_COLUMNS.values() for cols in fmt.values() for c in cols}
# the 第二十条第（一）项 row the two notices name differently, as each format's template words it
T2_ROW_SPELLING = {"fmt2019": {"行政规范性文件": "规范性文件"}, "fmt2021": {"规范性文件": "行政规范性文件"}}
# the 2021 format's own column wording (not its row 行政规范性文件, which 2019-format reports print too)
T2_FMT2021_MARKS = {"本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "本年处理决定数量"}
T2_FMT2019_MARKS = {c for cols in T2_COLUMNS["fmt2019"].values() for c in cols} - T2_FMT2021_MARKS

NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]\s*[、.．]?|\d+\s*[、.．](?!\d))\s*")
PARENTHETICAL = re.compile(r"[（(][^（()）]*[）)]")
PUNCT = re.compile(r"[\s\u3000\"'“”‘’「」『』:：]")
ITEM_NO = re.compile(r"第二十条第\s*[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*项")


# How reports print the template's labels otherwise: the wording changed between the 2019 and 2021 notices, and
# counties abbreviate, reorder or misprint it (其它 for 其他, 合计 for 总计, 本年新收申请数 for the full row name).
# Each rule rewrites a whole label (numbering, notes and spaces already removed) to the template's wording.
SPELLINGS = tuple((re.compile(pattern), canonical) for pattern, canonical in (
    (r"其它", "其他"),
    (r"^合计$", "总计"),
    (r"^本年度?新收(?:到)?的?(?:政府信息公开)?申请(?:数量|数|件数|总数)?$", "本年新收政府信息公开申请数量"),
    (r"^上一?年度?结转(?:的)?(?:政府信息公开)?申请(?:数量|数|件数)?$", "上年结转政府信息公开申请数量"),
    (r"^本年度?(?:申请)?办理结果$", "本年度办理结果"),
    (r"^结转下一?年度?继续办理(?:的)?(?:申请)?(?:数量|数|件数)?$", "结转下年度继续办理"),
    (r"^本年(?:度)?增(?:加)?[/、和及]?减(?:少)?(?:数量|数)?$", "本年增/减"),
    (r"^(?:本年)?新制作(?:数量|数|件数)$", "本年新制作数量"),
    (r"^(?:本年)?新公开(?:数量|数|件数)$", "本年新公开数量"),
    (r"^对外公开总(?:数量|数|件数)$", "对外公开总数量"),
    (r"^上一?年(?:度)?项目(?:数量|数)$", "上一年项目数量"),
    (r"^本年(?:度)?制发(?:件数|数量|数)$", "本年制发件数"),
    (r"^本年(?:度)?废止(?:件数|数量|数)$", "本年废止件数"),
    (r"^现行有效(?:件数|数量|数)$", "现行有效件数"),
    (r"^本年(?:度)?处理决定(?:数量|数|件数)$", "本年处理决定数量"),
    (r"^本年(?:度)?收费金额$", "本年收费金额"),
    (r"^行政事业收费$", "行政事业性收费"),
    (r"^政府采购$", "政府集中采购"),
))


@lru_cache(maxsize=8192)  # the same labels recur on every page and in every table
def strip_label(text: str) -> str:
    """Label without numbering, parenthetical notes and whitespace, in the template's wording:
    `（二）部分公开（区分…）` -> `部分公开`, `（七）合计` -> `总计`."""
    text = to_simplified(normalise_digits(" ".join(text.split())))
    text = NUMBERING.sub("", text)
    prev = None
    while prev != text:
        prev, text = text, PARENTHETICAL.sub("", text)
    text = re.sub(r"\s+", "", text).strip("*＊")
    for pattern, canonical in SPELLINGS:
        text = pattern.sub(canonical, text)
    return text


@lru_cache(maxsize=8192)
def key(text: str) -> str:
    """Comparison key of a label: stripped, quotes and colons removed."""
    return PUNCT.sub("", strip_label(text))


def _index(labels) -> dict[str, str]:
    """key -> canonical label."""
    return {key(label): label for label in labels}


T3_TOP_KEYS = _index(T3_TOP) | {key("本年度办理结果"): T3_RESULTS, key("结转下年度继续办理申请数量"): T3_CARRIED_OUT}
T3_GROUP_KEYS = _index(T3_GROUPS)
T3_COLUMN_KEYS = _index((T3_PERSON, T3_ORG_GROUP, *T3_ORGS, T3_SUBTOTAL, T3_TOTAL))


def t3_leaf(group: str, label: str) -> str:
    """Template wording of a leaf row of a group, or the label as printed (stripped)."""
    k = key(label)
    for leaf in T3_LEAVES.get(group, ()):
        lk = key(leaf)
        if k == lk or (len(k) >= 6 and (lk.startswith(k) or k.startswith(lk[:10]))):
            return leaf
    return strip_label(label)

"""The metadata fields of a disclosure document, defined once: the key they are stored and exported under, the
label portals print for them, the other spellings of that label, and whether the value is a date.

Extraction (crawler/extract/metadata.py) matches labels through LABELS; the database, history, exports and the
simulator list the fields through METADATA. A new label spelling is one line here; a new field too, plus the
migration that adds its `documents` column (docs/database.md; tests/test_database.py fails until it exists).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    key: str  # column name in `documents`, key in extract() output and in exports
    label: str  # the canonical label (the national template's wording)
    variants: tuple[str, ...] = ()  # other labels portals print for it, in Simplified characters, without spaces
    date: bool = False  # the value is a date (normalised to YYYY-MM-DD)


# Spellings as real portals print them (old templates, regional platforms, one platform's pages differing among
# themselves: the Jiangxi 开普云 pages say 生成日期 or 发文日期, 责任部门 or 发布机构, 分类 for 主题分类; Tianjin's 政务公开
# pages print the publishing unit as 报送单位).
METADATA: tuple[Field, ...] = (
    Field("index_no", "索引号", ("索取号", "信息索引号", "索引编号")),
    Field("category", "主题分类", ("分类", "信息分类", "组配分类", "主题导航", "体裁分类", "所属分类", "信息类别", "所属主题")),
    Field("issuer", "发文机关", ("发布机构", "信息来源", "来源", "发文单位", "发布单位", "发布部门", "发文机构", "制发机关",
                             "责任部门", "公开责任部门", "文章来源", "报送单位")),
    Field("written_date", "成文日期", ("生成日期", "发文日期", "成文时间", "印发日期", "制发日期"), date=True),
    Field("title", "标题", ("名称", "信息名称", "文件名称", "文件标题", "文章标题")),
    Field("doc_number", "发文字号", ("文号", "发布文号", "发文号", "文件编号")),
    Field("publish_date", "发布日期", ("发布时间", "公开日期", "公开时间", "发表时间"), date=True),
    Field("subject_terms", "主题词", ("关键词", "关键字")),
)
# Labels recognised so that their values never run into a neighbouring field, though nothing stores them.
UNSTORED: tuple[Field, ...] = (
    Field("validity", "有效性", ("时效", "效力状态", "有效期", "时效性", "废止日期", "实施日期", "生效日期", "失效日期")),
    Field("openness", "公开方式", ("公开时限", "公开范围", "公开形式", "公开属性")),
    Field("views", "浏览次数", ("访问量", "点击数", "点击量", "阅读次数", "浏览量")),
)

BY_KEY = {field.key: field for field in METADATA}
BY_LABEL = {field.label: field for field in (*METADATA, *UNSTORED)}
# every spelling -> the canonical label
LABELS = {variant: field.label for field in (*METADATA, *UNSTORED) for variant in (field.label, *field.variants)}
METADATA_KEYS = tuple(field.key for field in METADATA)
DATE_KEYS = tuple(field.key for field in METADATA if field.date)

"""The metadata fields of a disclosure document, defined once: the key they are stored and exported under, the
label portals print for them, the other spellings of that label, and whether the value is a date.

Extraction (crawler/extract/metadata.py) matches labels through LABELS; the database, history, exports and the
simulator list the fields through METADATA. A new field or label spelling is one line here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    key: str  # column name in `documents`, key in extract() output and in exports
    label: str  # the canonical label (the national template's wording)
    variants: tuple[str, ...] = ()  # other labels portals print for it, in Simplified characters, without spaces
    date: bool = False  # the value is a date (normalised to YYYY-MM-DD)


METADATA: tuple[Field, ...] = (
    Field("index_no", "索引号", ("索取号",)),
    Field("category", "主题分类", ("分类", "信息分类", "组配分类", "主题导航", "体裁分类")),
    Field("issuer", "发文机关", ("发布机构", "信息来源", "来源")),
    Field("written_date", "成文日期", ("生成日期", "发文日期"), date=True),
    Field("title", "标题", ("名称", "信息名称")),
    Field("doc_number", "发文字号", ("文号", "发布文号")),
    Field("publish_date", "发布日期", ("发布时间",), date=True),
    Field("subject_terms", "主题词", ("关键词",)),
)
# Labels recognised so that their values never run into a neighbouring field, though nothing stores them.
UNSTORED: tuple[Field, ...] = (
    Field("validity", "有效性", ("时效", "效力状态")),
)

BY_KEY = {field.key: field for field in METADATA}
BY_LABEL = {field.label: field for field in (*METADATA, *UNSTORED)}
# every spelling -> the canonical label
LABELS = {variant: field.label for field in (*METADATA, *UNSTORED) for variant in (field.label, *field.variants)}
METADATA_KEYS = tuple(field.key for field in METADATA)
DATE_KEYS = tuple(field.key for field in METADATA if field.date)

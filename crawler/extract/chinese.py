"""Chinese text normalisation: Traditional to Simplified, pinyin annotations, numerals and full-width digits."""

from __future__ import annotations

import re
from functools import cache

import opencc

CJK = "\u3007\u3400-\u9fff\uf900-\ufaff"
CJK_CHAR = re.compile(f"[{CJK}]")
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
# a pinyin syllable in parentheses right after a CJK character, as accessibility toolbars inject it: 當(dāng),
# or in full-width ones as other toolbars do: 當（dāng）
PINYIN = re.compile(rf"(?<=[{CJK}])(?:\([a-z{TONED}]{{1,7}}\)|（[a-z{TONED}]{{1,7}}）)")
TONE_MARK = re.compile(f"[{TONED.replace('ü', '').replace('ê', '')}]")  # ü and ê also occur untoned
MIN_TONED = 20  # toned syllables after characters: a toolbar's work wherever it ran, however large the page
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９－／．：　", "0123456789-/.: ")
CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "0": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
            "六": 6, "七": 7, "八": 8, "九": 9, **{str(d): d for d in range(10)}}
CN_YEAR = re.compile(r"(?<![\d〇零○一二三四五六七八九])([〇零○0-9一二三四五六七八九]{4})(?=\s*年)")
CN_MONTH_DAY = re.compile(r"(?<![\d〇零一二三四五六七八九十])([一二三四五六七八九十廿卅]{1,3})(?=\s*[月日号])")


@cache
def _converter(config: str) -> opencc.OpenCC:
    """One OpenCC converter per configuration (building one is slow)."""
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Convert Traditional Chinese to Simplified (OpenCC t2s)."""
    return _converter("t2s").convert(text) if CJK_CHAR.search(text) else text


def cjk_count(text: str) -> int:
    """Number of CJK characters in text."""
    return len(CJK_CHAR.findall(text))


def is_pinyin_annotated(text: str) -> bool:
    """True when a toolbar has put pinyin after CJK characters: after most of them, or after enough (with tone marks)
    to be no accident, as when it annotated only the article of a page whose frame is plain."""
    if text.count("(") + text.count("（") < 10:  # every hit starts with one: skip the slow look-behind
        return False
    hits = PINYIN.findall(text)
    if len(hits) < 10:
        return False
    return len(hits) >= 0.3 * cjk_count(text) or sum(bool(TONE_MARK.search(h)) for h in hits) >= MIN_TONED


def strip_pinyin(text: str) -> str:
    """Remove toolbar pinyin annotations: 當(dāng)前 -> 當前."""
    return PINYIN.sub("", text)


def is_traditional(text: str) -> bool:
    """True when enough characters change under t2s for the text to be Traditional Chinese."""
    simplified = to_simplified(text)
    if simplified == text:
        return False
    if len(simplified) != len(text):
        return True
    changed = sum(a != b for a, b in zip(text, simplified, strict=True))
    return changed >= max(3, 0.03 * cjk_count(text))


def normalise_digits(text: str) -> str:
    """Full-width digits and date punctuation to ASCII."""
    return text.translate(FULLWIDTH_DIGITS)


def cn_number(text: str) -> int | None:
    """Chinese numeral below 100 (十, 二十三, 卅一) or digit-by-digit (二〇一〇, 二00九) to int."""
    text = text.replace("廿", "二十").replace("卅", "三十")
    if "十" in text:
        tens, _, ones = text.partition("十")
        if len(tens) > 1 or len(ones) > 1 or "十" in ones:
            return None
        t = CN_DIGIT.get(tens, -1) if tens else 1
        o = CN_DIGIT.get(ones, -1) if ones else 0
        return None if t < 0 or o < 0 else t * 10 + o
    if not text or any(c not in CN_DIGIT for c in text):
        return None
    return int("".join(str(CN_DIGIT[c]) for c in text))


def normalise_numerals(text: str) -> str:
    """Chinese-numeral years, months and days to digits: 二〇一〇年一月四日 -> 2010年1月4日."""
    text = normalise_digits(text)
    text = CN_YEAR.sub(lambda m: str(cn_number(m.group(1))), text)

    def month_day(m: re.Match) -> str:
        n = cn_number(m.group(1))
        return str(n) if n is not None else m.group(1)

    return CN_MONTH_DAY.sub(month_day, text)

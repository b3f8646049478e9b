"""Number words → digits, for the arithmetic parser: 十二 → 12, 一百零五 → 105, 三点五 → 3.5,
二分之一 → 1/2, "twenty-five" → 25, "one hundred and five" → 105.

Why separate: children write numbers the way they say them. Converting them first lets the arithmetic
parser work on one small grammar of digits and operators, and never on free text.
"""

from __future__ import annotations

import re

_ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10_000, "亿": 100_000_000}
_ZH_NUM = "零〇一二两三四五六七八九十百千万亿"
_ZH_RUN = re.compile(f"[{_ZH_NUM}]+(?:点[零〇一二三四五六七八九]+)?")
_ZH_FRACTION = re.compile(r"(\d+)分之(\d+)")


def zh_to_number(run: str) -> str | None:
    """A run of Chinese numerals as a digit string (``"3.5"``, ``"105"``), or None if it is not a number."""
    whole, _, decimals = run.partition("点")
    if not any(ch in _ZH_DIGITS or ch in _ZH_UNITS for ch in whole):
        return None
    if len(whole) > 1 and all(ch in _ZH_DIGITS for ch in whole):
        value = int("".join(str(_ZH_DIGITS[ch]) for ch in whole))  # 一二三 → 123 (read digit by digit)
    else:
        total = section = number = 0
        for ch in whole:
            if ch in _ZH_DIGITS:
                number = _ZH_DIGITS[ch]
            elif ch in _ZH_UNITS:
                section += (number or 1) * _ZH_UNITS[ch]  # 十二: a bare 十 means 一十
                number = 0
            else:
                total += (section + number) * _ZH_BIG[ch]
                section = number = 0
        value = total + section + number
    if decimals:
        return f"{value}." + "".join(str(_ZH_DIGITS[ch]) for ch in decimals)
    return str(value)


def zh_numerals_to_digits(text: str) -> str:
    def convert(match: re.Match[str]) -> str:
        return zh_to_number(match.group(0)) or match.group(0)

    converted = _ZH_RUN.sub(convert, text)
    return _ZH_FRACTION.sub(lambda m: f"{m.group(2)}/{m.group(1)}", converted)  # 三分之二 → 2/3


# fmt: off
_EN_SMALL_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)
_EN_TENS_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# fmt: on
_EN_SMALL = {w: i for i, w in enumerate(_EN_SMALL_WORDS)}
_EN_TENS = {w: (i + 2) * 10 for i, w in enumerate(_EN_TENS_WORDS)}
_EN_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_EN_WORDS = _EN_SMALL | _EN_TENS | _EN_SCALES
_TOKENS = re.compile(r"[a-z]+|[^a-z]+")


def _en_value(words: list[str]) -> int:
    total = current = 0
    for word in words:
        if word == "hundred":
            current = (current or 1) * 100
        elif word in ("thousand", "million"):
            total += (current or 1) * _EN_SCALES[word]
            current = 0
        else:
            current += _EN_WORDS[word]
    return total + current


def en_numbers_to_digits(text: str) -> str:
    """Replace runs of English number words; "and" only continues a run after hundred/thousand."""
    tokens = _TOKENS.findall(text)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] not in _EN_WORDS:
            out.append(tokens[i])
            i += 1
            continue
        words = [tokens[i]]
        end = i
        j = i + 1
        while j + 1 < len(tokens) and tokens[j].strip(" -") == "":
            nxt = tokens[j + 1]
            if nxt in _EN_WORDS:
                words.append(nxt)
                end = j + 1
                j += 2
            elif (
                nxt == "and"
                and words[-1] in ("hundred", "thousand")
                and j + 3 < len(tokens)
                and tokens[j + 3] in _EN_WORDS
                and tokens[j + 2].strip(" -") == ""
            ):
                j += 2  # skip "and", keep the run going
            else:
                break
        out.append(str(_en_value(words)))
        i = end + 1
    return "".join(out)

"""Fold a message into the one form the lexicon is matched against.

Why a matching form at all: children (and people who target them) write the same word in many
shapes — full-width ``ｓｕｉｃｉｄｅ``, ``自 杀``, ``自*杀``, ``s-u-i-c-i-d-e``, ``自殺``, ``kiiiill``,
``zisha`` — and a lexicon can only list each term once. ``normalize`` is applied to the child's text
*and* to every lexicon term, so both sides land on the same spelling. It is never shown to anyone
and never stored; masking works on the original text.

The steps, in order. Each is a precompiled regex or a C-level string method guarded by a cheap test,
so 200 characters take ~6 µs (English) to ~12 µs (Chinese); there is no per-character Python loop.

1. Sentence enders (``。！？…``) become ``。``: a *hard* break that stays, so ``我想。死了的小鸟``
   cannot join two sentences into ``想死``. Common Chinese punctuation is replaced with str.replace
   first, which also keeps typical Chinese text NFKC-stable so the costly NFKC pass is rarely needed.
2. Soft separators (whitespace, ``, . ! ? ; : 、`` and full-width brackets/quotes) become a space;
   every other symbol, emoji, zero-width or format character and combining mark is *deleted*
   (``自*杀`` → ``自杀``, ``su*cide`` → ``suicide``, ``don't`` → ``dont``); ``@``/``$`` read as
   ``a``/``s`` (``r@pe``, ``$uicide``).
3. NFKC when the text is not already NFKC (full/half width, circled and mathematical letters);
   lower case; Cyrillic/Greek look-alike letters (``ѕuісіdе``) fold to Latin; traditional →
   simplified with OpenCC ``t2s`` — only when a traditional character is present (the character set
   is derived from OpenCC once at import).
4. Runs of three or more of the same character collapse to one (``自自自杀`` → ``自杀``,
   ``kiiiill`` → ``kill``; ``killllll`` → ``kil``, which the lexicon also indexes — see lexicon.py).
5. Three or more single letters/digits separated by spaces are joined (``s u i c i d e``,
   ``s.u.i.c.i.d.e`` → ``suicide``); digits inside Latin words are read as letters
   (``k1ll`` → ``kill``, ``5uicide`` → ``suicide``).
6. A small explicit table of homophones, pinyin and slang for the worst terms (``HOMOPHONES`` below).
7. A space *between two Chinese characters* is removed (``自 杀``, ``自.杀``, ``自，杀`` → ``自杀``).
   Latin words keep one space between them, so English terms match on word boundaries (``kill`` is
   not found in ``skill``), and a Chinese character next to a Latin one is a boundary as well.

What it deliberately does not do: join multi-letter chunks (``sui cide``) — that would glue ordinary
words together — or join across a sentence ender (``自。杀``); the tests pin both limits.
"""

from __future__ import annotations

import re
import unicodedata

import ahocorasick_rs
import opencc

__all__ = ["HOMOPHONES", "is_cjk", "normalize"]

_T2S = opencc.OpenCC("t2s")

# Chinese ideographs (basic, extension A, compatibility). Kana/Hangul are not joined: no lexicon terms.
_CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK_CLASS}]")

# 1. Hard breaks. The common Chinese punctuation is handled by a chain of str.replace (C speed, and
# it keeps typical Chinese text NFKC-stable so the costly NFKC pass is rare); the regex is the rest.
_BREAK = "\u3002"
_COMMON_PUNCT: tuple[tuple[str, str], ...] = (
    ("！", _BREAK),
    ("？", _BREAK),
    ("…", _BREAK),
    ("，", " "),
    ("、", " "),
    ("：", " "),
    ("；", " "),
    ("“", " "),
    ("”", " "),
    ("（", " "),
    ("）", " "),
    ("《", " "),
    ("》", " "),
    ("～", " "),
)
_BREAK_RE = re.compile("[\uff61\u203c\u2047\u2048\u2049]+")

# 3. Look-alike letters that NFKC leaves alone (Cyrillic and Greek, lower case).
_CONFUSABLES = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "з": "3",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "ѕ": "s",
        "ԁ": "d",
        "ӏ": "l",
        "ɡ": "g",
        "α": "a",
        "β": "b",
        "ε": "e",
        "η": "n",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
    }
)
_CONFUSABLE_CLASS = "\u0250-\u02af\u0370-\u03ff\u0400-\u052f"


def _class_from_codepoints(codepoints: list[int]) -> str:
    """A compact regex character class body (ranges) for a sorted list of code points."""
    parts: list[str] = []
    start = prev = codepoints[0]
    for cp in codepoints[1:]:
        if cp == prev + 1:
            prev = cp
            continue
        parts.append(_range(start, prev))
        start = prev = cp
    parts.append(_range(start, prev))
    return "".join(parts)


def _range(a: int, b: int) -> str:
    if a == b:
        return re.escape(chr(a))
    return f"{re.escape(chr(a))}-{re.escape(chr(b))}"


def _traditional_class() -> str:
    """Every ideograph OpenCC would change, found by converting each one in isolation (once, ~5 ms)."""
    chars = [chr(cp) for cp in range(0x3400, 0xA000)] + [chr(cp) for cp in range(0xF900, 0xFB00)]
    converted = _T2S.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - OpenCC keeps one line per input line
        raise RuntimeError("OpenCC t2s changed the line count; cannot derive the traditional set")
    return _class_from_codepoints([ord(c) for c, s in zip(chars, converted, strict=True) if c != s])


_TRAD_RE = re.compile(f"[{_traditional_class()}]")
# One scan finds either kind of rare character; the two folds run only when it does.
_RARE_RE = re.compile(f"[{_CONFUSABLE_CLASS}{_TRAD_RE.pattern[1:-1]}]")
_CONFUSABLE_RE = re.compile(f"[{_CONFUSABLE_CLASS}]")

# 2. Soft separators, and symbols deleted anywhere. Deleted: every BMP character in categories P*,
# S*, C* (control, format such as zero-width joiners, private use) and M* (combining marks), and all of
# plane 1 (emoji, pictographs) but its mathematical letters — except the soft separators, '@' and '$'
# (read as letters), whitespace, and the blocks NFKC folds into letters or ASCII (full-width forms,
# enclosed and letter-like symbols, CJK compatibility), which NFKC handles first.
_SOFT_CLASS = ",.!?;:\u3001\ufe50-\ufe55"
_KEEP = {"@", "$", _BREAK}
_NFKC_BLOCKS = ((0x2100, 0x214F), (0x2460, 0x24FF), (0x3200, 0x33FF), (0xFE50, 0xFE6F), (0xFF01, 0xFFEF))


def _deleted_class() -> str:
    soft = re.compile(f"[{_SOFT_CLASS}]")
    cps = []
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF or any(lo <= cp <= hi for lo, hi in _NFKC_BLOCKS):
            continue
        ch = chr(cp)
        if ch in _KEEP or ch.isspace() or soft.match(ch):
            continue
        if unicodedata.category(ch)[0] in "PSCM":
            cps.append(cp)
    return _class_from_codepoints(cps) + "\U00010000-\U0001d3ff\U0001d800-\U0001ffff\U000e0000-\U000e01ef"


_DELETED = _deleted_class()
_DELETE_RE = re.compile(f"[{_DELETED}]+")
_SOFT_RE = re.compile(f"[{_SOFT_CLASS}]+")
# One scan tells whether any of the three regex passes has work to do.
_ODD_RE = re.compile(f"[{_SOFT_CLASS}{_DELETED}{_BREAK_RE.pattern[1:-2]}]")
_LEET_SYMBOLS = str.maketrans({"@": "a", "$": "s"})
_SOFT_CHARS_SET = frozenset(",.!?;:\u3001")
# Only for the rare text that needed NFKC: ASCII punctuation it produced ("＊" -> "*", "⑴" -> "(1)").
_ASCII_SYMBOLS = re.compile(r"[!-/:-?\[-`{-~]")

# ASCII text (most English messages) takes one C-level pass: case, separators, deletions, @/$.
_ASCII_TABLE = str.maketrans(
    {
        **{chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)},
        **dict.fromkeys(",.!?;:\t\n\r\x0b\x0c", " "),
        **{chr(c): None for c in range(0x80) if not chr(c).isalnum() and chr(c) not in ",.!?;: \t\n\r\x0b\x0c@$"},
        "@": "a",
        "$": "s",
    }
)

# 7. A space between two ideographs (after separators became single spaces).
_CJK_GAP_RE = re.compile(f" (?=[{_CJK_CLASS}])(?<=[{_CJK_CLASS}] )")

# 4. Runs of 3+ of one character.
_RUN_RE = re.compile(r"(.)\1\1+")

# 5. Single letters/digits spaced out, and digits used as letters inside Latin words.
_SPACED_PREFILTER = re.compile(r" [a-z0-9] [a-z0-9](?![a-z0-9])")
_SPACED_RE = re.compile(r"(?<![a-z0-9])[a-z0-9](?: [a-z0-9]){2,}(?![a-z0-9])")
_LEET_WORD_RE = re.compile(r"(?<![a-z0-9])(?=[a-z0-9]*[a-z])[a-z0-9]*[0-9][a-z0-9]*")
_LEET_DIGITS = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g"})
_HAS_DIGIT = re.compile(r"[0-9]")

# 6. Homophones, pinyin and slang for the worst terms: written out, reviewed, small on purpose.
# Keys are in the form the earlier steps produce. Latin keys only match as whole words.
HOMOPHONES: dict[str, str] = {
    # 自杀 (suicide): pinyin and the internet spellings that dodge filters
    "zisha": "自杀",
    "zi sha": "自杀",
    "紫砂": "自杀",  # not before 壶/锅/茶/杯…: 紫砂壶 is a teapot (see _HOMOPHONE_NOT_BEFORE)
    "紫杀": "自杀",
    "自鲨": "自杀",
    "自刹": "自杀",
    # 自残 (self-injury), 割腕 (cutting wrists), 跳楼 (jumping from a building)
    "zican": "自残",
    "zi can": "自残",
    "自惨": "自残",
    "自蚕": "自残",
    "gewan": "割腕",
    "ge wan": "割腕",
    "割碗": "割腕",
    "tiaolou": "跳楼",
    "tiao lou": "跳楼",
    # 我想死 / 不想活了 / 去死
    "woxiangsi": "我想死",
    "wo xiang si": "我想死",
    "wo xiangsi": "我想死",
    "buxianghuole": "不想活了",
    "bu xiang huo le": "不想活了",
    "buxiang huole": "不想活了",
    "不想或了": "不想活了",
    "qusi": "去死",
    "qu si": "去死",
    "鲨了你": "杀了你",
    # Chinese abbreviations of insults
    "shabi": "傻逼",
    "sha bi": "傻逼",
    "nmsl": "你妈死了",
    "cnm": "操你妈",
    "tmd": "他妈的",
    # English algospeak and common misspellings
    "kms": "kill myself",  # not after a number: "5 kms" is a distance
    "kys": "kill yourself",
    "unalive": "kill",
    "unalived": "killed",
    "unaliving": "killing",
    "sewerslide": "suicide",
    "sewer slide": "suicide",
    "self delete": "suicide",
    "selfdelete": "suicide",
    "sucide": "suicide",
    "suiside": "suicide",
    "suicde": "suicide",
    "suiscide": "suicide",
    "seggs": "sex",
    "secks": "sex",
}
_HOMOPHONE_NOT_BEFORE = {"紫砂": frozenset("壶锅陶茶杯泥器盆艺土罐")}
_HOMOPHONE_KEYS = list(HOMOPHONES)
_HOMOPHONE_AC = ahocorasick_rs.AhoCorasick(_HOMOPHONE_KEYS, matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST)
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def is_cjk(text: str) -> bool:
    """True when the text contains a Chinese character (used to pick the language of placeholders)."""
    return _CJK_RE.search(text) is not None


def _join_spaced(match: re.Match[str]) -> str:
    return match.group().replace(" ", "")


def _leet_word(match: re.Match[str]) -> str:
    return match.group().translate(_LEET_DIGITS)


_QUANTITIES = frozenset(
    [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "twenty",
        "thirty",
        "fifty",
        "hundred",
        "thousand",
        "few",
        "many",
        "several",
        "some",
        "more",
        "less",
        "of",
    ]
)


def _after_quantity(text: str, start: int) -> bool:
    """True when the word before ``start`` is a number ("5 kms", "five kms": kilometres)."""
    before = text[:start].rstrip().rsplit(" ", 1)[-1]
    return before.isdigit() or before in _QUANTITIES


def _replace_homophones(text: str) -> str:
    found = _HOMOPHONE_AC.find_matches_as_indexes(text)
    if not found:
        return text
    out: list[str] = []
    last = 0
    for idx, start, end in found:
        key = _HOMOPHONE_KEYS[idx]
        if key[0] in _ALNUM:
            # Latin keys: whole words only, and "kms" after a number is kilometres.
            if start > 0 and text[start - 1] in _ALNUM:
                continue
            if end < len(text) and text[end] in _ALNUM:
                continue
            if key == "kms" and _after_quantity(text, start):
                continue
        else:
            not_before = _HOMOPHONE_NOT_BEFORE.get(key)
            if not_before and end < len(text) and text[end] in not_before:
                continue
        out.append(text[last:start])
        out.append(HOMOPHONES[key])
        last = end
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def normalize(text: str) -> str:
    """Return the matching form of ``text`` (see the module docstring for every step and why)."""
    if text.isascii():
        t = text.translate(_ASCII_TABLE)
    else:
        t = text
        for old, new in _COMMON_PUNCT:
            if old in t:
                t = t.replace(old, new)
        if _ODD_RE.search(t) is not None:
            t = _BREAK_RE.sub(_BREAK, t)
            t = _SOFT_RE.sub(" ", t)
            t = _DELETE_RE.sub("", t)
        if not unicodedata.is_normalized("NFKC", t):
            t = unicodedata.normalize("NFKC", t)
            t = _ASCII_SYMBOLS.sub(_nfkc_symbol, t)
        t = t.lower()
        if _RARE_RE.search(t) is not None:
            if _CONFUSABLE_RE.search(t) is not None:
                t = t.translate(_CONFUSABLES)
            if _TRAD_RE.search(t) is not None:
                t = _T2S.convert(t)
        if "@" in t or "$" in t:
            t = t.translate(_LEET_SYMBOLS)
    t = " ".join(t.split())
    t = _RUN_RE.sub(r"\1", t)
    if _SPACED_PREFILTER.search(t) is not None:
        t = _SPACED_RE.sub(_join_spaced, t)
    if _HAS_DIGIT.search(t) is not None:
        t = _LEET_WORD_RE.sub(_leet_word, t)
    t = _replace_homophones(t)
    # Last, so that Chinese produced by the homophone table is joined too ("zi sha 自杀").
    if " " in t and not t.isascii():
        t = _CJK_GAP_RE.sub("", t)
        if _BREAK in t:
            t = t.replace(" " + _BREAK, _BREAK).replace(_BREAK + " ", _BREAK)
    return t


def _nfkc_symbol(match: re.Match[str]) -> str:
    """After NFKC: ASCII punctuation it produced is a separator or deleted like any other symbol."""
    ch = match.group()
    if ch in _SOFT_CHARS_SET:
        return " "
    return ch if ch in "@$" else ""

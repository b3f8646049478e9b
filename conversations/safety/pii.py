"""Personal information in a child's message: find it, and mask it before storage and before any LLM.

Why: a child does not know that a phone number, an ID number or "阳光小学三年级二班" lets a stranger
find them. The pipeline stores and forwards only the masked text.

What counts (``PiiHit.kind``):

- ``phone``: Chinese mobile numbers, 1[3-9]x + 8 digits, with spaces or dashes, optional +86/0086;
  North American numbers written as phone numbers are written — (415) 555-0123, 415-555-0123,
  415.555.0123, +1 415 555 0123 — with their separators (ten bare digits may be a sum's answer).
- ``id_card``: 18-digit resident ID numbers (GB 11643) with a valid date and **checksum** — an
  18-digit number whose check digit is wrong is not an ID number (it may be an order number).
- ``email``.
- ``qq``: 5–11 digits introduced by QQ/扣扣/企鹅 (optionally 号/号码/是/:). Only the number is masked.
- ``wechat``: an id introduced by 微信/vx/wx/weixin/wechat — with 是/:/号 in between, or an id that
  contains a digit, ``_`` or ``-`` (so "I use WeChat because…" keeps "because").
- ``address``: Chinese street + number (建国路88号), estate + building/unit/room (幸福小区3栋2单元501室),
  or an introduction (我家住在/地址是/家住 …) followed by a place with an administrative or street
  word; English "12 Baker Street" shapes and "my address is / I live at …" followed by a number.
- ``school_class``: a named school together with a grade and class, in either order and anywhere
  in the message (阳光小学 + 三年级二班; "Greenwood Primary School" + "year 3 class 2"). A class
  alone (every school has a 三年级二班) or a school alone is not masked: the pair is what narrows it
  down to one classroom.

Masking: each hit becomes a placeholder in the message's own language (``MASKS``): Chinese text gets
``[电话]``, ``[身份证号]``…, other text ``[phone]``, ``[ID number]``… — readable by the parent and by the
LLM ("my number is [phone]") without the value.

Speed: one small Aho-Corasick pass finds the keywords (QQ, 微信, 路, 小区, 班, school, address, @…) that
open each detector, and the regexes are anchored on rare literals (路/小区/小学 and digits; names are
walked left from the anchor in Python), so a message with no digits and no keyword costs ~3 µs.
"""

from __future__ import annotations

import re
from datetime import date

import ahocorasick_rs

from .normalize import is_cjk
from .types import PiiHit

__all__ = ["MASKS", "find_pii", "id_card_valid", "mask_pii"]

MASKS: dict[str, tuple[str, str]] = {  # kind -> (Chinese placeholder, English placeholder)
    "phone": ("[电话]", "[phone]"),
    "id_card": ("[身份证号]", "[ID number]"),
    "email": ("[邮箱]", "[email]"),
    "qq": ("[QQ号]", "[QQ]"),
    "wechat": ("[微信号]", "[WeChat]"),
    "address": ("[地址]", "[address]"),
    "school_class": ("[学校班级]", "[school]"),
}
# When two hits overlap, the more specific one names the merged span.
_PRIORITY = {"id_card": 0, "phone": 1, "email": 2, "qq": 3, "wechat": 4, "school_class": 5, "address": 6}

# Full-width digits/letters/@/+ -> ASCII, one character for one, so offsets in the folded text are
# offsets in the original. Only done when such a character is present (full-width punctuation, common
# in Chinese, does not matter to any detector).
_WIDTH = str.maketrans({**{chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}, "\u3000": " "})
_FULLWIDTH_RE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff20\uff0b]")
_DIGIT_RE = re.compile("[0-9]")

_NUM = "[0-9一二三四五六七八九十百零〇两]+"
# Characters of a place or school name: Chinese characters that are not common function words, so
# "我家在北京市…" yields "北京市…" rather than swallowing "我家在". Names are found by walking left
# from an anchor (路/街/小区/小学…), which keeps every regex anchored on a rare literal: fast.
_NOT_NAME = frozenset("我你他她它在是住的了到去从和跟叫说就也都很上读念")
_NAME_MAX = 12

# -- phone, ID, QQ (found inside runs of digits) -------------------------------------------------------
_DIGIT_RUN_RE = re.compile(r"[0-9](?:[ -]?[0-9]){4,}")
_PHONE_RE = re.compile(r"(?<![0-9])(?:(?:\+|00)86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]){8}(?![0-9])")
_NANP_RE = re.compile(
    r"(?<![0-9])(?:\+?1[ .-]?)?(?:\([2-9][0-9]{2}\) ?|[2-9][0-9]{2}[ .-])[2-9][0-9]{2}[ .-][0-9]{4}(?![0-9])"
)
_ID_RE = re.compile(
    r"(?<![0-9])[1-9][0-9]{5}[ -]?(?:18|19|20)[0-9]{2}[01][0-9][0-3][0-9][ -]?[0-9]{3}[0-9Xx](?![0-9A-Za-z])"
)
_QQ_RE = re.compile(
    r"(?:(?<![a-z])qq|扣扣|企鹅)\s*(?:号码|号|账号|id)?\s*(?:是|为|[:：=])?\s*([1-9][0-9]{4,10})(?![0-9])"
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# -- e-mail, WeChat (matched on the lower-cased text) -------------------------------------------------
# The domain is matched from each '@'; the local part is walked left from it (cheaper than a regex
# that could start anywhere).
_EMAIL_DOMAIN_RE = re.compile(r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_WECHAT_KEYWORDS = ("微信", "威信", "薇信", "v信", "vx", "wx", "weixin", "wechat")
_WECHAT_RE = re.compile(
    r"(?:微信|威信|薇信|v信|(?<![a-z])(?:vx|wx|weixin|wechat))\s*(?:号码|号|账号|id)?\s*(是|为|[:：=]|is(?=\s))?\s*"
    r"([a-z][-_a-z0-9]{5,19})(?![-_a-z0-9])"
)

# -- addresses -----------------------------------------------------------------------------------------
_UNIT = "(?:号楼|栋|幢|座|单元|楼|层|室|号|户)"
_ZH_STREET_RE = re.compile(f"(?:大街|大道|路|街|巷|胡同|弄)\\s*{_NUM}\\s*[号弄](?:院)?(?:\\s*{_NUM}\\s*{_UNIT})*")
_ZH_ESTATE_RE = re.compile(f"(?:小区|花园|公寓|新村|家园|苑|大厦|社区|村)\\s*(?:{_NUM}\\s*{_UNIT}\\s*)+")
_ZH_INTRO_RE = re.compile(
    r"(?:我家住在|我家住|我住在|我家在|家住在|家住|住址是|住址|家庭住址是|家庭地址是|家庭地址|地址是)"
    r"\s*[:：]?\s*([^\s，。！？,.!?；;]{2,30})"
)
_NOT_HOME = ("网站", "网页", "网址", "邮箱", "邮件", "链接")  # 网站地址是… is not where anyone lives
_ZH_PLACE_WORD = re.compile("[省市区县镇乡村路街巷弄号楼栋幢室]|小区|花园|公寓|家园|胡同")

_EN_STREET_RE = re.compile(
    r"[0-9](?<![a-z0-9][0-9])[0-9]{0,4}[a-z]?(?:\s+[a-z][a-z'.-]*){1,3}\s+"
    r"(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|court|ct|way|place|pl|close|crescent|"
    r"terrace|grove|gardens|square|sq)\b\.?"
)
_EN_INTRO_RE = re.compile(r"\b(?:my (?:home )?address is|i live (?:at|on))\s*:?\s+([^.!?\n,;]{3,60})")

# -- school + class ----------------------------------------------------------------------------------
_ZH_SCHOOL_RE = re.compile("实验学校|外国语学校|小学|中学|初中|高中|学校|附小|完小")
# Searched only in the few characters before each 班 (endpos = just after it), so it stays cheap.
_ZH_CLASS_RE = re.compile(
    f"(?:(?:{_NUM}\\s*年级|[初高][一二三])\\s*(?:的)?\\s*(?:{_NUM}\\s*|[(（]\\s*{_NUM}\\s*[)）]\\s*)"
    f"|{_NUM}\\s*[(（]\\s*{_NUM}\\s*[)）]\\s*)班$"
)
_CLASS_WINDOW = 16
_EN_SCHOOL_RE = re.compile(r"\b(?:school|academy)\b")
_SCHOOL_KINDS = frozenset(
    {"primary", "elementary", "middle", "junior", "infant", "grammar", "prep", "international", "high"}
)
_WORD_RE = re.compile(r"[A-Za-z'’-]+")
_NOT_SCHOOL_NAME = frozenset(
    [
        "i",
        "im",
        "i'm",
        "in",
        "at",
        "to",
        "the",
        "a",
        "an",
        "my",
        "our",
        "your",
        "go",
        "goes",
        "went",
        "is",
        "am",
        "are",
        "was",
        "of",
        "from",
        "and",
    ]
)
_EN_CLASS_RE = re.compile(
    r"\b(?:year|grade|yr|form|class)\s*[0-9]{1,2}[a-z]?\b(?:\s*,?\s*(?:class|room|form)\s*[0-9a-z]{1,3}\b)?"
)


# One Aho-Corasick pass over the lower-cased text tells which detectors have anything to look at.
_GATES: dict[str, tuple[str, ...]] = {
    "qq": ("qq", "扣扣", "企鹅"),
    "wechat": _WECHAT_KEYWORDS,
    "zh_street": ("路", "街", "巷", "弄", "胡同"),
    "zh_estate": ("小区", "花园", "公寓", "新村", "家园", "苑", "大厦", "社区", "村"),
    "zh_intro": ("住", "地址", "家在"),
    "zh_class": ("班",),
    "en_intro": ("address", "live at", "live on"),
    "en_school": ("school", "academy"),
    "email": ("@",),
}
_GATE_KEYS = [(k, gate) for gate, keys in _GATES.items() for k in keys]
_GATE_AC = ahocorasick_rs.AhoCorasick([k for k, _ in _GATE_KEYS], matchkind=ahocorasick_rs.MATCHKIND_STANDARD)


def _open_gates(low: str) -> set[str]:
    return {_GATE_KEYS[i][1] for i, _s, _e in _GATE_AC.find_matches_as_indexes(low, overlapping=True)}


def id_card_valid(digits: str) -> bool:
    """GB 11643 check: 17 digits, a real date of birth, and the check character."""
    if len(digits) != 18 or not digits[:17].isdigit():
        return False
    try:
        born = date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return False
    if born.year < 1890 or born > date.today():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == digits[17].upper()


def _strip_separators(s: str) -> str:
    return s.replace(" ", "").replace("-", "")


def _name_start(t: str, end: int, minimum: int = 1) -> int | None:
    """Walk left from ``end`` over name characters; None when fewer than ``minimum`` were found."""
    i = end
    floor = max(0, end - _NAME_MAX)
    while i > floor and "\u4e00" <= t[i - 1] <= "\u9fff" and t[i - 1] not in _NOT_NAME:
        i -= 1
    return i if end - i >= minimum else None


def find_pii(text: str) -> list[PiiHit]:
    """Every piece of personal information in ``text``: non-overlapping, in order of position."""
    if not text:
        return []
    t = text
    if not t.isascii() and _FULLWIDTH_RE.search(t) is not None:
        t = t.translate(_WIDTH)
    low = t.lower()
    if len(low) != len(t):  # a few characters lower-case to two; keep offsets exact
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in t)
    hits: list[PiiHit] = []
    gates = _open_gates(low)
    has_digit = _DIGIT_RE.search(t) is not None

    if has_digit:
        runs = [(m.start(), m.end()) for m in _DIGIT_RUN_RE.finditer(t)]
        for start, end in runs:
            stop = min(len(t), end + 1)  # the ID check character may be an X
            for m in _ID_RE.finditer(t, start, stop):
                if id_card_valid(_strip_separators(m.group())):
                    hits.append(PiiHit("id_card", m.start(), m.end()))
            # from one character earlier: a "+86" prefix starts with "+"
            hits.extend(PiiHit("phone", m.start(), m.end()) for m in _PHONE_RE.finditer(t, max(0, start - 1), end))
        hits.extend(PiiHit("phone", m.start(), m.end()) for m in _NANP_RE.finditer(t))
        if runs and "qq" in gates:
            hits.extend(PiiHit("qq", m.start(1), m.end(1)) for m in _QQ_RE.finditer(low))
        hits.extend(PiiHit("address", m.start(), m.end()) for m in _EN_STREET_RE.finditer(low))
        if "en_school" in gates:
            hits.extend(_en_school_class(t, low))

    if "email" in gates:
        hits.extend(_emails(t))
    if "wechat" in gates:
        for m in _WECHAT_RE.finditer(low):
            ident = m.group(2)
            if m.group(1) or any(c in ident for c in "0123456789_-"):
                hits.append(PiiHit("wechat", m.start(2), m.end(2)))
    if "zh_street" in gates:
        hits.extend(_named(t, _ZH_STREET_RE, "address", 1))
    if "zh_estate" in gates:
        hits.extend(_named(t, _ZH_ESTATE_RE, "address", 1))
    if "zh_intro" in gates:
        for m in _ZH_INTRO_RE.finditer(t):
            if _ZH_PLACE_WORD.search(m.group(1)) and t[max(0, m.start() - 2) : m.start()] not in _NOT_HOME:
                hits.append(PiiHit("address", m.start(1), m.end(1)))
    if "zh_class" in gates:
        hits.extend(_zh_school_class(t))
    if "en_intro" in gates:
        for m in _EN_INTRO_RE.finditer(low):
            if any(c.isdigit() for c in m.group(1)):
                hits.append(PiiHit("address", m.start(1), m.end(1)))
    return _merge(hits)


def _emails(t: str) -> list[PiiHit]:
    out = []
    for m in _EMAIL_DOMAIN_RE.finditer(t):
        start = m.start()
        floor = max(0, start - 64)
        while start > floor and t[start - 1] in _EMAIL_LOCAL:
            start -= 1
        if start < m.start():
            out.append(PiiHit("email", start, m.end()))
    return out


def _named(t: str, anchor: re.Pattern[str], kind: str, minimum: int) -> list[PiiHit]:
    """Anchor matches extended left over the place or school name before them."""
    out = []
    for m in anchor.finditer(t):
        start = _name_start(t, m.start(), minimum)
        if start is not None:
            out.append(PiiHit(kind, start, m.end()))
    return out


def _zh_school_class(t: str) -> list[PiiHit]:
    """A named school (≥2 characters before 小学/中学/学校…) and a grade + class in the same message."""
    classes = []
    i = t.find("班")
    while i != -1:
        m = _ZH_CLASS_RE.search(t, max(0, i - _CLASS_WINDOW), i + 1)
        if m is not None:
            classes.append(PiiHit("school_class", m.start(), m.end()))
        i = t.find("班", i + 1)
    if not classes:
        return []
    schools = _named(t, _ZH_SCHOOL_RE, "school_class", 2)
    return schools + classes if schools else []


def _en_school_name_start(t: str, end: int) -> int | None:
    """Where the name before "school" starts: words back to a small function word (or capitalised
    words only, when no kind of school is named), at most four."""
    words = list(_WORD_RE.finditer(t, max(0, end - 60), end))
    if not words or t[words[-1].end() : end].strip():
        return None
    kind = words[-1].group().lower() in _SCHOOL_KINDS
    start = None
    for w in reversed(words[-4:]):
        word = w.group()
        if word.lower() in _NOT_SCHOOL_NAME or not (kind or word[0].isupper()):
            break
        start = w.start()
    return start


def _en_school_class(t: str, low: str) -> list[PiiHit]:
    """A named school ("Greenwood Primary School") and a year/grade/class in the same message."""
    classes = [PiiHit("school_class", m.start(), m.end()) for m in _EN_CLASS_RE.finditer(low)]
    if not classes:
        return []
    schools = []
    for m in _EN_SCHOOL_RE.finditer(low):
        start = _en_school_name_start(t, m.start())
        if start is not None:
            schools.append(PiiHit("school_class", start, m.end()))
    return schools + classes if schools else []


def _merge(hits: list[PiiHit]) -> list[PiiHit]:
    """Overlapping or touching hits become one span named after the most specific kind."""
    if len(hits) <= 1:
        return hits
    hits.sort(key=lambda h: (h.start, -h.end))
    out: list[PiiHit] = []
    for h in hits:
        if out and h.start <= out[-1].end:
            last = out[-1]
            kind = last.kind if _PRIORITY[last.kind] <= _PRIORITY[h.kind] else h.kind
            out[-1] = PiiHit(kind, last.start, max(last.end, h.end))
        else:
            out.append(h)
    return out


def mask_pii(text: str, hits: list[PiiHit] | tuple[PiiHit, ...]) -> str:
    """``text`` with every hit replaced by its placeholder, in the text's language (see ``MASKS``)."""
    if not hits:
        return text
    lang = 0 if is_cjk(text) else 1
    parts: list[str] = []
    last = 0
    for h in sorted(hits, key=lambda h: h.start):
        if h.start < last:  # overlapping input (not from find_pii): the earlier placeholder covers it
            last = max(last, h.end)
            continue
        parts.append(text[last : h.start])
        parts.append(MASKS[h.kind][lang])
        last = h.end
    parts.append(text[last:])
    return "".join(parts)

"""Turn a child's message into a small math tree: number words → digits, operator words → symbols, then a
recursive-descent parser over digits, + - × ÷ * /, parentheses and one unknown (x, y, □, ( ), ?).

Why a parser of our own and never ``eval``: the input is a child's free text. The grammar accepted here is
tiny and every number is a ``Fraction``; anything else is rejected as unsupported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from .numerals import en_numbers_to_digits, zh_numerals_to_digits
from .textutil import normalise

MAX_SEGMENT = 120
MAX_TOKENS = 60
MAX_DIGITS = 15
MAX_DEPTH = 20


class Unsupported(Exception):
    """Something we do not solve (two unknowns, x², a dangling operator...)."""


# --- tree -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Num:
    value: Fraction
    fraction_literal: bool = False  # written as a fraction ("1/2"), shown as one


@dataclass(frozen=True)
class Var:
    symbol: str


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class Group:
    inner: Node  # parentheses the child wrote; kept in the working until their inside is one number


@dataclass(frozen=True)
class Bin:
    op: str  # "+", "-", "×", "÷"
    left: Node
    right: Node


Node = Num | Var | Neg | Group | Bin


# --- from words to a math segment -------------------------------------------------------------------------
_ZH_OPERATOR_WORDS = (
    ("等于几", "=?"),
    ("等于多少", "=?"),
    ("得几", "=?"),
    ("得多少", "=?"),
    ("是多少", "=?"),
    ("是几", "=?"),
    ("乘以", "×"),
    ("乘上", "×"),
    ("乘", "×"),
    ("除以", "÷"),
    ("加上", "+"),
    ("加", "+"),
    ("减去", "-"),
    ("减", "-"),
    ("等于", "="),
)
_EN_OPERATOR_WORDS = (
    (re.compile(r"\bmultiplied by\b|\bmultiply by\b|\btimes\b"), " × "),
    (re.compile(r"\bdivided by\b|\bdivide by\b"), " ÷ "),
    (re.compile(r"\bplus\b|\badd\b"), " + "),
    (re.compile(r"\bminus\b|\btake away\b|\btakeaway\b"), " - "),
    (re.compile(r"\bequals\b|\bis equal to\b|\bequal\b"), " = "),
)
_EMPTY_BOX = re.compile(r"\(\s*\)|_{2,}|□|▢|☐")
_WORDS = re.compile(r"[a-z]{2,}|[a-wz]")  # words (and single letters other than x, y) separate segments
_SEGMENT = re.compile(r"[0-9.+\-×÷*/()=□?xy\s]+")
_RANGE_UNITS = "年岁月日号点页级天周次班"


def _prepare(text: str) -> str:
    t = normalise(text).replace("·", "×").replace("•", "×")
    for word, symbol in _ZH_OPERATOR_WORDS:
        t = t.replace(word, symbol)
    t = zh_numerals_to_digits(t)
    for pattern, symbol in _EN_OPERATOR_WORDS:
        t = pattern.sub(symbol, t)
    t = en_numbers_to_digits(t)
    t = _EMPTY_BOX.sub("□", t)
    t = _chain(t)
    t = _UNHANDLED.sub(f" {UNHANDLED} ", t)
    return _WORDS.sub(" | ", t)


# --- chained operations: "950/19的商再乘159", "3加5的和乘2", "12 divided by 4, then times 5" ---------
# "A的和/差/积/商" is the result of the additive (和, 差) or multiplicative (积, 商) chain just before it;
# "再/然后/then op B" applies op to everything computed so far. Both become parentheses. A chained
# operation we cannot read ("的平方", "的一半", "squared") leaves a marker, and the question is then
# declined as a whole rather than answered in part.
UNHANDLED = "¿"
_RESULT_OPS = {"和": "+", "差": "-", "积": "×", "商": "÷"}
_FAMILY = {"+": "+-", "-": "+-", "×": "×÷/*", "÷": "×÷/*"}
_NUM = r"\d+(?:\.\d+)?"
_PAIR = re.compile(rf"({_NUM})\s*(?:和|与|跟)\s*({_NUM})\s*的\s*([和差积商])")
_EN_PAIR = re.compile(rf"\b(?:the\s+)?(sum|difference|product|quotient)\s+of\s+({_NUM})\s+and\s+({_NUM})")
_EN_RESULT_OPS = {"sum": "+", "difference": "-", "product": "×", "quotient": "÷"}
_RESULT = re.compile(r"\s*的\s*(?:([和差积商])|结果|得数)")
_THEN = re.compile(r"(?<=[\d)□])\s*,?\s*(?:然后再|然后|接着|之后再|之后|再|\band then\b|\bthen\b)\s*(?=[+\-×÷*/])")
_UNHANDLED = re.compile(
    r"平方根|平方|立方|次方|根号|开方|倍|一半|百分之|%|"
    r"\b(?:squared|cubed|square root|root|power|percent|half|double|doubled|twice|then)\b"
)


def _chain(t: str) -> str:
    if not any(word in t for word in ("的", "再", "然后", "接着", "之后", "then", " of ")):
        return t  # the common case: nothing chained, nothing to do
    t = _PAIR.sub(lambda m: f"({m.group(1)}{_RESULT_OPS[m.group(3)]}{m.group(2)})", t)
    t = _EN_PAIR.sub(lambda m: f"({m.group(2)}{_EN_RESULT_OPS[m.group(1)]}{m.group(3)})", t)
    t = _group_before(t, _RESULT, lambda found: _FAMILY[_RESULT_OPS[found.group(1)]] if found.group(1) else None)
    return _group_before(t, _THEN, lambda found: None)


def _group_before(t: str, marker: re.Pattern[str], family: Callable[[re.Match[str]], str | None]) -> str:
    """Replace each ``marker`` by parentheses around the operation just before it."""
    pos = 0
    while (found := marker.search(t, pos)) is not None:
        start = _operand_chain_start(t, found.start(), family(found))
        if start is None:  # nothing to take the result of: left as it is (and declined later)
            pos = found.end()
            continue
        grouped = _grouped(t[start : found.start()])
        t = t[:start] + grouped + t[found.end() :]
        pos = start + len(grouped)
    return t


def _grouped(run: str) -> str:
    run = run.strip()
    return run if _enclosed(run) else f"({run})"


def _enclosed(run: str) -> bool:
    """``(…)`` with its first parenthesis closed by its last one."""
    if not (run.startswith("(") and run.endswith(")")):
        return False
    depth = 0
    for i, ch in enumerate(run):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and i < len(run) - 1:
            return False
    return True


def _operand_chain_start(t: str, end: int, family: str | None) -> int | None:
    """Where the math ending at ``end`` starts: operands joined by operators of ``family`` (all of the
    run's operators when None). None if there is no operation there to take the result of."""
    i = end
    start = None
    operators = 0
    while True:
        while i > 0 and t[i - 1] == " ":
            i -= 1
        atom = _atom_start(t, i)
        if atom is None:
            break
        start = i = atom
        j = i
        while j > 0 and t[j - 1] == " ":
            j -= 1
        if j > 0 and t[j - 1] in (family or "+-×÷*/"):
            operators += 1
            i = j - 1
            continue
        break
    if start is None or (operators == 0 and not _enclosed(t[start:end].strip())):
        return None
    return start


def _atom_start(t: str, end: int) -> int | None:
    """The start of the number, unknown or parenthesised group that ends at ``end``."""
    if end == 0:
        return None
    if t[end - 1] == ")":
        depth = 0
        for i in range(end - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(t[i], 0)
            if depth == 0:
                return i
        return None
    i = end
    while i > 0 and (t[i - 1].isdigit() or t[i - 1] == "."):
        i -= 1
    if i == end:
        return end - 1 if t[end - 1] in "□xy" else None
    return i


def _clean(segment: str) -> str:
    seg = segment.strip()
    while seg and seg[-1] in "?.= ":
        seg = seg[:-1].rstrip()
    while seg and seg[0] in ".=":
        seg = seg[1:].lstrip()
    return seg.replace("?", "□")


def _is_problem(seg: str, following: str) -> bool:
    if not any(ch.isdigit() for ch in seg):
        return False
    operators = sum(seg.count(op) for op in "+-×÷*/")
    has_unknown = any(ch in seg for ch in "□xy")
    if "=" in seg:
        return operators > 0 or has_unknown
    if operators == 0 and not re.search(r"\d\s*[xy]\s*\d", seg):
        return False
    if re.fullmatch(r"\d+\s*-\s*\d+", seg) and following[:1] and following[0] in _RANGE_UNITS:
        return False  # "1-2年级", "5-6岁": a range, not a subtraction
    return not _DATE.fullmatch(seg)


_DATE = re.compile(r"\d+/\d+/\d+|\d{4}-\d{1,2}-\d{1,2}")
# "3+5=? 4+6=?": a question mark ends a question when more math follows it.
_NEXT_QUESTION = re.compile(r"(?<=\?)\s*(?=[\d(.])")


@dataclass(frozen=True)
class Found:
    """The math problem in a message. ``whole`` is False when the message holds more math than it: a
    second problem, an operation left over ("…再乘159" that we could not attach), or an operation we do
    not do ("的平方", "squared"). Such a question is declined, never answered in part."""

    segment: str
    whole: bool


def locate(text: str) -> Found | None:
    """The math problem inside ``text`` in our small grammar (e.g. ``"3+5"``, ``"□+5=9"``), or None."""
    prepared = _prepare(text)
    problems: list[tuple[str, int, int]] = []  # the problem and the span of text it was read from
    leftover = False
    for match in _SEGMENT.finditer(prepared):
        following = prepared[match.end() :].lstrip()
        pieces = _NEXT_QUESTION.split(match.group(0))
        cursor = match.start()
        for piece in pieces:
            start = prepared.index(piece, cursor)
            cursor = start + len(piece)
            seg = _clean(piece)
            if not seg or len(seg) > MAX_SEGMENT:
                leftover = leftover or len(seg) > MAX_SEGMENT
                continue
            if _is_problem(seg, following if piece is pieces[-1] else ""):
                problems.append((seg, start, cursor))
                if piece is pieces[-1] and following.startswith("的"):
                    leftover = True  # "3+5的平方": something is done with the result that we did not read
            elif _has_operation(seg) and not _DATE.fullmatch(seg) and not _is_range(seg, following):
                leftover = True  # a dangling operation: "×159"
    if not problems:
        return None
    best, start, end = max(problems, key=lambda problem: len(problem[0]))
    outside = _CONTEXT_SPANS.sub(" ", f"{prepared[:start]} {prepared[end:]}")
    stray = any(_is_operand(match, outside) for match in _NUMBER.finditer(outside))
    whole = len(problems) == 1 and not leftover and not stray and UNHANDLED not in prepared
    return Found(best, whole)


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Dates and ranges ("2024-05-01", "1-2年级") outside the problem are context, whatever follows them.
_CONTEXT_SPANS = re.compile(r"\d+/\d+/\d+|\d{4}-\d{1,2}-\d{1,2}|\d+\s*-\s*\d+(?=\s*[" + _RANGE_UNITS + "])")
# After a number, these make it context rather than an operand: "8岁", "第3题", "5个苹果", "一下".
_CONTEXT_AFTER = frozenset(_RANGE_UNITS + "题下个只本张道位名")


def _is_operand(match: re.Match[str], text: str) -> bool:
    """A number outside the problem that the question may still need ("100减去3个7": the 7): only a
    number that reads as a count, an age, a date or an ordinal ("7 years", "第3题") is context."""
    after = text[match.end() :].lstrip()[:1]
    before = text[: match.start()].rstrip()[-1:]
    # ``_prepare`` turns a Latin word it does not read into "|": "I am 7 years old" is "7 |".
    return not (after in _CONTEXT_AFTER or after == "|" or before == "第")


def _has_operation(seg: str) -> bool:
    return any(ch.isdigit() for ch in seg) and any(op in seg for op in "+-×÷*/")


def _is_range(seg: str, following: str) -> bool:
    return bool(re.fullmatch(r"\d+\s*-\s*\d+", seg)) and following[:1] in tuple(_RANGE_UNITS)


def find_problem(text: str) -> str | None:
    """The math problem inside ``text`` (see :func:`locate`), or None."""
    found = locate(text)
    return found.segment if found else None


# --- tokens and parser ------------------------------------------------------------------------------------
_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?|\.\d+)|([+\-×÷*/()=])|([xy□]))")


def tokenise(seg: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(seg):
        match = _TOKEN.match(seg, pos)
        if not match:
            if seg[pos:].strip() == "":
                break
            raise Unsupported(seg[pos:])
        pos = match.end()
        number, op, var = match.groups()
        if number is not None:
            if len(number.replace(".", "")) > MAX_DIGITS:
                raise Unsupported("number too long")
            tokens.append(("num", number))
        elif op is not None:
            tokens.append(("op", {"*": "×"}.get(op, op)))
        else:
            tokens.append(("var", var))
    # "3 x 4" / "3x4": an x between two numbers is a times sign.
    for i, (kind, value) in enumerate(tokens):
        between_numbers = 0 < i < len(tokens) - 1 and tokens[i - 1][0] == tokens[i + 1][0] == "num"
        if kind == "var" and value == "x" and between_numbers:
            tokens[i] = ("op", "×")
    if len(tokens) > MAX_TOKENS:
        raise Unsupported("too long")
    return tokens


class Parser:
    """expr := term (('+'|'-') term)* ; term := unary (('×'|'÷'|'/') unary | implicit unary)* ;
    unary := ('-'|'+') unary | primary ; primary := number | unknown | '(' expr ')'."""

    def __init__(self, tokens: list[tuple[str, str]], text: str) -> None:
        self.tokens = tokens
        self.pos = 0
        self.text = text
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise Unsupported("unexpected end")
        self.pos += 1
        return token

    def parse(self) -> Node:
        node = self.expr()
        if self.peek() is not None:
            raise Unsupported("trailing tokens")
        return node

    def expr(self) -> Node:
        node = self.term()
        while (token := self.peek()) and token in (("op", "+"), ("op", "-")):
            self.take()
            node = Bin(token[1], node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while token := self.peek():
            if token in (("op", "×"), ("op", "÷"), ("op", "/")):
                self.take()
                right = self.unary()
                if token[1] == "/" and self._fraction_literal(node, right):
                    node = Num(node.value / right.value, fraction_literal=True)  # type: ignore[union-attr]
                else:
                    node = Bin("÷" if token[1] == "/" else token[1], node, right)
            elif token[0] == "var" or token == ("op", "(") or (token[0] == "num" and isinstance(node, Var)):
                node = Bin("×", node, self.unary())  # 2x, 2(3+4), (1+2)(3+4)
            else:
                break
        return node

    def _fraction_literal(self, left: Node, right: Node) -> bool:
        """``1/2`` written tight is a fraction; ``12 / 4`` or ``6/3`` (a whole number) is a division."""
        return (
            isinstance(left, Num)
            and isinstance(right, Num)
            and not left.fraction_literal
            and not right.fraction_literal
            and left.value.denominator == 1
            and right.value.denominator == 1
            and right.value != 0
            and left.value % right.value != 0
            and re.search(r"\d/\d", self.text) is not None
        )

    def unary(self) -> Node:
        token = self.peek()
        if token in (("op", "-"), ("op", "+")):
            self.take()
            operand = self.unary()
            if token == ("op", "+"):
                return operand
            if isinstance(operand, Num):
                return Num(-operand.value, operand.fraction_literal)
            return Neg(operand)
        return self.primary()

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "num":
            return Num(Fraction(value))
        if kind == "var":
            return Var(value)
        if value == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise Unsupported("too deep")
            inner = self.expr()
            if self.take() != ("op", ")"):
                raise Unsupported("missing )")
            self.depth -= 1
            return inner if isinstance(inner, Num | Var) else Group(inner)
        raise Unsupported(f"unexpected {value}")


def tidy(segment: str) -> str:
    """The raw segment with one space around each operator ("7  ÷  0" → "7 ÷ 0")."""
    spaced = re.sub(r"\s*([+×÷*=])\s*", r" \1 ", segment.replace("*", "×"))
    return re.sub(r"(?<=[\d)□xy])\s*-\s*", " - ", spaced).strip()

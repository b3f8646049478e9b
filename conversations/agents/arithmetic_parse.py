"""Turn a child's message into a small math tree: number words → digits, operator words → symbols, then a
recursive-descent parser over digits, + - × ÷ * /, parentheses and one unknown (x, y, □, ( ), ?).

Why a parser of our own and never ``eval``: the input is a child's free text. The grammar accepted here is
tiny and every number is a ``Fraction``; anything else is rejected as unsupported.
"""

from __future__ import annotations

import re
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
    (re.compile(r"\bmultiplied by\b|\btimes\b"), " × "),
    (re.compile(r"\bdivided by\b"), " ÷ "),
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
    return _WORDS.sub(" | ", t)


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
    return not (re.fullmatch(r"\d+/\d+/\d+", seg))  # a date


def find_problem(text: str) -> str | None:
    """The math problem inside ``text`` in our small grammar (e.g. ``"3+5"``, ``"□+5=9"``), or None."""
    prepared = _prepare(text)
    best: str | None = None
    for match in _SEGMENT.finditer(prepared):
        seg = _clean(match.group(0))
        if not seg or len(seg) > MAX_SEGMENT:
            continue
        following = prepared[match.end() :].lstrip()
        if _is_problem(seg, following) and (best is None or len(seg) > len(best)):
            best = seg
    return best


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

"""Exact arithmetic and one-unknown linear equations from a child's message — never ``eval``.

The message is reduced to a small grammar (digits, + - × ÷ * /, parentheses, one unknown x/y/□/( )/?)
after number words and operator words are turned into symbols (3加5等于几, 十二减七, "what is 12 times 3").
A recursive-descent parser builds a tiny tree; everything is computed with ``fractions.Fraction``, so
0.1 + 0.2 is 0.3 and 1/3 + 1/6 is 1/2. The result carries the working (each reduction step, or the
equation moves) so the edu agent can explain it at the child's level.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .arithmetic_parse import (
    MAX_TOKENS,
    Bin,
    Group,
    Neg,
    Node,
    Num,
    Parser,
    Unsupported,
    Var,
    find_problem,
    locate,
    tidy,
    tokenise,
)

MAX_ANSWER = Fraction(10) ** 30

__all__ = ["Solution", "approx", "find_problem", "format_number", "render", "solve"]


# --- results ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Op:
    """One operation done in a step: ``left op right = result``."""

    left: Fraction
    op: str
    right: Fraction
    result: Fraction


@dataclass(frozen=True)
class Step:
    expression: str  # the whole expression after this step
    ops: tuple[Op, ...]


@dataclass(frozen=True)
class EqMove:
    """One move while solving ``a·x + b = c``: kind is ``collect`` (x terms to the left), ``constant``
    (constant to the right: ``equation`` shows the arithmetic, ``result`` its value), ``divide`` by the
    coefficient or ``multiply`` (when the coefficient is 1/n)."""

    kind: str
    equation: str
    result: str = ""
    amount: Fraction = Fraction(0)


@dataclass(frozen=True)
class Inverse:
    """□ + 5 = 9 solved as one inverse operation: ``left op right`` (9 - 5). ``original`` is the operation
    in the question, ``unknown_first`` whether the unknown came first, ``known`` and ``total`` its numbers."""

    left: Fraction
    op: str
    right: Fraction
    original: str
    unknown_first: bool
    known: Fraction
    total: Fraction


@dataclass(frozen=True)
class Solution:
    kind: str  # value | equation | check | div_zero | no_solution | any_value | unsupported | incomplete
    problem: str  # the problem as we understood it, in display form
    answer: Fraction | None = None
    steps: tuple[Step, ...] = ()
    moves: tuple[EqMove, ...] = ()
    symbol: str = ""
    inverse: Inverse | None = None  # □+5=9 → 9 - 5: the answer as one inverse operation
    check: str = ""  # the answer put back in, e.g. "3 × 5 - 4 = 11"
    claimed: Fraction | None = None  # "3+5=9" → 9 (kind "check")
    prefer_fraction: bool = False
    dividend: Fraction | None = None  # what was divided by zero

    @property
    def correct(self) -> bool:
        return self.kind == "check" and self.answer == self.claimed


class _DivideByZero(Exception):
    def __init__(self, dividend: Fraction) -> None:
        super().__init__("division by zero")
        self.dividend = dividend


# --- display ----------------------------------------------------------------------------------------------
def format_number(value: Fraction, *, prefer_fraction: bool = False) -> str:
    """12, -3, 3.5, 5/6: integers as integers, terminating decimals as decimals (unless fractions were
    used in the question), everything else as a fraction."""
    if value.denominator == 1:
        return str(value.numerator)
    if not prefer_fraction and _terminates(value.denominator):
        text = f"{float(value):.10f}".rstrip("0").rstrip(".")
        if Fraction(text) == value:
            return text
    return f"{value.numerator}/{value.denominator}"


def _terminates(denominator: int) -> bool:
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


def approx(value: Fraction) -> str:
    """A 2-decimal approximation for fractions that do not terminate (10/3 → 3.33)."""
    return f"{float(value):.2f}"


def render(node: Node, prefer_fraction: bool = False) -> str:
    if isinstance(node, Num):
        text = format_number(node.value, prefer_fraction=prefer_fraction or node.fraction_literal)
        return f"({text})" if node.value < 0 else text
    if isinstance(node, Var):
        return node.symbol
    if isinstance(node, Neg):
        return f"-{render(node.operand, prefer_fraction)}"
    if isinstance(node, Group):
        return f"({render(node.inner, prefer_fraction)})"
    if node.op == "×" and isinstance(node.right, Var) and isinstance(node.left, Num) and node.right.symbol != "□":
        return f"{_render_top(node.left, prefer_fraction)}{node.right.symbol}"  # 3x
    return f"{_render_top(node.left, prefer_fraction)} {node.op} {render(node.right, prefer_fraction)}"


def _render_top(node: Node, prefer_fraction: bool) -> str:
    """Like :func:`render`, but a lone negative number is shown without parentheses."""
    if isinstance(node, Num):
        return format_number(node.value, prefer_fraction=prefer_fraction or node.fraction_literal)
    return render(node, prefer_fraction)


# --- evaluation -------------------------------------------------------------------------------------------
def _apply(op: str, left: Fraction, right: Fraction) -> Fraction:
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "×":
        return left * right
    if right == 0:
        raise _DivideByZero(left)
    return left / right


def _reduce(node: Node, ops: list[Op]) -> Node:
    """One round of the working: every operation whose two sides are already numbers is done."""
    if isinstance(node, Num | Var):
        return node
    if isinstance(node, Group):
        inner = _reduce(node.inner, ops)
        return inner if isinstance(inner, Num) else Group(inner)
    if isinstance(node, Neg):
        if isinstance(node.operand, Num):
            return Num(-node.operand.value)
        return Neg(_reduce(node.operand, ops))
    if isinstance(node.left, Num) and isinstance(node.right, Num):
        result = _apply(node.op, node.left.value, node.right.value)
        ops.append(Op(node.left.value, node.op, node.right.value, result))
        return Num(result)
    return Bin(node.op, _reduce(node.left, ops), _reduce(node.right, ops))


def _has_fraction_literal(node: Node) -> bool:
    if isinstance(node, Num):
        return node.fraction_literal
    if isinstance(node, Var):
        return False
    if isinstance(node, Neg | Group):
        return _has_fraction_literal(node.operand if isinstance(node, Neg) else node.inner)
    return _has_fraction_literal(node.left) or _has_fraction_literal(node.right)


def _evaluate(node: Node, prefer_fraction: bool) -> tuple[Fraction, tuple[Step, ...]]:
    steps: list[Step] = []
    while not isinstance(node, Num):
        ops: list[Op] = []
        node = _reduce(node, ops)
        steps.append(Step(_render_top(node, prefer_fraction), tuple(ops)))
        if len(steps) > MAX_TOKENS:
            raise Unsupported("does not terminate")
    return node.value, tuple(steps)


def _linear(node: Node, symbols: set[str]) -> tuple[Fraction, Fraction]:
    """``node`` as ``a·x + b``; raises for anything not linear in one unknown."""
    if isinstance(node, Num):
        return Fraction(0), node.value
    if isinstance(node, Var):
        symbols.add(node.symbol)
        return Fraction(1), Fraction(0)
    if isinstance(node, Group):
        return _linear(node.inner, symbols)
    if isinstance(node, Neg):
        a, b = _linear(node.operand, symbols)
        return -a, -b
    la, lb = _linear(node.left, symbols)
    ra, rb = _linear(node.right, symbols)
    if node.op == "+":
        return la + ra, lb + rb
    if node.op == "-":
        return la - ra, lb - rb
    if node.op == "×":
        if la and ra:
            raise Unsupported("not linear")
        return (la * rb + ra * lb), lb * rb
    if ra:
        raise Unsupported("unknown in a divisor")
    if rb == 0:
        raise _DivideByZero(lb)
    return la / rb, lb / rb


def _substitute(node: Node, value: Fraction) -> Node:
    if isinstance(node, Var):
        return Num(value)
    if isinstance(node, Num):
        return node
    if isinstance(node, Group):
        return Group(_substitute(node.inner, value))
    if isinstance(node, Neg):
        return Neg(_substitute(node.operand, value))
    return Bin(node.op, _substitute(node.left, value), _substitute(node.right, value))


def _term(a: Fraction, symbol: str, prefer_fraction: bool) -> str:
    if a == 1:
        return symbol
    if a == -1:
        return f"-{symbol}"
    coefficient = format_number(a, prefer_fraction=prefer_fraction)
    return f"{coefficient}{symbol}" if symbol != "□" else f"{coefficient} × □"


def _inverse(left: Node, right: Node) -> Inverse | None:
    """For one operation with the unknown (□+5=9, 12-□=4, 3×□=15...) the answer as one inverse operation."""
    if isinstance(left, Num) and isinstance(right, Bin):
        left, right = right, left
    if not (isinstance(left, Bin) and isinstance(right, Num)):
        return None
    total = right.value
    if isinstance(left.left, Var) and isinstance(left.right, Num):
        n = left.right.value
        p, op, q = {"+": (total, "-", n), "-": (total, "+", n), "×": (total, "÷", n), "÷": (total, "×", n)}[left.op]
        return Inverse(p, op, q, left.op, True, n, total)
    if isinstance(left.left, Num) and isinstance(left.right, Var):
        n = left.left.value
        p, op, q = {"+": (total, "-", n), "-": (n, "-", total), "×": (total, "÷", n), "÷": (n, "÷", total)}[left.op]
        return Inverse(p, op, q, left.op, False, n, total)
    return None


def _solve_unknown_divisor(left: Node, right: Node, pf: bool) -> Solution:
    """24 ÷ □ = 6: not linear, but one inverse operation away (□ = 24 ÷ 6)."""
    inv = _inverse(left, right)
    if inv is None or inv.original != "÷" or inv.unknown_first:
        raise Unsupported("unknown in a divisor")
    problem = f"{render(left, pf)} = {render(right, pf)}"
    bin_side = left if isinstance(left, Bin) else right
    symbol = bin_side.right.symbol  # type: ignore[union-attr]  # _inverse checked: known ÷ unknown
    if inv.total == 0:
        return Solution("no_solution", problem, symbol=symbol, prefer_fraction=pf)
    answer = inv.known / inv.total
    text = format_number(answer, prefer_fraction=pf)
    move = EqMove("swap", f"{symbol} = {format_number(inv.known)} ÷ {format_number(inv.total)}", text)
    filled = _substitute(bin_side, answer)
    check = f"{render(filled, pf)} = {format_number(_evaluate(filled, pf)[0], prefer_fraction=pf)}"
    return Solution("equation", problem, answer=answer, moves=(move,), symbol=symbol, inverse=inv, check=check)


def _solve_equation(left: Node, right: Node, prefer_fraction: bool) -> Solution:
    symbols: set[str] = set()
    pf = prefer_fraction
    try:
        la, lb = _linear(left, symbols)
        ra, rb = _linear(right, symbols)
    except Unsupported:
        return _solve_unknown_divisor(left, right, pf)
    problem = f"{render(left, pf)} = {render(right, pf)}"
    if not symbols:
        value, steps = _evaluate(left, pf)
        claimed, _ = _evaluate(right, pf)
        return Solution("check", problem, answer=value, steps=steps, claimed=claimed, prefer_fraction=pf)
    if len(symbols) > 1:
        raise Unsupported("two unknowns")
    symbol = symbols.pop()
    a, b = la - ra, rb - lb
    if a == 0:
        return Solution("any_value" if b == 0 else "no_solution", problem, symbol=symbol, prefer_fraction=pf)
    answer = b / a

    def fmt(value: Fraction) -> str:
        return format_number(value, prefer_fraction=pf)

    moves: list[EqMove] = []
    if ra:
        lhs = _term(a, symbol, pf) + (f" + {fmt(lb)}" if lb > 0 else f" - {fmt(-lb)}" if lb < 0 else "")
        moves.append(EqMove("collect", f"{lhs} = {fmt(rb)}", amount=ra))
    if lb:
        sign = "-" if lb > 0 else "+"
        moves.append(
            EqMove("constant", f"{_term(a, symbol, pf)} = {fmt(rb)} {sign} {fmt(abs(lb))}", f"{fmt(b)}", amount=lb)
        )
    if a != 1 and a.numerator == 1:  # x/2 = 3 → x = 3 × 2
        moves.append(EqMove("multiply", f"{symbol} = {fmt(b)} × {a.denominator}", fmt(answer), amount=a))
    elif a != 1:
        coefficient = _paren(fmt(a))
        moves.append(EqMove("divide", f"{symbol} = {fmt(b)} ÷ {coefficient}", fmt(answer), amount=a))
    checks = []
    for side in (left, right):
        if isinstance(side, Num):
            continue
        filled = _substitute(side, answer)
        checks.append(f"{render(filled, pf)} = {fmt(_evaluate(filled, pf)[0])}")
    return Solution(
        "equation",
        problem,
        answer=answer,
        moves=tuple(moves),
        symbol=symbol,
        inverse=_inverse(left, right),
        check=", ".join(checks),
        prefer_fraction=pf,
    )


def _paren(text: str) -> str:
    return f"({text})" if text.startswith("-") else text


def solve(text: str) -> Solution | None:
    """Solve the arithmetic or equation in ``text`` exactly; None when there is no math problem in it."""
    found = locate(text)
    if found is None:
        return None
    segment = found.segment
    if not found.whole:
        # More math in the question than we could read as one problem: answering the part we could
        # read would be a confident wrong answer. Say so instead.
        return Solution("incomplete", tidy(segment))
    try:
        tokens = tokenise(segment)
        if tokens.count(("op", "=")) > 1:
            raise Unsupported("more than one =")
        if ("op", "=") in tokens:
            at = tokens.index(("op", "="))
            left = Parser(tokens[:at], segment).parse()
            right = Parser(tokens[at + 1 :], segment).parse()
            pf = _has_fraction_literal(left) or _has_fraction_literal(right)
            solution = _solve_equation(left, right, pf)
        else:
            tree = Parser(tokens, segment).parse()
            if any(kind == "var" for kind, _ in tokens):
                raise Unsupported("an unknown without an equation")
            pf = _has_fraction_literal(tree)
            value, steps = _evaluate(tree, pf)
            if not steps:
                return None  # a lone number ("1/2") is nothing to compute
            solution = Solution("value", _render_top(tree, pf), answer=value, steps=steps, prefer_fraction=pf)
    except _DivideByZero as exc:
        return Solution("div_zero", tidy(segment), dividend=exc.dividend)
    except (Unsupported, ValueError, ZeroDivisionError):
        return Solution("unsupported", tidy(segment))
    if solution.answer is not None and abs(solution.answer) > MAX_ANSWER:
        return Solution("unsupported", solution.problem)
    return solution

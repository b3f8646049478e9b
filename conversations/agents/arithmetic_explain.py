"""Explain an exact :class:`arithmetic.Solution` at the child's level, in Chinese or English.

Why levels: a 5-year-old adds by counting fingers, an 8-year-old by tens and ones or the multiplication
rhyme (三四十二), an 11-year-old writes proper steps ("两边同时减去 4"). The numbers always come from the
solver; this module only chooses words. Every explanation states the exact answer.
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd

from .arithmetic import Op, Solution, approx, format_number

_ZH_DIGITS = "零一二三四五六七八九"


def _int_to_zh(n: int) -> str:
    """0..99 in Chinese numerals, as said in the multiplication rhyme (12 → 十二, 20 → 二十)."""
    if n < 10:
        return _ZH_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _ZH_DIGITS[tens]) + "十" + ("" if ones == 0 else _ZH_DIGITS[ones])


def koujue(a: int, b: int) -> str:
    """The 乘法口诀 line for a × b (1..9): 三四十二, 二三得六."""
    small, big = sorted((a, b))
    product = small * big
    return f"{_ZH_DIGITS[small]}{_ZH_DIGITS[big]}{'得' if product < 10 else ''}{_int_to_zh(product)}"


def _n(value: Fraction, sol: Solution) -> str:
    return format_number(value, prefer_fraction=sol.prefer_fraction)


def _op_text(op: Op, sol: Solution) -> str:
    return f"{_n(op.left, sol)} {op.op} {_n(op.right, sol)} = {_n(op.result, sol)}"


def _small_int(value: Fraction, limit: int) -> bool:
    return value.denominator == 1 and 0 <= value <= limit


def _counting(op: Op, lang: str) -> str | None:
    """Counting language for 5-6 year olds, for one small operation on whole numbers."""
    a, b, r = op.left, op.right, op.result
    if not (_small_int(a, 20) and _small_int(b, 20) and r.denominator == 1 and r >= 0):
        return None
    ai, bi, ri = int(a), int(b), int(r)
    zh = lang == "zh"
    if op.op == "+" and ri <= 10:
        counted = "、".join(str(i) for i in range(1, ri + 1)) if zh else ", ".join(str(i) for i in range(1, ri + 1))
        return (
            f"我们用手指来数一数：先伸出 {ai} 根手指，再伸出 {bi} 根手指，一起数：{counted}。一共 {ri} 根！"
            if zh
            else f"Let's count on our fingers: hold up {ai} fingers, then {bi} more, and count them all: {counted}. "
            f"That's {ri}!"
        )
    if op.op == "+" and ri <= 20:
        big, small = max(ai, bi), min(ai, bi)
        seq = [str(i) for i in range(big + 1, ri + 1)]
        return (
            f"先记住大的数 {big}，再往后数 {small} 个：{'、'.join(seq)}。所以是 {ri}！"
            if zh
            else f"Start at the bigger number, {big}, and count on {small} more: {', '.join(seq)}. So it's {ri}!"
        )
    if op.op == "-" and bi <= ai:
        seq = [str(i) for i in range(ai - 1, ri - 1, -1)]
        if not seq:
            return f"{ai} 减去 0，还是 {ai}！" if zh else f"Taking away nothing leaves {ai}!"
        return (
            f"有 {ai} 颗糖，吃掉 {bi} 颗，从 {ai} 往回数 {bi} 个：{'、'.join(seq)}。还剩 {ri} 颗！"
            if zh
            else f"You have {ai} sweets and eat {bi}. Count back {bi} from {ai}: {', '.join(seq)}. {ri} are left!"
        )
    if op.op == "×" and 1 <= ai <= 10 and 1 <= bi <= 10:
        seq = [str(bi * i) for i in range(1, ai + 1)]
        return (
            f"{ai} × {bi} 就是 {ai} 组、每组 {bi} 个，我们一组一组地数：{'、'.join(seq)}。一共 {ri} 个！"
            if zh
            else f"{ai} × {bi} means {ai} groups of {bi}. Count group by group: {', '.join(seq)}. That's {ri}!"
        )
    if op.op == "÷" and 1 <= bi <= 10 and r == int(r) and ai <= 50:
        return (
            f"把 {ai} 颗糖平均分给 {bi} 个小朋友，每人分到 {ri} 颗，因为 {bi} × {ri} = {ai}。"
            if zh
            else f"Share {ai} sweets equally between {bi} friends: each gets {ri}, because {bi} × {ri} = {ai}."
        )
    return None


def _tens_and_ones(op: Op, lang: str) -> str | None:
    """Mental strategies for 7-8 year olds: split into tens and ones; the multiplication rhyme."""
    a, b = op.left, op.right
    zh = lang == "zh"
    if op.op in "+-" and _small_int(a, 99) and _small_int(b, 99) and (a >= 10 or b >= 10):
        ai, bi = int(a), int(b)
        if op.op == "+":
            at, ao, bt, bo = ai // 10 * 10, ai % 10, bi // 10 * 10, bi % 10
            return (
                f"把数拆成整十和个位：{at} + {bt} = {at + bt}，{ao} + {bo} = {ao + bo}，"
                f"{at + bt} + {ao + bo} = {ai + bi}。"
                if zh
                else f"Split into tens and ones: {at} + {bt} = {at + bt}, {ao} + {bo} = {ao + bo}, "
                f"and {at + bt} + {ao + bo} = {ai + bi}."
            )
        if bi <= ai and bi >= 10:
            bt, bo = bi // 10 * 10, bi % 10
            if bo == 0:
                return None
            return (
                f"先减整十，再减个位：{ai} - {bt} = {ai - bt}，{ai - bt} - {bo} = {ai - bi}。"
                if zh
                else f"Take away the tens first, then the ones: {ai} - {bt} = {ai - bt}, {ai - bt} - {bo} = {ai - bi}."
            )
    if op.op == "×" and _small_int(a, 9) and _small_int(b, 9) and a >= 1 and b >= 1:
        ai, bi = int(a), int(b)
        return (
            f"想一想乘法口诀：{koujue(ai, bi)}。" if zh else f"Remember the times table: {ai} times {bi} is {ai * bi}."
        )
    if op.op == "÷" and op.result.denominator == 1 and 1 <= op.result <= 9 and _small_int(b, 9) and b >= 1:
        qi, bi = int(op.result), int(b)
        return (
            f"想：{bi} × ( ) = {int(a)}？口诀“{koujue(bi, qi)}”，所以是 {qi}。"
            if zh
            else f"Think: {bi} × what = {int(a)}? {bi} times {qi} is {int(a)}, so it's {qi}."
        )
    return None


def _remainder_note(sol: Solution, lang: str) -> str:
    """7 ÷ 2: say "3 余 1" too, for one division of whole numbers that does not come out even."""
    if len(sol.steps) != 1 or len(sol.steps[0].ops) != 1:
        return ""
    op = sol.steps[0].ops[0]
    if op.op != "÷" or op.result.denominator == 1 or op.left.denominator != 1 or op.right.denominator != 1:
        return ""
    if op.left < 0 or op.right < 0:
        return ""
    q, rem = divmod(int(op.left), int(op.right))
    if lang == "zh":
        note = f"也可以说：{int(op.left)} ÷ {int(op.right)} = {q} 余 {rem}。"
    else:
        note = f"You can also say {int(op.left)} ÷ {int(op.right)} = {q} remainder {rem}."
    return note


def _order_rule(sol: Solution, ops: list[Op], lang: str) -> str:
    """The order-of-operations rule, only as much of it as this problem needs."""
    zh = lang == "zh"
    brackets = "(" in sol.problem
    mixed = len({op.op in "+-" for op in ops}) > 1
    if not brackets and not mixed:
        return "同一级的运算，从左往右依次算。" if zh else "Same kind of operations: work from left to right."
    if zh:
        return "先算括号里面的，再算乘除，最后算加减。" if brackets else "先乘除，后加减，同级从左往右算。"
    return ("Brackets first, " if brackets else "") + "× and ÷ before + and -, then left to right."


def _common_denominator(op: Op, lang: str) -> str | None:
    """1/2 + 1/3: show the common denominator (3/6 + 2/6)."""
    a, b = op.left, op.right
    if op.op not in "+-" or a.denominator == 1 or b.denominator == 1 or a.denominator == b.denominator:
        return None
    lcd = a.denominator * b.denominator // gcd(a.denominator, b.denominator)
    an, bn = a.numerator * (lcd // a.denominator), b.numerator * (lcd // b.denominator)
    if lang == "zh":
        return f"先通分：{a} = {an}/{lcd}，{b} = {bn}/{lcd}，所以 {an}/{lcd} {op.op} {bn}/{lcd} = {op.result}。"
    return (
        f"Use a common denominator: {a} = {an}/{lcd}, {b} = {bn}/{lcd}, so {an}/{lcd} {op.op} {bn}/{lcd} = {op.result}."
    )


def _value(sol: Solution, lang: str, level: int) -> str:
    zh = lang == "zh"
    answer = _n(sol.answer, sol)  # type: ignore[arg-type]
    chain = " = ".join([sol.problem, *(step.expression for step in sol.steps)])
    ops = [op for step in sol.steps for op in step.ops]
    parts = [chain + ("。" if zh else ".")]
    if len(ops) == 1:
        hint = (
            (_counting(ops[0], lang) if level == 0 else None)
            or (_tens_and_ones(ops[0], lang) if level <= 1 else None)
            or _common_denominator(ops[0], lang)
        )
        if hint:
            parts.append(hint)
    elif level <= 1:
        sep = "；" if zh else "; "
        lines = []
        for i, step in enumerate(sol.steps):
            done = sep.join(_op_text(op, sol) for op in step.ops)
            lines.append(f"第{_int_to_zh(i + 1)}步：{done}。" if zh else f"Step {i + 1}: {done}.")
        parts.append(_order_rule(sol, ops, lang) + ("" if zh else " ") + ("" if zh else " ").join(lines))
    else:
        parts.append(_order_rule(sol, ops, lang))
    note = _remainder_note(sol, lang)
    if note:
        parts.append(note)
    if sol.answer is not None and sol.answer < 0 and level <= 1:
        parts.append(
            "比 0 还小的数叫负数，读作“负" + answer.lstrip("-") + "”，以后会学到哦。"
            if zh
            else "Numbers below 0 are called negative numbers — this one is read "
            f"\u201cminus {answer.lstrip('-')}\u201d."
        )
    if "/" in answer and not sol.prefer_fraction:
        answer = f"{answer}（约 {approx(sol.answer)}）" if zh else f"{answer} (about {approx(sol.answer)})"  # type: ignore[arg-type]
    parts.append(f"答案是 {answer}。" if zh else f"The answer is {answer}.")
    return ("" if zh else " ").join(parts)


# How to think about one operation with an unknown, keyed by (operation, unknown comes first).
_THINK_ZH = {
    ("+", True): "想一想：几加 {n} 等于 {total}？用减法",
    ("-", True): "想一想：几减去 {n} 还剩 {total}？把减掉的 {n} 加回去，用加法",
    ("-", False): "想一想：{n} 减去几还剩 {total}？用减法",
    ("×", True): "想一想：{n} 乘几得 {total}？用除法",
    ("÷", True): "想一想：几除以 {n} 得 {total}？用乘法",
    ("÷", False): "想一想：{n} 除以几得 {total}？用除法",
}
_THINK_EN = {
    ("+", True): "Think: what number plus {n} makes {total}? Use subtraction",
    ("-", True): "Think: what number minus {n} leaves {total}? Add the {n} back",
    ("-", False): "Think: {n} minus what leaves {total}? Use subtraction",
    ("×", True): "Think: {n} times what makes {total}? Use division",
    ("÷", True): "Think: what number divided by {n} makes {total}? Use multiplication",
    ("÷", False): "Think: {n} divided by what makes {total}? Use division",
}


def _equation(sol: Solution, lang: str, level: int) -> str:
    zh = lang == "zh"
    x = sol.symbol
    answer = _n(sol.answer, sol)  # type: ignore[arg-type]
    check = ("检查一下：" if zh else "Let's check: ") + sol.check + " ✓" + ("。" if zh else ".")
    if sol.inverse and level <= 1:
        inv = sol.inverse
        n, total = _n(inv.known, sol), _n(inv.total, sol)
        key = (inv.original, inv.unknown_first or inv.original in "+×")
        think = (_THINK_ZH if zh else _THINK_EN)[key].format(n=n, total=total)
        working = f"{_n(inv.left, sol)} {inv.op} {_n(inv.right, sol)} = {answer}"
        if zh:
            return f"{sol.problem}。{think}：{working}，所以 {x} = {answer}。{check}"
        return f"{sol.problem}. {think}: {working}, so {x} = {answer}. {check}"
    lines = [("解：" if zh else "Solve: ") + sol.problem]
    for move in sol.moves:
        amount = _n(abs(move.amount), sol)
        if move.kind == "collect":
            reason = f"两边同时减去 {_term(move.amount, x)}" if zh else f"Take {_term(move.amount, x)} from both sides"
            lines.append(f"{reason}：{move.equation}" if zh else f"{reason}: {move.equation}")
            continue
        if move.kind == "swap":
            reason = "除数 = 被除数 ÷ 商" if zh else "Divisor = dividend ÷ quotient"
        elif move.kind == "constant":
            verb = ("减去" if move.amount > 0 else "加上") if zh else ("Subtract" if move.amount > 0 else "Add")
            reason = (
                f"两边同时{verb} {amount}"
                if zh
                else f"{verb} {amount} {'from' if move.amount > 0 else 'to'} both sides"
            )
        elif move.kind == "multiply":
            reason = (
                f"两边同时乘 {move.amount.denominator}" if zh else f"Multiply both sides by {move.amount.denominator}"
            )
        else:
            coefficient = _n(move.amount, sol)
            reason = f"两边同时除以 {coefficient}" if zh else f"Divide both sides by {coefficient}"
        lines.append(
            f"{reason}：{move.equation} = {move.result}" if zh else f"{reason}: {move.equation} = {move.result}"
        )
    lines.append(check.rstrip("。."))
    lines.append(f"所以 {x} = {answer}。" if zh else f"So {x} = {answer}.")
    return "\n".join(lines)


def _term(a: Fraction, x: str) -> str:
    return x if a == 1 else f"{format_number(a)}{x}"


def _check(sol: Solution, lang: str, level: int) -> str:
    zh = lang == "zh"
    answer = _n(sol.answer, sol)  # type: ignore[arg-type]
    left = sol.problem.split(" = ")[0]
    if sol.correct:
        return (
            f"对啦！{left} = {answer}，你算得完全正确，真棒！"
            if zh
            else f"Yes! {left} = {answer}. You got it right — well done!"
        )
    working = _value(
        Solution("value", left, answer=sol.answer, steps=sol.steps, prefer_fraction=sol.prefer_fraction), lang, level
    )
    claimed = _n(sol.claimed, sol)  # type: ignore[arg-type]
    if zh:
        return f"差一点点！{left} 不等于 {claimed}。我们一起算一算：{working}没关系，多练习就会越来越准！"
    return (
        f"Almost! {left} isn't {claimed}. Let's work it out together: {working} No worries — practice makes it easier!"
    )


def _div_zero(sol: Solution, lang: str, level: int) -> str:
    dividend = format_number(sol.dividend or Fraction(0))
    if lang == "zh":
        text = (
            f"{sol.problem}：这道题里要除以 0，这是数学里一个特别的规定——不能除以 0。"
            f"想象一下：把 {dividend} 块饼干分给 0 个小朋友，每人分几块？根本没有人来分，所以这个问题没有答案。"
        )
        if level >= 2:
            text += (
                f"换个角度想：除法是乘法的反面，可是没有哪个数乘 0 能得到 {dividend}，所以数学家说“除以 0 没有意义”。"
            )
        return text + "你发现了一个很棒的问题！"
    text = (
        f"{sol.problem}: this asks us to divide by 0, and that's a special rule in maths — we can't divide by zero. "
        f"Imagine sharing {dividend} cookies among 0 friends: how many does each friend get? There's nobody to share "
        "with, so the question has no answer."
    )
    if level >= 2:
        text += (
            f" Another way to see it: division undoes multiplication, but no number times 0 gives {dividend}, "
            "so mathematicians say dividing by zero is \u201cundefined\u201d."
        )
    return text + " That was a great question to ask!"


def explain(sol: Solution, lang: str, level: int) -> str:
    """The child-level explanation of ``sol`` (lang ``"zh"``/``"en"``, level 0..3 for the age bands)."""
    zh = lang == "zh"
    if sol.kind == "value":
        return _value(sol, lang, level)
    if sol.kind == "equation":
        return _equation(sol, lang, level)
    if sol.kind == "check":
        return _check(sol, lang, level)
    if sol.kind == "div_zero":
        return _div_zero(sol, lang, level)
    if sol.kind == "no_solution":
        return (
            f"{sol.problem}：这个方程没有解——不管 {sol.symbol} 是几，两边都不会相等。"
            if zh
            else f"{sol.problem}: this equation has no solution — whatever {sol.symbol} is, the two sides never match."
        )
    if sol.kind == "any_value":
        return (
            f"{sol.problem}：有意思！{sol.symbol} 是任何数都可以，两边总是相等的。"
            if zh
            else f"{sol.problem}: interesting! Any number works for {sol.symbol} — the two sides are always equal."
        )
    if sol.kind == "incomplete":
        return (
            "这道题有好几步，我没能把整道题都看明白，不想只算一半就告诉你答案。"
            "我们一起一步一步来：先把第一步写成一个算式（像 12÷4 这样）问我，再用得数问下一步，好吗？"
            if zh
            else "This question has several parts and I couldn't follow all of it — I don't want to give you "
            "an answer to only half of it. Let's work it out together, one step at a time: send me the first "
            "step as a sum (like 12÷4), then the next step with that answer."
        )
    return (
        f"“{sol.problem}”这道题有点超出我会算的范围。我会算加减乘除、括号、小数、分数和一元一次方程，"
        "可以写成像 3+5、12÷4 或 2x+1=7 这样的形式再问我一次吗？"
        if zh
        else f"\u201c{sol.problem}\u201d is a bit beyond what I can work out. I can do + - × ÷, brackets, decimals, "
        "fractions and simple equations — could you write it like 3+5, 12÷4 or 2x+1=7 and ask me again?"
    )

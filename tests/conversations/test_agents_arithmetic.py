"""The arithmetic solver: exact answers from children's wording, never eval, and explanations per age."""

from __future__ import annotations

from fractions import Fraction

import pytest

from conversations.agents import arithmetic
from conversations.agents.arithmetic import find_problem, format_number, solve
from conversations.agents.arithmetic_explain import explain, koujue
from conversations.agents.numerals import en_numbers_to_digits, zh_numerals_to_digits, zh_to_number


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ("十二", "12"),
        ("一百", "100"),
        ("一百零五", "105"),
        ("两千", "2000"),
        ("三万五千", "35000"),
        ("二十五", "25"),
        ("十", "10"),
        ("三点五", "3.5"),
        ("一二三", "123"),
    ],
)
def test_chinese_numerals(run, expected):
    assert zh_to_number(run) == expected


def test_number_words_in_text():
    assert zh_numerals_to_digits("二分之一加三分之一") == "1/2加1/3"
    assert en_numbers_to_digits("twenty-five plus one hundred and five") == "25 plus 105"
    assert en_numbers_to_digits("three and five") == "3 and 5"  # "and" only continues after hundred/thousand


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("3加5等于几", "8"),
        ("3+5=?", "8"),
        ("十二减七", "5"),
        ("一百加二十五是多少", "125"),
        ("what is 12 times 3", "36"),
        ("What is twenty-five plus seventeen?", "42"),
        ("2+3×4", "14"),
        ("(1+2)*(3+4)", "21"),
        ("2(3+4)", "14"),
        ("100-37-28", "35"),
        ("3x4", "12"),
        ("3 x 4 =", "12"),
        ("7÷2", "3.5"),
        ("10÷3", "10/3"),
        ("0.1+0.2", "0.3"),
        ("1/2+1/3", "5/6"),
        ("二分之一加三分之一", "5/6"),
        ("3-5", "-2"),
        ("12 / 4", "3"),
        ("25乘以4除以5", "20"),
        ("99999999*99999999", "9999999800000001"),
    ],
)
def test_expressions_are_exact(text, answer):
    solution = solve(text)
    assert solution is not None and solution.kind == "value"
    assert format_number(solution.answer, prefer_fraction=solution.prefer_fraction) == answer


@pytest.mark.parametrize(
    ("text", "symbol", "answer"),
    [
        ("x+3=7", "x", 4),
        ("2x=10", "x", 5),
        ("3*x-4=11", "x", 5),
        ("□+5=9", "□", 4),
        ("( )-3=4", "□", 7),
        ("（ ）-3=4", "□", 7),
        ("12-□=4", "□", 8),
        ("24÷□=6", "□", 4),
        ("□÷4=5", "□", 20),
        ("x/2=3", "x", 6),
        ("2x+1=x+5", "x", 4),
        ("10-x=3", "x", 7),
        ("6=24÷x", "x", 4),
        ("?+5=9", "□", 4),
    ],
)
def test_linear_equations(text, symbol, answer):
    solution = solve(text)
    assert solution.kind == "equation"
    assert solution.symbol == symbol
    assert solution.answer == Fraction(answer)


def test_special_cases():
    assert solve("5÷0").kind == "div_zero"
    assert solve("what is 7 divided by 0").dividend == 7
    assert solve("(2+3)÷(5-5)").kind == "div_zero"
    assert solve("x+1=x+2").kind == "no_solution"
    assert solve("x+1=1+x").kind == "any_value"
    assert solve("x*x=4").kind == "unsupported"
    assert solve("x+y=3").kind == "unsupported"
    check = solve("3+5=9对吗")
    assert check.kind == "check" and check.answer == 8 and check.claimed == 9 and not check.correct
    assert solve("3+5=8").correct


@pytest.mark.parametrize(
    "text",
    ["我在1-2年级", "我5-6岁", "我考了100分", "I have 3 apples", "今天是2024/05/01", "1/2", "你好", "一起玩吧"],
)
def test_not_math(text):
    assert solve(text) is None


def test_never_evaluates_code():
    """Anything that is not our tiny grammar is rejected, not executed."""
    for text in ("__import__('os').system('ls')", "2**1000000", "1e999+1", "9" * 40 + "+1"):
        solution = solve(text)
        assert solution is None or solution.kind in ("unsupported", "value", "incomplete")
        if solution is not None and solution.kind == "value":
            assert solution.answer < arithmetic.MAX_ANSWER


def test_find_problem_extracts_the_math():
    assert find_problem("请问3加5等于几呀？") == "3+5"
    assert find_problem("老师让我算 x+3=7，x是多少") == "x+3=7"


def test_koujue():
    assert koujue(3, 4) == "三四十二"
    assert koujue(2, 3) == "二三得六"
    assert koujue(9, 9) == "九九八十一"
    assert koujue(8, 7) == "七八五十六"


def test_explanations_by_age():
    five = explain(solve("3+5"), "zh", 0)
    assert "数一数" in five and "1、2、3、4、5、6、7、8" in five and "答案是 8" in five
    eight = explain(solve("27+35"), "zh", 1)
    assert "20 + 30 = 50" in eight and "答案是 62" in eight
    times = explain(solve("7×8"), "zh", 1)
    assert "七八五十六" in times and "56" in times
    order = explain(solve("2+3×4"), "en", 1)
    assert "Step 1: 3 × 4 = 12" in order and "Step 2: 2 + 12 = 14" in order and "The answer is 14." in order
    twelve = explain(solve("3*x-4=11"), "zh", 3)
    assert twelve.splitlines() == [
        "解：3x - 4 = 11",
        "两边同时加上 4：3x = 11 + 4 = 15",
        "两边同时除以 3：x = 15 ÷ 3 = 5",
        "检查一下：3 × 5 - 4 = 11 ✓",
        "所以 x = 5。",
    ]
    young_eq = explain(solve("□+5=9"), "zh", 0)
    assert "几加 5 等于 9" in young_eq and "9 - 5 = 4" in young_eq and "□ = 4" in young_eq
    assert "3 remainder 1" in explain(solve("10÷3"), "en", 1)
    assert "3/6 + 2/6 = 5/6" in explain(solve("1/2+1/3"), "en", 3)


def test_division_by_zero_is_explained_kindly():
    zh = explain(solve("5÷0"), "zh", 0)
    assert "不能除以 0" in zh and "饼干" in zh
    en = explain(solve("7 divided by 0"), "en", 3)
    assert "can't divide by zero" in en and "undefined" in en


# --- compound questions: all of it, or an honest "let's do it step by step" --------------------------------
@pytest.mark.parametrize(
    ("text", "problem", "answer"),
    [
        ("950/19的商再乘159，积=？", "(950 ÷ 19) × 159", "7950"),
        ("950除以19的商再乘以159，积是多少？", "(950 ÷ 19) × 159", "7950"),
        ("3加5的和再乘2等于几", "(3 + 5) × 2", "16"),
        ("12减4的差除以2是多少", "(12 - 4) ÷ 2", "4"),
        ("100减去25的差再除以5", "(100 - 25) ÷ 5", "15"),
        ("12和3的积是多少", "(12 × 3)", "36"),
        ("2乘3与5的和，积是多少", "2 × (3 + 5)", "16"),  # the sum of 3 and 5, then times: not 2×3+5
        ("3加5乘2的积", "3 + (5 × 2)", "13"),
        ("先算3+5，再乘以2", "(3 + 5) × 2", "16"),
        ("3+5的结果乘2", "(3 + 5) × 2", "16"),
        ("what is 3 plus 5, then times 2?", "(3 + 5) × 2", "16"),
        ("12 divided by 4, then times 5", "(12 ÷ 4) × 5", "15"),
        ("3+5 and then multiply by 2", "(3 + 5) × 2", "16"),
        ("what is the product of 12 and 3?", "(12 × 3)", "36"),
        ("what is the sum of 3 and 5 then minus 2", "(3 + 5) - 2", "6"),
    ],
)
def test_chained_operations_are_answered_whole(text, problem, answer):
    solution = solve(text)
    assert solution.kind == "value", solution
    assert solution.problem == problem
    assert format_number(solution.answer) == answer


@pytest.mark.parametrize(
    "text",
    [
        "3+5=? 4+6=?",  # two questions: not one answer for one of them
        "3+5=？，4+6=？",
        "950/19的平方",  # an operation we do not do, on the result
        "16加9的一半",
        "根号16+9",
        "3×5的和",  # "the sum" of a product: we cannot tell what is meant
        "950/19的商的二倍是多少",
        "3+5 squared",
        "what is half of 3+5",
        "950/19, then do something with 159×",
        "100减去3个7是多少",  # 100 - 3×7: not 100 - 3
        "7+8是多少？比较一下和20谁大",  # a second question about the result
    ],
)
def test_a_question_read_only_in_part_is_declined(text):
    solution = solve(text)
    assert solution is not None and solution.kind == "incomplete", solution
    assert solution.answer is None
    zh, en = explain(solution, "zh", 2), explain(solution, "en", 2)
    assert "一步一步" in zh and "答案是" not in zh
    assert "one step at a time" in en and "answer is" not in en


@pytest.mark.parametrize(
    "text",
    [
        "我在1-2年级，3+5等于几",
        "今天是2024-05-01，3+5等于几",
        "我8岁了，3+5=?",
        "第2题：3+5等于几",
        "小明有5个苹果，3+5等于几",
        "What is 3 + 5? I am 7 years old",
    ],
)
def test_other_numbers_in_the_message_do_not_stop_an_answer(text):
    solution = solve(text)
    assert solution.kind == "value" and solution.answer == 8

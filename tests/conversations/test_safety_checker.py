"""The decision table: sensitivity, output direction, parents' blocked words, failing closed, sentences."""

from __future__ import annotations

import logging

import pytest

from conversations.safety import (
    Action,
    Category,
    Severity,
    Verdict,
    check_text,
    check_text_safe,
    default_lexicon,
    split_complete,
    split_sentences,
)
from conversations.safety import checker as checker_module

A, C, S = Action, Category, Severity


@pytest.fixture(scope="module")
def lexicon():
    return default_lexicon()


# text, expected action at (low, medium, high) sensitivity, input direction
SENSITIVITY = [
    ("你真是个笨蛋", (A.ALLOW, A.ALLOW, A.REDIRECT)),  # bullying, low
    ("you are so stupid", (A.ALLOW, A.ALLOW, A.REDIRECT)),  # bullying, low
    ("我想偷偷抽烟", (A.ALLOW, A.REDIRECT, A.REDIRECT)),  # drugs, medium
    ("there was a murder on tv", (A.ALLOW, A.REDIRECT, A.REDIRECT)),  # violence, medium
    ("她好性感", (A.REDIRECT, A.REDIRECT, A.REDIRECT)),  # sexual, medium: always blocked
    ("I hate myself", (A.REDIRECT, A.REDIRECT, A.REDIRECT)),  # self-harm, medium: always blocked
    ("ugh, kill me", (A.REDIRECT, A.REDIRECT, A.REDIRECT)),  # self-harm, low: always blocked
    ("我们私聊吧", (A.REDIRECT, A.REDIRECT, A.REDIRECT)),  # strangers, medium: always blocked
    ("我在家玩火", (A.REDIRECT, A.REDIRECT, A.REDIRECT)),  # dangerous, medium: always blocked
    ("怎么做炸弹", (A.BLOCK, A.BLOCK, A.BLOCK)),  # violence, high
    ("free robux here", (A.BLOCK, A.BLOCK, A.BLOCK)),  # scams, high
    ("我想炸学校", (A.BLOCK, A.BLOCK, A.BLOCK)),  # violence, critical: not an escalating category
    ("我想自杀", (A.ESCALATE, A.ESCALATE, A.ESCALATE)),
    ("my dad hits me", (A.ESCALATE, A.ESCALATE, A.ESCALATE)),
    ("don't tell your parents", (A.ESCALATE, A.ESCALATE, A.ESCALATE)),
    ("今天天气真好", (A.ALLOW, A.ALLOW, A.ALLOW)),
]


@pytest.mark.parametrize(("text", "expected"), SENSITIVITY)
def test_sensitivity_moves_thresholds_not_always_blocked_categories(lexicon, text, expected):
    got = tuple(check_text(text, lexicon=lexicon, sensitivity=s).action for s in ("low", "medium", "high"))
    assert got == expected


def test_allowed_low_hit_is_still_reported(lexicon):
    verdict = check_text("you are so stupid", lexicon=lexicon)
    assert verdict.action is A.ALLOW
    assert verdict.severity is S.LOW
    assert verdict.categories == (C.BULLYING,)
    assert not verdict.flagged


# text, expected output-direction action at (low, medium, high)
OUTPUT = [
    ("Let's cut the bread with a knife.", (A.ALLOW, A.ALLOW, A.ALLOW)),  # benign phrase covers it
    ("Hand me the knife.", (A.ALLOW, A.ALLOW, A.BLOCK)),  # violence, low
    ("There was a murder in the story.", (A.BLOCK, A.BLOCK, A.BLOCK)),  # medium: always blocked in output
    ("你真是个笨蛋。", (A.ALLOW, A.ALLOW, A.BLOCK)),
    ("她很性感。", (A.BLOCK, A.BLOCK, A.BLOCK)),
    ("你可以试试窒息游戏。", (A.BLOCK, A.BLOCK, A.BLOCK)),
    ("I want to die.", (A.BLOCK, A.BLOCK, A.BLOCK)),  # no escalation for what the model wrote
    ("我们网友见面吧。", (A.BLOCK, A.BLOCK, A.BLOCK)),
    ("ugh, kill me", (A.BLOCK, A.BLOCK, A.BLOCK)),  # always-blocked low
    ("恐龙生活在很久以前。", (A.ALLOW, A.ALLOW, A.ALLOW)),
]


@pytest.mark.parametrize(("text", "expected"), OUTPUT)
def test_output_direction_is_stricter(lexicon, text, expected):
    got = tuple(
        check_text(text, lexicon=lexicon, sensitivity=s, direction="out").action for s in ("low", "medium", "high")
    )
    assert got == expected


def test_output_is_never_weaker_than_input(lexicon):
    rank = {A.ALLOW: 0, A.MASK: 1, A.REDIRECT: 2, A.BLOCK: 3, A.ESCALATE: 3}
    for text, _ in SENSITIVITY + OUTPUT:
        for s in ("low", "medium", "high"):
            inp = check_text(text, lexicon=lexicon, sensitivity=s).action
            out = check_text(text, lexicon=lexicon, sensitivity=s, direction="out").action
            assert rank[out] >= min(rank[inp], 3), (text, s, inp, out)
            assert out is not A.ESCALATE and out is not A.REDIRECT


def test_output_pii_is_masked(lexicon):
    verdict = check_text("你可以打13800138000找我", lexicon=lexicon, direction="out")
    assert verdict.action is A.MASK
    assert verdict.masked_text == "你可以打[电话]找我"


# -- parents' blocked words ------------------------------------------------------------------------------
BLOCKED = ("Minecraft", "恐龙", "僵 尸")


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("我喜欢恐龙", A.REDIRECT),
        ("I play MINECRAFT every day", A.REDIRECT),
        ("ｍｉｎｅｃｒａｆｔ is fun", A.REDIRECT),  # normalised like the lexicon: width, case
        ("mine-craft", A.REDIRECT),  # symbols between letters
        ("我喜欢恐*龙", A.REDIRECT),
        ("我怕僵尸", A.REDIRECT),  # the parent's own spacing does not matter either
        ("I like minecrafter videos", A.ALLOW),  # whole words for Latin words
        ("我喜欢小猫", A.ALLOW),
    ],
)
def test_parent_blocked_words(lexicon, text, action):
    verdict = check_text(text, lexicon=lexicon, blocked_words=BLOCKED)
    assert verdict.action is action
    if action is A.REDIRECT:
        assert verdict.categories == (C.PARENT_BLOCKED,)
        assert verdict.severity is S.MEDIUM


def test_parent_blocked_words_apply_at_every_sensitivity_and_block_output(lexicon):
    for s in ("low", "medium", "high"):
        assert check_text("我喜欢恐龙", lexicon=lexicon, sensitivity=s, blocked_words=["恐龙"]).action is A.REDIRECT
    out = check_text("恐龙很大。", lexicon=lexicon, direction="out", blocked_words=["恐龙"])
    assert out.action is A.BLOCK


def test_parent_blocked_words_accept_any_iterable_and_ignore_blanks(lexicon):
    assert check_text("恐龙", lexicon=lexicon, blocked_words=["", "  ", "恐龙"]).action is A.REDIRECT
    assert check_text("恐龙", lexicon=lexicon, blocked_words=iter(["恐龙"])).action is A.REDIRECT
    assert check_text("恐龙", lexicon=lexicon, blocked_words=["***"]).action is A.ALLOW


def test_a_stronger_hit_wins_over_a_blocked_word(lexicon):
    verdict = check_text("恐龙说我想自杀", lexicon=lexicon, blocked_words=["恐龙"])
    assert verdict.action is A.ESCALATE
    assert verdict.categories == (C.SELF_HARM, C.PARENT_BLOCKED)


# -- failing closed ------------------------------------------------------------------------------------
SECRET = "我想自杀 13800138000 secret-words"


def _explode(*_args, **_kwargs):
    raise RuntimeError(f"broken while reading {SECRET}")


@pytest.mark.parametrize("target", ["normalize", "find_pii"])
def test_fail_closed_blocks_and_never_logs_the_text(lexicon, monkeypatch, caplog, target):
    monkeypatch.setattr(checker_module, target, _explode)
    with caplog.at_level(logging.DEBUG, logger="conversations.safety"):
        verdict = check_text_safe(SECRET, lexicon=lexicon)
    assert verdict.action is A.BLOCK
    assert verdict.severity is S.HIGH
    assert verdict.categories == ()
    assert verdict.flagged
    assert "RuntimeError" in caplog.text
    assert "自杀" not in caplog.text and "13800138000" not in caplog.text and "secret" not in caplog.text
    for record in caplog.records:
        assert record.exc_info is None  # a traceback would carry the exception message


def test_fail_closed_masks_the_text_when_masking_still_works(lexicon, monkeypatch):
    monkeypatch.setattr(checker_module, "normalize", _explode)
    assert check_text_safe(SECRET, lexicon=lexicon).masked_text == "我想自杀 [电话] secret-words"


def test_fail_closed_when_the_lexicon_breaks(lexicon, monkeypatch, caplog):
    class Broken:
        def scan(self, _normalized):
            raise MemoryError

    with caplog.at_level(logging.ERROR, logger="conversations.safety"):
        verdict = check_text_safe("hello", lexicon=Broken())
    assert (verdict.action, verdict.severity, verdict.categories) == (A.BLOCK, S.HIGH, ())
    assert "MemoryError" in caplog.text and "hello" not in caplog.text


@pytest.mark.parametrize(
    "kwargs", [{"text": None}, {"text": "hi", "sensitivity": "extreme"}, {"text": "hi", "direction": "sideways"}]
)
def test_bad_input_fails_closed(lexicon, kwargs):
    text = kwargs.pop("text")
    verdict = check_text_safe(text, lexicon=lexicon, **kwargs)
    assert isinstance(verdict, Verdict)
    assert (verdict.action, verdict.severity, verdict.categories) == (A.BLOCK, S.HIGH, ())


def test_check_text_raises_on_bad_input(lexicon):
    with pytest.raises(TypeError):
        check_text(b"bytes", lexicon=lexicon)
    with pytest.raises(ValueError):
        check_text("hi", lexicon=lexicon, sensitivity="extreme")


def test_clean_message(lexicon):
    verdict = check_text("今天我们学了加法", lexicon=lexicon)
    assert verdict == Verdict(action=A.ALLOW, severity=S.NONE, masked_text="今天我们学了加法")
    assert check_text("", lexicon=lexicon).action is A.ALLOW


# -- sentences -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("你好！我叫小明。你呢？", ["你好！", "我叫小明。", "你呢？"]),
        ("他说：“你好！”然后走了。", ["他说：“你好！”", "然后走了。"]),
        ("好吧……我知道了", ["好吧……", "我知道了"]),
        ("第一句；第二句", ["第一句；", "第二句"]),
        ("真的吗？！太好了", ["真的吗？！", "太好了"]),
        ("Hello there. How are you? I'm fine!", ["Hello there.", "How are you?", "I'm fine!"]),
        ('He said "hi." Then he left.', ['He said "hi."', "Then he left."]),
        ("Pi is 3.14 and Mr. Smith agrees.", ["Pi is 3.14 and Mr. Smith agrees."]),
        ("Wait... what?!", ["Wait...", "what?!"]),
        ("I like cats.我也喜欢狗。", ["I like cats.", "我也喜欢狗。"]),
        ("line one\nline two", ["line one", "line two"]),
        ("no terminator here", ["no terminator here"]),
        ("   ", []),
        ("", []),
    ],
)
def test_split_sentences(text, sentences):
    assert split_sentences(text) == sentences
    assert "".join(split_sentences(text)).replace(" ", "") == text.replace(" ", "").replace("\n", "")


@pytest.mark.parametrize(
    ("buffer", "done", "rest"),
    [
        ("你好！我叫", ["你好！"], "我叫"),
        ("Done. Next", ["Done."], "Next"),
        ("Pi is 3.", [], "Pi is 3."),  # maybe 3.14: wait for more
        ("我很开心。", ["我很开心。"], ""),
        ("still typing", [], "still typing"),
    ],
)
def test_split_complete_for_streaming(buffer, done, rest):
    assert split_complete(buffer) == (done, rest)


def test_streaming_by_sentence_catches_unsafe_output(lexicon):
    """Buffer to a boundary, check, emit: the unsafe sentence never reaches the child."""
    chunks = ["恐龙是很久以前", "的动物。你可以试试窒", "息游戏。它们很大", "。"]
    buffer, shown, blocked = "", [], 0
    for chunk in chunks:
        buffer += chunk
        done, buffer = split_complete(buffer)
        for sentence in done:
            if check_text(sentence, lexicon=lexicon, direction="out").action is A.ALLOW:
                shown.append(sentence)
            else:
                blocked += 1
    assert shown == ["恐龙是很久以前的动物。", "它们很大。"]
    assert blocked == 1

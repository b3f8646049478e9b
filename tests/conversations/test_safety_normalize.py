"""The matching form: each evasion lands on the lexicon's spelling, and ordinary text survives."""

from __future__ import annotations

import pytest

from conversations.safety import normalize
from conversations.safety.normalize import HOMOPHONES, is_cjk


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # width and case
        ("ｓｕｉｃｉｄｅ", "suicide"),
        ("ＡＢＣ　１２３", "abc 123"),
        ("ａｂｃ１２３", "abci2e"),  # digits inside a Latin word are read as letters (leet)
        ("Hello, World!  How are you?", "hello world how are you"),
        ("ⓢⓤⓘⓒⓘⓓⓔ", "suicide"),
        ("𝓼𝓾𝓲𝓬𝓲𝓭𝓮", "suicide"),
        ("ѕuісіdе", "suicide"),  # Cyrillic look-alikes
        ("㊙密", "秘密"),
        # separators between characters
        ("自 杀", "自杀"),
        ("自*杀", "自杀"),
        ("自.杀", "自杀"),
        ("自，杀", "自杀"),
        ("（自）杀", "自杀"),
        ("自\u200b杀", "自杀"),
        ("自\n杀", "自杀"),
        ("😀自😀杀😀", "自杀"),
        ("s-u-i-c-i-d-e", "suicide"),
        ("s u i c i d e", "suicide"),
        ("don't tell", "dont tell"),
        ("我想 kill 你", "我想 kill 你"),
        # sentence enders are kept as a break
        ("我想。死了的小鸟", "我想。死了的小鸟"),
        ("“你好！”他说。", "你好。他说。"),
        ("自｡杀", "自。杀"),
        # runs
        ("自自自杀", "自杀"),
        ("kiiiill", "kill"),
        ("killllll", "kil"),
        ("哈哈哈哈", "哈"),
        ("good", "good"),
        # traditional to simplified
        ("自殺", "自杀"),
        ("網友見面", "网友见面"),
        ("我今天在學校很開心", "我今天在学校很开心"),
        # leet
        ("k1ll", "kill"),
        ("5uicide", "suicide"),
        ("r@pe", "rape"),
        ("＄uicide", "suicide"),
        ("3年级2班", "3年级2班"),  # digits next to Chinese are numbers, not letters
        ("room 101", "room 101"),
        # homophones, pinyin, algospeak
        ("zisha", "自杀"),
        ("zi sha", "自杀"),
        ("紫砂", "自杀"),
        ("我要紫砂了", "我要自杀了"),
        ("紫砂壶", "紫砂壶"),
        ("自鲨", "自杀"),
        ("wo xiang si", "我想死"),
        ("I want to KMS", "i want to kill myself"),
        ("5 kms away", "5 kms away"),
        ("five kms", "five kms"),
        ("unalive myself", "kill myself"),
        ("sewer slide", "suicide"),
        ("zishang", "zishang"),  # whole words only
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize(
    "text",
    ["我今天在学校很开心，老师表扬了我！", "Today we learned about volcanoes. Cool!", "k1ll zisha 自 殺", "ｓ ｕ ｉ"],
)
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


def test_homophone_targets_are_in_normal_form():
    for key, target in HOMOPHONES.items():
        assert normalize(target) == target, key
        assert normalize(key) == target, key


def test_is_cjk():
    assert is_cjk("hello 你好")
    assert not is_cjk("hello")

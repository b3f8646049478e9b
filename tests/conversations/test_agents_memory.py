"""Memory: what is extracted from a message, when a child asks us to forget, and what is recalled."""

from __future__ import annotations

import pytest

from conversations.agents import extract, is_forget_request, rank
from conversations.agents.memory import liked_things, tokens
from conversations.agents.types import AgentContext, MemoryView, ProfileView


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我喜欢恐龙", [("preference", "喜欢恐龙")]),
        ("我最喜欢的颜色是蓝色", [("preference", "最喜欢的颜色是蓝色")]),
        ("我有一只猫叫咪咪", [("fact", "有一只猫叫咪咪")]),
        ("我家有两只小狗", [("fact", "有两只小狗")]),
        ("我有一个妹妹", [("fact", "有一个妹妹")]),
        ("我想当宇航员", [("goal", "想当宇航员")]),
        ("我长大以后想成为一名科学家", [("goal", "想当科学家")]),
        ("我喜欢恐龙，也喜欢画画！", [("preference", "喜欢恐龙"), ("preference", "喜欢画画")]),
        ("我不喜欢吃青菜", [("preference", "不喜欢吃青菜")]),
        ("我学会了游泳", [("fact", "学会了游泳")]),
        ("I want to be an astronaut", [("goal", "wants to be an astronaut")]),
        ("I like football", [("preference", "likes football")]),
        ("my favourite food is pizza", [("preference", "favourite food is pizza")]),
        ("I have a sister", [("fact", "has a sister")]),
        ("I have a cat called Tom", [("fact", "has a cat called Tom")]),
        ("I don't like spiders", [("preference", "doesn't like spiders")]),
        (
            "I like football and my favourite food is pizza",
            [("preference", "likes football"), ("preference", "favourite food is pizza")],
        ),
    ],
)
def test_extract(text, expected):
    assert [(m.kind, m.text) for m in extract(text, "zh")] == expected


@pytest.mark.parametrize(
    "text",
    [
        "我喜欢你",
        "你喜欢什么？",
        "我要做作业",
        "他想当医生",
        "我有一个问题",
        "3+5等于几",
        "I love you",
        "Do you like cats?",
    ],
)
def test_nothing_to_remember(text):
    assert extract(text, "zh") == []


def test_importance_by_kind():
    (goal,) = extract("我想当医生", "zh")
    (pref,) = extract("我喜欢画画", "zh")
    assert goal.importance > pref.importance


@pytest.mark.parametrize(
    ("text", "forget"),
    [
        ("忘掉我说的", True),
        ("忘记我说的话", True),
        ("请把我告诉你的都忘了", True),
        ("你把这个忘了吧", True),
        ("不要记住这个", True),
        ("forget what I told you", True),
        ("forget everything", True),
        ("Please delete my data", True),
        ("我忘记带作业了", False),
        ("别忘了带伞", False),
        ("I forgot my homework", False),
        ("don't forget it", False),
        ("我喜欢恐龙", False),
    ],
)
def test_forget_requests(text, forget):
    assert is_forget_request(text) is forget


def test_a_forget_request_is_not_remembered():
    assert extract("忘掉我说的，我喜欢恐龙", "zh") == []


MEMORIES = (
    MemoryView(1, "preference", "喜欢恐龙", 0.5),
    MemoryView(2, "fact", "有一只猫叫咪咪", 0.6),
    MemoryView(3, "goal", "想当宇航员", 0.7),
    MemoryView(4, "preference", "likes football", 0.5),
    MemoryView(5, "preference", "最喜欢的颜色是蓝色", 0.6),
    MemoryView(6, "preference", "喜欢画画", 0.5),
)


def test_rank_by_overlap_then_importance():
    assert rank("我今天看到了一只恐龙的化石", MEMORIES)[0].id == 1
    assert rank("我的猫今天生病了", MEMORIES)[0].id == 2
    assert rank("宇航员是怎么上太空的", MEMORIES)[0].id == 3
    assert rank("we played football today", MEMORIES)[0].id == 4
    assert rank("I saw a dinosaur skeleton", MEMORIES)[0].id == 1  # bilingual twin: dinosaur → 恐龙
    # Nothing overlaps: the most important facts come first.
    assert [m.id for m in rank("今天天气不错", MEMORIES, limit=2)] == [3, 5]


def test_rank_limit():
    assert len(rank("恐龙", MEMORIES, limit=3)) == 3
    assert rank("恐龙", MEMORIES, limit=0) == []
    assert rank("恐龙", (), limit=5) == []


def test_tokens_drop_function_words():
    words = tokens("我喜欢恐龙")
    assert "恐龙" in words and "我" not in words and "dinosaur" in words


def test_liked_things_from_memories_and_interests():
    child = ProfileView(1, "小明", 8, "7-8", 2, "zh-hans", interests=("画画",))
    ctx = AgentContext(text="", profile=child, memories=MEMORIES)
    assert liked_things(ctx, "zh") == ("恐龙", "足球", "蓝色", "画画")  # facts and goals are not "likes"
    assert liked_things(ctx, "en") == ("dinosaurs", "football", "blue", "drawing")

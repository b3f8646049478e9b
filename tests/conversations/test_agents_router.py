"""The router: the table of messages → agent, subject and emotion, including features switched off."""

from __future__ import annotations

import pytest

from conversations.agents import route
from conversations.agents.types import AgentContext, AgentName, ProfileView, Turn

E, M, S, C = AgentName.EDU, AgentName.EMOTION, AgentName.STORY, AgentName.CHAT
ALL = frozenset({E, M, S, C})
STORY_OPEN = {"story": {"world": "forest", "step": 1, "hero": "小明", "path": "A"}}


def decide(text: str, *, enabled=ALL, state=None, history=(), lang="zh-hans"):
    child = ProfileView(child_id=1, display_name="小明", age=8, age_band="7-8", grade=2, language=lang)
    ctx = AgentContext(text=text, profile=child, enabled=enabled, session_state=state or {}, history=tuple(history))
    return route(ctx)


@pytest.mark.parametrize(
    ("text", "agent", "subject"),
    [
        ("3加5等于几", E, "math"),
        ("十二减七", E, "math"),
        ("what is 12 times 3", E, "math"),
        ("x+3=7", E, "math"),
        ("为什么天是蓝的", E, "science"),
        ("why is the sky blue?", E, "science"),
        ("恐龙是怎么灭绝的", E, "science"),
        ("长城有多长", E, "history"),
        ("苹果用英语怎么说", E, "english"),
        ("考考我", E, "math"),
        ("为什么要诚实", E, "morality"),
        ("我很难过", M, None),
        ("I'm scared of the dark", M, None),
        ("我今天好开心！", M, None),
        ("讲个故事", S, None),
        ("tell me a story", S, None),
        ("你好", C, None),
        ("你是机器人吗", C, None),
        ("are you a robot?", C, None),
        ("讲个笑话", C, None),
        ("忘掉我说的", C, None),
        ("今天吃了饺子", C, None),
    ],
)
def test_routing_table(text, agent, subject):
    decision = decide(text)
    assert decision.agent == agent
    assert decision.subject == subject
    assert set(decision.scores) == {"edu", "emotion", "story", "chat"}


def test_emotion_is_always_read():
    assert decide("3加5等于几").emotion.label == "neutral"
    reading = decide("我好难过，3加5等于几").emotion
    assert reading.label == "sad" and reading.intensity > 0


def test_feelings_beat_homework_words():
    assert decide("我数学考砸了，我很难过").agent == M
    assert decide("我非常非常难过，3加5等于几？").agent == M  # a child at risk comes before arithmetic


def test_story_continuation_needs_a_story_in_progress():
    assert decide("然后呢", state=STORY_OPEN).agent == S
    assert decide("continue", state=STORY_OPEN).agent == S
    assert decide("2", state=STORY_OPEN).agent == S
    assert decide("好的", state=STORY_OPEN).agent == S
    assert decide("然后呢").agent == C
    assert decide("2").agent == C
    assert decide("为什么天是蓝的", state=STORY_OPEN).agent == E  # a real question interrupts the story


def test_emotion_continuity():
    history = [Turn("child", "我很难过"), Turn("assistant", "听起来你很难过……", "emotion")]
    assert decide("因为同学笑话我", history=history).agent == M
    assert decide("因为同学笑话我").agent == C


@pytest.mark.parametrize(
    ("text", "enabled", "agent"),
    [
        ("3加5等于几", frozenset({M, S, C}), C),
        ("我很难过", frozenset({E, S, C}), C),
        ("讲个故事", frozenset({E, M, C}), C),
        ("讲个故事", frozenset(), C),
        ("你好", frozenset(), C),  # chat is always available
        ("3加5等于几", frozenset({E}), E),
    ],
)
def test_disabled_agents_are_never_chosen(text, enabled, agent):
    decision = decide(text, enabled=enabled)
    assert decision.agent == agent
    assert decision.agent == C or decision.agent in enabled


def test_scores_explain_the_choice():
    decision = decide("3加5等于几", enabled=frozenset({C}))
    assert decision.agent == C
    assert decision.scores["edu"] > decision.scores["chat"]  # recorded even though edu is off

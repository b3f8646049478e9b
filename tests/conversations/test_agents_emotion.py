"""The emotion agent: 10 feelings with intensity, modifiers, a strategy per feeling, escalation."""

from __future__ import annotations

import pytest

from conversations.agents import EMOTIONS, ESCALATE_AT, detect_emotion, respond, route
from conversations.agents.emotion import EMOTION_NAMES_ZH, needs_escalation
from conversations.agents.types import AgentContext, AgentName, EmotionReading, ProfileView, Turn

AGES = {"5-6": 6, "7-8": 8, "9-10": 10, "11-12": 12}


def profile(band: str = "7-8", lang: str = "zh-hans") -> ProfileView:
    return ProfileView(child_id=5, display_name="乐乐", age=AGES[band], age_band=band, grade=None, language=lang)


EMOTION_CASES = [
    ("我今天很开心", "happy"),
    ("我好难过", "sad"),
    ("我很生气！", "angry"),
    ("我怕黑", "scared"),
    ("哇，真没想到！", "surprised"),
    ("好恶心啊", "disgusted"),
    ("明天考试我好紧张", "anxious"),
    ("没有人跟我玩，我好孤单", "lonely"),
    ("明天去动物园，我太兴奋了", "excited"),
    ("这道题我看不懂", "confused"),
    ("I'm so happy today", "happy"),
    ("I feel sad", "sad"),
    ("I'm really mad at my brother", "angry"),
    ("I'm scared of the dark", "scared"),
    ("Wow, I can't believe it!", "surprised"),
    ("Eww, that's gross", "disgusted"),
    ("I'm worried about my test", "anxious"),
    ("I feel lonely", "lonely"),
    ("I can't wait for my birthday!", "excited"),
    ("I'm confused about fractions", "confused"),
    ("今天吃了面条", "neutral"),
    ("What is 3 + 5?", "neutral"),
]


def test_every_emotion_has_a_chinese_name_and_golden_cases_in_both_languages():
    """A feeling added to EMOTIONS without a name or a golden case fails here, not in front of a child."""
    assert set(EMOTION_NAMES_ZH) >= set(EMOTIONS)
    zh = {label for text, label in EMOTION_CASES if not text.isascii()} - {"neutral"}
    en = {label for text, label in EMOTION_CASES if text.isascii()} - {"neutral"}
    assert zh == en == set(EMOTIONS)


@pytest.mark.parametrize(("text", "label"), EMOTION_CASES)
def test_labels(text, label):
    assert detect_emotion(text, "zh").label == label


def test_negation():
    assert detect_emotion("我不开心", "zh").label == "sad"
    assert detect_emotion("我一点也不开心", "zh").label == "sad"
    assert detect_emotion("I'm not happy", "en").label == "sad"
    assert detect_emotion("I don't feel happy at all", "en").label == "sad"
    assert detect_emotion("我不害怕", "zh").label == "neutral"
    assert detect_emotion("I'm not scared anymore", "en").label == "neutral"
    assert detect_emotion("恐怕要下雨了", "zh").label == "neutral"  # 恐怕 = "probably", not fear


def test_intensity_modifiers():
    plain = detect_emotion("我难过", "zh").intensity
    very = detect_emotion("我很难过", "zh").intensity
    very_very = detect_emotion("我非常非常难过", "zh").intensity
    mild = detect_emotion("我有点难过", "zh").intensity
    assert mild < plain < very < very_very
    assert detect_emotion("我很难过！", "zh").intensity > very  # exclamation
    assert detect_emotion("I'm sooo sad", "en").intensity > detect_emotion("I'm sad", "en").intensity
    assert detect_emotion("I'm so sad, I cry and cry", "en").intensity > detect_emotion("I'm so sad", "en").intensity
    assert detect_emotion("我难过", "zh") == EmotionReading("sad", 0.55)


def test_escalation_threshold():
    assert needs_escalation(EmotionReading("sad", ESCALATE_AT))
    assert not needs_escalation(EmotionReading("sad", ESCALATE_AT - 0.01))
    assert needs_escalation(detect_emotion("我非常非常难过，每天都想哭！！", "zh"))
    assert needs_escalation(detect_emotion("I'm so so scared, I'm terrified!", "en"))
    assert not needs_escalation(detect_emotion("我有点难过", "zh"))
    assert not needs_escalation(detect_emotion("我超级超级开心！！！", "zh"))  # intense, but not a risk feeling
    assert not needs_escalation(EmotionReading("angry", 1.0))


def test_golden_emotion_conversation_zh():
    """A sad child over three turns: support, then escalation at high intensity, then listening."""
    child = profile("7-8")
    history: list[Turn] = []

    def say(text: str):
        ctx = AgentContext(text=text, profile=child, history=tuple(history))
        decision = route(ctx)
        reply = respond(ctx, decision)
        history.extend([Turn("child", text), Turn("assistant", reply.text, reply.agent.value)])
        return decision, reply

    decision, reply = say("我今天有点难过")
    assert decision.agent == AgentName.EMOTION and reply.emotion.label == "sad"
    assert not reply.escalate
    assert "难过" in reply.text
    assert any(invite in reply.text for invite in ("发生了什么", "听你说"))
    assert "信任的大人" not in reply.text  # mild: no need to bring in an adult yet

    decision, reply = say("我非常非常难过，每天都想哭！！")
    assert decision.agent == AgentName.EMOTION
    assert reply.emotion.label == "sad" and reply.emotion.intensity >= 0.8
    assert reply.escalate is True
    assert "信任的大人" in reply.text

    decision, reply = say("因为同学都不跟我玩")
    assert decision.agent == AgentName.EMOTION
    assert reply.emotion.label == "lonely" and not reply.escalate
    assert "AI" in reply.text  # honest: an AI friend, and real friends matter


def test_golden_emotion_conversation_en():
    child = profile("11-12", "en")
    ctx = AgentContext(text="I'm really worried about my exam tomorrow", profile=child)
    decision = route(ctx)
    reply = respond(ctx, decision)
    assert decision.agent == AgentName.EMOTION and reply.emotion.label == "anxious"
    assert not reply.escalate
    assert "worried" in reply.text and "trust" in reply.text  # names it; intense enough for a trusted adult
    ctx = AgentContext(text="I'm so so lonely, nobody likes me!!", profile=child)
    reply = respond(ctx, route(ctx))
    assert reply.emotion.label == "lonely" and reply.escalate is True
    assert "adult you trust" in reply.text


def test_positive_feelings_are_celebrated_not_escalated():
    ctx = AgentContext(text="我今天超级开心！", profile=profile("5-6"))
    reply = respond(ctx, route(ctx))
    assert reply.agent == AgentName.EMOTION and reply.emotion.label == "happy"
    assert not reply.escalate and "开心" in reply.text


def test_coping_idea_depends_on_age():
    young = respond(*_routed("我好担心", "5-6"))
    older = respond(*_routed("我好担心", "11-12"))
    assert young.emotion.label == older.emotion.label == "anxious"
    assert young.text != older.text
    assert "气球" in young.text or "拳头" in young.text
    assert "写下来" in older.text or "4 秒" in older.text


def _routed(text: str, band: str):
    ctx = AgentContext(text=text, profile=profile(band))
    return ctx, route(ctx)

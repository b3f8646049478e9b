"""The chat agent: small talk in both languages, jokes and riddles, and always honest about being an AI."""

from __future__ import annotations

import pytest

from conversations.agents import respond, route
from conversations.agents.chat import intent_of, is_ai_question
from conversations.agents.chat_lines import JOKES
from conversations.agents.types import AgentContext, AgentName, ProfileView, Turn

AGES = {"5-6": 6, "7-8": 8, "9-10": 10, "11-12": 12}


def profile(lang: str = "zh-hans", name: str = "小红", band: str = "7-8") -> ProfileView:
    return ProfileView(child_id=21, display_name=name, age=AGES[band], age_band=band, grade=2, language=lang)


def reply_to(text: str, lang: str = "zh-hans", state: dict | None = None, history=()):
    ctx = AgentContext(text=text, profile=profile(lang), session_state=state or {}, history=tuple(history))
    decision = route(ctx)
    return decision, respond(ctx, decision)


@pytest.mark.parametrize(
    "question",
    [
        "你是真人吗",
        "你是真人吗？",
        "你是机器人吗",
        "你是不是机器人",
        "你是人吗",
        "你是AI吗",
        "你是人工智能吗",
        "你是真的吗",
        "是真人在跟我说话吗",
    ],
)
def test_always_says_it_is_an_ai_zh(question):
    assert is_ai_question(question)
    decision, reply = reply_to(question)
    assert decision.agent == AgentName.CHAT and reply.agent == AgentName.CHAT
    assert "AI" in reply.text and "不是真" in reply.text


@pytest.mark.parametrize(
    "question",
    [
        "are you real?",
        "Are you a human?",
        "are you human",
        "Are you a robot?",
        "are you AI?",
        "Are you an AI",
        "are you a real person?",
        "Am I talking to a real person?",
    ],
)
def test_always_says_it_is_an_ai_en(question):
    decision, reply = reply_to(question, "en")
    assert decision.agent == AgentName.CHAT
    assert "AI" in reply.text and ("not a real person" in reply.text or "not a human" in reply.text)


def test_ai_question_wins_even_mid_story_or_with_feelings():
    state = {"story": {"world": "forest", "step": 1, "hero": "小红", "path": "A"}}
    decision, reply = reply_to("你是机器人吗？我有点害怕", state=state)
    assert decision.agent == AgentName.CHAT and "AI" in reply.text


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("你好", "greet"),
        ("你好呀", "greet"),
        ("Hello!", "greet"),
        ("你好吗", "how_are_you"),
        ("how are you?", "how_are_you"),
        ("你叫什么名字", "name"),
        ("what's your name", "name"),
        ("你几岁了", "age"),
        ("你最喜欢什么颜色", "favourite"),
        ("what's your favourite animal?", "favourite"),
        ("讲个笑话", "joke"),
        ("tell me a joke", "joke"),
        ("猜谜语", "riddle"),
        ("再见", "bye"),
        ("goodbye!", "bye"),
        ("谢谢你", "thanks"),
        ("你会做什么", "capabilities"),
        ("我好无聊", "bored"),
        ("忘掉我说的", "forget"),
        ("今天吃了饺子", None),
    ],
)
def test_intents(text, intent):
    assert intent_of(text) == intent


def test_greeting_uses_the_childs_name():
    decision, reply = reply_to("你好")
    assert decision.agent == AgentName.CHAT and "小红" in reply.text
    _, english = reply_to("hi", "en")
    assert "小红" in english.text and english.text.startswith(("Hi", "Hello", "Hey"))


def test_name_and_favourites():
    _, reply = reply_to("你叫什么名字？")
    assert "开心伙伴" in reply.text
    _, colour = reply_to("你最喜欢什么颜色？")
    assert "蓝色" in colour.text and "你呢" in colour.text
    _, food = reply_to("what's your favourite food?", "en")
    assert "don't eat" in food.text  # honest about being an AI


def test_jokes_are_from_the_reviewed_list_and_vary():
    texts = set()
    for turn in range(6):
        history = [Turn("child", "hi"), Turn("assistant", "hi", "chat")] * turn
        decision, reply = reply_to("讲个笑话", history=history)
        assert decision.agent == AgentName.CHAT
        assert any(joke in reply.text for joke in JOKES["zh"])
        texts.add(reply.text)
    assert len(texts) >= 2
    _, english = reply_to("tell me a joke", "en")
    assert any(joke in english.text for joke in JOKES["en"])


def test_riddle_round_trip():
    _, asked = reply_to("我们来猜谜语吧")
    riddle = asked.session_state["riddle"]
    from conversations.agents.chat_lines import RIDDLES

    question, answer, _ = RIDDLES["zh"][riddle["id"]]
    assert question in asked.text
    decision, right = reply_to(f"是{answer}吗", state=asked.session_state)
    assert decision.agent == AgentName.CHAT and "答对" in right.text
    assert "riddle" not in right.session_state
    _, wrong = reply_to("不知道", state=asked.session_state)
    assert answer in wrong.text and "答对" not in wrong.text


def test_goodbye_and_thanks():
    _, bye = reply_to("再见啦")
    assert "再见" in bye.text or "拜拜" in bye.text
    _, thanks = reply_to("thank you!", "en")
    assert "welcome" in thanks.text or "Any time" in thanks.text


def test_sharing_is_acknowledged():
    _, reply = reply_to("我喜欢恐龙")
    assert reply.agent == AgentName.CHAT and reply.text.startswith("你喜欢恐龙")
    _, english = reply_to("I have a sister", "en")
    assert english.text.startswith("You have a sister")
    assert [m.text for m in english.memories] == ["has a sister"]


def test_switched_off_features_are_redirected_kindly():
    edu_off = frozenset({AgentName.EMOTION, AgentName.STORY, AgentName.CHAT})
    ctx = AgentContext(text="3加5等于几", profile=profile(), enabled=edu_off)
    decision = route(ctx)
    reply = respond(ctx, decision)
    assert decision.agent == AgentName.CHAT and reply.agent == AgentName.CHAT
    assert "8" not in reply.text and "老师" in reply.text
    story_off = frozenset({AgentName.EDU, AgentName.EMOTION})
    ctx = AgentContext(text="tell me a story", profile=profile("en"), enabled=story_off)
    reply = respond(ctx, route(ctx))
    assert reply.agent == AgentName.CHAT and "No stories today" in reply.text

"""Golden conversations through route + respond, as the pipeline runs them, in Chinese and English."""

from __future__ import annotations

import pytest

from conversations.agents import respond, route
from conversations.agents.types import AgentContext, AgentName, AgentReply, MemoryView, ProfileView, RouteDecision, Turn

AGES = {"5-6": 6, "7-8": 8, "9-10": 10, "11-12": 12}
ALL = frozenset({AgentName.EDU, AgentName.EMOTION, AgentName.STORY, AgentName.CHAT})


def converse(texts, *, band="7-8", lang="zh-hans", name="小明", enabled=ALL, memories=()):
    """Run turns like the pipeline: history grows, state is replaced whenever a reply sets it."""
    child = ProfileView(child_id=42, display_name=name, age=AGES[band], age_band=band, grade=None, language=lang)
    history: list[Turn] = []
    state: dict = {}
    out: list[tuple[RouteDecision, AgentReply]] = []
    for text in texts:
        ctx = AgentContext(
            text=text,
            profile=child,
            history=tuple(history),
            memories=tuple(memories),
            enabled=enabled,
            session_state=state,
        )
        decision = route(ctx)
        reply = respond(ctx, decision)
        if reply.session_state is not None:
            state = reply.session_state
        history += [Turn("child", text), Turn("assistant", reply.text, reply.agent.value)]
        out.append((decision, reply))
    return out


def agents(turns):
    return [reply.agent.value for _, reply in turns]


def test_golden_conversation_zh():
    turns = converse(
        [
            "你好",
            "3加5等于几",
            "我喜欢恐龙，我想当宇航员",
            "讲个故事吧",
            "1",
            "继续",
            "2",
            "你是机器人吗",
            "忘掉我说的",
            "再见",
        ],
        band="5-6",
    )
    assert agents(turns) == ["chat", "edu", "chat", "story", "story", "story", "story", "chat", "chat", "chat"]
    _, hello = turns[0]
    assert "小明" in hello.text
    _, sums = turns[1]
    assert sums.subject == "math" and "答案是 8" in sums.text
    _, shared = turns[2]
    assert [(m.kind, m.text) for m in shared.memories] == [("preference", "喜欢恐龙"), ("goal", "想当宇航员")]
    _, ending = turns[6]
    assert "【故事完】" in ending.text and "小道理" in ending.text
    _, robot = turns[7]
    assert "AI" in robot.text and "不是真" in robot.text
    _, forget = turns[8]
    assert forget.forget is True and forget.memories == ()
    assert all(not r.forget for _, r in turns[:8])


def test_golden_conversation_en():
    turns = converse(
        [
            "Hi!",
            "What is 25 plus 17?",
            "I'm so so sad, I cry every day!!",
            "because nobody plays with me",
            "Are you a human?",
            "My favourite food is pizza",
            "forget everything",
            "bye",
        ],
        band="9-10",
        lang="en",
        name="Amy",
    )
    assert agents(turns) == ["chat", "edu", "emotion", "emotion", "chat", "chat", "chat", "chat"]
    _, sums = turns[1]
    assert "25 + 17 = 42" in sums.text and sums.subject == "math"
    decision, sad = turns[2]
    assert decision.emotion.label == "sad" and sad.escalate is True and "adult you trust" in sad.text
    _, lonely = turns[3]
    assert lonely.emotion.label == "lonely" and not lonely.escalate
    _, human = turns[4]
    assert "AI" in human.text
    _, pizza = turns[5]
    assert [m.text for m in pizza.memories] == ["favourite food is pizza"]
    _, forget = turns[6]
    assert forget.forget


def test_escalation_even_when_the_emotion_feature_is_off():
    enabled = frozenset({AgentName.EDU, AgentName.STORY, AgentName.CHAT})
    [(decision, reply)] = converse(["我非常非常难过，每天都想哭！！"], enabled=enabled)
    assert decision.agent == AgentName.CHAT and reply.agent == AgentName.CHAT
    assert reply.escalate is True
    assert "信任的大人" in reply.text


def test_subject_and_emotion_come_from_the_decision():
    child = ProfileView(1, "小明", 8, "7-8", 2, "zh-hans")
    ctx = AgentContext(text="3加5等于几", profile=child)
    decision = route(ctx)
    reply = respond(ctx, decision)
    assert reply.subject == decision.subject == "math"
    assert reply.emotion == decision.emotion


def test_disabled_or_safety_agent_falls_back_to_chat():
    child = ProfileView(1, "小明", 8, "7-8", 2, "zh-hans")
    ctx = AgentContext(text="讲个故事", profile=child, enabled=frozenset({AgentName.CHAT}))
    reply = respond(ctx, RouteDecision(agent=AgentName.STORY))  # a decision that ignores the controls
    assert reply.agent == AgentName.CHAT and reply.session_state is None
    reply = respond(ctx, RouteDecision(agent=AgentName.SAFETY))
    assert reply.agent == AgentName.CHAT


def test_respond_never_raises(monkeypatch, caplog):
    from conversations.agents import edu

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(edu, "respond", broken)
    child = ProfileView(1, "小明", 8, "7-8", 2, "zh-hans")
    ctx = AgentContext(text="3加5等于几，我喜欢恐龙", profile=child)
    reply = respond(ctx, route(ctx))
    assert reply.agent == AgentName.CHAT and reply.text == "我刚才走神了一下，能再说一遍吗？"
    assert [m.text for m in reply.memories] == ["喜欢恐龙"]
    assert "3加5" not in caplog.text  # logs never carry a child's words


def test_memories_shape_replies():
    memories = [MemoryView(1, "preference", "喜欢足球", 0.6)]
    turns = converse(["讲个森林的故事", "1", "1", "1"], memories=memories)
    assert "足球" in turns[-1][1].text


@pytest.mark.parametrize(
    "text",
    ["", "   ", "？？？", "!!!!!!!!", "🙂🙂🙂", "a" * 5000, "(((((((((((1", "1" * 100 + "+1", "x=", "=", "□"],
)
def test_odd_input_is_answered(text):
    [(_, reply)] = converse([text])
    assert reply.text.strip()


# fmt: off
CORPUS_ZH = [
    "你好", "你好吗", "你叫什么名字", "你几岁了", "你住在哪里", "你最喜欢什么动物", "你喜欢我吗", "讲个笑话",
    "猜谜语", "你会做什么", "谢谢", "我爱你", "我好无聊", "我有点饿了", "再见", "我叫朵朵", "嗯", "忘掉我说的",
    "你是真人吗", "3加5等于几", "十二减七", "2+3×4", "x+3=7", "5÷0", "24÷□=6", "给我出一道题", "15",
    "为什么天是蓝的", "长城有多长", "苹果用英语怎么说", "帮我写作业", "我不懂分数", "为什么猫咪喜欢纸箱子",
    "我很开心", "我的小狗死了", "我非常非常难过", "我怕打雷", "我好紧张", "没人跟我玩", "好恶心", "我太兴奋了",
    "哇", "讲个故事", "1", "2", "继续", "换一个故事", "不想听了",
]
# fmt: on
CORPUS_EN = [
    "hello",
    "how are you?",
    "what's your name",
    "how old are you",
    "what's your favourite colour?",
    "do you like me?",
    "tell me a joke",
    "riddle please",
    "what can you do",
    "thanks",
    "I love you",
    "I'm bored",
    "I'm hungry",
    "bye",
    "my name is Sam",
    "ok",
    "forget everything",
    "are you a robot?",
    "what is 12 times 3",
    "what is 7 divided by 0",
    "3x - 4 = 11",
    "quiz me",
    "why is the sky blue?",
    "how do you say cat in Chinese",
    "can you do my homework?",
    "I'm so happy",
    "my dog died",
    "I'm so so sad!!",
    "I'm scared of the dark",
    "I'm nervous",
    "I feel lonely",
    "gross",
    "I can't wait!",
    "I'm confused",
    "tell me a story",
    "the first one",
    "then what happened?",
    "new story",
    "stop the story",
]


@pytest.mark.parametrize("band", ["5-6", "11-12"])
@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_corpus_runs_without_a_single_agent_error(band, lang, caplog):
    """The safe fallback hides bugs from children; this makes sure there are none to hide."""
    caplog.set_level("ERROR", logger="conversations.agents")
    turns = converse([*CORPUS_ZH, *CORPUS_EN], band=band, lang=lang)
    assert [r for r in caplog.records if r.levelname == "ERROR"] == []
    assert all(reply.text.strip() for _, reply in turns)
    assert all("走神" not in reply.text and "mind wandered" not in reply.text for _, reply in turns)


def test_situations_carry_feelings():
    [(sad_decision, sad)] = converse(["我的小狗死了"])
    assert sad_decision.agent == AgentName.EMOTION and sad.emotion.label == "sad"
    [(_, proud)] = converse(["I got 100 on my test!"], lang="en")
    assert proud.emotion.label == "happy"
    [(_, homework)] = converse(["你能帮我写作业吗"])
    assert homework.agent == AgentName.EDU and "自己做" in homework.text

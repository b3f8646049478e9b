"""The story agent: multi-turn interactive stories in both languages, state across turns, endings with a lesson."""

from __future__ import annotations

import pytest

from conversations.agents import respond, route
from conversations.agents.story import BEATS, WORLD_ORDER, choice_in, story_state
from conversations.agents.story_worlds_en import WORLDS_EN
from conversations.agents.story_worlds_zh import WORLDS_ZH
from conversations.agents.types import AgentContext, AgentName, MemoryView, ProfileView, Turn

AGES = {"5-6": 6, "7-8": 8, "9-10": 10, "11-12": 12}


def profile(band="7-8", lang="zh-hans", name="小明", interests=()) -> ProfileView:
    return ProfileView(
        child_id=11, display_name=name, age=AGES[band], age_band=band, grade=None, language=lang, interests=interests
    )


class Session:
    """What the pipeline does between turns: keep the history and replace the state when a reply sets it."""

    def __init__(self, child: ProfileView, memories=()):
        self.child = child
        self.memories = tuple(memories)
        self.history: list[Turn] = []
        self.state: dict = {}

    def say(self, text: str):
        ctx = AgentContext(
            text=text, profile=self.child, history=tuple(self.history), memories=self.memories, session_state=self.state
        )
        decision = route(ctx)
        reply = respond(ctx, decision)
        if reply.session_state is not None:
            self.state = reply.session_state
        self.history += [Turn("child", text), Turn("assistant", reply.text, reply.agent.value)]
        return decision, reply


def test_at_least_four_worlds_in_both_languages():
    assert len(WORLD_ORDER) >= 4
    assert set(WORLDS_ZH) == set(WORLDS_EN) == set(WORLD_ORDER)


def test_golden_story_zh_four_turns():
    session = Session(profile("5-6", interests=("恐龙",)))
    decision, reply = session.say("给我讲个故事吧")
    assert decision.agent == AgentName.STORY
    assert "恐龙谷" in reply.text  # picked from the child's interests
    assert "小明" in reply.text  # the child is the hero
    assert "1. 顺着蛋滚过的痕迹去追" in reply.text and "2. 爬到高高的大石头上找一找" in reply.text
    assert session.state["story"] == {"world": "dinosaur", "step": 0, "hero": "小明", "path": ""}

    decision, reply = session.say("2")
    assert decision.agent == AgentName.STORY
    assert "小明爬上大石头" in reply.text  # the choice steered the story
    assert session.state["story"]["step"] == 1 and session.state["story"]["path"] == "B"

    decision, reply = session.say("大家一起把蛋推回去")  # picked by a word of the choice
    assert "一人一边" in reply.text
    assert session.state["story"]["path"] == "BA"

    decision, reply = session.say("陪它去道歉")
    assert decision.agent == AgentName.STORY
    assert "对不起" in reply.text
    assert "小道理" in reply.text  # 5-6: the short learning point
    assert "【故事完】" in reply.text
    assert "story" not in session.state and session.state["last_story"] == "dinosaur"


def test_golden_story_en_with_then_what():
    session = Session(profile("11-12", "en", "Amy"))
    decision, reply = session.say("Tell me a space story")
    assert decision.agent == AgentName.STORY and "A Signal from the Stars" in reply.text and "Amy" in reply.text
    _, reply = session.say("1")
    assert "whooshed" in reply.text
    decision, reply = session.say("then what happened?")
    assert decision.agent == AgentName.STORY and "Let me choose for Amy" in reply.text
    assert session.state["story"]["step"] == 2
    _, reply = session.say("the second one")
    assert "spare battery" in reply.text
    assert "The lesson: real courage" in reply.text  # 11-12: the fuller lesson
    assert "THE END." in reply.text and "story" not in session.state


def test_a_story_survives_a_maths_detour():
    session = Session(profile())
    session.say("讲一个太空的故事")
    decision, reply = session.say("3加5等于几")
    assert decision.agent == AgentName.EDU and "答案是 8" in reply.text
    assert session.state["story"]["step"] == 0  # untouched
    decision, reply = session.say("继续讲故事")
    assert decision.agent == AgentName.STORY and session.state["story"]["step"] == 1


def test_new_story_resets_and_changes_world():
    session = Session(profile())
    session.say("讲个森林的故事")
    session.say("1")
    assert session.state["story"]["world"] == "forest" and session.state["story"]["step"] == 1
    decision, reply = session.say("换一个故事")
    assert decision.agent == AgentName.STORY
    assert session.state["story"]["step"] == 0 and session.state["story"]["world"] != "forest"


def test_stop_and_recap():
    session = Session(profile("9-10", "en", "Leo"))
    session.say("tell me a story about the ocean")
    _, recap = session.say("tell me a story")  # already telling one: remind, don't skip ahead
    assert "We're in the middle of" in recap.text and session.state["story"]["step"] == 0
    decision, reply = session.say("stop the story")
    assert decision.agent == AgentName.STORY and "pause the story" in reply.text
    assert "story" not in session.state


def test_yes_after_the_end_starts_another_story():
    session = Session(profile())
    session.say("讲故事")
    for pick in ("1", "1", "1"):
        session.say(pick)
    assert "story" not in session.state
    decision, reply = session.say("好呀")
    assert decision.agent == AgentName.STORY and "story" in session.state


def test_liked_things_from_memory_appear_in_the_ending():
    memories = [MemoryView(1, "preference", "喜欢足球", 0.5)]
    session = Session(profile(), memories)
    session.say("讲个海洋的故事")
    for pick in ("1", "2", "1"):
        _, reply = session.say(pick)
    assert "聊聊足球" in reply.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 0),
        ("2", 1),
        ("第一个", 0),
        ("第二个", 1),
        ("the first one", 0),
        ("second", 1),
        ("去问问猫头鹰", 1),
        ("随便", None),
    ],
)
def test_choice_parsing(text, expected):
    assert choice_in(text, "forest", 0) == expected


def test_bad_state_is_ignored():
    assert story_state({"story": {"world": "mars", "step": 0}}) is None
    assert story_state({"story": {"world": "forest", "step": BEATS}}) is None
    assert story_state({"story": "nonsense"}) is None
    ctx = AgentContext(text="继续", profile=profile(), session_state={"story": {"world": "nope"}})
    assert respond(ctx, route(ctx)).agent in (AgentName.STORY, AgentName.CHAT)


def test_story_keeps_the_language_it_was_started_in():
    session = Session(profile("7-8", "zh-hans"))  # a Chinese profile asking in English
    session.say("tell me a story about space")
    _, reply = session.say("1")  # a bare number says nothing about language
    assert "What should" in reply.text and "你想让" not in reply.text

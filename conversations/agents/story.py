"""The story agent: interactive stories from a few worlds, one beat per turn, steered by the child.

State lives in the session (``session_state["story"]``) so a story continues across turns and survives a
detour to a maths question: ``{"world": "space", "step": 1, "hero": "小明", "path": "A"}`` — ``step`` is
how many beats have been told after the opening, ``path`` the choices made. A finished story leaves
``{"last_story": "space"}`` so the next one is different. The child's reply picks a branch by number
(1/2, 第一个, "the second"), by a keyword of the choice, or — for anything else — the story goes on with a
branch picked deterministically, acknowledging their idea. Every story ends with a learning point sized
for the age band.
"""

from __future__ import annotations

import re

from .lexicon import TermIndex
from .story_worlds_en import PHRASES_EN, WORLDS_EN
from .story_worlds_zh import PHRASES_ZH, WORLDS_ZH
from .textutil import band_level, normalise, pick, stable_index
from .types import AgentContext, AgentName, AgentReply, RouteDecision

WORLD_ORDER = ("forest", "space", "ocean", "dinosaur")
BEATS = 3
_WORLD_TERMS = {
    "forest": (
        "森林",
        "树林",
        "小动物",
        "兔子",
        "小兔",
        "松鼠",
        "forest",
        "woods",
        "animal*",
        "rabbit*",
        "bunn*",
        "squirrel*",
    ),
    "space": (
        "太空",
        "宇宙",
        "星星",
        "星球",
        "火箭",
        "宇航员",
        "外星人",
        "space",
        "rocket*",
        "planet*",
        "astronaut*",
        "alien*",
    ),
    "ocean": (
        "大海",
        "海洋",
        "海底",
        "海豚",
        "美人鱼",
        "珊瑚",
        "潜水",
        "ocean*",
        "sea",
        "dolphin*",
        "mermaid*",
        "coral*",
        "underwater",
    ),
    "dinosaur": ("恐龙", "三角龙", "霸王龙", "dinosaur*", "dino", "dinos", "t-rex", "triceratops"),
}
_WORLD_INDEX: TermIndex[str] = TermIndex([(t, k) for k, terms in _WORLD_TERMS.items() for t in terms])

_REQUEST = re.compile(
    r"讲(一|个|一个)?(个)?故事|说(一|个)?个?故事|听故事|讲.{0,6}的故事|故事|童话"
    r"|\bstor(y|ies)\b|fairy ?tale|once upon a time"
)
_NEW = re.compile(
    r"新故事|换(一|个|一个)?个?故事|再讲(一|个)|另(一|外)个故事|重新开始|从头(开始|讲)|再来一个故事"
    r"|\bnew story\b|\banother story\b|\bdifferent story\b|\bstart (over|again)\b|\brestart\b|\bone more story\b"
)
_CONTINUE = re.compile(
    r"然后呢|后来呢|接着|继续|接下来|下面呢|后来怎么样|然后怎么样|后来呢|还有呢|快讲"
    r"|\bcontinue\b|what happen(s|ed)? next|\bthen what\b|\band then\b|\bgo on\b|\bkeep going\b|\bwhat next\b|\bnext\b"
)
_STOP = re.compile(
    r"不想听了|不听了|停止故事|别讲了|不要讲了|结束故事|不讲了"
    r"|\bstop the story\b|\bstop story\b|\bno more stor(y|ies)\b|\bstop telling\b"
)
_FIRST = re.compile(r"(?<![\d.])1(?![\d.])|第一|选一|一号|^一$|^a$|\bfirst\b|\boption one\b|^one$|\bthe first\b")
_SECOND = re.compile(r"(?<![\d.])2(?![\d.])|第二|选二|二号|^二$|^b$|\bsecond\b|\boption two\b|^two$|\bthe second\b")
_AFFIRM = re.compile(
    r"^(好|好的|好呀|好啊|好吧|想|想听|要|要听|嗯|嗯嗯|可以|行|当然|再来"
    r"|yes|yeah|yep|ok|okay|sure|please|yes please)[!.。！~ ]*$"
)
_PRAISE = {
    "zh": ("好主意！", "好，就这么办！", "真是个好选择！"),
    "en": ("Good idea!", "Great choice!", "Let's do it!"),
}


def _texts(lang: str) -> tuple[dict[str, dict], dict[str, str]]:
    return (WORLDS_ZH, PHRASES_ZH) if lang == "zh" else (WORLDS_EN, PHRASES_EN)


def _check_worlds() -> None:
    """Both languages must tell the same stories with the same shape; fail at import, not mid-story."""
    for worlds in (WORLDS_ZH, WORLDS_EN):
        if tuple(worlds) != WORLD_ORDER:
            raise ImportError("story worlds must be " + ", ".join(WORLD_ORDER))
        for key, world in worlds.items():
            beats = world["beats"]
            if len(beats) != BEATS or len(world["choices"]) != 2 or len(world["lesson"]) != 2:
                raise ImportError(f"story world {key} is malformed")
            for i, beat in enumerate(beats):
                last = i == BEATS - 1
                if len(beat["outcomes"]) != 2 or ("choices" in beat) == last:
                    raise ImportError(f"story world {key} beat {i} is malformed")


_check_worlds()


def story_state(session_state: dict) -> dict | None:
    """The story in progress, if any and well-formed (a stale or hand-edited state is ignored)."""
    story = session_state.get("story") if isinstance(session_state, dict) else None
    if not isinstance(story, dict) or story.get("world") not in WORLD_ORDER:
        return None
    step = story.get("step")
    if not isinstance(step, int) or not 0 <= step < BEATS:
        return None
    return story


def wants_story(text: str) -> bool:
    return bool(_REQUEST.search(normalise(text)))


def wants_new_story(text: str) -> bool:
    return bool(_NEW.search(normalise(text)))


def wants_continue(text: str) -> bool:
    return bool(_CONTINUE.search(normalise(text)))


def wants_stop(text: str) -> bool:
    return bool(_STOP.search(normalise(text)))


def is_affirmative(text: str) -> bool:
    """ "好呀", "yes please": agreeing, not choosing."""
    return bool(_AFFIRM.match(normalise(text)))


def world_in(text: str) -> str | None:
    """A story world named in ``text`` ("讲个恐龙的故事", "a space story")."""
    hits = _WORLD_INDEX.payloads(normalise(text))
    return hits[0] if hits else None


def _choices_for(world: str, step: int) -> tuple[tuple, tuple]:
    """The (zh, en) choice pairs the child is answering at ``step`` (0 = after the opening)."""
    zh, en = WORLDS_ZH[world], WORLDS_EN[world]
    if step == 0:
        return zh["choices"], en["choices"]
    return zh["beats"][step - 1]["choices"], en["beats"][step - 1]["choices"]


def choice_in(text: str, world: str, step: int) -> int | None:
    """0 or 1 if the child picked a branch (by number or by a word of the choice), else None."""
    norm = normalise(text)
    first, second = bool(_FIRST.search(norm)), bool(_SECOND.search(norm))
    if first != second:
        return 0 if first else 1
    zh_choices, en_choices = _choices_for(world, step)
    scores = [0, 0]
    for choices in (zh_choices, en_choices):
        for index, (_label, keywords) in enumerate(choices):
            scores[index] += sum(1 for k in keywords if k.lower() in norm)
    if scores[0] != scores[1]:
        return 0 if scores[0] > scores[1] else 1
    return None


def is_story_reply(text: str, session_state: dict) -> bool:
    """Is this message an answer to the story in progress (a pick, or "then what")?"""
    story = story_state(session_state)
    if story is None:
        return False
    return wants_continue(text) or choice_in(text, story["world"], story["step"]) is not None


def _pick_world(ctx: AgentContext, liked: tuple[str, ...], avoid: str | None) -> str:
    named = world_in(ctx.text)
    if named:
        return named
    for thing in (*liked, *(m.text for m in ctx.memories)):
        found = world_in(thing)
        if found and found != avoid:
            return found
    if avoid in WORLD_ORDER:
        return WORLD_ORDER[(WORLD_ORDER.index(avoid) + 1) % len(WORLD_ORDER)]
    return WORLD_ORDER[stable_index(len(WORLD_ORDER), ctx.profile.child_id, "story")]


def _fill(template: str, hero: str, friend: str) -> str:
    return template.replace("{hero}", hero).replace("{friend}", friend)


def _prompt(world: dict, phrases: dict, choices: tuple, hero: str) -> str:
    lines = [_fill(phrases["ask"], hero, world["friend"])]
    lines += [f"{i + 1}. {_fill(label, hero, world['friend'])}" for i, (label, _) in enumerate(choices)]
    lines.append(phrases["or_own"])
    return "\n".join(lines)


def _start(ctx: AgentContext, lang: str, liked: tuple[str, ...], state: dict, avoid: str | None) -> AgentReply:
    key = _pick_world(ctx, liked, avoid)
    worlds, phrases = _texts(lang)
    world = worlds[key]
    hero = (ctx.profile.display_name or "").strip()[:20] or world["hero"]
    text = "\n".join(
        [
            phrases["start"].format(title=world["title"]),
            _fill(world["opening"], hero, world["friend"]),
            _prompt(world, phrases, world["choices"], hero),
        ]
    )
    state["story"] = {"world": key, "step": 0, "hero": hero, "path": ""}
    state.pop("last_story", None)
    return AgentReply(text, AgentName.STORY, session_state=state)


def _advance(ctx: AgentContext, lang: str, liked: tuple[str, ...], state: dict, story: dict) -> AgentReply:
    key, step = story["world"], story["step"]
    worlds, phrases = _texts(lang)
    world = worlds[key]
    hero = str(story.get("hero") or world["hero"])
    friend = world["friend"]
    choice = choice_in(ctx.text, key, step)
    if choice is None:
        choice = stable_index(2, ctx.profile.child_id, key, step, ctx.text)
        agreeing = wants_continue(ctx.text) or is_affirmative(ctx.text)
        lead = _fill(phrases["i_choose" if agreeing else "own_idea"], hero, friend)
    else:
        lead = pick(_PRAISE[lang], ctx.profile.child_id, key, step)
    beat = world["beats"][step]
    parts = [lead, _fill(beat["outcomes"][choice], hero, friend), _fill(beat["text"], hero, friend)]
    path = str(story.get("path", "")) + "AB"[choice]
    if step + 1 < BEATS:
        parts.append(_prompt(world, phrases, beat["choices"], hero))
        state["story"] = {**story, "step": step + 1, "path": path}
    else:
        if liked:
            thing = pick(liked, ctx.profile.child_id, key)
            parts.append(_fill(phrases["liked"], hero, friend).replace("{thing}", thing))
        parts.append(world["lesson"][0 if band_level(ctx.profile) <= 1 else 1])
        parts.append(f"{phrases['the_end']} {phrases['again']}")
        state.pop("story", None)
        state["last_story"] = key
    joiner = "" if lang == "zh" else " "
    text = joiner.join(parts[:3]) + "\n" + "\n".join(parts[3:])
    return AgentReply(text.strip(), AgentName.STORY, session_state=state)


def _recap(lang: str, state: dict, story: dict) -> AgentReply:
    """ "讲故事" while a story is open: remind where we are and ask again, without skipping a beat."""
    worlds, phrases = _texts(lang)
    world = worlds[story["world"]]
    hero = str(story.get("hero") or world["hero"])
    step = story["step"]
    choices = world["choices"] if step == 0 else world["beats"][step - 1]["choices"]
    lead = (
        f"我们正在讲《{world['title']}》呢！"
        if lang == "zh"
        else f"We're in the middle of \u201c{world['title']}\u201d!"
    )
    return AgentReply(f"{lead}\n{_prompt(world, phrases, choices, hero)}", AgentName.STORY, session_state=state)


def respond(ctx: AgentContext, decision: RouteDecision, lang: str, *, liked: tuple[str, ...] = ()) -> AgentReply:
    """The story agent's builtin reply; always returns the full new session state."""
    state = dict(ctx.session_state or {})
    story = story_state(state)
    if story is not None and wants_stop(ctx.text):
        state.pop("story", None)
        state["last_story"] = story["world"]
        _, phrases = _texts(lang)
        return AgentReply(phrases["stopped"], AgentName.STORY, emotion=decision.emotion, session_state=state)
    named = world_in(ctx.text)
    if story is None or wants_new_story(ctx.text) or (named and named != story["world"] and wants_story(ctx.text)):
        avoid = story["world"] if story else state.get("last_story")
        reply = _start(ctx, lang, liked, state, avoid if isinstance(avoid, str) else None)
    elif wants_story(ctx.text) and not is_story_reply(ctx.text, state):
        reply = _recap(lang, state, story)
    else:
        reply = _advance(ctx, lang, liked, state, story)
    return AgentReply(reply.text, AgentName.STORY, emotion=decision.emotion, session_state=reply.session_state)

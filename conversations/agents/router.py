"""Route a message to edu, emotion, story or chat by keyword and feature scores.

Why scores and not a cascade of ifs: messages mix signals ("我很难过，数学考砸了", "继续讲故事！好开心").
Each agent gets a score from cheap features — a solvable math problem, a knowledge-base hit, question
words, subject words; a feeling's intensity; a story request or a reply to the story in progress; small-talk
intents and the AI question — and the best *enabled* agent wins if it beats chat (always available) outright;
among the others, ties go to emotion, then edu, then story. All scores are returned so the pipeline can
record why.
"""

from __future__ import annotations

import re

from . import arithmetic, chat, edu, emotion, knowledge, story, vocabulary
from .subjects import subject_scores
from .textutil import conversation_language, is_question, normalise
from .types import AgentContext, AgentName, EmotionReading, RouteDecision

CHAT_BASE = 1.0
_PRIORITY = (AgentName.EMOTION, AgentName.EDU, AgentName.STORY, AgentName.CHAT)
_EDU_CUES = re.compile(
    r"作业|习题|这道题|考试|学习|上课|课文|教我|教教我|解释|什么意思|怎么写|怎么读|怎么算|算一算|请问|百科"
    r"|\bhomework\b|\blesson\b|\bteach me\b|\bexplain\b|\bmeaning\b|\bspell\b|\bcalculate\b|\bsolve\b|\bexam\b"
)
_WHY = re.compile(r"为什么|为啥|怎么会|\bwhy\b|\bhow come\b")
_SMALL_TALK = frozenset(
    {"greet", "how_are_you", "name", "age", "home", "favourite", "capabilities", "bye", "thanks", "love", "body"}
)


def _chat_score(text: str, state: dict) -> float:
    intent = chat.intent_of(text)
    score = CHAT_BASE
    if intent == "ai":
        score += 10.0  # "are you a robot?" is always answered truthfully by chat
    elif intent == "forget":
        score += 6.0
    elif intent in ("joke", "riddle"):
        score += 4.5
    elif intent in _SMALL_TALK:
        score += 2.0
    elif intent == "bored":
        score += 1.5
    if chat.riddle_pending(state):
        score += 3.0
    return score


def _edu_score(text: str, norm: str, state: dict, reading: EmotionReading) -> float:
    score = 0.0
    if arithmetic.find_problem(text) is not None:
        score += 4.0
    if isinstance(state.get("quiz"), dict) and edu.looks_like_quiz_reply(text):
        score += 5.0
    if edu.wants_quiz(text):
        score += 4.0
    if vocabulary.find_translation(text) is not None:
        score += 4.0
    question = is_question(norm)
    if knowledge.lookup(text) is not None:
        score += 2.0 + (1.0 if question else 0.0)
    subjects = subject_scores(text)
    if subjects:
        score += min(1.5, 0.75 * max(subjects.values()))
        if reading.label == "confused":
            score += 1.0  # "我不懂分数" is a learning question
    if question:
        # "为什么…" is usually curiosity about the world; "你为什么…" is small talk with the companion.
        about_us = re.search(r"你|\byou\b|\byour\b", norm) is not None
        score += 0.6 + (0.6 if _WHY.search(norm) and not about_us else 0.0)
    if _EDU_CUES.search(norm):
        score += 0.8
    return score


def _emotion_score(reading: EmotionReading, ctx: AgentContext) -> float:
    if reading.label == emotion.NEUTRAL:
        last = next((t for t in reversed(ctx.history) if t.role == "assistant"), None)
        return 1.3 if last is not None and last.agent == AgentName.EMOTION else 0.0
    if reading.label in emotion.NEGATIVE_EMOTIONS:
        score = 1.5 + 3.0 * reading.intensity
        return score + (3.0 if emotion.needs_escalation(reading) else 0.0)
    if reading.label == "confused":
        return 0.5 + 1.5 * reading.intensity
    return 0.8 + 2.0 * reading.intensity


def _story_score(text: str, norm: str, state: dict, ctx: AgentContext) -> float:
    active = story.story_state(state)
    score = 0.0
    just_ended = active is None and "last_story" in state and bool(ctx.history) and ctx.history[-1].agent == "story"
    if story.wants_story(text):
        score += 4.0
    elif story.wants_new_story(text) and (active is not None or "last_story" in state):
        score += 4.0  # "再讲一个" right after a story
    elif just_ended and story.is_affirmative(text):
        score += 4.0  # "好呀!" to "想再听一个新故事吗？"
    if active is not None:
        if story.wants_stop(text):
            score += 5.0
        elif story.is_story_reply(text, state):
            score += 4.0
        elif len(norm) <= 12 and not is_question(norm):
            score += 1.6  # a short answer while a story waits for the child's choice
    return score


def route(ctx: AgentContext) -> RouteDecision:
    """Choose the agent for ``ctx.text``; disabled agents are never chosen (chat always can be)."""
    text = ctx.text or ""
    norm = normalise(text)
    state = ctx.session_state if isinstance(ctx.session_state, dict) else {}
    lang = conversation_language(ctx)
    reading = emotion.detect_emotion(text, lang)
    scores = {
        AgentName.EDU.value: _edu_score(text, norm, state, reading),
        AgentName.EMOTION.value: _emotion_score(reading, ctx),
        AgentName.STORY.value: _story_score(text, norm, state, ctx),
        AgentName.CHAT.value: _chat_score(text, state),
    }
    candidates = [a for a in _PRIORITY if a != AgentName.CHAT and a in ctx.enabled]
    best = AgentName.CHAT
    if candidates:
        top = max(candidates, key=lambda a: (scores[a.value], -_PRIORITY.index(a)))
        if scores[top.value] > scores[AgentName.CHAT.value]:
            best = top  # another agent must beat chat outright; on a tie, small talk is the safer answer
    subject = None
    if best == AgentName.EDU:
        quiz_reply = isinstance(state.get("quiz"), dict) and edu.looks_like_quiz_reply(text)
        subject = "math" if quiz_reply else edu.resolve_subject(text)
    return RouteDecision(
        agent=best,
        subject=subject,
        emotion=reading,
        scores={k: round(v, 3) for k, v in scores.items()},
    )

"""The edu agent: exact arithmetic, word translations, a small knowledge base, quizzes, and honesty.

Order of answers: a quiz answer we are waiting for → a quiz request → arithmetic or an equation (solved
exactly, explained at the child's level) → a word translation → a knowledge-base topic → an honest "I'm not
sure — let's find out together" with a concrete way to find out. Never a made-up fact: for a child a
confident wrong answer is worse than none.
"""

from __future__ import annotations

import re
from fractions import Fraction

from . import arithmetic, knowledge, vocabulary
from .arithmetic_explain import explain
from .numerals import zh_numerals_to_digits
from .subjects import detect_subject, subject_name
from .textutil import band_level, is_question, normalise, pick, reply_language, stable_index
from .types import AgentContext, AgentName, AgentReply, RouteDecision

_QUIZ_REQUEST = re.compile(
    r"出(一|个|几)?(道|个)?题|考考我|考我|给我(一|出)?(道|个)题|来(一)?道题"
    r"|\bquiz me\b|\btest me\b|\bgive me a (math |maths )?(question|problem|sum)\b|\bask me a (math |maths )?question\b"
)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:/\d+)?")
_HOMEWORK_FOR_ME = re.compile(
    r"(帮我|替我|帮忙)(写|做|完成)(一下)?作业|作业(帮我|替我)(写|做)|\b(do|write|finish) my homework\b"
    r"|\bhelp (me )?with (my )?homework\b"
)
_DONT_KNOW = re.compile(
    r"不知道|不会|不懂|想不出|告诉我答案|答案是什么|i don't know|dunno|no idea|tell me the answer|give up"
)


def wants_quiz(text: str) -> bool:
    return bool(_QUIZ_REQUEST.search(normalise(text)))


def quiz_answer_in(text: str) -> Fraction | None:
    """The number a child gave as a quiz answer ("15", "是十五", "x = 5", "I think 3/4"), if any."""
    numbers = _NUMBER.findall(zh_numerals_to_digits(normalise(text)))
    if not numbers:
        return None
    try:
        return Fraction(numbers[-1])
    except (ValueError, ZeroDivisionError):
        return None


def looks_like_quiz_reply(text: str) -> bool:
    """Short replies with a number, or "I don't know": what a child says back to a quiz question."""
    norm = normalise(text)
    return len(norm) <= 16 and (quiz_answer_in(norm) is not None or bool(_DONT_KNOW.search(norm)))


def make_quiz(level: int, *keys: object) -> tuple[str, Fraction]:
    """A question for the age band and its exact answer; deterministic in ``keys``."""
    r = [stable_index(1000, *keys, i) for i in range(4)]
    if level == 0:
        a, b = 1 + r[0] % 9, 1 + r[1] % 9
        if r[2] % 2 and a != b:
            a, b = max(a, b), min(a, b)
            return f"{a} - {b}", Fraction(a - b)
        return f"{a} + {b}", Fraction(a + b)
    if level == 1:
        kind = r[2] % 3
        a, b = 11 + r[0] % 80, 2 + r[1] % 18
        if kind == 0:
            return f"{a} + {b}", Fraction(a + b)
        if kind == 1:
            return f"{a} - {b}", Fraction(a - b)
        a, b = 2 + r[0] % 8, 2 + r[1] % 8
        return f"{a} × {b}", Fraction(a * b)
    if level == 2:
        kind = r[2] % 3
        if kind == 0:
            a, b = 12 + r[0] % 88, 3 + r[1] % 7
            return f"{a} × {b}", Fraction(a * b)
        if kind == 1:
            b, q = 3 + r[0] % 7, 12 + r[1] % 30
            return f"{b * q} ÷ {b}", Fraction(q)
        a, b = 120 + r[0] % 800, 35 + r[1] % 90
        return f"{a} - {b}", Fraction(a - b)
    if r[2] % 2:
        a, x, b = 2 + r[0] % 8, 2 + r[1] % 12, 1 + r[3] % 20
        return f"{a}x + {b} = {a * x + b}", Fraction(x)
    d1, d2 = (2, 3, 4, 5, 6)[r[0] % 5], (3, 4, 5, 8)[r[1] % 4]
    n1, n2 = 1 + r[3] % (d1 - 1), 1
    return f"{n1}/{d1} + {n2}/{d2}", Fraction(n1, d1) + Fraction(n2, d2)


def resolve_subject(text: str) -> str:
    """The subject an edu message is about, always a key (``general`` when nothing points anywhere)."""
    if arithmetic.find_problem(text) is not None or wants_quiz(text):
        return "math"
    if vocabulary.find_translation(text) is not None:
        # A Chinese-speaking child asking about words is learning English, an English-speaking one Chinese.
        return "english" if reply_language(text, "zh") == "zh" else "chinese"
    topic = knowledge.lookup(text)
    if topic is not None:
        return topic.subject
    return detect_subject(text) or "general"


# --- wording ----------------------------------------------------------------------------------------------
_FIND_OUT = {
    "science": (
        "和爸爸妈妈一起查查少儿百科，或者做个安全的小实验观察一下",
        "look it up in a children's encyclopedia with a grown-up, or try a safe little experiment",
    ),
    "history": (
        "去图书馆找一本历史故事书，或者问问老师",
        "find a history story book at the library, or ask your teacher",
    ),
    "geography": ("打开地图或地球仪找一找，或者查查地理百科", "look on a map or a globe, or in a geography book"),
    "math": (
        "把题目完整地写给我，比如 3+5 或 2x+1=7；也可以问问数学老师",
        "write the whole problem for me, like 3+5 or 2x+1=7 — or ask your maths teacher",
    ),
    "chinese": ("查一查字典或词典，或者问问语文老师", "look in a Chinese dictionary, or ask your Chinese teacher"),
    "english": ("查一查英汉词典，再大声读几遍", "look it up in a dictionary and say it out loud a few times"),
    "art": (
        "去看看美术书或博物馆的网站，动手画一画也会有发现",
        "look at an art book or a museum website — and try drawing it yourself",
    ),
    "music": ("听一听相关的音乐，或者问问音乐老师", "listen to some music about it, or ask your music teacher"),
    "pe": ("问问体育老师，运动时一定注意安全", "ask your PE teacher, and always stay safe when you exercise"),
    "morality": (
        "和爸爸妈妈或老师聊一聊，听听他们的想法",
        "talk it over with your parents or teacher and hear what they think",
    ),
    "it": ("和爸爸妈妈一起查一查靠谱的科普网站", "look it up together with a grown-up on a trustworthy website"),
    "general": (
        "问问爸爸妈妈或老师，或者和大人一起去图书馆查一查",
        "ask your parents or teacher, or look it up at the library with a grown-up",
    ),
}
_EXAMPLES = {
    "zh": ("为什么天空是蓝色的？", "恐龙是怎么灭绝的？", "3 + 5 等于几？", "长城有多长？", "苹果用英语怎么说？"),
    "en": ("Why is the sky blue?", "How did the dinosaurs die out?", "What is 12 times 3?", "What do plants need?"),
}
_FOLLOW_UP = {
    "zh": ("还有别的问题吗？我们继续探索！", "你还想知道什么？", "真是个好问题，继续保持好奇心哦！"),
    "en": (
        "Any other questions? Let's keep exploring!",
        "What else would you like to know?",
        "Great question — stay curious!",
    ),
}


def _honest(ctx: AgentContext, lang: str, subject: str, question: bool, confused: bool) -> str:
    zh = lang == "zh"
    tip = _FIND_OUT.get(subject, _FIND_OUT["general"])[0 if zh else 1]
    example = pick(_EXAMPLES[lang], ctx.profile.child_id, ctx.text)
    if confused:
        if zh:
            return "不明白没关系，每个人学新东西都会卡住！把具体的题目或者你不懂的地方告诉我，我们一步一步来。"
        return (
            "It's okay not to get it yet — everyone gets stuck when learning something new! Tell me the exact "
            "question or the part you don't understand, and we'll go step by step."
        )
    if not question:
        name = subject_name(subject, lang)
        if zh:
            return f"你在学{name}呀，真棒！能给我讲讲你学到了什么吗？你也可以问我问题，比如：“{example}”"
        return (
            f"You're learning {name} — brilliant! Can you tell me what you learned? "
            f"You can also ask me things, like \u201c{example}\u201d"
        )
    if zh:
        return (
            "这个问题问得真好！我现在还不能确定答案，不想告诉你错的。"
            f"我们可以一起找答案：{tip}。找到以后，回来讲给我听好吗？"
        )
    return (
        "What a great question! I'm not sure of the answer, and I don't want to tell you something wrong. "
        f"Let's find out together: {tip}. Then come back and tell me what you found!"
    )


def _pending_quiz(state: dict) -> tuple[str, Fraction] | None:
    """The quiz waiting for an answer, if the session state holds a well-formed one."""
    quiz = state.get("quiz")
    if not isinstance(quiz, dict):
        return None
    try:
        return str(quiz["question"]), Fraction(str(quiz["answer"]))
    except (KeyError, ValueError, ZeroDivisionError):
        return None


def _quiz_check(ctx: AgentContext, lang: str, level: int, question: str, expected: Fraction) -> str:
    zh = lang == "zh"
    shown = arithmetic.format_number(expected)
    given = quiz_answer_in(ctx.text)
    if given is not None and given == expected:
        return pick(
            (
                f"答对啦！{question}，答案就是 {shown}。你真棒！还想再来一道吗？",
                f"完全正确！答案是 {shown}。要不要挑战下一题？",
            )
            if zh
            else (
                f"Correct! For {question} the answer is {shown}. Well done! Want another one?",
                f"Yes, {shown} is right! Ready for the next one?",
            ),
            ctx.profile.child_id,
            question,
        )
    solution = arithmetic.solve(question)
    working = explain(solution, lang, level) if solution else ""
    if given is None:
        lead = "没关系，我们一起来算一算！" if zh else "No problem — let's work it out together!"
    else:
        mine = arithmetic.format_number(given)
        lead = (
            f"差一点点！不是 {mine} 哦。我们一起来算一算："
            if zh
            else f"So close! It isn't {mine}. Let's work it out together:"
        )
    tail = "想再试一道吗？" if zh else "Want to try another one?"
    return f"{lead}{working}{tail}" if zh else f"{lead} {working} {tail}"


def respond(ctx: AgentContext, decision: RouteDecision, lang: str) -> AgentReply:
    """The edu agent's builtin reply."""
    zh = lang == "zh"
    level = band_level(ctx.profile)
    state = dict(ctx.session_state)
    quiz = _pending_quiz(state)

    if quiz is not None and looks_like_quiz_reply(ctx.text) and not wants_quiz(ctx.text):
        state.pop("quiz", None)
        return AgentReply(
            _quiz_check(ctx, lang, level, *quiz),
            AgentName.EDU,
            subject="math",
            emotion=decision.emotion,
            session_state=state,
        )
    if wants_quiz(ctx.text):
        question, answer = make_quiz(level, ctx.profile.child_id, len(ctx.history), ctx.text)
        state["quiz"] = {"question": question, "answer": str(answer)}
        if "=" in question:
            text = (
                f"好呀，请听题：解方程 {question}，x 等于几？"
                if zh
                else f"Here's your question: solve {question}. What is x?"
            )
        else:
            text = (
                f"好呀，请听题：{question} = ?  想好了就把答案告诉我！"
                if zh
                else f"Here's your question: {question} = ?  Tell me your answer when you're ready!"
            )
        return AgentReply(text, AgentName.EDU, subject="math", emotion=decision.emotion, session_state=state)

    if _HOMEWORK_FOR_ME.search(normalise(ctx.text)) and arithmetic.find_problem(ctx.text) is None:
        text = (
            "作业要你自己做才能学会哦，不过我可以陪你一起想！把题目告诉我，我们一步一步来，我会给你讲思路。"
            if zh
            else "Homework only helps if you do it yourself — but I can think it through with you! Tell me the "
            "question and we'll go step by step."
        )
        return AgentReply(text, AgentName.EDU, subject=decision.subject or "general", emotion=decision.emotion)

    solution = arithmetic.solve(ctx.text)
    if solution is not None:
        text = explain(solution, lang, level)
        if decision.emotion and decision.emotion.label == "confused":
            text = ("别着急，我们一起一步一步来。" if zh else "Don't worry, let's go step by step. ") + text
        return AgentReply(text, AgentName.EDU, subject="math", emotion=decision.emotion)

    translation = vocabulary.find_translation(ctx.text)
    if translation is not None:
        subject = "english" if zh else "chinese"
        return AgentReply(
            vocabulary.explain_translation(translation, lang, level),
            AgentName.EDU,
            subject=subject,
            emotion=decision.emotion,
        )

    topic = knowledge.lookup(ctx.text)
    if topic is not None:
        follow = pick(_FOLLOW_UP[lang], ctx.profile.child_id, topic.key, len(ctx.history))
        text = topic.answer(lang, level) + ("" if zh else " ") + follow
        return AgentReply(text, AgentName.EDU, subject=topic.subject, emotion=decision.emotion)

    subject = decision.subject or detect_subject(ctx.text) or "general"
    confused = decision.emotion is not None and decision.emotion.label == "confused"
    text = _honest(ctx, lang, subject, is_question(normalise(ctx.text)), confused)
    return AgentReply(text, AgentName.EDU, subject=subject, emotion=decision.emotion)

"""The chat agent: friendly small talk, jokes and riddles — and always honest about being an AI.

Intents are matched with small regexes in a fixed order; the first that fits answers. Questions about what
the companion is ("你是真人吗", "are you a robot") come first and always get the plain truth: it is an AI,
not a person. When nothing fits, the reply listens and asks back, sometimes recalling something the child
likes (from memory) so the conversation feels personal.
"""

from __future__ import annotations

import re

from .chat_lines import FAVOURITES, JOKES, LINES, NAME, RIDDLES
from .memory import extract, is_forget_request
from .textutil import is_question, normalise, pick, stable_index
from .types import AgentContext, AgentName, AgentReply, RouteDecision

_AI_QUESTION = re.compile(
    r"你(是|是不是|到底是)(一个|个)?(真人|真的人|人类|人|机器人|ai|人工智能|电脑|程序|真的|活的|机器)"
    r"|你有生命吗|你是真的吗|你是不是真的|你是活的吗|是真人(在)?(跟|和)我|有真人吗|你是谁"
    r"|\bare you (a |an |really |even |actually )?"
    r"(real|human|person|robot|ai|bot|computer|machine|alive|living|people)\b"
    r"|\bis this a (real )?(person|human|robot)\b"
    r"|\bam i (talking|chatting) (to|with) a (real )?(person|human|robot|computer|ai)\b"
    r"|\bwho are you\b|\bwhat are you\b"
)
_INTENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "how_are_you",
        re.compile(
            r"你(今天)?(好吗|怎么样|还好吗|过得好吗)"
            r"|\bhow are you\b|\bhow's it going\b|\bhow are things\b|\bhow do you feel\b"
        ),
    ),
    (
        "name",
        re.compile(r"你叫(什么|啥)|你的名字|你叫什么名字|\bwhat'?s your name\b|\bwhat is your name\b|\byour name\b"),
    ),
    ("age", re.compile(r"你(几|多少)岁|你多大|你的年龄|\bhow old are you\b|\byour age\b|\byour birthday\b")),
    ("home", re.compile(r"你住(在)?哪|你(的)?家在哪|\bwhere do you live\b|\bwhere are you from\b")),
    # "讲个笑话" asks for a joke; "同学笑话我" (laughed at me) does not.
    (
        "joke",
        re.compile(
            r"(讲|说|来|听|要)(一)?(个|段|些)?笑话|笑话(吧|吗|呢)|^笑话|逗我笑|好笑的事|\bjokes?\b|\bmake me laugh\b"
            r"|\bsomething funny\b"
        ),
    ),
    ("riddle", re.compile(r"谜语|猜谜|脑筋急转弯|\briddles?\b|\bbrain ?teaser\b")),
    (
        "capabilities",
        re.compile(
            r"你(会|能|可以)(做|干)?(什么|啥)|你有什么(本领|功能)|\bwhat can you do\b|\bhow can you help\b|^help$"
        ),
    ),
    (
        "bye",
        re.compile(
            r"再见|拜拜|晚安|我要走了|下次(再)?聊|明天见|\bbye\b|\bgoodbye\b|\bgood ?night\b|\bsee you\b|\bgotta go\b"
        ),
    ),
    ("thanks", re.compile(r"谢谢|多谢|感谢|\bthank(s| you)\b|\bthx\b")),
    (
        "love",
        re.compile(
            r"我(爱|喜欢)你|你(喜欢|爱)我吗|\bi love you\b|\bi like you\b|\byou'?re my best friend\b"
            r"|\bdo you (like|love) me\b"
        ),
    ),
    ("body", re.compile(r"饿|渴|好累|很累|累了|困了|好困|想睡觉|\bhungry\b|\bthirsty\b|\btired\b|\bsleepy\b")),
    # after "love": "你喜欢我吗" is about us, "你喜欢什么" about our favourite things
    (
        "favourite",
        re.compile(r"你(最)?喜欢(什么|的|哪)|你最喜欢|\byour favou?rite\b|\bwhat do you like\b|\bdo you like\b"),
    ),
    ("bored", re.compile(r"无聊|没意思|没事做|\bbored\b|\bboring\b|\bnothing to do\b")),
    (
        "greet",
        re.compile(
            r"^(你好|您好|嗨|哈喽|哈啰|早上好|早安|下午好|晚上好|hi|hello|hey|hiya|good (morning|afternoon|evening))\b"
            r"|^(你好|嗨|哈喽)"
        ),
    ),
)
_INTRO = re.compile(
    r"我(的名字)?叫([\u4e00-\u9fff]{1,4})(?:[,.!。！，]|$)|\bmy name is ([a-z]{2,15})\b|\bi'?m called ([a-z]{2,15})\b"
)
_SHORT = re.compile(r"^(嗯+|哦+|噢+|好+|好的|行|ok|okay|k|lol|yes|no|yeah|nope|hmm+|呵呵|嘿嘿)[!.。！~ ]*$")
_FAV_TOPIC = re.compile(r"(颜色|动物|食物|书|运动|季节|数字|colou?r|animal|food|book|sport|season|number)")


def is_ai_question(text: str) -> bool:
    """Is the child asking whether we are a person, a robot or an AI? (Always answered truthfully.)"""
    return bool(_AI_QUESTION.search(normalise(text)))


def intent_of(text: str) -> str | None:
    """The small-talk intent of ``text`` (``ai``, ``forget``, ``greet``, ``joke``...), or None."""
    norm = normalise(text)
    if is_forget_request(norm):
        return "forget"
    if _AI_QUESTION.search(norm):
        return "ai"
    for name, pattern in _INTENTS:
        if pattern.search(norm):
            return name
    return None


def _riddle_pending(ctx: AgentContext) -> dict | None:
    riddle = ctx.session_state.get("riddle") if isinstance(ctx.session_state, dict) else None
    return riddle if isinstance(riddle, dict) and isinstance(riddle.get("id"), int) else None


def riddle_pending(session_state: dict) -> bool:
    riddle = session_state.get("riddle") if isinstance(session_state, dict) else None
    return isinstance(riddle, dict) and isinstance(riddle.get("id"), int)


def _favourite(norm: str, lang: str) -> str:
    table = FAVOURITES[lang]
    match = _FAV_TOPIC.search(norm)
    topic = match.group(1) if match and match.group(1) in table else ""
    line = table[topic]
    if lang == "zh":
        return f"{line}！你呢？你最喜欢什么{topic or '呀'}？"
    return f"{line[0].upper()}{line[1:]}! What about you — what's your favourite{' ' + topic if topic else ''}?"


_EN_YOU = (
    ("likes ", "You like "),
    ("loves ", "You love "),
    ("enjoys ", "You enjoy "),
    ("adores ", "You adore "),
    ("doesn't like ", "You don't like "),
    ("favourite ", "Your favourite "),
    ("has ", "You have "),
    ("wants to be ", "You want to be "),
    ("is scared of ", "You're scared of "),
    ("learned to ", "You learned to "),
)


def _acknowledge(kind: str, fact: str, lang: str, seed: tuple) -> str:
    """Say back what the child just shared ("你喜欢恐龙呀！") and ask a follow-up, so sharing feels heard."""
    if fact.startswith("喜欢被叫作"):
        return f"好的，以后我就叫你{fact.removeprefix('喜欢被叫作')}！"
    if fact.startswith("likes to be called "):
        return f"Okay, I'll call you {fact.removeprefix('likes to be called ')}!"
    if lang == "zh":
        said = f"你{fact}呀！"
    else:
        said = next((you + fact[len(mine) :] for mine, you in _EN_YOU if fact.startswith(mine)), fact) + "! "
    if fact.startswith(("害怕", "is scared")):
        key = "fear"
    elif fact.startswith(("学会了", "learned")):
        key = "learned"
    elif fact.startswith(("不喜欢", "doesn't")):
        key = "dislike"
    else:
        key = kind  # preference, fact or goal
    return said + pick(LINES[lang][f"ack_{key}"], *seed)


def respond(
    ctx: AgentContext,
    decision: RouteDecision,
    lang: str,
    *,
    liked: tuple[str, ...] = (),
    redirect_from: str | None = None,
) -> AgentReply:
    """The chat agent's builtin reply. ``redirect_from`` names a switched-off agent the message was meant for."""
    lines = LINES[lang]
    norm = normalise(ctx.text)
    seed = (ctx.profile.child_id, ctx.text, len(ctx.history))
    child = (ctx.profile.display_name or "").strip() or ("小朋友" if lang == "zh" else "friend")
    state: dict | None = None

    def say(key: str, **values: str) -> str:
        return pick(lines[key], *seed).format(name=NAME[lang], child=child, **values)

    intent = intent_of(ctx.text)
    riddle = _riddle_pending(ctx)
    if riddle is not None and intent not in ("ai", "forget", "bye"):
        riddle_lang = riddle["lang"] if riddle.get("lang") in RIDDLES else lang
        riddles = RIDDLES[riddle_lang]
        _question, answer, accepted = riddles[riddle["id"] % len(riddles)]
        right = any(word in norm for word in accepted)
        key = "riddle_right" if right else "riddle_wrong"
        text = pick(LINES[riddle_lang][key], *seed).format(answer=answer)
        state = {k: v for k, v in ctx.session_state.items() if k != "riddle"}
        return AgentReply(text, AgentName.CHAT, emotion=decision.emotion, session_state=state)

    if intent == "forget":
        text = say("forget")
    elif intent == "ai":
        text = say("who") if re.search(r"你是谁|who are you|what are you", norm) else say("ai")
    elif intent == "favourite":
        text = _favourite(norm, lang)
    elif intent == "joke":
        jokes = JOKES[lang]
        text = f"{say('joke_intro')}{'' if lang == 'zh' else ' '}{jokes[stable_index(len(jokes), *seed)]}"
    elif intent == "riddle":
        index = stable_index(len(RIDDLES[lang]), *seed)
        text = f"{say('riddle_intro')}{'' if lang == 'zh' else ' '}{RIDDLES[lang][index][0]}"
        state = {**ctx.session_state, "riddle": {"id": index, "lang": lang}}
    elif intent is not None:
        text = say(intent)
    elif redirect_from in ("edu", "story", "emotion"):
        text = say(f"redirect_{redirect_from}")
    elif match := _INTRO.search(norm):
        who = next(g for g in match.groups()[1:] if g)
        text = say("intro_reply", who=who.capitalize() if who.isascii() else who)
    elif shared := extract(ctx.text, lang):
        text = _acknowledge(shared[0].kind, shared[0].text, lang, seed)
    elif liked and stable_index(3, *seed) == 0:
        text = say("liked", thing=pick(liked, *seed))
    elif is_question(norm):
        text = say("fallback_question")
    elif len(norm) <= 3 or _SHORT.match(norm):
        text = say("short")
    else:
        text = say("fallback")
    return AgentReply(text, AgentName.CHAT, emotion=decision.emotion, session_state=state)

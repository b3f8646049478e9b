"""What the companion says when safety steps in: kind, short, age-aware, in the child's language.

Deterministic on purpose (no randomness): the same verdict gives the same words, so replies are
testable and a parent reading the transcript sees exactly what the child saw.

- REDIRECT: a gentle change of topic, with a line fitted to the category (strangers, scams,
  bullying…); for self-harm and abuse hits below critical the line is caring rather than a topic change.
- BLOCK: a kind refusal that suggests asking a grown-up.
- ESCALATE: caring; "you are not alone"; tell a trusted adult (parent, teacher) now; help lines —
  China: 希望24热线 400-161-9995, 12355 青少年服务台, emergency 110 / 120; in English: a trusted adult
  and the local emergency number (the Chinese numbers are given too, the service runs in China).
- MASK: a reminder not to share personal information (the message itself is still answered).
- ``fallback_reply``: the generic safe reply when a check failed closed or an LLM reply was unsafe.
  ALLOW has no reply of its own; ``safety_reply`` gives the fallback so a caller never shows nothing.

Age bands 5-6 and 7-8 get shorter, simpler sentences; 9-10 and 11-12 a little more explanation.
"""

from __future__ import annotations

from .types import Action, Category, Verdict

_Texts = dict[tuple[str, bool], str]  # (language, young) -> the reply

__all__ = ["fallback_reply", "is_young", "reply_language", "safety_reply"]

YOUNG_BANDS = frozenset({"5-6", "7-8"})

# (language, young) -> text. Keys: "zh" / "en"; True for 5-8, False for 9-12.
_FALLBACK = {
    ("zh", True): "我们换个话题吧！你想听一个小故事，还是一起猜个谜语？",
    ("zh", False): "这个我们先不聊啦。我们换个话题吧——想聊聊今天学了什么，还是听个故事？",
    ("en", True): "Let's talk about something else! Would you like a short story or a riddle?",
    ("en", False): "Let's leave that one for now and talk about something else. "
    "Want to tell me what you learned today, or shall I tell you a story?",
}

_MASK = {
    ("zh", True): "我把你的个人信息藏起来啦。电话、地址、学校这些要保密，只告诉爸爸妈妈哦！",
    ("zh", False): "我帮你把个人信息遮住了。电话号码、住址、学校班级、证件号这些，不要在网上告诉别人，"
    "包括我。我们继续聊吧！",
    ("en", True): "I hid your personal details to keep you safe. Phone numbers, addresses and your school "
    "are secrets for your family only!",
    ("en", False): "I covered up your personal details. Phone numbers, home address, school and class, "
    "ID numbers: keep them off the internet, even with me. Let's keep talking!",
}

_REDIRECT_GENERIC = {
    ("zh", True): "这个话题我们先放一放。我们聊点开心的吧，你今天玩了什么？",
    ("zh", False): "这个话题不太适合我们聊。换个话题吧——最近有什么有趣的事吗？",
    ("en", True): "Let's pick something else to talk about. What did you play today?",
    ("en", False): "That's not something I can chat about. Let's switch topics: anything fun happen lately?",
}

_REDIRECT_BY_CATEGORY: dict[Category, _Texts] = {
    Category.STRANGERS: {
        ("zh", True): "网上认识的人不能单独见面，也不要发照片哦。有人这样要求，马上告诉爸爸妈妈！我们来聊点别的吧。",
        ("zh", False): "和网上认识的人见面、发照片、私聊、留联系方式都不安全。遇到这样的要求，"
        "一定要告诉爸爸妈妈或老师。我们换个话题吧。",
        ("en", True): "Never meet people from the internet, and don't send them photos. If someone asks, "
        "tell your mom or dad right away! Let's talk about something else.",
        ("en", False): "Meeting people you know only online, sending photos or chatting in private isn't "
        "safe. If anyone asks you to, tell a parent or teacher. Let's change the subject.",
    },
    Category.SCAMS: {
        ("zh", True): "免费皮肤、中奖这些常常是骗人的，要先问爸爸妈妈哦。我们聊点别的吧！",
        ("zh", False): "免费皮肤、中奖、刷单、要验证码或密码的，多半是骗局。任何要钱、要密码的事，"
        "先问爸爸妈妈。我们换个话题吧。",
        ("en", True): "Free prizes and free skins are often tricks. Always ask a grown-up first! "
        "Let's talk about something else.",
        ("en", False): "Free currency, surprise prizes, or anyone asking for a code or password is usually "
        "a scam. Check with a parent before doing anything. Let's change the subject.",
    },
    Category.BULLYING: {
        ("zh", True): "我们说话要友善哦。如果有人欺负你，一定要告诉大人。我们聊点开心的吧！",
        ("zh", False): "伤人的话我们不说。如果有人欺负你或让你难过，告诉爸爸妈妈或老师，你值得被好好对待。"
        "我们换个话题吧。",
        ("en", True): "Let's use kind words. If someone is mean to you, tell a grown-up. "
        "Let's talk about something happy!",
        ("en", False): "Let's keep our words kind. If someone is picking on you, tell a parent or teacher: "
        "you deserve to be treated well. Shall we talk about something else?",
    },
    Category.VIOLENCE: {
        ("zh", True): "伤害别人是不对的。我们来聊点别的吧，你喜欢什么小动物？",
        ("zh", False): "暴力和武器的话题我们不聊。如果你生气了，可以深呼吸，或者和大人说说。我们换个话题吧。",
        ("en", True): "Hurting people is never okay. Let's talk about something else: what's your favourite animal?",
        ("en", False): "I don't talk about violence or weapons. If you're feeling angry, a few deep breaths "
        "or a chat with a grown-up can help. Let's switch topics.",
    },
    Category.DRUGS: {
        ("zh", True): "烟、酒和药物对小朋友的身体不好。我们聊点别的吧！",
        ("zh", False): "烟、酒和毒品会伤害正在长大的身体和大脑，我们不聊这个。有问题可以问爸爸妈妈。换个话题吧。",
        ("en", True): "Smoking, alcohol and drugs aren't good for growing bodies. Let's talk about something else!",
        ("en", False): "Smoking, alcohol and drugs can hurt a growing body and brain, so I won't chat about them. "
        "A parent is a good person to ask. Let's change the subject.",
    },
    Category.DANGEROUS: {
        ("zh", True): "这样做很危险，会受伤的！我们不试哦。来聊点别的吧。",
        ("zh", False): "网上的危险挑战和危险动作会让人受重伤，千万别试。想玩刺激的，可以找大人一起做安全的实验。"
        "我们换个话题吧。",
        ("en", True): "That's dangerous and could hurt you badly! Let's not try it. Let's talk about something else.",
        ("en", False): "Online challenges like that can cause serious injuries, so please never try them. "
        "If you want excitement, ask a grown-up about a safe experiment. Let's switch topics.",
    },
    Category.SEXUAL: {
        ("zh", True): "这个问题可以去问爸爸妈妈哦。我们聊点别的吧！",
        ("zh", False): "这是一个适合和爸爸妈妈或信任的大人聊的话题。我们换个话题吧。",
        ("en", True): "That's a good question for your mom or dad. Let's talk about something else!",
        ("en", False): "That's a topic for a parent or another grown-up you trust. Let's change the subject.",
    },
    Category.SELF_HARM: {
        ("zh", True): "听起来你有点难过。你很重要！去抱抱爸爸妈妈，告诉他们你的感受，好吗？",
        ("zh", False): "听起来你现在不太好受。你的感受很重要，和爸爸妈妈、老师或信任的大人说说吧，"
        "不用一个人扛着。我也在这里陪你。",
        ("en", True): "It sounds like you're feeling sad. You matter so much! Can you tell your mom or dad "
        "how you feel?",
        ("en", False): "It sounds like things feel hard right now. Your feelings matter. Please talk to a parent, "
        "teacher or another adult you trust: you don't have to carry this alone. I'm here too.",
    },
    Category.ABUSE: {
        ("zh", True): "如果有人让你疼或者害怕，这不是你的错。请告诉你信任的大人，比如老师。",
        (
            "zh",
            False,
        ): "如果有人伤害你、让你害怕，这不是你的错。请告诉一个你信任的大人，比如老师、亲戚或学校的心理老师。"
        "你也可以打 12355 青少年服务台。",
        ("en", True): "If someone hurts you or scares you, it's not your fault. Please tell a grown-up you trust, "
        "like a teacher.",
        ("en", False): "If someone is hurting you or making you afraid, it is not your fault. Please tell an adult "
        "you trust, like a teacher, relative or school counsellor.",
    },
    Category.PARENT_BLOCKED: {
        ("zh", True): "这个话题我们今天不聊啦，家里人希望我们聊点别的。你想听故事吗？",
        ("zh", False): "你的家人希望我们先不聊这个话题。我们换个别的聊吧！",
        ("en", True): "Your family asked me to skip that topic. How about a story instead?",
        ("en", False): "Your family would like us to skip that topic, so let's talk about something else!",
    },
}

_BLOCK = {
    ("zh", True): "这个我不能回答哦。可以去问问爸爸妈妈或者老师。我们聊点别的吧！",
    ("zh", False): "抱歉，这个问题我不能帮你。你可以问问爸爸妈妈、老师或其他信任的大人。我们聊点别的吧。",
    ("en", True): "I can't answer that one. You could ask a grown-up, like your mom, dad or teacher. "
    "Let's talk about something else!",
    ("en", False): "Sorry, I can't help with that. A parent, teacher or another adult you trust is the right "
    "person to ask. Let's talk about something else.",
}

_HELP_ZH = "如果有危险，马上打 110（报警）或 120（急救）。"
_HELP_ZH_OLDER = "也可以打 12355 青少年服务台，或希望24热线 400-161-9995，他们24小时都在，会认真听你说。"
_HELP_EN = "If you are in danger, call your local emergency number right now (in China: 110 police, 120 ambulance)."
_HELP_EN_OLDER = "In China you can also call the youth helpline 12355 or the Hope 24 hotline 400-161-9995."

_ESCALATE: dict[Category, _Texts] = {
    Category.SELF_HARM: {
        ("zh", True): "谢谢你告诉我。你很重要，你不是一个人。请现在就去找爸爸妈妈或老师，告诉他们你的感受。",
        ("zh", False): "谢谢你愿意告诉我，这需要勇气。你很重要，你不是一个人。请现在就告诉爸爸妈妈、老师或"
        "你信任的大人，让他们陪着你。",
        ("en", True): "Thank you for telling me. You matter, and you are not alone. Please go to a trusted "
        "grown-up, like your mom, dad or teacher, right now and tell them how you feel.",
        ("en", False): "Thank you for telling me; that took courage. You matter, and you are not alone. Please "
        "tell a parent, teacher or another trusted adult right now, so they can be with you.",
    },
    Category.ABUSE: {
        ("zh", True): "谢谢你告诉我。这不是你的错，你不是一个人。请现在就告诉一个你信任的大人，比如老师。",
        ("zh", False): "谢谢你告诉我，这需要很大的勇气。发生这样的事不是你的错，你不是一个人。请现在就告诉一个"
        "你信任的大人，比如老师、亲戚或学校的心理老师。",
        ("en", True): "Thank you for telling me. It is not your fault, and you are not alone. Please tell a grown-up "
        "you trust, like a teacher, right now.",
        ("en", False): "Thank you for telling me; that took a lot of courage. What happened is not your fault, and "
        "you are not alone. Please tell a trusted adult right now, like a teacher, relative or school counsellor.",
    },
    Category.STRANGERS: {
        ("zh", True): "谢谢你告诉我！你不是一个人。不要去见网上认识的人，也不要发照片。"
        "请现在就告诉爸爸妈妈，你做得很对。",
        ("zh", False): "谢谢你告诉我，你不是一个人。不要单独去见网上认识的人，不要发照片，也不要答应保密——"
        "让你瞒着爸爸妈妈的人不安全。请现在就告诉爸爸妈妈或老师，你没有做错什么。",
        ("en", True): "Thank you for telling me! You are not alone. Don't meet people from the internet and don't "
        "send photos. Please tell a trusted grown-up, like your mom or dad, right now. You did the right thing.",
        ("en", False): "Thank you for telling me; you are not alone. Don't meet anyone you only know online, don't "
        "send photos, and don't keep secrets from your parents: anyone who asks you to isn't safe. Please tell a "
        "parent, teacher or another trusted adult right now. You haven't done anything wrong.",
    },
}


def reply_language(language: str) -> str:
    """'zh' for any Chinese language code (zh-hans, zh-cn, zh), else 'en'."""
    return "zh" if (language or "").lower().startswith("zh") else "en"


def is_young(age_band: str) -> bool:
    """5–8 year olds get the simpler wording; an unknown band gets the simpler one too (safer)."""
    return age_band in YOUNG_BANDS or age_band not in {"9-10", "11-12"}


def fallback_reply(*, language: str, age_band: str) -> str:
    """The generic safe reply: a failed check, an unsafe LLM reply, or nothing better to say."""
    return _FALLBACK[(reply_language(language), is_young(age_band))]


def _first(categories: tuple[Category, ...], table: dict[Category, _Texts]) -> _Texts | None:
    for c in categories:
        if c in table:
            return table[c]
    return None


def safety_reply(verdict: Verdict, *, language: str, age_band: str) -> str:
    """The child-facing reply for a verdict (see the module docstring)."""
    key = (reply_language(language), is_young(age_band))
    if verdict.action is Action.ESCALATE:
        table = _first(verdict.categories, _ESCALATE) or _ESCALATE[Category.SELF_HARM]
        if key[0] == "zh":
            help_lines = _HELP_ZH if key[1] else f"{_HELP_ZH}{_HELP_ZH_OLDER}"
            return f"{table[key]}{help_lines}"
        help_lines = _HELP_EN if key[1] else f"{_HELP_EN} {_HELP_EN_OLDER}"
        return f"{table[key]} {help_lines}"
    if verdict.action is Action.BLOCK:
        if not verdict.categories:  # failed closed: nothing is known about the message
            return _FALLBACK[key]
        return _BLOCK[key]
    if verdict.action is Action.REDIRECT:
        redirect = _first(verdict.categories, _REDIRECT_BY_CATEGORY)
        return redirect[key] if redirect else _REDIRECT_GENERIC[key]
    if verdict.action is Action.MASK:
        return _MASK[key]
    return _FALLBACK[key]

"""Long-term memory: what to remember from a message, when the child asks us to forget, what to recall.

Why rules and not a model: what a companion remembers about a child must be predictable and visible to the
parents (each fact is shown on the dashboard and can be deleted). So we only keep a few clear patterns —
likes and dislikes, favourites, pets and siblings, goals, fears, new skills — and skip anything that looks
like a question. Recall ranks stored facts by word overlap with the message (jieba tokens for Chinese, a
few bilingual word pairs so "dinosaurs" finds 喜欢恐龙) plus their importance.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable
from functools import lru_cache

from .textutil import has_cjk, normalise
from .types import AgentContext, MemoryCandidate, MemoryView
from .vocabulary import EN_TO_ZH, ZH_TO_EN, plural_en

_CLAUSE = re.compile(
    r"[,.!?;。！？；、\n~]|但是|可是|不过|因为|所以|\bbut\b|\bbecause\b|\bso\b|\band (?=(?:i|my|i'm|i've)\b)"
)
_ZH_OBJ = r"([^,.!?;。、\s]{1,14})"
_PETS = "小猫|猫咪|猫|小狗|狗狗|狗|小兔子|兔子|仓鼠|金鱼|小鱼|乌龟|小乌龟|鹦鹉|小鸟|鸟"
_FAMILY = "哥哥|姐姐|弟弟|妹妹|双胞胎兄弟|双胞胎姐妹"
_ZH_COUNT = r"([一两二三四五\d]?)(只|个|条|位|匹|头)?"
# "我想当…", "长大以后我想当…", "我将来也想成为…": the child, not "他" or "我妈妈".
_ZH_WHO = r"(?:我|长大(?:以)?后|将来|以后)(?:长大(?:以)?后|将来|以后|我|也|还|真的|特别|很|最)*"

_ZH_RULES: tuple[tuple[re.Pattern[str], str, float], ...] = (
    (
        re.compile(_ZH_WHO + r"(?:想|要|希望|打算)(?:当|成为|做(?=一[个名位]))(?:一(?:个|名|位))?" + _ZH_OBJ),
        "goal:想当{0}",
        0.7,
    ),
    (re.compile(r"我的梦想是(?:当|做|成为)?(?:一(?:个|名|位))?" + _ZH_OBJ), "goal:想当{0}", 0.7),
    (re.compile(r"我(?:最)?喜欢的([^,.!?;。、\s的]{1,6})是" + _ZH_OBJ), "preference:最喜欢的{0}是{1}", 0.6),
    (re.compile(r"我(?:很|最|特别|真的|超级|非常)?(?:不喜欢|讨厌)" + _ZH_OBJ), "preference:不喜欢{0}", 0.5),
    (re.compile(r"(?:我|也|还)(?:很|最|特别|超级|非常|真的|好)?(喜欢|爱)" + _ZH_OBJ), "preference:{0}{1}", 0.5),
    (re.compile(r"我(?:很|特别|最)?(?:害怕|怕)" + _ZH_OBJ), "fact:害怕{0}", 0.5),
    (re.compile(r"我(?:终于|刚刚|已经)?学会了" + _ZH_OBJ), "fact:学会了{0}", 0.5),
    (re.compile(r"我的名字(?:是|叫)([^,.!?;。、\s]{1,6})"), "fact:名字叫{0}", 0.6),
    (re.compile(r"(?:你)?(?:可以)?叫我([^,.!?;。、\s]{1,6})(?:就行|就好|吧)"), "fact:喜欢被叫作{0}", 0.6),
)
_ZH_HAVE = re.compile(
    rf"我(?:家)?(?:还)?有{_ZH_COUNT}({_PETS}|{_FAMILY})(?:[,，]?(?:它|他|她)?(?:的名字)?(?:叫|名字叫|名字是)([^,.!?;。、\s]{{1,6}}))?"
)
_EN_OBJ = r"([a-z][a-z' -]{1,38})"
_EN_RULES: tuple[tuple[re.Pattern[str], str, float], ...] = (
    (
        re.compile(
            r"\bi (?:want|wanna|would like|'d like|hope|am going) to (?:be|become) ((?:an? )?[a-z][a-z -]{1,30})"
        ),
        "goal:wants to be {0}",
        0.7,
    ),
    (re.compile(r"\bmy dream is to (?:be|become) ((?:an? )?[a-z][a-z -]{1,30})"), "goal:wants to be {0}", 0.7),
    (
        re.compile(r"\bmy (?:favou?rite) ([a-z]{2,15}(?: [a-z]{2,15})?) is " + _EN_OBJ),
        "preference:favourite {0} is {1}",
        0.6,
    ),
    (
        re.compile(r"\bi (?:really |just )?(?:don't|do not|dont) (?:like|love|enjoy) " + _EN_OBJ),
        "preference:doesn't like {0}",
        0.5,
    ),
    (re.compile(r"\bi (?:really )?hate " + _EN_OBJ), "preference:doesn't like {0}", 0.5),
    (
        re.compile(r"\bi (?:really |also |just |do |totally )?(like|love|enjoy|adore) " + _EN_OBJ),
        "preference:{0}s {1}",
        0.5,
    ),
    (re.compile(r"\bi(?:'m| am) (?:really |so |very )?(?:scared|afraid) of " + _EN_OBJ), "fact:is scared of {0}", 0.5),
    (re.compile(r"\bi (?:just |finally )?learn(?:ed|t) (?:how )?to " + _EN_OBJ), "fact:learned to {0}", 0.5),
    (re.compile(r"\b(?:please )?call me ([a-z]{2,15})\b"), "fact:likes to be called {0}", 0.6),
)
_EN_HAVE = re.compile(
    r"\bi (?:also )?have (a|an|one|two|three|\d) ((?:little |big |older |younger |baby |pet )?"
    r"(?:sister|brother|twin|cat|kitten|dog|puppy|rabbit|bunny|hamster|goldfish|fish|turtle|tortoise|parrot|bird)s?)"
    r"(?:,? (?:called|named) ([a-z]{2,15}))?"
)
_QUESTIONY = re.compile(r"什么|吗|呢|哪|谁|怎么|为什么|多少|\?|\bwhat\b|\bwhy\b|\bhow\b|\bwho\b|\bwhich\b")
_BAD_OBJECT = re.compile(r"^(?:你|您|的|了|他|她|它|你们|自己|this|that|it|you|your|me|them|him|her)(?:\b|$|[^a-z])")
_ZH_TAIL = "啊呀哦呢啦了的吧嘛哈喔噢~ "


def _clean(obj: str, cjk: bool) -> str | None:
    obj = obj.strip().rstrip(_ZH_TAIL if cjk else " '-")
    if cjk:
        obj = re.split(r"和你|跟你|因为|但是|可是|所以", obj)[0]
    else:
        obj = re.split(r"\b(?:and you|because|but|so|cause|when|if)\b", obj)[0].strip()
        obj = re.sub(r"\b(?:very much|a lot|so much|too)\s*$", "", obj).strip()
    if not obj or _BAD_OBJECT.match(obj) or _QUESTIONY.search(obj):
        return None
    if len(obj) > (12 if cjk else 40):
        return None
    return obj


def _render(template: str, groups: Iterable[str | None]) -> tuple[str, str]:
    kind, text = template.split(":", 1)
    return kind, text.format(*groups)


def extract(text: str, language: str = "zh") -> list[MemoryCandidate]:
    """Facts worth remembering in ``text`` (preferences, facts, goals); empty for questions and chit-chat.

    ``language`` is a hint only: both rule sets run, because children mix languages.
    """
    del language
    norm = normalise(text)
    if not norm or is_forget_request(norm):
        return []
    found: dict[str, MemoryCandidate] = {}

    def add(kind: str, value: str, importance: float) -> None:
        found.setdefault(value, MemoryCandidate(kind=kind, text=value, importance=importance))

    for match in _ZH_HAVE.finditer(norm):
        count, measure, what, name = match.groups()
        family = what in _FAMILY.split("|")
        measure = measure or ("个" if family else "条" if what.endswith("鱼") else "只")
        add("fact", f"有{count or '一'}{measure}{what}" + (f"叫{name}" if name else ""), 0.6)
    for match in _EN_HAVE.finditer(norm):
        count, what, name = match.groups()
        add("fact", f"has {count} {what}" + (f" called {name.capitalize()}" if name else ""), 0.6)
    for clause in _CLAUSE.split(norm):
        clause = clause.strip()
        if not clause:
            continue
        cjk = has_cjk(clause)
        for pattern, template, importance in _ZH_RULES if cjk else _EN_RULES:
            hit = pattern.search(clause)
            if not hit:
                continue
            groups = list(hit.groups())
            cleaned = [_clean(g, cjk) if i == len(groups) - 1 else g for i, g in enumerate(groups)]
            if cleaned[-1] is None:
                continue
            kind, value = _render(template, cleaned)
            add(kind, value, importance)
            break  # one memory per clause: the first (most specific) rule wins
    return list(found.values())


# --- forgetting -------------------------------------------------------------------------------------------
_FORGET_PATTERNS = (
    re.compile(
        r"(忘掉|忘记|忘了|删掉|删除|清除|清空)(吧|掉)?.{0,4}(我(说|讲|告诉你)(过)?的|关于我的|我的(事|秘密|信息|记忆)|一切|所有|全部|刚才)"
    ),
    re.compile(
        r"(把|将)(我(说|讲|告诉你)(过)?的|关于我的|我的|这(个|些|件事)|那(个|些|件事)|刚才.{0,6}|一切|所有|全部).{0,12}(都|全)?(忘掉|忘记|忘了|删掉|删除|清除)"
    ),
    re.compile(r"(你|请|帮我).{0,3}(忘掉|忘记|忘了)(吧|它|这|那|掉)"),
    re.compile(r"(别|不要|不许|不准)(再)?记(住|着|得)(我|这|那|它)"),
    re.compile(r"\bforget (everything|all|what i (said|told you)|about me|that|this|it|my|what i)\b"),
    re.compile(
        r"\b(delete|erase|clear|remove|wipe) "
        r"(everything|all|what i (said|told you)|my (memories|data|info|information)|your memory)\b"
    ),
    re.compile(r"\b(don't|do not|stop) remember(ing)? (this|that|it|me|what i)\b"),
)
_NOT_FORGET = re.compile(
    r"我(又|总是|老是|经常|常常)?(忘|忘记|忘了)|\b(don't|do not|never|didn't|i) forget\b|\bi forgot\b"
)


def is_forget_request(text: str) -> bool:
    """Does the child ask the companion to forget what it knows about them? ("我忘记带作业了" does not.)"""
    norm = normalise(text)
    if not any(p.search(norm) for p in _FORGET_PATTERNS):
        return False
    # "I forgot my homework" / "don't forget it" are about the child's own memory, not ours.
    return not _NOT_FORGET.search(norm) or bool(re.search(r"(你|请|帮我|把).{0,8}(忘|删)", norm))


# --- recall -----------------------------------------------------------------------------------------------
# fmt: off
_STOPWORDS = frozenset((
    "我", "你", "他", "她", "它", "的", "了", "是", "在", "和", "也", "很", "吗", "呢", "啊", "呀", "吧", "哦",
    "就", "都", "还", "有", "要", "想", "会", "这", "那", "一个", "什么", "怎么", "为什么", "我们", "你们", "今天",
    "不", "没", "好", "说", "去", "看", "个", "最", "a", "an", "the", "i", "you", "he", "she", "it", "is", "are",
    "am", "was", "to", "of", "and", "or", "in", "on", "at", "my", "your", "me", "do", "does", "did", "what", "why",
    "how", "can", "be", "like", "likes", "love", "loves",
))
# fmt: on
_jieba_lock = threading.Lock()
_jieba_ready = False


def warm_up() -> None:
    """Load jieba's dictionary now (about a second, once per process) instead of on the first message."""
    global _jieba_ready
    if _jieba_ready:
        return
    with _jieba_lock:
        if not _jieba_ready:
            import jieba

            jieba.setLogLevel(60)  # silence "Building prefix dict..." on stderr
            jieba.initialize()
            _jieba_ready = True


@lru_cache(maxsize=8192)
def tokens(text: str) -> frozenset[str]:
    """Content words of ``text``: jieba words for Chinese, words for English, with bilingual twins added."""
    norm = normalise(text)
    words: set[str] = set(re.findall(r"[a-z]{2,}", norm))
    if has_cjk(norm):
        warm_up()
        import jieba

        words.update(w for w in jieba.lcut_for_search(norm) if w.strip() and has_cjk(w))
    words -= _STOPWORDS
    twins = set()
    for word in words:
        singular = word[:-1] if word.endswith("s") and word[:-1] in EN_TO_ZH else word
        if singular in EN_TO_ZH:
            twins.add(EN_TO_ZH[singular])
        elif word in ZH_TO_EN:
            twins.add(ZH_TO_EN[word].lower())
    return frozenset(words | twins)


def rank(query: str, memories: Iterable[MemoryView], *, limit: int = 5) -> list[MemoryView]:
    """The ``limit`` memories most relevant to ``query``: word overlap first, then importance, then the newest (so a
    message with no overlap still recalls the most important facts)."""
    if limit <= 0:
        return []
    query_tokens = tokens(query)
    scored = []
    for memory in memories:
        memory_tokens = tokens(memory.text)
        shared = query_tokens & memory_tokens
        # Half credit for words jieba cut differently: "猫" inside "猫叫", "恐龙" inside "恐龙蛋".
        partial = sum(1 for t in query_tokens - shared if t in memory.text.lower())
        overlap = len(shared) + 0.5 * partial
        relevance = overlap / math.sqrt(len(memory_tokens) or 1)
        scored.append((relevance + 0.5 * memory.importance, memory.importance, memory.id, memory))  # newer wins ties
    scored.sort(key=lambda item: item[:3], reverse=True)
    return [item[3] for item in scored[:limit]]


_LIKE_PREFIXES = ("最喜欢的", "喜欢", "爱", "likes ", "loves ", "enjoys ", "adores ", "favourite ")


def liked_things(ctx: AgentContext, lang: str) -> tuple[str, ...]:
    """Things the child likes (from memories and the profile's interests), in the reply language where we can
    say them, so agents can weave them into replies."""
    things: list[str] = []
    for memory in ctx.memories:
        if memory.kind != "preference" or memory.text.startswith(("不喜欢", "doesn't")):
            continue
        text = memory.text
        if text.startswith(("最喜欢的", "favourite ")) and ("是" in text or " is " in text):
            text = text.split("是", 1)[1] if "是" in text else text.split(" is ", 1)[1]
        else:
            for prefix in _LIKE_PREFIXES:
                if text.startswith(prefix):
                    text = text[len(prefix) :]
                    break
            else:
                continue
        things.append(text)
    things.extend(ctx.profile.interests)
    out: list[str] = []
    for thing in things:
        thing = thing.strip()
        if not thing:
            continue
        if lang == "en" and has_cjk(thing):
            thing = plural_en(ZH_TO_EN.get(thing, ""))
        elif lang == "zh" and not has_cjk(thing):
            thing = EN_TO_ZH.get(thing.lower().rstrip("s"), EN_TO_ZH.get(thing.lower(), ""))
        if thing and thing not in out:
            out.append(thing)
    return tuple(out)

"""Feeling words in Chinese and English with a base intensity (0..1), plus the modifiers around them.

Why a table: the words children use for feelings are a small, reviewable vocabulary; weights say how strong
the word is by itself ("有点烦" < "生气" < "气死了"). Terms mapped to ``None`` are decoys that only exist to
hide a feeling word inside another word (恐怕 "probably", 哪怕 "even if", 青蛙 "frog" contains 哇).
"""

from __future__ import annotations

# fmt: off
# emotion -> {term: base intensity}
ZH_TERMS: dict[str, dict[str, float]] = {
    "happy": {
        "开心": 0.55, "高兴": 0.55, "快乐": 0.55, "幸福": 0.6, "愉快": 0.55, "哈哈": 0.4, "嘻嘻": 0.4,
        "真好": 0.4, "太好了": 0.55, "好玩": 0.4, "满足": 0.5, "乐开了花": 0.7, "美滋滋": 0.55, "开开心心": 0.6,
    },
    "sad": {
        "难过": 0.55, "伤心": 0.55, "难受": 0.5, "想哭": 0.6, "哭了": 0.55, "在哭": 0.55, "哭": 0.5, "呜呜": 0.5,
        "委屈": 0.55, "失望": 0.5, "郁闷": 0.5, "沮丧": 0.55, "悲伤": 0.6, "心碎": 0.75, "崩溃": 0.8,
        "绝望": 0.85, "痛苦": 0.7, "不想活": 0.95, "想死": 0.95, "活着没意思": 0.95, "没人爱我": 0.8, "不高兴": 0.5,
        "不开心": 0.5,
        "不快乐": 0.5, "闷闷不乐": 0.55, "伤伤心心": 0.6,
    },
    "angry": {
        "生气": 0.55, "气死": 0.75, "好气": 0.55, "愤怒": 0.65, "恼火": 0.6, "火大": 0.6, "抓狂": 0.7, "烦死": 0.65,
        "好烦": 0.55, "烦": 0.45, "不耐烦": 0.5, "讨厌": 0.5, "恨": 0.6, "不公平": 0.5, "气坏了": 0.7, "发火": 0.6,
        "发脾气": 0.55,
    },
    "scared": {
        "害怕": 0.55, "怕": 0.45, "可怕": 0.5, "吓人": 0.5, "吓死": 0.75, "吓坏": 0.7, "吓到": 0.55, "吓": 0.45,
        "恐怖": 0.6, "噩梦": 0.55, "不敢": 0.45, "发抖": 0.6, "恐惧": 0.7, "惊恐": 0.75,
    },
    "surprised": {
        "惊讶": 0.55, "吃惊": 0.55, "没想到": 0.45, "居然": 0.4, "竟然": 0.4, "不敢相信": 0.55, "哇": 0.35,
        "天哪": 0.45, "天啊": 0.45, "意外": 0.45, "震惊": 0.65,
    },
    "disgusted": {
        "恶心": 0.6, "好脏": 0.5, "脏死": 0.6, "太脏": 0.5, "臭死": 0.6, "好臭": 0.5, "想吐": 0.6, "反胃": 0.6,
        "呕": 0.5, "真脏": 0.5, "难闻": 0.5, "嫌弃": 0.5,
    },
    "anxious": {
        "紧张": 0.55, "担心": 0.55, "焦虑": 0.65, "着急": 0.5, "不安": 0.55, "睡不着": 0.55, "压力": 0.5,
        "心慌": 0.6, "忐忑": 0.55, "怕考不好": 0.6, "慌": 0.5, "发愁": 0.5, "坐立不安": 0.7, "好怕考试": 0.6,
    },
    "lonely": {
        "孤独": 0.65, "寂寞": 0.6, "孤单": 0.6, "我一个人": 0.4, "自己一个人": 0.45, "没有朋友": 0.65,
        "没朋友": 0.65, "没人陪": 0.6, "没人跟我玩": 0.6, "不跟我玩": 0.55, "没人理我": 0.6, "没人陪我": 0.6,
        "想妈妈": 0.5, "想爸爸": 0.5, "想奶奶": 0.45, "想爷爷": 0.45, "被孤立": 0.7, "没人喜欢我": 0.7,
    },
    "excited": {
        "兴奋": 0.6, "激动": 0.6, "期待": 0.5, "等不及": 0.6, "迫不及待": 0.6, "耶": 0.45, "太棒了": 0.55,
        "好期待": 0.6, "超级棒": 0.6, "好激动": 0.65,
    },
    "confused": {
        "困惑": 0.6, "不懂": 0.5, "不明白": 0.5, "搞不懂": 0.55, "想不通": 0.5, "迷糊": 0.45, "糊涂": 0.45,
        "看不懂": 0.5, "听不懂": 0.5, "弄不懂": 0.5, "不理解": 0.5, "懵": 0.5, "晕了": 0.45,
    },
}

EN_TERMS: dict[str, dict[str, float]] = {
    "happy": {
        "happy": 0.55, "glad": 0.5, "joyful": 0.6, "cheerful": 0.55, "delighted": 0.65, "haha": 0.4,
        "great day": 0.5, "so much fun": 0.55, "had fun": 0.45, "pleased": 0.5, "proud": 0.5,
    },
    "sad": {
        "sad": 0.55, "unhappy": 0.55, "upset": 0.55, "crying": 0.55, "cried": 0.55, "cry": 0.5, "miserable": 0.7,
        "heartbroken": 0.75, "feel down": 0.45, "feeling down": 0.45, "feel blue": 0.5, "gloomy": 0.5,
        "disappointed": 0.5, "hurt": 0.5,
        "devastated": 0.8, "hopeless": 0.85, "want to die": 0.95, "hate my life": 0.9, "nobody loves me": 0.8,
        "depressed": 0.75, "tears": 0.5,
    },
    "angry": {
        "angry": 0.55, "mad": 0.55, "furious": 0.8, "annoyed": 0.45, "annoying": 0.45, "hate": 0.55,
        "unfair": 0.5, "frustrat*": 0.55, "grumpy": 0.45, "so mad": 0.65, "pissed": 0.6,
    },
    "scared": {
        "scared": 0.55, "afraid": 0.55, "frightened": 0.6, "terrified": 0.8, "scary": 0.5, "nightmare*": 0.55,
        "fear": 0.55, "spooked": 0.5, "shaking": 0.5, "horrified": 0.75,
    },
    "surprised": {
        "surprised": 0.55, "surprising": 0.5, "wow": 0.35, "can't believe": 0.55, "cannot believe": 0.55,
        "shocked": 0.65, "no way": 0.4, "unexpected": 0.45, "whoa": 0.4, "omg": 0.45, "amazed": 0.55,
    },
    "disgusted": {
        "disgusting": 0.6, "disgusted": 0.6, "gross": 0.55, "yuck": 0.55, "yucky": 0.5, "eww": 0.55, "ew": 0.5,
        "nasty": 0.5, "smelly": 0.45, "stinks": 0.5, "want to throw up": 0.6,
    },
    "anxious": {
        "nervous": 0.55, "worried": 0.55, "worry": 0.5, "worrying": 0.55, "anxious": 0.65, "stressed": 0.6,
        "can't sleep": 0.55, "cannot sleep": 0.55, "panic*": 0.7, "tense": 0.5, "uneasy": 0.5,
    },
    "lonely": {
        "lonely": 0.65, "alone": 0.45, "no friends": 0.65, "no one to play with": 0.6, "nobody to play with": 0.6,
        "nobody plays with me": 0.65, "no one plays with me": 0.65, "left out": 0.6, "miss my mom": 0.5,
        "miss my dad": 0.5, "miss my mum": 0.5, "nobody likes me": 0.7, "no one likes me": 0.7, "ignored": 0.5,
    },
    "excited": {
        "excited": 0.6, "exciting": 0.55, "can't wait": 0.6, "cannot wait": 0.6, "yay": 0.5, "hooray": 0.5,
        "awesome": 0.45, "thrilled": 0.7, "woohoo": 0.55,
    },
    "confused": {
        "confused": 0.6, "confusing": 0.55, "don't understand": 0.5, "do not understand": 0.5, "don't get it": 0.5,
        "puzzled": 0.55, "makes no sense": 0.5, "doesn't make sense": 0.5,
    },
}

# Things that happen to children and carry a feeling even when no feeling word is said ("我的小狗死了").
ZH_SITUATIONS: dict[str, dict[str, float]] = {
    "sad": {
        "小狗死了": 0.65, "小猫死了": 0.65, "狗死了": 0.65, "猫死了": 0.65, "鱼死了": 0.55, "仓鼠死了": 0.6,
        "兔子死了": 0.6, "去世": 0.7, "不在了": 0.6, "弄丢了": 0.5, "找不到了": 0.45, "被骂": 0.5, "挨骂": 0.5,
        "被批评": 0.5, "考砸了": 0.55, "没考好": 0.5, "吵架": 0.5, "搬走了": 0.45, "我好笨": 0.6, "我很笨": 0.6,
        "我真笨": 0.6, "我太笨": 0.6, "自己很笨": 0.6, "我真没用": 0.65, "我好没用": 0.65, "讨厌我自己": 0.75,
    },
    "happy": {
        "100分": 0.6, "一百分": 0.6, "满分": 0.6, "得了第一": 0.6, "第一名": 0.55, "得奖": 0.55, "获奖": 0.55,
        "表扬了我": 0.55, "被表扬": 0.55, "夸我": 0.5,
    },
    "anxious": {"不想上学": 0.5, "不想去学校": 0.5, "不敢去学校": 0.6},
    "lonely": {
        "想我奶奶": 0.5, "想我爷爷": 0.5, "想我妈妈": 0.5, "想我爸爸": 0.5, "想外婆": 0.45, "想姥姥": 0.45,
        "想外公": 0.45, "想我外婆": 0.5,
    },
}
EN_SITUATIONS: dict[str, dict[str, float]] = {
    "sad": {
        "died": 0.65, "passed away": 0.7, "lost my": 0.45, "told off": 0.5, "yelled at me": 0.5, "shouted at me": 0.5,
        "failed my": 0.55, "fighting": 0.45, "arguing": 0.45, "i'm stupid": 0.6, "i am stupid": 0.6,
        "i'm dumb": 0.6, "i'm useless": 0.65, "hate myself": 0.8, "moved away": 0.45,
    },
    "happy": {
        "got 100": 0.6, "full marks": 0.6, "won the": 0.55, "came first": 0.6, "got a prize": 0.55, "praised": 0.5,
    },
    "anxious": {"don't want to go to school": 0.5, "do not want to go to school": 0.5},
    "lonely": {"miss my": 0.5, "i miss": 0.45},
}

# Words that contain a feeling word but are not one (payload None in the index).
DECOYS = (
    "恐怕", "哪怕", "不怕麻烦", "怕是", "青蛙", "麻烦", "恨不得", "开心果", "烦请", "哭笑不得",
)

# Intensifiers before a feeling word (Chinese: within the clause just before; English: the last few words).
ZH_INTENSIFIERS: dict[str, float] = {
    "很": 0.15, "好": 0.1, "真": 0.1, "太": 0.2, "非常": 0.2, "特别": 0.2, "超级": 0.25, "超": 0.2, "十分": 0.2,
    "极其": 0.3, "好好": 0.1, "越来越": 0.15, "这么": 0.1, "那么": 0.1, "如此": 0.15, "实在": 0.15,
}
ZH_AFTER_INTENSIFIERS: dict[str, float] = {"死了": 0.2, "极了": 0.25, "坏了": 0.15, "得不得了": 0.25, "得要命": 0.25}
EN_INTENSIFIERS: dict[str, float] = {
    "very": 0.15, "really": 0.15, "so": 0.15, "super": 0.2, "extremely": 0.3, "too": 0.15, "totally": 0.15,
    "incredibly": 0.25, "terribly": 0.25, "awfully": 0.2, "completely": 0.2,
}
ZH_MITIGATORS = ("有点", "有一点", "一点点", "稍微", "有些", "一点儿")

ZH_NEGATORS = (
    "不", "没", "没有", "不是", "并不", "一点也不", "一点都不", "别", "不再", "不会", "不用", "不要", "没那么",
)
EN_NEGATORS = frozenset(
    {"not", "never", "no", "don't", "dont", "didn't", "isn't", "wasn't", "aren't", "ain't", "doesn't", "nor", "won't"}
)

# A negated positive feeling is a mild negative one ("不开心" → sad); negated negatives are simply dropped.
NEGATION_FLIP = {"happy": ("sad", 0.45), "excited": ("sad", 0.4)}
# fmt: on

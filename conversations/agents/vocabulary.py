"""A small picture-book dictionary: "苹果用英语怎么说" / "how do you say cat in Chinese" / "apple是什么意思".

Why: translating everyday words is one of the most common things a Chinese child asks an English-speaking
companion (and the reverse). A few hundred first words cover most of those questions exactly; anything
else gets an honest "let's look it up together".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .textutil import normalise

# fmt: off
_PAIRS = (
    ("苹果", "apple"), ("香蕉", "banana"), ("橙子", "orange"), ("葡萄", "grape"), ("西瓜", "watermelon"),
    ("草莓", "strawberry"), ("梨", "pear"), ("桃子", "peach"), ("面包", "bread"), ("米饭", "rice"),
    ("面条", "noodles"), ("鸡蛋", "egg"), ("牛奶", "milk"), ("水", "water"), ("果汁", "juice"), ("蛋糕", "cake"),
    ("糖果", "candy"), ("饼干", "cookie"), ("冰淇淋", "ice cream"), ("饺子", "dumplings"), ("鱼", "fish"),
    ("猫", "cat"), ("狗", "dog"), ("兔子", "rabbit"), ("老虎", "tiger"), ("狮子", "lion"), ("大象", "elephant"),
    ("猴子", "monkey"), ("熊猫", "panda"), ("熊", "bear"), ("鸟", "bird"), ("鸭子", "duck"), ("鸡", "chicken"),
    ("猪", "pig"), ("牛", "cow"), ("羊", "sheep"), ("马", "horse"), ("老鼠", "mouse"), ("蛇", "snake"),
    ("长颈鹿", "giraffe"), ("斑马", "zebra"), ("恐龙", "dinosaur"), ("蝴蝶", "butterfly"), ("蜜蜂", "bee"),
    ("海豚", "dolphin"), ("鲸鱼", "whale"), ("企鹅", "penguin"), ("青蛙", "frog"), ("乌龟", "turtle"),
    ("红色", "red"), ("黄色", "yellow"), ("蓝色", "blue"), ("绿色", "green"), ("橙色", "orange"),
    ("紫色", "purple"), ("粉色", "pink"), ("黑色", "black"), ("白色", "white"), ("棕色", "brown"),
    ("灰色", "grey"), ("一", "one"), ("二", "two"), ("三", "three"), ("四", "four"), ("五", "five"),
    ("六", "six"), ("七", "seven"), ("八", "eight"), ("九", "nine"), ("十", "ten"), ("妈妈", "mum"),
    ("爸爸", "dad"), ("爷爷", "grandpa"), ("奶奶", "grandma"), ("哥哥", "older brother"),
    ("姐姐", "older sister"), ("弟弟", "younger brother"), ("妹妹", "younger sister"), ("朋友", "friend"),
    ("老师", "teacher"), ("学生", "student"), ("学校", "school"), ("家", "home"), ("书", "book"),
    ("铅笔", "pencil"), ("橡皮", "eraser"), ("尺子", "ruler"), ("书包", "schoolbag"), ("桌子", "desk"),
    ("椅子", "chair"), ("门", "door"), ("窗户", "window"), ("床", "bed"), ("球", "ball"), ("玩具", "toy"),
    ("娃娃", "doll"), ("汽车", "car"), ("公共汽车", "bus"), ("飞机", "plane"), ("火车", "train"), ("船", "boat"),
    ("自行车", "bike"), ("太阳", "sun"), ("月亮", "moon"), ("星星", "star"), ("天空", "sky"), ("云", "cloud"),
    ("雨", "rain"), ("雪", "snow"), ("风", "wind"), ("花", "flower"), ("树", "tree"), ("草", "grass"),
    ("山", "mountain"), ("河", "river"), ("大海", "sea"), ("头", "head"), ("眼睛", "eye"), ("耳朵", "ear"),
    ("鼻子", "nose"), ("嘴巴", "mouth"), ("手", "hand"), ("脚", "foot"), ("你好", "hello"), ("再见", "goodbye"),
    ("谢谢", "thank you"), ("对不起", "sorry"), ("没关系", "that's okay"), ("早上好", "good morning"),
    ("晚安", "good night"), ("生日快乐", "happy birthday"), ("我爱你", "I love you"), ("开心", "happy"),
    ("难过", "sad"), ("生气", "angry"), ("害怕", "scared"), ("大", "big"), ("小", "small"), ("热", "hot"),
    ("冷", "cold"), ("春天", "spring"), ("夏天", "summer"), ("秋天", "autumn"), ("冬天", "winter"),
    ("星期一", "Monday"), ("星期天", "Sunday"), ("足球", "football"), ("篮球", "basketball"), ("画画", "drawing"),
    ("唱歌", "singing"), ("跳舞", "dancing"), ("跑", "run"), ("吃", "eat"), ("喝", "drink"), ("睡觉", "sleep"),
)
# fmt: on
ZH_TO_EN: dict[str, str] = {}
EN_TO_ZH: dict[str, str] = {}
for _zh, _en in _PAIRS:
    ZH_TO_EN.setdefault(_zh, _en)
    EN_TO_ZH.setdefault(_en.lower(), _zh)

# Nouns we may say in the plural when talking about what a child likes ("you like dinosaurs").
# fmt: off
_COUNTABLE = frozenset((
    "apple", "banana", "orange", "grape", "pear", "peach", "egg", "cake", "cookie", "cat", "dog", "rabbit", "tiger",
    "lion", "elephant", "monkey", "panda", "bear", "bird", "duck", "chicken", "pig", "cow", "horse", "snake",
    "giraffe", "zebra", "dinosaur", "butterfly", "bee", "dolphin", "whale", "penguin", "frog", "turtle", "book",
    "pencil", "ball", "toy", "doll", "car", "bus", "plane", "train", "boat", "bike", "star", "flower", "tree",
    "mountain", "river",
))
# fmt: on
_IRREGULAR = {
    "mouse": "mice",
    "butterfly": "butterflies",
    "strawberry": "strawberries",
    "peach": "peaches",
    "bus": "buses",
}


def plural_en(word: str) -> str:
    """ "dinosaur" → "dinosaurs" for countable nouns of the dictionary; anything else unchanged."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    return word + "s" if word in _COUNTABLE else word


_ZH_ASK_EN = re.compile(
    r"[\"“”'‘’「」]?([\u4e00-\u9fff]{1,6}?)[\"“”'‘’「」]?(?:这个词|这个字)?(?:用英语|用英文|的英语|的英文|英语|英文)"
    r"(?:怎么说|是什么|叫什么|怎么讲|怎么写|是)"
)
_ZH_ASK_MEANING = re.compile(
    r"[\"“”'‘’]?([a-z][a-z ']{0,20}?)[\"“”'‘’]?\s*(?:是什么意思|什么意思|的意思|是啥意思|中文是什么|的中文)"
)
_EN_ASK_ZH = re.compile(r"how (?:do|can) (?:you|i|we) say [\"']?([a-z][a-z ']{0,20}?)[\"']? in (?:chinese|mandarin)")
_EN_ASK_MEANING = re.compile(r"what (?:does|is) [\"']?([\u4e00-\u9fff]{1,6})[\"']? (?:mean|in english)")
_EN_ASK_EN = re.compile(r"how (?:do|can) (?:you|i|we) say [\"']?([\u4e00-\u9fff]{1,6})[\"']? in english")


_LEAD_IN = re.compile(r"^(?:请问|请|那个|这个|那|问一下|我想知道|你知道|老师|小伙伴)+")


@dataclass(frozen=True)
class Translation:
    zh: str
    en: str | None  # None: the word is not in our little dictionary
    asked: str  # the word the child asked about, as written
    direction: str  # "zh->en" or "en->zh"


def _known_suffix(words: str) -> str:
    """ "请问苹果" → "苹果": drop the usual lead-ins, never part of a word (飞船 is not 船)."""
    return _LEAD_IN.sub("", words) or words


def find_translation(text: str) -> Translation | None:
    """A word-translation question in ``text`` (known word or not), or None if it is not such a question."""
    norm = normalise(text)
    for pattern, direction in ((_ZH_ASK_EN, "zh->en"), (_EN_ASK_EN, "zh->en")):
        match = pattern.search(norm)
        if match:
            word = _known_suffix(match.group(1))
            return Translation(word, ZH_TO_EN.get(word), word, direction)
    for pattern in (_ZH_ASK_MEANING, _EN_ASK_ZH):
        match = pattern.search(norm)
        if match:
            word = match.group(1).strip()
            return Translation(EN_TO_ZH.get(word, ""), word if word in EN_TO_ZH else None, word, "en->zh")
    match = _EN_ASK_MEANING.search(norm)
    if match:
        word = _known_suffix(match.group(1))
        return Translation(word, ZH_TO_EN.get(word), word, "zh->en")
    return None


def explain_translation(tr: Translation, lang: str, level: int) -> str:
    zh = lang == "zh"
    if tr.en is None or not tr.zh:
        return (
            f"“{tr.asked}”这个词我的小词典里还没有。我们可以一起查一查：请爸爸妈妈帮你用词典或者词典 App 查，"
            "查到以后大声读三遍，再用它说一句话，就记住啦！"
            if zh
            else f"\u201c{tr.asked}\u201d isn't in my little dictionary yet. Let's find out together: look it up in a "
            "dictionary with a grown-up, say it out loud three times, then use it in a sentence!"
        )
    spelled = "-".join(tr.en) if tr.en.isalpha() and len(tr.en) <= 12 else tr.en
    if tr.direction == "zh->en":
        if zh:
            base = f"“{tr.zh}”的英语是 {tr.en}。"
            extra = f"跟我一起读：{tr.en}！" if level <= 1 else f"拼写是 {spelled}，可以试着用它造个句子。"
            return base + extra
        return f"\u201c{tr.zh}\u201d in English is \u201c{tr.en}\u201d, spelled {spelled}."
    if zh:
        return f"{tr.en} 的意思是“{tr.zh}”。" + ("你也可以说说看！" if level <= 1 else f"拼写是 {spelled}。")
    return f"\u201c{tr.en}\u201d in Chinese is {tr.zh}." + (" Can you say it too?" if level <= 1 else "")

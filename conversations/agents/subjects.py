"""The 11 school subjects (+ general) and the words that point at each, in Chinese and English.

Why keywords: the subject is recorded on every edu message for the parents' "learning progress" view, so
it must be cheap, stable and explainable. Explicit subject names (数学, "science") weigh more than topic
words (三角形, "rainbow"); the subject with the highest total wins, ties go to the order below.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import TermIndex
from .textutil import normalise


@dataclass(frozen=True)
class Subject:
    key: str
    zh: str
    en: str


SUBJECTS: dict[str, Subject] = {
    s.key: s
    for s in (
        Subject("chinese", "语文", "Chinese"),
        Subject("math", "数学", "maths"),
        Subject("english", "英语", "English"),
        Subject("science", "科学", "science"),
        Subject("history", "历史", "history"),
        Subject("geography", "地理", "geography"),
        Subject("art", "艺术", "art"),
        Subject("music", "音乐", "music"),
        Subject("pe", "体育", "PE"),
        Subject("morality", "道德与法治", "morality and law"),
        Subject("it", "信息技术", "IT"),
        Subject("general", "综合", "general knowledge"),
    )
}
SUBJECT_KEYS: tuple[str, ...] = tuple(k for k in SUBJECTS if k != "general")

# fmt: off
_NAMES: dict[str, tuple[str, ...]] = {
    "chinese": ("语文", "语文课", "chinese class", "chinese lesson"),
    "math": ("数学", "math", "maths", "mathematics", "算术"),
    "english": ("英语", "英文", "english"),
    "science": ("科学", "science"),
    "history": ("历史", "history"),
    "geography": ("地理", "geography"),
    "art": ("美术", "艺术", "art class", "art lesson"),
    "music": ("音乐", "music"),
    "pe": ("体育", "体育课", "p.e.", "pe class", "pe lesson", "physical education"),
    "morality": ("道德与法治", "道德", "法治", "品德"),
    "it": ("信息技术", "信息课", "电脑课", "computer class", "ict"),
}
_TOPICS: dict[str, tuple[str, ...]] = {
    "chinese": (
        "汉字", "拼音", "成语", "古诗", "诗人", "作文", "造句", "词语", "偏旁", "部首", "笔画", "课文", "标点",
        "近义词", "反义词", "阅读理解", "生字", "李白", "杜甫", "静夜思", "日记", "修辞", "比喻", "拟人", "声调",
        "pinyin", "chinese character", "idiom", "poem", "poetry", "essay", "tones",
    ),
    "math": (
        "加法", "减法", "乘法", "除法", "分数", "小数", "乘法口诀", "九九", "几何", "三角形", "正方形", "长方形",
        "圆形",
        "周长", "面积", "体积", "方程", "质数", "素数", "奇数", "偶数", "百分数", "平均数", "计算", "口算", "应用题",
        "圆周率", "π", "余数", "约分", "通分", "倍数", "因数", "角", "直角",
        "addition", "subtraction", "multiplication", "division", "fraction*", "decimal*", "times table*", "triangle*",
        "rectangle*", "circle*", "perimeter", "area", "volume", "equation*", "prime number*", "odd number*",
        "even number*", "percent*", "average", "pi", "geometry", "remainder", "multiply", "divide", "sum",
    ),
    "english": (
        "单词", "字母", "语法", "音标", "发音", "用英语怎么说", "英语怎么说", "英文怎么说", "的英文", "的英语", "abc",
        "alphabet", "grammar", "spelling", "spell", "vocabulary", "phonics", "how do you say", "in english",
        "pronounce", "verb*", "noun*", "adjective*",
    ),
    "science": (
        "天空", "彩虹", "植物", "动物", "恐龙", "太阳", "月亮", "星星", "宇宙", "太空", "行星", "下雨", "雨", "雪",
        "打雷", "闪电", "磁铁", "电", "冰", "空气", "重力", "引力", "身体", "细胞", "细菌", "病毒", "昆虫", "蜜蜂",
        "鸟", "实验", "光", "声音", "温度", "化石", "种子", "叶子", "花", "蝴蝶", "蚂蚁", "心脏", "牙齿", "骨头",
        "睡觉", "呼吸", "氧气", "水蒸气", "蒸发", "影子", "火箭", "黑洞",
        "sky", "rainbow*", "plant*", "animal*", "dinosaur*", "sun", "moon", "star*", "space", "planet*", "rain",
        "snow", "thunder", "lightning", "magnet*", "electricity", "ice", "air", "gravity", "body", "cell*", "germ*",
        "virus*", "insect*", "bee*", "bird*", "experiment*", "light", "sound", "temperature", "fossil*", "seed*",
        "leaf", "leaves", "butterfl*", "heart", "teeth", "tooth", "bone*", "oxygen", "shadow*", "rocket*",
        "black hole*", "sleep",
    ),
    "history": (
        "古代", "朝代", "皇帝", "秦始皇", "长城", "故宫", "四大发明", "造纸", "印刷术", "指南针", "火药", "孔子",
        "唐朝",
        "汉朝", "宋朝", "明朝", "清朝", "金字塔", "古埃及", "发明", "蔡伦", "丝绸之路", "兵马俑",
        "ancient", "dynast*", "emperor*", "great wall", "pyramid*", "invent*", "king*", "queen*", "confucius",
        "silk road", "terracotta",
    ),
    "geography": (
        "国家", "首都", "城市", "大洋", "海洋", "大洲", "七大洲", "高山", "最高的山", "珠穆朗玛", "珠峰", "河流",
        "长江",
        "黄河", "沙漠", "地图", "省份", "气候", "赤道", "南极", "北极", "地震", "火山", "太平洋", "大陆", "地球",
        "country", "countries", "capital", "continent*", "ocean*", "mountain*", "everest", "river*", "desert*",
        "map*", "climate", "equator", "south pole", "north pole", "earthquake*", "volcano*", "earth",
    ),
    "art": (
        "画画", "绘画", "颜色", "三原色", "手工", "剪纸", "雕塑", "画家", "齐白石", "梵高", "水彩", "蜡笔", "调色",
        "draw*", "paint*", "colour*", "color*", "primary colo*", "craft*", "sculpture*", "artist*", "van gogh",
        "crayon*",
    ),
    "music": (
        "唱歌", "歌曲", "乐器", "钢琴", "小提琴", "吉他", "二胡", "古筝", "鼓", "音符", "节奏", "五线谱", "简谱",
        "哆来咪",
        "作曲家", "贝多芬", "莫扎特", "sing*", "song*", "instrument*", "piano*", "violin*", "guitar*", "drum*",
        "musical note*", "rhythm*", "melod*", "beethoven", "mozart", "do re mi",
    ),
    "pe": (
        "运动", "跑步", "跳绳", "游泳", "足球", "篮球", "乒乓球", "羽毛球", "锻炼", "热身", "奥运", "跳远", "仰卧起坐",
        "sport*", "exercis*", "running", "jump rope", "skipping", "swim*", "football", "soccer", "basketball",
        "warm up", "warm-up", "olympic*", "fitness",
    ),
    "morality": (
        "诚实", "说谎", "撒谎", "分享", "礼貌", "规则", "交通规则", "红绿灯", "被欺负", "欺负", "尊重", "友谊",
        "帮助别人",
        "公平", "责任", "法律", "环保", "垃圾分类", "感恩", "孝顺", "safe", "安全",
        "honest*", "lie", "lying", "lies", "sharing", "polite*", "manners", "rules", "traffic light*", "bull*",
        "respect*", "friendship", "kindness", "fair", "responsib*", "law*", "recycl*",
    ),
    "it": (
        "电脑", "计算机", "网络", "互联网", "编程", "程序", "代码", "密码", "人工智能", "键盘", "鼠标", "上网", "网上",
        "网站", "软件", "computer*", "internet", "coding", "code", "program*", "password*", "artificial intelligence",
        "keyboard*", "online", "scratch", "website*", "software",
    ),
}
# fmt: on

_INDEX: TermIndex[tuple[str, float]] = TermIndex(
    [(term, (key, 2.0)) for key, terms in _NAMES.items() for term in terms]
    + [(term, (key, 1.0)) for key, terms in _TOPICS.items() for term in terms]
)


def subject_scores(text: str) -> dict[str, float]:
    """Subject key → weight of the words found in ``text`` (only subjects that were hit)."""
    scores: dict[str, float] = {}
    for key, weight in _INDEX.payloads(normalise(text)):
        scores[key] = scores.get(key, 0.0) + weight
    return scores


def detect_subject(text: str) -> str | None:
    """The school subject ``text`` is about (a key of :data:`SUBJECTS`), or None if nothing points at one."""
    scores = subject_scores(text)
    if not scores:
        return None
    return max(scores, key=lambda k: (scores[k], -SUBJECT_KEYS.index(k)))


def subject_name(key: str | None, lang: str) -> str:
    subject = SUBJECTS.get(key or "general", SUBJECTS["general"])
    return subject.zh if lang == "zh" else subject.en

"""The safety table: benign and harmful messages in both languages, and the evasions children use.

Each row states the exact action and the category that must decide it, so a lexicon or normaliser
change that lets something through (or starts flagging everyday speech) fails here.
"""

from __future__ import annotations

import pytest

from conversations.safety import Action, Category, Severity, check_text, default_lexicon

A, C = Action, Category


@pytest.fixture(scope="module")
def lexicon():
    return default_lexicon()


# -- benign: allowed with severity none, at medium and at high sensitivity ----------------------------
BENIGN = [
    "我们去游乐园坐了跳楼机，好刺激",  # a funfair ride, not a jump (a term exception of 跳楼)
    # the named cases of the issue
    "剪刀",
    "长大成人",
    "网站地址",
    "恐龙是怎么死亡的",
    "how do I use a knife safely when cooking",
    # everyday Chinese that contains a scary-looking substring
    "我的杀毒软件过期了",
    "电脑死机了",
    "哈哈，笑死我了",
    "今天去医院打针，好疼",
    "杀人鲸是海洋里最聪明的动物之一",
    "老师说洗手可以杀死细菌",
    "我给奶奶发照片了，她很开心",
    "这下有大麻烦了",
    "树上有一只大麻雀",
    "妈妈，我想死你了！",
    "好久不见，想死你们啦",
    "商店在搞跳楼价大甩卖",
    "今天下雨，我不想活动了",
    "冷得我瑟瑟发抖",
    "爷爷摸摸我的头说我真棒",
    "他摸我的头夸我",
    "吸烟有害健康，爸爸要戒烟",
    "老师用白粉笔在黑板上写字",
    "鸦片战争是哪一年开始的？",
    "我们用废物利用做手工",
    "毛毛虫经过变态发育变成蝴蝶",
    "水滚开了，可以泡茶了",
    "奶奶家有一把紫砂壶",
    "科学课用酒精灯加热",
    "妈妈说出门要小心人贩子",
    "老师说不要玩火",
    "明天打我电话吧",
    "我被打了一针流感疫苗",
    "老师说不要和网友见面",
    "我们学习了怎么保护自己",
    "学习使我快乐",
    "我想快点长大",
    # everyday English
    "we saw a killer whale at the aquarium",
    "this game is sick!",
    "I could die of laughter",
    "I'm so proud of myself today",
    "Bob's bike is red",
    "Niger is a country in Africa",
    "we finally met in person at the park",
    "the sperm whale dives really deep",
    "pistol shrimp are super loud",
    "I helped grandma weed the garden",
    "I had a root beer float",
    "the naked mole rat looks funny",
    "homo sapiens means wise human",
    "Moby Dick is a very long book",
    "I call shotgun!",
    "we made bath bombs for mum",
    "my water pistol is blue",
    "I want to get high scores in maths",
    "you kill me, that's so funny",
    "my class has a skill share today",
    "the shell on the beach was pretty",
    "grapes are my favourite fruit",
    "my aunt is a therapist",
    "we did an analysis of the poem",
    "my dad works as an assistant",
    "Charles Dickens wrote great books",
    "we went on holiday to Sussex",
    "Scunthorpe is a town in England",
    "the cocktail sauce was yummy",
    "we had a fire drill at school",
    "the suicide squad film is not for kids",
    "I know five kms is a long way",
]


@pytest.mark.parametrize("text", BENIGN)
@pytest.mark.parametrize("sensitivity", ["medium", "high"])
def test_benign_is_allowed_with_no_severity(lexicon, text, sensitivity):
    verdict = check_text(text, lexicon=lexicon, sensitivity=sensitivity)
    assert (verdict.action, verdict.severity, verdict.categories) == (A.ALLOW, Severity.NONE, ()), verdict.matches
    assert verdict.masked_text == text


# -- harmful: exact action and deciding category, medium sensitivity ------------------------------------
HARMFUL = [
    # self-harm (zh)
    ("我想自杀", A.ESCALATE, C.SELF_HARM),
    ("学习怎么自杀", A.ESCALATE, C.SELF_HARM),
    ("我不想活了", A.ESCALATE, C.SELF_HARM),
    ("活着没意思", A.ESCALATE, C.SELF_HARM),
    ("我想割腕", A.ESCALATE, C.SELF_HARM),
    ("我想跳楼", A.ESCALATE, C.SELF_HARM),
    ("我好想死", A.ESCALATE, C.SELF_HARM),
    ("我恨我自己", A.REDIRECT, C.SELF_HARM),
    # abuse (zh)
    ("爸爸又打我了", A.ESCALATE, C.ABUSE),
    ("叔叔摸我下面", A.ESCALATE, C.ABUSE),
    ("他让我脱衣服", A.ESCALATE, C.ABUSE),
    ("妈妈不给我吃饭", A.ESCALATE, C.ABUSE),
    ("我今天挨打了", A.REDIRECT, C.ABUSE),
    # strangers / grooming (zh)
    ("网友约我周末见面", A.ESCALATE, C.STRANGERS),
    ("他说不要告诉你爸妈", A.ESCALATE, C.STRANGERS),
    ("有人要我发照片给他", A.ESCALATE, C.STRANGERS),
    ("你家住哪里呀", A.BLOCK, C.STRANGERS),
    ("我们私聊吧", A.REDIRECT, C.STRANGERS),
    # sexual (zh)
    ("什么是色情", A.BLOCK, C.SEXUAL),
    ("黄色网站在哪里", A.BLOCK, C.SEXUAL),
    ("做爱是什么意思", A.BLOCK, C.SEXUAL),
    ("她好性感", A.REDIRECT, C.SEXUAL),
    # violence (zh)
    ("我要杀了你", A.BLOCK, C.VIOLENCE),
    ("怎么做炸弹", A.BLOCK, C.VIOLENCE),
    ("我想炸学校", A.BLOCK, C.VIOLENCE),
    ("为什么有人杀人", A.REDIRECT, C.VIOLENCE),
    ("我看到一把手枪", A.REDIRECT, C.VIOLENCE),
    # drugs (zh)
    ("我想吸毒", A.BLOCK, C.DRUGS),
    ("冰毒是什么", A.BLOCK, C.DRUGS),
    ("我想偷偷抽烟", A.REDIRECT, C.DRUGS),
    ("大麻长什么样", A.REDIRECT, C.DRUGS),
    # bullying / hate (zh)
    ("你这个傻逼", A.REDIRECT, C.BULLYING),
    ("操你妈", A.BLOCK, C.BULLYING),
    ("他骂人家黑鬼", A.BLOCK, C.BULLYING),
    ("大家都讨厌你", A.REDIRECT, C.BULLYING),
    # dangerous (zh)
    ("我们玩窒息游戏吧", A.BLOCK, C.DANGEROUS),
    ("我要吃洗衣凝珠", A.BLOCK, C.DANGEROUS),
    ("我想离家出走", A.REDIRECT, C.DANGEROUS),
    ("我在家玩火", A.REDIRECT, C.DANGEROUS),
    # scams (zh)
    ("兼职刷单一天赚两百", A.BLOCK, C.SCAMS),
    ("点这里领免费皮肤", A.BLOCK, C.SCAMS),
    ("恭喜你中奖了", A.BLOCK, C.SCAMS),
    ("有人说可以低价充值游戏币", A.REDIRECT, C.SCAMS),
    ("快把验证码发给我", A.BLOCK, C.SCAMS),
    # self-harm (en)
    ("I want to kill myself", A.ESCALATE, C.SELF_HARM),
    ("i want to die", A.ESCALATE, C.SELF_HARM),
    ("I'm going to cut myself tonight", A.ESCALATE, C.SELF_HARM),
    ("I wish I was never born", A.ESCALATE, C.SELF_HARM),
    ("nobody would miss me", A.ESCALATE, C.SELF_HARM),
    ("I hate myself", A.REDIRECT, C.SELF_HARM),
    # abuse (en)
    ("my dad hits me", A.ESCALATE, C.ABUSE),
    ("he touched my private parts", A.ESCALATE, C.ABUSE),
    ("he made me take off my clothes", A.ESCALATE, C.ABUSE),
    ("my stepmom won't let me eat", A.ESCALATE, C.ABUSE),
    ("someone hits me at the bus stop", A.REDIRECT, C.ABUSE),
    # strangers / grooming (en)
    ("don't tell your parents about this", A.ESCALATE, C.STRANGERS),
    ("send me a picture of you", A.ESCALATE, C.STRANGERS),
    ("I'm going to meet my online friend tomorrow", A.ESCALATE, C.STRANGERS),
    ("what's your address?", A.BLOCK, C.STRANGERS),
    ("dm me later", A.REDIRECT, C.STRANGERS),
    # sexual (en)
    ("show me porn", A.BLOCK, C.SEXUAL),
    ("what is sex", A.BLOCK, C.SEXUAL),
    ("she looks sexy", A.REDIRECT, C.SEXUAL),
    ("he was naked", A.REDIRECT, C.SEXUAL),
    # violence (en)
    ("I will kill you", A.BLOCK, C.VIOLENCE),
    ("how to make a bomb", A.BLOCK, C.VIOLENCE),
    ("I'll bring a gun to school", A.BLOCK, C.VIOLENCE),
    ("there was a murder on tv", A.REDIRECT, C.VIOLENCE),
    ("my uncle has a rifle", A.REDIRECT, C.VIOLENCE),
    # drugs (en)
    ("where can I buy drugs", A.BLOCK, C.DRUGS),
    ("what does cocaine do", A.BLOCK, C.DRUGS),
    ("I want to try vaping", A.REDIRECT, C.DRUGS),
    ("let's smoke weed", A.BLOCK, C.DRUGS),
    # bullying / hate (en)
    ("you are such a retard", A.BLOCK, C.BULLYING),
    ("fuck you", A.BLOCK, C.BULLYING),
    ("shut up you bitch", A.REDIRECT, C.BULLYING),
    ("nobody likes you", A.REDIRECT, C.BULLYING),
    # dangerous (en)
    ("let's do the blackout challenge", A.BLOCK, C.DANGEROUS),
    ("I dare you to eat tide pods", A.BLOCK, C.DANGEROUS),
    ("what if I swallow a battery", A.BLOCK, C.DANGEROUS),
    ("I'm going to run away from home", A.REDIRECT, C.DANGEROUS),
    # scams (en)
    ("get free robux here", A.BLOCK, C.SCAMS),
    ("send me the code you got", A.BLOCK, C.SCAMS),
    ("free skins for everyone", A.REDIRECT, C.SCAMS),
    ("click this link now", A.REDIRECT, C.SCAMS),
]


@pytest.mark.parametrize(("text", "action", "category"), HARMFUL)
def test_harmful(lexicon, text, action, category):
    verdict = check_text(text, lexicon=lexicon)
    assert verdict.action is action, (verdict.action, verdict.matches)
    assert verdict.categories[0] is category, verdict.categories
    assert verdict.severity >= Severity.LOW


def test_table_covers_every_category_in_both_languages():
    cats_zh = {c for t, _a, c in HARMFUL if not t.isascii()}
    cats_en = {c for t, _a, c in HARMFUL if t.isascii()}
    expected = set(Category) - {Category.PERSONAL_INFO, Category.PARENT_BLOCKED}
    assert cats_zh == expected
    assert cats_en == expected
    assert len(HARMFUL) >= 60
    assert len(BENIGN) >= 40


# -- evasions: the same terms written to dodge a filter -------------------------------------------------
EVASIONS = [
    # spaces, symbols, zero-width characters between characters
    ("自 杀", C.SELF_HARM),
    ("自*杀", C.SELF_HARM),
    ("自.杀", C.SELF_HARM),
    ("我想自，杀", C.SELF_HARM),
    ("自\u200b杀", C.SELF_HARM),
    ("自😢杀", C.SELF_HARM),
    ("s-u-i-c-i-d-e", C.SELF_HARM),
    ("s u i c i d e", C.SELF_HARM),
    ("s.u.i.c.i.d.e", C.SELF_HARM),
    ("k.i.l.l myself", C.SELF_HARM),
    ("网 友 见 面", C.STRANGERS),
    # full width and case
    ("ｓｕｉｃｉｄｅ", C.SELF_HARM),
    ("ＩＷＡＮＴ ＴＯ ＤＩＥ".replace("ＩＷＡＮＴ", "Ｉ ＷＡＮＴ"), C.SELF_HARM),
    ("SuIcIdE", C.SELF_HARM),
    ("ＦＲＥＥ ＲＯＢＵＸ", C.SCAMS),
    # repeated characters
    ("自自自杀", C.SELF_HARM),
    ("我想死死死", C.SELF_HARM),
    ("kiiiill myself", C.SELF_HARM),
    ("killllll myself", C.SELF_HARM),
    ("kiill myself", C.SELF_HARM),
    ("I want to dieeeee", C.SELF_HARM),
    # traditional characters
    ("自殺", C.SELF_HARM),
    ("想死了", C.SELF_HARM),
    ("我不想活了", C.SELF_HARM),
    ("網友見面", C.STRANGERS),
    ("不要告訴你爸媽", C.STRANGERS),
    # pinyin, homophones and algospeak
    ("zisha", C.SELF_HARM),
    ("zi sha", C.SELF_HARM),
    ("我要紫砂了", C.SELF_HARM),
    ("自鲨", C.SELF_HARM),
    ("wo xiang si", C.SELF_HARM),
    ("buxianghuole", C.SELF_HARM),
    ("tiaolou", C.SELF_HARM),
    ("i want to kms", C.SELF_HARM),
    ("gonna unalive myself", C.SELF_HARM),
    ("sewer slide", C.SELF_HARM),
    # leet and look-alike letters
    ("su1c1de", C.SELF_HARM),
    ("$uicide", C.SELF_HARM),
    ("ѕuісіdе", C.SELF_HARM),  # Cyrillic look-alikes
    ("𝓼𝓾𝓲𝓬𝓲𝓭𝓮", C.SELF_HARM),
    ("ⓢⓤⓘⓒⓘⓓⓔ", C.SELF_HARM),
    ("p0rn", C.SEXUAL),
    ("r@pe", C.SEXUAL),
    ("傻 逼", C.BULLYING),
]


@pytest.mark.parametrize(("text", "category"), EVASIONS)
def test_evasions_are_caught(lexicon, text, category):
    verdict = check_text(text, lexicon=lexicon)
    assert category in verdict.categories, (text, verdict.matches)
    assert verdict.action is not A.ALLOW


@pytest.mark.parametrize(
    "text",
    [
        "自。杀",  # a sentence ender is a real break: no join across it
        "我想。死了的小鸟好可怜",
        "sui cide",  # multi-letter chunks are not glued (that would glue ordinary words)
    ],
)
def test_documented_limits_of_normalisation(lexicon, text):
    assert check_text(text, lexicon=lexicon).action is A.ALLOW


@pytest.mark.parametrize("text", ["我妈妈的电话是多少", "我妈妈的书包很好看", "姑妈的猫很可爱"])
def test_family_words_containing_a_swear_are_benign(text):
    from conversations.safety import check_text, default_lexicon

    verdict = check_text(text, lexicon=default_lexicon())
    assert verdict.action in ("allow", "mask")
    assert "bullying" not in verdict.categories


def test_the_swear_itself_is_still_caught():
    from conversations.safety import check_text, default_lexicon

    assert check_text("妈的烦死了", lexicon=default_lexicon()).action == "redirect"

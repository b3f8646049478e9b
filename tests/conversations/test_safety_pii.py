"""Personal information: what is found, what is not, and exactly how the masked text reads."""

from __future__ import annotations

import pytest

from conversations.safety import Action, Category, check_text, default_lexicon, find_pii, mask_pii
from conversations.safety.pii import id_card_valid

# Valid GB 11643 numbers (checksums computed by hand from the standard's weights).
ID_X = "11010120150307123X"
ID_DIGIT = "440304201605120019"

MASKED = [
    # phone numbers, every common way of writing them
    ("我的电话是13800138000", "我的电话是[电话]", ["phone"]),
    ("call 138 0013 8000 now", "call [phone] now", ["phone"]),
    ("my number: 138-0013-8000.", "my number: [phone].", ["phone"]),
    ("打+86 138 0013 8000找我", "打[电话]找我", ["phone"]),
    ("+8613800138000", "[phone]", ["phone"]),
    ("0086 13800138000", "[phone]", ["phone"]),
    ("电话１３８００１３８０００", "电话[电话]", ["phone"]),  # full-width digits
    # North American numbers, written with their separators
    ("call me at (415) 555-0123 ok", "call me at [phone] ok", ["phone"]),
    ("my dads cell is 415-555-0123", "my dads cell is [phone]", ["phone"]),
    ("text +1 415 555 0123 pls", "text [phone] pls", ["phone"]),
    ("415.555.0123 is mine", "[phone] is mine", ["phone"]),
    # ID numbers with a valid checksum
    (f"我的身份证号是{ID_X}", "我的身份证号是[身份证号]", ["id_card"]),
    (f"ID {ID_DIGIT}", "ID [ID number]", ["id_card"]),
    ("身份证 110101 20150307 123X", "身份证 [身份证号]", ["id_card"]),
    ("身份证11010120150307123x", "身份证[身份证号]", ["id_card"]),
    # e-mail
    ("my email is tom.lee+kid@example.co.uk, ok?", "my email is [email], ok?", ["email"]),
    ("邮箱 kid_2015@qq.com", "邮箱 [邮箱]", ["email"]),
    # QQ and WeChat: only the number / id is masked
    ("我的QQ是12345678", "我的QQ是[QQ号]", ["qq"]),
    ("qq号：1234567", "qq号：[QQ号]", ["qq"]),
    ("加我扣扣 88888888", "加我扣扣 [QQ号]", ["qq"]),
    ("我的微信是happykid", "我的微信是[微信号]", ["wechat"]),
    ("加我vx: abc_123", "加我vx: [微信号]", ["wechat"]),
    ("wx号 kid2015", "wx号 [微信号]", ["wechat"]),
    ("my wechat id is sunny_day9", "my wechat id is [WeChat]", ["wechat"]),
    # addresses
    ("我家住在北京市朝阳区建国路88号", "我家住在[地址]", ["address"]),
    ("我叫小明，我家住在上海市浦东新区世纪大道100号", "我叫小明，我家住在[地址]", ["address"]),
    ("幸福小区3栋2单元501室", "[地址]", ["address"]),
    ("我住在阳光花园5号楼", "我住在[地址]", ["address"]),
    ("我家住在幸福村", "我家住在[地址]", ["address"]),
    ("家庭住址：和平区南京路3号", "家庭住址：[地址]", ["address"]),
    ("I live at 12 Baker Street", "I live at [address]", ["address"]),
    ("my address is 221B Baker Street, London", "my address is [address], London", ["address"]),
    ("we moved to 7 oak tree lane", "we moved to [address]", ["address"]),
    # school + class, in either order
    ("我在阳光小学三年级二班", "我在[学校班级]", ["school_class"]),
    ("我是实验小学3年级2班的", "我是[学校班级]的", ["school_class"]),
    ("我在育才中学，初二(3)班", "我在[学校班级]，[学校班级]", ["school_class", "school_class"]),
    ("I'm in year 3 class 2 at Greenwood Primary School", "I'm in [school] at [school]", ["school_class"] * 2),
    ("i go to lincoln elementary school, grade 4", "i go to [school], [school]", ["school_class"] * 2),
    # several kinds in one message
    ("电话13800138000，邮箱a@b.cn", "电话[电话]，邮箱[邮箱]", ["phone", "email"]),
]


@pytest.mark.parametrize(("text", "masked", "kinds"), MASKED)
def test_pii_is_found_and_masked(text, masked, kinds):
    hits = find_pii(text)
    assert [h.kind for h in hits] == kinds
    assert mask_pii(text, hits) == masked


NOT_PII = [
    "1234567890 is a big number",  # ten bare digits: a sum's answer, not a phone
    "555-0123",  # seven digits: no area code
    "12800138000",  # 12x is not a mobile prefix
    "1380013800",  # ten digits
    "138001380001",  # twelve digits
    "3+5=8, 12*12=144",
    "我们班有45个同学",
    "11010120150307123",  # seventeen digits
    "110101201503071231",  # eighteen digits, wrong check digit: an order number, not an ID
    "110101201513071236",  # month 13
    "QQ飞车很好玩",
    "我有12345678个星星",  # a number without QQ
    "I use WeChat because it's fun",
    "微信真好用",
    "网站地址是www.example.com",
    "网站地址",
    "我家在学校旁边",
    "路上有很多车",
    "I live on a farm",
    "my address is secret",
    "我在三年级二班",  # a class alone does not find a child
    "我们学校很大",
    "I love my school",
    "I'm in year 3",
    "email me at school",
]


@pytest.mark.parametrize("text", NOT_PII)
def test_not_pii(text):
    assert find_pii(text) == []
    assert mask_pii(text, []) == text


@pytest.mark.parametrize(
    ("number", "valid"),
    [(ID_X, True), (ID_DIGIT, True), (ID_X[:-1] + "1", False), ("110101201502301231", False), ("1" * 18, False)],
)
def test_id_checksum(number, valid):
    assert id_card_valid(number) is valid


def test_pii_only_message_is_masked_and_answered():
    verdict = check_text("我的电话是13800138000，记下来", lexicon=default_lexicon())
    assert verdict.action is Action.MASK
    assert verdict.categories == (Category.PERSONAL_INFO,)
    assert verdict.masked_text == "我的电话是[电话]，记下来"
    assert [h.kind for h in verdict.pii] == ["phone"]


def test_masked_text_is_the_original_not_the_normalised_form():
    text = "ＨＥＬＬＯ！My email is Tom@Example.com."
    verdict = check_text(text, lexicon=default_lexicon())
    assert verdict.masked_text == "ＨＥＬＬＯ！My email is [email]."


def test_harmful_message_with_pii_keeps_its_action_and_is_masked():
    verdict = check_text("网友约我见面，他的电话是13800138000", lexicon=default_lexicon())
    assert verdict.action is Action.ESCALATE
    assert verdict.categories == (Category.STRANGERS, Category.PERSONAL_INFO)
    assert verdict.masked_text == "网友约我见面，他的电话是[电话]"


def test_mask_tolerates_overlapping_hits_given_by_a_caller():
    from conversations.safety import PiiHit

    hits = [PiiHit("phone", 0, 5), PiiHit("email", 3, 8)]
    assert mask_pii("abcdefghij", hits) == "[phone]ij"

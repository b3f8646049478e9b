"""The edu agent: subjects, age-aware arithmetic answers, the knowledge base, translations, quizzes, honesty."""

from __future__ import annotations

import pytest

from conversations.agents import detect_subject, respond, route
from conversations.agents.knowledge import TOPICS, lookup
from conversations.agents.knowledge_en import EN
from conversations.agents.knowledge_zh import ZH
from conversations.agents.subjects import SUBJECT_KEYS, SUBJECTS
from conversations.agents.types import AgentContext, AgentName, ProfileView
from conversations.agents.vocabulary import find_translation

AGES = {"5-6": 6, "7-8": 8, "9-10": 10, "11-12": 12}


def profile(band: str = "7-8", lang: str = "zh-hans", name: str = "小明") -> ProfileView:
    return ProfileView(child_id=3, display_name=name, age=AGES[band], age_band=band, grade=None, language=lang)


def ask(text: str, band: str = "7-8", lang: str = "zh-hans", state: dict | None = None):
    ctx = AgentContext(text=text, profile=profile(band, lang), session_state=state or {})
    decision = route(ctx)
    return decision, respond(ctx, decision)


SUBJECT_CASES = [
    ("这首古诗是谁写的", "chinese"),
    ("分数怎么约分", "math"),
    ("这个单词怎么拼", "english"),
    ("为什么会有彩虹", "science"),
    ("秦始皇是谁", "history"),
    ("世界上有几个大洲", "geography"),
    ("三原色是哪三种颜色", "art"),
    ("钢琴有多少个键", "music"),
    ("跳绳怎么跳得快", "pe"),
    ("为什么要诚实", "morality"),
    ("电脑是怎么工作的", "it"),
    ("How do I learn the times tables?", "math"),
    ("Why do volcanoes erupt?", "geography"),
    ("How does a computer work?", "it"),
    ("今天天气不错", None),
]


def test_every_subject_has_names_and_a_golden_case():
    """A subject added without its names or a golden routing case fails here."""
    assert all(SUBJECTS[key].zh and SUBJECTS[key].en for key in (*SUBJECT_KEYS, "general"))
    assert set(SUBJECT_KEYS) <= {subject for _text, subject in SUBJECT_CASES}


@pytest.mark.parametrize(("text", "subject"), SUBJECT_CASES)
def test_detect_subject(text, subject):
    assert detect_subject(text) == subject


def test_knowledge_base_is_bilingual_and_wide():
    assert set(ZH) == set(EN)
    assert len(TOPICS) >= 40
    assert {topic.subject for topic in TOPICS.values()} >= set(SUBJECT_KEYS)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("为什么天是蓝的", "sky_blue"),
        ("why is the sky blue?", "sky_blue"),
        ("恐龙是怎么灭绝的", "dinosaurs_extinct"),
        ("How did the dinosaurs die?", "dinosaurs_extinct"),
        ("What do plants need to grow?", "plants_need"),
        ("植物生长需要什么", "plants_need"),
        ("长城有多长", "great_wall"),
        ("How long is the Great Wall?", "great_wall"),
        ("世界上最高的山是哪座", "highest_mountain"),
        ("什么是质数", "prime_number"),
        ("为什么海水是咸的", "sea_salty"),
        ("被欺负了怎么办", "bullied"),
        ("今天我穿了蓝衣服", None),
        ("I like pizza", None),
    ],
)
def test_knowledge_lookup(question, topic):
    found = lookup(question)
    assert (found.key if found else None) == topic


def test_arithmetic_at_age_six_counts_on_fingers():
    decision, reply = ask("3加5等于几", band="5-6")
    assert decision.agent == AgentName.EDU and decision.subject == "math"
    assert reply.agent == AgentName.EDU and reply.subject == "math"
    assert "3 + 5 = 8" in reply.text and "答案是 8" in reply.text
    assert "手指" in reply.text


def test_arithmetic_at_age_eleven_shows_proper_steps():
    decision, reply = ask("3*x-4=11", band="11-12")
    assert decision.subject == "math"
    assert "两边同时加上 4：3x = 11 + 4 = 15" in reply.text
    assert "两边同时除以 3：x = 15 ÷ 3 = 5" in reply.text
    assert reply.text.endswith("所以 x = 5。")


def test_english_arithmetic_both_ages():
    _, young = ask("what is 12 times 3", band="5-6", lang="en")
    assert "12 × 3 = 36" in young.text and "The answer is 36." in young.text
    _, older = ask("What is 2+3*4?", band="11-12", lang="en")
    assert "2 + 3 × 4 = 2 + 12 = 14" in older.text


def test_equation_with_a_box_for_an_eight_year_old():
    _, reply = ask("□+5=9", band="7-8")
    assert "9 - 5 = 4" in reply.text and "□ = 4" in reply.text and "4 + 5 = 9 ✓" in reply.text


def test_division_by_zero_is_kind():
    decision, reply = ask("5除以0等于几", band="7-8")
    assert decision.agent == AgentName.EDU and decision.subject == "math"
    assert "不能除以 0" in reply.text
    _, english = ask("what is 7 divided by 0?", band="9-10", lang="en")
    assert "can't divide by zero" in english.text


def test_knowledge_answers_depend_on_age():
    _, young = ask("为什么天是蓝的", band="5-6")
    _, older = ask("为什么天是蓝的", band="11-12")
    assert young.subject == older.subject == "science"
    assert "瑞利散射" in older.text and "瑞利散射" not in young.text
    _, great_wall = ask("长城有多长", band="11-12")
    assert great_wall.subject == "history" and "21196.18" in great_wall.text
    _, plants = ask("What do plants need?", band="9-10", lang="en")
    assert plants.subject == "science" and "photosynthesis" in plants.text


def test_translations():
    assert find_translation("苹果用英语怎么说").en == "apple"
    assert find_translation("飞船用英语怎么说").en is None  # not "boat": never translate a piece of a word
    _, reply = ask("苹果用英语怎么说")
    assert reply.subject == "english" and "apple" in reply.text
    _, reverse = ask("how do you say cat in Chinese", lang="en")
    assert reverse.subject == "chinese" and "猫" in reverse.text
    _, unknown = ask("飞船用英语怎么说")
    assert "查一查" in unknown.text


def test_quiz_round_trip():
    decision, asked = ask("给我出一道题", band="7-8")
    assert decision.agent == AgentName.EDU and asked.subject == "math"
    quiz = asked.session_state["quiz"]
    question, answer = quiz["question"], quiz["answer"]
    assert question in asked.text
    decision, right = ask(answer, band="7-8", state=asked.session_state)
    assert decision.agent == AgentName.EDU and decision.subject == "math"
    assert "答对" in right.text or "正确" in right.text
    assert "quiz" not in right.session_state
    wrong_answer = str(int(answer) + 1)
    _, wrong = ask(wrong_answer, band="7-8", state=asked.session_state)
    assert f"不是 {wrong_answer}" in wrong.text and f"答案是 {answer}" in wrong.text


def test_honest_when_unknown():
    decision, reply = ask("为什么猫咪喜欢纸箱子")
    assert decision.agent == AgentName.EDU
    assert "不能确定" in reply.text and "一起" in reply.text
    _, english = ask("Why do cats like boxes?", lang="en")
    assert "not sure" in english.text and "find out together" in english.text


def test_confused_child_is_reassured():
    decision, reply = ask("我不懂分数")
    assert decision.emotion.label == "confused"
    assert reply.agent == AgentName.EDU and reply.subject == "math"
    assert "1/4" in reply.text  # the fractions topic, explained for a 7-8 year old


def test_a_broken_quiz_state_is_ignored():
    decision, reply = ask("2", state={"quiz": {"question": "1 + 1", "answer": "not a number"}})
    assert reply.text.strip() and "走神" not in reply.text


@pytest.mark.parametrize(
    ("text", "lang", "answer"),
    [
        ("950/19的商再乘159，积=？", "zh-hans", "答案是 7950"),
        ("3加5的和再乘2等于几", "zh-hans", "答案是 16"),
        ("12减4的差除以2是多少", "zh-hans", "答案是 4"),
        ("What is 12 divided by 4, then times 5?", "en", "The answer is 15"),
        ("What is the sum of 3 and 5, then times 2?", "en", "The answer is 16"),
    ],
)
def test_teacher_answers_a_compound_question_whole(text, lang, answer):
    decision, reply = ask(text, band="9-10", lang=lang)
    assert decision.agent is AgentName.EDU and reply.subject == "math"
    assert answer in reply.text
    assert "950 ÷ 19 = 50。答案是 50" not in reply.text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("3+5=? 4+6=?", "zh-hans"),
        ("950/19的平方是多少", "zh-hans"),
        ("16加9的一半是多少", "zh-hans"),
        ("What is 3+5 squared?", "en"),
        ("What is 3+5? And 4+6?", "en"),
    ],
)
def test_teacher_never_answers_part_of_a_question_as_the_whole(text, lang):
    _decision, reply = ask(text, band="9-10", lang=lang)
    assert reply.subject == "math"
    assert "答案是" not in reply.text and "answer is" not in reply.text
    assert "一步一步" in reply.text or "one step at a time" in reply.text

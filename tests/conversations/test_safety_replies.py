"""What the child sees when safety steps in: never empty, in their language, caring when it matters."""

from __future__ import annotations

import pytest

from conversations.safety import Action, Category, Severity, Verdict, fallback_reply, safety_reply
from conversations.safety.checker import fail_closed_verdict
from conversations.safety.replies import is_young, reply_language

BANDS = ["5-6", "7-8", "9-10", "11-12"]
LANGUAGES = ["zh-hans", "en"]


def verdict(action: Action, *categories: Category, severity: Severity = Severity.MEDIUM) -> Verdict:
    return Verdict(action=action, severity=severity, categories=tuple(categories), masked_text="")


ALL_VERDICTS = [
    verdict(Action.ALLOW, severity=Severity.NONE),
    verdict(Action.MASK, Category.PERSONAL_INFO, severity=Severity.LOW),
    *[verdict(Action.REDIRECT, c) for c in Category],
    verdict(Action.REDIRECT),
    verdict(Action.BLOCK, Category.SEXUAL, severity=Severity.HIGH),
    fail_closed_verdict("x"),
    *[verdict(Action.ESCALATE, c, severity=Severity.CRITICAL) for c in Category],
]


@pytest.mark.parametrize("v", ALL_VERDICTS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("band", BANDS)
def test_every_action_has_a_reply_in_both_languages(v, language, band):
    text = safety_reply(v, language=language, age_band=band)
    assert text.strip()
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in text)
    assert chinese is (language == "zh-hans")
    assert safety_reply(v, language=language, age_band=band) == text  # deterministic


@pytest.mark.parametrize("category", [Category.SELF_HARM, Category.ABUSE, Category.STRANGERS])
def test_escalation_points_to_a_trusted_adult_and_help(category):
    v = verdict(Action.ESCALATE, category, severity=Severity.CRITICAL)
    zh_older = safety_reply(v, language="zh-hans", age_band="11-12")
    assert "你不是一个人" in zh_older
    assert all(n in zh_older for n in ("400-161-9995", "12355", "110", "120"))
    zh_young = safety_reply(v, language="zh-hans", age_band="5-6")
    assert "110" in zh_young and ("爸爸妈妈" in zh_young or "大人" in zh_young)
    en = safety_reply(v, language="en", age_band="9-10")
    assert "not alone" in en and "trusted" in en and "emergency number" in en
    assert "emergency number" in safety_reply(v, language="en", age_band="7-8")


def test_replies_vary_by_age_band():
    for v in ALL_VERDICTS:
        for language in LANGUAGES:
            young = safety_reply(v, language=language, age_band="5-6")
            assert young == safety_reply(v, language=language, age_band="7-8")
            assert young != safety_reply(v, language=language, age_band="11-12")


def test_redirects_fit_the_category():
    strangers = safety_reply(verdict(Action.REDIRECT, Category.STRANGERS), language="zh-hans", age_band="9-10")
    assert "网上" in strangers
    scams = safety_reply(verdict(Action.REDIRECT, Category.SCAMS), language="en", age_band="9-10")
    assert "scam" in scams
    parent = safety_reply(verdict(Action.REDIRECT, Category.PARENT_BLOCKED), language="en", age_band="5-6")
    assert "family" in parent
    # the category that decided comes first in a verdict, and picks the wording
    mixed = verdict(Action.REDIRECT, Category.PERSONAL_INFO, Category.BULLYING)
    assert "kind" in safety_reply(mixed, language="en", age_band="9-10")


def test_block_suggests_a_grown_up_and_fail_closed_uses_the_fallback():
    block = safety_reply(verdict(Action.BLOCK, Category.VIOLENCE), language="en", age_band="7-8")
    assert "grown-up" in block or "adult" in block
    failed = fail_closed_verdict("whatever")
    for band in BANDS:
        for language in LANGUAGES:
            assert safety_reply(failed, language=language, age_band=band) == fallback_reply(
                language=language, age_band=band
            )


def test_language_and_band_helpers():
    assert reply_language("zh-hans") == reply_language("zh-CN") == reply_language("zh") == "zh"
    assert reply_language("en") == reply_language("") == reply_language("fr") == "en"
    assert is_young("5-6") and is_young("7-8") and is_young("unknown")
    assert not is_young("9-10") and not is_young("11-12")

"""The lexicon: the bundled data is complete and sane, and context rules behave as documented."""

from __future__ import annotations

import pickle
from collections import Counter

import pytest

from conversations.safety import Category, Lexicon, LexiconEntry, Severity, bundled_benign, bundled_entries
from conversations.safety.lexicon import COLLAPSE_COLLISIONS, DATA_DIR, _variants, load_entries, term_problem
from conversations.safety.normalize import normalize

HARM_CATEGORIES = set(Category) - {Category.PERSONAL_INFO, Category.PARENT_BLOCKED}


def entry(term: str, category: Category = Category.VIOLENCE, severity: Severity = Severity.MEDIUM, *exceptions):
    return LexiconEntry(term, category, severity, "zh", tuple(exceptions))


# -- the bundled data ------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["zh", "en"])
def test_bundled_lexicon_has_hundreds_of_terms_in_every_category(language):
    entries = [e for e in bundled_entries() if e.language == language]
    assert len(entries) >= 300
    per_category = Counter(e.category for e in entries)
    assert set(per_category) == HARM_CATEGORIES
    assert min(per_category.values()) >= 40, per_category


def test_bundled_data_is_consistent():
    entries = bundled_entries()
    keys = Counter((normalize(e.term.strip("*")), e.category) for e in entries)
    assert [k for k, n in keys.items() if n > 1] == []  # no term listed twice in a category
    for e in entries:
        assert term_problem(e.term) is None, e.term
        assert e.severity > Severity.NONE
        for phrase in e.exceptions:  # an exception must contain its term, or it could cancel anything
            assert normalize(e.term) in normalize(phrase), (e.term, phrase)
    assert all(
        e.severity in (Severity.CRITICAL, Severity.MEDIUM, Severity.LOW)
        for e in entries
        if e.category in (Category.SELF_HARM, Category.ABUSE)
    ), "self-harm and abuse are never a bare BLOCK: critical escalates, lower ones get a caring redirect"
    benign = bundled_benign()
    assert len(benign) >= 80
    assert len(set(benign)) == len(benign)
    assert all(normalize(p) for p in benign)


def test_bundled_lexicon_builds_and_reports_sizes():
    lexicon = Lexicon.build(bundled_entries(), benign=bundled_benign(), strict=True)
    stats = lexicon.stats()
    assert sum(stats["zh"].values()) + sum(stats["en"].values()) == len(lexicon) == len(bundled_entries())
    assert lexicon.pattern_count > len(lexicon)  # variants: joined words, collapsed doubles, benign


def test_no_collapsed_variant_is_an_ordinary_word():
    """Collapsing doubles must never index an everyday word (ass -> as, off myself -> of myself)."""
    everyday = {"as", "of myself", "wed", "nose", "bobs", "niger", "met in person", "shot him", "血淋"}
    assert everyday <= COLLAPSE_COLLISIONS
    indexed = {v for e in bundled_entries() for v in _variants(normalize(e.term.strip("*")))}
    assert indexed.isdisjoint(COLLAPSE_COLLISIONS)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("自杀\tself_harm\n", "expected 3 or 4"),
        ("自杀\tnot_a_category\tcritical\n", "unknown category"),
        ("自杀\tself_harm\tenormous\n", "unknown category or severity"),
        ("自杀\tself_harm\tnone\n", "above none"),
        ("\tself_harm\tcritical\n", "empty term"),
    ],
)
def test_bad_data_files_are_rejected(tmp_path, content, message):
    path = tmp_path / "lexicon_xx.tsv"
    path.write_text("# comment\n\n" + content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_entries(path, "xx")


def test_data_files_exist():
    names = {p.name for p in DATA_DIR.iterdir()}
    assert {"lexicon_zh.tsv", "lexicon_en.tsv", "benign_zh.tsv", "benign_en.tsv"} <= names


# -- context rules ---------------------------------------------------------------------------------------
def test_benign_phrase_cancels_only_a_covered_low_or_medium_hit():
    lexicon = Lexicon.build(
        [entry("刀子"), entry("自杀", Category.SELF_HARM, Severity.CRITICAL)],
        benign=["剪刀子", "学习怎么自杀", "学习"],
    )
    assert lexicon.scan(normalize("剪刀子")) == []
    assert [m.term for m in lexicon.scan(normalize("刀子"))] == ["刀子"]
    assert [m.term for m in lexicon.scan(normalize("剪刀子和刀子"))] == ["刀子"]  # the second one is not covered
    # a benign phrase never cancels a high or critical hit, however much of it is around
    assert [m.term for m in lexicon.scan(normalize("学习怎么自杀"))] == ["自杀"]


def test_benign_phrase_does_not_cancel_high():
    lexicon = Lexicon.build([entry("炸弹", severity=Severity.HIGH)], benign=["水炸弹"])
    assert [m.severity for m in lexicon.scan(normalize("水炸弹"))] == [Severity.HIGH]


def test_exceptions_cancel_only_their_own_term_at_any_severity():
    lexicon = Lexicon.build(
        [
            entry("想死", Category.SELF_HARM, Severity.CRITICAL, "想死你了"),
            entry("自杀", Category.SELF_HARM, Severity.CRITICAL),
        ],
        benign=(),
    )
    assert lexicon.scan(normalize("我想死你了")) == []
    assert [m.term for m in lexicon.scan(normalize("想死你了，我想自杀"))] == ["自杀"]
    assert [m.term for m in lexicon.scan(normalize("我想死，你别管"))] == ["想死"]


def test_latin_terms_match_whole_words_unless_opened_with_a_star():
    lexicon = Lexicon.build(
        [
            LexiconEntry("kill", Category.VIOLENCE, Severity.LOW, "en"),
            LexiconEntry("suicid*", Category.SELF_HARM, Severity.CRITICAL, "en"),
            LexiconEntry("*bomb", Category.VIOLENCE, Severity.MEDIUM, "en"),
        ],
        benign=(),
    )
    assert lexicon.scan("skill killer kills") == []
    assert [m.term for m in lexicon.scan("i kill")] == ["kill"]
    assert [m.term for m in lexicon.scan("suicidal thoughts")] == ["suicid"]
    assert [m.term for m in lexicon.scan("a firebomb")] == ["bomb"]
    assert lexicon.scan("bombs") == []
    assert [m.term for m in lexicon.scan("我想kill你")] == ["kill"]  # Chinese characters are boundaries


def test_multi_word_terms_also_match_written_together_and_stretched():
    lexicon = Lexicon.build([LexiconEntry("kill myself", Category.SELF_HARM, Severity.CRITICAL, "en")], benign=())
    for text in ("kill myself", "killmyself", "kill-myself", "killllll myself", "kiill myself", "KILL   MYSELF"):
        assert [m.term for m in lexicon.scan(normalize(text))] == ["kill myself"], text


def test_hits_are_unique_and_most_severe_first():
    lexicon = Lexicon.build(
        [entry("刀子", severity=Severity.LOW), entry("杀人", severity=Severity.HIGH), entry("拿刀子杀人")], benign=()
    )
    hits = lexicon.scan(normalize("拿刀子杀人，拿刀子杀人"))
    assert [m.severity for m in hits] == [Severity.HIGH, Severity.MEDIUM, Severity.LOW]


@pytest.mark.parametrize("term", ["", "***", "a", "啪啪啪", "!!!"])
def test_unusable_terms_are_refused_or_skipped(term, caplog):
    assert term_problem(term) is not None
    with pytest.raises(ValueError):
        Lexicon.build([entry(term)], strict=True)
    # a bad staff entry must not take the checker down: skipped, with a warning naming the term
    lexicon = Lexicon.build([entry(term), entry("刀子")], benign=())
    assert [e.term for e in lexicon.entries] == ["刀子"]
    assert "skipped" in caplog.text


def test_benign_phrases_default_to_the_bundled_ones():
    """A caller that builds with staff terms and forgets benign= still gets the everyday exceptions."""
    lexicon = Lexicon.build([*bundled_entries(), entry("恐龙蛋")])
    assert lexicon.benign == bundled_benign()
    assert lexicon.scan(normalize("杀人鲸")) == []
    assert Lexicon.build([entry("杀人")], benign=()).scan(normalize("杀人鲸")) != []


def test_empty_lexicon_scans_nothing():
    lexicon = Lexicon.build([], benign=())
    assert len(lexicon) == 0
    assert lexicon.scan("anything") == []
    assert lexicon.scan("") == []


def test_lexicon_pickles_for_the_cache():
    lexicon = Lexicon.build([entry("刀子"), entry("自杀", Category.SELF_HARM, Severity.CRITICAL)], benign=["剪刀子"])
    restored = pickle.loads(pickle.dumps(lexicon))  # noqa: S301 - our own bytes, as the cache backend does
    assert restored.entries == lexicon.entries
    assert restored.benign == lexicon.benign
    for text in ("剪刀子", "刀子", "我想自杀"):
        assert restored.scan(normalize(text)) == lexicon.scan(normalize(text))


def test_long_messages_keep_context_per_position():
    """Hundreds of covered hits and one uncovered: only the uncovered one is reported."""
    lexicon = Lexicon.build([entry("杀人")], benign=["杀人鲸"])
    assert lexicon.scan(normalize("杀人鲸" * 500)) == []
    assert [m.term for m in lexicon.scan(normalize("杀人鲸" * 500 + "，杀人"))] == ["杀人"]
    assert [m.term for m in lexicon.scan(normalize("杀人，" + "杀人鲸" * 500))] == ["杀人"]

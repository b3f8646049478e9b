"""The safety model's training data is a reviewed artefact: these are its rules, checked on every run.

A broken row, an unknown label or a family split across two files would silently change what the
model learns; a text that is both trained on and used to measure would flatter the figures.
"""

from __future__ import annotations

from collections import Counter

import pytest

from conversations.safety.model.training import (
    NOT_TRAINED_ON,
    TRAINING_DIR,
    is_held_out,
    load_training_files,
    read_tsv,
)
from conversations.safety.normalize import normalize

TRAINING_FILES = sorted(p for p in TRAINING_DIR.glob("*.tsv") if p.name not in NOT_TRAINED_ON)


@pytest.fixture(scope="module")
def examples():
    return load_training_files()


def test_every_training_file_parses_with_known_labels():
    assert TRAINING_FILES, "no training data found"
    for path in TRAINING_FILES:
        rows = read_tsv(path)  # raises on a malformed row or an unknown label
        assert rows, path.name
        assert {row.lang for row in rows} <= {"zh", "en"}, path.name


def test_a_family_lives_in_one_file_and_holds_paraphrases(examples):
    owner: dict[str, str] = {}
    for path in TRAINING_FILES:
        for row in read_tsv(path):
            assert owner.setdefault(row.family, path.name) == path.name, row.family
    sizes = Counter(row.family for row in examples)
    assert all(2 <= n <= 12 for n in sizes.values()), [f for f, n in sizes.items() if not 2 <= n <= 12]


def test_a_family_has_one_label_set(examples):
    labels: dict[str, set[frozenset]] = {}
    for row in examples:
        labels.setdefault(row.family, set()).add(row.labels)
    mixed = [family for family, sets in labels.items() if len(sets) > 1 and frozenset() in sets]
    assert not mixed, f"families mixing benign and risky rows: {mixed[:5]}"


def test_no_text_is_both_trained_on_and_measured(examples):
    """The held-out split and the external set measure generalisation only if their texts are unseen."""
    train = {normalize(e.text) for e in examples if not is_held_out(e.family)}
    held_out = {normalize(e.text) for e in examples if is_held_out(e.family)}
    external = {normalize(e.text) for e in read_tsv(TRAINING_DIR / "external_eval.tsv")}
    assert not train & held_out, sorted(train & held_out)[:5]
    assert not train & external, sorted(train & external)[:5]


def test_the_held_out_split_is_by_family_and_about_a_fifth(examples):
    families = {e.family for e in examples}
    held = {f for f in families if is_held_out(f)}
    assert 0.12 <= len(held) / len(families) <= 0.28
    assert all(is_held_out(e.family) == (e.family in held) for e in examples)


def test_every_category_has_data_in_both_languages(examples):
    from conversations.safety.model.types import MODEL_CATEGORIES

    for category in MODEL_CATEGORIES:
        langs = {e.lang for e in examples if category in e.labels}
        assert langs == {"zh", "en"}, category
    assert {e.lang for e in examples if not e.labels} == {"zh", "en"}

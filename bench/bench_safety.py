"""Safety check throughput on one core: 200-character messages, the full bundled lexicon.

Target (issue 3): at least 20,000 messages per second on one core. The script builds the lexicon,
generates N realistic messages with a fixed seed (Chinese and English children's chat; some with a
lexicon hit, some with personal information, some traditional or full-width), pins itself to one
CPU, and times ``check_text`` per message (p50/p99) and as a whole (messages per CPU-second of this
thread, the median of --repeat passes; wall-clock throughput is printed too), next to the baseline of
``normalize`` alone. Nothing here touches Django or a database.

    .venv/bin/python bench/bench_safety.py [--n 20000] [--seed 7] [--repeat 5] [--target 20000]

Exits 1 when the throughput is below --target, so it can gate a CI job if wanted.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conversations.safety import Lexicon, bundled_benign, bundled_entries, check_text, normalize

LENGTH = 200

ZH_SENTENCES = [
    "我今天在学校很开心，老师表扬了我的作文。",
    "下午我们去公园玩了滑梯，还看到了好多小鸟！",
    "数学作业有点难，三加五乘以二等于多少呀？",
    "我最喜欢的恐龙是霸王龙，它为什么那么大？",
    "妈妈说周末带我去动物园看大熊猫。",
    "你能给我讲一个关于小兔子的故事吗？",
    "我和同桌一起画了一幅画，画的是大海。",
    "为什么天空是蓝色的？月亮为什么会变？",
    "今天体育课我们跳绳了，我跳了一百下！",
    "我有一点点难过，因为我的小猫生病了。",
    "英语老师教我们唱了一首新歌，很好听。",
    "我想学做饭，怎么用刀切菜才安全？",
    "昨天下雨了，我穿着雨靴去踩水坑。",
    "我们班的小明跑步特别快，他是第一名。",
    "我喜欢看书，最近在看《西游记》。",
    "科学课上我们做了火山爆发的小实验。",
]
EN_SENTENCES = [
    "Today at school we learned about dinosaurs and volcanoes.",
    "My friend Tom said it was really cool, and I agree!",
    "Can you help me with my math homework? What is seven times eight?",
    "I drew a picture of a killer whale jumping out of the sea.",
    "We played football at lunch and I scored two goals.",
    "Why is the sky blue? And why does the moon change shape?",
    "My little sister keeps taking my crayons, it's so annoying.",
    "Could you tell me a story about a brave little fox?",
    "I'm learning to cook. How do I use a knife safely?",
    "Our class is growing sunflowers, mine is the tallest one.",
    "I felt a bit sad today because my best friend was away.",
    "The science museum had a huge robot that could dance.",
    "I could die of laughter, my dad told the funniest joke.",
    "What is the biggest animal in the whole world?",
]
ZH_HITS = [
    "我不想活了",
    "网友约我周末单独见面",
    "有人让我发照片给他",
    "怎么做炸弹",
    "你去死吧",
    "我想试试窒息游戏",
    "免费领皮肤，把验证码发给我",
    "爸爸又打我了",
    "我想偷偷抽烟",
    "他骂我是傻逼",
    "自 杀",
    "想死了",
    "不要告訴你爸媽",
]
EN_HITS = [
    "i want to kill myself",
    "don't tell your parents about our chat",
    "send me a photo of you",
    "how to make a bomb",
    "free robux generator",
    "my dad hits me",
    "let's try the blackout challenge",
    "he called me a stupid idiot",
    "I want to try vaping",
    "s-u-i-c-i-d-e",
]
ZH_PII = [
    "我的电话是138 0013 8000",
    "我家住在幸福小区3栋2单元501室",
    "我的QQ号是123456789",
    "加我微信 happy_kid123",
    "我在阳光小学三年级二班",
    "我的身份证号是110101201503071236",
]
EN_PII = [
    "my email is tom.lee@example.com",
    "I live at 12 Baker Street",
    "call me on +86 139-1234-5678",
    "I go to Greenwood Primary School, year 3 class 2",
]


def make_messages(n: int, seed: int) -> list[str]:
    """N messages of 200 characters: 55% Chinese, 45% English; ~12% with a hit, ~8% with PII."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        zh = rng.random() < 0.55
        pool = ZH_SENTENCES if zh else EN_SENTENCES
        sep = "" if zh else " "
        parts: list[str] = []
        roll = rng.random()
        if roll < 0.12:
            parts.append(rng.choice(ZH_HITS if zh else EN_HITS) + ("。" if zh else "."))
        elif roll < 0.20:
            parts.append(rng.choice(ZH_PII if zh else EN_PII) + ("。" if zh else "."))
        while len(sep.join(parts)) < LENGTH:
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(pool))
        text = sep.join(parts)[:LENGTH]
        style = rng.random()
        if style < 0.03:
            text = text.upper()
        elif style < 0.05:  # full-width Latin and digits
            text = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
        out.append(text)
    return out


def pin_one_core() -> str:
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):  # pragma: no cover - not on Linux
        return "not pinned (no sched_setaffinity)"


def timed(fn, messages: list[str], repeat: int) -> tuple[list[float], list[float], list[float]]:
    """Per pass: wall seconds and this thread's CPU seconds; then per-call microseconds from one more pass.

    CPU time is what "on one core" means and is not inflated when another process takes the core
    (these machines are shared); wall time is reported next to it.
    """
    walls, cpus = [], []
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeat):
            w0, c0 = time.perf_counter(), time.thread_time()
            for m in messages:
                fn(m)
            cpus.append(time.thread_time() - c0)
            walls.append(time.perf_counter() - w0)
        per_call = []
        clock = time.perf_counter_ns
        for m in messages:
            a = clock()
            fn(m)
            per_call.append((clock() - a) / 1000)
    finally:
        gc.enable()
    return walls, cpus, per_call


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def report(name: str, n: int, walls: list[float], cpus: list[float], calls: list[float]) -> float:
    """Print one line; return the median CPU-time throughput (the figure the target is checked on)."""
    rate_cpu = n / statistics.median(cpus)
    print(
        f"{name:<15} {rate_cpu:>9,.0f} msg/s per CPU-second (best {n / min(cpus):,.0f}), "
        f"wall {n / statistics.median(walls):,.0f} msg/s; "
        f"p50 {pct(calls, 0.50):.1f} us, p99 {pct(calls, 0.99):.1f} us, mean {statistics.mean(calls):.1f} us"
    )
    return rate_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over all messages")
    parser.add_argument("--target", type=float, default=20_000.0, help="messages/second required (exit 1 below)")
    args = parser.parse_args()

    pinned = pin_one_core()
    t0 = time.perf_counter()
    lexicon = Lexicon.build(bundled_entries(), benign=bundled_benign(), strict=True)
    build_ms = (time.perf_counter() - t0) * 1000
    messages = make_messages(args.n, args.seed)
    avg_len = statistics.mean(len(m) for m in messages)

    def check(m: str) -> object:
        return check_text(m, lexicon=lexicon)

    for m in messages[:2000]:  # warm-up: caches, branch predictors, lazy imports
        check(m)
    norm = timed(normalize, messages, args.repeat)
    full = timed(check, messages, args.repeat)
    actions = Counter(check(m).action.value for m in messages)

    stats = lexicon.stats()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"python {platform.python_version()} on {platform.machine()}, {pinned}, load average {load:.2f}")
    print(
        f"lexicon: {len(lexicon)} entries ({', '.join(f'{k} {sum(v.values())}' for k, v in stats.items())}), "
        f"{len(lexicon.benign)} benign phrases, {lexicon.pattern_count} patterns, built in {build_ms:.0f} ms"
    )
    print(f"messages: {len(messages)} x {avg_len:.0f} chars, seed {args.seed}; verdicts {dict(actions)}")
    print(f"medians of {args.repeat} passes:")
    report("normalize only", len(messages), *norm)
    rate = report("check_text", len(messages), *full)
    ok = rate >= args.target
    print(f"target {args.target:,.0f} msg/s on one core: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Parent dashboard benchmark (issue 10): server time of a child's pages with a long history.

Target: the conversations page and the insights pages (7 and 30 days) of a child with 100k messages,
p95 <= 3x the p95 of the overview page of a family with no messages, in the same run (absolute
figures reported; aim <= 100 ms); the queries of each page bounded (the same number as for a child
with a few messages: no N+1).

    .venv/bin/python bench/bench_dashboard.py [--messages 100000] [--requests 200]

PostgreSQL (``hp_bench_dashboard``, dropped and created) and Redis (``BENCH_REDIS_URL``, flushed), the
production settings (DEBUG off). People through the services; the heavy child's 365 days of history
with SQL (``INSERT ... SELECT generate_series``): one chat a day, pairs of messages with feelings,
school subjects and some flagged ones, a usage row per day. Pages are requested in-process with
Django's test client (the whole middleware, session, template stack; no HTTP server), the pages in
turn so noise hits each alike. Exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as common

warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hp_bench_dashboard"
TARGET_RATIO = 3.0
AIM_MS = 100.0


def people() -> dict:
    from accounts.models import ConsentScope
    from accounts.services.children import child_create
    from accounts.services.users import user_register

    scopes = [ConsentScope.CHAT, ConsentScope.EMOTION_COMPANION]
    heavy_parent = user_register(email="heavy@bench.local", password="bench-password-2f9c1", display_name="H")  # noqa: S106
    heavy = child_create(actor=heavy_parent, display_name="Heavy", age=9, consent_scopes=scopes)
    light = child_create(actor=heavy_parent, display_name="Light", age=7, consent_scopes=scopes)
    empty_parent = user_register(email="empty@bench.local", password="bench-password-2f9c1", display_name="E")  # noqa: S106
    child_create(actor=empty_parent, display_name="Quiet", age=8, consent_scopes=scopes)
    return {"heavy_parent": heavy_parent, "empty_parent": empty_parent, "heavy": heavy, "light": light}


def history(child_id: int, messages: int) -> None:
    """``messages`` rows (child/companion pairs) over the last 365 days, one chat a day."""
    from django.db import connection

    pairs = messages // 2
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO conversations_chatsession (child_id, title, started_at, last_activity_at, active_seconds,
                   message_count, story_state)
               SELECT %s, 'day ' || d, now() - (d || ' days')::interval, now() - (d || ' days')::interval
                      + interval '1 hour', 1800, %s / 365 * 2, '{}'::jsonb
               FROM generate_series(0, 364) AS d""",
            [child_id, pairs],
        )
        cursor.execute("SELECT id FROM conversations_chatsession WHERE child_id = %s ORDER BY started_at", [child_id])
        sessions = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            """INSERT INTO conversations_message (session_id, child_id, role, agent, text, channel, pii_masked,
                   safety_action, safety_severity, safety_categories, refusal_code, emotion, emotion_intensity,
                   subject, search_tokens, provider, created_at, prompt_tokens, completion_tokens)
               SELECT (%(sessions)s::bigint[])[1 + (p * 365 / %(pairs)s)], %(child)s,
                      CASE WHEN r = 0 THEN 'child' ELSE 'assistant' END,
                      (ARRAY['edu','chat','emotion','story'])[1 + p %% 4],
                      CASE WHEN r = 0 THEN '为什么天空是蓝色的？第' || p || '个问题'
                           ELSE '因为阳光里的蓝光被空气散射得最多。' END,
                      'text', false,
                      CASE WHEN r = 0 AND p %% 97 = 0 THEN 'redirect' ELSE 'allow' END,
                      CASE WHEN r = 0 AND p %% 97 = 0 THEN 'medium' ELSE 'none' END,
                      CASE WHEN r = 0 AND p %% 97 = 0 THEN '["bullying"]'::jsonb ELSE '[]'::jsonb END,
                      '',
                      CASE WHEN r = 0 THEN (ARRAY['happy','sad','neutral','anxious','excited'])[1 + p %% 5] ELSE '' END,
                      CASE WHEN r = 0 THEN 0.5 END,
                      CASE WHEN p %% 4 = 0 THEN (ARRAY['math','science','chinese'])[1 + p %% 3] ELSE '' END,
                      '天空 蓝色 问题', CASE WHEN r = 1 THEN 'builtin' ELSE '' END,
                      now() - interval '365 days' + p * (interval '365 days' / %(pairs)s) + r * interval '2 seconds',
                      0, 0
               FROM generate_series(0, %(pairs)s - 1) AS p, generate_series(0, 1) AS r""",
            {"sessions": sessions, "child": child_id, "pairs": pairs},
        )
        cursor.execute(
            """INSERT INTO conversations_usageday (child_id, day, seconds, messages)
               SELECT %s, (now() - (d || ' days')::interval)::date, 1800 + (d %% 5) * 600, %s / 365
               FROM generate_series(0, 364) AS d""",
            [child_id, pairs],
        )
        cursor.execute("ANALYZE")


def measure(client, url: str) -> tuple[float, int]:
    return common.timed_requests(lambda: [client.get(url)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per page")
    args = parser.parse_args()
    common.check_local(args.database_url)
    info = common.machine(args.database_url)
    common.print_machine(info)
    print("command: " + " ".join(["bench/bench_dashboard.py", *sys.argv[1:]]))
    common.recreate_database(args.database_url)
    common.flush_redis()
    common.setup_django(common.django_env(args.database_url))
    import logging

    logging.disable(logging.INFO)
    common.migrate()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # as production does (README)
    from django.test import Client
    from django.urls import reverse

    started = time.perf_counter()
    who = people()
    history(who["heavy"].pk, args.messages)
    history(who["light"].pk, 20)
    print(f"fixtures: {args.messages} messages for one child, 20 for another ({time.perf_counter() - started:.0f} s)")
    heavy, empty = (
        Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https"),
        Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https"),
    )
    heavy.force_login(who["heavy_parent"])
    empty.force_login(who["empty_parent"])
    pages = {
        "overview, family without messages (baseline)": (empty, reverse("dashboard")),
        "conversations, 100k-message child": (heavy, reverse("child", kwargs={"child_id": who["heavy"].pk})),
        "insights 7 days, 100k-message child": (
            heavy,
            reverse("child-insights", kwargs={"child_id": who["heavy"].pk}) + "?days=7",
        ),
        "insights 30 days, 100k-message child": (
            heavy,
            reverse("child-insights", kwargs={"child_id": who["heavy"].pk}) + "?days=30",
        ),
        "overview, the 100k-message family": (heavy, reverse("dashboard")),
    }
    light_queries = {
        "conversations": measure(heavy, reverse("child", kwargs={"child_id": who["light"].pk}))[1],
        "insights": measure(heavy, reverse("child-insights", kwargs={"child_id": who["light"].pk}) + "?days=30")[1],
    }
    for _name, (client, url) in pages.items():  # warm-up
        for _ in range(10):
            measure(client, url)
    samples: dict[str, list[float]] = {name: [] for name in pages}
    queries: dict[str, int] = {}
    for _ in range(args.requests):
        for name, (client, url) in pages.items():
            elapsed, count = measure(client, url)
            samples[name].append(elapsed * 1000)
            queries[name] = count
    baseline = common.percentile(samples[next(iter(pages))], 95)
    print(f"\n=== dashboard pages, server time in-process, {args.requests} requests each, PostgreSQL + Redis ===")
    checks = []
    for name, values in samples.items():
        p95 = common.percentile(values, 95)
        p50 = sorted(values)[len(values) // 2]
        ratio = p95 / baseline
        print(f"{name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms = {ratio:.2f}x the baseline; {queries[name]} queries")
        if "100k-message child" in name:
            checks.append((f"{name}: p95 <= {TARGET_RATIO:.0f}x baseline p95 ({ratio:.2f}x)", ratio <= TARGET_RATIO))
    checks.append(
        (
            f"queries bounded: the 100k-message child's pages as many as a 20-message child's "
            f"({queries['conversations, 100k-message child']} vs {light_queries['conversations']}, "
            f"{queries['insights 30 days, 100k-message child']} vs {light_queries['insights']})",
            queries["conversations, 100k-message child"] == light_queries["conversations"]
            and queries["insights 30 days, 100k-message child"] == light_queries["insights"],
        )
    )
    print()
    for label, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    worst = max(common.percentile(v, 95) for n, v in samples.items() if "100k-message child" in n)
    print(f"(aim, for information: every page p95 <= {AIM_MS:.0f} ms; worst {worst:.1f} ms)")
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    return 0 if all(ok for _label, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())

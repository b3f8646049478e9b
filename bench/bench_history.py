"""History benchmark (issue 3): a child with 500k messages in a 5M-message table.

Targets: newest page and a deep cursor page p99 <= 2 ms of database time and p99 <= 30 ms through
the API; inserting a message at 500k history costs within 1.2x of inserting at 1k history.

    .venv/bin/python bench/bench_history.py            # drops and rebuilds hp_bench_history (~2 min)
    .venv/bin/python bench/bench_history.py --reuse    # keeps the 5M rows of an earlier run (~15 s)

The data is generated with SQL (INSERT ... SELECT over generate_series), time-ordered across all
children as a live table would be (one child's rows are scattered over the heap, not clustered).
Database time is measured on the exact SQL the API's queryset and cursor paginator produce, both as
PostgreSQL's own execution time (EXPLAIN ANALYZE, which the target judges) and as the round trip
seen by the client (shown: on a busy machine it mostly measures the wait for a CPU). The API
is measured in-process with Django's test client (the full middleware, JWT, throttle, pagination and
serializer stack, no HTTP server). Exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as common

warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hp_bench_history"
TARGET_DB_P99_MS = 2.0
TARGET_API_P99_MS = 30.0
TARGET_INSERT_RATIO = 1.2

# (child's words, agent, subject, emotion, companion's reply): rotated over the generated rows.
TURNS = [
    ("3加5等于几？", "edu", "数学", "", "3加5等于8。你可以先数3个苹果，再数5个，一共8个！"),
    ("What is 12 times 7?", "edu", "math", "", "12 times 7 is 84. Think of 10 sevens (70) plus 2 sevens (14)."),
    ("我今天有点难过，同桌不理我了", "emotion", "", "难过", "听起来你很难过。想和我说说发生了什么吗？"),
    ("I feel scared of the dark", "emotion", "", "害怕", "Lots of children feel that way. A night light helps."),
    ("给我讲一个恐龙的故事吧", "story", "", "", "很久很久以前，一只小恐龙在森林里找到了一颗发光的蛋……"),
    ("Tell me a story about a space cat", "story", "", "", "Once upon a time, a cat named Pip built a rocket..."),
    ("你好呀，你今天开心吗？", "chat", "", "开心", "你好！和你聊天我很开心。你今天做了什么好玩的事？"),
    ("Are you a robot?", "chat", "", "", "I'm an AI friend, not a person. I'm here to chat and help you learn."),
    ("为什么天空是蓝色的？", "edu", "科学", "", "阳光里的蓝光被空气散射得最多，所以我们看到蓝色的天空。"),
    ("我喜欢画画和踢足球", "chat", "", "开心", "画画和踢足球都很棒！你最喜欢画什么呢？"),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--messages", type=int, default=5_000_000, help="rows in the messages table")
    parser.add_argument("--big", type=int, default=500_000, help="messages of the heavy child")
    parser.add_argument("--small", type=int, default=1_000, help="messages of the light child")
    parser.add_argument("--children", type=int, default=1000, help="other children sharing the rest")
    parser.add_argument("--depth", type=float, default=0.8, help="deep page position, fraction of the history")
    parser.add_argument("--db-iterations", type=int, default=500)
    parser.add_argument("--api-requests", type=int, default=300)
    parser.add_argument("--inserts", type=int, default=500)
    parser.add_argument("--reuse", action="store_true", help="keep the data of an earlier run if it is there")
    return parser.parse_args()


# --- data ------------------------------------------------------------------------------------------
def create_people(children: int) -> dict:
    """One parent with the heavy and the light child, and the other children, through the services."""
    from accounts.models import ConsentScope, User
    from accounts.services.children import child_create
    from accounts.services.users import user_register

    parent = user_register(email="history.parent@bench.local", password="bench-password-2f9c1", display_name="Bench")  # noqa: S106
    scopes = [ConsentScope.CHAT, ConsentScope.MEMORY, ConsentScope.EMOTION_COMPANION]
    big = child_create(actor=parent, display_name="Heavy", age=9, consent_scopes=scopes)
    small = child_create(actor=parent, display_name="Light", age=7, consent_scopes=scopes)
    others = []
    for i in range(children):  # each in a family of its own; no password (hashing is slow and unused here)
        family = User.objects.create_user(email=f"family{i}@bench.local", password=None, display_name="Family")
        child = child_create(actor=family, display_name=f"Kid {i}", age=5 + i % 8, consent_scopes=scopes)
        others.append(child.pk)
    return {"parent": parent.pk, "big": big.pk, "small": small.pk, "others": others}


def _raw_connection():
    """A plain psycopg connection outside Django's pool (session settings here must not leak into it)."""
    import psycopg
    from django.conf import settings

    return psycopg.connect(settings.DATABASE_URL)


def _timed(label: str, conn, sql: str, params=None) -> None:
    started = time.perf_counter()
    conn.execute(sql, params)
    conn.commit()
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)


def generate(people: dict, total: int, big: int, small: int) -> None:
    """5M rows with SQL. Pair p is a child message (id 2p+1) and its reply (id 2p+2, reply_to 2p+1),
    ~12 s apart over the last 365 days; pair p belongs to the heavy child if p % (total/big) == 0, to
    the light child if p % (total/small) == 1, else to one of the others. One session per child per day."""
    from conversations.search import search_tokens

    pairs = total // 2
    mod_big, mod_small = total // big, total // small
    child_words = [t[0] for t in TURNS]
    replies = [t[4] for t in TURNS]
    agents = [t[1] for t in TURNS]
    subjects = [t[2] for t in TURNS]
    emotions = [t[3] for t in TURNS]
    child_tokens = [" ".join(search_tokens(t)) for t in child_words]
    reply_tokens = [" ".join(search_tokens(t)) for t in replies]

    conn = _raw_connection()
    conn.execute("SET maintenance_work_mem = '1GB'")
    conn.execute("SET work_mem = '256MB'")
    # Bulk load: no foreign-key triggers (the generated keys are consistent by construction) and
    # the secondary indexes built once afterwards with their exact definitions from the migrations.
    conn.execute("SET session_replication_role = replica")
    indexes = conn.execute(
        """SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
           JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
           WHERE t.relname IN ('conversations_message', 'conversations_chatsession')
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"""
    ).fetchall()
    for name, _definition in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    conn.commit()
    print(f"generating {total:,} messages ({pairs:,} pairs) ...", flush=True)
    _timed(
        "pairs plan",
        conn,
        """CREATE UNLOGGED TABLE bench_pairs AS
           SELECT p, child_id, ts, date_trunc('day', ts) AS day FROM (
             SELECT p,
                    CASE WHEN p %% %(mod_big)s = 0 THEN %(big)s
                         WHEN p %% %(mod_small)s = 1 THEN %(small)s
                         ELSE (%(others)s::bigint[])[1 + (p * 7919) %% %(n)s] END AS child_id,
                    now() - interval '1 hour' - interval '365 days'
                      + p * (interval '365 days' / %(pairs)s) AS ts
             FROM generate_series(0::bigint, %(pairs)s - 1) AS p) AS plan""",
        {
            "mod_big": mod_big,
            "mod_small": mod_small,
            "big": people["big"],
            "small": people["small"],
            "others": people["others"],
            "n": len(people["others"]),
            "pairs": pairs,
        },
    )
    _timed(
        "sessions",
        conn,
        """CREATE UNLOGGED TABLE bench_sessions AS
           SELECT row_number() OVER (ORDER BY min(ts), child_id) AS id, child_id, day,
                  min(ts) AS started, max(ts) AS last, count(*) AS pairs
           FROM bench_pairs GROUP BY child_id, day""",
    )
    _timed(
        "sessions insert",
        conn,
        """INSERT INTO conversations_chatsession (id, child_id, device_id, title, started_at, last_activity_at,
               ended_at, deleted_at, active_seconds, message_count, story_state)
           SELECT id, child_id, NULL, left(%(title)s, 30), started, last + interval '2 seconds',
                  CASE WHEN day < date_trunc('day', now() - interval '1 hour') THEN last + interval '10 minutes' END,
                  NULL, least(pairs * 30, 14400), pairs * 2, '{}'::jsonb
           FROM bench_sessions ORDER BY id""",
        {"title": child_words[0]},
    )
    chunk = 250_000
    started = time.perf_counter()
    for lo in range(0, pairs, chunk):
        conn.execute(
            """INSERT INTO conversations_message (id, session_id, child_id, reply_to_id, role, agent, text,
                   channel, pii_masked, safety_action, safety_severity, safety_categories, refusal_code, emotion,
                   emotion_intensity, subject, provider, latency_ms, prompt_tokens, completion_tokens,
                   search_tokens, created_at)
               SELECT 2 * bp.p + r.k + 1, s.id, bp.child_id,
                      CASE WHEN r.k = 1 THEN 2 * bp.p + 1 END,
                      CASE WHEN r.k = 0 THEN 'child' ELSE 'assistant' END,
                      (%(agents)s::text[])[1 + bp.p %% %(nt)s],
                      CASE WHEN r.k = 0 THEN (%(words)s::text[])[1 + bp.p %% %(nt)s]
                           ELSE (%(replies)s::text[])[1 + bp.p %% %(nt)s] END,
                      'text',
                      false,
                      CASE WHEN r.k = 0 AND bp.p %% 397 = 0 THEN 'redirect' ELSE 'allow' END,
                      CASE WHEN r.k = 0 AND bp.p %% 397 = 0 THEN 'medium' ELSE 'none' END,
                      CASE WHEN r.k = 0 AND bp.p %% 397 = 0 THEN '["violence"]'::jsonb ELSE '[]'::jsonb END,
                      '',
                      CASE WHEN r.k = 0 THEN (%(emotions)s::text[])[1 + bp.p %% %(nt)s] ELSE '' END,
                      CASE WHEN r.k = 0 AND (%(emotions)s::text[])[1 + bp.p %% %(nt)s] <> '' THEN 0.6 END,
                      (%(subjects)s::text[])[1 + bp.p %% %(nt)s],
                      CASE WHEN r.k = 1 THEN 'builtin' ELSE '' END,
                      CASE WHEN r.k = 1 THEN 3 + bp.p %% 20 END,
                      0, 0,
                      CASE WHEN r.k = 0 THEN (%(wtokens)s::text[])[1 + bp.p %% %(nt)s]
                           ELSE (%(rtokens)s::text[])[1 + bp.p %% %(nt)s] END,
                      bp.ts + r.k * interval '2 seconds'
               FROM bench_pairs bp
               JOIN bench_sessions s ON s.child_id = bp.child_id AND s.day = bp.day
               CROSS JOIN (VALUES (0), (1)) AS r(k)
               WHERE bp.p >= %(lo)s AND bp.p < %(hi)s
               ORDER BY bp.p, r.k""",
            {
                "agents": agents,
                "words": child_words,
                "replies": replies,
                "emotions": emotions,
                "subjects": subjects,
                "wtokens": child_tokens,
                "rtokens": reply_tokens,
                "nt": len(TURNS),
                "lo": lo,
                "hi": min(lo + chunk, pairs),
            },
        )
        conn.commit()
        done = 2 * min(lo + chunk, pairs)
        print(f"  messages {done:,}/{total:,} ({time.perf_counter() - started:.0f} s)", flush=True)
    for table in ("conversations_message", "conversations_chatsession"):
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
        )
    conn.execute("DROP TABLE bench_pairs")
    conn.execute("DROP TABLE bench_sessions")
    conn.commit()
    for name, definition in indexes:
        _timed(f"index {name}", conn, definition)
    conn.execute("RESET session_replication_role")
    conn.commit()
    conn.autocommit = True
    _timed("vacuum analyze", conn, "VACUUM (ANALYZE) conversations_message")
    _timed("vacuum analyze sessions", conn, "VACUUM (ANALYZE) conversations_chatsession")
    conn.execute("CREATE TABLE bench_meta (people jsonb NOT NULL)")
    conn.execute("INSERT INTO bench_meta VALUES (%s)", [json.dumps(people)])
    conn.close()


def load_people(total: int) -> dict | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_meta') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return None
        cursor.execute("SELECT people FROM bench_meta")
        people = cursor.fetchone()[0]
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'conversations_message'")
        rows = cursor.fetchone()[0]
    people = json.loads(people) if isinstance(people, str) else people
    return people if abs(rows - total) < total * 0.01 else None


# --- measurements ----------------------------------------------------------------------------------
def page_sql(child_id: int, cursor_token: str | None) -> str:
    """The SQL the API runs for this page: the view's queryset through the view's paginator."""
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from rest_framework.request import Request

    from conversations.selectors.history import HistoryFilters, messages_for_child
    from happy_partner.api.pagination import NewestFirstCursorPagination

    query = {"cursor": cursor_token} if cursor_token else {}
    request = Request(RequestFactory(HTTP_HOST="127.0.0.1").get(f"/api/v1/children/{child_id}/messages/", query))
    queryset = messages_for_child(child_id=child_id, filters=HistoryFilters(), visible_sessions_only=False)
    with CaptureQueriesContext(connection) as captured:
        page = NewestFirstCursorPagination().paginate_queryset(queryset, request)
    assert page, "empty page"
    assert len(captured.captured_queries) == 1, captured.captured_queries
    return captured.captured_queries[0]["sql"]


def deep_cursor(child_id: int, depth: int) -> tuple[str, int]:
    """A cursor to the page ``depth`` messages down, encoded by DRF's own CursorPagination."""
    from django.db import connection
    from rest_framework.pagination import Cursor

    from happy_partner.api.pagination import NewestFirstCursorPagination

    with connection.cursor() as cursor:  # one-off OFFSET, only to find the position
        cursor.execute(
            "SELECT created_at, id FROM conversations_message WHERE child_id = %s "
            "ORDER BY created_at DESC, id DESC OFFSET %s LIMIT 1",
            [child_id, depth],
        )
        created_at, message_id = cursor.fetchone()
    paginator = NewestFirstCursorPagination()
    paginator.base_url = "http://127.0.0.1/"
    url = paginator.encode_cursor(Cursor(offset=0, reverse=False, position=str(created_at)))
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(url).query)["cursor"][0], message_id


def measure_db(queries: dict[str, str], iterations: int) -> dict:
    """Client round trip (execute + fetch) and PostgreSQL's execution time, interleaved."""
    conn = _raw_connection()
    conn.autocommit = True
    results: dict = {}
    for name, sql in queries.items():
        for _ in range(30):
            conn.execute(sql).fetchall()
        results[name] = {"roundtrip": [], "execution": []}
    for _ in range(iterations):
        for name, sql in queries.items():
            started = time.perf_counter()
            conn.execute(sql).fetchall()
            results[name]["roundtrip"].append(time.perf_counter() - started)
            plan = conn.execute("EXPLAIN (ANALYZE, TIMING, FORMAT JSON) " + sql).fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            results[name]["execution"].append(plan[0]["Execution Time"] / 1000)
    explains = {
        name: "\n".join(r[0] for r in conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql).fetchall())
        for name, sql in queries.items()
    }
    conn.close()
    return {
        name: {kind: common.summary_ms(samples) for kind, samples in kinds.items()} | {"explain": explains[name]}
        for name, kinds in results.items()
    }


def measure_api(parent_id: int, child_id: int, deep_token: str, deep_id: int, requests: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from accounts.tokens import ParentRefreshToken, token_pair

    access = token_pair(ParentRefreshToken.for_parent(User.objects.get(pk=parent_id)))["access"]
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {access}")
    path = f"/api/v1/children/{child_id}/messages/"

    def get(params: dict) -> dict:
        response = client.get(path, params, secure=True)  # TLS ends at the proxy in production
        assert response.status_code == 200, (response.status_code, response.content[:300])
        return response.json()

    first = get({})
    assert len(first["results"]) == 20 and first["next"], first.keys()
    # Walk three pages with the API's own `next` links: the cursor built for the deep page has their form.
    page = first
    for _ in range(3):
        from urllib.parse import parse_qs, urlsplit

        page = get({"cursor": parse_qs(urlsplit(page["next"]).query)["cursor"][0]})
        assert page["results"][-1]["created_at"] < first["results"][-1]["created_at"]
    deep = get({"cursor": deep_token})
    assert len(deep["results"]) == 20 and deep["next"], "deep page incomplete"
    assert deep["results"][0]["created_at"] < page["results"][-1]["created_at"], "the deep page is not deeper"
    with CaptureQueriesContext(connection) as captured:
        get({"cursor": deep_token})
    query_list = [q["sql"][:200] for q in captured.captured_queries]

    samples: dict[str, list[float]] = {"newest": [], "deep": [], "newest_cpu": [], "deep_cpu": []}
    for _ in range(20):
        get({})
        get({"cursor": deep_token})
    busy0 = common.machine_busy()
    for _ in range(requests):
        for name, params in (("newest", {}), ("deep", {"cursor": deep_token})):
            started, cpu = time.perf_counter(), time.process_time()
            get(params)
            samples[name].append(time.perf_counter() - started)
            samples[f"{name}_cpu"].append(time.process_time() - cpu)
    busy1 = common.machine_busy()
    return {name: common.summary_ms(s) for name, s in samples.items()} | {
        "machine_busy": (busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1]) * (os.cpu_count() or 1),
        "queries_per_request": len(query_list),
        "query_list": query_list,
    }


def measure_inserts(big_id: int, small_id: int, iterations: int) -> dict:
    """The pipeline's Message.objects.create, in its own transaction, alternating the two children."""
    from django.db import transaction
    from django.utils import timezone

    from conversations.models import ChatSession, Message, MessageRole
    from conversations.search import search_tokens

    text = "我今天学会了骑自行车，好开心！"
    tokens = " ".join(search_tokens(text))
    newest = ChatSession.objects.order_by("-started_at", "-id")
    sessions = {cid: newest.filter(child_id=cid).first() for cid in (big_id, small_id)}
    samples: dict[int, list[float]] = {big_id: [], small_id: []}

    def insert(child_id: int) -> float:
        started = time.perf_counter()
        with transaction.atomic():
            Message.objects.create(
                session=sessions[child_id],
                child_id=child_id,
                role=MessageRole.CHILD,
                text=text,
                pii_masked=False,
                safety_action="allow",
                safety_severity="none",
                safety_categories=[],
                refusal_code="",
                agent="chat",
                subject="",
                emotion="开心",
                emotion_intensity=0.7,
                search_tokens=tokens,
                created_at=timezone.now(),
            )
        return time.perf_counter() - started

    first_new = (Message.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    for _ in range(50):  # warm up
        insert(big_id), insert(small_id)
    for i in range(iterations):
        order = (big_id, small_id) if i % 2 else (small_id, big_id)
        for cid in order:
            samples[cid].append(insert(cid))
    Message.objects.filter(id__gte=first_new, child_id__in=(big_id, small_id)).delete()  # same table next time
    big, small = common.summary_ms(samples[big_id]), common.summary_ms(samples[small_id])
    return {"big": big, "small": small, "ratio": big["p50"] / small["p50"]}


def main() -> int:
    args = parse_args()
    common.check_local(args.database_url)
    env = common.django_env(args.database_url, THROTTLE_PARENT="1000000/min", LOG_LEVEL="WARNING")
    info = common.machine(args.database_url)
    common.print_machine(info)
    print(f"before the run, other work keeps {common.other_load():.2f} of {os.cpu_count()} cores busy")
    print("command: " + " ".join(["bench/bench_history.py", *sys.argv[1:]]))
    common.setup_django(env)
    people = load_people(args.messages) if args.reuse and common.database_exists(args.database_url) else None
    if people is None:
        common.recreate_database(args.database_url)
        common.flush_redis()
        common.migrate()
        started = time.perf_counter()
        people = create_people(args.children)
        took = time.perf_counter() - started
        print(f"people: {len(people['others']) + 2} children through the services ({took:.0f} s)")
        started = time.perf_counter()
        generate(people, args.messages, args.big, args.small)
        print(f"data generated in {time.perf_counter() - started:.0f} s")
    else:
        common.flush_redis()
        print("reusing the data of an earlier run")

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM conversations_message")
        total = cursor.fetchone()[0]
        counts = {}
        for key in ("big", "small"):
            cursor.execute("SELECT count(*) FROM conversations_message WHERE child_id = %s", [people[key]])
            counts[key] = cursor.fetchone()[0]
    print(f"table: {total:,} messages; heavy child {counts['big']:,}, light child {counts['small']:,}")

    depth = int(counts["big"] * args.depth)
    token, deep_id = deep_cursor(people["big"], depth)
    queries = {"newest": page_sql(people["big"], None), "deep": page_sql(people["big"], token)}
    for name, sql in queries.items():
        print(f"\nSQL ({name} page):\n  {sql}")
    db = measure_db(queries, args.db_iterations)
    for name in queries:
        print(f"\nEXPLAIN (ANALYZE, BUFFERS), {name} page:\n{db[name]['explain']}")
    api = measure_api(people["parent"], people["big"], token, deep_id, args.api_requests)
    inserts = measure_inserts(people["big"], people["small"], args.inserts)

    def fmt(s: dict) -> str:
        return f"p50 {s['p50']:.3f} ms, p99 {s['p99']:.3f} ms, max {s['max']:.3f} ms (n={s['n']})"

    print(f"\n=== history, heavy child {counts['big']:,} of {total:,} messages; deep page at {depth:,} ===")
    checks = []
    for name in queries:
        e, r = db[name]["execution"], db[name]["roundtrip"]
        print(f"DB  {name:6} execution (EXPLAIN ANALYZE): {fmt(e)}")
        print(f"DB  {name:6} round trip (psycopg, loopback):  {fmt(r)}")
        # Database time is PostgreSQL's own execution time; the round trip also counts the client's
        # wait for a CPU, which on a busy shared machine is not the database's doing (shown, not judged).
        checks.append((f"DB {name} p99 <= {TARGET_DB_P99_MS} ms (execution)", e["p99"] <= TARGET_DB_P99_MS))
        within = "within" if r["p99"] <= TARGET_DB_P99_MS else "over"
        print(f"    round trip p99 {within} {TARGET_DB_P99_MS} ms (not judged: includes the client's wait for a CPU)")
    for name in ("newest", "deep"):
        print(f"API {name:6} (test client, in-process):     {fmt(api[name])}")
        print(f"    {name:6} CPU time of this process:      {fmt(api[name + '_cpu'])}")
        checks.append((f"API {name} p99 <= {TARGET_API_P99_MS} ms", api[name]["p99"] <= TARGET_API_P99_MS))
    print(f"    machine busy during the API requests: {api['machine_busy']:.2f} of {os.cpu_count()} cores")
    print(f"API queries per request: {api['queries_per_request']}")
    for q in api["query_list"]:
        print(f"    {q}")
    print(f"insert at {counts['small']:,} history: {fmt(inserts['small'])}")
    print(f"insert at {counts['big']:,} history: {fmt(inserts['big'])}")
    print(f"insert ratio (medians, heavy/light): {inserts['ratio']:.3f}")
    checks.append((f"insert ratio <= {TARGET_INSERT_RATIO}", inserts["ratio"] <= TARGET_INSERT_RATIO))
    print()
    for label, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    return 0 if all(ok for _label, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())

"""GraphQL benchmark (issue 13): the family overview in one query, beside the REST calls it replaces.

A family of 3 children with ``--messages`` (100,000) messages each, a paired device and open alerts.
The overview query (docs/GRAPHQL.md: children with their rules, devices, today's card and three
recent chats; the open alerts) is timed against what a parent's app asks REST for the same screen:
``me/``, ``children/``, then per child ``controls/``, ``devices/``, ``sessions/?child=&page_size=3``,
``insights/activity/?days=1`` (today's minutes), ``insights/emotions/?days=1`` (today's mood) and
``safety-events/`` (alerts): 20 calls, each a round trip of its own on a phone.

    .venv/bin/python bench/bench_graphql.py [--messages 100000] [--requests 200]

PostgreSQL (``hp_bench_graphql``, dropped and created) and Redis (flushed), production settings
(DEBUG off; parent throttle raised for the run). Requests in-process with DRF's test client and a
parent's JWT (the whole middleware and authentication; no HTTP server, no network), the two in
turn so noise hits each alike. Reports p50/p95 server time and queries of each; the targets: the
overview's queries the same for this family as for a family of one child with a few messages (no
N+1), and its p95 at most the REST sequence's p95 (it replaces 20 calls; aim <= 100 ms absolute).
Exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as common

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hp_bench_graphql"
CHILDREN = 3
AIM_MS = 100.0
PASSWORD = "bench-password-2f9c1"  # noqa: S105
OVERVIEW = """
query Overview {
  children {
    id displayName ageBand
    controls { dailyMinutes weekdayStart weekdayEnd }
    devices { name isActive lastSeenAt }
    today { minutes dailyMinutes mood openAlerts lastActivity }
    recentSessions(first: 3) { id title lastActivityAt messageCount }
  }
  alerts(open: true, first: 10) { nodes { id child severity severityText categoriesText actionText createdAt } }
}
"""


def family(email: str, children: int, messages: int) -> list[int]:
    from bench_dashboard import history

    from accounts.models import ConsentScope
    from accounts.services.children import child_create
    from accounts.services.devices import device_pair, pairing_code_create
    from accounts.services.users import user_register
    from conversations.models import SafetyEvent

    parent = user_register(email=email, password=PASSWORD, display_name="Bench")
    ids = []
    for n in range(children):
        child = child_create(
            actor=parent, display_name=f"Kid {n}", age=7 + n, consent_scopes=[ConsentScope.CHAT, ConsentScope.VOICE]
        )
        _pairing, code = pairing_code_create(actor=parent, child=child)
        device_pair(code=code, device_name=f"Tablet {n}", ip="127.0.0.1")
        history(child.pk, messages)
        SafetyEvent.objects.bulk_create(
            SafetyEvent(
                child=child, direction="in", categories=["bullying"], severity="high", action="redirect", alert_due=True
            )
            for _ in range(2)
        )
        ids.append(child.pk)
    return ids


def client_for(email: str):
    from rest_framework.test import APIClient

    client = APIClient(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    response = client.post("/api/v1/auth/token/", {"email": email, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    return client


def graphql_overview(client) -> Callable[[], list]:
    return lambda: [client.post("/api/v1/graphql/", {"query": OVERVIEW}, format="json")]


def rest_overview(client, child_ids: list[int]) -> Callable[[], list]:
    def send() -> list:
        responses = [client.get("/api/v1/me/"), client.get("/api/v1/children/")]
        for child in child_ids:
            responses += [
                client.get(f"/api/v1/children/{child}/controls/"),
                client.get(f"/api/v1/children/{child}/devices/"),
                client.get(f"/api/v1/sessions/?child={child}&page_size=3"),
                client.get(f"/api/v1/children/{child}/insights/activity/?days=1"),
                client.get(f"/api/v1/children/{child}/insights/emotions/?days=1"),
                client.get(f"/api/v1/children/{child}/safety-events/"),
            ]
        return responses

    return send


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--messages", type=int, default=100_000, help="messages per child")
    parser.add_argument("--requests", type=int, default=200, help="overviews of each kind")
    args = parser.parse_args()
    common.check_local(args.database_url)
    info = common.machine(args.database_url)
    common.print_machine(info)
    print("command: " + " ".join(["bench/bench_graphql.py", *sys.argv[1:]]))
    common.recreate_database(args.database_url)
    common.flush_redis()
    common.setup_django(common.django_env(args.database_url, THROTTLE_PARENT="1000000/min"))
    import logging

    logging.disable(logging.INFO)
    common.migrate()

    started = time.perf_counter()
    heavy_ids = family("heavy@bench.local", CHILDREN, args.messages)
    family("light@bench.local", 1, 20)
    took = time.perf_counter() - started
    print(f"fixtures: {CHILDREN} children x {args.messages} messages, and a family of one ({took:.0f} s)")
    heavy, light = client_for("heavy@bench.local"), client_for("light@bench.local")
    kinds = {
        "GraphQL overview (1 request)": graphql_overview(heavy),
        "REST calls it replaces (20 requests)": rest_overview(heavy, heavy_ids),
    }
    light_queries = common.timed_requests(graphql_overview(light))[1]
    for send in kinds.values():  # warm-up
        for _ in range(10):
            common.timed_requests(send)
    samples: dict[str, list[float]] = {name: [] for name in kinds}
    queries: dict[str, int] = {}
    for _ in range(args.requests):
        for name, send in kinds.items():
            elapsed, count = common.timed_requests(send)
            samples[name].append(elapsed * 1000)
            queries[name] = count
    scale = f"{CHILDREN} children x {args.messages} messages"
    print(f"\n=== family overview, {scale}, server time in-process, {args.requests} each ===")
    p95 = {}
    for name, values in samples.items():
        p95[name] = common.percentile(values, 95)
        p50 = sorted(values)[len(values) // 2]
        print(f"{name}: p50 {p50:.1f} ms, p95 {p95[name]:.1f} ms; {queries[name]} queries")
    graphql_name, rest_name = kinds
    ratio = p95[graphql_name] / p95[rest_name]
    checks = [
        (f"GraphQL overview p95 <= the REST calls' p95 ({ratio:.2f}x)", ratio <= 1.0),
        (
            f"queries bounded: the 3-child, {args.messages}-message family as many as a 1-child family "
            f"({queries[graphql_name]} vs {light_queries})",
            queries[graphql_name] == light_queries,
        ),
    ]
    print()
    for label, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    print(f"(aim, for information: overview p95 <= {AIM_MS:.0f} ms; {p95[graphql_name]:.1f} ms)")
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    return 0 if all(ok for _label, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Chat over HTTP benchmark (issues 3 and 9), on the server setup the project ships.

Targets, against a trivial authenticated DRF endpoint that inserts one row (POST /api/v1/sessions/
with a child token: one ChatSession row), served the same way in the same run:
- throughput: with 50 closed-loop clients, POST /api/v1/chat/ (builtin provider, PostgreSQL + Redis)
  has at least 0.5x the baseline's (x 0.6 with the learned risk model: issue 8's budget);
- capacity (issue 9, replacing issue 3's closed-loop p99, which at 50 clients sending back to back is
  just 50 / throughput): the highest paced rate at which chat p99 stays <= 150 ms with zero errors,
  at least the throughput floor x the baseline's rate;
- zero errors; every message persisted with its reply.

    .venv/bin/python bench/bench_chat_http.py                 # ~3 min
    .venv/bin/python bench/bench_chat_http.py --seconds 20 --workers 4 --steps 0.5,1.0

5 s warm-up per endpoint, then baseline and chat alternately (--rounds 2, --seconds 30 per endpoint
in all) with closed-loop clients; then chat paced at rising fractions of its closed-loop throughput
(--steps, --step-seconds each), the same 50 clients each sending at a fixed interval, until a step
misses the latency bound.

The server is the Procfile's `web` command (gunicorn with happy_partner/gunicorn_conf.py: 2 sync
workers per CPU with the builtin provider; `--workers N` sets WEB_WORKERS), with DEBUG off,
DATABASE_URL (psycopg pool) and REDIS_URL; the per-child and per-parent request throttles are
raised for the run (THROTTLE_CHILD/THROTTLE_PARENT=1000000/min): 50 clients each send far more
than a child can type. Each client is one child with a paired device, talking
in one chat session of its own. The load comes from bench/_loadgen.py in a separate process on the
same machine (its CPU use is reported). Exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import time as clock
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as common

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hp_bench"
# Issue 3: chat >= 1/2 of the trivial endpoint, with the lexicon-only check it was set against.
# Issue 8 budgets the learned safety model at >= 0.6x of the lexicon-only chat capacity, so with the
# model (settings.SAFETY_MODEL, the default since) the floor is 0.5 x 0.6 = 0.3; SAFETY_MODEL=0
# measures against the original target.
TARGET_RATIO = 0.5
MODEL_BUDGET = 0.6
TARGET_P99_MS = 150.0

# What children type: arithmetic, feelings, stories, small talk, school questions, a phone number.
MESSAGES = [
    "3加5等于几？",
    "What is 15 plus 27?",
    "我今天好难过，小明不跟我玩了",
    "I feel a bit lonely today",
    "给我讲一个关于小兔子的故事吧",
    "Can you tell me a story about a brave dragon?",
    "你好呀，你叫什么名字？",
    "What's your favourite colour?",
    "我妈妈的电话是13812345678，你记一下",
    "为什么月亮会变形状？",
    "I like dinosaurs and football",
    "明天要考试了，我有点紧张",
    "12乘以7是多少？",
    "How do plants drink water?",
    "我喜欢画画，你喜欢什么？",
    "Why is the sky blue?",
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument(
        "--workers", type=int, default=None, help="WEB_WORKERS for the server (default: the shipped 2 per CPU)"
    )
    parser.add_argument("--seconds", type=float, default=30.0, help="measured seconds per endpoint (all rounds)")
    parser.add_argument("--warmup", type=float, default=5.0, help="warm-up seconds per endpoint")
    parser.add_argument("--max-requests", type=int, default=200_000, help="request budget per phase")
    parser.add_argument("--rounds", type=int, default=2, help="alternations of baseline and chat")
    parser.add_argument(
        "--steps",
        default="0.4,0.55,0.7,0.85,1.0",
        help="paced rates to try, as fractions of chat's closed-loop throughput (empty: skip)",
    )
    parser.add_argument("--step-seconds", type=float, default=12.0, help="measured seconds per paced rate")
    parser.add_argument(
        "--ramp", type=float, default=0.0, help="seconds between opening one client's connection and the next"
    )
    parser.add_argument("--port", type=int, default=8765)
    return parser.parse_args()


# --- fixtures --------------------------------------------------------------------------------------
def create_children(count: int) -> list[dict]:
    """Families of two children, made through the services like the app would: consents, generous
    controls (so the gate lets every message through at any hour), a paired device, one open chat."""
    from accounts.models import ConsentScope
    from accounts.principals import ChildPrincipal
    from accounts.services.children import child_create
    from accounts.services.controls import controls_update
    from accounts.services.devices import device_pair, pairing_code_create
    from accounts.services.users import user_register
    from conversations.services.sessions import session_create

    scopes = [ConsentScope.CHAT, ConsentScope.MEMORY, ConsentScope.EMOTION_COMPANION]
    rules = {
        "daily_minutes": 24 * 60,
        "weekly_minutes": 7 * 24 * 60,
        "session_minutes": 240,
        "weekday_start": clock(0, 0),
        "weekday_end": clock.max,
        "weekend_start": clock(0, 0),
        "weekend_end": clock.max,
    }
    children = []
    parent = None
    for i in range(count):
        if i % 2 == 0:
            parent = user_register(email=f"parent{i}@bench.local", password="bench-password-2f9c1", display_name="P")  # noqa: S106
        child = child_create(actor=parent, display_name=f"Kid {i}", age=6 + i % 7, consent_scopes=scopes, language=None)
        controls_update(actor=parent, child=child, data=rules)
        _pairing, code = pairing_code_create(actor=parent, child=child)
        device, tokens = device_pair(code=code, device_name=f"Tablet {i}", ip="127.0.0.1")
        session = session_create(actor=ChildPrincipal(child=child, device=device), child_id=child.pk)
        children.append({"child": child.pk, "access": tokens["access"], "session": session.pk})
    return children


# --- server ----------------------------------------------------------------------------------------
def server_command(port: int) -> list[str]:
    """The Procfile's web command (gunicorn with happy_partner/gunicorn_conf.py), on this port."""
    for line in (common.ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            command = line.split(":", 1)[1].replace("${HAPPY_PARTNER_PORT:-8000}", str(port))
            argv = shlex.split(command)
            assert argv[0] == "gunicorn", argv
            return [str(common.ROOT / ".venv" / "bin" / "gunicorn"), *argv[1:]]
    raise SystemExit("no web: line in the Procfile")


def wait_ready(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not become ready in time")


def stop(server: subprocess.Popen) -> None:
    """SIGTERM to the gunicorn master we started (it stops its workers), SIGKILL to its group if stuck."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)


def _cpu_seconds(pid: str) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(server_pid: int, database: str) -> dict[str, tuple[str, float]]:
    """CPU seconds so far of every process, by party: the gunicorn master and workers, PostgreSQL
    (the bench database's backends and the background processes), Redis, and other work on this
    shared machine (e.g. other sessions' tests and their database backends)."""
    snapshot = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or entry.name == str(os.getpid()):
            continue
        try:
            comm = (entry / "comm").read_text().strip()
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            party = "other"
            if int(entry.name) == server_pid or int(stat[1]) == server_pid:
                party = "server"
            elif comm == "redis-server":
                party = "redis"
            elif comm == "postgres":
                cmdline = (entry / "cmdline").read_text().replace("\0", " ")
                backend = "(" in cmdline or "[local]" in cmdline
                party = "postgres" if not backend or f" {database} " in cmdline else "other"
            snapshot[entry.name] = (party, _cpu_seconds(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    return snapshot


def connections_per_worker(port: int) -> list[int]:
    """How the clients' keep-alive connections are spread over the server's processes (`ss`)."""
    out = subprocess.run(
        ["ss", "-tnpH", "state", "established", f"( sport = :{port} )"], capture_output=True, text=True
    ).stdout
    counts: dict[str, int] = {}
    for pid in re.findall(r"pid=(\d+)", out):
        counts[pid] = counts.get(pid, 0) + 1
    return sorted(counts.values(), reverse=True)


def cpu_delta(before: dict, after: dict) -> dict[str, float]:
    totals = {"server": 0.0, "postgres": 0.0, "redis": 0.0, "other": 0.0}
    for pid, (party, seconds) in after.items():
        totals[party] += seconds - before.get(pid, (party, 0.0))[1]
    return totals


# --- load ------------------------------------------------------------------------------------------
class Phase:
    """Runs bench/_loadgen.py for one endpoint and adds the CPU each party used meanwhile."""

    def __init__(self, args, tmp: Path, server: subprocess.Popen, children: list[dict]):
        self.args, self.tmp, self.server, self.children = args, tmp, server, children[: args.clients]

    def run(self, name: str, path: str, bodies_for, seconds: float, interval: float = 0.0) -> dict:
        spec = {
            "port": self.args.port,
            "seconds": seconds,
            "max_requests": self.args.max_requests,
            "timeout": 30,
            "interval": interval,
            "ramp": self.args.ramp,
            "clients": [
                {
                    "path": path,
                    "headers": {"Authorization": f"Bearer {c['access']}", "X-Forwarded-Proto": "https"},
                    "bodies": bodies_for(i, c),
                }
                for i, c in enumerate(self.children)
            ],
        }
        spec_file = self.tmp / f"{name}.json"
        spec_file.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
        database = urlsplit(self.args.database_url).path.lstrip("/")
        before = (cpu_snapshot(self.server.pid, database), common.machine_busy(), max_ids())
        loadgen = subprocess.Popen(
            [common.PYTHON, str(Path(__file__).with_name("_loadgen.py")), str(spec_file)],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            time.sleep(min(seconds / 2, 10))
            split = connections_per_worker(self.args.port)
            stdout, _ = loadgen.communicate(timeout=seconds + 120)
        finally:
            if loadgen.poll() is None:
                loadgen.kill()
                loadgen.wait()
        if loadgen.returncode:
            raise SystemExit(f"the load generator failed ({loadgen.returncode})")
        after = (cpu_snapshot(self.server.pid, database), common.machine_busy(), max_ids())
        stats = json.loads(stdout)
        stats["split"] = split
        stats["cpu"] = cpu_delta(before[0], after[0]) | {
            "client": stats.pop("client_cpu_s"),
            "machine": (after[1][0] - before[1][0]) / os.sysconf("SC_CLK_TCK"),
        }
        stats["ids"] = (before[2], after[2])
        return stats


def merge(parts: list[dict]) -> dict:
    """One result from several rounds of the same phase."""
    latencies = [x for p in parts for x in p["latencies_ms"]]
    status: dict[str, int] = {}
    errors: dict[str, int] = {}
    for p in parts:
        for k, v in p["status"].items():
            status[k] = status.get(k, 0) + v
        for k, v in p["errors"].items():
            errors[k] = errors.get(k, 0) + v
    seconds = sum(p["seconds"] for p in parts)
    n = len(latencies)
    return {
        "requests": n,
        "seconds": seconds,
        "rps": n / seconds,
        "p50_ms": statistics.median(latencies) if n else float("nan"),
        "p90_ms": common.percentile(latencies, 90) if n else float("nan"),
        "p99_ms": common.percentile(latencies, 99) if n else float("nan"),
        "max_ms": max(latencies) if n else float("nan"),
        "status": status,
        "errors": errors,
        "samples": [x for p in parts for x in p["samples"]][:5],
        "cpu": {k: sum(p["cpu"][k] for p in parts) for k in parts[0]["cpu"]},
        "ids": [p["ids"] for p in parts],
        "rounds": [len(p["latencies_ms"]) / p["seconds"] for p in parts],
        "splits": [p["split"] for p in parts],
    }


def chat_bodies(i: int, child: dict) -> list[dict]:
    # each child starts at a different message, so every kind of message is in flight at once
    return [{"text": MESSAGES[(i + k) % len(MESSAGES)], "session": child["session"]} for k in range(len(MESSAGES))]


def session_bodies(_i: int, _child: dict) -> list[dict]:
    return [{}]


def max_ids() -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM conversations_chatsession),"
            " (SELECT coalesce(max(id), 0) FROM conversations_message)"
        )
        return tuple(cursor.fetchone())


def persisted(stats: dict) -> dict:
    """What the database holds from the measured windows of a phase (warm-ups excluded)."""
    from django.db.models import Count, Q

    from conversations.models import ChatSession, Message

    window = Q()
    sessions = 0
    for (s0, m0), (s1, m1) in stats["ids"]:
        window |= Q(id__gt=m0, id__lte=m1)
        sessions += ChatSession.objects.filter(id__gt=s0, id__lte=s1).count()
    new = Message.objects.filter(window)
    child = new.filter(role="child")
    return {
        "sessions": sessions,
        "child_messages": child.count(),
        "replies": new.filter(role="assistant", reply_to__isnull=False).count(),
        "unanswered": child.filter(reply__isnull=True).count(),
        "refused": child.exclude(refusal_code="").count(),
        "agents": dict(new.filter(role="assistant").values_list("agent").annotate(n=Count("id")).order_by()),
        "safety": dict(child.values_list("safety_action").annotate(n=Count("id")).order_by()),
    }


def fmt(stats: dict) -> str:
    cpu, n, secs = stats["cpu"], max(1, stats["requests"]), stats["seconds"]
    kernel = cpu["machine"] - sum(cpu[k] for k in ("server", "postgres", "redis", "client", "other"))
    return (
        f"{stats['rps']:.1f} req/s (rounds: {', '.join(f'{r:.1f}' for r in stats['rounds'])}), "
        f"p50 {stats['p50_ms']:.1f} ms, p90 {stats['p90_ms']:.1f} ms, p99 {stats['p99_ms']:.1f} ms, "
        f"max {stats['max_ms']:.1f} ms; {stats['requests']} requests in {secs:.1f} s, "
        f"connections per worker {' '.join('/'.join(map(str, split)) for split in stats['splits'])}, "
        f"status {stats['status']}, errors {stats['errors'] or 0}\n"
        f"          CPU (cores busy): server {cpu['server'] / secs:.2f} ({cpu['server'] / n * 1000:.2f} ms/request), "
        f"PostgreSQL {cpu['postgres'] / secs:.2f} ({cpu['postgres'] / n * 1000:.2f} ms/request), "
        f"Redis {cpu['redis'] / secs:.2f}, load generator {cpu['client'] / secs:.2f}, "
        f"other processes {cpu['other'] / secs:.2f}, kernel/unattributed {kernel / secs:.2f}; "
        f"machine {cpu['machine'] / secs:.2f} of {os.cpu_count()}"
    )


def main() -> int:
    args = parse_args()
    common.check_local(args.database_url)
    rate = "1000000/min"
    env = common.django_env(args.database_url, THROTTLE_CHILD=rate, THROTTLE_PARENT=rate)
    if args.workers:
        env["WEB_WORKERS"] = str(args.workers)
    info = common.machine(args.database_url)
    common.print_machine(info)
    print("command: " + " ".join(["bench/bench_chat_http.py", *sys.argv[1:]]))
    print(f"before the run, other work keeps {common.other_load():.2f} of {os.cpu_count()} cores busy")

    common.recreate_database(args.database_url)
    common.flush_redis()
    common.setup_django(env)
    logging.disable(logging.INFO)  # the fixtures' own log lines; the server logs as configured
    common.migrate()
    started = time.perf_counter()
    children = create_children(args.clients)
    print(f"fixtures: {len(children)} children, paired devices, open chats ({time.perf_counter() - started:.0f} s)")

    command = server_command(args.port)
    print("server: " + " ".join(shlex.quote(a) for a in command).replace(str(common.ROOT) + "/", ""))
    print(
        f"server env: DEBUG=0 DATABASE_URL={args.database_url} (psycopg pool, DATABASE_POOL_MAX default) "
        f"REDIS_URL={common.REDIS_URL} THROTTLE_CHILD={rate} THROTTLE_PARENT={rate}"
        + (f" WEB_WORKERS={args.workers}" if args.workers else "")
    )
    tmp = Path(tempfile.mkdtemp(prefix="hp-bench-chat-"))
    log = open(tmp / "server.log", "wb")  # noqa: SIM115 - closed in finally
    server = subprocess.Popen(
        command,
        cwd=common.ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped as a whole in `stop`
    )
    # Ctrl-C (also when started in the background, where SIGINT is ignored) and SIGTERM end the
    # run through the `finally` below, which stops the server.
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    runs: dict[str, list[dict]] = {"baseline": [], "chat": []}
    endpoints = {"baseline": ("/api/v1/sessions/", session_bodies), "chat": ("/api/v1/chat/", chat_bodies)}
    try:
        wait_ready(args.port, server)
        phase = Phase(args, tmp, server, children)
        for name, (path, bodies) in endpoints.items():
            phase.run(f"{name}-warmup", path, bodies, args.warmup)
        # Alternate the endpoints, so that noise from other work on the machine hits both alike.
        for r in range(args.rounds):
            for name, (path, bodies) in endpoints.items():
                runs[name].append(phase.run(f"{name}-{r}", path, bodies, args.seconds / args.rounds))
        baseline, chat = merge(runs["baseline"]), merge(runs["chat"])
        steps = []
        for fraction in [float(f) for f in args.steps.split(",") if f.strip()]:
            interval = args.clients / (fraction * chat["rps"])
            step = merge(
                [phase.run(f"chat-paced-{fraction}", "/api/v1/chat/", chat_bodies, args.step_seconds, interval)]
            )
            step["fraction"], step["persisted"] = fraction, persisted(step)
            steps.append(step)
            if not within_bound(step):
                break  # a higher rate will not do better
    finally:
        stop(server)
        log.close()
        signal.signal(signal.SIGTERM, previous)
        for spec_file in tmp.glob("*.json"):  # they hold the bench tokens; the server log stays
            spec_file.unlink()
    server_log = (tmp / "server.log").read_text(errors="replace").splitlines()
    errors = [line for line in server_log if "Traceback" in line or " ERROR " in line]

    saved = {"baseline": persisted(baseline), "chat": persisted(chat)}
    queries = query_counts(children[0])
    ratio = chat["rps"] / baseline["rps"]

    workers = args.workers or f"{2 * len(os.sched_getaffinity(0))} (2 per CPU)"
    print(f"\n=== chat over HTTP: {args.clients} clients, gunicorn, {workers} workers, PostgreSQL + Redis ===")
    print(f"baseline POST /api/v1/sessions/ (closed loop): {fmt(baseline)}")
    print(f"chat     POST /api/v1/chat/     (closed loop): {fmt(chat)}")
    for step in steps:
        mark = "within" if within_bound(step) else "over"
        print(f"chat     paced at {step['fraction']:.2f}x its throughput: {fmt(step)} ({mark} the bound)")
    capacity = max((step["rps"] for step in steps if within_bound(step)), default=0.0)
    capacity_ratio = capacity / baseline["rps"]
    print(f"capacity (highest paced rate, p99 <= {TARGET_P99_MS:.0f} ms, no errors): {capacity:.1f} req/s, ", end="")
    print(f"{capacity_ratio:.3f}x the baseline's throughput")
    print(f"ratio chat/baseline: {ratio:.3f}")
    print(
        "database statements per request (in-process, same code, BEGIN/COMMIT included): "
        f"baseline {queries['baseline']}, chat {queries['chat']}"
    )
    print(f"baseline: {baseline['status'].get('201', 0)} x 201, {saved['baseline']['sessions']} session rows created")
    for name, stats, p in (
        ("chat", chat, saved["chat"]),
        *((f"paced {s['fraction']}", s, s["persisted"]) for s in steps),
    ):
        if stats:
            print(
                f"{name}: {stats['status'].get('200', 0)} x 200; persisted {p['child_messages']} child messages, "
                f"{p['replies']} replies, {p['unanswered']} unanswered, {p['refused']} refused by the gate"
            )
    print(f"chat replies by agent: {saved['chat']['agents']}")
    print(f"chat child messages by safety action: {saved['chat']['safety']}")
    print(f"server log: {len(server_log)} lines, {len(errors)} errors ({tmp / 'server.log'})")
    for line in errors[:5]:
        print("   " + line)
    for stats in (baseline, chat, *steps):
        for sample in stats.get("samples", []):
            print(f"   non-2xx: {sample}")

    from django.conf import settings

    target = TARGET_RATIO * (MODEL_BUDGET if settings.SAFETY_MODEL else 1.0)
    print(f"safety check: lexicon{' + risk model' if settings.SAFETY_MODEL else ' alone (SAFETY_MODEL=0)'}")
    checks = [
        (f"throughput chat/baseline >= {target:.2f} ({ratio:.3f})", ratio >= target),
        (
            f"capacity at p99 <= {TARGET_P99_MS:.0f} ms >= {target:.2f}x the baseline's throughput "
            f"({capacity_ratio:.3f})",
            capacity_ratio >= target,
        ),
        ("zero errors, only 2xx", clean(chat, "200") and clean(baseline, "201") and not errors),
        ("every chat message persisted with its reply, none refused", complete(chat, saved["chat"])),
        ("every baseline row persisted", saved["baseline"]["sessions"] == baseline["status"].get("201", 0)),
    ]
    print(f"(closed loop, for information: chat p99 {chat['p99_ms']:.1f} ms at {args.clients} clients)")
    print()
    for label, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    return 0 if all(ok for _label, ok in checks) else 1


def clean(stats: dict, ok_status: str) -> bool:
    return not stats["errors"] and set(stats["status"]) == {ok_status}


def complete(stats: dict, p: dict) -> bool:
    ok = stats["status"].get("200", 0)
    return p["child_messages"] == ok == p["replies"] and p["unanswered"] == 0 and p["refused"] == 0


def within_bound(step: dict) -> bool:
    """A paced rate the server holds: p99 within the bound, no errors, every message answered and stored."""
    return step["p99_ms"] <= TARGET_P99_MS and clean(step, "200") and complete(step, step["persisted"])


def query_counts(child: dict) -> dict[str, int]:
    """Statements (incl. BEGIN/COMMIT) one request runs, counted in-process with the test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {child['access']}")
    counts = {}
    for name, path, body in (
        ("baseline", "/api/v1/sessions/", {}),
        ("chat", "/api/v1/chat/", {"text": MESSAGES[0], "session": child["session"]}),
    ):
        client.post(path, body, content_type="application/json", secure=True)
        with CaptureQueriesContext(connection) as captured:
            response = client.post(path, body, content_type="application/json", secure=True)
        assert response.status_code in (200, 201), response.content[:300]
        counts[name] = len(captured.captured_queries)
    return counts


if __name__ == "__main__":
    sys.exit(main())

"""Realtime: many chat sockets on one server process over Redis, and the parent's alert latency.

Issue 9's targets, each judged against a baseline measured on the same sockets under the same load:
- first checked sentence p99 <= 3x the ping/pong round-trip p99 (absolute p99 reported; aim <= 100 ms);
- memory per idle connection <= 100 KB (the server's RSS before and after opening them);
- zero lost or duplicated messages (every message answered once, stored once);
- alert latency (an escalating message sent on a chat socket -> the alert on the parent's socket)
  p99 <= 2x the chat's own first-sentence p99.
- ``--llm``: the server streams from a local OpenAI-compatible server (tests/conversations/fake_openai.py,
  in this process) at a model's pace (first token after ``--first-token`` s, then ``--tokens-per-second``):
  our time to the first checked sentence minus the model's own time to it (its request's arrival to the
  write of the chunk that completes the sentence, on the same clock), p99 <= 20 ms.

Server: the Procfile's ``realtime`` command (uvicorn, one process) on PostgreSQL (``hp_bench_rt``,
dropped and created) and Redis (``BENCH_REDIS_URL``, flushed), builtin provider. Fixtures through
the services: families of two children with a paired device each; every socket gets its own ticket
(issued in this process with the servers' key, redeemed by the server). Load: every socket pings at
a child's pace; ``--rate`` messages per second in all go to random sockets (a child's pace: one
message every ``sockets / rate`` seconds each); one watched child sends an escalating message every
``--alert-every`` seconds while a guardian's parent socket times the alerts. Traffic only to 127.0.0.1.

    .venv/bin/python bench/bench_realtime.py [--sockets 1000] [--children 50] [--seconds 30] [--rate 20] [--llm]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as common

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hp_bench_rt"
TEXTS = ["3加5等于几？", "为什么天空是蓝色的？", "给我讲个小兔子的故事", "I like dinosaurs", "我今天有点累"]
ESCALATING = "我不想活了"
# The model's reply in --llm mode, as a model streams it: word-sized tokens.
LLM_REPLY = (
    "Stars are giant balls of very hot gas, like our Sun. They look tiny because they are so far away. "
    "At night you can see thousands of them!"
)
LLM_TOKENS = [word + " " for word in LLM_REPLY.split(" ")]
FIRST_SENTENCE_TOKEN = next(i for i, token in enumerate(LLM_TOKENS) if token.rstrip().endswith("."))


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] if ordered else float("nan")


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def server_pid(shell_pid: int) -> int:
    """The uvicorn process (the shell that honcho-style started it may have exec'd it, or not)."""
    if Path(f"/proc/{shell_pid}/comm").read_text().strip() in {"sh", "bash", "dash"}:
        children = Path(f"/proc/{shell_pid}/task/{shell_pid}/children").read_text().split()
        return int(children[0])
    return shell_pid


def stop_server(server: subprocess.Popen) -> None:
    """SIGTERM to the server's process group, SIGKILL after 15 s: uvicorn's graceful shutdown sometimes
    waits forever on a channel-layer receive cancelled mid-flight (channels_redis; seen with replies
    still streaming at the end of an --llm run), and a server left behind would skew the next run."""
    os.killpg(server.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        server.poll()  # reap the shell, so only live processes keep the group
        try:
            os.killpg(server.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=20)


def realtime_command(port: int) -> str:
    for line in (common.ROOT / "Procfile").read_text().splitlines():
        if line.startswith("realtime:"):
            return line.split(":", 1)[1].strip().replace("${HAPPY_PARTNER_WS_PORT:-8001}", str(port))
    raise SystemExit("no realtime: line in the Procfile")


def tickets(children: list[dict], sockets: int) -> tuple[list[str], str, int]:
    """A chat ticket per socket (round robin over the devices), and a parent ticket with its child."""
    from accounts.models import Device, Guardianship
    from accounts.principals import ChildPrincipal
    from accounts.services.tickets import realtime_ticket_issue

    devices = list(
        Device.objects.select_related("child").filter(child_id__in=[c["child"] for c in children]).order_by("pk")
    )
    chat = [
        realtime_ticket_issue(actor=ChildPrincipal(child=d.child, device=d))
        for d in (devices[i % len(devices)] for i in range(sockets))
    ]
    watched = devices[0]
    guardian = Guardianship.objects.select_related("guardian").filter(child_id=watched.child_id).first()
    assert guardian is not None
    return chat, realtime_ticket_issue(actor=guardian.guardian), watched.pk


async def run_load(port: int, chat_tickets: list[str], parent_ticket: str, watched_index: int, args) -> dict:
    from websockets.asyncio.client import connect

    url = f"ws://127.0.0.1:{port}/ws/v1/"
    pings: list[float] = []
    first_sentence: list[float] = []
    alerts: list[float] = []
    answered: dict[str, int] = {}
    sent_ids: list[str] = []
    timings: dict[str, tuple[float, float]] = {}  # client_id -> (sent, first delta) on this clock
    escalations: dict[str, float] = {}
    stop_at = 0.0

    async def child(ws, index: int) -> None:
        waiting_ping: float | None = None
        started: dict[str, float] = {}  # sent, first event not yet seen
        outstanding: set[str] = set()  # sent, done not yet seen
        next_ping = time.monotonic() + random.uniform(0, args.ping_every)
        next_message = time.monotonic() + random.expovariate(args.rate / len(chat_tickets))
        counter = 0
        while time.monotonic() < stop_at:
            now = time.monotonic()
            if waiting_ping is None and now >= next_ping:
                waiting_ping = now
                await ws.send(json.dumps({"type": "ping"}))
                next_ping = now + args.ping_every
            if now >= next_message and not outstanding:  # a child waits for the answer before the next
                counter += 1
                client_id = f"s{index}-{counter}"
                text = ESCALATING if index == watched_index else random.choice(TEXTS)
                if args.llm and text != ESCALATING:
                    text = f"{text} [{client_id}]"  # to find its requests at the model
                started[client_id] = now
                outstanding.add(client_id)
                if text == ESCALATING:
                    escalations[client_id] = now
                sent_ids.append(client_id)
                await ws.send(json.dumps({"type": "message", "text": text, "client_id": client_id}))
                gap = args.alert_every if index == watched_index else random.expovariate(args.rate / len(chat_tickets))
                next_message = now + gap
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout=0.2)
            except TimeoutError:
                continue
            event = json.loads(raw)
            kind = event.get("type")
            if kind == "pong" and waiting_ping is not None:
                pings.append((time.monotonic() - waiting_ping) * 1000)
                waiting_ping = None
            elif kind in ("delta", "refused") and event["client_id"] in started:
                sent_at = started.pop(event["client_id"])
                timings[event["client_id"]] = (sent_at, time.monotonic())
                first_sentence.append((timings[event["client_id"]][1] - sent_at) * 1000)
            elif kind == "done":
                answered[event["client_id"]] = answered.get(event["client_id"], 0) + 1
                outstanding.discard(event["client_id"])
        # drain what is still coming for messages in flight
        deadline = time.monotonic() + 20
        while outstanding and time.monotonic() < deadline:
            try:
                event = json.loads(await asyncio.wait_for(ws.recv(), timeout=1))
            except TimeoutError:
                continue
            if event.get("type") == "done":
                answered[event["client_id"]] = answered.get(event["client_id"], 0) + 1
                outstanding.discard(event["client_id"])

    async def parent() -> None:
        async with connect(f"{url}parent/?ticket={parent_ticket}", open_timeout=30) as ws:
            while time.monotonic() < stop_at + 10:
                try:
                    event = json.loads(await asyncio.wait_for(ws.recv(), timeout=1))
                except TimeoutError:
                    continue
                if event.get("type") == "alert" and escalations:
                    sent = min(escalations.values())
                    key = min(escalations, key=escalations.__getitem__)
                    escalations.pop(key)
                    alerts.append((time.monotonic() - sent) * 1000)

    sockets = []
    opened = time.monotonic()
    for start in range(0, len(chat_tickets), 100):  # open in batches, as apps reconnect
        batch = chat_tickets[start : start + 100]
        sockets += await asyncio.gather(
            *(connect(f"{url}chat/?ticket={t}", open_timeout=60, max_queue=None) for t in batch)
        )
    open_seconds = time.monotonic() - opened
    await asyncio.sleep(2)
    idle_rss = rss_kb(args.server_pid)
    stop_at = time.monotonic() + args.seconds
    parent_task = asyncio.create_task(parent())
    await asyncio.gather(*(child(ws, i) for i, ws in enumerate(sockets)))
    await parent_task
    for ws in sockets:
        await ws.close()
    return {
        "open_seconds": open_seconds,
        "idle_rss": idle_rss,
        "pings": pings,
        "first": first_sentence,
        "alerts": alerts,
        "sent": sent_ids,
        "answered": answered,
        "timings": timings,
    }


def llm_overheads(
    timings: dict[str, tuple[float, float]], requests: list, parts: list[tuple[float, float]]
) -> list[float]:
    """Per answered message: (first delta received - message sent) - (the model's time from the first
    request about this message to the write of the chunk completing its first sentence), in ms. A
    classifier question counts as the model's time (it is a model call too)."""
    by_tag: dict[str, list] = {}
    for request in requests:
        body = request.json or {}
        users = [m.get("content", "") for m in body.get("messages", []) if m.get("role") == "user"]
        text = users[-1] if users else ""
        if "[" in text and text.endswith("]"):
            by_tag.setdefault(text[text.rindex("[") + 1 : -1], []).append(request)
    overheads = []
    for client_id, (sent, first) in timings.items():
        found = by_tag.get(client_id)
        streamed = [r for r in found or [] if r.json.get("stream") and len(r.sent) > FIRST_SENTENCE_TOKEN]
        if not streamed:
            continue
        asked = min(r.arrived for r in found)
        model = streamed[-1].sent[FIRST_SENTENCE_TOKEN] - asked
        overheads.append(((first - sent) - model) * 1000)
        parts.append(((asked - sent) * 1000, (first - streamed[-1].sent[FIRST_SENTENCE_TOKEN]) * 1000))
    return overheads


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--children", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=20.0, help="messages per second over all sockets")
    parser.add_argument("--ping-every", type=float, default=5.0, help="seconds between one socket's pings")
    parser.add_argument("--alert-every", type=float, default=2.0, help="seconds between the watched child's crises")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--llm", action="store_true", help="stream replies from a local OpenAI-compatible server")
    parser.add_argument("--first-token", type=float, default=0.3, help="the model's seconds to its first token")
    parser.add_argument("--tokens-per-second", type=float, default=30.0)
    args = parser.parse_args()
    common.check_local(args.database_url)
    random.seed(7)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # a socket is a file, on both ends
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))
    print(f"machine: {platform.node()} {platform.processor() or platform.machine()}, {os.cpu_count()} cpus")
    print(f"command: {' '.join(sys.argv)}")
    common.recreate_database(args.database_url)
    common.flush_redis()
    env = common.django_env(args.database_url, SECURE_SSL_REDIRECT="0")  # TLS is the proxy's, not measured
    common.setup_django(env)
    common.migrate()
    from bench_chat_http import create_children

    children = create_children(args.children)
    chat_tickets, parent_ticket, watched_device = tickets(children, args.sockets)
    from accounts.models import Device

    mine = Device.objects.filter(child_id__in=[c["child"] for c in children]).order_by("pk")
    device_ids = list(mine.values_list("pk", flat=True))
    watched_index = next(i for i in range(args.sockets) if device_ids[i % len(device_ids)] == watched_device)
    server_env = {**os.environ, **env, "PATH": f"{common.ROOT / '.venv' / 'bin'}:{os.environ.get('PATH', '')}"}
    fake = None
    if args.llm:
        sys.path.insert(0, str(common.ROOT))
        from tests.conversations.fake_openai import FakeOpenAI

        fake = FakeOpenAI().start()
        fake.set_mode(
            "normal",
            text=LLM_REPLY,
            chunks=LLM_TOKENS,
            first_delay=args.first_token,
            chunk_delay=1 / args.tokens_per_second,
        )
        server_env.update(LLM_PROVIDER="openai", LLM_BASE_URL=fake.base_url, LLM_MODEL="bench-model")
    log_path = Path(tempfile.mkdtemp(prefix="hp-bench-realtime-")) / "server.log"
    log = log_path.open("w")
    server = subprocess.Popen(  # noqa: S602 - the Procfile's own line, as honcho runs it
        realtime_command(args.port),
        shell=True,
        env=server_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the realtime server did not start") from None
                time.sleep(0.3)
        args.server_pid = server_pid(server.pid)
        base_rss = rss_kb(args.server_pid)
        result = asyncio.run(run_load(args.port, chat_tickets, parent_ticket, watched_index, args))
    finally:
        stop_server(server)
        log.close()
        requests = fake.requests if fake is not None else []
        if fake is not None:
            fake.stop()
    from conversations.models import Message, MessageRole

    stored = Message.objects.filter(role=MessageRole.CHILD).count()
    per_conn = (result["idle_rss"] - base_rss) / args.sockets
    ping_p99, first_p99 = p99(result["pings"]), p99(result["first"])
    alert_p99 = p99(result["alerts"])
    duplicated = sum(1 for n in result["answered"].values() if n > 1)
    lost = len(set(result["sent"]) - set(result["answered"]))
    print(f"server log: {log_path}")
    pings, first = result["pings"], result["first"]
    print(f"{args.sockets} chat sockets on one uvicorn process, {args.children} children")
    print(f"  opened in {result['open_seconds']:.1f} s")
    print(f"server RSS: {base_rss / 1024:.0f} MB before, {result['idle_rss'] / 1024:.0f} MB with the sockets idle")
    print(f"  {per_conn:.1f} KB per connection")
    print(f"ping round trip: n={len(pings)}, p50 {statistics.median(pings):.1f} ms, p99 {ping_p99:.1f} ms")
    print(f"first checked sentence: n={len(first)}, p50 {statistics.median(first):.1f} ms, p99 {first_p99:.1f} ms")
    print(f"  {first_p99 / ping_p99:.2f}x the ping p99")
    if result["alerts"]:
        print(f"alert on the parent socket: n={len(result['alerts'])}, p99 {alert_p99:.1f} ms")
        print(f"  {alert_p99 / first_p99:.2f}x the first sentence p99")
    print(f"messages: {len(result['sent'])} sent, {len(result['answered'])} answered, {lost} lost")
    print(f"  {duplicated} answered twice; {stored} stored")
    exact = lost == 0 and duplicated == 0 and stored == len(result["sent"])
    alert_ok = bool(result["alerts"]) and alert_p99 <= 2 * first_p99
    checks = [
        (f"first sentence p99 <= 3x ping p99 ({first_p99 / ping_p99:.2f}x)", first_p99 <= 3 * ping_p99),
        (f"memory per idle connection <= 100 KB ({per_conn:.1f} KB)", per_conn <= 100),
        ("zero lost or duplicated messages, each stored once", exact),
        (f"alert p99 <= 2x first sentence p99 ({alert_p99 / first_p99:.2f}x)", alert_ok),
    ]
    if args.llm:
        parts: list[tuple[float, float]] = []
        overheads = llm_overheads(result["timings"], requests, parts)
        over_p99 = p99(overheads)
        print(f"model requests: {len(requests)}; first token after {args.first_token * 1000:.0f} ms, ", end="")
        print(f"{args.tokens_per_second:.0f} tokens/s, first sentence at token {FIRST_SENTENCE_TOKEN + 1}")
        if overheads:
            print(f"our time to the first checked sentence minus the model's: n={len(overheads)}, ", end="")
            print(f"p50 {statistics.median(overheads):.1f} ms, p99 {over_p99:.1f} ms, ", end="")
            print(f"worst {', '.join(f'{v:.0f}' for v in sorted(overheads)[-3:])} ms")
            before, after = [b for b, _a in parts], [a for _b, a in parts]
            print(f"  before the model is asked: p50 {statistics.median(before):.1f} ms, p99 {p99(before):.1f} ms")
            print(f"  from its first sentence to the child: p50 {statistics.median(after):.1f} ms, ", end="")
            print(f"p99 {p99(after):.1f} ms")
        label = f"LLM first-sentence overhead p99 <= 20 ms, as the issue states it ({over_p99:.1f} ms)"
        checks.append((label, bool(overheads) and over_p99 <= 20))
        # What streaming adds (async HTTP, buffering to a sentence, its check, the frame): the part this
        # target is about. The time before the model is asked is the gate and the input check, the
        # same work as a builtin turn (RESULTS.md: the restatement proposed).
        after_p99 = p99([a for _b, a in parts])
        label = f"from the model's first sentence to the child p99 <= 20 ms ({after_p99:.1f} ms)"
        checks.append((label, after_p99 <= 20))
    for label, ok in checks:
        print("PASS " if ok else "FAIL ", label)
    return 0 if all(ok for _label, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())

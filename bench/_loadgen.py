"""A small closed-loop HTTP/1.1 load generator (asyncio + uvloop), run as its own process.

    python bench/_loadgen.py SPEC.json  ->  one JSON line of results on stdout

Each client holds one keep-alive connection to 127.0.0.1 and sends its next request as soon as
the previous answer is read (closed loop), or, with "interval", one request every interval
seconds (paced, like a child typing; the clients' schedules are staggered). It stops when the
phase's time is up or its request budget is spent; a request in flight at the deadline is
finished and counted, so every answer the server sent is accounted for. Latency is from writing
the request to reading the whole body.

SPEC: {"port", "seconds", "max_requests", "timeout", "interval" (0 = closed loop),
       "ramp" (seconds between opening one client's connection and the next; 0 = all at once),
       "clients": [{"path", "headers": {..}, "bodies": [json, ...]}, ...]}
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time

HOST = "127.0.0.1"  # never anything else


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """Status, body, and whether the server closes the connection (a sync WSGI worker does)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = None
    closes = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "connection":
            closes = value.strip().lower() == "close"
    if length is None:
        raise RuntimeError("response without Content-Length")
    body = await reader.readexactly(length)
    return status, body, closes


async def _client(
    spec: dict, client: dict, deadline: float, budget: list[int], out: dict, index: int, offset: float
) -> None:
    interval = spec.get("interval", 0)
    await asyncio.sleep(spec.get("ramp", 0) * index)  # open the connections one by one, if asked
    next_at = time.monotonic() + offset
    reader, writer = await asyncio.open_connection(HOST, spec["port"])
    headers = "".join(f"{k}: {v}\r\n" for k, v in client["headers"].items())
    requests = []
    for body in client["bodies"]:
        raw = json.dumps(body, ensure_ascii=False).encode()
        requests.append(
            (
                f"POST {client['path']} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(raw)}\r\n{headers}\r\n"
            ).encode()
            + raw
        )
    i = 0
    try:
        while time.monotonic() < deadline and budget[0] > 0:
            if interval:
                await asyncio.sleep(max(0.0, next_at - time.monotonic()))
                next_at = max(next_at + interval, time.monotonic())
                if time.monotonic() >= deadline:
                    break
            budget[0] -= 1
            started = time.perf_counter()
            try:
                if writer.is_closing():  # the server closed it after the last answer: a new one, timed
                    reader, writer = await asyncio.open_connection(HOST, spec["port"])
                writer.write(requests[i % len(requests)])
                await writer.drain()
                status, body, closes = await asyncio.wait_for(_read_response(reader), spec["timeout"])
                if closes:
                    writer.close()
            except (TimeoutError, OSError, asyncio.IncompleteReadError, RuntimeError) as exc:
                out["errors"][type(exc).__name__] = out["errors"].get(type(exc).__name__, 0) + 1
                writer.close()
                try:
                    reader, writer = await asyncio.open_connection(HOST, spec["port"])
                except OSError as again:  # the server is gone: count it, pause, try again until the deadline
                    out["errors"][type(again).__name__] = out["errors"].get(type(again).__name__, 0) + 1
                    await asyncio.sleep(0.2)
                continue
            out["latencies"].append(time.perf_counter() - started)
            out["status"][status] = out["status"].get(status, 0) + 1
            if status >= 300 and len(out["samples"]) < 5:
                out["samples"].append(body[:300].decode("utf-8", "replace"))
            i += 1
    finally:
        writer.close()


async def run(spec: dict) -> dict:
    out: dict = {"latencies": [], "status": {}, "errors": {}, "samples": []}
    budget = [spec["max_requests"]]
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    started = time.monotonic()
    deadline = started + spec["seconds"]
    clients = spec["clients"]
    stagger = spec.get("interval", 0) / len(clients)
    await asyncio.gather(*(_client(spec, c, deadline, budget, out, i, i * stagger) for i, c in enumerate(clients)))
    elapsed = time.monotonic() - started
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "seconds": elapsed,
        "latencies_ms": [round(x * 1000, 3) for x in out["latencies"]],
        "status": out["status"],
        "errors": out["errors"],
        "samples": out["samples"],
        "client_cpu_s": (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime),
    }


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    try:
        import uvloop
    except ImportError:
        print(json.dumps(asyncio.run(run(spec))))
    else:
        print(json.dumps(uvloop.run(run(spec))))


if __name__ == "__main__":
    main()

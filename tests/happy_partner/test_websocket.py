"""The liveness WebSocket through the real ASGI application (origin check, auth stack, router)."""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator

from happy_partner.asgi import application

PATH = "/ws/v1/ping/"
ALLOWED_ORIGIN = [(b"origin", b"http://127.0.0.1")]


def _communicator(headers=ALLOWED_ORIGIN, path: str = PATH) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, path, headers=headers)


async def test_ping_gets_pong():
    communicator = _communicator()
    connected, _ = await communicator.connect()
    assert connected
    try:
        await communicator.send_json_to({"type": "ping"})
        assert await communicator.receive_json_from(timeout=5) == {"type": "pong"}
        # The connection stays usable: a second ping on the same socket is answered too.
        await communicator.send_json_to({"type": "ping", "id": 2})
        assert await communicator.receive_json_from(timeout=5) == {"type": "pong"}
    finally:
        await communicator.disconnect()


@pytest.mark.parametrize("event", [{"type": "dance"}, {"no_type": True}, ["ping"], "ping", 42])
async def test_unknown_event_gets_the_error_shape(event):
    communicator = _communicator()
    connected, _ = await communicator.connect()
    assert connected
    try:
        await communicator.send_json_to(event)
        reply = await communicator.receive_json_from(timeout=5)
        # The API's one error shape, tagged as an event.
        assert set(reply) == {"type", "error"}
        assert reply["type"] == "error"
        assert set(reply["error"]) == {"code", "message", "fields"}
        assert reply["error"]["code"] == "unknown_event"
        assert reply["error"]["message"]
        # ...and the socket still answers afterwards.
        await communicator.send_json_to({"type": "ping"})
        assert await communicator.receive_json_from(timeout=5) == {"type": "pong"}
    finally:
        await communicator.disconnect()


@pytest.mark.parametrize(
    "frame",
    [{"text_data": "not json"}, {"text_data": "{"}, {"text_data": "   "}, {"bytes_data": b'{"type": "ping"}'}],
    ids=["text", "truncated", "blank", "binary"],
)
async def test_malformed_frame_gets_the_error_shape_and_the_socket_stays_open(frame):
    communicator = _communicator()
    connected, _ = await communicator.connect()
    assert connected
    try:
        await communicator.send_to(**frame)
        reply = await communicator.receive_json_from(timeout=5)
        assert reply["type"] == "error"
        assert reply["error"]["code"] == "malformed_request"
        await communicator.send_json_to({"type": "ping"})
        assert await communicator.receive_json_from(timeout=5) == {"type": "pong"}
    finally:
        await communicator.disconnect()


@pytest.mark.parametrize("origin", [b"http://localhost:8000", b"https://[::1]"])
async def test_other_allowed_hosts_are_accepted(origin):
    communicator = _communicator(headers=[(b"origin", origin)])
    connected, _ = await communicator.connect()
    assert connected
    await communicator.disconnect()


@pytest.mark.parametrize(
    "headers",
    [
        [(b"origin", b"http://evil.example.com")],
        [(b"origin", b"http://127.0.0.1.evil.example.com")],
        [],  # no Origin at all
    ],
    ids=["foreign", "lookalike", "missing"],
)
async def test_disallowed_origin_is_rejected(headers):
    communicator = _communicator(headers=headers)
    connected, _ = await communicator.connect()
    assert connected is False
    await communicator.disconnect()


async def test_unknown_websocket_path_is_not_served():
    # Refused at the handshake (test_server_logs_and_routes.py checks nothing is logged as an error).
    communicator = _communicator(path="/ws/v1/nope/")
    connected, _ = await communicator.connect()
    assert connected is False

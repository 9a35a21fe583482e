"""The auth gate as an ASGI layer: allow-list without a session, the page without its API
description, everything with a valid session cookie. (The running app: tests/integration.)"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from minutes_rag.ui.gate import AuthGate, is_public

PAGE = b'<html><script>window.gradio_config = {"auth_required":true};</script><script>window.gradio_api_info = {"named_endpoints":{"/ask":{}}};</script></html>'


async def _inner(scope, receive, send):
    body = PAGE if scope["path"] == "/" else b"secret:" + scope["path"].encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _call(gate: AuthGate, path: str, cookie: str = "") -> tuple[int, bytes, dict]:
    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    headers = [(b"cookie", cookie.encode())] if cookie else []
    asyncio.run(gate({"type": "http", "path": path, "headers": headers, "method": "GET"}, receive, send))
    start = sent[0]
    return start["status"], b"".join(m.get("body", b"") for m in sent[1:]), dict(start["headers"])


def test_without_a_session_only_the_allow_list_answers() -> None:
    gate = AuthGate(_inner, SimpleNamespace(tokens={"tok": "clerk"}, cookie_id="abc"))
    for path in ("/gradio_api/info", "/gradio_api/runs", "/gradio_api/heartbeat/x", "/config", "/openapi.json",
                 "/gradio_api/file=/etc/passwd", "/monitoring", "/anything-new"):
        status, body, _ = _call(gate, path)
        assert status == 401 and b"secret" not in body, path
    status, body, _ = _call(gate, "/assets/index.js")
    assert status == 200
    status, body, headers = _call(gate, "/")
    assert status == 200 and b"named_endpoints" not in body and b"window.gradio_api_info = {};" in body
    assert headers[b"content-length"] == str(len(body)).encode()
    assert is_public("/login") and not is_public("/gradio_api/login_check")


def test_a_valid_session_passes_and_a_forged_one_does_not() -> None:
    gate = AuthGate(_inner, SimpleNamespace(tokens={"tok": "clerk"}, cookie_id="abc"))
    status, body, _ = _call(gate, "/gradio_api/info", "access-token-abc=tok")
    assert status == 200 and body == b"secret:/gradio_api/info"
    status, body, _ = _call(gate, "/", "access-token-unsecure-abc=tok")
    assert b"named_endpoints" in body  # a logged-in user gets the full page
    assert _call(gate, "/gradio_api/info", "access-token-abc=forged")[0] == 401
    assert _call(gate, "/gradio_api/info", "access-token-other=tok")[0] == 401


def _call_basic(gate: AuthGate, path: str, user: str, password: str) -> int:
    import base64

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    headers = [(b"authorization", f"Basic {token}".encode())]
    asyncio.run(gate({"type": "http", "path": path, "headers": headers, "method": "GET"}, receive, send))
    return int(sent[0]["status"])


def test_feed_readers_may_use_basic_auth_on_feeds_only() -> None:
    gate = AuthGate(_inner, SimpleNamespace(tokens={}, cookie_id="abc"), basic=[("clerk", "s3cret"), ("reader", "r3ad")])
    assert _call_basic(gate, "/feeds/a1.atom", "reader", "r3ad") == 200  # a viewer reads feeds too
    assert _call_basic(gate, "/feeds/a1.atom", "clerk", "s3cret") == 200
    assert _call_basic(gate, "/feeds/a1.atom", "clerk", "wrong") == 401
    assert _call_basic(gate, "/gradio_api/info", "clerk", "s3cret") == 401  # the rest needs a session
    assert _call(gate, "/feeds/a1.atom")[0] == 401
    no_basic = AuthGate(_inner, SimpleNamespace(tokens={}, cookie_id="abc"))
    assert _call_basic(no_basic, "/feeds/a1.atom", "clerk", "s3cret") == 401

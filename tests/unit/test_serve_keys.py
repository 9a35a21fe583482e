"""Who may use /v1 and /mcp (serve.keys): keys when set, else the page's login with --auth,
else this machine only (client and Host both loopback)."""

from __future__ import annotations

import asyncio
import json

from minutes_rag.serve.keys import ApiGuard, is_local_request, key_matches, parse_keys


async def _app(scope, receive, send):
    body = b"app:" + scope["path"].encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


async def _gate(scope, receive, send):  # the auth gate: refuses everything without a cookie
    await send({"type": "http.response.start", "status": 401, "headers": []})
    await send({"type": "http.response.body", "body": b"gate"})


def _call(guard: ApiGuard, path: str, *, auth: str = "", client: str = "127.0.0.1",
          host: str = "127.0.0.1:7860") -> tuple[int, bytes]:
    sent: list[dict] = []

    async def send(m):
        sent.append(m)

    async def receive():
        return {"type": "http.request", "body": b""}

    headers = [(b"host", host.encode())] + ([(b"authorization", auth.encode())] if auth else [])
    scope = {"type": "http", "path": path, "method": "GET", "headers": headers, "client": (client, 5000)}
    asyncio.run(guard(scope, receive, send))
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def test_keys_parse_from_commas_spaces_and_lines() -> None:
    assert parse_keys(" a, b\nc  ") == ("a", "b", "c") and parse_keys("") == ()
    assert key_matches("b", ("a", "b")) and not key_matches("", ("a",)) and not key_matches("ab", ("a",))


def test_with_keys_every_request_needs_one_even_on_loopback() -> None:
    guard = ApiGuard(_gate, _app, ("k1", "k2"))
    assert _call(guard, "/v1/models", auth="Bearer k2") == (200, b"app:/v1/models")  # past the gate
    assert _call(guard, "/mcp", auth="bearer k1") == (200, b"app:/mcp")
    status, body = _call(guard, "/v1/models")
    assert status == 401 and json.loads(body)["error"]["code"] == "missing_api_key"
    status, body = _call(guard, "/v1/chat/completions", auth="Bearer k3")
    assert status == 401 and json.loads(body)["error"]["code"] == "invalid_api_key"
    status, body = _call(guard, "/mcp", auth="Basic azE=")
    assert status == 401 and json.loads(body)["error"] == "invalid_token"
    # other routes are the gate's business, key or not
    assert _call(guard, "/gradio_api/info", auth="Bearer k1") == (401, b"gate")


def test_without_keys_only_this_machine_by_a_loopback_name() -> None:
    guard = ApiGuard(_app, _app, ())
    assert _call(guard, "/v1/models")[0] == 200
    assert _call(guard, "/v1/models", client="::1", host="[::1]:7860")[0] == 200
    assert _call(guard, "/v1/models", host="localhost:7860")[0] == 200
    assert _call(guard, "/v1/models", client="192.168.1.20")[0] == 401
    # a page whose DNS name was rebound to 127.0.0.1 still names its own host
    assert _call(guard, "/mcp", host="evil.example:7860")[0] == 401
    assert not is_local_request({"client": ("10.0.0.1", 1), "headers": []})


def test_without_keys_but_with_auth_the_page_login_is_needed() -> None:
    guard = ApiGuard(_gate, _app, (), session=lambda scope: "clerk" if scope["client"][0] == "10.0.0.5" else None)
    assert _call(guard, "/v1/models", client="10.0.0.5", host="archive.example")[0] == 200
    status, body = _call(guard, "/v1/models")  # loopback is not enough once --auth is on
    assert status == 401 and b"log in" in body

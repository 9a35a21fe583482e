"""Who may use ``/v1`` and ``/mcp``: the one check in front of both faces.

- ``api_keys`` set: every request needs ``Authorization: Bearer <one of them>`` (loopback
  included); a logged-in page session is not enough, a key is.
- no keys, ``--auth`` on: a request needs the page's login session (what the auth gate,
  ``ui.gate``, asks of every other route).
- no keys, no ``--auth``: only this machine may ask: the client's address and the Host it
  named must both be loopback (a web page that rebinds its DNS name to 127.0.0.1 names its own
  host, and is refused). Behind a reverse proxy every client looks local: set keys there.

Installed as the outermost ASGI layer of the running app, in front of the auth gate: a request
with a valid key goes past the gate (it has no cookie), everything else is unchanged.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import re
from collections.abc import Callable, Sequence
from typing import Any

from minutes_rag.ui.gate import ASGIApp, Receive, Scope, Send

log = logging.getLogger(__name__)

PREFIXES = ("/v1/", "/mcp")
_LOCAL_NAMES = frozenset({"localhost", "localhost."})


def parse_keys(value: str) -> tuple[str, ...]:
    """The accepted keys from the setting: separated by commas, spaces or new lines."""
    return tuple(k for k in re.split(r"[\s,]+", value or "") if k)


def is_protected(path: str) -> bool:
    return path == "/mcp" or path.startswith(("/mcp/", "/v1/")) or path == "/v1"


def _header(scope: Scope, name: bytes) -> str:
    for k, v in scope.get("headers") or []:
        if k == name:
            return bytes(v).decode("latin-1")
    return ""


def bearer(scope: Scope) -> str:
    value = _header(scope, b"authorization").strip()
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _is_loopback_ip(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_local_request(scope: Scope) -> bool:
    """The client is this machine and named it by a loopback name (DNS rebinding fails here)."""
    client = scope.get("client") or ("", 0)
    if not _is_loopback_ip(str(client[0])):
        return False
    host = _header(scope, b"host").strip().lower()
    if not host:
        return True
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    if host.startswith("[") and "]" in host:
        name = host[: host.index("]") + 1]
    return name in _LOCAL_NAMES or _is_loopback_ip(name)


def key_matches(token: str, keys: Sequence[str]) -> bool:
    # compare with every key in constant time, so timing tells nothing about them
    ok = False
    for k in keys:
        ok |= hmac.compare_digest(token.encode("utf-8"), k.encode("utf-8"))
    return bool(token) and ok


def error_body(path: str, message: str, code: str) -> bytes:
    """An OpenAI error object for /v1; an RFC 6750 bearer error for /mcp."""
    if path.startswith("/v1"):
        body: dict[str, Any] = {"error": {"message": message, "type": "invalid_request_error", "param": None,
                                          "code": code}}
    else:
        body = {"error": "invalid_token", "error_description": message}
    return json.dumps(body).encode("utf-8")


class ApiGuard:
    """``inner``: the app as it was (the gate in front when --auth is on); ``past_gate``: the
    app without the gate; ``session``: the page's login check (None when --auth is off)."""

    def __init__(self, inner: ASGIApp, past_gate: ASGIApp, keys: Sequence[str],
                 session: Callable[[Scope], str | None] | None = None) -> None:
        self.inner = inner
        self.past_gate = past_gate
        self.keys = tuple(keys)
        self.session = session

    def refusal(self, scope: Scope) -> tuple[str, str] | None:
        """None when the request may go on, else (message, code)."""
        if self.keys:
            token = bearer(scope)
            if key_matches(token, self.keys):
                return None
            if not token:
                return "an API key is required: send Authorization: Bearer <key>", "missing_api_key"
            return "the API key is not valid", "invalid_api_key"
        if self.session is not None:
            if self.session(scope) is not None:
                return None
            return ("log in to the page first, or ask the server's administrator for an API key "
                    "(setting api_keys)"), "missing_api_key"
        if is_local_request(scope):
            return None
        return ("no API key is configured on this server, so it answers only on this machine; "
                "set api_keys (MINUTES_RAG_API_KEYS) to serve other machines"), "missing_api_key"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path") or "/")
        if scope.get("type") != "http" or not is_protected(path):
            await self.inner(scope, receive, send)
            return
        refused = self.refusal(scope)
        if refused is None:
            await self.past_gate(scope, receive, send)
            return
        message, code = refused
        log.info("refused %s %s: %s", scope.get("method"), path, code)
        body = error_body(path, message, code)
        await send({"type": "http.response.start", "status": 401, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
            (b"www-authenticate", b'Bearer realm="minutes-rag"'),
        ]})
        await send({"type": "http.response.body", "body": body})


def install(gradio_app: Any, keys: Sequence[str]) -> ApiGuard:
    """Puts the guard in front of the running app (after ``ui.gate.install`` when --auth is on)."""
    existing = getattr(gradio_app, "_minutes_api_guard", None)
    if existing is not None:
        return existing
    if gradio_app.middleware_stack is None:
        gradio_app.middleware_stack = gradio_app.build_middleware_stack()
    inner = gradio_app.middleware_stack
    gate = getattr(gradio_app, "_minutes_gate", None)
    past_gate = gate.inner if gate is not None else inner
    session = gate._user if gate is not None else None
    guard = ApiGuard(inner, past_gate, keys, session)
    gradio_app.middleware_stack = guard
    gradio_app._minutes_api_guard = guard
    mode = "API keys" if keys else ("the page's login" if gate is not None else "loopback only")
    log.info("/v1 and /mcp: %s", mode)
    return guard

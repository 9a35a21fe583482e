"""With auth on, nothing but the login page and its static files answers without a session.

Gradio checks the login on most of its routes, but not all: the page itself (``/``, reached
also through ``/logout``) embeds the full API description (every endpoint, its parameters,
code snippets), and a dozen of its routes (run history, heartbeat, streams, reset, upload
progress, the OpenAPI document...) answer anyone. This gate sits in front of the whole app:
a request without a valid session cookie reaches only an allow-list (the login form and the
files the login page loads), and the page it gets carries no API description.

It is installed as the outermost ASGI layer of the running Gradio app (``install``), so it
also covers routes a later Gradio version adds: the allow-list, not a block-list, decides.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# what the login page needs before there is a session
_PUBLIC_EXACT = frozenset({
    "/", "/login", "/login/", "/logout", "/favicon.ico", "/theme.css", "/gradio_api/theme.css", "/robots.txt",
    "/manifest.json", "/pwa_icon",
})
_PUBLIC_PREFIXES = ("/assets/", "/static/", "/svelte/", "/pwa_icon/")
_PAGE = frozenset({"/"})  # served, but without the API description
_API_INFO = re.compile(rb"window\.gradio_api_info\s*=\s*.*?;</script>", re.S)


def is_public(path: str) -> bool:
    return path in _PUBLIC_EXACT or path.startswith(_PUBLIC_PREFIXES)


# paths a client without a session may open with HTTP Basic auth (a feed reader cannot log
# in to a page); the same user and password as the login form
_BASIC_PREFIXES = ("/feeds/",)


class AuthGate:
    def __init__(self, inner: ASGIApp, gradio_app: Any, basic: list[tuple[str, str]] | None = None) -> None:
        self.inner = inner
        self.gradio_app = gradio_app  # gradio.routes.App: its tokens and cookie id
        self.basic = basic

    def _basic_user(self, scope: Scope, path: str) -> str | None:
        if self.basic is None or not path.startswith(_BASIC_PREFIXES):
            return None
        import base64
        import hmac

        raw = next((v for k, v in scope.get("headers") or [] if k == b"authorization"), b"")
        scheme, _, token = raw.decode("latin-1").partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            user, _, password = base64.b64decode(token.strip(), validate=True).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
        for want_user, want_password in self.basic:
            if hmac.compare_digest(user.encode(), want_user.encode()) & hmac.compare_digest(
                password.encode(), want_password.encode()
            ):
                return user
        return None

    def _user(self, scope: Scope) -> str | None:
        raw = b"; ".join(v for k, v in scope.get("headers") or [] if k == b"cookie").decode("latin-1")
        if not raw:
            return None
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(raw)
        except Exception:  # noqa: BLE001 - a malformed cookie header is no session
            return None
        cookie_id = getattr(self.gradio_app, "cookie_id", "")
        tokens = getattr(self.gradio_app, "tokens", {}) or {}
        for name in (f"access-token-{cookie_id}", f"access-token-unsecure-{cookie_id}"):
            morsel = jar.get(name)
            if morsel is not None and morsel.value in tokens:
                return str(tokens[morsel.value])
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope.get("type")
        if kind not in ("http", "websocket") or self._user(scope) is not None:
            await self.inner(scope, receive, send)
            return
        path = str(scope.get("path") or "/")
        root = str(scope.get("root_path") or "")
        if root and path.startswith(root):
            path = path[len(root):] or "/"
        if kind == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        if self._basic_user(scope, path) is not None:
            await self.inner(scope, receive, send)
            return
        if not is_public(path):
            await _deny(send)
            return
        if path in _PAGE:
            await self._page_without_api(scope, receive, send)
            return
        await self.inner(scope, receive, send)

    async def _page_without_api(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The login page, with the API description emptied out."""
        start: Message = {}
        body = bytearray()

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = dict(message)
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
                if not message.get("more_body", False):
                    out = _API_INFO.sub(b"window.gradio_api_info = {};</script>", bytes(body))
                    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
                    headers.append((b"content-length", str(len(out)).encode()))
                    await send({**start, "headers": headers})
                    await send({"type": "http.response.body", "body": out})

        await self.inner(scope, receive, capture)


async def _deny(send: Send) -> None:
    body = json.dumps({"detail": {"error": "Not authenticated"}}).encode()
    await send({
        "type": "http.response.start", "status": 401,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
    })
    await send({"type": "http.response.body", "body": body})


def install(gradio_app: Any, basic: list[tuple[str, str]] | None = None) -> None:
    """Put the gate in front of a running (or about to run) Gradio app. Starlette builds its
    middleware stack on the first request; the gate wraps whatever stack there is."""
    if getattr(gradio_app, "_minutes_gate", None) is not None:
        return
    if gradio_app.middleware_stack is None:
        gradio_app.middleware_stack = gradio_app.build_middleware_stack()
    gate = AuthGate(gradio_app.middleware_stack, gradio_app, basic)
    gradio_app.middleware_stack = gate
    gradio_app._minutes_gate = gate
    log.info("auth gate installed: without a session only the login page and its files answer")

"""With --auth, walk every route the running app has (Gradio's own included): without a
session only the login page and its static files answer, and the page carries no API
description; with a session everything works as before."""

from __future__ import annotations

import http.cookiejar
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings
from minutes_rag.ui.gate import is_public

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _routes(app) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def walk(routes) -> None:
        for r in routes:
            inner = getattr(r, "original_router", None)  # FastAPI's included routers
            if inner is not None:
                walk(inner.routes)
                continue
            path = getattr(r, "path", None)
            if not path:
                continue
            for m in sorted(getattr(r, "methods", None) or {"GET"}):
                if m not in ("HEAD", "OPTIONS"):
                    out.append((m, path))

    walk(app.routes)
    return sorted(set(out))


def _call(opener, base: str, method: str, path: str) -> tuple[int, bytes]:
    url = base + re.sub(r"\{[^}]+\}", "x", path).replace("{", "").replace("}", "")
    data = b"{}" if method in ("POST", "PUT", "PATCH", "DELETE") else None
    req = urllib.request.Request(url, method=method, data=data, headers={"Content-Type": "application/json"})
    try:
        with opener.open(req, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture(scope="module")
def served(tmp_path_factory, suzhou_path: Path, bundled_embedder):
    from minutes_rag.ui import build_app
    from minutes_rag.ui.app import launch_app

    settings = Settings.load(
        env={}, data_dir=str(tmp_path_factory.mktemp("ui-auth")), port=_free_port(), auth="clerk:s3cret-minutes",
    )
    assistant = Assistant(settings, embedder=bundled_embedder)
    assistant.ingest([suzhou_path])
    app = build_app(assistant, lang="en")
    launch_app(app, settings, prevent_thread_lock=True, quiet=True)
    try:
        yield app, f"http://127.0.0.1:{settings.port}"
    finally:
        app.close()
        assistant.close()


def test_without_a_session_only_the_login_page_answers(served) -> None:
    app, base = served
    routes = _routes(app.server_app)
    assert len(routes) > 60, "the walk must see Gradio's own API routes too"
    opener = urllib.request.build_opener()
    leaks = []
    for method, path in routes:
        status, body = _call(opener, base, method, path)
        if is_public(path):
            assert b"code_snippets" not in body and b"named_endpoints" not in body, f"{method} {path} leaks the API"
            assert "市科技局".encode() not in body
            continue
        if status != 401:
            leaks.append(f"{method} {path} -> {status}")
    assert leaks == []
    status, page = _call(opener, base, "GET", "/")
    assert status == 200 and b"auth_required" in page


def test_with_a_session_the_page_and_the_api_work(served) -> None:
    app, base = served
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = urllib.parse.urlencode({"username": "clerk", "password": "s3cret-minutes"}).encode()
    with opener.open(urllib.request.Request(base + "/login", data=form, method="POST"), timeout=10) as resp:
        assert resp.status == 200
    status, page = _call(opener, base, "GET", "/")
    assert status == 200 and b"code_snippets" in page  # the full page for a logged-in user
    status, info = _call(opener, base, "GET", "/gradio_api/info")
    assert status == 200 and b"named_endpoints" in info
    wrong = urllib.parse.urlencode({"username": "clerk", "password": "nope"}).encode()
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.build_opener().open(urllib.request.Request(base + "/login", data=wrong, method="POST"), timeout=10)

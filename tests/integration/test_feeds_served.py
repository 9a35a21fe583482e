"""The running server (with --auth) serves an alert's feed at /feeds/<id>.atom: after an ingest
that adds a matching minute (the real Suzhou minute, the bundled model, a real Chroma) the
saved search's feed has an item that feedparser reads back from HTTP; without credentials the
feed answers 401, with the server's user and password (HTTP Basic, as feed readers send) it
answers."""

from __future__ import annotations

import base64
import socket
import urllib.error
import urllib.request
from pathlib import Path

import feedparser
import pytest

from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings
from minutes_rag.followup.alerts import Alerts

pytestmark = [pytest.mark.integration, pytest.mark.network]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, auth: tuple[str, str] | None = None) -> tuple[int, bytes]:
    headers = {}
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=20) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_the_served_feed_has_the_new_minute(tmp_path: Path, suzhou_path: Path, portland_path: Path,
                                             bundled_embedder) -> None:
    from minutes_rag.ui import build_app
    from minutes_rag.ui.app import launch_app

    settings = Settings.load(env={}, data_dir=str(tmp_path / "data"), port=_free_port(), auth="clerk:s3cret-minutes")
    assistant = Assistant(settings, embedder=bundled_embedder)
    assistant.ingest([portland_path])
    saved = Alerts(assistant.index).add("search", "政策性租赁住房", user="clerk")
    assistant.ingest([suzhou_path])
    app = build_app(assistant, lang="zh")
    launch_app(app, settings, prevent_thread_lock=True, quiet=True)
    try:
        url = f"http://127.0.0.1:{settings.port}{saved['feed']}"
        assert _get(url)[0] == 401
        assert _get(url, ("clerk", "wrong"))[0] == 401
        status, body = _get(url, ("clerk", "s3cret-minutes"))
        assert status == 200
        feed = feedparser.parse(body)
        assert not feed.bozo, feed.bozo_exception
        assert len(feed.entries) == 1 and "〔2020〕21号" in feed.entries[0].title
        assert "政策性租赁住房" in feed.entries[0].summary
        assert _get(f"http://127.0.0.1:{settings.port}/feeds/nope.atom", ("clerk", "s3cret-minutes"))[0] == 404
    finally:
        app.close()
        assistant.close()

"""A real ``serve`` for the tests of the OpenAI-compatible chat and the MCP server: the bundled
model, a real Chroma, the Suzhou minute ingested, the page launched with its /v1 and /mcp."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(data_dir: Path, minute: Path, embedder: Any, **settings: Any) -> Iterator[tuple[str, Settings]]:
    """Yields the base URL (http://127.0.0.1:PORT) of a launched server and its settings."""
    from minutes_rag.ui import build_app
    from minutes_rag.ui.app import launch_app

    s = Settings.load(env={}, data_dir=str(data_dir), port=free_port(), **settings)
    assistant = Assistant(s, embedder=embedder)
    assert assistant.ingest([minute]).added == 1
    app = build_app(assistant, lang="zh")
    launch_app(app, s, prevent_thread_lock=True, quiet=True)
    try:
        yield f"http://127.0.0.1:{s.port}", s
    finally:
        app.close()
        assistant.close()

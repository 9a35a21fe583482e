"""Puts the faces into a running ``serve``: the OpenAI routes, ``/mcp`` and the keys layer in
front of both (called by ``ui.app.launch_app`` after the page, its ``/api/ask`` and its gate)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from minutes_rag.config import Settings
from minutes_rag.serve import keys
from minutes_rag.serve.openai_api import Archive
from minutes_rag.serve.pool import AnswerPool
from minutes_rag.ui.api import AssistantAPI

log = logging.getLogger(__name__)


@dataclass
class ReadyArchive:
    """An Archive with nothing to wait for (``minutes-rag mcp``, tests)."""

    assistant: AssistantAPI
    ready: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.ready.set()


def make_pool(settings: Settings) -> AnswerPool:
    return AnswerPool(int(settings.ui_concurrency), int(settings.api_max_waiting))


def install(gradio_app: Any, archive: Archive, settings: Settings, pool: AnswerPool) -> None:
    """``/v1/models``, ``/v1/chat/completions`` and ``/mcp`` on the running app, behind the keys."""
    from minutes_rag.serve import mcp_server, openai_api

    openai_api.install(gradio_app, archive, pool)
    mcp_server.install(gradio_app, archive, pool)
    keys.install(gradio_app, keys.parse_keys(settings.api_keys.get_secret_value()))

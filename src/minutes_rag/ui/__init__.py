"""The Gradio chat. Importing this package loads nothing heavy; Gradio loads in build_app/launch."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from minutes_rag.config import Settings
    from minutes_rag.ui.api import AssistantAPI


def launch(settings: Settings) -> None:
    """Builds the Assistant from ``settings`` and serves the chat (host, port, auth from settings)."""
    from minutes_rag.ui.app import launch as _launch

    _launch(settings)


def build_app(assistant: AssistantAPI, **kwargs: Any) -> Any:
    """The gradio.Blocks page around ``assistant``, not launched (tests, embedding)."""
    from minutes_rag.ui.app import build_app as _build

    return _build(assistant, **kwargs)


__all__ = ["build_app", "launch"]

"""What the UI needs of an Assistant: the small Protocol the page and its handlers are typed
against. ``minutes_rag.assistant.Assistant`` satisfies it; so does the unit tests' fake."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from minutes_rag.model import Answer, Filters, Hit, IngestReport, Minute, Section, Turn

if TYPE_CHECKING:
    from minutes_rag.config import Settings
    from minutes_rag.ledger.model import LedgerEntry, LedgerFilter
    from minutes_rag.timeline import Timeline


class AssistantAPI(Protocol):
    settings: Settings

    @property
    def llm_available(self) -> bool: ...

    def ask_stream(
        self, question: str, *, filters: Filters = ..., k: int | None = ..., mode: str | None = ...,
        history: Sequence[Turn] = ...,
    ) -> Iterator[str | Answer]: ...

    def ask(
        self, question: str, *, filters: Filters = ..., k: int | None = ..., mode: str | None = ...,
        history: Sequence[Turn] = ...,
    ) -> Answer: ...

    def retrieve(self, question: str, *, filters: Filters = ..., k: int | None = ...) -> list[Hit]: ...

    def get_minute(self, ref: str) -> tuple[Minute, list[Section]]: ...

    def list_minutes(self) -> list[dict[str, Any]]: ...

    def resolve_minute(self, ref: str) -> str: ...

    def ingest(
        self, paths: Sequence[str | Path], *, prune: bool = ...,
        progress: Callable[[int, int, str], None] | None = ...,
        ocr_progress: Callable[[int, int, str, float], None] | None = ...,
    ) -> IngestReport: ...

    def not_found_text(self, lang: str) -> str: ...

    def answer_json(self, answer: Answer) -> dict[str, Any]: ...

    def actions(self, flt: LedgerFilter) -> list[LedgerEntry]: ...

    def timeline(self, topic: str, *, date_from: str = ..., date_to: str = ...) -> Timeline: ...

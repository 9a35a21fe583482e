"""LLM answerer: any OpenAI-compatible server through LangChain, or a local GGUF.

The reply streams out as it arrives; when it is complete its citation markers are
checked (answer.citations) and the final Answer carries verified quotes. If the server
cannot be reached or times out, the extractive answer is given instead, with mode
"llm-fallback-extractive" and a warning saying why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from minutes_rag.answer.base import Stopwatch, final_answer
from minutes_rag.answer.citations import check_reply
from minutes_rag.answer.evidence import evidence_score
from minutes_rag.answer.extractive import ExtractiveAnswerer
from minutes_rag.answer.lang import not_found_text
from minutes_rag.answer.prompts import build_messages
from minutes_rag.errors import AnswerError
from minutes_rag.model import Answer, Hit, Turn
from minutes_rag.query import Query, as_query

FALLBACK_MODE = "llm-fallback-extractive"


def describe_failure(exc: BaseException, timeout: float | None = None, where: str = "") -> str:
    """One line for Answer.warnings saying why the LLM could not answer."""
    name = type(exc).__name__
    at = f" at {where}" if where else ""
    chain = [exc]
    while chain[-1].__cause__ is not None and len(chain) < 5:
        chain.append(chain[-1].__cause__)
    names = " ".join(type(e).__name__ for e in chain).lower()
    if "timeout" in names or "timed out" in str(exc).lower():
        secs = f" after {timeout:g} s" if timeout else ""
        return f"LLM server{at} timed out{secs}; answered extractively"
    if "connect" in names:
        return f"LLM server{at} unreachable ({name}); answered extractively"
    if isinstance(exc, AnswerError):
        return f"{exc}; answered extractively"
    return f"LLM failed{at} ({name}: {str(exc)[:200]}); answered extractively"


def _delta_text(chunk: Any) -> str:
    content = getattr(chunk, "content", chunk)
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content blocks
        return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return str(content or "")


class LLMAnswerer:
    """Answers with a LangChain chat model; falls back to the extractive answerer.

    ``chat_model`` is a chat model or a zero-argument factory (built on first use, so a
    bad GGUF path or missing package turns into a fallback with a warning, not a crash).
    ``gate`` (an evidence threshold) skips the model when retrieval found nothing usable;
    by default only an empty hit list skips it.
    """

    mode = "llm"

    def __init__(
        self,
        chat_model: Any | Callable[[], Any],
        *,
        fallback: ExtractiveAnswerer | None = None,
        max_sources: int = 5,
        gate: float | None = None,
        timeout: float | None = None,
        where: str = "",
    ) -> None:
        self._model = None if callable(chat_model) and not hasattr(chat_model, "stream") else chat_model
        self._factory = chat_model if self._model is None else None
        self.fallback = fallback or ExtractiveAnswerer()
        self.max_sources = max_sources
        self.gate = gate
        self.timeout = timeout
        self.where = where

    def _get_model(self) -> Any:
        if self._model is None:
            self._model = self._factory()  # type: ignore[misc]
        return self._model

    @property
    def chat_model(self) -> Any | None:
        """The chat model (e.g. for rewrite_question), or None when it cannot be built
        (bad GGUF path, missing package): answering then falls back with a warning."""
        try:
            return self._get_model()
        except Exception:
            return None

    def answer(self, query: Query | str, hits: Sequence[Hit], history: Sequence[Turn] = ()) -> Answer:
        return final_answer(self.stream(query, hits, history))

    def stream(self, query: Query | str, hits: Sequence[Hit], history: Sequence[Turn] = ()) -> Iterator[str | Answer]:
        clock = Stopwatch()
        q = as_query(query)
        question, lang = q.text, q.lang
        hits = tuple(hits)
        if not hits or (self.gate is not None and evidence_score(q, hits, self.fallback.params) < self.gate):
            text = not_found_text(lang)
            yield text
            yield Answer(question, text, (), self.mode, hits, {"answer": clock.ms()}, found=False, rewrite=q.rewrite)
            return
        sources = hits[: self.max_sources]
        parts: list[str] = []
        try:
            messages = build_messages(question, sources, lang, history)
            for chunk in self._get_model().stream(messages):
                delta = _delta_text(chunk)
                if delta:
                    parts.append(delta)
                    yield delta
        except Exception as exc:  # any failure of the model or server: answer anyway
            reason = describe_failure(exc, self.timeout, self.where)
            fb = self.fallback.answer(q, hits, history)
            fb = replace(fb, mode=FALLBACK_MODE, warnings=(*fb.warnings, reason), timings_ms={"answer": clock.ms()})
            # streamed consumers that only concatenate deltas still get a readable answer
            # when nothing came before; after partial output the final Answer replaces it
            yield fb.text if not parts else "\n\n" + fb.text
            yield fb
            return
        checked = check_reply("".join(parts), sources, lang)
        yield Answer(
            question=question,
            text=checked.text,
            citations=checked.citations,
            mode=self.mode,
            hits=hits,
            timings_ms={"answer": clock.ms()},
            found=checked.found,
            warnings=checked.warnings,
            rewrite=q.rewrite,
        )

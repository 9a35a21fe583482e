"""LLM answerer: any OpenAI-compatible server through LangChain, or a local GGUF.

The model gets the sources' sentences numbered as untrusted data (answer.grounded) and
cites sentence numbers; the answer shown is its reply followed by the cited sentences,
verbatim. The reply streams out as it arrives; the final Answer replaces it once checked.

A reply that is only markers, cites nothing, or states numbers or names its cited sentences
do not hold is asked for once more; if the second reply fails too, or the server cannot be
reached, or the whole answer runs past its deadline (``timeout``: one total for every
request of the answer, not per read), the extractive answer is given instead, with mode
"llm-fallback-extractive" and a warning saying why. Sources are cut to fit the model's
context (``context_tokens``), largest first, each cut named in a warning.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from minutes_rag.answer.base import Stopwatch, final_answer
from minutes_rag.answer.evidence import evidence_hits, evidence_score
from minutes_rag.answer.extractive import ExtractiveAnswerer, cross_lingual_notes
from minutes_rag.answer.grounded import approx_tokens, check_grounded, number_sources
from minutes_rag.answer.lang import not_found_text
from minutes_rag.answer.prompts import SYSTEM, build_messages
from minutes_rag.errors import AnswerError
from minutes_rag.model import Answer, Hit, Turn
from minutes_rag.notices import LLM_FALLBACK, LLM_RETRY, Notice
from minutes_rag.query import Query, as_query

log = logging.getLogger(__name__)

FALLBACK_MODE = "llm-fallback-extractive"
# the model's context when neither the server nor the settings say (llama.cpp's default)
DEFAULT_CONTEXT_TOKENS = 4096
# tokens kept free beyond the prompt and the reply (chat template, a retry's extra turn)
_SLACK = 300


class DeadlineExceeded(AnswerError):
    """The LLM answer ran past its total deadline."""


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
    ``gate`` (an evidence threshold; default: the fallback's not-found threshold) skips
    the model when retrieval found nothing usable. ``timeout`` is the total deadline of one
    answer in seconds (None: none). ``context_tokens`` is the model's window, or a callable
    asked once (the server's own figure); ``reply_tokens`` the longest reply.
    """

    mode = "llm"

    def __init__(
        self,
        chat_model: Any | Callable[[], Any],
        *,
        fallback: ExtractiveAnswerer | None = None,
        max_sources: int = 3,
        gate: float | None = None,
        timeout: float | None = None,
        where: str = "",
        context_tokens: int | Callable[[], int | None] | None = None,
        reply_tokens: int = 400,
    ) -> None:
        self._model = None if callable(chat_model) and not hasattr(chat_model, "stream") else chat_model
        self._factory = chat_model if self._model is None else None
        self.fallback = fallback or ExtractiveAnswerer()
        self.max_sources = max_sources
        self.gate = self.fallback.threshold if gate is None else gate
        self.timeout = timeout
        self.where = where
        self._context = context_tokens
        self.reply_tokens = reply_tokens

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
        except Exception as exc:  # noqa: BLE001 - building a model raises many kinds; answering falls back
            log.warning("the chat model cannot be built (%s: %s)", type(exc).__name__, exc)
            return None

    def context_tokens(self) -> int:
        """The model's context window: the configured figure, else what the server says,
        else DEFAULT_CONTEXT_TOKENS."""
        if callable(self._context):
            try:
                found = self._context()
            except Exception:  # noqa: BLE001 - a server that cannot say: the default
                found = None
            self._context = found or DEFAULT_CONTEXT_TOKENS
        return int(self._context or DEFAULT_CONTEXT_TOKENS)

    def budget(self, question: str, lang: str) -> int:
        """Tokens the numbered sentences may take."""
        fixed = approx_tokens(SYSTEM["zh" if lang == "zh" else "en"]) + approx_tokens(question) + _SLACK
        return max(200, self.context_tokens() - self.reply_tokens - fixed)

    def answer(self, query: Query | str, hits: Sequence[Hit], history: Sequence[Turn] = ()) -> Answer:
        return final_answer(self.stream(query, hits, history))

    def _fallback(self, q: Query, hits: Sequence[Hit], history: Sequence[Turn], reason: str,
                  warnings: Sequence[str], clock: Stopwatch) -> Answer:
        fb = self.fallback.answer(q, hits, history)
        return replace(fb, mode=FALLBACK_MODE, warnings=(*warnings, *fb.warnings, Notice(LLM_FALLBACK, reason)),
                       timings_ms={"answer": clock.ms()})

    def _collect(self, messages: list[Any], deadline: float | None) -> Iterator[str]:
        """The model's reply as deltas; DeadlineExceeded past ``deadline`` (a monotonic
        time). The stream is read in a thread, so a server that stalls mid-read cannot hold
        the answer past its deadline."""
        model = self._get_model()
        if deadline is None:
            for chunk in model.stream(messages):
                delta = _delta_text(chunk)
                if delta:
                    yield delta
            return
        box: queue.Queue[tuple[str, Any]] = queue.Queue()
        stop = threading.Event()

        def pump() -> None:
            try:
                for chunk in model.stream(messages):
                    if stop.is_set():
                        return
                    box.put(("delta", _delta_text(chunk)))
                box.put(("end", None))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller, which decides
                box.put(("error", exc))

        threading.Thread(target=pump, name="llm-answer", daemon=True).start()
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                stop.set()
                raise DeadlineExceeded(f"LLM answer not complete within {self.timeout:g} s")
            try:
                kind, value = box.get(timeout=left)
            except queue.Empty:
                continue
            if kind == "end":
                return
            if kind == "error":
                raise value
            if value:
                yield value

    def stream(self, query: Query | str, hits: Sequence[Hit], history: Sequence[Turn] = ()) -> Iterator[str | Answer]:
        clock = Stopwatch()
        q = as_query(query)
        question, lang = q.text, q.lang
        hits = tuple(hits)
        if not hits or evidence_score(q, hits, self.fallback.params) < self.gate:
            text = not_found_text(lang)
            yield text
            yield Answer(question, text, (), self.mode, hits, {"answer": clock.ms()}, found=False, rewrite=q.rewrite)
            return
        sources = evidence_hits(q, hits, self.fallback.params)[: self.max_sources]
        numbered = number_sources(question, sources, lang, budget_tokens=self.budget(question, lang))
        warnings: list[str] = list(numbered.warnings)
        if not numbered.sentences:
            yield (fb := self._fallback(q, hits, history, "no source sentence could be given to the LLM; "
                                        "answered extractively", warnings, clock)).text
            yield fb
            return
        deadline = time.monotonic() + self.timeout if self.timeout else None
        shown = False
        retry: tuple[str, str] | None = None
        for attempt in (1, 2):
            parts: list[str] = []
            try:
                messages = build_messages(question, numbered.data, lang, history, retry=retry)
                for delta in self._collect(messages, deadline):
                    parts.append(delta)
                    if attempt == 1:
                        shown = True
                        yield delta
            except Exception as exc:  # noqa: BLE001 - any failure of the model or server: answer anyway
                reason = describe_failure(exc, self.timeout, self.where)
                log.warning("LLM answer failed: %s", reason)
                fb = self._fallback(q, hits, history, reason, warnings, clock)
                # streamed consumers that only concatenate deltas still get a readable answer
                # when nothing came before; after partial output the final Answer replaces it
                yield fb.text if not shown else "\n\n" + fb.text
                yield fb
                return
            reply = "".join(parts)
            checked = check_grounded(reply, numbered, question, lang, cue=q.cue)
            warnings.extend(w for w in checked.warnings if w not in warnings)
            if checked.found:
                if retry is not None:
                    warnings.append(Notice(LLM_RETRY, f"the LLM's first reply was rejected ({retry[1]}); this is its second"))
                ids = {c.section_id for c in checked.citations}
                warnings.extend(cross_lingual_notes(q, [h for h in sources if h.section.section_id in ids]))
                yield Answer(question, checked.text, checked.citations, self.mode, hits, {"answer": clock.ms()},
                             found=True, warnings=tuple(warnings), rewrite=q.rewrite)
                return
            if not checked.problem:
                # the model found nothing in the sentences it was given; the evidence gate
                # found enough to answer, so the answer is the extractive one, flagged
                reason = "the LLM found no answer in the sources; answered extractively"
                break
            log.info("LLM reply rejected (attempt %d): %s", attempt, checked.problem)
            retry = (reply, checked.problem)
            reason = f"LLM reply not shown ({checked.problem}); answered extractively"
        fb = self._fallback(q, hits, history, reason, warnings, clock)
        yield ("\n\n" if shown else "") + fb.text
        yield fb

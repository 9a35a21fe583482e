"""What the page's events do, as plain functions over an Assistant (no Gradio here).

The Gradio wiring in ``ui.app`` only maps components to these arguments, so unit tests
drive the chat, the source viewer and uploads with a fake assistant.
"""

from __future__ import annotations

import itertools
import logging
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minutes_rag.errors import InvalidRequest, MinutesRagError, NotFound
from minutes_rag.model import Answer, Filters, Turn, filters_from_flags
from minutes_rag.notices import INDEX_BUSY, INSTRUCTION_DROPPED, KEYWORD_ONLY, LLM_FALLBACK, Notice, code_of
from minutes_rag.ui import render
from minutes_rag.ui.api import AssistantAPI
from minutes_rag.ui.i18n import t
from minutes_rag.validation import parse_date

log = logging.getLogger(__name__)

# the formats the parsers read; kept here too so the upload check does not import them
UPLOAD_TYPES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".png", ".jpg", ".jpeg", ".tif", ".tiff")
STREAM_EVERY_S = 0.05  # at most ~20 repaints a second while an answer streams
WARM_WAIT_S = 600.0  # a question asked during warm-up waits at most this long for it


@dataclass
class ChatState:
    """One browser session's conversation: what is shown and the Answers behind it."""

    views: list[render.TurnView] = field(default_factory=list)
    answers: list[Answer | None] = field(default_factory=list)

    def history(self) -> list[Turn]:
        return [Turn(v.question, a) for v, a in zip(self.views, self.answers) if a is not None]


def check_date(value: str, lang: str) -> str:
    # the one validation (validation.py): a real calendar day, not only its shape
    try:
        return parse_date(value, "date")
    except InvalidRequest:
        raise ValueError(t("bad_date", lang, value=(value or "").strip())) from None


def localise_warning(warning: str, lang: str) -> str:
    """A warning in the page's language, chosen by its code (notices.py), never by parsing
    its English text; one without a translation as it is."""
    code = code_of(warning)
    params = warning.params if isinstance(warning, Notice) else {}
    if code == INDEX_BUSY:
        return t("busy_note", lang)
    if code == KEYWORD_ONLY:
        return t("dense_note", lang, why=params.get("why", ""))
    if code == INSTRUCTION_DROPPED:
        return t("instruction_note", lang)
    if code == LLM_FALLBACK:
        return t("fallback_note", lang, why=str(warning))
    return warning


def invalid_message(exc: InvalidRequest, lang: str) -> str:
    m = re.match(r"the question is (\d+) characters long; the limit is (\d+)", exc.problem)
    if m:
        return t("too_long", lang, n=m.group(1), limit=m.group(2))
    return t("invalid", lang, msg=exc.problem)


def make_filters(date_from: str, date_to: str, minute_id: str, lang: str) -> Filters:
    a, b = check_date(date_from, lang), check_date(date_to, lang)
    if a and b and a > b:
        raise ValueError(t("bad_range", lang))
    return filters_from_flags({"from": a, "to": b, "minute": minute_id})


class Handlers:
    """The chat, the viewer and the archive, over one Assistant shared by all sessions."""

    def __init__(self, assistant: AssistantAPI, *, upload_dir: Path | None = None, max_upload_mb: float | None = None) -> None:
        self.assistant = assistant
        settings = assistant.settings
        self.max_upload_mb = float(max_upload_mb if max_upload_mb is not None else settings.max_upload_mb)
        self.upload_dir = upload_dir or Path(settings.data_path) / "uploads"
        # one upload ingests at a time; questions take no lock (they read the index through
        # a connection per thread and run in parallel up to the queue's concurrency limit)
        self.lock = threading.RLock()
        # set when warm_up has loaded the model and indexes: a question that comes earlier
        # waits for it, with a note on the page (the page itself is served at once)
        self.ready = threading.Event()
        self.ready.set()  # until start_warm_up: a page built without one (tests) is ready
        self.warm_error = ""
        self._opened = itertools.count(1)
        # the one pool of answering slots: the chat, Gradio's /ask API and the JSON route
        # (``ui.rest``) all answer inside it, so together they never run more than
        # ``ui_concurrency`` questions at once, whichever way users come
        self.slots = threading.BoundedSemaphore(max(1, int(getattr(settings, "ui_concurrency", 16))))

    # -- chat --------------------------------------------------------------------------------
    def llm_available(self) -> bool:
        return bool(self.assistant.llm_available)

    def default_mode(self) -> str:
        mode = self.assistant.settings.mode
        return mode if mode == "llm" and self.llm_available() else "extractive"

    def chat(
        self, question: str, state: ChatState, date_from: str, date_to: str, minute_id: str, mode: str, lang: str
    ) -> Iterator[tuple[str, ChatState]]:
        """Yields (conversation HTML, state) while the answer streams; the last one is final."""
        question = (question or "").strip()
        if not question:
            yield render.conversation_html(state.views, lang), state
            return
        view = render.TurnView(question=question, pending=True, mode=mode or "")
        state.views.append(view)
        state.answers.append(None)
        try:
            filters = make_filters(date_from, date_to, minute_id, lang)
        except ValueError as exc:
            view.pending, view.error = False, str(exc)
            yield render.conversation_html(state.views, lang), state
            return
        if not self.ready.is_set():
            view.note = t("warming", lang)
        yield render.conversation_html(state.views, lang), state
        if not self.ready.is_set():
            self.ready.wait(WARM_WAIT_S)
            view.note = ""
            yield render.conversation_html(state.views, lang), state
        history = state.history()
        with self.slots:
            yield from self._answer(question, state, view, filters, mode, lang, history)

    def _answer(
        self, question: str, state: ChatState, view: render.TurnView, filters: Filters, mode: str, lang: str,
        history: Any,
    ) -> Iterator[tuple[str, ChatState]]:
        try:
            stream = self.assistant.ask_stream(question, filters=filters, mode=mode or None, history=history)
            first = next(stream, None)  # retrieval runs before the first item
            last = 0.0
            items = [] if first is None else [first]
            final: Answer | None = None
            for item in _chain(items, stream):
                if isinstance(item, Answer):
                    final = item
                    continue
                view.text += item
                now = time.perf_counter()
                if now - last >= STREAM_EVERY_S:
                    last = now
                    yield render.conversation_html(state.views, lang), state
            if final is None:
                raise RuntimeError("the answer stream ended without an answer")
        except InvalidRequest as exc:
            view.pending, view.error = False, invalid_message(exc, lang)
            yield render.conversation_html(state.views, lang), state
            return
        except MinutesRagError as exc:
            log.warning("question not answered: %s", exc)  # handled: one line, no traceback
            view.pending, view.error = False, t("error", lang, msg=str(exc))
            yield render.conversation_html(state.views, lang), state
            return
        except Exception as exc:  # noqa: BLE001 - the page must say something rather than hang
            log.exception("answering %r failed", question)
            view.pending, view.error = False, t("error", lang, msg=f"{type(exc).__name__}: {exc}")
            yield render.conversation_html(state.views, lang), state
            return
        state.answers[-1] = final
        self._fill(view, final, lang)
        yield render.conversation_html(state.views, lang), state

    def _fill(self, view: render.TurnView, answer: Answer, lang: str) -> None:
        view.pending = False
        view.mode = answer.mode
        view.found = answer.found
        view.warnings = [localise_warning(w, lang) for w in answer.warnings]
        if answer.found:
            view.text = answer.text  # authoritative: markers are renumbered after streaming
            view.citations = [c.to_dict() for c in answer.citations]
        else:
            view.text = self.assistant.not_found_text(lang)
            view.citations = []

    def clear(self, lang: str) -> tuple[str, ChatState, str]:
        state = ChatState()
        return render.conversation_html(state.views, lang), state, render.placeholder_html(t("viewer_empty", lang))

    def rerender(self, state: ChatState, lang: str) -> str:
        # a language switch also changes the not-found text already on screen
        for view, answer in zip(state.views, state.answers):
            if answer is not None and not answer.found:
                view.text = self.assistant.not_found_text(lang)
        return render.conversation_html(state.views, lang)

    # -- the source viewer -------------------------------------------------------------------
    def open_citation(self, key: str, state: ChatState, lang: str) -> str:
        """The minute behind citation ``key`` ("turn:n") of this session, its quote marked.

        Only citations the server itself produced can be opened: the key is looked up in the
        session's answers, and the minute is read from the index by its id.
        """
        try:
            turn_s, n_s = str(key).split(":", 1)
            view = state.views[int(turn_s)]
            cite = next(c for c in view.citations if int(c["n"]) == int(n_s))
        except (ValueError, IndexError, StopIteration, TypeError):
            return render.placeholder_html(t("viewer_empty", lang))
        return self.open_minute(cite["minute_id"], lang, quote=(int(cite["start"]), int(cite["end"])), cite=cite)

    def open_minute(
        self, minute_id: str, lang: str, *, quote: tuple[int, int] | None = None, cite: dict | None = None
    ) -> str:
        try:
            minute, sections = self.assistant.get_minute(minute_id)
        except NotFound:
            return render.placeholder_html(t("viewer_missing", lang))
        section = None
        if quote is not None:
            for s in sections:
                if s.start <= quote[0] < s.end:
                    section = (s.start, s.end)
                    break
        meta = {"minute_id": minute.minute_id, **minute.meta.to_dict()}
        heading = ""
        if cite is not None:
            heading = f"[{cite['n']}] {cite.get('label') or ''} {cite.get('title') or ''}".strip()
            page = render.page_label(cite, lang)
            heading = f"{heading} · {page}" if page else heading
        return render.minute_html(
            meta, minute.text, lang, quote=quote, section=section, heading=heading, nonce=next(self._opened)
        )

    # -- the archive -------------------------------------------------------------------------
    def minutes(self) -> list[dict]:
        return list(self.assistant.list_minutes())

    def minute_choices(self, lang: str) -> list[tuple[str, str]]:
        return [(t("all_minutes", lang), "")] + [(render.minute_choice(m), m["minute_id"]) for m in self.minutes()]

    def archive_rows(self) -> list[list[Any]]:
        return render.archive_rows(self.minutes())

    def ingest(
        self, files: Sequence[Any] | None, lang: str, progress: Callable[[float, str], None] | None = None
    ) -> str:
        """Checks, copies and ingests uploaded files; returns the result as HTML.

        Each upload is copied under the data directory with its own file name, so that
        uploading the same file again updates that minute instead of adding a copy.
        """
        errors: list[tuple[str, str]] = []
        accepted: list[Path] = []
        limit = self.max_upload_mb * 1024 * 1024
        for f in files or []:
            src = Path(getattr(f, "name", None) or str(f))
            name = _safe_name(src.name)
            ext = Path(name).suffix.lower()
            if ext not in UPLOAD_TYPES:
                errors.append((name, t("bad_type", lang, ext=ext or "(none)")))
                continue
            try:
                size = src.stat().st_size
            except OSError as exc:
                errors.append((name, str(exc.strerror or exc)))
                continue
            if size > limit:
                errors.append((name, t("too_big", lang, size=size / 1024 / 1024, mb=_fmt_mb(self.max_upload_mb))))
                continue
            self.upload_dir.mkdir(parents=True, exist_ok=True)
            dest = self.upload_dir / name
            shutil.copyfile(src, dest)
            accepted.append(dest)
        if not accepted:
            summary = t("ingest_none", lang)
            return render.ingest_html(summary, errors, lang)

        def on_progress(done: int, total: int, path: str) -> None:
            if progress is not None:
                progress(done / max(total, 1), Path(path).name)

        def on_ocr(done: int, total: int, path: str, rate: float) -> None:
            # a scan takes seconds a page: the bar follows its pages
            if progress is not None:
                progress(done / max(total, 1), t("ocr_progress", lang, name=Path(path).name, done=done, total=total,
                                                 rate=rate))

        try:
            with self.lock:
                report = self.assistant.ingest(accepted, progress=on_progress, ocr_progress=on_ocr)
        except MinutesRagError as exc:  # another process is ingesting, a read-only index, ...
            log.warning("upload not ingested: %s", exc)
            return render.ingest_html(t("error", lang, msg=str(exc)), errors, lang)
        for e in report.errors:
            errors.append((Path(e.get("path", "")).name, e.get("error", "")))
        summary = t(
            "ingest_done", lang, added=report.added, updated=report.updated, unchanged=report.unchanged,
            failed=report.failed + (len(errors) - len(report.errors)),
        )
        return render.ingest_html(summary, errors, lang, reads=report.minutes_read, warnings=report.warning_details)

    # -- the API -----------------------------------------------------------------------------
    def api_ask(self, question: str, date_from: str = "", date_to: str = "", minute_id: str = "", mode: str = "") -> dict:
        filters = make_filters(date_from, date_to, minute_id, "en")
        self.ready.wait(WARM_WAIT_S)
        try:
            with self.slots:
                answer = self.assistant.ask(question, filters=filters, mode=mode or None)
        except InvalidRequest as exc:
            raise ValueError(exc.problem) from None
        out = dict(self.assistant.answer_json(answer))
        out["found"] = bool(answer.found)
        return out

    def start_warm_up(self) -> threading.Thread:
        """Warms up in the background (the page is served meanwhile)."""
        self.ready.clear()
        thread = threading.Thread(target=self.warm_up, name="warm-up", daemon=True)
        thread.start()
        return thread

    def warm_up(self) -> None:
        """Loads the model, Chroma, the BM25 index and the answerer, and answers one question,
        so that the first user's is not the slow one; then marks the server ready."""
        try:
            warm = getattr(self.assistant, "warm_up", None)
            if callable(warm):
                warm()
            else:
                self.assistant.retrieve("warm up")
        except Exception as exc:  # noqa: BLE001 - an empty archive or a config problem shows on first ask
            log.warning("warm-up skipped: %s", exc)
            self.warm_error = f"{type(exc).__name__}: {exc}"
        finally:
            self.ready.set()

    def status(self, lang: str) -> str:
        """The page's readiness line."""
        if not self.ready.is_set():
            return t("status_warming", lang)
        if self.warm_error:
            return t("status_failed", lang, msg=self.warm_error[:200])
        return t("status_ready", lang)


def _chain(first: list, rest: Iterator) -> Iterator:
    yield from first
    yield from rest


def _safe_name(name: str) -> str:
    # a file name only: no directories, no leading dots, no control characters
    name = Path(name.replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f/]", "_", name).lstrip(".") or "upload"
    return name[:200]


def _fmt_mb(mb: float) -> str:
    return f"{mb:g}"

"""The composition root: the one place that turns Settings into concrete parts.

``build_assistant(settings)`` is the only wiring; the CLI, the UI, the evaluation and the
benchmarks all start from it and then talk to the Assistant's public API (ingest, ask,
retrieve, the archive, ``llm_available``, ``resolve_minute``). The factories it uses
(``wiring.py``, re-exported here) are the only code that names concrete embedders, chat
models, rerankers and answerers; the ledger's reading and question routing
(``ledger_routing.py``) and the JSON shapes (``present.py``) are called from here.
Everything heavy (the model, Chroma, jieba, LangChain) is created on first use, not here.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from minutes_rag import present
from minutes_rag.cache import QUERY_VECTOR_CACHE, AnswerCache, QueryVectors
from minutes_rag.config import Settings
from minutes_rag.embed import Embedder
from minutes_rag.errors import DenseUnavailable
from minutes_rag.index import StateIndex
from minutes_rag.ledger_routing import LedgerReader, routed_answer, topic_timeline
from minutes_rag.lock import WriterLock, is_locked
from minutes_rag.model import Answer, Filters, Hit, IngestReport, Minute, Section, Turn
from minutes_rag.notices import BUSY_NOTE, DENSE_NOTE, INDEX_BUSY, INDEX_CHECK, Notice, keyword_only
from minutes_rag.store import ChromaStore, collection_name
from minutes_rag.validation import Request
from minutes_rag.wiring import (
    ANSWER_MODES,
    GGUF_CONTEXT,
    build_answerer,
    build_embedder,
    chat_model_from_settings,
    embedder_from_settings,
    reranker_from_settings,
    server_context_tokens,
)

if TYPE_CHECKING:
    from minutes_rag.answer.base import Answerer
    from minutes_rag.followup.board import FollowupBoard
    from minutes_rag.ingestion import Ingestor
    from minutes_rag.ledger.model import LedgerEntry, LedgerFilter
    from minutes_rag.parse.ocr.run import OcrOptions, OcrProgress
    from minutes_rag.query import Query
    from minutes_rag.retrieve import Retriever
    from minutes_rag.timeline import Timeline

log = logging.getLogger(__name__)


__all__ = [
    "ANSWER_MODES", "BUSY_NOTE", "DENSE_NOTE", "GGUF_CONTEXT", "Assistant", "build_answerer", "build_assistant",
    "build_embedder", "chat_model_from_settings", "embedder_from_settings", "reranker_from_settings",
    "server_context_tokens",
]


def build_assistant(settings: Settings, *, embedder: Embedder | None = None, chat_model: Any = None) -> Assistant:
    """The Assistant for ``settings``: the one entry point of the wiring.

    ``embedder`` and ``chat_model`` replace the configured ones (tests inject a hash
    embedder or a scripted chat model; the evaluation shares one embedder)."""
    return Assistant(settings, embedder=embedder, chat_model=chat_model)


class Assistant:
    """Ingest and ask over one data directory. Build it with ``build_assistant``."""

    def __init__(self, settings: Settings, *, embedder: Embedder | None = None, chat_model: Any = None) -> None:
        self.settings = settings
        self._embedder = embedder
        self._chat_model = chat_model  # a LangChain chat model; tests inject fakes
        self._index: StateIndex | None = None
        self._store: ChromaStore | None = None
        self._retriever: Retriever | None = None
        self._answerers: dict[str, Answerer] = {}
        self._checked = False
        self._ingest_started = time.time()
        self._generation: int | None = None
        self._lock: WriterLock | None = None
        self._open_lock = threading.Lock()
        self.notes: list[str] = []  # what the reader's self-check found (shown with answers, logged)
        self._ledger = LedgerReader(lambda: self._generation)  # stale minutes' ledgers, read afresh
        # answers to questions asked again; emptied whenever the index changes
        self._answers: AnswerCache[Answer] = AnswerCache(settings.answer_cache)
        self._query_vectors = QueryVectors(QUERY_VECTOR_CACHE)

    # -- parts, built lazily --------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            from minutes_rag.precision import follow_archive

            embedder = embedder_from_settings(self.settings)
            name = collection_name(self.settings.collection_prefix, embedder.name)
            follow_archive(embedder, self.index.recorded_precisions(name))
            self._embedder = embedder
        return self._embedder

    @property
    def index(self) -> StateIndex:
        if self._index is None:
            self._index = StateIndex(self.settings.data_path)
        return self._index

    @property
    def store(self) -> ChromaStore:
        if self._store is None:
            self._store = ChromaStore(
                self.settings.data_path,
                collection_name(self.settings.collection_prefix, self.embedder.name),
                url=self.settings.chroma_url,
                ef_search=self.settings.hnsw_ef_search,
            )
        return self._store

    def writer_lock(self, *, wait: float = 0.0, on_wait: Callable[[str], None] | None = None) -> WriterLock:
        """The data dir's writer lock (held by ``ingest`` and ``doctor --repair``)."""
        if self._lock is None:
            self._lock = WriterLock(self.settings.data_path)
        self._lock.wait, self._lock.on_wait = wait, on_wait
        return self._lock

    def _ingestor(
        self, *, wait: float = 0.0, on_wait: Callable[[str], None] | None = None, ocr_progress: OcrProgress | None = None
    ) -> Ingestor:
        from minutes_rag.ingestion import Ingestor

        return Ingestor(
            self.index, self.store, self.embedder,
            max_file_bytes=int(self.settings.max_file_mb * 1024 * 1024),
            section_max_chars=self.settings.section_max_chars,
            lock=self.writer_lock(wait=wait, on_wait=on_wait),
            follow_symlinks=self.settings.follow_symlinks,
            ledger_model=self._ledger_model() if self.settings.ledger_llm else None,

            ocr=self._ocr_options(ocr_progress),
            after=self._after_ingest,
            batch_sections=self.settings.ingest_batch_sections,
        )

    def _ocr_options(self, progress: OcrProgress | None) -> OcrOptions | None:
        from minutes_rag.parse.ocr.run import OcrOptions

        s = self.settings
        if s.ocr_engine == "off":
            return None
        return OcrOptions(
            engine=s.ocr_engine, workers=s.ocr_workers or os.cpu_count() or 1,
            cache_dir=str(s.data_path / "ocr-cache"), min_confidence=s.ocr_min_confidence, progress=progress,
        )

    def _ledger_model(self) -> Any:
        """The chat model of the ledger's LLM pass (``ledger_llm``): the injected one or the
        configured endpoint; a clear error when none is configured."""
        from minutes_rag.errors import ConfigError

        if self._chat_model is not None:
            return self._chat_model
        if not self.settings.llm_configured:
            raise ConfigError("ledger_llm is on but no LLM is configured (set llm_base_url and llm_model, or gguf_path)")
        return chat_model_from_settings(self.settings)

    def _after_ingest(self, index: StateIndex, report: IngestReport) -> None:
        """The follow-up after the minutes are in (trails, alerts, reminders: followup/)."""
        from minutes_rag.followup.after_ingest import follow_up

        follow_up(index, report, since=self._ingest_started)

    def _writer_elsewhere(self) -> bool:
        """True while another process holds the writer lock (our own ingest does not count)."""
        if self._lock is not None and self._lock.held:
            return False
        return is_locked(self.settings.data_path)

    def _refresh(self) -> None:
        """Readers: notice a commit by any writer (this process or another) and reopen Chroma,
        whose embedded client keeps its index in memory; check the counts once. Readers never
        write: repairs are the writer's (the next ingest, or ``doctor --repair``)."""
        with self._open_lock:
            gen = self.index.generation()
            if self._generation is not None and gen != self._generation:
                log.info("the index changed (generation %s -> %s): reopening it", self._generation, gen)
                if self._store is not None:
                    self._store.reopen()
                self._retriever = None  # new jieba words
                self._answers.clear()
            self._generation = gen
            if not self._checked and not self._writer_elsewhere():
                self._checked = True
                self._self_check()

    def _self_check(self, *, count: bool = False) -> None:
        """What the last writer recorded (constant time: no Chroma). Chroma is counted only
        when ``count`` (a server's background warm-up) or when no writer recorded the current
        generation (an index written by an older version, or a writer that died between
        minutes)."""
        from minutes_rag import doctor

        check = None if count else doctor.recorded_check(self.index, self.store.collection_name)
        if check is None:
            check = doctor.quick_check(self.index, self.store)
        self.notes = [] if check.ok else [
            Notice(INDEX_CHECK, p) for p in [
                *check.problems(),
                "answers may miss passages until the next `minutes-rag ingest` or `minutes-rag doctor --repair`",
            ]
        ]
        if self.notes:
            log.warning("index self-check: %s", "; ".join(self.notes))

    def doctor(self, *, repair: bool = False, wait: float = 0.0) -> Any:
        """The full consistency check (``minutes-rag doctor``); with ``repair``, under the
        writer lock, rebuild missing vectors from the cache and remove strays."""
        from minutes_rag import doctor
        from minutes_rag.precision import planned_precision

        used = planned_precision(self.embedder)
        if not repair:
            return doctor.full_check(self.index, self.store, self.embedder.name, precision=used)
        with self.writer_lock(wait=wait):
            self.store.create = True
            self._ingestor().recover()
            from minutes_rag.ingestion import refresh_ledger

            refresh_ledger(self.index)  # a ledger of an older extractor, re-extracted and stored
            check = doctor.full_check(self.index, self.store, self.embedder.name, precision=used)
            if not check.ok:
                doctor.repair(self.index, self.store, check, self.embedder.name, embedder=self.embedder)
            doctor.record_check(self.index, self.store)
        self.notes = []
        return check

    @property
    def retriever(self) -> Retriever:
        if self._retriever is None:
            from minutes_rag.lexical import add_user_words
            from minutes_rag.retrieve import RetrievalConfig, Retriever

            s = self.settings
            reranker = reranker_from_settings(s)
            add_user_words(self.index.lexicon())
            self._retriever = Retriever(
                self.index, self.store, self.embedder,
                RetrievalConfig(
                    k=s.k, candidates=s.candidates, dense_weight=s.dense_weight,
                    lexical_weight=s.lexical_weight, rrf_k=s.rrf_k, structure_rerank=s.structure_rerank,
                ),
                reranker,
                self._query_vectors,
            )
        return self._retriever

    @property
    def llm_available(self) -> bool:
        """Whether the "llm" mode can be asked for (a server, a GGUF or an injected model)."""
        return bool(self.settings.llm_configured or self._chat_model is not None)

    def answerer(self, mode: str | None = None) -> Answerer:
        mode = mode or self.settings.mode
        if mode not in self._answerers:
            self._answerers[mode] = build_answerer(self.settings, mode, chat_model=self._chat_model)
        return self._answerers[mode]

    # -- ingest ---------------------------------------------------------------------------
    def ingest(
        self, paths: Sequence[str | Path], *, prune: bool = False,
        progress: Callable[[int, int, str], None] | None = None,
        wait: float = 0.0, on_wait: Callable[[str], None] | None = None, ocr_progress: OcrProgress | None = None,
    ) -> IngestReport:
        """Ingest under the data dir's writer lock; ``wait`` seconds for another writer to
        finish (0: ``IndexBusy`` at once), ``on_wait`` gets a progress line meanwhile;
        ``ocr_progress`` gets (pages done, pages, file, pages/s) while a scan is read."""
        wait = wait or self.settings.lock_wait
        self._ingest_started = time.time()  # the minutes written from now on are new to the alerts
        ingestor = self._ingestor(wait=wait, on_wait=on_wait, ocr_progress=ocr_progress)
        report = ingestor.run([Path(p) for p in paths], prune=prune, progress=progress)
        self._checked = True
        self.notes = []
        self._retriever = None  # pick up new jieba words
        # our own writes are already in our Chroma client: no reopen for them (a reopen
        # closes the client under any question being answered in another thread)
        with self._open_lock:
            self._generation = self.index.generation()
            self._answers.clear()
        return report

    # -- ask ------------------------------------------------------------------------------
    def retrieve(
        self, question: str | Query, *, filters: Filters = Filters(), k: int | None = None,
        boost_minutes: Sequence[str] = (),
    ) -> list[Hit]:
        return self.retrieve_noted(question, filters=filters, k=k, boost_minutes=boost_minutes)[0]

    def retrieve_noted(
        self, question: str | Query, *, filters: Filters = Filters(), k: int | None = None,
        boost_minutes: Sequence[str] = (),
    ) -> tuple[list[Hit], list[str]]:
        """Hits, and the warnings a user must see (the dense index unavailable, say)."""
        self._refresh()
        dense = True
        notes: list[str] = []
        if not self.settings.chroma_url and self._writer_elsewhere():
            # an embedded Chroma being written by another process is not safe to read
            dense = False
            notes.append(Notice(INDEX_BUSY, BUSY_NOTE))
        retriever = self.retriever
        try:
            hits = retriever.retrieve(question, filters, k, boost_minutes, dense=dense)
        except DenseUnavailable as exc:
            log.warning("dense retrieval unavailable: %s", exc)
            notes.append(keyword_only(exc))
            hits = retriever.retrieve(question, filters, k, boost_minutes, dense=False)
        return hits, notes

    def _analyse(self, question: str, mode: str | None, history: Sequence[Turn]) -> tuple[Answerer, Query, float]:
        from minutes_rag.query import analyse

        answerer = self.answerer(mode)
        t0 = time.perf_counter()
        # the question is analysed once (rewritten first when it is a follow-up); only a
        # follow-up asks for the LLM: a standalone question must not wait on the model twice
        # (rewrite + answer) when the server is slow or down
        query = analyse(question, history, llm=lambda: getattr(answerer, "chat_model", None))
        return answerer, query, t0

    def ask(
        self, question: str, *, filters: Filters = Filters(), k: int | None = None, mode: str | None = None,
        history: Sequence[Turn] = (),
    ) -> Answer:
        answer = None
        for item in self.ask_stream(question, filters=filters, k=k, mode=mode, history=history, stream=False):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None
        return answer

    def ask_stream(
        self, question: str, *, filters: Filters = Filters(), k: int | None = None, mode: str | None = None,
        history: Sequence[Turn] = (), stream: bool = True,
    ) -> Iterator[str | Answer]:
        """Yields text deltas, then one final Answer. Raises ``InvalidRequest`` for a question
        or options that cannot be answered as given (the one check the CLI, API and UI share)."""
        req = self.validate(question, k=k, filters=filters)
        question, k = req.question, req.k
        filters = replace(filters, date_from=req.date_from, date_to=req.date_to)
        t0 = time.perf_counter()
        # the generation as the database has it now (not through _refresh, whose first call
        # opens Chroma for the self-check: a new process's question embeds meanwhile)
        key = self._answers.key(question, filters, k, mode or self.settings.mode, history, self.index.generation)
        cached = self._answers.get(key)
        if cached is not None:
            total = round((time.perf_counter() - t0) * 1000, 2)
            yield replace(cached, question=question, timings_ms={"retrieve": 0.0, "answer": 0.0, "total": total,
                                                                 "cached": 1.0})
            return
        if not history:
            # a standalone question is retrieved as asked: its vector is computed (in C,
            # without the GIL) while it is analysed and, in a new process, Chroma and jieba load
            self._query_vectors.prefetch(question, self.embedder.embed_query)
        for item in self._answer_stream(question, filters, k, mode, history, stream):
            if isinstance(item, Answer):
                item = self._with_pages(item)
                if not item.warnings:
                    self._answers.put(key, item)  # an answer with a warning (keyword-only, LLM down) is not kept
            yield item

    def _with_pages(self, answer: Answer) -> Answer:
        """The answer with each citation's page (the page its quote starts on), for minutes
        that have pages: one read of the cited minutes' page maps."""
        from minutes_rag.pages import page_at, printed_differs

        if not answer.citations:
            return answer
        maps = self.index.page_maps([c.minute_id for c in answer.citations])
        if not maps:
            return answer
        cites = []
        for c in answer.citations:
            span = page_at(maps.get(c.minute_id, ()), c.start)
            cites.append(c if span is None else replace(c, page=span.page, printed_page=printed_differs(span)))
        return replace(answer, citations=tuple(cites))

    def _answer_stream(
        self, question: str, filters: Filters, k: int | None, mode: str | None, history: Sequence[Turn], stream: bool
    ) -> Iterator[str | Answer]:
        answerer, rewritten, t0 = self._analyse(question, mode, history)
        if rewritten.ledger is not None and not rewritten.identifiers:
            # (an item named by its number is answered from its own section: retrieval scopes it)
            # a question the ledger answers (tasks of a unit, how a matter was decided, a
            # timeline); None when the ledger has nothing for it: retrieval answers then
            # what retrieval had to say on the way (the vector index down: keyword-only) goes
            # with the routed answer as with any other
            routed_notes: list[str] = []

            def retrieve_routed(q: str, f: Filters, kk: int) -> list[Hit]:
                found, got = self.retrieve_noted(q, filters=f, k=kk)
                routed_notes.extend(got)
                return found

            def timeline_routed(topic: str, **kw: Any) -> Timeline:
                tl = self.timeline(topic, **kw)
                routed_notes.extend(tl.warnings)
                return tl

            routed = routed_answer(question, rewritten, filters, t0, actions=self.actions, timeline=timeline_routed,
                                   retrieve=retrieve_routed, index=self.index)
            if routed is not None:
                yield replace(routed, warnings=tuple(dict.fromkeys([*routed_notes, *self.notes, *routed.warnings])))
                return
        hits, notes = self.retrieve_noted(rewritten, filters=filters, k=k)
        t_retrieve = (time.perf_counter() - t0) * 1000
        t1 = time.perf_counter()
        final: Answer | None = None
        if stream:
            for item in answerer.stream(rewritten, hits, history):
                if isinstance(item, Answer):
                    final = item
                else:
                    yield item
        else:
            final = answerer.answer(rewritten, hits, history)
        assert final is not None
        t_answer = (time.perf_counter() - t1) * 1000
        timings = {
            **final.timings_ms,
            "retrieve": round(t_retrieve, 2),
            "answer": round(t_answer, 2),
            "total": round((time.perf_counter() - t0) * 1000, 2),
        }
        warnings = tuple(dict.fromkeys([*notes, *self.notes, *final.warnings]))
        final = replace(
            final, question=question, hits=tuple(hits), timings_ms=timings, rewrite=rewritten.rewrite, warnings=warnings
        )
        yield final

    def warm_up(self) -> None:
        """Loads what a question needs (the query embedder, Chroma, jieba and the BM25 index,
        the extractive answerer) by answering one: a server calls it at start, in the
        background. Then Chroma is counted against the state database (what a new reader
        process takes from the last writer's record instead)."""
        self.ask("warm up", mode="extractive")
        if not self._writer_elsewhere():
            self._self_check(count=True)  # (not under _open_lock: questions go on meanwhile)

    def validate(self, question: str, *, k: object = None, filters: Filters = Filters()) -> Request:
        from minutes_rag.validation import validate_request

        s = self.settings
        return validate_request(
            question, k=k, date_from=filters.date_from, date_to=filters.date_to,
            max_chars=s.max_question_chars, max_k=s.max_k,
        )

    # -- ledger and timelines (ledger_routing.py) ----------------------------------------
    def timeline(self, topic: str, *, date_from: str = "", date_to: str = "", floor: float | None = None) -> Timeline:
        """Every minute that discussed ``topic``, in date order, each with a verbatim quote."""
        self._refresh()
        return topic_timeline(topic, self.retriever, self.index, actions=self.actions,
                              date_from=date_from, date_to=date_to, floor=floor)

    # -- the archive ----------------------------------------------------------------------
    def list_minutes(self) -> list[dict[str, Any]]:
        return self.index.list_minutes()

    def resolve_minute(self, ref: str) -> str:
        """The minute id for a minute id or a document number; NotFound if none matches."""
        return self.index.resolve_minute(ref)

    def actions(self, flt: LedgerFilter) -> list[LedgerEntry]:
        """The ledger (督办台账): decisions, assignments and reports passing ``flt``, in date
        order. Minutes whose stored ledger an older extractor made are read afresh from
        their stored sections, in memory: readers never write (the next ingest or
        ``doctor --repair`` stores them)."""
        self._refresh()
        # people's entries and corrections (followup/), over the extracted ledger; a person may
        # have corrected the kind or the lead the filter asks for, so those two are applied
        # after the corrections (``apply_people`` filters by the corrected entry)
        board = self.followup
        loose = replace(flt, kind="", dept="") if (flt.kind or flt.dept) and board.has_corrections() else flt
        return board.apply_people(self._ledger.actions(self.index, loose), flt)

    @property
    def followup(self) -> FollowupBoard:
        """The follow-up layer (status, notes, people's entries and corrections)."""
        from minutes_rag.followup.board import FollowupBoard

        return FollowupBoard(self.index)

    def get_minute(self, ref: str) -> tuple[Minute, list[Section]]:
        minute_id = self.resolve_minute(ref)
        return self.index.minute(minute_id), self.index.sections_of(minute_id)

    def minute_json(self, ref: str) -> dict[str, Any]:
        """The ``minutes show --json`` shape (``present.minute_json``)."""
        return present.minute_json(*self.get_minute(ref))

    @staticmethod
    def not_found_text(lang: str) -> str:
        from minutes_rag.answer.lang import not_found_text

        return not_found_text("en" if lang == "en" else "zh")

    @staticmethod
    def answer_json(answer: Answer) -> dict[str, Any]:
        """The ``ask --json`` contract (``present.answer_json``)."""
        return present.answer_json(answer)

    def close(self) -> None:
        if self._store is not None:
            self._store.reopen()  # closes the Chroma client
        if self._index is not None:
            self._index.close()

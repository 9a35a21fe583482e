"""The composition root: builds the concrete parts from Settings and offers ingest() and ask().

Only this module names concrete classes; the CLI and the UI only talk to an Assistant.
Everything heavy (the model, Chroma, jieba) is created on first use, not here.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator, Sequence

from minutes_rag.config import Settings
from minutes_rag.embed import Embedder, build_embedder
from minutes_rag.errors import ConfigError, DenseUnavailable
from minutes_rag.index import StateIndex
from minutes_rag.lock import WriterLock, is_locked
from minutes_rag.model import Answer, Filters, Hit, IngestReport, Minute, Section, Turn
from minutes_rag.store import ChromaStore, collection_name

log = logging.getLogger(__name__)

BUSY_NOTE = (
    "the index is being updated by another process: this answer comes from the keyword index only "
    "(an embedded Chroma is not shared between processes; use a Chroma server, `chroma run`, for that)"
)
DENSE_NOTE = "the vector index is unavailable ({why}): this answer comes from the keyword index only"


class Assistant:
    def __init__(self, settings: Settings, *, embedder: Embedder | None = None, chat_model: Any = None) -> None:
        self.settings = settings
        self._embedder = embedder
        self._chat_model = chat_model  # a LangChain chat model; tests inject fakes
        self._index: StateIndex | None = None
        self._store: ChromaStore | None = None
        self._retriever = None
        self._answerers: dict[str, Any] = {}
        self._checked = False
        self._generation: int | None = None
        self._lock: WriterLock | None = None
        self._open_lock = threading.Lock()
        self.notes: list[str] = []  # what the reader's self-check found (shown once, logged)

    # -- parts, built lazily --------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            s = self.settings
            self._embedder = build_embedder(
                s.embedder, device=s.embed_device, batch_size=s.embed_batch_size, threads=s.embed_threads,
                cache_dir=s.models_path,
            )
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
            )
        return self._store

    def writer_lock(self, *, wait: float = 0.0, on_wait=None) -> WriterLock:
        if self._lock is None:
            self._lock = WriterLock(self.settings.data_path)
        self._lock.wait, self._lock.on_wait = wait, on_wait
        return self._lock

    def _ingestor(self, *, wait: float = 0.0, on_wait=None):
        from minutes_rag.ingestion import Ingestor

        return Ingestor(
            self.index, self.store, self.embedder,
            max_file_bytes=int(self.settings.max_file_mb * 1024 * 1024),
            section_max_chars=self.settings.section_max_chars,
            lock=self.writer_lock(wait=wait, on_wait=on_wait),
            follow_symlinks=bool(getattr(self.settings, "follow_symlinks", False)),
        )

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
            self._generation = gen
            if not self._checked and not self._writer_elsewhere():
                self._checked = True
                self._self_check()

    def _self_check(self) -> None:
        from minutes_rag import doctor

        check = doctor.quick_check(self.index, self.store)
        if not check.ok:
            self.notes = [
                *check.problems(),
                "answers may miss passages until the next `minutes-rag ingest` or `minutes-rag doctor --repair`",
            ]
            log.warning("index self-check: %s", "; ".join(self.notes))

    @property
    def retriever(self):
        if self._retriever is None:
            from minutes_rag.lexical import add_user_words
            from minutes_rag.retrieve import RetrievalConfig, Retriever

            s = self.settings
            reranker = None
            if s.rerank_model:
                try:
                    from sentence_transformers import CrossEncoder

                    reranker = CrossEncoder(s.rerank_model)
                except Exception as exc:  # noqa: BLE001 - model loading raises many kinds
                    raise ConfigError(f"cannot load the reranker {s.rerank_model!r}: {exc}") from exc
            add_user_words(self.index.lexicon())
            self._retriever = Retriever(
                self.index, self.store, self.embedder,
                RetrievalConfig(
                    k=s.k, candidates=s.candidates, dense_weight=s.dense_weight,
                    lexical_weight=s.lexical_weight, rrf_k=s.rrf_k,
                ),
                reranker,
            )
        return self._retriever

    def answerer(self, mode: str | None = None):
        mode = mode or self.settings.mode
        if mode not in ("extractive", "llm"):
            raise ConfigError(f"unknown answer mode {mode!r}: use extractive or llm")
        if mode == "llm" and not (self.settings.llm_configured or self._chat_model is not None):
            raise ConfigError(
                "no LLM is configured: set MINUTES_RAG_LLM_BASE_URL (and _LLM_MODEL, _LLM_API_KEY) "
                "or MINUTES_RAG_GGUF_PATH, or use --mode extractive"
            )
        if mode not in self._answerers:
            from minutes_rag.answer import ExtractiveAnswerer, LLMAnswerer, build_answerer

            if mode == "llm" and self._chat_model is not None:
                fallback = ExtractiveAnswerer(self.settings.not_found_threshold)
                self._answerers[mode] = LLMAnswerer(self._chat_model, fallback=fallback)
            else:
                self._answerers[mode] = build_answerer(self.settings, mode)
        return self._answerers[mode]

    # -- ingest ---------------------------------------------------------------------------
    def ingest(self, paths: Sequence[str | Path], *, prune: bool = False, progress=None) -> IngestReport:
        return self.ingest_waiting(paths, prune=prune, progress=progress)

    def ingest_waiting(self, paths: Sequence[str | Path], *, prune: bool = False, progress=None,
                       wait: float = 0.0, on_wait=None) -> IngestReport:
        """``ingest`` that waits up to ``wait`` seconds for another writer to finish."""
        report = self._ingestor(wait=wait, on_wait=on_wait).run([Path(p) for p in paths], prune=prune, progress=progress)
        self._checked = True
        self.notes = []
        self._retriever = None  # pick up new jieba words
        return report

    # -- ask ------------------------------------------------------------------------------
    def retrieve(self, question: str, *, filters: Filters = Filters(), k: int | None = None, boost_minutes=()) -> list[Hit]:
        return self.retrieve_noted(question, filters=filters, k=k, boost_minutes=boost_minutes)[0]

    def retrieve_noted(
        self, question: str, *, filters: Filters = Filters(), k: int | None = None, boost_minutes=()
    ) -> tuple[list[Hit], list[str]]:
        """Hits, and the warnings a user must see (the dense index unavailable, say)."""
        self._refresh()
        dense = True
        notes: list[str] = []
        if self._writer_elsewhere() and not self.settings.chroma_url:
            # an embedded Chroma being written by another process is not safe to read
            dense = False
            notes.append(BUSY_NOTE)
        try:
            hits = self.retriever.retrieve(question, filters, k, boost_minutes, dense=dense)
        except DenseUnavailable as exc:
            log.warning("dense retrieval unavailable: %s", exc)
            notes.append(DENSE_NOTE.format(why=exc))
            hits = self.retriever.retrieve(question, filters, k, boost_minutes, dense=False)
        return hits, notes

    def _prepare(self, question: str, filters: Filters, k: int | None, mode: str | None, history: Sequence[Turn]):
        from minutes_rag.answer.rewrite import is_follow_up, rewrite_question

        answerer = self.answerer(mode)
        t0 = time.perf_counter()
        # only a follow-up goes to the LLM for rewriting: a standalone question must not wait
        # on the model twice (rewrite + answer) when the server is slow or down
        llm = getattr(answerer, "chat_model", None) if history and is_follow_up(question) else None
        rewritten = rewrite_question(question, history, llm=llm)
        hits, notes = self.retrieve_noted(
            rewritten.question, filters=filters, k=k, boost_minutes=rewritten.boost_minute_ids
        )
        t_retrieve = (time.perf_counter() - t0) * 1000
        return answerer, rewritten.question, hits, t_retrieve, t0, notes

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
        answerer, rewritten, hits, t_retrieve, t0, notes = self._prepare(question, filters, k, mode, history)
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
        final = replace(final, question=question, hits=tuple(hits), timings_ms=timings, warnings=warnings)
        yield final

    def validate(self, question: str, *, k: object = None, filters: Filters = Filters()):
        from minutes_rag.validation import MAX_K, MAX_QUESTION_CHARS, validate_request

        s = self.settings
        return validate_request(
            question, k=k, date_from=filters.date_from, date_to=filters.date_to,
            max_chars=int(getattr(s, "max_question_chars", MAX_QUESTION_CHARS)),
            max_k=int(getattr(s, "max_k", MAX_K)),
        )

    # -- the archive ----------------------------------------------------------------------
    def list_minutes(self) -> list[dict]:
        return self.index.list_minutes()

    def get_minute(self, ref: str) -> tuple[Minute, list[Section]]:
        minute_id = self.index.resolve_minute(ref)
        return self.index.minute(minute_id), self.index.sections_of(minute_id)

    def minute_json(self, ref: str) -> dict:
        minute, sections = self.get_minute(ref)
        meta = minute.meta.to_dict()
        return {
            "minute": {"minute_id": minute.minute_id, "source": minute.source, **meta},
            "sections": [
                {
                    "section_id": s.section_id, "label": s.label, "title": s.title, "text": s.text,
                    "start": s.start, "end": s.end, "kind": s.kind, "part": s.part,
                }
                for s in sections
            ],
        }

    @staticmethod
    def not_found_text(lang: str) -> str:
        from minutes_rag.answer.lang import not_found_text

        return not_found_text("en" if lang == "en" else "zh")

    @staticmethod
    def answer_json(answer: Answer) -> dict:
        """The ``ask --json`` contract."""
        return {
            "question": answer.question,
            "answer": answer.text,
            "mode": answer.mode,
            "citations": [c.to_dict() for c in answer.citations],
            "retrieved": [
                {
                    "section_id": h.section.section_id,
                    "minute_id": h.section.minute_id,
                    "label": h.section.label,
                    "score": round(float(h.score), 6),
                    "text": h.section.text,
                }
                for h in answer.hits
            ],
            "timings_ms": {k: answer.timings_ms.get(k, 0.0) for k in ("retrieve", "answer", "total")},
            "warnings": list(answer.warnings),
        }

    def close(self) -> None:
        if self._index is not None:
            self._index.close()

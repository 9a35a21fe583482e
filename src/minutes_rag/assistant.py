"""The composition root: builds the concrete parts from Settings and offers ingest() and ask().

Only this module names concrete classes; the CLI and the UI only talk to an Assistant.
Everything heavy (the model, Chroma, jieba) is created on first use, not here.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator, Sequence

from minutes_rag.config import Settings
from minutes_rag.embed import Embedder, build_embedder
from minutes_rag.errors import ConfigError
from minutes_rag.index import StateIndex
from minutes_rag.model import Answer, Filters, Hit, IngestReport, Minute, Section, Turn
from minutes_rag.store import ChromaStore, collection_name


class Assistant:
    def __init__(self, settings: Settings, *, embedder: Embedder | None = None, chat_model: Any = None) -> None:
        self.settings = settings
        self._embedder = embedder
        self._chat_model = chat_model  # a LangChain chat model; tests inject fakes
        self._index: StateIndex | None = None
        self._store: ChromaStore | None = None
        self._retriever = None
        self._answerers: dict[str, Any] = {}
        self._recovered = False

    # -- parts, built lazily --------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            s = self.settings
            self._embedder = build_embedder(
                s.embedder, device=s.embed_device, batch_size=s.embed_batch_size, threads=s.embed_threads,
                cache_dir=s.models_path, e5_query_engine=s.e5_query_engine,
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
                ef_search=self.settings.hnsw_ef_search,
            )
        return self._store

    def _ingestor(self):
        from minutes_rag.ingestion import Ingestor

        return Ingestor(
            self.index, self.store, self.embedder,
            max_file_bytes=int(self.settings.max_file_mb * 1024 * 1024),
            section_max_chars=self.settings.section_max_chars,
        )

    def _repair_once(self) -> None:
        if not self._recovered:
            self._recovered = True
            if self.index.journal_pending():
                self._ingestor().recover()

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
        report = self._ingestor().run([Path(p) for p in paths], prune=prune, progress=progress)
        self._recovered = True
        self._retriever = None  # pick up new jieba words
        return report

    # -- ask ------------------------------------------------------------------------------
    def retrieve(self, question: str, *, filters: Filters = Filters(), k: int | None = None, boost_minutes=()) -> list[Hit]:
        self._repair_once()
        return self.retriever.retrieve(question, filters, k, boost_minutes)

    def _prepare(self, question: str, filters: Filters, k: int | None, mode: str | None, history: Sequence[Turn]):
        from minutes_rag.answer.rewrite import is_follow_up, rewrite_question

        answerer = self.answerer(mode)
        t0 = time.perf_counter()
        # only a follow-up goes to the LLM for rewriting: a standalone question must not wait
        # on the model twice (rewrite + answer) when the server is slow or down
        llm = getattr(answerer, "chat_model", None) if history and is_follow_up(question) else None
        rewritten = rewrite_question(question, history, llm=llm)
        hits = self.retrieve(rewritten.question, filters=filters, k=k, boost_minutes=rewritten.boost_minute_ids)
        t_retrieve = (time.perf_counter() - t0) * 1000
        return answerer, rewritten.question, hits, t_retrieve, t0

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
        """Yields text deltas, then one final Answer."""
        answerer, rewritten, hits, t_retrieve, t0 = self._prepare(question, filters, k, mode, history)
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
        final = replace(final, question=question, hits=tuple(hits), timings_ms=timings)
        yield final

    def warm_up(self) -> None:
        """Loads what a question needs (the query embedder, Chroma, jieba and the BM25 index,
        the extractive answerer) by answering one: a server calls it at start."""
        self.ask("warm up", mode="extractive")

    # -- the archive ----------------------------------------------------------------------
    def list_minutes(self) -> list[dict]:
        self._repair_once()
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
        }

    def close(self) -> None:
        if self._index is not None:
            self._index.close()

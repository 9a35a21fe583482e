"""Chroma: the dense vectors of sections, with typed metadata for filtering.

One collection per embedder (its name is part of the collection name), so vectors of two
models are never mixed. Embedded ``PersistentClient`` by default; ``HttpClient`` when a
server URL is configured. Chroma is told nothing about embedding functions: we always pass
vectors, so its default (downloading) embedding function is never used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from minutes_rag.errors import StoreError
from minutes_rag.model import Filters, MinuteMeta, Section


def collection_name(prefix: str, embedder_name: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{prefix}-{embedder_name}").strip("-._")
    name = name[:200] or "minutes"
    return name if len(name) >= 3 else name + "-col"


def section_metadata(section: Section, meta: MinuteMeta) -> dict[str, Any]:
    """Typed metadata; Chroma rejects None, so absent values are left out."""
    md: dict[str, Any] = {
        "minute_id": section.minute_id,
        "label": section.label,
        "kind": section.kind,
        "part": section.part,
        "doc_number": meta.doc_number,
        "lang": meta.lang,
    }
    if meta.date_int is not None:
        md["date"] = meta.date_int
        md["year"] = meta.year
    if meta.meeting_number is not None:
        md["meeting_number"] = meta.meeting_number
    return md


def where_clause(filters: Filters) -> dict[str, Any] | None:
    """Filters -> a Chroma ``where``. Dates are compared as integers (20200630)."""
    clauses: list[dict[str, Any]] = []
    if filters.date_from:
        clauses.append({"date": {"$gte": int(filters.date_from.replace("-", ""))}})
    if filters.date_to:
        clauses.append({"date": {"$lte": int(filters.date_to.replace("-", ""))}})
    if filters.year is not None:
        clauses.append({"year": filters.year})
    if filters.meeting_number is not None:
        clauses.append({"meeting_number": filters.meeting_number})
    if filters.doc_number:
        clauses.append({"doc_number": filters.doc_number})
    if filters.minute_id:
        clauses.append({"minute_id": filters.minute_id})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class ChromaStore:
    """Dense vectors in one Chroma collection."""

    def __init__(self, data_dir: Path, collection: str, *, url: str = "") -> None:
        self._data_dir = data_dir
        self._url = url
        self.collection_name = collection
        self._client: Any = None
        self._col = None

    # -- connection ---------------------------------------------------------------------
    def _client_get(self):
        if self._client is None:
            try:
                import chromadb
                from chromadb.config import Settings as ChromaSettings
            except ImportError as exc:  # pragma: no cover
                raise StoreError("chromadb is not installed: pip install chromadb") from exc
            settings = ChromaSettings(anonymized_telemetry=False)
            try:
                if self._url:
                    parsed = urlparse(self._url if "://" in self._url else "http://" + self._url)
                    self._client = chromadb.HttpClient(
                        host=parsed.hostname or "127.0.0.1",
                        port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                        ssl=parsed.scheme == "https",
                        settings=settings,
                    )
                    self._client.heartbeat()
                else:
                    path = self._data_dir / "chroma"
                    path.mkdir(parents=True, exist_ok=True)
                    self._client = chromadb.PersistentClient(path=str(path), settings=settings)
            except Exception as exc:  # chromadb raises plain Exceptions for connection problems
                where = f"Chroma server at {self._url}" if self._url else f"Chroma at {self._data_dir / 'chroma'}"
                raise StoreError(f"cannot open {where}: {exc}") from exc
        return self._client

    @property
    def col(self):
        if self._col is None:
            self._col = self._client_get().get_or_create_collection(
                self.collection_name, metadata={"hnsw:space": "cosine"}, embedding_function=None
            )
        return self._col

    # -- writes -------------------------------------------------------------------------
    def upsert(self, sections: Sequence[Section], metas: Sequence[MinuteMeta], vectors: np.ndarray) -> None:
        if not sections:
            return
        self.col.upsert(
            ids=[s.section_id for s in sections],
            embeddings=np.asarray(vectors, dtype=np.float32).tolist(),
            metadatas=[section_metadata(s, m) for s, m in zip(sections, metas)],
        )

    def ids_for_minute(self, minute_id: str) -> list[str]:
        return list(self.col.get(where={"minute_id": minute_id}, include=[])["ids"])

    def delete_ids(self, ids: Sequence[str]) -> None:
        if ids:
            self.col.delete(ids=list(ids))

    def delete_minute_everywhere(self, minute_id: str) -> None:
        """Remove a minute from every collection of this prefix (other embedders too)."""
        prefix = self.collection_name.split("-", 1)[0] + "-"
        for col in self._client_get().list_collections():
            name = getattr(col, "name", col)
            if str(name).startswith(prefix):
                self._client_get().get_collection(str(name)).delete(where={"minute_id": minute_id})

    def retain_minute(self, minute_id: str, keep: set[str]) -> int:
        """Delete this minute's vectors whose ids are not in ``keep``; returns how many."""
        stale = [i for i in self.ids_for_minute(minute_id) if i not in keep]
        self.delete_ids(stale)
        return len(stale)

    # -- reads --------------------------------------------------------------------------
    def count(self) -> int:
        return int(self.col.count())

    def existing(self, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        return set(self.col.get(ids=list(ids), include=[])["ids"])

    def query(self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """[(section_id, cosine similarity)] best first."""
        n = self.count()
        if n == 0:
            return []
        res = self.col.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
            n_results=min(k, n),
            where=where,
            include=["distances"],
        )
        ids = res["ids"][0]
        dists = res["distances"][0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, dists)]

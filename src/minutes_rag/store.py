"""Chroma: the dense vectors of sections, with typed metadata for filtering.

One collection per embedder (its name is part of the collection name), so vectors of two
models are never mixed. Embedded ``PersistentClient`` by default; ``HttpClient`` when a
server URL is configured. Chroma is told nothing about embedding functions: we always pass
vectors, so its default (downloading) embedding function is never used.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from minutes_rag.errors import DenseUnavailable, StoreError
from minutes_rag.model import Filters, MinuteMeta, Section

log = logging.getLogger(__name__)


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


# Chroma persists the whole HNSW index to disk every ``sync_threshold`` added vectors (1,000 by
# default: at 100k vectors that is a 150 MB write every ~75 minutes ingested, and upserts took
# 92 ms a minute there); vectors not yet in the index file are searched by brute force from a
# buffer of ``batch_size`` (default 100) and are safe in Chroma's own log meanwhile. Measured on
# 40 minutes into a 99k-section store: 5.5 s with the defaults, 2.4 s with these.
HNSW_WRITE_SETTINGS: dict[str, Any] = {"sync_threshold": 20_000, "batch_size": 1_000}
# ...but a process that opens a collection whose index file lags rebuilds the HNSW graph of
# every vector since in memory: 19.7k of them at 20k sections, 18.6 s for a cold reader's
# first question (0.2 s once the index file was written). So a writer ends its run by having
# Chroma write the file (``persist_index``), with these settings for that one moment (the
# smallest Chroma accepts: vectors still in the brute-force buffer are written too).
PERSIST_SETTINGS: dict[str, Any] = {"sync_threshold": 2, "batch_size": 2}


def _forget_system(persist_directory: str) -> None:
    """Chroma caches one embedded system per folder, even one that failed to open; drop it
    so that the next open (after a repair) starts afresh instead of reusing the broken one."""
    try:
        from chromadb.api.shared_system_client import SharedSystemClient
    except ImportError:  # pragma: no cover
        return
    SharedSystemClient._identifier_to_system.pop(persist_directory, None)
    SharedSystemClient._identifier_to_refcount.pop(persist_directory, None)


def rank_by_cosine(vector: Any, ids: Sequence[str], rows: Sequence[Any], k: int) -> list[tuple[str, float]]:
    """[(id, cosine similarity)] of the k rows nearest ``vector``, best first (ties in the given order)."""
    if not ids or k <= 0:
        return []
    mat = np.asarray(rows, dtype=np.float32)
    q = np.asarray(vector, dtype=np.float32).reshape(-1)
    norms = np.linalg.norm(mat, axis=1) * (float(np.linalg.norm(q)) or 1.0)
    norms[norms == 0] = 1.0
    sims = (mat @ q) / norms
    order = np.argsort(-sims, kind="stable")[:k]
    return [(ids[i], float(sims[i])) for i in order]


class ChromaStore:
    """Dense vectors in one Chroma collection."""

    def __init__(
        self, data_dir: Path, collection: str, *, url: str = "", create: bool = False, ef_search: int = 0
    ) -> None:
        self._data_dir = data_dir
        # readers never create anything: a missing store or collection is DenseUnavailable;
        # the writer (under the data dir's lock) switches this on
        self.create = create
        self._url = url
        self.ef_search = ef_search  # HNSW search breadth; 0 leaves Chroma's
        self._breadth_checked = False
        self.collection_name = collection
        self._client: Any = None
        self._col: Any = None
        self._batch = 0

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
                    if not self.create and not (path / "chroma.sqlite3").exists():
                        raise DenseUnavailable(f"there is no vector index at {path} yet")
                    if not (path / "chroma.sqlite3").exists():
                        # a store deleted under a running process: Chroma's cached system for
                        # the folder still holds the old one in memory
                        _forget_system(str(path))
                    path.mkdir(parents=True, exist_ok=True)
                    self._client = chromadb.PersistentClient(path=str(path), settings=settings)
            except DenseUnavailable:
                raise
            except Exception as exc:  # chromadb raises plain Exceptions for connection problems
                if not self._url:
                    _forget_system(str(self._data_dir / "chroma"))
                where = f"Chroma server at {self._url}" if self._url else f"Chroma at {self._data_dir / 'chroma'}"
                raise StoreError(f"cannot open {where}: {exc}") from exc
        return self._client

    def _hnsw_wanted(self) -> dict[str, Any]:
        wanted: dict[str, Any] = dict(HNSW_WRITE_SETTINGS)
        if self.ef_search:
            wanted["ef_search"] = self.ef_search
        return wanted

    @property
    def data_dir(self) -> Path:
        return self._data_dir

    @property
    def url(self) -> str:
        return self._url

    @property
    def where(self) -> str:
        return f"the Chroma server at {self._url}" if self._url else f"Chroma at {self._data_dir / 'chroma'}"

    @property
    def col(self):
        if self._col is None:
            client = self._client_get()
            try:
                if self.create:
                    self._col = client.get_or_create_collection(
                        self.collection_name, configuration={"hnsw": {"space": "cosine", **self._hnsw_wanted()}},
                        embedding_function=None,
                    )
                else:
                    names = {str(getattr(c, "name", c)) for c in client.list_collections()}
                    if self.collection_name not in names:
                        raise DenseUnavailable(f"{self.where} holds no collection {self.collection_name}")
                    self._col = client.get_collection(self.collection_name, embedding_function=None)
            except StoreError:
                raise
            except Exception as exc:  # noqa: BLE001 - chromadb raises many kinds
                raise StoreError(f"cannot open the collection {self.collection_name} in {self.where}: {exc}") from exc
        return self._col

    def ensure_index_configuration(self) -> bool:
        """Brings the collection's HNSW settings to ours (a collection made before them keeps
        Chroma's defaults otherwise): the search breadth, and how often ingest writes the
        index to disk. Called by the writer (on its first upsert), never by readers. Returns
        whether anything changed."""
        current = (getattr(self.col, "configuration", None) or {}).get("hnsw") or {}
        change = {k: v for k, v in self._hnsw_wanted().items() if current.get(k) != v}
        if not change:
            return False
        self.col.modify(configuration={"hnsw": change})  # (the collection object updates itself)
        return True
    def persist_index(self) -> None:
        """Have an embedded Chroma write its HNSW index file now (see ``PERSIST_SETTINGS``):
        with low thresholds, one upsert of a vector it holds (unchanged) makes it write
        everything pending. Writers only (under the data dir's lock); a server persists itself."""
        if self._url:
            return
        self.col.modify(configuration={"hnsw": dict(PERSIST_SETTINGS)})
        self.reopen()  # the index is loaded with the threshold it had: load it with the new one
        _forget_system(str(self._data_dir / "chroma"))
        got = self.col.get(limit=1, include=["embeddings", "metadatas"])
        if got["ids"]:
            self.col.upsert(ids=list(got["ids"]), embeddings=got["embeddings"], metadatas=got["metadatas"])
        self.col.modify(configuration={"hnsw": dict(HNSW_WRITE_SETTINGS)})
        # and load it again with the write threshold, for this process's next ingest (in a
        # server, a question that meets the reopen answers from the keyword index once)
        self.reopen()
        _forget_system(str(self._data_dir / "chroma"))

    def reopen(self) -> None:
        """Drop the client: the next use opens Chroma afresh and so sees what another
        process wrote (an embedded client keeps its index in memory)."""
        client, self._client, self._col = self._client, None, None
        self._batch = 0
        if client is not None and not self._url:
            try:
                client.close()
            except Exception:  # noqa: BLE001 - closing a broken client must not fail a reader
                log.debug("closing the Chroma client failed", exc_info=True)

    def max_batch(self) -> int:
        """The most records one call may carry (Chroma refuses bigger batches)."""
        if not self._batch:
            try:
                self._batch = int(self._client_get().get_max_batch_size())
            except StoreError:
                raise
            except Exception:  # noqa: BLE001 - older servers lack the endpoint
                self._batch = 1000
            self._batch = max(1, min(self._batch, 5000))
        return self._batch

    def _chunks(self, items: Sequence[Any]) -> list[Sequence[Any]]:
        size = self.max_batch()
        return [items[i : i + size] for i in range(0, len(items), size)]

    # -- writes -------------------------------------------------------------------------
    def upsert(self, sections: Sequence[Section], metas: Sequence[MinuteMeta], vectors: np.ndarray) -> None:
        if not sections:
            return
        if not self._breadth_checked:  # the first write of this process (a no-op run opens nothing)
            self._breadth_checked = True
            self.ensure_index_configuration()
        vectors = np.asarray(vectors, dtype=np.float32)
        size = self.max_batch()
        for i in range(0, len(sections), size):
            self.col.upsert(
                ids=[s.section_id for s in sections[i : i + size]],
                embeddings=vectors[i : i + size].tolist(),
                metadatas=[section_metadata(s, m) for s, m in zip(sections[i : i + size], metas[i : i + size])],
            )

    def ids_for_minute(self, minute_id: str) -> list[str]:
        return list(self.col.get(where={"minute_id": minute_id}, include=[])["ids"])

    def delete_ids(self, ids: Sequence[str]) -> None:
        for chunk in self._chunks(list(ids)):
            self.col.delete(ids=list(chunk))

    def _prefix_collections(self) -> list[str]:
        prefix = self.collection_name.split("-", 1)[0] + "-"
        names = [str(getattr(c, "name", c)) for c in self._client_get().list_collections()]
        return [n for n in names if n.startswith(prefix)]

    def delete_minute_everywhere(self, minute_id: str) -> None:
        """Remove a minute from every collection of this prefix (other embedders too)."""
        for name in self._prefix_collections():
            self._client_get().get_collection(name).delete(where={"minute_id": minute_id})

    def retain_minute(self, minute_id: str, keep: set[str]) -> int:
        """Delete this minute's vectors whose ids are not in ``keep``; returns how many."""
        stale = [i for i in self.ids_for_minute(minute_id) if i not in keep]
        self.delete_ids(stale)
        return len(stale)

    # -- reads --------------------------------------------------------------------------
    def count(self) -> int:
        return int(self.col.count())

    def existing(self, ids: Sequence[str]) -> set[str]:
        out: set[str] = set()
        for chunk in self._chunks(list(ids)):
            out |= set(self.col.get(ids=list(chunk), include=[])["ids"])
        return out

    def all_ids(self) -> dict[str, str]:
        """Every id in the collection with its minute id, read page by page."""
        out: dict[str, str] = {}
        size = self.max_batch()
        offset = 0
        while True:
            page = self.col.get(include=["metadatas"], limit=size, offset=offset)
            ids = page["ids"]
            for i, md in zip(ids, page["metadatas"] or [{}] * len(ids)):
                out[i] = str((md or {}).get("minute_id", i.split("-", 1)[0]))
            if len(ids) < size:
                return out
            offset += size

    def query_exact(self, vector: np.ndarray, ids: Sequence[str], k: int) -> list[tuple[str, float]]:
        """[(section_id, cosine similarity)] best first among ``ids``, by reading their vectors
        (ids Chroma does not hold are skipped)."""
        if not ids or k <= 0:
            return []
        found: list[str] = []
        rows: list[Any] = []
        try:
            for chunk in self._chunks(list(ids)):
                got = self.col.get(ids=list(chunk), include=["embeddings"])
                found += list(got["ids"])
                rows += list(got["embeddings"]) if got["embeddings"] is not None else []
        except DenseUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 - chromadb raises plain Exceptions
            self.reopen()
            raise DenseUnavailable(f"{self.where} did not answer ({type(exc).__name__}: {exc})") from exc
        return rank_by_cosine(vector, found, rows, k)

    def query(self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """[(section_id, cosine similarity)] best first. Any failure of Chroma (down, being
        rewritten by another process, lost its files) is a ``DenseUnavailable`` naming it.
        (No ``count()`` first: Chroma answers an empty or small collection with fewer results,
        and a count cost 8 ms a question at 100k vectors.)"""
        try:
            res = self.col.query(
                query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
                n_results=k,
                where=where,
                include=["distances"],
            )
        except DenseUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 - chromadb raises plain Exceptions
            self.reopen()  # the next question tries a fresh connection: recovers by itself
            raise DenseUnavailable(f"{self.where} did not answer ({type(exc).__name__}: {exc})") from exc
        ids = res["ids"][0]
        dists = res["distances"][0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, dists)]

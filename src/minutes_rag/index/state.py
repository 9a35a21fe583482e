"""``StateIndex``: the state database, composed of what each part owns, and how it is opened."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from minutes_rag.errors import StoreError
from minutes_rag.index.alerts import AlertsMixin
from minutes_rag.index.connection import _open_readonly, _writable, check_data_dir
from minutes_rag.index.embeddings import EmbeddingsMixin
from minutes_rag.index.followup import FollowupMixin
from minutes_rag.index.ledger import LedgerMixin
from minutes_rag.index.lexical_query import LexicalMixin
from minutes_rag.index.minutes import MinutesMixin
from minutes_rag.index.schema import _SCHEMA, SchemaMixin


class StateIndex(MinutesMixin, LedgerMixin, FollowupMixin, AlertsMixin, LexicalMixin, EmbeddingsMixin, SchemaMixin):
    """The state database. ``readonly`` opens it for reading only (a read-only data dir, a
    reader that must not create anything); a missing writable dir is created."""

    def __init__(self, data_dir: Path, *, readonly: bool | None = None) -> None:
        self.path = data_dir / "state.sqlite"
        check_data_dir(data_dir)
        if readonly is None:
            readonly = data_dir.exists() and not _writable(data_dir, self.path)
        self.readonly = readonly
        self._lock = threading.RLock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._total, self._total_at = 0, -1e9
        self._df_cache: dict[str, int] = {}
        self._totals: tuple[int, float] | None = None
        try:
            if readonly:
                self._db = _open_readonly(self.path)
                return
            data_dir.mkdir(parents=True, exist_ok=True)
            # the writer's connection (ingest), serialised by a lock; reads go through one
            # connection per thread (``_reader``), so that users asking at once read in
            # parallel (WAL: readers keep a consistent snapshot while a writer commits, and
            # never block it, nor it them)
            self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None, timeout=30.0)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the index database {self.path}: {exc}") from exc
        try:
            # an up-to-date database is only read here: a reader opening it while a writer
            # commits must not need the write lock
            if not self._has_schema():
                self._db.execute("CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT)")
            migrated = self._check_schema()
            if migrated or not self._has_schema():
                self._db.executescript(_SCHEMA)
            self._check_tokenizer()
        except (sqlite3.Error, StoreError) as exc:
            self._db.close()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"cannot open the index database {self.path}: {exc}") from exc

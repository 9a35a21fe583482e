"""The embedding side of ``state.sqlite``: the embedding cache, the journal of unfinished
Chroma writes, and the record of which minutes each Chroma collection holds (what Chroma
should hold, for ``doctor`` and repairs)."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from minutes_rag.index.connection import Connections


class EmbeddingsMixin(Connections):
    # -- embedding cache -----------------------------------------------------------------
    def cached_vectors(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        hashes = list(set(hashes))
        for i in range(0, len(hashes), 500):
            chunk = hashes[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for h, blob in self._q(
                f"SELECT text_hash, vector FROM embed_cache WHERE model=? AND text_hash IN ({marks})", [model, *chunk]
            ):
                out[h] = np.frombuffer(blob, dtype=np.float32)
        return out

    def cache_vectors(self, model: str, items: dict[str, np.ndarray]) -> None:
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO embed_cache VALUES (?,?,?)",
                [(model, h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items.items()],
            )

    # -- journal -------------------------------------------------------------------------
    def journal_begin(self, minute_id: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO journal VALUES (?, ?)", (minute_id, time.time()))

    def journal_end(self, minute_id: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM journal WHERE minute_id=?", (minute_id,))

    def journal_pending(self) -> list[str]:
        return [r[0] for r in self._q("SELECT minute_id FROM journal")]

    # -- what Chroma should hold -----------------------------------------------------------
    def expected_count(self, collection: str) -> int:
        """Sections of the minutes recorded as embedded in ``collection``."""
        rows = self._q(
            "SELECT COUNT(*) FROM sections s JOIN embedded e ON e.minute_id = s.minute_id WHERE e.collection=?",
            (collection,),
        )
        return int(rows[0][0]) if rows else 0

    def expected_ids(self, collection: str) -> dict[str, str]:
        """{section_id: minute_id} of the sections ``collection`` should hold."""
        rows = self._q(
            "SELECT s.section_id, s.minute_id FROM sections s JOIN embedded e ON e.minute_id = s.minute_id"
            " WHERE e.collection=?",
            (collection,),
        )
        return {r[0]: r[1] for r in rows}

    # -- what a writer last verified ---------------------------------------------------------
    def record_verified(self, collection: str, vectors: int, expected: int) -> None:
        """A writer that counted ``collection`` (``vectors``) against the sections recorded as
        embedded in it (``expected``) notes both with the generation it saw: a reader that
        finds the same generation trusts them instead of counting Chroma, which took 3.2 s
        at 20k sections in a cold process. (Not a commit that changes the index: no bump.)"""
        value = json.dumps({"generation": self.generation(), "vectors": vectors, "expected": expected})
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO info VALUES (?, ?)", (f"verified:{collection}", value))

    def verified(self, collection: str) -> dict[str, Any] | None:
        """What a writer last recorded for ``collection`` (generation, vectors, expected), or None."""
        rows = self._q("SELECT value FROM info WHERE key=?", (f"verified:{collection}",))
        if not rows:
            return None
        try:
            value = json.loads(rows[0][0])
        except (TypeError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    # -- the precision of a collection's vectors (precision.py) ------------------------------
    def recorded_precisions(self, collection: str) -> list[str]:
        """The precisions vectors were added to ``collection`` in, first first ([] unknown)."""
        rows = self._q("SELECT value FROM info WHERE key=?", (f"precision:{collection}",))
        try:
            value = json.loads(rows[0][0]) if rows else []
        except (TypeError, ValueError):
            return []
        return [str(v) for v in value] if isinstance(value, list) else []

    def record_precision(self, collection: str, precision: str) -> None:
        """Note that vectors computed in ``precision`` were added to ``collection``."""
        have = self.recorded_precisions(collection)
        if precision in have:
            return
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO info VALUES (?, ?)",
                       (f"precision:{collection}", json.dumps([*have, precision])))

    def all_section_ids(self) -> set[str]:
        return {r[0] for r in self._q("SELECT section_id FROM sections")}

    def unmark_embedded(self, collection: str, minute_ids: Sequence[str]) -> None:
        """Forget that these minutes are in ``collection``: the next ingest embeds them again."""
        with self.transaction() as db:
            db.executemany(
                "DELETE FROM embedded WHERE collection=? AND minute_id=?", [(collection, m) for m in minute_ids]
            )

    def is_embedded(self, collection: str, minute_id: str, content_hash: str) -> bool:
        rows = self._q("SELECT content_hash FROM embedded WHERE collection=? AND minute_id=?", (collection, minute_id))
        return bool(rows) and rows[0][0] == content_hash

    def uncached_sections(self, model: str, hashes: dict[str, str]) -> list[str]:
        """Section ids (keys of ``hashes``: section id -> embedding-text hash) with no cached
        vector for ``model``."""
        have = set(self.cached_vectors(model, list(set(hashes.values()))))
        return [sid for sid, h in hashes.items() if h not in have]

"""Consistency between the state database and Chroma, and its repair.

The state database is the source of truth; Chroma is an index derived from it: every section
of every minute recorded as embedded in a collection must have exactly one vector there, and
nothing else may. Because the state database also caches every section's vector, a lost,
emptied or broken Chroma is rebuilt from it without running the model.

``quick_check`` is cheap (two counts) and runs whenever a writer opens the index, at the
end of a writer's run (``record_check``: the counts go into the state database with the
generation they were taken at) and in a server's background; ``recorded_check`` is what a
reader runs at start instead: it reads those counts, in constant time, and counts Chroma only
when no writer has recorded the current generation (an index written by an older version).
``full_check`` compares the id sets and the database itself (``minutes-rag doctor``);
``repair`` (under the writer lock only) adds missing vectors from the cache and removes strays.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from minutes_rag.embed import Embedder, embedding_text
from minutes_rag.errors import DenseUnavailable, StoreError
from minutes_rag.ids import text_hash
from minutes_rag.index import StateIndex
from minutes_rag.store import ChromaStore, _forget_system

log = logging.getLogger(__name__)


@dataclass
class CheckReport:
    collection: str
    expected: int = 0  # vectors the state database says the collection holds
    vectors: int = 0  # vectors the collection does hold (-1: unreadable)
    missing: list[str] = field(default_factory=list)  # section ids without a vector
    strays: list[str] = field(default_factory=list)  # vector ids no section has
    journal: list[str] = field(default_factory=list)  # minutes with an unfinished write
    database: str = "ok"  # SQLite's quick_check
    lexical_rows: int = 0
    sections: int = 0
    uncached: int = 0  # missing vectors with no cached embedding (need the model)
    store_error: str = ""
    full: bool = False
    # what repair did
    rebuilt: int = 0
    removed: int = 0
    embedded: int = 0
    reset_store: str = ""  # where a broken embedded store was moved
    # follow-up states (and people's entries) whose quote no entry holds any more: kept in
    # the database and reported here, never dropped (a note, not a problem to repair)
    orphaned_followups: list[dict[str, str]] = field(default_factory=list)
    # the precisions the collection's vectors were embedded in, this machine's, and the
    # warning when they differ (precision.py): a note, not an inconsistency to repair
    precisions: list[str] = field(default_factory=list)
    precision: str = ""
    precision_note: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems()

    def problems(self) -> list[str]:
        out: list[str] = []
        if self.store_error:
            out.append(f"the vector index cannot be read: {self.store_error}")
        if self.database != "ok":
            out.append(f"the state database reports: {self.database}")
        if self.full:
            if self.missing:
                out.append(f"{len(self.missing)} of {self.expected} sections have no vector in {self.collection}")
            if self.strays:
                out.append(f"{len(self.strays)} vectors in {self.collection} belong to no section")
        elif not self.store_error and self.vectors != self.expected:
            out.append(f"{self.collection} holds {self.vectors} vectors for {self.expected} sections")
        if self.journal:
            out.append(f"{len(self.journal)} minutes have an unfinished write")
        if self.full and self.lexical_rows != self.sections:
            out.append(f"the lexical index has {self.lexical_rows} rows for {self.sections} sections")
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "collection": self.collection,
            "sections": self.sections,
            "expected_vectors": self.expected,
            "vectors": self.vectors,
            "missing": len(self.missing),
            "strays": len(self.strays),
            "unfinished_writes": len(self.journal),
            "database": self.database,
            "lexical_rows": self.lexical_rows,
            "uncached": self.uncached,
            "store_error": self.store_error,
            "problems": self.problems(),
            "orphaned_followups": self.orphaned_followups,
            "precision": {"recorded": self.precisions, "this_machine": self.precision, "note": self.precision_note},
            "repaired": {
                "rebuilt": self.rebuilt, "removed": self.removed, "embedded": self.embedded,
                "reset_store": self.reset_store,
            },
        }


def quick_check(index: StateIndex, store: ChromaStore) -> CheckReport:
    """Two counts and the journal: enough to notice a lost, emptied or half-written index."""
    report = CheckReport(store.collection_name)
    report.expected = index.expected_count(store.collection_name)
    report.journal = index.journal_pending()
    try:
        report.vectors = store.count()
    except DenseUnavailable as exc:
        if report.expected:
            report.store_error = str(exc)
        report.vectors = 0
    except StoreError as exc:
        report.store_error = str(exc)
        report.vectors = -1
    except Exception as exc:  # noqa: BLE001 - a broken store raises anything
        report.store_error = f"{type(exc).__name__}: {exc}"
        report.vectors = -1
    return report


def recorded_check(index: StateIndex, collection: str) -> CheckReport | None:
    """The quick check from what the last writer recorded (no Chroma: constant time), or None
    when the index changed after it (or no writer recorded anything): count then."""
    recorded = index.verified(collection)
    if recorded is None or recorded.get("generation") != index.generation():
        return None
    report = CheckReport(collection)
    report.expected = int(recorded.get("expected", 0))
    report.vectors = int(recorded.get("vectors", 0))
    report.journal = index.journal_pending()
    return report


def record_check(index: StateIndex, store: ChromaStore) -> CheckReport:
    """A writer's quick check at the end of its run, recorded for readers (``recorded_check``)."""
    report = quick_check(index, store)
    if not report.store_error and not report.journal:
        index.record_verified(store.collection_name, report.vectors, report.expected)
    return report


def full_check(index: StateIndex, store: ChromaStore, model: str, *, precision: str = "") -> CheckReport:
    """Everything: id sets on both sides, SQLite's own check, the lexical index's rows, and
    how many missing vectors the cache cannot supply (``model``: the embedder's name); with
    ``precision`` (this machine's), whether the archive was embedded in another."""
    from minutes_rag.precision import mismatch

    report = quick_check(index, store)
    report.full = True
    report.precisions = index.recorded_precisions(store.collection_name)
    report.precision = precision
    report.precision_note = mismatch(report.precisions, precision)
    report.database = index.integrity()
    report.sections = index.section_count()
    report.lexical_rows = index.fts_count()
    report.orphaned_followups = index.orphaned_followups()
    expected = index.expected_ids(store.collection_name)
    report.expected = len(expected)
    if report.store_error:
        report.missing = sorted(expected)
    else:
        try:
            held = store.all_ids()
        except Exception as exc:  # noqa: BLE001
            report.store_error = f"{type(exc).__name__}: {exc}"
            held = {}
            report.missing = sorted(expected)
        else:
            report.vectors = len(held)
            report.missing = sorted(set(expected) - set(held))
            report.strays = sorted(set(held) - set(expected))
    if report.missing:
        report.uncached = len(_missing_vectors(index, report.missing, model)[1])
    return report


def _missing_vectors(
    index: StateIndex, section_ids: list[str], model: str
) -> tuple[dict[str, tuple[np.ndarray, Any, Any]], dict[str, tuple[str, Any, Any]]]:
    """For each section id: its cached vector (with section and meta), or its text (no cache)."""

    by_minute: dict[str, list[Any]] = defaultdict(list)
    for sec in index.sections_by_id(section_ids).values():
        by_minute[sec.minute_id].append(sec)
    metas = index.metas(list(by_minute))
    cached: dict[str, tuple[np.ndarray, Any, Any]] = {}
    uncached: dict[str, tuple[str, Any, Any]] = {}
    for minute_id, sections in by_minute.items():
        meta = metas.get(minute_id)
        if meta is None:
            continue
        texts = {s.section_id: embedding_text(s, meta) for s in sections}
        vectors = index.cached_vectors(model, [text_hash(t) for t in texts.values()])
        for s in sections:
            v = vectors.get(text_hash(texts[s.section_id]))
            if v is not None:
                cached[s.section_id] = (v, s, meta)
            else:
                uncached[s.section_id] = (texts[s.section_id], s, meta)
    return cached, uncached


def reset_embedded_store(store: ChromaStore) -> str:
    """Move a broken embedded Chroma folder aside (never delete it: it may hold evidence)."""
    path = store.data_dir / "chroma"
    store.reopen()
    _forget_system(str(path))
    if not path.exists():
        return ""
    aside = path.with_name(f"chroma.broken-{time.strftime('%Y%m%d-%H%M%S')}")
    shutil.move(str(path), str(aside))
    return str(aside)


def repair(
    index: StateIndex, store: ChromaStore, report: CheckReport, model: str, *, embedder: Embedder | None = None
) -> CheckReport:
    """Bring Chroma in line with the state database. Call only under the writer lock.

    Missing vectors come from the embedding cache; those with no cached vector are embedded
    when an embedder is given, else their minutes are marked not embedded so that the next
    ingest embeds them. Strays are deleted."""
    if report.store_error and not store.url:
        # an embedded store that cannot even be opened: start a new one and rebuild it
        report.reset_store = reset_embedded_store(store)
        log.warning("the vector index could not be read (%s); moved it to %s and rebuilt it",
                    report.store_error, report.reset_store or "(nothing to move)")
        report.store_error = ""
        report.full = True
        report.missing = sorted(index.expected_ids(store.collection_name))
        report.strays = []
    elif not report.full:
        # the counts disagree: find out which ids
        fresh = full_check(index, store, model)
        report.missing, report.strays, report.full = fresh.missing, fresh.strays, True
        if fresh.store_error:
            raise StoreError(fresh.store_error)
    if report.missing:
        cached, uncached = _missing_vectors(index, report.missing, model)
        if uncached and embedder is not None:
            sids = list(uncached)
            fresh_vectors = embedder.embed_documents([uncached[s][0] for s in sids])
            index.cache_vectors(model, {text_hash(uncached[s][0]): fresh_vectors[i] for i, s in enumerate(sids)})
            for i, s in enumerate(sids):
                cached[s] = (fresh_vectors[i], uncached[s][1], uncached[s][2])
            report.embedded = len(sids)
            uncached = {}
        if cached:
            sids = list(cached)
            store.upsert([cached[s][1] for s in sids], [cached[s][2] for s in sids],
                         np.stack([cached[s][0] for s in sids]))
            report.rebuilt = len(sids)
        if uncached:
            index.unmark_embedded(store.collection_name, sorted({s.split("-", 1)[0] for s in uncached}))
    if report.strays:
        store.delete_ids(report.strays)
        report.removed = len(report.strays)
    if report.rebuilt or report.removed:
        index.bump_generation()
        # info, not warning: the caller shows it (ingest's warnings, doctor's output)
        log.info(
            "the vector index %s did not match the state database: %d vectors rebuilt from the cache, "
            "%d stray vectors removed", store.collection_name, report.rebuilt, report.removed,
        )
    return report

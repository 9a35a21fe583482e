"""Minutes parsed and split, waiting to be embedded and written together.

Chroma's ``upsert`` costs about the same for 14 vectors as for a thousand, and that fixed cost
grows with the collection (issue 21: with the hash embedder a 98k-section archive ingested at
~40 sections/s, the time in one upsert per minute). So ingest collects minutes up to
``ingest_batch_sections`` sections, embeds their new texts in one call (the model sorts them
by length, so short sections are not padded to a long one's width) and writes them in one
Chroma upsert. The crash protocol per minute is the one of ``ingestion.py``, applied to the
whole batch step by step:

  1. every minute of the batch enters the journal,
  2. the new vectors of all of them go to Chroma (one upsert, chunked at Chroma's limit),
  3. each minute's SQLite transaction (its commit point) — only after its vectors are in,
  4. Chroma drops what SQLite no longer holds for the minutes that had sections before,
  5. the journal entries are removed.

Nothing but the embedding cache is written before step 1, so a kill while a batch is being
collected loses only work the cache makes cheap to redo; a kill in steps 1–5 leaves
journalled minutes, each old or new whole, that the next writer's ``recover`` finishes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from minutes_rag.ids import text_hash
from minutes_rag.ledger.extract import EXTRACTOR_VERSION
from minutes_rag.model import IngestReport, Minute, Section
from minutes_rag.reading import MinuteRead, read_warnings

if TYPE_CHECKING:
    from minutes_rag.ingestion import Ingestor

log = logging.getLogger(__name__)


def note_read(report: IngestReport, read: MinuteRead) -> None:
    """Add how a minute was read, and its warnings (as data and as text), to ``report``."""
    report.minutes_read.append(read.to_json())
    for w in read_warnings(read):
        report.warning_details.append(w.to_json())
        report.warnings.append(str(w))
        log.warning("%s", w)


@dataclass
class PendingMinute:
    """One file's minute, split and read, not yet embedded or written."""

    path: Path
    minute: Minute
    sections: list[Section]
    texts: list[str]  # what the model embeds per section (``embed.embedding_text``)
    ledger: list[Any]
    read: MinuteRead
    lexicon_words: list[str]
    size: int
    mtime_ns: int
    same_content: bool  # the file record already had this content (re-embedding only)
    hashes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.hashes:
            self.hashes = [text_hash(t) for t in self.texts]


class WriteBatch:
    """Collects ``PendingMinute``s and writes them when ``limit`` sections are waiting (1:
    every minute alone, as before batching). ``on_failed(path, exc)`` reports a minute whose
    write failed; the others of its batch are still written."""

    def __init__(self, ingestor: Ingestor, limit: int, on_failed: Callable[[Path, BaseException], None]) -> None:
        self.ingestor = ingestor
        self.limit = max(1, int(limit))
        self.on_failed = on_failed
        self.pending: list[PendingMinute] = []
        self._sections = 0

    def add(self, item: PendingMinute, report: IngestReport) -> None:
        # one minute twice in a batch (two files with one text) would be written twice in step 3
        if any(p.minute.minute_id == item.minute.minute_id for p in self.pending):
            self.flush(report)
        self.pending.append(item)
        self._sections += len(item.sections)
        if self._sections >= self.limit:
            self.flush(report)

    def flush(self, report: IngestReport) -> None:
        batch, self.pending, self._sections = self.pending, [], 0
        if not batch:
            return
        try:
            self._write(batch, report)
        except Exception as exc:  # noqa: BLE001 - find the minute that failed: write them one by one
            if len(batch) == 1:
                self._finish_interrupted()
                self.on_failed(batch[0].path, exc)
                return
            log.warning("a batch of %d minutes failed (%s: %s); writing them one by one",
                        len(batch), type(exc).__name__, exc)
            self._finish_interrupted()
            for item in batch:
                try:
                    self._write([item], report)
                except Exception as one:  # noqa: BLE001 - reported per file, the run goes on
                    self._finish_interrupted()
                    self.on_failed(item.path, one)

    def _finish_interrupted(self) -> None:
        try:
            self.ingestor.recover()
        except Exception as exc:  # noqa: BLE001 - the next writer retries it
            log.warning("could not finish an interrupted write yet (%s: %s)", type(exc).__name__, exc)

    # -- the protocol ----------------------------------------------------------------------
    def _vectors(self, batch: list[PendingMinute], report: IngestReport) -> list[np.ndarray]:
        """Each minute's section vectors: the cache's, and one model call for all the rest."""
        ing = self.ingestor
        model = ing.embedder.name
        all_hashes = [h for p in batch for h in p.hashes]
        cached = ing.index.cached_vectors(model, all_hashes)
        missing: dict[str, str] = {}
        for p in batch:
            for h, t in zip(p.hashes, p.texts):
                if h not in cached:
                    missing.setdefault(h, t)
        if missing:
            fresh = ing.embedder.embed_documents(list(missing.values()))
            report.embedded += len(missing)
            ing.note_precision(report)
            new = {h: fresh[j] for j, h in enumerate(missing)}
            ing.index.cache_vectors(model, new)
            cached.update(new)
        return [np.stack([cached[h] for h in p.hashes]) for p in batch]

    def _write(self, batch: list[PendingMinute], report: IngestReport) -> None:
        ing = self.ingestor
        index, store = ing.index, ing.store
        vectors = self._vectors(batch, report)
        for p in batch:  # 1
            index.journal_begin(p.minute.minute_id)
        present = store.existing([s.section_id for p in batch for s in p.sections])
        add_sections: list[Section] = []
        add_metas = []
        add_rows: list[np.ndarray] = []
        for p, vecs in zip(batch, vectors):
            for i, s in enumerate(p.sections):
                # vectors of unchanged sections may be missing from this collection (new embedder)
                if s.section_id not in present:
                    add_sections.append(s)
                    add_metas.append(p.minute.meta)
                    add_rows.append(vecs[i])
        if add_sections:  # 2
            store.upsert(add_sections, add_metas, np.stack(add_rows))
        olds: list[set[str]] = []
        for p in batch:  # 3
            old, _ = index.write_minute(
                p.minute, p.sections, size=p.size, mtime_ns=p.mtime_ns, collection=store.collection_name,
                lexicon_words=p.lexicon_words, ledger=p.ledger, ledger_version=EXTRACTOR_VERSION, read=p.read,
            )
            olds.append(old)
        for p, old in zip(batch, olds):  # 4
            # a minute SQLite held no sections of has no stale vectors: ``recover`` removed
            # what an interrupted earlier write left, and the self-check any other stray
            if old:
                store.retain_minute(p.minute.minute_id, {s.section_id for s in p.sections})
        for p in batch:  # 5
            index.journal_end(p.minute.minute_id)
        for p, old in zip(batch, olds):
            self._count(p, old, report)

    def _count(self, p: PendingMinute, old_ids: set[str], report: IngestReport) -> None:
        new_ids = {s.section_id for s in p.sections}
        note_read(report, p.read)
        report.sections_added += len(new_ids - old_ids)
        report.sections_removed += len(old_ids - new_ids)
        if old_ids:
            if old_ids == new_ids and p.same_content:
                report.unchanged += 1  # re-embedded into a new collection only
            else:
                report.updated += 1
        else:
            report.added += 1

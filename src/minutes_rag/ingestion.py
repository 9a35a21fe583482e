"""Ingest: files -> minutes -> sections -> vectors -> Chroma + the state database.

Per file, nothing is written until the minute is parsed, split and embedded (minutes are
embedded and written in batches of ``ingest_batch_sections`` sections: ``write_batch.py``);
then, for every minute of a batch:
  1. the minute is entered in the journal,
  2. its new section vectors are upserted into Chroma (new ids only add: ids carry the
     text hash, so the old version stays queryable meanwhile),
  3. one SQLite transaction replaces its rows, lexical index and file record (commit point),
  4. Chroma drops the minute's vectors that are no longer in SQLite,
  5. the journal entry is removed.
A crash anywhere leaves either the old or the new minute whole; ``recover`` (run by the next
writer) finishes step 4 for journalled minutes. Pruning is journalled the same way (journal,
SQLite delete, Chroma delete, journal end). Retrieval also ignores Chroma ids that SQLite
does not know, so a stray vector can never surface as a half minute.
The minute's ledger (decisions, assignments, reports: ``ledger/``) is extracted before step 1
and written (or, by a prune, deleted) in the step-3 transaction with its sections, so it is
never out of step with them.

Only the holder of the data dir's writer lock (``lock.py``) runs any of this, including the
recovery: a reader that "repaired" a minute an ingest was half-way through would delete its
new vectors. Every run starts with the cheap consistency check of ``doctor.py`` and rebuilds
what Chroma lost from the embedding cache.

No input aborts a run: whatever a file raises becomes an entry in the report's errors.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from minutes_rag.embed import Embedder, embedding_text
from minutes_rag.errors import MinutesRagError, NotMinutes, ParseError
from minutes_rag.ids import text_hash
from minutes_rag.index import StateIndex
from minutes_rag.ledger.extract import EXTRACTOR_VERSION, extract_ledger
from minutes_rag.lexical import add_user_words
from minutes_rag.lock import WriterLock
from minutes_rag.model import IngestReport, Minute, MinuteMeta, Section
from minutes_rag.reading import ReadWarning, minute_read
from minutes_rag.resplit import resplit_stale
from minutes_rag.store import ChromaStore
from minutes_rag.write_batch import PendingMinute, WriteBatch

if TYPE_CHECKING:
    from minutes_rag.doctor import CheckReport
    from minutes_rag.parse.ocr.run import OcrOptions

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]


def refresh_ledger(index: StateIndex) -> int:
    """Re-extract the ledger of minutes extracted by another ``EXTRACTOR_VERSION`` (or never)
    from their stored text and sections: no parsing, no embedding. One transaction per
    minute, so an interrupted refresh resumes where it stopped. Returns the minutes done."""
    stale = index.ledger_stale(EXTRACTOR_VERSION)
    for minute_id in stale:
        try:
            minute = index.minute(minute_id)
        except MinutesRagError:
            continue  # removed meanwhile
        entries = extract_ledger(minute, index.sections_of(minute_id))
        index.replace_ledger(minute_id, entries, EXTRACTOR_VERSION)
    if stale:
        log.info("ledger re-extracted for %d minutes (extractor %s)", len(stale), EXTRACTOR_VERSION)
    return len(stale)


def note_skipped(report: IngestReport, exc: NotMinutes) -> None:
    """A file that is not a minute (an image without text): a warning as data
    (``not_minutes``), not a failure; nothing of it is indexed."""
    w = ReadWarning("not_minutes", exc.path, "", exc.problem)
    report.warning_details.append(w.to_json())
    report.warnings.append(str(w))
    log.info("%s", w)


def lexicon_words(meta: MinuteMeta) -> list[str]:
    """Departments and bodies from the metadata, for the jieba user dictionary."""
    words = [o.org for o in meta.observers if o.org]
    if meta.body:
        words.append(meta.body)
    return [w for w in words if 2 <= len(w) <= 20]


def problem_of(exc: BaseException) -> str:
    """What a file's failure tells the user (an ingest report's error)."""
    if isinstance(exc, MinutesRagError):
        return getattr(exc, "problem", None) or str(exc)
    if isinstance(exc, OSError):
        return f"cannot read file: {exc.strerror or exc}"
    return f"unexpected error while reading it ({type(exc).__name__}: {exc})"[:500]


class Ingestor:
    def __init__(
        self,
        index: StateIndex,
        store: ChromaStore,
        embedder: Embedder,
        *,
        max_file_bytes: int,
        section_max_chars: int,
        lock: WriterLock | None = None,
        follow_symlinks: bool = False,
        ledger_model: Any = None,

        ocr: OcrOptions | None = None,

        after: Callable[[StateIndex, IngestReport], None] | None = None,
        batch_sections: int = 1,
    ) -> None:
        self.index = index
        self.batch_sections = batch_sections  # sections written to Chroma in one go (write_batch.py)
        # what the composition root runs after the files, still under the writer lock (the
        # follow-up's trails and alerts): its failure is a warning, never a failed ingest
        self.after = after
        self.store = store
        self.embedder = embedder
        self.max_file_bytes = max_file_bytes
        self.section_max_chars = section_max_chars
        self.lock = lock
        self.follow_symlinks = follow_symlinks
        self.ledger_model = ledger_model  # a LangChain chat model: the ledger's LLM pass (ledger.llm_pass)

        self.ocr = ocr  # how scans are read; None: OCR off
        self.check: CheckReport | None = None  # the doctor's report of the last run
        self._unrecorded = False  # no counts were recorded before this run (self_check)
        self._precision_noted = False

    # -- repair --------------------------------------------------------------------------
    def recover(self) -> int:
        """Finish interrupted writes (writer lock held): drop Chroma vectors SQLite does not
        hold; a minute SQLite no longer has at all (an interrupted prune) goes from every
        collection."""
        pending = self.index.journal_pending()
        for minute_id in pending:
            keep = self.index.section_ids(minute_id)
            if keep:
                self.store.retain_minute(minute_id, keep)
            else:
                self.store.delete_minute_everywhere(minute_id)
            self.index.journal_end(minute_id)
        if pending:
            log.warning("repaired %d minute(s) whose last ingest was interrupted: %s", len(pending), ", ".join(pending))
        return len(pending)

    def self_check(self, report: IngestReport) -> None:
        """The cheap check; on a mismatch, rebuild from the cache and remove strays."""
        from minutes_rag import doctor

        check = doctor.quick_check(self.index, self.store)
        self.check = check
        # an index no writer of this version recorded may never have had its HNSW file
        # written either: this run writes it even when it changes nothing
        self._unrecorded = self.index.verified(self.store.collection_name) is None
        if check.ok:
            self.index.record_verified(self.store.collection_name, check.vectors, check.expected)
            return
        doctor.repair(self.index, self.store, check, self.embedder.name, embedder=self.embedder)
        if check.rebuilt or check.removed or check.reset_store:
            note = (
                f"the vector index did not match the state database: rebuilt {check.rebuilt} vectors "
                f"from the embedding cache, removed {check.removed} stray vectors"
            )
            if check.reset_store:
                note += f" (the unreadable store was moved to {check.reset_store})"
            report.warnings.append(note)

    def note_precision(self, report: IngestReport) -> None:
        """Record the precision of the vectors being added; warn when it is not the one the
        archive was embedded in (precision.py). Once per run."""
        from minutes_rag.precision import current_precision, mismatch

        used = current_precision(self.embedder)
        if not used or self._precision_noted:
            return
        self._precision_noted = True
        collection = self.store.collection_name
        recorded = self.index.recorded_precisions(collection)
        note = mismatch(recorded, used)
        if note:
            log.warning("%s", note)
            report.warnings.append(note)
        self.index.record_precision(collection, used)

    # -- embedding with cache ------------------------------------------------------------
    def embed_sections(self, sections: Sequence[Section], meta: MinuteMeta, report: IngestReport) -> np.ndarray:
        texts = [embedding_text(s, meta) for s in sections]
        hashes = [text_hash(t) for t in texts]
        cached = self.index.cached_vectors(self.embedder.name, hashes)
        missing = [i for i, h in enumerate(hashes) if h not in cached]
        if missing:
            fresh = self.embedder.embed_documents([texts[i] for i in missing])
            report.embedded += len(missing)
            self.note_precision(report)
            new = {hashes[i]: fresh[j] for j, i in enumerate(missing)}
            self.index.cache_vectors(self.embedder.name, new)
            cached.update(new)
        return np.stack([cached[h] for h in hashes]) if hashes else np.zeros((0, 1), dtype=np.float32)

    # -- one file ------------------------------------------------------------------------
    def ingest_file(self, path: Path, report: IngestReport, batch: WriteBatch | None = None) -> None:
        """Read, split and extract one file; its embedding and writes happen when ``batch``
        is flushed (without one: before returning)."""
        if batch is None:
            batch = WriteBatch(self, 1, self._raise)
            self.ingest_file(path, report, batch)
            batch.flush(report)
            return
        from minutes_rag.parse import load_minute
        from minutes_rag.split import SPLITTER_VERSION, split_minute

        source = str(path.resolve())
        try:
            st = path.stat()
        except OSError as exc:
            raise ParseError(str(path), f"cannot read file: {exc.strerror or exc}") from exc
        record = self.index.file_record(source)
        if record is not None:
            minute_id, size, mtime_ns, chash = record
            fast_same = size == st.st_size and mtime_ns == st.st_mtime_ns
            if fast_same and self.index.is_embedded(self.store.collection_name, minute_id, chash):
                report.unchanged += 1
                return
        minute: Minute = load_minute(path, max_bytes=self.max_file_bytes, ocr=self.ocr)
        report.warnings.extend(minute.warnings)
        if record is not None and record[3] == minute.content_hash and self.index.is_embedded(
            self.store.collection_name, minute.minute_id, minute.content_hash
        ):
            # touched but not changed (copied, checked out again): note the new mtime only
            self.index.touch_file(source, st.st_size, st.st_mtime_ns)
            report.unchanged += 1
            return
        words = lexicon_words(minute.meta)
        add_user_words(words)
        sections = split_minute(minute, max_chars=self.section_max_chars)
        if not sections:
            raise ParseError(str(path), "no text to index after splitting")
        ledger = extract_ledger(minute, sections)
        if self.ledger_model is not None:
            from minutes_rag.ledger.llm_pass import llm_entries

            ledger = sorted([*ledger, *llm_entries(minute, sections, ledger, self.ledger_model)], key=lambda e: e.start)
        read = minute_read(minute, sections, len(ledger), SPLITTER_VERSION)
        batch.add(PendingMinute(
            path=path, minute=minute, sections=sections, texts=[embedding_text(s, minute.meta) for s in sections],
            ledger=ledger, read=read, lexicon_words=words, size=st.st_size, mtime_ns=st.st_mtime_ns,
            same_content=record is not None and record[3] == minute.content_hash,
        ), report)

    # -- many files ----------------------------------------------------------------------
    def run(self, paths: Sequence[Path], *, prune: bool = False, progress: Progress | None = None) -> IngestReport:
        if self.lock is None:
            return self._run(paths, prune=prune, progress=progress)
        with self.lock:
            return self._run(paths, prune=prune, progress=progress)

    def _run(self, paths: Sequence[Path], *, prune: bool, progress: Progress | None) -> IngestReport:
        from minutes_rag.parse import path_problem, walk_archive

        started = time.perf_counter()
        report = IngestReport()
        self._precision_noted = False
        self.store.create = True  # the writer may create the store and its collection
        self.recover()
        refresh_ledger(self.index)
        self.self_check(report)
        resplit_stale(self, report)
        # teach jieba the departments already known, so query and index tokens agree
        add_user_words(self.index.lexicon())
        roots: list[Path] = []
        for root in paths:
            problem = path_problem(Path(root))
            if problem:
                report.failed += 1
                report.errors.append({"path": str(root), "error": problem})
            else:
                roots.append(Path(root))
        files, refused = walk_archive(roots, follow_symlinks=self.follow_symlinks)
        for path, problem in refused:
            report.failed += 1
            report.errors.append({"path": str(path), "error": problem})
        batch = WriteBatch(self, self.batch_sections, lambda p, exc: self._failed(p, problem_of(exc), report))
        for n, path in enumerate(files):
            try:
                self.ingest_file(path, report, batch)
            except NotMinutes as exc:
                note_skipped(report, exc)
            except Exception as exc:  # noqa: BLE001 - the last resort: one bad file never ends the run
                self._failed(path, problem_of(exc), report)
            if progress is not None:
                progress(n + 1, len(files), str(path))
        batch.flush(report)
        if prune:
            self._prune(roots, files, report)
        self._record_check()

        if self.after is not None:
            try:
                self.after(self.index, report)
            except Exception as exc:  # noqa: BLE001 - the minutes are in; what follows them must not undo that
                log.warning("after ingest: %s: %s", type(exc).__name__, exc)
                report.warnings.append(f"the follow-up step after ingest failed ({type(exc).__name__}: {exc})")
        report.seconds = time.perf_counter() - started
        return report

    def _record_check(self) -> None:
        """Count what this run left for readers (``doctor.recorded_check``); a no-op run keeps
        the record of its start. A failure here never fails the run: readers count instead."""
        from minutes_rag import doctor

        recorded = self.index.verified(self.store.collection_name)
        if recorded is not None and recorded.get("generation") == self.index.generation() and not self._unrecorded:
            return
        try:
            # the next reader loads Chroma's index file instead of rebuilding it (store.py)
            self.store.persist_index()
            doctor.record_check(self.index, self.store)
        except Exception as exc:  # noqa: BLE001 - the index is written; only the record is missing
            log.warning("could not record the index's counts (%s: %s)", type(exc).__name__, exc)

    @staticmethod
    def _raise(path: Path, exc: BaseException) -> None:
        raise exc

    def _failed(self, path: Path, problem: str, report: IngestReport) -> None:
        report.failed += 1
        report.errors.append({"path": str(path), "error": problem})
        log.warning("skipped %s: %s", path, problem)  # one line: the problem is the user's, not a bug trace
        # a write that failed half-way (Chroma refused a batch, say) is finished now, not later
        if self.index.journal_pending():
            try:
                self.recover()
            except Exception as exc:  # noqa: BLE001 - the next writer retries it
                log.warning("could not finish an interrupted write yet (%s: %s)", type(exc).__name__, exc)

    def _prune(self, roots: Sequence[Path], seen: Sequence[Path], report: IngestReport) -> None:
        """Remove minutes whose file is gone from disk, or no longer found under a root that
        was scanned (renamed to an unsupported type, for example)."""
        seen_set = {str(p.resolve()) for p in seen}
        root_dirs = [str(r.resolve()) + os.sep for r in roots if r.is_dir()]
        for path, minute_id in self.index.all_files():
            gone = not os.path.exists(path)
            under_root = any(path.startswith(r) for r in root_dirs)
            if gone or (under_root and path not in seen_set):
                # journalled like an update: a kill between the two deletes leaves the
                # minute listed, and the next writer removes its vectors
                self.index.journal_begin(minute_id)
                report.sections_removed += self.index.delete_minute(minute_id)
                self.store.delete_minute_everywhere(minute_id)
                self.index.journal_end(minute_id)
                report.removed += 1
                log.info("pruned %s (%s)", minute_id, "file gone" if gone else "no longer under a scanned folder")

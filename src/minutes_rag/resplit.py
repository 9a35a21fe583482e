"""Re-splitting after a splitter change: the minutes another ``SPLITTER_VERSION`` split (or an
index that never recorded one) are split again from the text the state database keeps; no
file is read again. Section ids carry their text's hash, so only sections whose text changed
are new: their vectors come from the embedding cache when the same text was embedded before
(a label moved, not the text) and from the model otherwise; unchanged sections keep their
vectors. The ledger is re-extracted from the new sections in the same transaction.

A minute is rewritten exactly as ``Ingestor.ingest_file`` writes one (journal, Chroma upsert
of new ids, one SQLite transaction, Chroma drops what SQLite no longer holds), so a crash
leaves the old or the new split whole.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from minutes_rag.errors import MinutesRagError
from minutes_rag.ledger.extract import EXTRACTOR_VERSION, extract_ledger
from minutes_rag.model import IngestReport
from minutes_rag.reading import minute_read

if TYPE_CHECKING:
    from minutes_rag.ingestion import Ingestor

log = logging.getLogger(__name__)


def resplit_stale(ingestor: Ingestor, report: IngestReport) -> int:
    """Re-split every minute split by another splitter version; returns how many changed."""
    from minutes_rag.split import SPLITTER_VERSION, split_minute

    index, store = ingestor.index, ingestor.store
    changed = 0
    for minute_id in index.split_stale(SPLITTER_VERSION):
        try:
            minute = index.minute(minute_id)
        except MinutesRagError:
            continue  # removed meanwhile
        record = index.file_record(minute.source)
        sections = split_minute(minute, max_chars=ingestor.section_max_chars)
        if not sections or record is None:
            continue  # nothing to index (an empty stored text) or no file behind it: left as it is
        old_ids = index.section_ids(minute_id)
        new_ids = {s.section_id for s in sections}
        if old_ids == new_ids:
            # the same sections (and so the same ledger): only how it was read is recorded
            index.record_read(minute_read(minute, sections, index.ledger_count(minute_id), SPLITTER_VERSION))
            continue
        ledger = extract_ledger(minute, sections)
        read = minute_read(minute, sections, len(ledger), SPLITTER_VERSION)
        vectors = ingestor.embed_sections(sections, minute.meta, report)
        index.journal_begin(minute_id)
        present = store.existing([s.section_id for s in sections])
        to_add = [i for i, s in enumerate(sections) if s.section_id not in present]
        store.upsert([sections[i] for i in to_add], [minute.meta] * len(to_add), vectors[to_add])
        index.write_minute(minute, sections, size=record[1], mtime_ns=record[2], collection=store.collection_name,
                           lexicon_words=[], ledger=ledger, ledger_version=EXTRACTOR_VERSION, read=read)
        store.retain_minute(minute_id, new_ids)
        index.journal_end(minute_id)
        report.sections_added += len(new_ids - old_ids)
        report.sections_removed += len(old_ids - new_ids)
        changed += 1
    if changed:
        log.info("re-split %d minutes with splitter %s", changed, SPLITTER_VERSION)
    report.resplit += changed
    return changed

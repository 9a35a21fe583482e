"""Structure and ledger sets scored straight from the files: parse, split and extract each
labelled minute in memory, without an index or an embedder.

The same scores as ``minutes-rag eval`` gives after an ingest (evaluation/structure.py,
evaluation/ledger.py), for the integration tests and for quick runs while writing rules:

    from minutes_rag.evaluation.direct import score_sets
    structure, ledger = score_sets(["eval/structure_dev_zh.jsonl"], ["eval/ledger_dev_zh_styles.jsonl"],
                                   "../shared/corpus")
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from minutes_rag.evaluation.ledger import load_ledger_sets, place_labels, score_minute, summarize
from minutes_rag.evaluation.ledger import summarize_by_style as ledger_by_style
from minutes_rag.evaluation.structure import load_structure_sets, score_structure, summarize_structure
from minutes_rag.ledger import LedgerEntry
from minutes_rag.ledger.extract import extract_ledger
from minutes_rag.model import Minute, Section
from minutes_rag.parse import load_minute
from minutes_rag.split import split_minute


@dataclass(frozen=True)
class ReadMinute:
    minute: Minute
    sections: list[Section]
    entries: list[LedgerEntry]


def read_file(path: str | Path) -> ReadMinute:
    """One file through parse, split and the ledger rules, as ingest reads it."""
    minute = load_minute(Path(path))
    sections = split_minute(minute)
    return ReadMinute(minute, sections, extract_ledger(minute, sections))


def score_sets(
    structure_sets: Sequence[str | Path], ledger_sets: Sequence[str | Path], corpus_root: str | Path
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(structure summary, ledger summary) of the sets; either is None without its sets."""
    cache: dict[str, ReadMinute] = {}

    def read(file: str) -> ReadMinute:
        if file not in cache:
            cache[file] = read_file(Path(corpus_root) / file)
        return cache[file]

    s_sum = l_sum = None
    if structure_sets:
        s_scores = []
        for item in load_structure_sets(structure_sets, corpus_root):
            r = read(item.file)
            s_scores.append(score_structure(item, r.sections, r.minute.text, r.minute.meta))
        s_sum = summarize_structure(s_scores)
        s_sum["per_minute"] = [{"id": s.id, "missed": s.missed, "spurious": s.spurious, "meta_wrong": s.meta_wrong}
                               for s in s_scores]
    if ledger_sets:
        l_scores = []
        for lm in load_ledger_sets(ledger_sets, corpus_root):
            r = read(lm.file)
            l_scores.append(score_minute(place_labels(lm, r.minute.text), r.entries, r.minute.text,
                                         lm.lang or r.minute.meta.lang))
        l_sum = summarize(l_scores)
        l_sum["styles"] = ledger_by_style(l_scores)
        l_sum["per_minute"] = [{"id": s.id, "missed": s.missed, "spurious": s.spurious} for s in l_scores]
    return s_sum, l_sum

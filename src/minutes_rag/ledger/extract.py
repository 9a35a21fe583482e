"""Ledger extraction: a minute and its sections -> ``LedgerEntry`` s.

Rule-based (``zh.py``, ``en.py``): deterministic, offline, microseconds per section. It runs
at ingest for every section and again from the stored sections whenever
``EXTRACTOR_VERSION`` changes (see ``ingestion.py``), so bump it with every change of the
rules. An optional ``Refiner`` (an LLM, for example) may rewrite the descriptive fields of
an entry afterwards; the quote, its offsets and the citation fields are never taken from it.
"""

from __future__ import annotations

import logging
import re
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from difflib import SequenceMatcher
from typing import Protocol

from minutes_rag.ledger.en import extract_en
from minutes_rag.ledger.model import LedgerEntry
from minutes_rag.ledger.zh import Found, extract_zh
from minutes_rag.model import Minute, Section
from minutes_rag.text import ledger_vocab as V

log = logging.getLogger(__name__)

# Bump on every change of the rules or vocabulary: stored ledgers are re-extracted from the
# stored sections on the next ingest/open (no re-embedding).
EXTRACTOR_VERSION = "rules-18"  # rules-16zh (named Chinese forms) + party/collective bodies as units + English precision (offices behind an article, shared views, standing language, a speaker's own turn, the next meeting's date)

# Parts of a minute that hold no decisions: the attendance lists, the distribution block,
# a verbatim transcript (speech, not the record of what was decided).
# an unnamed report and a named one are about the same matter when their subjects share a run
# of this many characters: measured over every (unnamed, named) report pair of one minute in
# ../shared/corpus/zh, ingest/sample/synthetic, eval/ledger_heldout*, ../shared/corpus/dev/zh,
# pairs about one matter share at least 8, pairs about different matters at most 6
SHARED_SUBJECT_CHARS = 7
_SKIP_KINDS = ("attendance", "tail", "transcript")


class Refiner(Protocol):
    """Refines an entry's descriptive fields (task, deadline, subject, lead, partners,
    outcome); returns the entry, changed or not. ``context`` is the section's text."""

    def refine(self, entry: LedgerEntry, context: str) -> LedgerEntry: ...


_FIXED = ("item_id", "minute_id", "doc_number", "meeting_number", "date", "label", "section_id", "kind", "quote", "start", "end")


def apply_refiner(refiner: Refiner, entry: LedgerEntry, context: str) -> LedgerEntry:
    """Run a refiner, keeping the verbatim quote, its offsets and the citation fields of
    the rule-based entry whatever the refiner returns; a failing refiner leaves it as is."""
    try:
        refined = refiner.refine(entry, context)
    except Exception as exc:  # noqa: BLE001 - an optional pass must never break ingest
        log.warning("ledger refiner failed on %s: %s", entry.item_id, exc)
        return entry
    if not isinstance(refined, LedgerEntry):
        return entry
    return replace(refined, **{k: getattr(entry, k) for k in _FIXED})


_HEAD_MARK = V.ZH_HEAD_MARK
_ANY_MARK = V.ZH_ITEM_MARK


# how the sentence after an item's heading opens (so "1．审议《…》\n会议审议通过…" stays two lines)
_OPENERS = ("会议", "会上", "经研究", "原则同意", "审议通过", "同意", "明确由", "由", "请")


def zh_view(text: str, a: int, b: int) -> tuple[str, Sequence[int]]:
    """``text[a:b]`` with the line breaks of hard-wrapped or page-broken text taken out
    (市应急局\n关于, 各地各\n部门, 安\n\n全生产), and for each character of the view its offset
    in ``text``. A break stays after a sentence end or a colon, before an item marker,
    after a short line (a title) and after a heading (一、… without 。, or a marked line
    without 。 followed by 会议…/由…/请…)."""
    # line by line, not character by character: linear in the text with a small constant (a
    # 20 MB minute on one line took minutes here), and the offsets as machine integers, not
    # one Python int object per character (1 GB for 20 MB)
    out: list[str] = []
    where = array("q")
    line_start = a
    i = a
    while i < b:
        nl = text.find("\n", i, b)
        if nl < 0:
            out.append(text[i:b])
            where.extend(range(i, b))
            break
        if nl > i:
            out.append(text[i:nl])
            where.extend(range(i, nl))
        i = nl
        j = i
        while j < b and text[j] in " \t\r\n\u3000":
            j += 1
        prev = text[line_start:i].rstrip()
        keep = (
            not prev or j >= b or prev[-1] in "。！？：:；;" or _ANY_MARK.match(text, j) is not None
            or len(prev.strip()) <= 30 or (_HEAD_MARK.match(prev) is not None and "。" not in prev)
            or (_ANY_MARK.match(prev) is not None and "。" not in prev and text.startswith(_OPENERS, j))
            or not ("\u4e00" <= prev[-1] <= "\u9fff" or prev[-1] in "，、“”（）《》")
        )
        if keep:
            out.append(text[i:j])
            where.extend(range(i, j))
        line_start = j
        i = j
    return "".join(out), where


def _to_text(f: Found, where: Sequence[int]) -> Found:
    """Offsets of an entry found in the view -> offsets in the minute's text."""
    if f.end <= f.start:
        return f
    f.start, f.end = where[f.start], where[f.end - 1] + 1
    return f


def _groups(sections: Sequence[Section]) -> list[list[Section]]:
    """Consecutive parts of one section (a long item cut into parts) as one group, so a
    sentence on a part boundary is still read whole."""
    out: list[list[Section]] = []
    for s in sections:
        if out and out[-1][-1].label_path == s.label_path and out[-1][-1].kind == s.kind and s.part > 0:
            out[-1].append(s)
        else:
            out.append([s])
    return out


def _norm_outcome(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _drop_heading_reports(entries: list[LedgerEntry], by_id: dict[str, Section]) -> list[LedgerEntry]:
    """An item headed "听取X关于…的报告" whose text says it again (会议听取了X关于…的报告) is
    one report: keep the body's."""
    last: dict[tuple, int] = {}
    for i, e in enumerate(entries):
        if e.kind == "report":
            sec = by_id.get(e.section_id)
            top = sec.label_path[:1] if sec else ()
            last[(e.minute_id, top, e.lead, re.sub(r"\s+", "", e.subject))] = i
    keep = set(last.values())
    return [e for i, e in enumerate(entries) if e.kind != "report" or i in keep]


def _shared_subject(a: str, b: str) -> bool:
    """Two report subjects name the same matter: one holds the other, or they share a run of
    ``SHARED_SUBJECT_CHARS`` characters (关于东湖市2021年全年生活垃圾分类工作情况 / 2021年全年生活垃圾分类工作情况)."""
    a, b = re.sub(r"[\s《》]", "", a), re.sub(r"[\s《》]", "", b)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size >= SHARED_SUBJECT_CHARS


def _drop_unnamed_reports(entries: list[LedgerEntry]) -> list[LedgerEntry]:
    """听取关于X的汇报 in an agenda list or an item heading, where the minute also says who
    reported on X (会议听取了市城管局关于X的汇报): one report, the named one."""
    named = [e for e in entries if e.kind == "report" and e.lead]
    return [e for e in entries if e.kind != "report" or e.lead
            or not any(_shared_subject(e.subject, n.subject) for n in named)]


def _drop_restated_decisions(entries: list[LedgerEntry]) -> list[LedgerEntry]:
    """A readout's lead sentence lists what the meeting passed (审议通过《X》) and its body says
    it again (会议审议通过《X》。会议指出…): one decision, the body's (the later one)."""
    last: dict[str, int] = {}
    for i, e in enumerate(entries):
        if e.kind == "decision" and e.subject.startswith("《"):
            last[re.sub(r"\s+", "", e.subject)] = i
    keep = set(last.values())
    return [e for i, e in enumerate(entries)
            if e.kind != "decision" or not e.subject.startswith("《") or i in keep]


def extract_ledger(
    minute: Minute, sections: Sequence[Section], *, refiner: Refiner | None = None
) -> list[LedgerEntry]:
    """All entries of a minute, in text order; ``minute.text[e.start:e.end] == e.quote``."""
    text = minute.text
    meta = minute.meta
    lexicon = [o.org for o in meta.observers if o.org]
    entries: list[LedgerEntry] = []
    seen: dict[tuple[str, int], int] = {}
    context: dict[str, tuple[int, int]] = {}  # item id -> the section group it was read in
    keys: set[tuple[str, int, int, tuple[str, ...]]] = set()
    for group in _groups(sorted(sections, key=lambda s: s.start)):
        first = group[0]
        if first.kind in _SKIP_KINDS:
            continue
        a, b = first.start, group[-1].end
        starts = [s.start for s in group]
        if meta.lang == "en":
            found: list[Found] = extract_en(
                text, a, b, item_subject=first.title if first.kind == "item" else None, item_label=first.label
            )
        else:
            view, where = zh_view(text, a, b)
            found = [_to_text(f, where) for f in extract_zh(view, 0, len(view), lexicon)]
        for f in found:
            if f.end <= f.start:
                continue
            key = (f.kind, f.start, f.end, tuple(f.lead))
            if key in keys:
                continue
            keys.add(key)
            # the part holding the entry's start, by bisection (a scan of the group for each
            # entry was quadratic in a long item's parts: a one-line minute is one item)
            k = bisect_right(starts, f.start) - 1
            sec = group[k] if k >= 0 and f.start < group[k].end else first
            n = seen.get((f.kind, f.start), 0)
            seen[(f.kind, f.start)] = n + 1
            item_id = f"{minute.minute_id}-{f.kind[0]}{f.start}" + (f"-{n}" if n else "")
            entry = LedgerEntry(
                item_id=item_id, minute_id=minute.minute_id, doc_number=meta.doc_number,
                meeting_number=meta.meeting_number, date=meta.date, label=sec.label, section_id=sec.section_id,
                kind=f.kind, lead=tuple(f.lead), partners=tuple(f.partners), task=f.task, deadline=f.deadline,
                outcome=_norm_outcome(f.outcome), subject=f.subject, vote=f.vote, generic=f.generic,
                quote=text[f.start : f.end], start=f.start, end=f.end,
            )
            context[item_id] = (a, b)
            entries.append(entry)
    entries = _drop_heading_reports(entries, {s.section_id: s for s in sections})
    entries = _drop_unnamed_reports(entries)
    entries = _drop_restated_decisions(entries)
    if refiner is not None:  # only what the rules keep goes to the model
        entries = [apply_refiner(refiner, e, text[slice(*context[e.item_id])]) for e in entries]
    entries.sort(key=lambda e: (e.start, e.kind))
    log.debug("ledger: %d entries in %s", len(entries), minute.minute_id)
    return entries

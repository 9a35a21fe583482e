"""Agenda-item splitter: a minute's normalised text -> citable ``Section`` s.

One module per thing it owns: ``zh_items`` (Chinese items), ``en_items`` (English council
items), ``around`` (preamble, closing, attendance, tail, transcript, paragraphs of minutes
without items), ``parts`` (long sections cut into parts). Which rules read a minute is its
``minute.meta.lang`` (decided once, by ``text.lang.detect_lang``, when it was parsed).

``split_minute(minute)`` cuts ``minute.text`` (already normalised and page-break repaired
by ``parse.normalize``; offsets point into it) into sections that cover the document in
order and never overlap; for every section ``minute.text[s.start:s.end] == s.text``.

Chinese minutes: items marked 一、 > （一） > 1. > （1） > ①, at most three levels; label paths
("四",), ("四", "（一）"), ("四", "（一）", "1"); ``Section.label`` renders 四（一）1.
English council minutes: items "38 Request of ...", "*42 Accept ...", "Item 38"; label
path ("38",).
Around the agenda (kind, label zh / en): preamble ("导语",) / ("Preamble",), everything
before the first item; closing ("结尾",) / ("Closing",); attendance ("出席",) /
("Attendance",); tail ("附注",) / ("Distribution",); transcript ("Transcript",);
paragraph ("第1段",) / ("¶1",) for minutes without any numbering. Chinese readouts without
numbering whose matters open with 会议指出/强调/审议/听取/决定… get one item per matter,
("第1项",), ("第2项", "一") for a numbered point (split/readout.py). An attendance list
inside the header (before the first item) stays in the preamble.

Known limits: 第一条-style articles are not recognised as items.

A section longer than ``max_chars`` is cut into parts 0..n-1 of similar size that share its
label path and title. If a label path repeats (numbering restarted at 一), the later ones
get a suffix on their last element: ("一-2",).
"""

from __future__ import annotations

from minutes_rag.ids import section_id_for
from minutes_rag.model import Minute, Section
from minutes_rag.split.around import paragraph_spans
from minutes_rag.split.en_items import en_spans
from minutes_rag.split.parts import part_bounds
from minutes_rag.split.readout import readout_spans
from minutes_rag.split.spans import lines_of
from minutes_rag.split.zh_items import zh_spans

__all__ = ["SPLITTER_VERSION", "split_minute"]

# The version of these rules: bump it with every change that can move a section boundary or
# label. Ingest re-splits the minutes another version split from their stored text and embeds
# only the sections whose text changed (``ingestion.resplit_stale``).
SPLITTER_VERSION = "split-1"


def split_minute(minute: Minute, *, max_chars: int = 700) -> list[Section]:
    """Cut a minute into citable sections (see the module docstring for the rules).

    Sections come in document order, do not overlap, have non-blank text, and satisfy
    ``minute.text[s.start:s.end] == s.text``; (label_path, part) is unique per minute."""
    if max_chars < 50:
        raise ValueError("max_chars must be at least 50")
    text = minute.text
    lines = lines_of(text)
    if not lines:
        return []
    zh = minute.meta.lang == "zh"
    spans = zh_spans(text, lines) if zh else en_spans(text, lines)
    if spans is None and zh:
        spans = readout_spans(text, lines)
    if spans is None:
        spans = paragraph_spans(text, lines, zh)

    sections: list[Section] = []
    used: dict[tuple[str, ...], int] = {}
    for sp in spans:
        bounds = part_bounds(text, sp.start, sp.end, max_chars)
        if not bounds:
            continue
        path = sp.label_path
        used[path] = used.get(path, 0) + 1
        if used[path] > 1:  # numbering restarted: keep labels unique
            path = (*path[:-1], f"{path[-1]}-{used[path]}")
            used[path] = 1
        for part, (s, e) in enumerate(bounds):
            body = text[s:e]
            sections.append(
                Section(
                    section_id=section_id_for(minute.minute_id, path, part, body),
                    minute_id=minute.minute_id,
                    label_path=path,
                    kind=sp.kind,
                    title=sp.title,
                    text=body,
                    start=s,
                    end=e,
                    part=part,
                    parts=len(bounds),
                )
            )
    return sections

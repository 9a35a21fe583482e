"""The sections of the items a question names by number ("Ord. No. 11-10", "Int 0123-2024",
"Item 38", 第三项): retrieval's scope for such a question, the way a document number narrows
it to one minute.

A section *is* the item when its label or its heading (title and first line) writes the
number: the splitter gave the item a section of its own. Otherwise a section that writes the
number in its text *holds* the item (an item the splitter left inside a larger one); the
item's text then runs from where its number is written to the next identifier of an item, and
that window is what is searched and quoted (``focus``). A number no section writes is not in
the archive: the question is answered "not found", never from another item.

Numbers are matched whole (``text.identifiers``): 1302-10 is not 1302-11, 130-10 or $1,302.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from minutes_rag.model import Section
from minutes_rag.text.identifiers import ItemId, find_identifiers, label_number, mentions, same_number, search_groups
from minutes_rag.text.patterns import CN_DIGITS

if TYPE_CHECKING:
    from minutes_rag.index import StateIndex

log = logging.getLogger(__name__)

# how far into a section its heading reaches: the first line, or this many characters of a
# minute flattened into long lines (Portland's "*42 Accept a grant ... (Y-5) 184349")
HEAD_CHARS = 160
# the most candidate sections read per identifier (the full-text prefilter's limit)
CANDIDATE_LIMIT = 2000
_CN = {v: k for k, v in CN_DIGITS.items() if k in "一二三四五六七八九"}


@dataclass(frozen=True)
class ItemMatches:
    """The sections that are the items asked about (``heads``) and those that only hold
    them in their text (``holders``), in the order the index returned them."""

    heads: tuple[str, ...] = ()
    holders: tuple[str, ...] = ()

    @property
    def section_ids(self) -> tuple[str, ...]:
        """The sections to search: the items' own sections when there are any."""
        return self.heads or self.holders

    def __bool__(self) -> bool:
        return bool(self.heads or self.holders)


def _zh_label(n: int) -> list[str]:
    if 1 <= n <= 9:
        return [_CN[n]]
    if 10 <= n <= 19:
        return ["十" + (_CN[n - 10] if n > 10 else "")]
    if 20 <= n <= 99:
        return [_CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")]
    return []


def heading(section: Section) -> str:
    """A section's label, title and first line: where a section of its own writes its number."""
    first = section.text.lstrip().split("\n", 1)[0][:HEAD_CHARS]
    return "\n".join((" ".join(section.label_path), section.title, first))


def is_head(section: Section, wanted: ItemId) -> bool:
    """Whether ``section`` is the item ``wanted`` (by its label or its heading)."""
    if section.part > 0:
        return False  # the rest of an item: its first part carries the heading
    if wanted.kind == "item" and section.kind == "item" and section.label_path:
        if same_number(wanted.parts, label_number(section.label_path[0])):
            return True
    return mentions(heading(section), wanted, bare=False)


def find_item_sections(index: StateIndex, wanted: Sequence[ItemId], minute_ids: Sequence[str] | None) -> ItemMatches:
    """The sections (of ``minute_ids``; None: all) that are or hold the items ``wanted``."""
    heads: list[str] = []
    holders: list[str] = []
    for item in wanted:
        ids = index.sections_with_terms(search_groups(item), minute_ids, CANDIDATE_LIMIT)
        if item.kind == "item" and len(item.parts) == 1:
            ids += index.sections_labelled([str(item.parts[0]), *_zh_label(item.parts[0])], minute_ids)
        sections = index.sections_by_id(list(dict.fromkeys(ids)))
        for sid in dict.fromkeys(ids):
            sec = sections.get(sid)
            if sec is None:
                continue
            if is_head(sec, item):
                heads.append(sid)
            elif mentions(sec.text, item):
                holders.append(sid)
    log.debug("items %s: %d sections of their own, %d holding them", [w.written for w in wanted], len(heads), len(holders))
    return ItemMatches(tuple(dict.fromkeys(heads)), tuple(dict.fromkeys(holders)))


def _identifier_starts(text: str) -> list[int]:
    """Where items begin inside a text: identifiers that open a line ("Int 0123-2024  A Local
    Law ...", "~SPONSOR Res ...", "Ord. No. 11-10. By ...")."""
    out = []
    for found in find_identifiers(text):
        line_start = text.rfind("\n", 0, found.start) + 1
        before = text[line_start:found.start]
        if len(before.strip()) <= 12 and not re.search(r"[a-z]{3}.*[.,;]", before):
            out.append(line_start)
    return out


def focus(section: Section, wanted: Sequence[ItemId]) -> Section:
    """The window of a section that holds an item among others: from the line where the
    item's number is written to the next line that opens another item (the whole section
    when it is the item, or when the number is not written at the start of a line)."""
    if any(is_head(section, w) for w in wanted):
        return section
    text = section.text
    starts = sorted(set(_identifier_starts(text)))
    for found in find_identifiers(text):
        if not any(w.matches(found) for w in wanted):
            continue
        line_start = text.rfind("\n", 0, found.start) + 1
        if line_start not in starts:
            continue
        end = next((s for s in starts if s > line_start), len(text))
        end = line_start + len(text[line_start:end].rstrip())
        body = text[line_start:end]
        if body.strip():
            return replace(section, text=body, start=section.start + line_start, end=section.start + end)
    return section

"""How a minute was read: the family of minutes the splitter took it for, the agenda items and
ledger entries found, and the warnings a user needs to see when a long minute yielded none
("read as paragraphs: no agenda items recognised"), so that the files of an archive the rules
did not understand are named at once instead of being silently half-read.

``ingest`` reports one :class:`MinuteRead` per minute it (re)read (``--json``: ``minutes_read``;
warnings as data: ``warning_details``), the state database keeps the latest of each minute
(``minute_reads``, with the splitter version that produced its sections: see
``ingestion.resplit_stale``), and ``minutes-rag doctor --structure`` lists the ones with
warnings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import PurePath
from typing import Any

from minutes_rag.model import Minute, Section

# A minute shorter than this may well be one decision without numbering (a short readout, a
# notice of one item): no warning. Longer ones without items or without a ledger entry are
# almost always a style the rules do not know (issue 16: the real minutes read as paragraphs
# were 2,000 to 150,000 characters; the dev corpus's shortest minute with items has 1,705).
WARN_MIN_CHARS = 2000

# a Chinese readout: paragraphs opened by what the meeting did, no numbering
_ZH_READOUT = re.compile(r"会议(?:指出|强调|要求|认为|审议|听取|研究|决定|原则通过|通过)")
_MARKDOWN = (".md", ".markdown")


@dataclass(frozen=True)
class MinuteRead:
    """One minute as the splitter and the ledger read it."""

    path: str
    minute_id: str
    family: str  # "纪要 items" | "readout paragraphs" | "council items" | "board markdown" | "paragraphs"
    items: int  # agenda items found (top-level items, each counted once)
    ledger_entries: int
    chars: int
    splitter: str = ""  # the SPLITTER_VERSION that produced its sections

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("splitter")
        return d


@dataclass(frozen=True)
class ReadWarning:
    """A warning as data: ``code`` for programs, ``message`` for people."""

    code: str  # "no_agenda_items" | "no_ledger_entries" | "not_minutes" (ingestion.note_skipped)
    path: str
    minute_id: str
    message: str

    def to_json(self) -> dict[str, str]:
        return asdict(self)

    def __str__(self) -> str:
        return f"{PurePath(self.path).name}: {self.message}"


def family_of(minute: Minute, sections: Sequence[Section]) -> str:
    """The family of minutes the splitter read ``minute`` as, from the sections it made."""
    items = count_items(sections)
    zh = minute.meta.lang == "zh"
    if items == 0:
        if zh and len(_ZH_READOUT.findall(minute.text)) >= 2:
            return "readout paragraphs"
        return "paragraphs"
    if zh:
        return "纪要 items"
    if minute.source.lower().endswith(_MARKDOWN):
        return "board markdown"
    return "council items"


def count_items(sections: Sequence[Section]) -> int:
    """Top-level agenda items among ``sections`` (parts and sub-items counted once)."""
    return len({s.label_path[:1] for s in sections if s.kind == "item" and s.label_path})


def minute_read(minute: Minute, sections: Sequence[Section], ledger_entries: int, splitter: str) -> MinuteRead:
    return MinuteRead(
        path=minute.source,
        minute_id=minute.minute_id,
        family=family_of(minute, sections),
        items=count_items(sections),
        ledger_entries=ledger_entries,
        chars=len(minute.text),
        splitter=splitter,
    )


def read_warnings(read: MinuteRead) -> list[ReadWarning]:
    """What a user should look at in a minute read this way (none for a short minute)."""
    if read.chars <= WARN_MIN_CHARS:
        return []
    out = []
    if read.items == 0:
        out.append(ReadWarning("no_agenda_items", read.path, read.minute_id,
                               f"read as {read.family}: no agenda items recognised in {read.chars:,} characters"))
    if read.ledger_entries == 0:
        out.append(ReadWarning("no_ledger_entries", read.path, read.minute_id,
                               f"no decision, assignment or report recognised in {read.chars:,} characters"))
    return out


def families_line(reads: Sequence[dict[str, Any]]) -> str:
    """One line for the plain ingest report: "read: 12 council items, 1 paragraphs (3 with
    warnings)" over ``MinuteRead.to_json()`` dicts."""
    counts: dict[str, int] = {}
    for r in reads:
        counts[r["family"]] = counts.get(r["family"], 0) + 1
    flagged = sum(1 for r in reads if read_warnings(MinuteRead(**r)))
    line = "read: " + ", ".join(f"{n} {family}" for family, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    return line + (f" ({flagged} with warnings, listed below)" if flagged else "")

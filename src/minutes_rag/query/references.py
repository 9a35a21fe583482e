"""References to a particular minute written in a question: 第102次常务会议, 〔2020〕21号,
2020年6月30日, "the January 12, 2011 meeting". What a question asks about the meeting itself (who chaired,
when it was issued ...) is its intent: ``minutes_rag.query.intents``."""

from __future__ import annotations

from dataclasses import dataclass

from minutes_rag.text.patterns import find_dates, find_doc_numbers, meeting_numbers


@dataclass(frozen=True)
class References:
    doc_numbers: tuple[str, ...] = ()
    meeting_numbers: tuple[int, ...] = ()
    dates: tuple[str, ...] = ()  # YYYY-MM-DD

    @property
    def any_minute(self) -> bool:
        return bool(self.doc_numbers or self.meeting_numbers or self.dates)


def find_references(question: str) -> References:
    """Document numbers, meeting numbers and dates ``question`` names, read with the
    patterns minutes are read with (``text.patterns``): 第一百零二次 and "Jan. 12, 2011" too."""
    docs = tuple(find_doc_numbers(question))
    meetings = tuple(meeting_numbers(question))
    dates = [d.iso for d in find_dates(question)]
    return References(docs, meetings, tuple(dict.fromkeys(dates)))


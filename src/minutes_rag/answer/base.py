"""The Answerer seam and helpers shared by the answerers."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from minutes_rag.model import Answer, Citation, Hit, Turn

if TYPE_CHECKING:
    from minutes_rag.query import Query


@runtime_checkable
class Answerer(Protocol):
    """Turns a question (its Query, analysed once) and retrieved hits into an Answer with
    checked citations; the Answer's ``rewrite`` repeats the Query's.

    ``stream`` yields text deltas while the answer is produced, then exactly one final
    Answer. The final Answer's text is authoritative: citation markers are checked and
    renumbered after the model finishes, so a UI must replace the streamed text with it.
    """

    mode: str

    def answer(self, query: Query | str, hits: Sequence[Hit], history: Sequence[Turn] = ()) -> Answer: ...

    def stream(
        self, query: Query | str, hits: Sequence[Hit], history: Sequence[Turn] = ()
    ) -> Iterator[str | Answer]: ...


def final_answer(items: Iterator[str | Answer]) -> Answer:
    """Drain a stream and return its final Answer (answer() built on stream())."""
    result: Answer | None = None
    for item in items:
        if isinstance(item, Answer):
            result = item
    if result is None:  # a broken answerer; never expected
        raise RuntimeError("answer stream ended without a final Answer")
    return result


def make_citation(n: int, hit: Hit, a: int, b: int) -> Citation:
    """A citation of ``hit.section.text[a:b]``, with offsets moved into the minute's text."""
    sec = hit.section
    return Citation(
        n=n,
        minute_id=sec.minute_id,
        doc_number=hit.meta.doc_number,
        meeting_number=hit.meta.meeting_number,
        date=hit.meta.date,
        label=sec.label,
        title=sec.title,
        quote=sec.text[a:b],
        start=sec.start + a,
        end=sec.start + b,
        section_id=sec.section_id,
    )


class Stopwatch:
    def __init__(self) -> None:
        self._t0 = time.perf_counter()

    def ms(self) -> float:
        return round((time.perf_counter() - self._t0) * 1000.0, 2)

"""The JSON shapes of an answer and of a minute: the ``ask --json`` and ``minutes show --json``
contracts (README), which the CLI prints, the server's ``/ask`` API returns and the UI shows.
Keep them exactly; extend them only compatibly. ``Assistant.answer_json`` and
``Assistant.minute_json`` are these."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from minutes_rag.model import Answer, Minute, Section
from minutes_rag.notices import codes_of
from minutes_rag.pages import pages_json


def answer_json(answer: Answer) -> dict[str, Any]:
    """The ``ask --json`` contract."""
    return {
        "question": answer.question,
        "answer": answer.text,
        "mode": answer.mode,
        "rewrite": answer.rewrite,
        "citations": [c.to_dict() for c in answer.citations],
        "retrieved": [
            {
                "section_id": h.section.section_id,
                "minute_id": h.section.minute_id,
                "label": h.section.label,
                "score": round(float(h.score), 6),
                "text": h.section.text,
            }
            for h in answer.hits
        ],
        "timings_ms": {k: answer.timings_ms.get(k, 0.0) for k in ("retrieve", "answer", "total")},
        "warnings": list(answer.warnings),
        # the code of each warning, in the same order: what a client acts on (notices.py)
        "warning_codes": codes_of(answer.warnings),
    }


def minute_json(minute: Minute, sections: Sequence[Section]) -> dict[str, Any]:
    """A minute and its sections, as ``minutes show --json`` prints them."""
    meta = minute.meta.to_dict()
    return {
        "minute": {"minute_id": minute.minute_id, "source": minute.source, **meta, "pages": len(minute.pages) or None},
        "sections": [
            {
                "section_id": s.section_id, "label": s.label, "title": s.title, "text": s.text,
                "start": s.start, "end": s.end, "kind": s.kind, "part": s.part,
                **pages_json(minute.pages, s.start, s.end),
            }
            for s in sections
        ],
    }

"""Run a question set through anything that answers like the Assistant.

The system needs one method, ``ask(question, filters=..., k=..., mode=...) -> Answer``,
so the product (``Assistant``) and the textbook baseline are scored by the same code.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from minutes_rag.errors import MinutesRagError
from minutes_rag.evaluation.metrics import Outcome, aggregate, score_question
from minutes_rag.evaluation.questions import Question, filters_for
from minutes_rag.model import Answer, Filters


class AsksQuestions(Protocol):
    def ask(self, question: str, *, filters: Filters = ..., k: int | None = ..., mode: str | None = ...) -> Answer: ...


@dataclass
class RunResult:
    name: str  # "minutes-rag" or "baseline"
    outcomes: list[Outcome]
    metrics: dict[str, Any]
    config: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "config": self.config, "metrics": self.metrics,
                "per_question": [o.to_dict() for o in self.outcomes]}


def citation_texts(answer: Answer) -> list[str]:
    """The text each citation points at: its section's text when the section is among the
    answer's hits (a citation stands for its section), otherwise its quote."""
    by_id = {h.section.section_id: h.section.text for h in answer.hits}
    return [by_id.get(c.section_id, c.quote) if c.section_id else c.quote for c in answer.citations]


def score_answer(q: Question, answer: Answer, latency_ms: float) -> Outcome:
    return score_question(
        qid=q.id,
        question=q.question,
        answerable=q.answerable,
        evidence=q.evidence,
        answer_contains=q.answer_contains,
        retrieved_texts=[h.section.text for h in answer.hits],
        retrieved_scores=[h.score for h in answer.hits],
        citation_texts=citation_texts(answer),
        answer=answer.text,
        found=answer.found,
        latency_ms=latency_ms,
        citations=[
            {"label": c.label, "doc_number": c.doc_number, "date": c.date, "minute_id": c.minute_id,
             "section_id": c.section_id, "quote": c.quote}
            for c in answer.citations
        ],
        lang=q.lang,
        answer_excludes=q.answer_excludes,
        warnings=answer.warnings,
    )


def run_questions(
    system: AsksQuestions,
    questions: Sequence[Question],
    *,
    k: int = 10,
    mode: str | None = None,
    name: str = "minutes-rag",
    progress: Callable[[int, int, str], None] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> RunResult:
    """Ask every question (with its own filters and k, if any) and score the answers.

    A question whose ``ask`` raises a domain error scores as wrong, with the error kept
    in its outcome; other exceptions propagate (they are bugs, not results)."""
    outcomes: list[Outcome] = []
    for i, q in enumerate(questions):
        filters, qk = filters_for(q)
        t0 = clock()
        try:
            answer = system.ask(q.question, filters=filters, k=qk or k, mode=mode)
        except MinutesRagError as exc:
            ms = (clock() - t0) * 1000.0
            failed = Answer(question=q.question, text="", citations=(), mode=mode or "", found=False)
            outcome = score_answer(q, failed, ms)
            outcome.error = str(exc)
            outcome.answer_ok = False
            outcome.refusal_ok = False
        else:
            outcome = score_answer(q, answer, (clock() - t0) * 1000.0)
        outcomes.append(outcome)
        if progress:
            progress(i + 1, len(questions), q.id)
    return RunResult(name=name, outcomes=outcomes, metrics=aggregate(outcomes), config={"k": k, "mode": mode})

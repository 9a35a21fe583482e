"""Evaluation metrics: pure functions over plain values, no models, no I/O.

Definitions (docs/evaluation.md states them with examples):

* relevance: a text (section, chunk or citation) is relevant to a question when, with all
  whitespace removed from both, it contains any of the question's evidence strings;
* ranks: 1-based positions of the relevant retrieved sections in the order returned.
  Ties (neighbours with equal scores) are broken pessimistically: inside a tie the
  irrelevant items count as ranked first, so a system gains nothing from a lucky
  tie-break;
* hit@k: 1 when the best relevant rank is <= k; MRR@k: 1/best rank when <= k, else 0;
  both averaged over answerable questions;
* citation precision: relevant citations / all citations, pooled over every question
  (citations given for an unanswerable question are all irrelevant); undefined (None)
  when no question has a citation;
* citation recall: answerable questions with at least one relevant citation / answerable
  questions;
* answer correct: answerable -> found and the text contains every answer_contains string
  (whitespace removed, case-insensitive; with no answer_contains, at least one relevant
  citation); unanswerable -> the not-found answer with no citation;
* refusal correct: answerable -> not refused; unanswerable -> refused with no citation;
  refusal accuracy averages it over all questions; unanswerable_refused and
  answerable_answered average it over each kind;
* latency: p50/p95 by linear interpolation between the closest ranks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any


def squash(text: str) -> str:
    """``text`` without any whitespace (spaces, tabs, newlines, ideographic space)."""
    return "".join(text.split())


def is_relevant(text: str, evidence: Iterable[str]) -> bool:
    flat = squash(text)
    return any(squash(e) and squash(e) in flat for e in evidence)


def relevant_ranks(
    texts: Sequence[str], evidence: Sequence[str], scores: Sequence[float] | None = None
) -> list[int]:
    """1-based ranks of the relevant items of a ranked list, ascending.

    The list order is the ranking. With ``scores`` (parallel to ``texts``), a run of
    neighbours with equal scores is a tie: inside it the irrelevant items are counted
    first, so an item's rank is the position where its tie starts + the irrelevant items of
    the tie + the relevant items of the tie before it.
    """
    relevant = [is_relevant(t, evidence) for t in texts]
    if scores is None:
        return [i + 1 for i, r in enumerate(relevant) if r]
    if len(scores) != len(texts):
        raise ValueError("scores and texts differ in length")
    ranks: list[int] = []
    i = 0
    while i < len(texts):
        j = i
        while j + 1 < len(texts) and _eq(scores[j + 1], scores[i]):
            j += 1
        group = range(i, j + 1)
        irrelevant = sum(1 for g in group if not relevant[g])
        before = 0
        for g in group:
            if relevant[g]:
                ranks.append(i + irrelevant + before + 1)
                before += 1
        i = j + 1
    return ranks


def _eq(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def hit_at_k(ranks: Sequence[int], k: int) -> float:
    return 1.0 if ranks and min(ranks) <= k else 0.0


def reciprocal_rank(ranks: Sequence[int], k: int = 10) -> float:
    if not ranks or min(ranks) > k:
        return 0.0
    return 1.0 / min(ranks)


def contains_all(text: str, needles: Iterable[str]) -> bool:
    """Whitespace removed, case-insensitive containment of every needle."""
    flat = squash(text).casefold()
    return all(squash(n).casefold() in flat for n in needles)


def contains_any(text: str, needles: Iterable[str]) -> bool:
    """Whitespace removed, case-insensitive containment of at least one needle."""
    flat = squash(text).casefold()
    return any(squash(n).casefold() in flat for n in needles)


def answer_correct(
    answerable: bool,
    answer_contains: Sequence[str],
    text: str,
    found: bool,
    citations_relevant: Sequence[bool],
    answer_excludes: Sequence[str] = (),
) -> bool:
    if answer_excludes and contains_any(text, answer_excludes):
        return False  # it repeats text planted to hijack the answer
    if not answerable:
        return not found and not citations_relevant
    if not found:
        return False
    if answer_contains:
        return contains_all(text, answer_contains)
    return any(citations_relevant)


def refusal_correct(answerable: bool, found: bool, n_citations: int) -> bool:
    if answerable:
        return found
    return not found and n_citations == 0


def percentile(values: Sequence[float], p: float) -> float | None:
    """The p-th percentile (0..100), linear between closest ranks (numpy's default)."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * p / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


@dataclass
class Outcome:
    """What one question scored; the per_question entries of the JSON report."""

    id: str
    question: str
    answerable: bool
    ranks: list[int]  # relevant retrieved ranks (see relevant_ranks)
    retrieved: int  # how many sections were retrieved
    citations_relevant: list[bool]  # one flag per citation, in order
    found: bool
    answer_ok: bool
    refusal_ok: bool
    latency_ms: float
    answer: str = ""
    citations: list[dict[str, Any]] = field(default_factory=list)
    lang: str = ""
    error: str = ""
    warnings: list[str] = field(default_factory=list)  # Answer.warnings, as `ask --json` gives them

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def score_question(
    *,
    qid: str,
    question: str,
    answerable: bool,
    evidence: Sequence[str],
    answer_contains: Sequence[str],
    retrieved_texts: Sequence[str],
    retrieved_scores: Sequence[float] | None,
    citation_texts: Sequence[str],
    answer: str,
    found: bool,
    latency_ms: float,
    citations: Sequence[dict[str, Any]] = (),
    lang: str = "",
    answer_excludes: Sequence[str] = (),
    warnings: Sequence[str] = (),
) -> Outcome:
    """Score one answered question. ``citation_texts`` are the texts each citation points at
    (the cited section's text, or the quote when the section is not known)."""
    ranks = relevant_ranks(retrieved_texts, evidence, retrieved_scores) if answerable else []
    cited = [answerable and is_relevant(t, evidence) for t in citation_texts]
    return Outcome(
        id=qid,
        question=question,
        answerable=answerable,
        ranks=ranks,
        retrieved=len(retrieved_texts),
        citations_relevant=cited,
        found=found,
        answer_ok=answer_correct(answerable, answer_contains, answer, found, cited, answer_excludes),
        refusal_ok=refusal_correct(answerable, found, len(citation_texts)),
        latency_ms=latency_ms,
        answer=answer,
        citations=list(citations),
        lang=lang,
        warnings=list(warnings),
    )


def _mean(xs: Sequence[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None


METRIC_NAMES = (
    "hit@1",
    "hit@5",
    "mrr@10",
    "citation_precision",
    "citation_recall",
    "answer_accuracy",
    "refusal_accuracy",
)


def aggregate(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """The run's metrics. Rates are in 0..1 or None when undefined (no question to average)."""
    ans = [o for o in outcomes if o.answerable]
    n_cit = sum(len(o.citations_relevant) for o in outcomes)
    n_rel = sum(sum(o.citations_relevant) for o in outcomes)
    lat = [o.latency_ms for o in outcomes if not o.error]
    return {
        "questions": len(outcomes),
        "answerable": len(ans),
        "unanswerable": len(outcomes) - len(ans),
        "errors": sum(1 for o in outcomes if o.error),
        "hit@1": _mean([hit_at_k(o.ranks, 1) for o in ans]),
        "hit@5": _mean([hit_at_k(o.ranks, 5) for o in ans]),
        "mrr@10": _mean([reciprocal_rank(o.ranks, 10) for o in ans]),
        "citation_precision": (n_rel / n_cit) if n_cit else None,
        "citation_recall": _mean([1.0 if any(o.citations_relevant) else 0.0 for o in ans]),
        "answer_accuracy": _mean([1.0 if o.answer_ok else 0.0 for o in outcomes]),
        "refusal_accuracy": _mean([1.0 if o.refusal_ok else 0.0 for o in outcomes]),
        # the two halves of refusal accuracy, so that a system that never refuses shows
        "unanswerable_refused": _mean([1.0 if o.refusal_ok else 0.0 for o in outcomes if not o.answerable]),
        "answerable_answered": _mean([1.0 if o.refusal_ok else 0.0 for o in ans]),
        "citations": n_cit,
        "relevant_citations": n_rel,
        "latency_p50_ms": percentile(lat, 50),
        "latency_p95_ms": percentile(lat, 95),
    }

"""K-fold cross-validation for the relevance weights (issue 20 item 4): the fold logic.

A weight chosen on the questions it is reported on is not a result, so the weights of the
relevance path are chosen on k-1 folds and scored on the fold left out. Folds are assigned
by a stable hash of (set name, question id), within each set, so that every fold holds
questions of every dev set in about equal share and a rerun gives the same folds (no RNG
state, no dependence on file order).

The scorer is passed in (``score(params, questions) -> float``), so this module knows
nothing of the answerers; the runner that wires it to ``minutes-rag eval`` is still to come.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Q = TypeVar("Q")
P = TypeVar("P")


def _rank_key(set_name: str, question_id: str) -> str:
    return hashlib.sha256(f"{set_name}\x00{question_id}".encode()).hexdigest()


def assign_folds(sets: Mapping[str, Sequence[str]], k: int) -> dict[tuple[str, str], int]:
    """Fold index (0..k-1) per (set name, question id).

    Within each set the ids are ordered by a stable hash and dealt round-robin, so each fold
    gets floor or ceil of len(set)/k of that set's questions.
    """
    if k < 2:
        raise ValueError(f"cross-validation needs k >= 2 folds, got {k}")
    folds: dict[tuple[str, str], int] = {}
    for set_name, ids in sets.items():
        if len(set(ids)) != len(ids):
            raise ValueError(f"question set {set_name!r} repeats a question id")
        for position, qid in enumerate(sorted(ids, key=lambda q: _rank_key(set_name, q))):
            folds[(set_name, qid)] = position % k
    return folds


@dataclass(frozen=True)
class FoldResult(Generic[P]):
    fold: int
    chosen: P            # the grid point that scored best on the other k-1 folds
    train_score: float   # its score on those folds
    held_out_score: float  # its score on this fold: the figure to report


def cross_validate(
    items: Sequence[tuple[str, str, Q]],
    grid: Sequence[P],
    score: Callable[[P, Sequence[Q]], float],
    k: int,
) -> list[FoldResult[P]]:
    """For each fold, choose the grid point best on the other folds and score it on this one.

    ``items`` are (set name, question id, question). Ties keep the earlier grid point, so
    listing today's defaults first means they are changed only when another point is
    strictly better.
    """
    if not grid:
        raise ValueError("cross-validation needs a non-empty grid")
    by_set: dict[str, list[str]] = {}
    for set_name, qid, _ in items:
        by_set.setdefault(set_name, []).append(qid)
    folds = assign_folds(by_set, k)
    results: list[FoldResult[P]] = []
    for fold in range(k):
        train = [q for s, i, q in items if folds[(s, i)] != fold]
        test = [q for s, i, q in items if folds[(s, i)] == fold]
        best, best_score = grid[0], score(grid[0], train)
        for params in grid[1:]:
            value = score(params, train)
            if value > best_score:
                best, best_score = params, value
        results.append(FoldResult(fold, best, best_score, score(best, test)))
    return results

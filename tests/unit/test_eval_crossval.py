"""Fold logic of the weights' cross-validation (evaluation/crossval.py)."""

from __future__ import annotations

import pytest

from minutes_rag.evaluation.crossval import assign_folds, cross_validate


def test_every_fold_holds_every_set_in_near_equal_share() -> None:
    sets = {"zh": [f"z{i}" for i in range(23)], "en": [f"e{i}" for i in range(10)]}
    folds = assign_folds(sets, 5)
    assert len(folds) == 33
    for name, ids in sets.items():
        counts = [sum(1 for i in ids if folds[(name, i)] == f) for f in range(5)]
        assert max(counts) - min(counts) <= 1
        assert all(c >= 1 for c in counts)


def test_folds_do_not_depend_on_order() -> None:
    ids = [f"q{i}" for i in range(12)]
    assert assign_folds({"s": ids}, 3) == assign_folds({"s": list(reversed(ids))}, 3)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="k >= 2"):
        assign_folds({"s": ["a", "b"]}, 1)
    with pytest.raises(ValueError, match="repeats"):
        assign_folds({"s": ["a", "a"]}, 2)


def test_held_out_score_is_measured_on_the_left_out_fold_only() -> None:
    # each question is a number; a grid point p scores the share of questions equal to p
    items = [("s", f"q{i}", 1 if i < 8 else 2) for i in range(10)]
    seen: list[list[int]] = []

    def score(p: int, qs: list[int]) -> float:
        seen.append(list(qs))
        return sum(1 for q in qs if q == p) / len(qs)

    results = cross_validate(items, [2, 1], score, k=5)
    assert [r.fold for r in results] == list(range(5))
    assert all(r.chosen == 1 for r in results)  # the majority wins on every training split
    # held-out folds partition the questions: 2 per fold, together all 10
    test_sizes = [len(seen[i * 3 + 2]) for i in range(5)]
    assert test_sizes == [2] * 5
    assert sum(r.held_out_score * 2 for r in results) == 8


def test_ties_keep_the_first_grid_point() -> None:
    items = [("s", f"q{i}", i) for i in range(4)]
    results = cross_validate(items, ["default", "other"], lambda p, qs: 0.5, k=2)
    assert all(r.chosen == "default" for r in results)

"""Metrics on small cases computed by hand."""

import pytest

from minutes_rag.evaluation.metrics import (
    Outcome,
    aggregate,
    answer_correct,
    contains_all,
    hit_at_k,
    is_relevant,
    percentile,
    reciprocal_rank,
    refusal_correct,
    relevant_ranks,
    score_question,
)


def test_relevance_ignores_all_whitespace_on_both_sides():
    assert is_relevant("原则同意《苏州市政策性\n租赁住房试点工作方案》", ["政策性 租赁住房"])
    assert is_relevant("a b\tc", ["abc"])
    assert not is_relevant("政策性租赁住房", ["保障性租赁住房"])
    # relevance is case-sensitive (only whitespace is ignored)
    assert not is_relevant("Mayor Adams", ["mayor adams"])
    assert not is_relevant("anything", [])
    assert not is_relevant("anything", ["  "])


def test_relevant_ranks_follow_list_order_without_scores():
    texts = ["x", "关于A的汇报", "y", "A again"]
    assert relevant_ranks(texts, ["A"]) == [2, 4]
    assert relevant_ranks(texts, ["Z"]) == []


def test_ties_are_broken_pessimistically():
    # scores: 0.9 (irrelevant), 0.5 (relevant), 0.5 (irrelevant), 0.5 (irrelevant), 0.1 (relevant)
    texts = ["no", "ev", "no", "no", "ev"]
    scores = [0.9, 0.5, 0.5, 0.5, 0.1]
    # relevant item in the 0.5 group: 1 higher + 2 tied irrelevant -> rank 4; last: 4 higher -> 5
    assert relevant_ranks(texts, ["ev"], scores) == [4, 5]
    # two relevant items tied with one irrelevant: ranks 1+1=2 and 3
    assert relevant_ranks(["ev", "no", "ev"], ["ev"], [1.0, 1.0, 1.0]) == [2, 3]
    # list order decides between different scores, even when the list is not sorted by them
    assert relevant_ranks(["no", "ev"], ["ev"], [0.1, 0.9]) == [2]
    # a tie only joins neighbours: the 0.5 at the end is not tied with the first 0.5
    assert relevant_ranks(["ev", "no", "no"], ["ev"], [0.5, 0.4, 0.5]) == [1]
    with pytest.raises(ValueError):
        relevant_ranks(["a"], ["a"], [1.0, 2.0])


def test_hit_and_mrr():
    assert hit_at_k([3, 7], 1) == 0.0
    assert hit_at_k([3, 7], 5) == 1.0
    assert hit_at_k([], 5) == 0.0
    assert reciprocal_rank([3, 7], 10) == pytest.approx(1 / 3)
    assert reciprocal_rank([11], 10) == 0.0
    assert reciprocal_rank([], 10) == 0.0


def test_answer_correctness():
    assert contains_all("由市住建局 根据讨论意见", ["市住建局"])
    assert contains_all("REFERRED to Commissioner", ["referred to commissioner"])
    assert answer_correct(True, ["市科技局"], "市 科技局汇报", True, [])
    assert not answer_correct(True, ["市科技局", "2020"], "市科技局汇报", True, [True])
    # a refusal is never a correct answer to an answerable question, even if it quotes the words
    assert not answer_correct(True, ["市科技局"], "市科技局", False, [])
    # without answer_contains, a relevant citation decides
    assert answer_correct(True, [], "text", True, [False, True])
    assert not answer_correct(True, [], "text", True, [False])
    # unanswerable: not found and no citation
    assert answer_correct(False, [], "未找到", False, [])
    assert not answer_correct(False, [], "未找到", False, [False])
    assert not answer_correct(False, [], "some answer", True, [])


def test_refusal_correctness():
    assert refusal_correct(True, True, 0)
    assert not refusal_correct(True, False, 0)
    assert refusal_correct(False, False, 0)
    assert not refusal_correct(False, False, 1)
    assert not refusal_correct(False, True, 0)


def test_percentile_linear():
    assert percentile([], 50) is None
    assert percentile([5.0], 95) == 5.0
    assert percentile([1, 2, 3, 4], 50) == pytest.approx(2.5)
    # pos = 0.95 * 3 = 2.85 -> 3 + 0.85 * (4 - 3)
    assert percentile([4, 1, 3, 2], 95) == pytest.approx(3.85)


def _o(qid, answerable, ranks, cited, found, answer_ok, refusal_ok, ms):
    return Outcome(qid, "q", answerable, ranks, 10, cited, found, answer_ok, refusal_ok, ms)


def test_aggregate_hand_computed():
    outcomes = [
        _o("a", True, [1, 4], [True, False], True, True, True, 10.0),  # hit@1, rr 1
        _o("b", True, [3], [True, True], True, False, True, 20.0),  # hit@5, rr 1/3
        _o("c", True, [], [], False, False, False, 30.0),  # refused an answerable question
        _o("d", False, [], [], False, True, True, 40.0),  # correct refusal
        _o("e", False, [], [False], True, False, False, 50.0),  # answered the unanswerable
    ]
    m = aggregate(outcomes)
    assert (m["questions"], m["answerable"], m["unanswerable"]) == (5, 3, 2)
    assert m["hit@1"] == pytest.approx(1 / 3)
    assert m["hit@5"] == pytest.approx(2 / 3)
    assert m["mrr@10"] == pytest.approx((1 + 1 / 3 + 0) / 3)
    # citations: a 1 of 2, b 2 of 2, e 0 of 1 -> 3 / 5
    assert m["citation_precision"] == pytest.approx(3 / 5)
    assert m["citation_recall"] == pytest.approx(2 / 3)
    assert m["answer_accuracy"] == pytest.approx(2 / 5)
    assert m["refusal_accuracy"] == pytest.approx(3 / 5)
    assert m["unanswerable_refused"] == pytest.approx(1 / 2)
    assert m["answerable_answered"] == pytest.approx(2 / 3)
    assert m["latency_p50_ms"] == pytest.approx(30.0)
    assert m["latency_p95_ms"] == pytest.approx(48.0)


def test_aggregate_with_no_citations_and_no_answerable():
    m = aggregate([_o("d", False, [], [], False, True, True, 1.0)])
    assert m["citation_precision"] is None  # undefined, not 0 or 1
    assert m["hit@1"] is None and m["citation_recall"] is None
    assert m["refusal_accuracy"] == 1.0
    assert aggregate([])["latency_p50_ms"] is None


def test_score_question_end_to_end():
    o = score_question(
        qid="q1", question="谁汇报？", answerable=True, evidence=["市科技局关于"],
        answer_contains=["市科技局"], retrieved_texts=["其他", "原则同意市科技局 关于2020年"],
        retrieved_scores=[0.8, 0.8], citation_texts=["原则同意市科技局关于", "其他"],
        answer="市科技局", found=True, latency_ms=5.0,
    )
    assert o.ranks == [2]  # tied with an irrelevant section: pessimistic rank 2
    assert o.citations_relevant == [True, False]
    assert o.answer_ok and o.refusal_ok
    # an unanswerable question: its citations are all irrelevant, ranks are not computed
    u = score_question(
        qid="q2", question="收费政策？", answerable=False, evidence=[], answer_contains=[],
        retrieved_texts=["x"], retrieved_scores=None, citation_texts=["x"], answer="x",
        found=True, latency_ms=1.0,
    )
    assert u.ranks == [] and u.citations_relevant == [False]
    assert not u.answer_ok and not u.refusal_ok

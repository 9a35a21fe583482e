"""relevance.py: a hit's sentences are split once per question; the one sentence windower."""

from __future__ import annotations

from collections import Counter

from answer_minutes import hits

from minutes_rag import relevance
from minutes_rag.answer import ExtractiveAnswerer
from minutes_rag.query import analyse
from minutes_rag.rerank import structure_rerank


def test_a_hits_sentences_are_split_once_per_question(monkeypatch) -> None:
    calls: Counter[tuple[str, str]] = Counter()
    real = relevance.split_spans

    def counted(text: str, title: str = "", **kw: object) -> list[tuple[int, int]]:
        calls[(text, title)] += 1
        return real(text, title)

    monkeypatch.setattr(relevance, "split_spans", counted)
    relevance.sentence_spans.cache_clear()
    q = analyse("老旧小区改造方案由哪个部门修改完善？")
    hs = structure_rerank(q, hits("1-1", "1-2", "2"))  # the reranker reads windows of sentences
    ans = ExtractiveAnswerer().answer(q, hs)  # the evidence gate, the sentence scorer, the composer
    assert ans.found and calls
    assert max(calls.values()) == 1, calls  # each section's sentences were split once
    # and the same question again splits nothing
    ExtractiveAnswerer().answer(q, hs)
    assert max(calls.values()) == 1


def test_windows_are_runs_of_sentences_or_the_whole_text() -> None:
    text = "一是加强领导。二是加大投入。三是强化督查。四是按季通报。"
    assert relevance.windows(text, "", 5) == [text]
    assert relevance.windows(text, "", 3) == ["一是加强领导。二是加大投入。三是强化督查。", "二是加大投入。三是强化督查。四是按季通报。"]

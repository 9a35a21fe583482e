"""The extractive answerer matches an English question to a Chinese minute through the
bilingual glossary (made-up minute from answer_minutes.py)."""

from __future__ import annotations

from answer_minutes import hits

from minutes_rag.answer import ExtractiveAnswerer, evidence_score
from minutes_rag.answer.evidence import anchor_keywords, cross_keywords
from minutes_rag.answer.extractive import CROSS_LINGUAL_WARNING


def test_english_question_matches_a_chinese_sentence_through_the_glossary():
    q = "Which bureau reported on the city bus fare adjustment?"
    hs = hits("1-1", "2", dense=0.78)
    # "bus" is 公共交通 / 公交 in the glossary; the minute writes 城市公交票价
    assert "公共交通" in cross_keywords(q, hs[1])
    assert "公共交通" in anchor_keywords(q, hs[1])
    ans = ExtractiveAnswerer().answer(q, hs)
    assert ans.found
    assert CROSS_LINGUAL_WARNING not in ans.warnings  # matched by keywords, not the opening-sentences fallback
    assert "answered from a Chinese minute" in ans.warnings[0]
    assert "市交通局" in ans.citations[0].quote
    assert ans.citations[0].section_id == "zh-2"


def test_the_glossary_lifts_evidence_only_when_its_terms_occur():
    hs = hits("1-1", "2", dense=0.78)
    # same cosine, same words in the question's own language: only the glossary term differs
    on_topic = evidence_score("What was decided about bus fares?", hs)
    off_topic = evidence_score("What was decided about airport fares?", hs)  # 机场: not in the minute
    assert on_topic > off_topic
    assert ExtractiveAnswerer().answer("What was decided about airport fares?", hs).found is False


def test_same_language_hits_get_no_glossary_keywords():
    hs = hits("13", lang="en", dense=0.9)
    assert cross_keywords("What did the council decide about parking fees?", hs[0]) == []
    assert cross_keywords("停车收费有什么决定？", hits("2")[0]) == []


def test_a_glossary_match_without_a_cosine_is_no_evidence():
    """A Chinese passage that dense retrieval did not find at all (BM25 matched a glossary
    term of an English question) must not carry the answer on that shared word alone."""
    q = "What was decided about bus fares?"
    assert evidence_score(q, hits("1-1", "2")) == 0.0
    assert evidence_score(q, hits("1-1", "2", dense=0.78)) > 0.5
    assert ExtractiveAnswerer().answer(q, hits("1-1", "2")).found is False

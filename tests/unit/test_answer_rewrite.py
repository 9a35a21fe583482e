"""Follow-up questions: detection, heuristic rewrite, LLM rewrite, minutes to boost."""

from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from minutes_rag.answer import is_follow_up, rewrite_question
from minutes_rag.model import Answer, Citation, Turn


def _turn(question: str, *citations: Citation) -> Turn:
    return Turn(question, Answer(question, "……[1]", tuple(citations), "extractive"))


CIT = Citation(1, "m-2021-7", "〔2021〕7号", 45, "2021-03-15", "一（一）", "审议《某市老旧小区改造实施方案》",
               "原则同意。", 10, 15)
CIT_OTHER = Citation(2, "m-2021-9", "〔2021〕9号", 47, "2021-04-02", "三", "听取关于公交票价的汇报", "q", 0, 1)
ZH_PREV = _turn("〔2021〕7号纪要审议了什么方案？", CIT, CIT_OTHER)


@pytest.mark.parametrize(
    "question,expected",
    [
        ("它由哪个部门负责？", True),
        ("该方案什么时候实施？", True),
        ("那么票价呢？", True),
        ("由哪个部门修改完善？", True),
        ("具体有哪些要求？", True),
        ("结果呢？", True),  # too short to stand alone
        ("某市老旧小区改造实施方案由哪个部门修改完善？", False),
        ("应该由哪个部门负责公交票价调整的汇报？", False),  # 应该 is not the pronoun 该
        ("Who proposed it?", True),
        ("And the vote?", True),
        ("What did the council decide about downtown parking fees in March?", False),
    ],
)
def test_is_follow_up(question, expected):
    assert is_follow_up(question) is expected


def test_no_history_means_no_rewrite():
    r = rewrite_question("它由哪个部门负责？", [])
    assert r.question == "它由哪个部门负责？" and not r.follow_up and r.boost_minute_ids == ()


def test_heuristic_carries_reference_and_topic():
    r = rewrite_question("它由哪个部门负责？", [ZH_PREV])
    assert r.follow_up and r.method == "heuristic"
    assert r.question.startswith("〔2021〕7号《某市老旧小区改造实施方案》")
    assert r.question.endswith("它由哪个部门负责？")
    assert r.boost_minute_ids == ("m-2021-7", "m-2021-9")
    assert r.carried == ("〔2021〕7号", "《某市老旧小区改造实施方案》")
    assert str(r) == r.question


def test_own_reference_is_not_overridden():
    r = rewrite_question("那么第50次会议呢？", [ZH_PREV])
    assert "〔2021〕7号" not in r.question and "第50次" in r.question


def test_meta_follow_up_carries_only_the_minute():
    r = rewrite_question("那么谁主持了会议？", [ZH_PREV])
    assert r.question.startswith("〔2021〕7号") and "《" not in r.question


def test_reference_from_citation_when_question_has_none():
    prev = _turn("老旧小区改造有什么要求？", CIT)
    r = rewrite_question("这个方案由谁负责？", [prev])
    assert "〔2021〕7号" in r.question


def test_standalone_question_is_unchanged():
    q = "公交基础票价是多少？"
    r = rewrite_question(q, [ZH_PREV])
    assert r.question == q and not r.follow_up and r.boost_minute_ids == ()


def test_english_follow_up():
    prev = _turn("What did the council decide about the Portland Plan?")
    r = rewrite_question("Who proposed it?", [prev])
    assert r.follow_up and r.question == "Who proposed it? (regarding Portland Plan)"


def test_llm_rewrite_is_used_when_given():
    llm = GenericFakeChatModel(messages=iter([AIMessage(content="〔2021〕7号纪要中《某市老旧小区改造实施方案》由哪个部门负责？")]))
    r = rewrite_question("它由哪个部门负责？", [ZH_PREV], llm=llm)
    assert r.method == "llm" and r.follow_up
    assert r.question == "〔2021〕7号纪要中《某市老旧小区改造实施方案》由哪个部门负责？"
    assert r.boost_minute_ids == ("m-2021-7", "m-2021-9")


def test_llm_failure_falls_back_to_heuristic():
    class Broken(GenericFakeChatModel):
        def _generate(self, *a, **k):
            raise ConnectionError("down")

    r = rewrite_question("它由哪个部门负责？", [ZH_PREV], llm=Broken(messages=iter([])))
    assert r.method == "heuristic" and r.question.startswith("〔2021〕7号")


def test_llm_reply_in_wrong_language_is_ignored():
    llm = GenericFakeChatModel(messages=iter([AIMessage(content="Which department is responsible?")]))
    r = rewrite_question("它由哪个部门负责？", [ZH_PREV], llm=llm)
    assert r.method == "heuristic"

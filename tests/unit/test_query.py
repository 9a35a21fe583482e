"""One Query per ask: the intent table shared by retrieval and the answerers, the rewrite
recorded on the Answer, section-kind weights applied in one place."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from answer_minutes import ZH_META, ZH_SECTIONS, hits
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

import minutes_rag.answer.lang as answer_lang
import minutes_rag.query as query_module
import minutes_rag.query.followup as followup
from minutes_rag.answer import ExtractiveAnswerer, metadata_kind
from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings
from minutes_rag.embed import HashEmbedder
from minutes_rag.model import Answer, Citation, Filters, Turn, filters_from_flags
from minutes_rag.query import analyse, wanted_kinds
from minutes_rag.retrieve import KIND_WEIGHT, RetrievalConfig, Retriever, kind_weight

# -- the three questions of issue 9: one intent (or none) everywhere --------------------------

INTENT_CASES = [
    ("会议记录了哪些意见？", ""),  # what was recorded, not who the recorder was
    ("What date was the meeting held?", "date"),
    ("这份纪要什么时候印发的？", "issue_date"),
    ("苏州市政府第102次常务会议由谁主持？", "chair"),
    ("Who took the minutes of the meeting?", "recorder"),
]


class _Store:
    def query(self, vector: Any, n: int, where: Any = None) -> list[tuple[str, float]]:
        return [("m1-1", 0.9)]

    def query_exact(self, vector: Any, ids: Any, n: int) -> list[tuple[str, float]]:
        return [("m1-1", 0.9)]


class _Embedder:
    name = "stub"

    def embed_query(self, text: str) -> list[float]:
        return [0.0]


class _Index:
    """One minute: preamble (m1-0), an item (m1-1), the attendance block (m1-2)."""

    def __init__(self) -> None:
        base = ZH_SECTIONS
        self.sections = [
            replace(base["preamble"], section_id="m1-0", minute_id="m1"),
            replace(base["1-1"], section_id="m1-1", minute_id="m1"),
            replace(base["attendance"], section_id="m1-2", minute_id="m1"),
        ]

    def minute_ids_matching(self, f: Filters) -> list[str] | None:
        return None if f.is_empty() else ["m1"]

    def lexical_search(self, tokens: Any, k: int, allowed: Any) -> list[tuple[str, float]]:
        return [("m1-0", 3.0), ("m1-1", 2.0)]

    def sections_by_id(self, ids: list[str]) -> dict[str, Any]:
        return {s.section_id: s for s in self.sections if s.section_id in ids}

    def sections_of(self, mid: str) -> list[Any]:
        return list(self.sections)

    def section_ids_in(self, mids: Any, *, limit: int = -1) -> list[str]:
        return [s.section_id for s in self.sections if s.minute_id in mids]

    def section_ids_of_kinds(self, mids: Any, kinds: Any) -> list[tuple[str, str, str]]:
        return [(s.minute_id, s.kind, s.section_id) for s in self.sections if s.minute_id in mids and s.kind in kinds]

    def metas(self, ids: list[str]) -> dict[str, Any]:
        return {"m1": ZH_META}

    def cached_vectors(self, model: str, hashes: Any) -> dict[str, Any]:
        return {}  # no embedding cache: a scope's vectors come from the store


def _retriever() -> Retriever:
    return Retriever(_Index(), _Store(), _Embedder(), RetrievalConfig())  # type: ignore[arg-type]


@pytest.mark.parametrize("question,intent", INTENT_CASES)
def test_retrieval_and_answerer_read_the_same_intent(question: str, intent: str) -> None:
    q = analyse(question)
    assert q.intent == intent
    # the answerer's view: its cue and metadata_kind come from the same table
    assert metadata_kind(question) == intent
    assert (q.cue is not None) == bool(intent)
    # retrieval's view: metadata candidates exactly when there is an intent, and the parts
    # around the agenda are not penalised for it
    found = _retriever().retrieve(q, k=5)
    assert any("metadata" in h.sources for h in found) == bool(intent)
    preamble = next(h for h in found if h.section.kind == "preamble")
    assert preamble.weight == (1.0 if "preamble" in wanted_kinds(q.intents) and intent else KIND_WEIGHT["preamble"])


def test_a_date_question_is_answered_with_the_date_line() -> None:
    ans = ExtractiveAnswerer().answer("What date was the meeting held?", hits("preamble", "1-1", about_meeting=True))
    assert ans.found and "2021年3月15日" in ans.citations[0].quote


# -- section-kind weights: one table, applied in one place ---------------------------------------

def test_kind_weights_come_from_one_table() -> None:
    content, meeting = analyse("老旧小区改造有什么要求？"), analyse("谁主持了会议？")
    for kind, w in KIND_WEIGHT.items():
        assert kind_weight(kind, content) == w
    assert kind_weight("item", content) == 1.0
    # the parts that hold the answer to the intent are not penalised, the others are
    assert kind_weight("preamble", meeting) == 1.0 and kind_weight("transcript", meeting) == KIND_WEIGHT["transcript"]
    assert kind_weight("attendance", meeting) == KIND_WEIGHT["attendance"]
    attended = analyse("哪些人出席了会议？")
    assert kind_weight("attendance", attended) == 1.0 and kind_weight("preamble", attended) == KIND_WEIGHT["preamble"]


def test_the_answerer_weighs_a_section_by_the_weight_retrieval_gave_it_not_by_its_kind() -> None:
    """The same section quoted at the same rank scores the same whatever its kind: the
    answerer reads Hit.weight and has no table of its own."""
    ea = ExtractiveAnswerer()
    q = analyse("城市公交票价是否调整？")
    item = hits("2")[0]
    as_preamble = replace(item, section=replace(item.section, kind="preamble"))
    a = ea._score_section(0, item, list(q.keywords), q, None)
    b = ea._score_section(0, as_preamble, list(q.keywords), q, None)
    assert [c.score for c in a] == [c.score for c in b] and a
    halved = ea._score_section(0, replace(item, weight=0.5), list(q.keywords), q, None)
    assert [c.score for c in halved] == pytest.approx([c.score * 0.5 for c in a])


# -- analyse once per ask; Answer.rewrite -----------------------------------------------------

MINUTE = """某市人民政府常务会议纪要

〔2021〕3号

2021年2月5日上午，张三市长主持召开市政府第110次常务会议，审议《某市垃圾分类实施方案》。

会议议定以下意见：

一、审议《某市垃圾分类实施方案》

原则同意《某市垃圾分类实施方案》。由市城管局根据会议讨论意见修改完善后印发实施。

出席：张三 李四 王五

记录：赵六
"""


@pytest.fixture()
def assistant(tmp_path: Path) -> Assistant:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_text(MINUTE, encoding="utf-8")
    a = Assistant(Settings.load(env={}, data_dir=str(tmp_path / "data")), embedder=HashEmbedder(64))
    a.ingest([folder])
    return a


def test_the_question_is_analysed_once_per_ask(assistant: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"analyse": 0, "keywords": 0}
    real_analyse, real_keywords = query_module.analyse, query_module.keywords

    def counting_analyse(*args: Any, **kwargs: Any) -> Any:
        calls["analyse"] += 1
        return real_analyse(*args, **kwargs)

    def counting_keywords(text: str, lang: Any = None) -> list[str]:
        calls["keywords"] += 1
        return real_keywords(text, lang)

    monkeypatch.setattr(query_module, "analyse", counting_analyse)
    # every name the keyword rule is reachable by
    for module in (query_module, followup, answer_lang):
        monkeypatch.setattr(module, "keywords", counting_keywords)
    ans = assistant.ask("某市垃圾分类实施方案由哪个部门修改完善？")
    assert ans.found
    assert calls == {"analyse": 1, "keywords": 1}


def _turn(question: str, answer: Answer) -> Turn:
    return Turn(question, answer)


def test_answer_says_how_the_question_was_rewritten(assistant: Assistant) -> None:
    first = assistant.ask("〔2021〕3号纪要审议了什么方案？")
    assert first.rewrite == "none"
    assert assistant.answer_json(first)["rewrite"] == "none"
    follow = assistant.ask("它由哪个部门负责？", history=[_turn("〔2021〕3号纪要审议了什么方案？", first)])
    assert follow.rewrite == "heuristic"
    assert assistant.answer_json(follow)["rewrite"] == "heuristic"
    assert follow.question == "它由哪个部门负责？"  # the Answer keeps the question as asked


def test_an_llm_rewrite_is_recorded_as_llm() -> None:
    cit = Citation(1, "m1", "〔2021〕3号", 110, "2021-02-05", "一", "审议《某市垃圾分类实施方案》", "原则同意。", 0, 5)
    prev = Turn("〔2021〕3号纪要审议了什么方案？", Answer("q", "原则同意。[1]", (cit,), "extractive"))
    llm = GenericFakeChatModel(messages=iter([AIMessage("《某市垃圾分类实施方案》由哪个部门负责？")]))
    built: list[int] = []

    def provider() -> Any:
        built.append(1)
        return llm

    q = analyse("它由哪个部门负责？", [prev], llm=provider)
    assert q.rewrite == "llm" and q.text == "《某市垃圾分类实施方案》由哪个部门负责？"
    assert q.asked == "它由哪个部门负责？" and q.boost_minute_ids == ("m1",)
    assert ExtractiveAnswerer().answer(q, hits("1-1")).rewrite == "llm"
    # a standalone question never asks for the model
    standalone = analyse("某市垃圾分类实施方案由哪个部门修改完善？", [prev], llm=provider)
    assert standalone.rewrite == "none" and built == [1]


# -- filters: one translation of the ask flags ------------------------------------------------

def test_filters_from_flags_is_the_one_translation() -> None:
    assert filters_from_flags({"from": "2020-01-01", "to": "", "minute": None}) == Filters(date_from="2020-01-01")
    assert filters_from_flags({"doc": "［2020］21号", "meeting": 102}) == Filters(doc_number="〔2020〕21号",
                                                                                   meeting_number=102)
    assert filters_from_flags({"minute": " m1 "}) == Filters(minute_id="m1")
    assert Filters(minute_id="（2021）4号").minute_as_doc_number() == Filters(doc_number="〔2021〕4号")
    assert Filters(minute_id="m1").minute_as_doc_number() is None
    with pytest.raises(KeyError):
        filters_from_flags({"until": "2020-01-01"})


def test_the_state_index_filters_through_the_shared_conditions(assistant: Assistant) -> None:
    (only,) = [m["minute_id"] for m in assistant.list_minutes()]
    index = assistant.index
    assert index.minute_ids_matching(Filters(year=2021)) == [only]
    assert index.minute_ids_matching(Filters(year=2020)) == []
    assert index.minute_ids_matching(filters_from_flags({"from": "2021-02-05", "to": "2021-02-05"})) == [only]
    assert index.minute_ids_matching(filters_from_flags({"doc": "[2021]3号", "meeting": 110})) == [only]
    assert index.minute_ids_matching(Filters(meeting_number=111)) == []
    assert Filters(year=2021, minute_id="m").conditions() == [
        ("date", ">=", 20210000), ("date", "<=", 20219999), ("minute_id", "=", "m")]


def test_the_answer_type_is_decided_once_per_question(monkeypatch) -> None:
    # issue 20: the answer type and list-ness are fields of the Query, computed when the
    # question is analysed; the answerers read them and never match the question again
    from answer_minutes import hits

    from minutes_rag.answer import ExtractiveAnswerer
    from minutes_rag.query import analyse, answer_types

    calls = {"type": 0, "list": 0}
    real_type, real_list = answer_types.answer_type, answer_types.is_list

    def counted_type(text: str) -> str:
        calls["type"] += 1
        return real_type(text)

    def counted_list(text: str) -> bool:
        calls["list"] += 1
        return real_list(text)

    monkeypatch.setattr(answer_types, "answer_type", counted_type)
    monkeypatch.setattr(answer_types, "is_list", counted_list)
    q = analyse("老旧小区改造方案由哪个部门修改完善？")
    assert q.answer_type == "department" and not q.is_list
    ans = ExtractiveAnswerer().answer(q, hits("1-1", "1-2", "2"))
    assert ans.found
    assert calls == {"type": 1, "list": 1}
    assert analyse("会议要求采取哪些措施来推进老旧小区改造？").is_list

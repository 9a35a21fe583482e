"""Questions about the ledger are answered from it, with citations that are the entries'
verbatim quotes; a timeline question gets one cited line per meeting in date order; other
questions still go to retrieval. Fake (hash) embedder, real embedded Chroma."""

from __future__ import annotations

from pathlib import Path

import pytest

from minutes_rag.assistant import Assistant, build_assistant
from minutes_rag.config import Settings
from minutes_rag.embed import HashEmbedder
from minutes_rag.query import find_ledger_ask as detect

ZH = """云江市人民政府 常务会议纪要

〔{year}〕{no}号

{year}年{month}月{day}日上午，张三市长主持召开市政府第{meeting}次常务会议，审议《云江市{plan}》。

会议议定以下意见：

一、审议《云江市{plan}》

（一）原则同意《云江市{plan}》。由市住建局根据会议讨论意见修改完善后印发实施。

（二）各地各部门要加强宣传引导，提高居民参与率。

二、研究全市消防安全工作

会议研究了全市消防安全工作。由市应急局牵头，市住建局配合，年底前完成高层建筑消防隐患排查整治。

出席：张三 李四 王五

记录：赵六
"""

EN = """CITY OF RIVERTON
OFFICIAL MINUTES

A REGULAR MEETING OF THE COUNCIL OF THE CITY OF RIVERTON WAS HELD THIS 9TH DAY OF MARCH, 2022 AT 9:30 A.M.

THOSE PRESENT WERE: Mayor Lane, Presiding; Commissioners Ortiz, Baker, Chen and Doyle, 5.

CONSENT AGENDA

12 Authorize a contract with Delta Paving for the Harbor Street resurfacing project (Ordinance) REFERRED TO COMMISSIONER OF FINANCE AND ADMINISTRATION

13 Accept the annual report on the municipal bus lane program (Report) (Y-5) ACCEPTED

At 11:02 a.m., Council adjourned.
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory) -> Assistant:
    root = tmp_path_factory.mktemp("ledger-chat")
    docs = root / "docs"
    docs.mkdir()
    specs = [  # (file, year, no, month, day, meeting, plan)
        ("a.txt", 2019, 8, 4, 2, 30, "老旧小区改造实施方案"),
        ("b.txt", 2020, 5, 3, 10, 41, "老旧小区改造三年行动计划"),
        ("c.txt", 2020, 9, 6, 30, 47, "政策性租赁住房试点工作方案"),
        ("d.txt", 2021, 3, 2, 5, 55, "生活垃圾分类实施方案"),
    ]
    for name, year, no, month, day, meeting, plan in specs:
        (docs / name).write_text(ZH.format(year=year, no=no, month=month, day=day, meeting=meeting, plan=plan),
                                 encoding="utf-8")
    (docs / "en.txt").write_text(EN, encoding="utf-8")
    a = build_assistant(Settings.load(env={}, data_dir=str(root / "data")), embedder=HashEmbedder(64))
    report = a.ingest([docs])
    assert report.added == 5 and not report.errors
    return a


def _verbatim(a: Assistant, answer) -> None:
    assert answer.citations
    for c in answer.citations:
        assert a.index.minute(c.minute_id).text[c.start:c.end] == c.quote
        assert f"[{c.n}]" in answer.text


def test_tasks_of_a_unit_in_a_year(assistant):
    ans = assistant.ask("2020年市住建局承担了哪些任务？")
    assert ans.mode == "ledger" and ans.found
    _verbatim(assistant, ans)
    assert {c.date[:4] for c in ans.citations} == {"2020"}
    # the two 2020 minutes, each: the plan's revision (lead) and the fire-safety task (partner)
    assert len(ans.citations) == 4
    assert "市住建局根据会议讨论意见" in ans.text and "（配合）" in ans.text
    assert [c.date for c in ans.citations] == sorted(c.date for c in ans.citations)


def test_how_a_plan_was_decided(assistant):
    ans = assistant.ask("政策性租赁住房试点方案是怎么决定的？")
    assert ans.mode == "ledger"
    _verbatim(assistant, ans)
    assert [c.quote for c in ans.citations] == ["原则同意《云江市政策性租赁住房试点工作方案》。"]
    assert ans.citations[0].label == "一（一）" and ans.citations[0].date == "2020-06-30"


def test_english_disposition(assistant):
    ans = assistant.ask("What was referred to the Commissioner of Finance?")
    assert ans.mode == "ledger"
    _verbatim(assistant, ans)
    assert len(ans.citations) == 1 and ans.citations[0].label == "12"
    assert "REFERRED TO COMMISSIONER OF FINANCE" in ans.citations[0].quote
    assert ans.text.startswith("Referred to Commissioner of Finance")


def test_timeline_answer_one_line_per_meeting_in_date_order(assistant):
    ans = assistant.ask("历次常务会议对老旧小区改造作了哪些部署？")
    assert ans.mode == "timeline"
    _verbatim(assistant, ans)
    assert [c.date for c in ans.citations] == ["2019-04-02", "2020-03-10"]
    assert all("老旧小区改造" in c.quote for c in ans.citations)  # the decision entries
    data = assistant.answer_json(ans)
    assert [c["date"] for c in data["citations"]] == ["2019-04-02", "2020-03-10"]
    assert {r["section_id"] for r in data["retrieved"]} == {c.section_id for c in ans.citations}


def test_which_meetings_discussed_a_topic_is_answered_by_its_timeline(assistant):
    ans = assistant.ask("哪些会议研究了老旧小区改造？")
    assert ans.mode == "timeline"
    _verbatim(assistant, ans)
    assert [c.date for c in ans.citations] == ["2019-04-02", "2020-03-10"]


def test_other_questions_still_go_to_retrieval(assistant):
    ans = assistant.ask("消防隐患排查整治由哪个部门牵头？")
    assert ans.mode == "extractive"


def test_a_ledger_question_the_ledger_cannot_answer_falls_back(assistant):
    ans = assistant.ask("2020年市教育局承担了哪些任务？")
    assert ans.mode == "extractive"


@pytest.mark.parametrize(
    ("question", "kind", "field", "value"),
    [
        ("2020年市住建局承担了哪些任务？", "assignments", "unit", "市住建局"),
        ("市应急局的任务有哪些？", "assignments", "unit", "市应急局"),
        ("What was the Bureau of Transportation directed to do?", "assignments", "unit", "Bureau of Transportation"),
        ("政策性租赁住房试点方案是怎么决定的？", "decision", "topic", "政策性租赁住房试点方案"),
        ("How was the Harbor Street project decided?", "decision", "topic", "Harbor Street project"),
        ("What was referred to the Commissioner of Finance?", "disposition", "keyword", "Commissioner of Finance"),
        ("历次常务会议对老旧小区改造作了哪些部署？", "timeline", "topic", "老旧小区改造"),
        ("自2019年以来历次会议对城市更新作出了哪些决定？", "timeline", "topic", "城市更新"),
        ("Show me the timeline of bus rapid transit", "timeline", "topic", "bus rapid transit"),
        # which meetings took a topic up: a list of meetings, i.e. the topic's timeline
        ("Which meetings discussed fire safety?", "timeline", "topic", "fire safety"),
        ("What council meetings have considered the Harbor Street project?", "timeline", "topic", "Harbor Street project"),
        ("When was garbage sorting discussed?", "timeline", "topic", "garbage sorting"),
        ("哪些会议研究了垃圾分类工作？", "timeline", "topic", "垃圾分类工作"),
        ("老旧小区改造在哪些会议上讨论过？", "timeline", "topic", "老旧小区改造"),
    ],
)
def test_intents(question, kind, field, value):
    intent = detect(question)
    assert intent is not None and intent.kind == kind
    assert getattr(intent, field) == value


def test_intent_dates():
    assert detect("2020年市住建局承担了哪些任务？").date_from == "2020-01-01"
    assert detect("2020年市住建局承担了哪些任务？").date_to == "2020-12-31"
    since = detect("自2019年以来历次会议对城市更新作出了哪些决定？")
    assert (since.date_from, since.date_to) == ("2019-01-01", "")


@pytest.mark.parametrize("question", [
    "《苏州市政策性租赁住房试点工作方案》由哪个部门负责修改完善？",
    "会议决定由哪个部门牵头推进低空经济？",
    "云江市政府常务会议对低空经济作出了哪些部署？",
    "Which department leads the rental housing pilot?",
    "Who presided over the meeting?",
    "What did the council decide?",
    "When was the meeting held?",
    "When was the minute issued?",
    "哪些会议出席人员有李亚平？",
])
def test_questions_for_retrieval_have_no_ledger_intent(question):
    assert detect(question) is None


def test_the_query_carries_it():
    from minutes_rag.query import analyse

    assert analyse("历次常务会议对老旧小区改造作了哪些部署？").ledger == detect("历次常务会议对老旧小区改造作了哪些部署？")
    assert analyse("《苏州市政策性租赁住房试点工作方案》由哪个部门负责修改完善？").ledger is None


def test_dev_sets_are_not_routed():
    # the answer-quality question sets are answered by retrieval, as before this feature
    import json

    root = Path(__file__).resolve().parents[2] / "eval"
    for name in ("dev_zh.jsonl", "dev_en.jsonl"):
        for line in (root / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                assert detect(json.loads(line)["question"]) is None


def test_a_minute_filed_twice_is_listed_once(tmp_path):
    docs = tmp_path / "docs"
    (docs / "copy").mkdir(parents=True)
    text = ZH.format(year=2020, no=5, month=3, day=10, meeting=41, plan="老旧小区改造三年行动计划")
    (docs / "b.txt").write_text(text, encoding="utf-8")
    (docs / "copy" / "b.txt").write_text(text, encoding="utf-8")
    a = build_assistant(Settings.load(env={}, data_dir=str(tmp_path / "data")), embedder=HashEmbedder(64))
    assert a.ingest([docs]).added == 2
    ans = a.ask("2020年市住建局承担了哪些任务？")
    assert ans.mode == "ledger" and len(ans.citations) == 2  # not 4
    assert a.ask("历次常务会议对老旧小区改造作了哪些部署？").citations[0].date == "2020-03-10"
    assert len(a.ask("历次常务会议对老旧小区改造作了哪些部署？").citations) == 1

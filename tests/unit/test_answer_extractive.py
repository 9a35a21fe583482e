"""Extractive answerer on hand-made minutes: verbatim quotes, offsets, markers, not-found."""

from __future__ import annotations

import re

import pytest
from answer_minutes import EN_SECTIONS, TEXTS, ZH_SECTIONS, hits

from minutes_rag.answer import ExtractiveAnswerer, evidence_score, metadata_kind
from minutes_rag.answer.citations import parse_markers
from minutes_rag.model import Answer

NOT_FOUND_ZH = "未在会议纪要中找到相关内容。"
NOT_FOUND_EN = "No relevant content was found in the minutes."


def check_consistent(ans: Answer) -> None:
    """Quotes are verbatim at their offsets; markers and citations match 1:1, in order."""
    for c in ans.citations:
        assert TEXTS[c.minute_id][c.start : c.end] == c.quote
        assert c.quote and c.quote == c.quote.strip()
    used = [n for m in parse_markers(ans.text) for n in m.numbers]
    first_use = list(dict.fromkeys(used))
    assert first_use == list(range(1, len(ans.citations) + 1))
    assert [c.n for c in ans.citations] == first_use


def test_answers_with_the_sentence_that_holds_the_answer():
    ans = ExtractiveAnswerer().answer("老旧小区改造方案由哪个部门修改完善？", hits("1-1", "1-2", "preamble"))
    assert ans.found and ans.mode == "extractive"
    check_consistent(ans)
    first = ans.citations[0]
    assert first.quote.endswith("由市住建局根据会议意见修改完善后印发实施。")
    assert first.label == "一（一）" and first.doc_number == "〔2021〕7号"
    assert first.meeting_number == 45 and first.date == "2021-03-15"
    assert first.title == "审议《某市老旧小区改造实施方案》"
    sec = ZH_SECTIONS["1-1"]
    assert first.start == sec.start + sec.text.index(first.quote)
    assert first.section_id == sec.section_id
    assert "由市住建局" in ans.text and "[1]" in ans.text


def test_picks_the_number_sentence_from_the_second_hit():
    ans = ExtractiveAnswerer().answer("今年要完成多少个老旧小区改造？", hits("1-1", "1-2"))
    check_consistent(ans)
    assert any("120个" in c.quote for c in ans.citations)


def test_item_heading_is_not_quoted_and_enumerators_are_not_shown():
    ans = ExtractiveAnswerer().answer("城市公交票价是否调整？", hits("2", "preamble"))
    check_consistent(ans)
    assert ans.citations[0].label == "二"
    assert "2元不变" in ans.citations[0].quote
    assert not any(c.quote.startswith("二、") for c in ans.citations)
    assert "（一）" not in ans.text and "二、" not in ans.text


def test_limits_sentences_and_sections():
    ea = ExtractiveAnswerer(max_sentences=2, max_sections=1)
    ans = ea.answer("老旧小区改造实施方案有什么要求？", hits("1-1", "1-2", "preamble", "2"))
    check_consistent(ans)
    assert 1 <= len(ans.citations) <= 2
    assert len({c.section_id for c in ans.citations}) == 1
    default = ExtractiveAnswerer().answer("老旧小区改造实施方案有什么要求？", hits("1-1", "1-2", "preamble", "2"))
    sentences = sum(len(re.findall(r"[。！？]", c.quote)) or 1 for c in default.citations)
    assert sentences <= 3 and len({c.section_id for c in default.citations}) <= 3


def test_weak_evidence_gives_the_chinese_not_found_answer():
    ans = ExtractiveAnswerer().answer("垃圾分类工作如何推进？", hits("1-1", "1-2", "2"))
    assert not ans.found
    assert ans.text == NOT_FOUND_ZH
    assert ans.citations == ()
    assert "answer" in ans.timings_ms


def test_english_question_gets_the_english_not_found_answer():
    ans = ExtractiveAnswerer().answer("What did the council decide about the airport runway?", hits("12", "13", lang="en"))
    assert not ans.found and ans.text == NOT_FOUND_EN and ans.citations == ()


def test_no_hits_is_not_found():
    ans = ExtractiveAnswerer().answer("Who presided?", [])
    assert not ans.found and ans.text == NOT_FOUND_EN


def test_english_answer_quotes_and_marks_sentences():
    ans = ExtractiveAnswerer().answer("How much are the new downtown parking fees?", hits("13", "12", lang="en"))
    assert ans.found
    check_consistent(ans)
    assert "$2 per hour" in ans.citations[0].quote
    assert ans.citations[0].label == "13"
    assert re.search(r"\. \[1\]", ans.text)


def test_evidence_rises_with_dense_similarity_and_coverage():
    q = "老旧小区改造由哪个部门负责？"
    low = evidence_score(q, hits("1-1", dense=0.70))
    high = evidence_score(q, hits("1-1", dense=0.95))
    assert 0.0 <= low < high <= 1.0
    # same dense score, a question whose words are not in the hit
    off = evidence_score("垃圾分类由哪个部门负责？", hits("1-1", dense=0.95))
    assert off < high
    assert evidence_score(q, []) == 0.0


def test_threshold_is_a_parameter():
    q = "老旧小区改造方案由哪个部门修改完善？"
    assert not ExtractiveAnswerer(threshold=1.01).answer(q, hits("1-1")).found
    weak = "垃圾分类工作如何推进？"
    score = evidence_score(weak, hits("1-2"))
    assert score < ExtractiveAnswerer().threshold
    # a negative threshold means "use the default" (Settings.not_found_threshold = -1)
    assert ExtractiveAnswerer(threshold=-1).threshold == ExtractiveAnswerer().threshold


@pytest.mark.parametrize(
    "question,top,expected",
    [
        ("谁主持了这次会议？", "preamble", "王明市长主持召开"),
        ("哪些人出席了会议？", "attendance", "出席：王明 李华 张强\n赵敏"),
        ("会议记录人是谁？", "tail", "记录：陈静"),
        ("纪要是什么时候印发的？", "tail", "2021年3月20日印发"),
    ],
)
def test_metadata_questions_quote_the_line(question, top, expected):
    ans = ExtractiveAnswerer().answer(question, hits(top, "1-1", "2"))
    assert ans.found
    check_consistent(ans)
    assert expected in ans.citations[0].quote
    assert ans.citations[0].section_id == ZH_SECTIONS[top].section_id


def test_attendance_list_is_shown_with_names_apart():
    ans = ExtractiveAnswerer().answer("哪些人出席了会议？", hits("attendance"))
    assert "张强 赵敏" in ans.text


def test_english_metadata_question():
    ans = ExtractiveAnswerer().answer("Who presided over the meeting?", hits("preamble", "12", lang="en"))
    check_consistent(ans)
    assert ans.citations[0].quote == "Mayor Jane Smith presided."
    rec = ExtractiveAnswerer().answer("Who recorded the minutes?", hits("tail", "13", lang="en"))
    assert rec.citations[0].quote.startswith("Recorded by: Tom Clerk")
    assert EN_SECTIONS["tail"].start <= rec.citations[0].start


def test_metadata_kind():
    assert metadata_kind("谁主持了第45次会议？") == "chair"
    assert metadata_kind("哪些人列席了会议") == "observers"
    assert metadata_kind("Who attended?") == "attendees"
    assert metadata_kind("老旧小区改造有什么要求？") == ""


def test_stream_yields_text_then_one_answer():
    items = list(ExtractiveAnswerer().stream("老旧小区改造方案由哪个部门修改完善？", hits("1-1")))
    assert isinstance(items[-1], Answer)
    assert all(isinstance(x, str) for x in items[:-1]) and items[:-1]
    assert "".join(items[:-1]) == items[-1].text


def test_english_question_on_a_chinese_minute_is_judged_on_the_cosine():
    # words the glossary does not know (it would translate "old residential area renovation")
    q = "Who has to rework the blueprint for the aged estates?"
    weak = ExtractiveAnswerer().answer(q, hits("1-1", "1-2", dense=0.70))
    assert not weak.found and weak.text == NOT_FOUND_EN
    strong = ExtractiveAnswerer().answer(q, hits("1-1", "1-2", dense=0.85))
    assert strong.found
    check_consistent(strong)
    # no keyword can match across languages: the opening sentences of the top hit
    assert strong.citations[0].quote.startswith("（一）原则同意")
    assert any("different languages" in w for w in strong.warnings)


def test_english_metadata_question_on_a_chinese_minute():
    ans = ExtractiveAnswerer().answer("Who chaired the meeting?", hits("preamble", "1-1", dense=0.85))
    check_consistent(ans)
    assert "王明市长主持召开" in ans.citations[0].quote
    assert ans.warnings == ("answered from a Chinese minute: the quotes are in its language",)


def test_the_same_sentence_is_quoted_once():
    import dataclasses

    dup = dataclasses.replace(ZH_SECTIONS["1-1"], section_id="zh-1-1-copy")
    hs = hits("1-1")
    hs.append(dataclasses.replace(hs[0], section=dup))
    ans = ExtractiveAnswerer().answer("老旧小区改造方案由哪个部门修改完善？", hs)
    quotes = [c.quote for c in ans.citations]
    assert len(quotes) == len(set(quotes))


def test_document_number_question_quotes_the_number_line():
    assert metadata_kind("这份纪要的文号是什么？") == "doc_number"
    ans = ExtractiveAnswerer().answer("这份纪要的文号是什么？", hits("preamble", "1-1"))
    assert ans.citations[0].quote == "〔2021〕7号"


@pytest.mark.parametrize(
    "text,lang",
    [
        ("谁主持了会议？", "zh"),
        ("Who took the minutes of meeting 〔2020〕21号?", "en"),  # a quoted document number
        ("What did 《某市老旧小区改造实施方案》 require?", "en"),  # a quoted title
        ("Portland Plan有什么决定？", "zh"),  # an English name in a Chinese question
        ("〔2021〕7号", "zh"),
        ("Who presided?", "en"),
        ("Who chaired the Yunjiang (云江市稳就业促创业) meeting?", "en"),  # a Chinese gloss in brackets
        ("（一）会议审议了什么？", "zh"),
    ],
)
def test_detect_lang(text, lang):
    from minutes_rag.text.lang import detect_lang

    assert detect_lang(text, question=True) == lang


def test_numbers_and_quoted_chinese_anchor_an_english_question_on_a_chinese_minute():
    from minutes_rag.answer.evidence import anchor_coverage, anchor_keywords

    q = "How many residential compounds (老旧小区) must be renovated this year, 120?"
    hs = hits("1-2", dense=0.78)
    assert set(anchor_keywords(q, hs[0])) >= {"120"}
    assert anchor_coverage(q, hs[0]) == pytest.approx(1.0)
    # the cosine alone is below the cross-lingual band's middle; the shared number lifts it
    # ("renovated" would be an anchor too: the glossary's "renovate" is 改造)
    assert evidence_score(q, hs) > evidence_score("How many compounds must be fixed this year?", hs)
    # a question with nothing the languages share (nor a glossary term) has no anchor coverage to count
    assert anchor_coverage("Which office reported?", hs[0]) is None


def test_anchored_chinese_hit_is_quoted_over_unrelated_english_hits():
    # the English hits match "renovation contract" and rank first, but only the Chinese one
    # holds what the question is about (120 compounds, 老旧小区)
    q = "Which renovation contract covers the 120 compounds (老旧小区)?"
    mixed = hits("12", "13", lang="en", dense=0.80) + hits("1-2", dense=0.80)
    ans = ExtractiveAnswerer().answer(q, mixed)
    assert ans.found
    check_consistent(ans)
    assert all(c.minute_id == "mzh" for c in ans.citations)
    assert "120个" in ans.citations[0].quote


def test_a_heading_only_item_is_quoted_when_it_answers_best() -> None:
    """An item whose own section is just its heading ("一、审议《…》", the substance in
    sub-items) can be the answer to "which plan was reviewed?"; a sentence that says what was
    decided still wins over it for other questions."""
    from answer_minutes import ZH_META, ZH_SECTIONS, ZH_TEXT, _section

    from minutes_rag.model import Hit

    heading = _section(ZH_TEXT, "mzh", "zh-1", ("一",), "item", "审议《某市老旧小区改造实施方案》",
                       "一、审议", "实施方案》\n")
    ranked = [heading, ZH_SECTIONS["2"], ZH_SECTIONS["1-2"]]
    hs = [Hit(section=s, score=1.0 / (60 + i), meta=ZH_META, sources={"dense": i}, dense=0.9, lexical=5.0 - i)
          for i, s in enumerate(ranked, 1)]
    ans = ExtractiveAnswerer().answer("第45次常务会议审议了哪个实施方案？", hs)
    assert ans.citations[0].label == "一"
    assert "审议《某市老旧小区改造实施方案》" in ans.citations[0].quote
    # with its sub-item retrieved too, the sub-item that names the plan and says what was
    # decided is quoted instead, and never the heading beside it
    hs2 = [Hit(section=s, score=1.0 / (60 + i), meta=ZH_META, sources={"dense": i}, dense=0.9, lexical=5.0 - i)
           for i, s in enumerate([heading, ZH_SECTIONS["1-1"], ZH_SECTIONS["2"]], 1)]
    ans2 = ExtractiveAnswerer().answer("第45次常务会议审议了哪个实施方案？", hs2)
    assert "《某市老旧小区改造实施方案》" in ans2.citations[0].quote
    assert ans2.citations[0].section_id == "zh-1-1"
    assert not any(c.section_id == "zh-1" for c in ans2.citations)
    ans = ExtractiveAnswerer().answer("老旧小区改造实施方案由哪个部门修改完善？", hs2)
    assert ans.citations[0].label == "一（一）" and "市住建局" in ans.text


# A minute whose items each name a plan: the question "which plan was reviewed?" is answered
# by the sentence of the reviewed item that names its plan, whatever order retrieval gives
# the items (the hit order varies between machines: their float arithmetic differs).
_PLANS_TEXT = """某市人民政府常务会议纪要

〔2022〕3号

三、听取关于《某市产业用地更新行动工作方案》编制情况的汇报

会议听取了市资源规划局关于《某市产业用地更新行动工作方案》编制情况的汇报。由市资源规划局会同各地进一步研究完善。

四、审议《某市租赁住房试点工作方案》

（一）原则同意《某市租赁住房试点工作方案》。由市住建局根据会议意见修改完善后发文实施。

（二）各相关部门要按照方案内容和领导小组分工，各司其职，通力合作，确保试点工作早日见到成效。
"""


def _plan_hits(order: tuple[str, ...]) -> list:
    from answer_minutes import _section

    from minutes_rag.model import Hit, MinuteMeta

    meta = MinuteMeta(lang="zh", body="某市人民政府", title="某市人民政府常务会议纪要", doc_number="〔2022〕3号",
                      meeting_number=12, date="2022-01-10")
    t = _PLANS_TEXT
    secs = {
        "三": _section(t, "mp", "p-3", ("三",), "item", "听取关于《某市产业用地更新行动工作方案》编制情况的汇报",
                      "会议听取了", "进一步研究完善。"),
        "四": _section(t, "mp", "p-4", ("四",), "item", "审议《某市租赁住房试点工作方案》",
                      "四、审议", "试点工作方案》\n"),
        "四（一）": _section(t, "mp", "p-4-1", ("四", "（一）"), "item", "审议《某市租赁住房试点工作方案》",
                          "（一）原则同意", "发文实施。"),
        "四（二）": _section(t, "mp", "p-4-2", ("四", "（二）"), "item", "审议《某市租赁住房试点工作方案》",
                          "（二）各相关部门", "见到成效。"),
    }
    return [Hit(section=secs[k], score=1.0 / (60 + i), meta=meta, sources={"dense": i, "lexical": i},
                dense=None, lexical=5.0 - i, weight=1.0) for i, k in enumerate(order, 1)]


@pytest.mark.parametrize("order", [
    ("四", "四（一）", "四（二）", "三"),
    ("四", "四（二）", "四（一）", "三"),
    ("四", "四（二）", "三", "四（一）"),
    ("四（二）", "三", "四", "四（一）"),
])
def test_which_plan_is_answered_by_the_sentence_naming_the_reviewed_plan(order):
    ans = ExtractiveAnswerer().answer("某市政府第12次常务会议审议了哪个工作方案？", _plan_hits(order))
    assert ans.found
    assert "原则同意《某市租赁住房试点工作方案》" in ans.text, ans.text
    assert "产业用地" not in ans.text


def test_the_first_line_of_a_tail_is_a_field_not_a_heading():
    # a splitter titles a tail by its first line; "XX办公室整理" is then both its title and the
    # answer to "who compiled the minute?", and must be quotable like any other field line
    from answer_minutes import ZH_META

    from minutes_rag.model import Hit, Section

    text = "某市人民政府办公室整理\n\n2021年3月20日印发"
    tail = Section("t-tail", "mt", ("附注",), "tail", "某市人民政府办公室整理", text, 0, len(text))
    ans = ExtractiveAnswerer().answer("纪要由哪个单位整理？", [Hit(section=tail, score=1.0, meta=ZH_META, weight=1.0)])
    assert ans.found
    assert ans.citations[0].quote == "某市人民政府办公室整理"


def _closing_hit():
    from minutes_rag.model import Hit, MinuteMeta, Section

    # a splitter titles a closing by its first sentence
    text = ("At 10:31 a.m. Council adjourned.\n\nBy Jo Clerk\nClerk of the Council\n\n"
            "WEDNESDAY, 2:00 PM, JANUARY 12, 2011  DUE TO LACK OF AN AGENDA THERE WAS NO MEETING")
    sec = Section("c-close", "men", ("closing",), "closing", "At 10:31 a.m. Council adjourned", text, 0, len(text))
    meta = MinuteMeta(lang="en", body="City of Exampleville", title="Official Minutes", date="2011-01-12")
    return Hit(section=sec, score=1.0, meta=meta, weight=1.0)


def test_a_title_holding_the_time_asked_for_is_quoted():
    ans = ExtractiveAnswerer().answer("At what time did the council adjourn?", [_closing_hit()])
    assert ans.found
    assert ans.citations[0].quote.startswith("At 10:31 a.m. Council adjourned")


def test_the_minute_s_own_date_tells_no_sentence_apart_in_english_either():
    # "January 12, 2011" names the minute (its date; the question's "January" is stemmed
    # "januari"): it must not make the line holding that date outweigh the one that says
    # when the council adjourned
    ans = ExtractiveAnswerer().answer("At what time did the council adjourn on January 12, 2011?", [_closing_hit()])
    assert ans.found
    assert ans.citations[0].quote.startswith("At 10:31 a.m. Council adjourned")


# -- issue 20 (item 3): a list question is answered with every item the passage lists ----------

LISTED = ("（三）关于老旧小区改造工作。会议要求采取以下措施推进老旧小区改造：一是加强组织领导，明确各区责任。"
          "二是加大资金投入，统筹市区两级财力。三是强化督促检查，按季度通报进度。会议同意市住建局的工作安排。")


def _listed_hit():
    from dataclasses import replace

    from answer_minutes import ZH_META

    from minutes_rag.model import Hit

    sec = replace(ZH_SECTIONS["1-2"], text=LISTED, title="关于老旧小区改造工作")
    return [Hit(section=sec, score=1.0, meta=ZH_META, dense=0.9, lexical=5.0)]


@pytest.mark.parametrize("question", ["会议要求采取哪些措施推进老旧小区改造？", "推进老旧小区改造要从哪几个方面采取措施？"])
def test_a_list_question_gets_every_item_of_the_list(question):
    ans = ExtractiveAnswerer().answer(question, _listed_hit())
    assert ans.found
    for item in ("一是加强组织领导", "二是加大资金投入", "三是强化督促检查"):
        assert item in ans.text, item
        assert any(item in c.quote for c in ans.citations), item
    start = _listed_hit()[0].section.start
    for c in ans.citations:  # verbatim, at its offsets
        assert c.quote == LISTED[c.start - start:c.end - start]


def test_list_questions_are_recognised_in_both_languages():
    from minutes_rag.query import analyse

    for q in ("会议要求采取哪些措施来推进老旧小区改造？", "推进改造要从哪几个方面着手？", "对各区有哪些要求？",
              "What measures did the council ask staff to take?", "In what ways will the plan be funded?"):
        assert analyse(q).is_list, q
    for q in ("由哪个部门牵头？", "What did the council decide about the fee?"):
        assert not analyse(q).is_list, q

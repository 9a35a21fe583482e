"""Citation markers in model replies: parsing, checking against sources, renumbering."""

from __future__ import annotations

import pytest
from answer_minutes import TEXTS, ZH_SECTIONS, hits

from minutes_rag.answer.citations import NO_VALID_CITATION, check_reply, parse_markers
from minutes_rag.text.markers import strip_markers

SOURCES = hits("1-1", "1-2", "2")  # [1] 一（一）, [2] 一（二）, [3] 二


@pytest.mark.parametrize(
    "text,numbers",
    [
        ("甲[1]乙", [(1,)]),
        ("甲[1][3]乙", [(1,), (3,)]),
        ("a [1, 2] b", [(1, 2)]),
        ("a [1,2] b", [(1, 2)]),
        ("甲【1】", [(1,)]),
        ("甲［2］", [(2,)]),
        ("甲[1、3]", [(1, 3)]),
        ("甲[1-3]", [(1, 2, 3)]),
        ("甲[来源2]", [(2,)]),
        ("[2020]21号", []),  # a document number written with ASCII brackets is not a marker
        ("no marker at all", []),
    ],
)
def test_parse_markers(text, numbers):
    assert [m.numbers for m in parse_markers(text)] == numbers


def test_strip_markers():
    assert strip_markers("甲[1]乙【2】丙[1, 3]") == "甲乙丙"


def test_two_adjacent_markers_are_renumbered_in_order_of_use():
    reply = "原则同意该方案，由市住建局修改完善后印发实施。[1][3] 公交基础票价维持2元不变。[3]"
    checked = check_reply(reply, SOURCES, "zh")
    assert checked.found and checked.warnings == ()
    assert checked.text == "原则同意该方案，由市住建局修改完善后印发实施。[1][2] 公交基础票价维持2元不变。[2]"
    assert [c.n for c in checked.citations] == [1, 2]
    assert [c.label for c in checked.citations] == ["一（一）", "二"]
    # the quote is the source sentence closest to the reply sentences citing it
    assert checked.citations[1].quote == "公交基础票价维持2元不变，老年人乘车继续免费。"
    for c in checked.citations:
        assert TEXTS[c.minute_id][c.start : c.end] == c.quote


def test_first_use_decides_the_number():
    reply = "今年完成改造小区120个[2]。由市住建局修改完善[1]。"
    checked = check_reply(reply, SOURCES, "zh")
    assert checked.text == "今年完成改造小区120个[1]。由市住建局修改完善[2]。"
    assert checked.citations[0].section_id == ZH_SECTIONS["1-2"].section_id
    assert checked.citations[1].section_id == ZH_SECTIONS["1-1"].section_id
    assert checked.citations[1].quote == "由市住建局根据会议意见修改完善后印发实施。"
    assert checked.mapping == {2: 1, 1: 2}


def test_comma_list_marker():
    checked = check_reply("The plan was approved and 120 estates will be renovated [1, 2].", SOURCES, "en")
    assert checked.text == "The plan was approved and 120 estates will be renovated [1][2]."
    assert len(checked.citations) == 2


def test_fullwidth_marker():
    checked = check_reply("公交基础票价维持2元不变【3】。", SOURCES, "zh")
    assert checked.text == "公交基础票价维持2元不变[1]。"
    assert "2元不变" in checked.citations[0].quote


def test_invented_marker_is_removed_and_reported():
    checked = check_reply("由市住建局修改完善[1]。票价上涨到5元[9]。", SOURCES, "zh")
    assert checked.text == "由市住建局修改完善[1]。票价上涨到5元。"
    assert checked.invalid == (9,)
    assert any("[9]" in w for w in checked.warnings)
    assert len(checked.citations) == 1


def test_only_invented_markers_flags_no_valid_citation():
    checked = check_reply("The fee rises to $5 [9].", SOURCES, "en")
    assert checked.found
    assert checked.text == "The fee rises to $5."
    assert checked.citations == ()
    assert NO_VALID_CITATION in checked.warnings


def test_reply_without_markers_is_kept_but_flagged():
    reply = "由市住建局负责。"
    checked = check_reply(reply, SOURCES, "zh")
    assert checked.found and checked.text == reply
    assert checked.citations == ()
    assert checked.warnings == (NO_VALID_CITATION,)


@pytest.mark.parametrize(
    "reply,lang,text",
    [
        ("未在会议纪要中找到相关内容。", "zh", "未在会议纪要中找到相关内容。"),
        ("No relevant content was found in the minutes.", "en", "No relevant content was found in the minutes."),
        ("  ", "zh", "未在会议纪要中找到相关内容。"),
    ],
)
def test_not_found_reply(reply, lang, text):
    checked = check_reply(reply, SOURCES, lang)
    assert not checked.found and checked.text == text and checked.citations == ()


def test_marker_before_any_text_cites_the_following_sentence():
    checked = check_reply("[2] 各区要加快推进老旧小区改造。", SOURCES, "zh")
    assert checked.citations[0].quote.startswith("（二）各区要加快推进老旧小区改造")

"""Chinese ledger forms of issue 16 on invented sentences: units without suffix or as lists,
请X按会议讨论意见…, 议定：1、…, decisions and dispositions of readouts, reports without a unit."""

from __future__ import annotations

import pytest

from minutes_rag.ledger.zh import extract_zh


def _found(text: str) -> list[tuple[str, list[str], list[str], str]]:
    out = []
    for f in sorted(extract_zh(text, 0, len(text)), key=lambda f: f.start):
        assert f.end > f.start
        out.append((f.kind, f.lead, f.partners, f.outcome))
    return out


@pytest.mark.parametrize("text, leads", [
    ("会议要求，发改、农业农村等部门要加强协调，确保项目按期开工。", ["发改", "农业农村"]),
    ("住建、自然资源、城东街道、城西镇等单位要按照职责分工抓好落实。", ["住建", "自然资源", "城东街道", "城西镇"]),
    ("请市住建局按会议讨论意见作进一步修改完善后提交市政府常务会议审议。", ["市住建局"]),
    ("市发改负责项目审批。", ["市发改"]),
    ("所需资金由市财政安排。", ["市财政"]),
])
def test_assignments_with_units_however_written(text: str, leads: list[str]) -> None:
    assert [(k, lead) for k, lead, _p, _o in _found(text)] == [("assignment", leads)]


def test_a_phrase_before_a_plain_modal_is_not_an_abbreviated_unit() -> None:
    assert _found("区域协调要加强，城市更新要提速。") == []


def test_each_point_after_yiding_is_a_decision() -> None:
    found = _found("议定：1、成立城市更新工作领导小组，由市长任组长。2、同意市财政局提出的资金安排意见。")
    assert [(k, o) for k, _l, _p, o in found] == [("decision", "议定"), ("decision", "同意")]


def test_two_titles_passed_together_are_two_decisions() -> None:
    text = "会议审议通过《甲实施方案》和《乙管理条例（草案）》，讨论《丙法（草案）》。"
    found = extract_zh(text, 0, len(text))
    assert [(f.kind, f.subject) for f in found] == [("decision", "《甲实施方案》"), ("decision", "《乙管理条例（草案）》")]
    assert all(text[f.start:f.end] in ("会议审议通过《甲实施方案》", "《乙管理条例（草案）》") for f in found)


def test_forwarding_a_draft_is_part_of_the_decision_that_passed_it() -> None:
    text = "会议讨论并原则通过《甲法（修订草案）》，决定将草案提请全国人大常委会审议。"
    found = extract_zh(text, 0, len(text))
    assert [(f.kind, f.outcome) for f in found] == [("decision", "原则通过")]
    assert (found[0].start, found[0].end) == (0, len(text))


def test_a_disposition_after_a_heard_report_is_its_own_decision() -> None:
    text = "会议听取了区人大法制委员会关于备案审查工作情况的报告，建议提请区人大常委会第十二次会议审议。"
    assert sorted((k, lead) for k, lead, _p, _o in _found(text)) == [("decision", []), ("report", ["区人大法制委员会"])]


def test_a_report_without_a_unit_is_kept_as_unnamed() -> None:
    text = "国务院总理主持召开国务院常务会议，听取保障农民工工资支付情况汇报，研究有关工作。"
    found = extract_zh(text, 0, len(text))
    assert [(f.kind, f.lead, f.generic) for f in found] == [("report", [], True)]
    assert text[found[0].start:found[0].end] == "听取保障农民工工资支付情况汇报"


def test_what_a_coming_session_will_hear_is_not_a_report() -> None:
    text = "会议决定，常委会第十一次会议于8月23日举行，拟安排的议题是：听取市政府关于上半年工作情况的报告；听取审议市政府关于预算执行情况的报告。"
    assert [k for k, *_ in _found(text)] == ["decision"]



def test_a_list_of_agreed_points_continues_over_sentences() -> None:
    found = _found("会议议定：1.同意成立县城市更新工作专班。2.专班办公室设在县住建局。")
    assert [(k, o) for k, _l, _p, o in found] == [("decision", "议定"), ("decision", "议定")]


@pytest.mark.parametrize("text, leads", [
    ("县财政安排县卫计局工作经费50万元。", ["县财政"]),
    ("会议要求，各乡镇、县直各部门要切实抓好落实。", ["各乡镇", "县直各部门"]),
])
def test_funding_by_an_abbreviated_unit_and_county_departments(text: str, leads: list[str]) -> None:
    assert [(k, lead) for k, lead, _p, _o in _found(text)] == [("assignment", leads)]

"""Named Chinese assignments and reports in the forms issue 16 lists, on sentences written for
these tests (no corpus text): units without their suffix or as lists, 请X按会议讨论意见…,
议定：1、…, 听取X关于…的汇报, 由X负责, X要…, 请X汇报, X就…作了汇报."""

from __future__ import annotations

import pytest

from minutes_rag.ledger.zh import extract_zh


def _entries(text: str) -> list[tuple[str, list[str], bool]]:
    found = sorted(extract_zh(text, 0, len(text)), key=lambda f: f.start)
    for f in found:
        assert 0 <= f.start < f.end <= len(text)
    return [(f.kind, f.lead, f.generic) for f in found]


# --------------------------------------------------------------------------- units however written


@pytest.mark.parametrize("text, leads", [
    # stems joined by 和 before 等部门
    ("发改和农业农村等部门要抓紧研究出台扶持政策。", ["发改", "农业农村"]),
    ("教育、卫健及民政等部门要做好困难群众帮扶。", ["教育", "卫健", "民政"]),
    # stems closed by 部门 without 等
    ("公安、交通运输部门要加强路面管控。", ["公安", "交通运输"]),
    ("由财政部门负责资金保障。", ["财政部门"]),
    # full names, bodies and townships before 等部门
    ("市公安局、市住建局、城关镇和新城街道等部门要建立联合执法机制。", ["市公安局", "市住建局", "城关镇", "新城街道"]),
    ("财政、审计、东湖街道、梅山镇等单位要于6月底前完成清查。", ["财政", "审计", "东湖街道", "梅山镇"]),
    # a level and a stem before a role word
    ("所需经费由县财政安排专项资金解决。", ["县财政"]),
    ("区财政统筹配套资金，区发改负责项目立项。", ["区发改"]),
])
def test_units_without_suffix_or_as_lists(text: str, leads: list[str]) -> None:
    assert [(k, lead) for k, lead, _g in _entries(text)] == [("assignment", leads)]


@pytest.mark.parametrize("text", [
    "加快推进部门协作，形成工作合力。",
    "区域协调要加强，城市更新要提速。",
    "市发改委、市财政局等单位负责同志参加会议。",
])
def test_phrases_that_are_not_units_give_nothing(text: str) -> None:
    assert _entries(text) == []


def test_a_role_department_is_a_generic_addressee() -> None:
    assert _entries("请起草部门按会议讨论意见作进一步修改完善后报市政府。") == [("assignment", ["起草部门"], True)]


# --------------------------------------------------------------------------- 请X按会议讨论意见…, 由X负责, X要…


@pytest.mark.parametrize("text, leads", [
    ("请市发改委按会议讨论意见作进一步修改完善后，按程序印发实施。", ["市发改委"]),
    ("请县教育局会同县财政局按会议讨论意见作进一步修改完善。", ["县教育局"]),
    ("请区司法局根据会议意见进一步修改完善，提请区人大常委会审议。", ["区司法局"]),
    ("由市城管局负责组织实施。", ["市城管局"]),
    ("具体工作由东湖街道负责落实。", ["东湖街道"]),
    ("市教育局要加快推进学校建设项目。", ["市教育局"]),
    ("团市委要组织青年志愿者参与社区服务。", ["团市委"]),
    ("各巡回督导组要压实责任，严格把关。", ["各巡回督导组"]),
    ("省政府党组成员要带头推动改革。", ["省政府党组成员"]),
    # party and collective bodies (party and discipline readouts)
    ("县政府党组要把巡察整改抓在手上。", ["县政府党组"]),
    ("县审计机关要聚焦重点领域开展专项审计。", ["县审计机关"]),
    ("区委党工委要定期研究基层治理工作。", ["区委党工委"]),
])
def test_named_assignments(text: str, leads: list[str]) -> None:
    assert _entries(text) == [("assignment", leads, False)]


def test_every_addressee_of_a_sentence_is_its_own_assignment() -> None:
    text = "市委宣传办要抓好统筹，各巡回指导组要严格把关，各级党委（党组）主要负责同志要亲力亲为。"
    assert _entries(text) == [
        ("assignment", ["市委宣传办"], False),
        ("assignment", ["各巡回指导组"], False),
        ("assignment", ["各级党委（党组）主要负责同志"], True),
    ]


def test_partners_of_a_lead() -> None:
    found = extract_zh(t := "由县交通运输局牵头，县财政局、县自然资源局配合，年底前完成项目前期工作。", 0, len(t))
    assert [(f.lead, f.partners, f.deadline) for f in found] == [(["县交通运输局"], ["县财政局", "县自然资源局"], "年底前")]


# --------------------------------------------------------------------------- 议定：1、…


def test_agreed_points_are_decisions_and_a_named_point_an_assignment() -> None:
    text = "议定事项：一、原则同意《某区老旧小区改造实施方案》。二、由区住建局牵头抓好落实。"
    assert [(k, lead) for k, lead, _g in _entries(text)] == [("decision", []), ("assignment", ["区住建局"])]


# --------------------------------------------------------------------------- reports


@pytest.mark.parametrize("text, leads", [
    ("会议听取了市应急管理局关于上半年安全生产工作情况的汇报。", [["市应急管理局"]]),
    ("会议听取市住建局关于城中村改造进展情况汇报，研究部署下一步工作。", [["市住建局"]]),
    ("会议听取了市发展改革委、市财政局关于重大项目资金保障情况的汇报。", [["市发展改革委", "市财政局"]]),
    ("会议还听取了县委组织部关于干部队伍建设情况的汇报和县纪委监委关于作风建设情况的汇报。",
     [["县委组织部"], ["县纪委监委"]]),
    ("请市卫健委汇报疫苗接种进展情况。", [["市卫健委"]]),
    ("请市住建局就老旧小区改造进展情况作专题汇报。", [["市住建局"]]),
    ("市统计局汇报了一季度经济运行情况。", [["市统计局"]]),
    ("市水利局就防汛准备工作情况进行了汇报。", [["市水利局"]]),
    ("会上，县人大常委会办公室就代表建议办理情况作了汇报。", [["县人大常委会办公室"]]),
])
def test_named_reports(text: str, leads: list[list[str]]) -> None:
    assert [(k, lead) for k, lead, _g in _entries(text)] == [("report", lead) for lead in leads]


@pytest.mark.parametrize("text", [
    "请市住建局抓紧完善方案，并向市政府报告。",
    "请市住建局抓紧完善方案后向市政府常务会议报告。",
])
def test_reporting_back_to_a_superior_is_a_task_not_a_report(text: str) -> None:
    assert _entries(text) == [("assignment", ["市住建局"], False)]


def test_a_role_department_exhorted_without_a_trigger_is_no_assignment() -> None:
    assert _entries("牵头部门要勇于担当，参与部门要积极作为。") == []


def test_party_members_are_not_a_unit_named_by_their_last_character() -> None:
    # 干部 ends in 部 (a unit suffix); the unit list stops before the people
    assert all("干部" not in "".join(lead) for _k, lead, _g in _entries("县直各单位和广大党员干部要带头落实。"))


def test_all_of_them_must_is_a_modal() -> None:
    assert _entries("各部门都要增强大局意识。") == [("assignment", ["各部门"], True)]


@pytest.mark.parametrize("text, lead", [
    # bodies of a people's congress named without a level: 关于 closes the name
    ("会议听取了代表工委关于代表履职情况的汇报。", ["代表工委"]),
    ("会议听取了财经委关于预算审查情况的说明。", ["财经委"]),
    ("会议听取了法制委、常委会法工委关于条例草案修改情况的汇报。", ["法制委", "常委会法工委"]),
])
def test_a_short_body_before_guanyu_is_the_reporting_unit(text: str, lead: list[str]) -> None:
    assert _entries(text) == [("report", lead, False)]


@pytest.mark.parametrize("text", [
    "会议听取了张三同志关于调研情况的汇报。",  # a person
    "会议听取了关于召开全会的方案的汇报。",
])
def test_no_unit_before_guanyu_leaves_the_report_unnamed(text: str) -> None:
    assert _entries(text) == [("report", [], True)]


def test_a_place_as_a_whole_or_a_verb_is_not_a_reporting_unit() -> None:
    for text in ("会议听取了全市关于防汛工作情况的汇报。", "会议听取审议市政府关于预算执行情况的报告。"):
        assert all(lead not in (["全市"], ["审议市政府"]) for _k, lead, _g in _entries(text))


@pytest.mark.parametrize("text, lead", [
    ("所需资金由江北区财政安排。", ["江北区财政"]),
    ("会议议定：1.成立项目建设指挥部。2.项目资金由市财政统筹安排。", ["市财政"]),
])
def test_funding_by_a_place_and_a_stem(text: str, lead: list[str]) -> None:
    assert [lead_ for k, lead_, _g in _entries(text) if k == "assignment"] == [lead]


def test_a_city_quarter_before_a_role_word_is_not_an_abbreviated_unit() -> None:
    assert _entries("城市管理负责人员要加强巡查。") == []
    assert _entries("小区物业负责日常维护。") == []


def test_following_a_superiors_arrangement_is_no_unit() -> None:
    assert _entries("会议指出，按照省委工作安排，确定了重点工作任务。") == []


@pytest.mark.parametrize("text, lead, partners", [
    # county and district minutes drop the level
    ("发改委要抓紧完善项目库。", ["发改委"], []),
    ("由住建局牵头，财政局、自然资源局配合，年底前完成改造。", ["住建局"], ["财政局", "自然资源局"]),
    ("请交通运输局按会议讨论意见作进一步修改完善。", ["交通运输局"], []),
    ("城投公司要加快融资进度。", ["城投公司"], []),
])
def test_units_without_their_level(text: str, lead: list[str], partners: list[str]) -> None:
    found = extract_zh(text, 0, len(text))
    assert [(f.kind, f.lead, f.partners) for f in found] == [("assignment", lead, partners)]


@pytest.mark.parametrize("text", [
    "构建新发展格局要坚持稳中求进。",
    "对重点问题实行挂牌督办要一抓到底。",
    "党委要履行主体责任。",
    "会同市自然资源局抓紧制定清单。",
])
def test_words_that_end_like_a_unit_are_not_one(text: str) -> None:
    assert all(lead not in (["新发展格局"], ["挂牌督办"], ["党委"], ["会同市自然资源局"])
               for _k, lead, _g in _entries(text))

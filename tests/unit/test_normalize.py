"""normalize_text: cleanup, running page headers/footers, page-break repair."""

from __future__ import annotations

import pytest

from minutes_rag.parse.normalize import normalize_text


def test_line_endings_bom_zero_width_and_trailing_spaces() -> None:
    raw = "\ufeff标题  \r\n\r\n第一\u200b段。\t \r第二段\u00a0说明。\u2028end  "
    assert normalize_text(raw) == "标题\n\n第一段。\n第二段 说明。\nend\n"


def test_blank_line_runs_collapse_to_one_blank_line() -> None:
    assert normalize_text("一。\n\n\n\n\n二。\n \n\t\n三。") == "一。\n\n二。\n\n三。\n"


def test_empty_input_gives_empty_text() -> None:
    assert normalize_text(" \n\ufeff\n\t") == ""


@pytest.mark.parametrize(
    "marker",
    ["Page 3 of 18", "3 of 18", "January 12, 2011  2 of 18", "- 3 -", "－ 3 －", "第 3 页 共 18 页", "第3页", "PAGE 7"],
)
def test_whole_line_page_markers_are_removed(marker: str) -> None:
    raw = f"Intro line.\n{marker}\nNext line.\n\n{marker}\n\nLast line.\n4 of 18\n"
    out = normalize_text(raw)
    assert marker not in out
    assert "of 18" not in out
    assert out == "Intro line.\nNext line.\n\nLast line.\n"


def test_running_header_glued_to_the_first_line_of_a_page_is_removed() -> None:
    raw = (
        "(Ordinance)  (Y-5) 184349  1 of 18\n"
        "March 3, 2011  2 of 18 *43 Authorize a grant agreement\n"
        "March 3, 2011  3 of 18 and peanuts at major league events\n"
    )
    out = normalize_text(raw)
    assert out == (
        "(Ordinance)  (Y-5) 184349\n*43 Authorize a grant agreement\nand peanuts at major league events\n"
    )


def test_n_of_m_in_running_text_is_kept() -> None:
    # no date/"Page" prefix and no recurring total: a phrase, not a footer
    raw = "The motion carried 3 of 5\nMembers voted later.\n"
    assert normalize_text(raw) == raw


def test_heading_cut_by_page_break_is_joined() -> None:
    raw = (
        "一、安全生产专题宣讲：学习宣传贯彻习近平总书记关于安\n\n"
        "全生产重要论述，推进城市安全发展\n\n"
        "（一）会议学习了有关论述。\n"
    )
    out = normalize_text(raw)
    assert "关于安全生产重要论述，推进城市安全发展\n\n（一）" in out
    assert "安\n\n全" not in out


def test_long_paragraph_cut_mid_sentence_is_joined_without_space() -> None:
    body = "（三）近年来，我市安全生产形势保持平稳，但依然严峻复杂，处于爬坡过坎的关键时期。特别是随着城市化推进，各种风险相互交织，传统的和新型的、自然的和社会的、继发性、突发性风"
    raw = body + "\n\n险隐患叠加集聚，给我们做好工作带来新的挑战。\n\n二、下一项议题\n"
    out = normalize_text(raw)
    assert "突发性风险隐患叠加集聚" in out
    assert out.endswith("新的挑战。\n\n二、下一项议题\n")


def test_paragraph_ending_with_comma_is_joined() -> None:
    raw = "（三）要努力让人才引得进、留得住、不想走，\n\n安心深耕苏州创新创业。\n\n会上，还进行了学法专题。\n"
    out = normalize_text(raw)
    assert "不想走，安心深耕苏州创新创业。\n\n会上" in out


def test_latin_sentence_cut_by_page_break_and_footer_is_joined_with_a_space() -> None:
    raw = (
        "The Council discussed the budget for the coming fiscal year and agreed that the\n\n"
        "Page 2 of 3\n\n"
        "proposal should be referred to the finance committee for review.\n\n"
        "Adjourned."
    )
    out = normalize_text(raw)
    assert "agreed that the proposal should be referred" in out
    assert out.endswith("for review.\n\nAdjourned.\n")


def test_latin_heading_followed_by_capitalised_paragraph_is_not_joined() -> None:
    raw = "CITY OF PORTLAND, OREGON\n\nOFFICIAL MINUTES\n\nA regular meeting was held.\n"
    assert normalize_text(raw) == raw


@pytest.mark.parametrize(
    "a,b",
    [
        ("苏州市人民政府 常务会议纪要", "〔2020〕21号"),
        ("〔2020〕21号", "2020年6月30日上午，李亚平市长主持召开市政府第102次常务会议，听取有关汇报并研究了下一步工作安排"),
        ("记录：栗涛", "苏州市人民政府办公室整理"),
        ("苏州市人民政府办公室整理", "2020年7月9日"),
        ("2020年7月9日", "（此件公开发布）"),
        ("（此件公开发布）", "分送：各市、区人民政府"),
        ("苏州市人民政府办公室", "2020年7月10日印发"),
        ("三、听取关于《苏州市产业用地更新“双百”行动工作方案》编制情况的汇报", "会议听取了市资源规划局关于方案编制情况的汇报。由市资源规划局研究完善。"),
        ("二、听取国务院江苏安全生产专项整治督导工作推进会议精神的汇报", "（一）会议听取了市应急局的汇报。"),
        ("会议研究了推进城市安全发展的若干措施并要求各地各部门各单位深入学习领会切实抓好落实", "出席：李亚平 王翔"),
        ("会议研究了推进城市安全发展的若干措施并要求各地各部门各单位深入学习领会切实抓好落实", "1．加强组织领导。"),
        ("会议研究了推进城市安全发展的若干措施并要求各地各部门各单位深入学习领会切实抓好落实", "(1)加强组织领导。"),
        ("会议研究了推进城市安全发展的若干措施并要求各地各部门各单位深入学习领会切实抓好落实", "四、审议《苏州市政策性租赁住房试点工作方案》"),
        ("会议议定以下意见：", "一、安全生产专题宣讲"),
        ("国务院常务会议", "部署推进某某工作"),
    ],
)
def test_short_lines_labels_and_headings_are_not_joined(a: str, b: str) -> None:
    raw = f"{a}\n\n{b}\n"
    assert normalize_text(raw) == raw


def test_hard_wrapped_list_cut_by_page_break_keeps_a_line_break() -> None:
    lines = ["市发改委夏文 市教育局朱向峰 市科技局吴伟澎"] * 6
    raw = "列席：" + "\n".join(lines) + " 市体育局\n\n李镔 市统计局方国宏 市医保局陈建民\n\n记录：栗涛\n"
    out = normalize_text(raw)
    assert "市体育局\n李镔" in out
    assert "\n\n记录：栗涛" in out

"""Metadata of Chinese minutes: made-up variants (the real Suzhou minute: tests/integration)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from parse_builders import SMALL_MINUTE  # noqa: E402

from minutes_rag.parse.metadata import extract_metadata  # noqa: E402
from minutes_rag.text.lang import detect_lang  # noqa: E402
from minutes_rag.text.patterns import cn_to_int  # noqa: E402


def test_small_minute() -> None:
    meta = extract_metadata(SMALL_MINUTE)
    assert (meta.body, meta.doc_number, meta.meeting_number, meta.date, meta.chair) == (
        "江城市人民政府", "〔2021〕5号", 12, "2021-03-08", "王大明"
    )


@pytest.mark.parametrize(
    "line,expected",
    [
        ("〔2020〕21号", "〔2020〕21号"),
        ("[2013]4号", "〔2013〕4号"),
        ("［2013］4号", "〔2013〕4号"),
        ("（2013）4号", "〔2013〕4号"),
        ("(2013)4号", "〔2013〕4号"),
        ("【2013】4号", "〔2013〕4号"),
        ("〔 2013 〕 第04号", "〔2013〕4号"),
        ("苏府常纪〔2020〕21号", "苏府常纪〔2020〕21号"),
        ("苏府常纪[2020]21号", "苏府常纪〔2020〕21号"),
        ("江城市人民政府常务会议纪要 （2019）７号", "〔2019〕7号"),
    ],
)
def test_doc_number_forms(line: str, expected: str) -> None:
    text = f"江城市人民政府常务会议纪要\n\n{line}\n\n2019年1月2日，张三市长主持召开第3次常务会议。\n"
    assert extract_metadata(text).doc_number == expected


def test_doc_number_cited_in_the_body_is_not_the_minutes_own() -> None:
    text = (
        "江城市人民政府常务会议纪要\n\n2019年1月2日，张三市长主持召开第3次常务会议。\n\n"
        "一、根据《关于印发方案的通知》（江政发〔2018〕9号），会议同意……\n"
    )
    assert extract_metadata(text).doc_number == ""


@pytest.mark.parametrize(
    "sentence,chair",
    [
        ("2013年5月6日上午，李亚平市长主持召开市政府第10次常务会议。", "李亚平"),
        ("2013年5月6日，王翔副市长主持召开专题会议。", "王翔"),
        ("2013年5月6日上午王翔常务副市长主持召开会议。", "王翔"),
        ("2013年5月6日，市政府召开第10次常务会议，会议由张三副市长主持。", "张三"),
        ("2013年5月6日，市政府召开第10次常务会议，会议由欧阳明主持。", "欧阳明"),
        ("2013年5月6日，市长李亚平主持召开第10次常务会议。", "李亚平"),
        ("2013年5月6日，区政府召开常务会议。主持：钱进", "钱进"),
        ("2013年5月6日，市政府召开第10次常务会议。", ""),
    ],
)
def test_chair_forms(sentence: str, chair: str) -> None:
    assert extract_metadata("江城市人民政府常务会议纪要\n\n" + sentence + "\n").chair == chair


def test_meeting_number_and_date_in_chinese_numerals() -> None:
    text = "江城区人民政府常务会议纪要\n\n二〇一九年十二月三十一日，区长赵六主持召开区政府第一百零二次常务会议。\n"
    meta = extract_metadata(text)
    assert (meta.meeting_number, meta.date, meta.chair, meta.body) == (102, "2019-12-31", "赵六", "江城区人民政府")


@pytest.mark.parametrize(
    "title,body",
    [
        ("苏州市人民政府 常务会议纪要", "苏州市人民政府"),
        ("江城市人民政府专题会议纪要", "江城市人民政府"),
        ("江城市人民政府第3次常务会议纪要", "江城市人民政府"),
        ("江城市市长办公会议纪要", "江城市"),
        ("会议纪要", ""),
    ],
)
def test_title_and_body(title: str, body: str) -> None:
    meta = extract_metadata(title + "\n\n2019年1月2日，张三市长主持召开会议。\n")
    assert meta.title == title.replace(" ", "")
    assert meta.body == body


def test_title_over_two_lines() -> None:
    meta = extract_metadata("江城市人民政府\n专题会议纪要\n\n2019年1月2日，张三市长主持召开会议。\n")
    assert (meta.title, meta.body) == ("江城市人民政府专题会议纪要", "江城市人民政府")


def test_missing_fields_stay_empty() -> None:
    text = "关于城市更新工作的会议纪要\n\n会议研究了城市更新工作，议定如下。\n\n一、原则同意方案。\n"
    meta = extract_metadata(text)
    assert meta.lang == "zh"
    assert meta.doc_number == "" and meta.meeting_number is None and meta.date == ""
    assert meta.chair == "" and meta.recorder == "" and meta.issue_date == ""
    assert meta.attendees == () and meta.observers == ()


def test_issue_date_is_not_the_meeting_date() -> None:
    text = "江城市人民政府常务会议纪要\n\n江城市人民政府办公室 2021年3月10日印发\n\n会议于2021年3月8日召开。\n"
    meta = extract_metadata(text)
    assert meta.issue_date == "2021-03-10"
    assert meta.date == "2021-03-08"


def test_impossible_dates_are_ignored() -> None:
    text = "江城市人民政府常务会议纪要\n\n2021年2月30日，张三市长主持召开会议。\n"
    assert extract_metadata(text).date == ""


def test_cn_to_int() -> None:
    assert [cn_to_int(s) for s in ["十", "十二", "二十一", "一百零二", "一千", "二〇二〇", "7", "甲"]] == [
        10, 12, 21, 102, 1000, 2020, 7, None
    ]


def test_detect_lang() -> None:
    assert detect_lang("会议听取了市应急局关于 COVID-19 防控工作的汇报。") == "zh"
    assert detect_lang("The Council adopted item 38 (会议).") == "en"
    assert detect_lang("") == "en"


def test_news_style_headline() -> None:
    text = (
        "江城市政府召开第114次常务会议\n\n"
        "2022年2月13日下午，范小明市长主持召开市政府第114次常务会议，研究食品安全工作。\n\n"
        "会议研究了食品安全推进工作。\n"
    )
    meta = extract_metadata(text)
    assert (meta.title, meta.body) == ("江城市政府召开第114次常务会议", "江城市政府")
    assert (meta.meeting_number, meta.date, meta.chair, meta.doc_number) == (114, "2022-02-13", "范小明", "")


def test_first_line_that_is_a_sentence_is_no_title() -> None:
    text = "2022年2月13日下午，范小明市长主持召开市政府第114次常务会议，研究食品安全工作。\n"
    meta = extract_metadata(text)
    assert (meta.title, meta.body) == ("", "")

"""The meeting date of a news readout that opens with a publication stamp (issue 16)."""

from __future__ import annotations

import pytest

from minutes_rag.parse.metadata.zh import zh_metadata


@pytest.mark.parametrize("text, date", [
    ("2023-07-14 20:18，正文：国务院总理7月13日主持召开国务院常务会议，研究有关工作。", "2023-07-13"),
    ("来源：某日报  |  2023年07月20日 09:51:31，正文：本报讯 7月19日上午，省长主持召开省政府常务会议。", "2023-07-19"),
    ("23-08-17 05:50，正文：本报讯(记者某某)8月16日，市委审计委员会召开会议。", "2023-08-16"),
    ("2023-08-16 21:10，正文：上海市市长今天主持召开市政府常务会议。", "2023-08-16"),
    ("2023-08-08 10:04，正文：本报杭州8月7日讯 （记者某某） 7日下午，省长主持召开省政府常务会议。", "2023-08-07"),
    ("2024-01-03 10:00，正文：12月29日，市长主持召开市政府常务会议。", "2023-12-29"),
    ("2023-08-12 07:20，正文：本报讯 近日，市政协召开会议。", ""),
])
def test_a_readouts_meeting_date_is_not_its_publication_stamp(text: str, date: str) -> None:
    assert zh_metadata(text).date == date


@pytest.mark.parametrize("name, text, date", [
    ("xwlb_20240830.txt", "李强主持召开国务院常务会议\n国务院总理李强8月30日主持召开国务院常务会议。", "2024-08-30"),
    ("2024-08-30 readout.txt", "国务院总理8月30日主持召开国务院常务会议。", "2024-08-30"),
    ("xwlb_20240830.txt", "国务院总理8月29日主持召开国务院常务会议。", ""),  # the name says another day
    ("report_12345678.txt", "国务院总理8月30日主持召开国务院常务会议。", ""),
])
def test_a_day_without_a_year_takes_the_year_of_a_file_named_by_that_date(name: str, text: str, date: str) -> None:
    from minutes_rag.parse.metadata import date_from_file_name

    assert date_from_file_name(name, text) == date


def test_load_minute_fills_the_year_from_the_file_name(tmp_path) -> None:
    from minutes_rag.parse import load_minute

    p = tmp_path / "xwlb_20240830.txt"
    p.write_text("李强主持召开国务院常务会议\n\n国务院总理李强8月30日主持召开国务院常务会议，研究有关工作。\n\n会议指出，要做好工作。\n",
                 encoding="utf-8")
    assert load_minute(p).meta.date == "2024-08-30"


@pytest.mark.parametrize("text, body", [
    ("2023-07-14 20:18，正文：国务院总理7月13日主持召开国务院常务会议，研究有关工作。", "国务院"),
    ("2023-07-24 20:07，正文：7月24日，应急管理部召开会议，研究部署安全生产工作。", "应急管理部"),
    ("2023-08-15 19:15，正文：8月14日，国务院国资委党委召开扩大会议。", "国务院国资委党委"),
    ("2023-08-16 21:10，正文：市长今天主持召开市政府常务会议。", ""),  # 市政府: relative, not a name
])
def test_a_readouts_body_is_the_one_that_calls_the_meeting(text: str, body: str) -> None:
    assert zh_metadata(text).body == body

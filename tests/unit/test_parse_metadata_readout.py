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

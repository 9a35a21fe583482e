"""Metadata of the two real minutes of the shared corpus (acceptance): Suzhou 〔2020〕21号 and
the Portland council minutes of 2011-01-12."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from minutes_rag.model import MinuteMeta, Observer
from minutes_rag.parse import load_minute
from minutes_rag.parse.metadata import extract_metadata
from minutes_rag.parse.normalize import normalize_text

pytestmark = pytest.mark.integration


SUZHOU_ATTENDEES = ("李亚平", "王翔", "洪宗明", "陆春云", "江海", "曹后灵", "杨知评", "周伟", "吴维群")


@pytest.fixture(scope="module")
def suzhou_text(suzhou_path: Path) -> str:
    return normalize_text(suzhou_path.read_text(encoding="utf-8"))


def repaired(text: str) -> str:
    """The same minute with its page breaks mended, as the normaliser's repair may leave
    it: a blank line that cuts a sentence or a word goes, and so does the one inside the
    列席 list ("市体育局\\n\\n李镔")."""
    head, sep, tail = text.partition("出席：")
    head = re.sub(r"(?<=[\u4e00-\u9fff，、“”])\n\n(?=[\u4e00-\u9fff])", "", head)
    tail = re.sub(r"(?<=[\u4e00-\u9fff])\n\n(?=[\u4e00-\u9fff]+ )", "\n", tail)
    return head + sep + tail


def check_suzhou(meta: MinuteMeta) -> None:
    assert meta.lang == "zh"
    assert meta.body == "苏州市人民政府"
    assert meta.title == "苏州市人民政府常务会议纪要"
    assert meta.doc_number == "〔2020〕21号"
    assert meta.meeting_number == 102
    assert meta.date == "2020-06-30"
    assert meta.chair == "李亚平"
    assert meta.recorder == "栗涛"
    assert meta.issue_date == "2020-07-10"
    assert meta.attendees == SUZHOU_ATTENDEES
    for obs in [
        Observer("市住建局", "张伟"),
        Observer("市人社局", "朱正"),  # "市\n人社局朱正"
        Observer("市卫生健康委", "王禹"),  # "市卫\n生健康委王禹"
        Observer("市纪委监委", "王辉斌"),  # "市纪委监委\n王辉斌"
        Observer("市委政法委", "蔡蔚"),  # "市委\n政法委蔡蔚"
        Observer("市体育局", "李镔"),  # across the page break
        Observer("苏州海关", "程维勇"),  # "苏州\n海关程维勇"
        Observer("苏州银保监分局", "王矗"),  # "苏州银保\n监分局王矗"
        Observer("铁塔苏州分公司", "董飞"),  # "铁\n塔苏州分公司董飞"
        Observer("张家港市", "仇玉山"),
        Observer("常熟市", "徐海东"),
        Observer("太仓市", "许超震"),  # "太仓市\n许超震"
        Observer("人行苏州中支", "陈军"),
        Observer("省第五安全生产督导组", "卞中尉"),  # the second name after 、
        Observer("市第七组安全生产督导组", "戴兴根"),  # "市第七组安全生产\n督导组戴兴根"
        Observer("市“331”专班", "李玉琪"),
        Observer("", "马九根"),  # the bare names that open the list
        Observer("", "张梁生"),
    ]:
        assert obs in meta.observers, obs
    # the list names 96 people (counted by hand); none is a fragment of a department
    assert len(meta.observers) == 96
    for o in meta.observers:
        assert 2 <= len(o.name) <= 3, o
        assert not o.org or re.search(r"(局|委|办|院|组|班|中心|公司|集团|分行|支|海关|市|区|部|室|会|联|队|中支)$", o.org), o
    assert [o.name for o in meta.observers[:6]] == ["马九根", "张焱", "陈春明", "蒋华", "徐业洲", "张梁生"]
    assert not any(o.org.startswith("市国资委") or "代表" in o.name for o in meta.observers)


def test_suzhou_acceptance(suzhou_text: str) -> None:
    check_suzhou(extract_metadata(suzhou_text))


def test_suzhou_after_page_break_repair(suzhou_text: str) -> None:
    fixed = repaired(suzhou_text)
    assert "安\n\n全生产" not in fixed and "市体育局\n李镔" in fixed  # the repair did happen
    check_suzhou(extract_metadata(fixed))


def test_suzhou_raw_text_without_normalisation(suzhou_path: Path) -> None:
    raw = suzhou_path.read_text(encoding="utf-8").replace("\n", "\r\n")
    check_suzhou(extract_metadata(raw.replace("\r\n", "\n")))


@pytest.mark.parametrize("encoding", ["gbk", "utf-16-le", "utf-16"])
def test_suzhou_copies_in_other_encodings(tmp_path: Path, encoding: str, suzhou_path: Path) -> None:
    original = load_minute(suzhou_path)
    copy = tmp_path / f"suzhou-{encoding}.txt"
    copy.write_bytes(suzhou_path.read_text(encoding="utf-8").encode(encoding))
    m = load_minute(copy)
    assert m.text == original.text
    assert m.meta == original.meta
    check_suzhou(m.meta)


@pytest.fixture(scope="module")
def portland(portland_path: Path) -> MinuteMeta:
    return load_minute(portland_path).meta


def test_portland(portland) -> None:
    assert portland.lang == "en"
    assert "Portland" in portland.body
    assert portland.body == "City of Portland"
    assert portland.title.startswith("Official Minutes")
    assert portland.date == "2011-01-12"
    assert portland.chair == "Mayor Adams"
    assert {"Fish", "Fritz", "Leonard", "Saltzman"} <= set(portland.attendees)
    assert "Presiding" not in portland.attendees and "5" not in portland.attendees
    assert portland.doc_number == "" and portland.meeting_number is None


def test_portland_item_numbers(portland) -> None:
    # the disposition list runs 38 to 61 (S-56 is a substitute of item 56); "item 11",
    # an item of an earlier meeting named in the transcript, is not one of them
    assert portland.item_numbers == tuple(str(n) for n in range(38, 62))

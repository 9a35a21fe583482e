"""Metadata of Chinese minutes: the real Suzhou minute (acceptance) and made-up variants."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from parse_builders import SMALL_MINUTE, suzhou_path  # noqa: E402

from minutes_rag.model import MinuteMeta, Observer  # noqa: E402
from minutes_rag.parse import load_minute  # noqa: E402
from minutes_rag.parse.metadata import extract_metadata  # noqa: E402
from minutes_rag.parse.normalize import normalize_text  # noqa: E402
from minutes_rag.text.lang import detect_lang  # noqa: E402
from minutes_rag.text.patterns import cn_to_int  # noqa: E402

SUZHOU_ATTENDEES = ("李亚平", "王翔", "洪宗明", "陆春云", "江海", "曹后灵", "杨知评", "周伟", "吴维群")


@pytest.fixture(scope="module")
def suzhou_text() -> str:
    p = suzhou_path()
    if not p.exists():
        pytest.skip(f"the real corpus is not beside the repository ({p})")
    return normalize_text(p.read_text(encoding="utf-8"))


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


def test_suzhou_raw_text_without_normalisation() -> None:
    p = suzhou_path()
    if not p.exists():
        pytest.skip(f"the real corpus is not beside the repository ({p})")
    raw = p.read_text(encoding="utf-8").replace("\n", "\r\n")
    check_suzhou(extract_metadata(raw.replace("\r\n", "\n")))


@pytest.mark.parametrize("encoding", ["gbk", "utf-16-le", "utf-16"])
def test_suzhou_copies_in_other_encodings(tmp_path: Path, encoding: str, suzhou_text: str) -> None:
    original = load_minute(suzhou_path())
    copy = tmp_path / f"suzhou-{encoding}.txt"
    copy.write_bytes(suzhou_path().read_text(encoding="utf-8").encode(encoding))
    m = load_minute(copy)
    assert m.text == original.text
    assert m.meta == original.meta
    check_suzhou(m.meta)


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

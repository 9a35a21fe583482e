"""split_minute: agenda items, labels, titles, non-item parts, long-section parts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from minutes_rag.model import Minute, MinuteMeta, Section
from minutes_rag.parse.metadata import extract_metadata
from minutes_rag.parse.normalize import normalize_text
from minutes_rag.split import split_minute
from minutes_rag.text.lang import detect_lang


def _minute(raw: str, minute_id: str = "mtest") -> Minute:
    # as parse.load_minute builds it: the splitter reads the language from the metadata
    text = normalize_text(raw)
    return Minute(minute_id=minute_id, source="/tmp/x", content_hash="h", text=text, meta=extract_metadata(text))


def _check_invariants(minute: Minute, sections: list[Section]) -> None:
    assert sections, "no sections"
    prev_end = 0
    keys = set()
    for s in sections:
        assert minute.text[s.start : s.end] == s.text
        assert s.text.strip() and s.text == s.text.strip()
        assert s.start >= prev_end, f"{s.label} overlaps the section before it"
        prev_end = s.end
        assert (s.label_path, s.part) not in keys, f"duplicate label {s.label} part {s.part}"
        keys.add((s.label_path, s.part))
        assert 0 <= s.part < s.parts
        assert s.minute_id == minute.minute_id and s.section_id.startswith(minute.minute_id)
    # everything outside the sections is whitespace: nothing of the minute is lost
    covered = "".join(minute.text[a.end : b.start] for a, b in zip(sections, sections[1:]))
    assert not (minute.text[: sections[0].start] + covered + minute.text[sections[-1].end :]).strip()


def _by_label(sections: list[Section]) -> dict[str, Section]:
    return {s.label: s for s in sections if s.part == 0}


# --------------------------------------------------------------------------- Suzhou


@pytest.fixture(scope="module")
def suzhou(suzhou_path: Path) -> tuple[Minute, list[Section]]:
    m = _minute(open(suzhou_path, encoding="utf-8").read(), "msuzhou")
    return m, split_minute(m)


def test_suzhou_labels(suzhou) -> None:
    m, secs = suzhou
    _check_invariants(m, secs)
    items = [s.label for s in secs if s.kind == "item" and s.part == 0]
    assert items == [
        "一", "一（一）", "一（二）", "一（三）",
        "二", "二（一）", "二（二）", "二（三）",
        "三",
        "四", "四（一）", "四（二）", "四（三）",
        "五", "五（一）", "五（二）", "五（三）",
    ]  # fmt: skip
    assert secs[0].kind == "preamble" and secs[0].label_path == ("导语",)
    assert "〔2020〕21号" in secs[0].text and "会议议定以下意见" in secs[0].text


def test_suzhou_titles_and_texts(suzhou) -> None:
    _, secs = suzhou
    by = _by_label(secs)
    assert by["四"].title == "审议《苏州市政策性租赁住房试点工作方案》"
    assert by["四"].text == "四、审议《苏州市政策性租赁住房试点工作方案》"
    assert by["四（一）"].title == by["四"].title  # a sub-item carries its item's title
    assert "由市住建局" in by["四（一）"].text
    assert by["一"].title == "安全生产专题宣讲：学习宣传贯彻习近平总书记关于安全生产重要论述，推进城市安全发展"
    assert by["三"].text.startswith("三、听取关于") and "会议听取了市资源规划局" in by["三"].text
    assert by["五（三）"].text.endswith("不想走，安心深耕苏州创新创业。")


def test_suzhou_closing_attendance_tail(suzhou) -> None:
    _, secs = suzhou
    kinds = [s.kind for s in secs]
    closing = [s for s in secs if s.kind == "closing"]
    assert len(closing) == 1 and "学法" in closing[0].text and closing[0].label_path == ("结尾",)
    att = "".join(s.text for s in secs if s.kind == "attendance")
    assert att.startswith("出席：") and "列席：" in att and "记录：栗涛" in att
    assert "市国资委、苏州工业园区、苏州军分区的代表" in att
    assert all(s.label_path == ("出席",) for s in secs if s.kind == "attendance")
    tail = [s for s in secs if s.kind == "tail"]
    assert tail[0].text.startswith("苏州市人民政府办公室整理") and tail[-1].text.endswith("2020年7月10日印发")
    assert kinds.index("closing") < kinds.index("attendance") < kinds.index("tail")
    assert "学法" not in by_text(secs, "五（三）")


def by_text(secs: list[Section], label: str) -> str:
    return "".join(s.text for s in secs if s.label == label)


def test_suzhou_no_page_break_inside_a_sentence(suzhou) -> None:
    _, secs = suzhou
    for s in secs:
        for broken in ("安\n\n全", "风\n\n险", "试\n\n点"):
            assert broken not in s.text
        for m in re.finditer(r"\n\n", s.text):
            before = s.text[: m.start()].rstrip()
            # a blank line may only follow the end of a sentence, a heading, or a list line
            assert before[-1] in "。：；）" or s.kind in ("preamble", "attendance", "tail") or s.kind == "item" and m.start() < 80, (s.label, before[-20:])


# --------------------------------------------------------------------------- Portland


@pytest.fixture(scope="module")
def portland(portland_path: Path) -> tuple[Minute, list[Section]]:
    m = _minute(open(portland_path, encoding="utf-8").read(), "mportland")
    return m, split_minute(m)


def test_portland_items(portland) -> None:
    m, secs = portland
    _check_invariants(m, secs)
    items = [s for s in secs if s.kind == "item"]
    assert [s.label for s in items] == [str(n) for n in range(38, 62)]
    by = _by_label(secs)
    assert by["56"].text.startswith("S-56 Accept a grant")
    assert by["42"].text.startswith("*42 Accept and appropriate")
    assert by["38"].title == "Request of Joe Rastatter to address Council regarding fair wages at PGE Park"
    assert "REFERRED TO COMMISSIONER OF FINANCE AND ADMINISTRATION" in by["47"].text
    assert "Lake Oswego" in by["47"].title
    # a page footer between items does not end up in the text
    assert "of 18" not in by["42"].text and "of 18" not in by["43"].text


def test_portland_preamble_closing_transcript(portland) -> None:
    _, secs = portland
    assert secs[0].kind == "preamble" and secs[0].label == "Preamble"
    assert "THOSE PRESENT WERE" in secs[0].text
    closing = [s for s in secs if s.kind == "closing"]
    assert len(closing) == 1 and closing[0].text.startswith("At 10:31 a.m. Council adjourned.")
    assert "adjourned" not in _by_label(secs)["61"].text
    tr = [s for s in secs if s.kind == "transcript"]
    assert len(tr) > 10 and all(s.label == "Transcript" for s in tr)
    assert tr[0].text.startswith("Closed Caption File") and [s.part for s in tr] == list(range(len(tr)))
    assert all(len(s.text) <= 700 for s in tr)
    # the transcript's "Item 38." mentions do not become items
    assert all(s.start < tr[0].start for s in secs if s.kind == "item")


# --------------------------------------------------------------------------- made-up minutes

ARABIC_TOP = """某市人民政府常务会议纪要

第5次

2021年3月2日，市长主持召开会议。会议议定如下：

1．审议《某某办法》。会议原则同意该办法，由市司法局修改后印发。

（1）市财政局要保障经费。

（2）各区要抓好落实。

2．听取关于防汛工作的汇报。会议要求各部门做好准备。

会议还研究了其他事项。

出席：张三 李四

记录：王五
"""


def test_arabic_top_level_with_parenthesised_sub_items() -> None:
    m = _minute(ARABIC_TOP)
    secs = split_minute(m)
    _check_invariants(m, secs)
    assert [(s.kind, s.label) for s in secs] == [
        ("preamble", "导语"),
        ("item", "1"),
        ("item", "1（1）"),
        ("item", "1（2）"),
        ("item", "2"),
        ("closing", "结尾"),
        ("attendance", "出席"),
    ]
    by = _by_label(secs)
    assert by["1"].title == "审议《某某办法》" and by["1（2）"].title == "审议《某某办法》"
    assert by["2"].title == "听取关于防汛工作的汇报"
    assert by["1（1）"].label_path == ("1", "（1）")


def test_three_levels_and_third_level_under_sub_item() -> None:
    raw = (
        "会议纪要\n\n一、关于城市更新\n\n（一）总体要求。\n\n1.加强组织领导。\n\n2.强化资金保障。\n\n"
        "（二）工作安排。\n\n二、关于防汛工作\n\n会议要求做好准备。\n"
    )
    m = _minute(raw)
    secs = split_minute(m)
    _check_invariants(m, secs)
    assert [s.label for s in secs if s.kind == "item"] == ["一", "一（一）", "一（一）1", "一（一）2", "一（二）", "二"]
    assert _by_label(secs)["一（一）1"].label_path == ("一", "（一）", "1")


def test_stray_numbers_are_not_items() -> None:
    raw = (
        "会议纪要\n\n一、听取汇报\n\n会议指出，增速达到\n3.5%以上。\n\n"
        "二、审议方案\n\n5.这一行的编号不接续，属于正文。\n\n三、其他\n\n会议要求抓好落实。\n"
    )
    m = _minute(raw)
    secs = split_minute(m)
    _check_invariants(m, secs)
    assert [s.label for s in secs if s.kind == "item"] == ["一", "二", "三"]


NEWS = """国务院总理李强主持召开国务院常务会议

部署推进某某工作

新华社北京3月1日电 国务院总理李强3月1日主持召开国务院常务会议，研究推进某某工作。

会议指出，做好某某工作事关全局。要坚持问题导向，加大政策支持力度，切实解决群众急难愁盼问题。

会议研究了进一步优化营商环境的措施，要求各地区各部门抓好落实。
"""


def test_news_style_readout_falls_back_to_paragraphs() -> None:
    m = _minute(NEWS)
    secs = split_minute(m)
    _check_invariants(m, secs)
    assert [(s.kind, s.label) for s in secs] == [("paragraph", "第1段"), ("paragraph", "第2段"), ("paragraph", "第3段")]
    # the headline lines are merged into the first paragraph and give its title
    assert secs[0].text.startswith("国务院总理李强主持召开国务院常务会议\n\n部署推进某某工作")
    assert secs[0].title == "国务院总理李强主持召开国务院常务会议"
    assert secs[1].title == "会议指出，做好某某工作事关全局"


def test_english_without_numbering_uses_pilcrow_labels() -> None:
    raw = "Board Meeting Notes\n\nThe board met on Monday and reviewed the budget in detail.\n\nThe chair thanked staff for their work on the audit.\n"
    m = _minute(raw)
    secs = split_minute(m)
    _check_invariants(m, secs)
    assert [s.label for s in secs] == ["¶1", "¶2"]
    assert secs[1].title == "The chair thanked staff for their work on the audit"


def test_long_item_is_split_into_parts_at_sentence_ends() -> None:
    sentence = "各地各部门要切实增强大局意识、责任意识，按照方案内容和分工要求，各司其职，通力合作，确保试点工作早日见效。"
    raw = "会议纪要\n\n一、审议《某某方案》\n\n（一）" + sentence * 30 + "\n\n（二）原则同意。\n\n二、其他事项\n\n会议要求抓好落实。\n"
    m = _minute(raw)
    secs = split_minute(m, max_chars=300)
    _check_invariants(m, secs)
    parts = [s for s in secs if s.label == "一（一）"]
    assert len(parts) == parts[0].parts >= 5
    assert [p.part for p in parts] == list(range(len(parts)))
    assert all(len(p.text) <= 300 and p.text.endswith("。") for p in parts)
    assert {p.title for p in parts} == {"审议《某某方案》"}
    assert len({p.section_id for p in parts}) == len(parts)
    # the parts cover the sub-item exactly once
    assert "".join(p.text for p in parts) == ("（一）" + sentence * 30)


def test_very_long_sentence_without_punctuation_is_still_cut() -> None:
    raw = "会议纪要\n\n一、事项\n\n" + "字" * 2000 + "。\n\n二、其他\n\n完。\n"
    m = _minute(raw)
    secs = split_minute(m, max_chars=500)
    _check_invariants(m, secs)
    assert all(len(s.text) <= 500 for s in secs)


def test_repeated_numbering_gets_unique_labels() -> None:
    raw = "会议纪要\n\n一、甲事项\n\n会议同意。\n\n二、乙事项\n\n会议同意。\n\n一、丙事项\n\n会议同意。\n\n二、丁事项\n\n会议同意。\n"
    m = _minute(raw)
    secs = split_minute(m)
    _check_invariants(m, secs)
    assert [s.label for s in secs if s.kind == "item"] == ["一", "二", "一-2", "二-2"]


def test_english_numbered_items_with_noise_numbers() -> None:
    raw = (
        "CITY COUNCIL MINUTES\nMarch 3, 2020\n\nPresent: Mayor Smith, Councillors Jones and Lee, 3.\n\n"
        "1. Call to order. The meeting was called to order at 7:00 p.m.\n\n"
        "2. Approval of minutes. The minutes of February 18 were approved.\n\n"
        "3. Budget amendment for FY 2021 ($1,250,000). Ordinance 184350 Passed. Moved by Jones.\n\n"
        "4. Street lighting on Main Street. Referred to staff.\n\n"
        "The meeting adjourned at 8:15 p.m.\n"
    )
    m = _minute(raw)
    secs = split_minute(m)
    _check_invariants(m, secs)
    assert [(s.kind, s.label) for s in secs] == [
        ("preamble", "Preamble"),
        ("item", "1"),
        ("item", "2"),
        ("item", "3"),
        ("item", "4"),
        ("closing", "Closing"),
    ]
    by = _by_label(secs)
    assert by["1"].title == "Call to order"
    assert by["3"].title == "Budget amendment for FY 2021"


def test_english_items_run_together_on_one_line() -> None:
    raw = (
        "Minutes of the Planning Board\n\n"
        "Item 5  Rezoning of 12 Main Street  (Ordinance)  Approved 5-0.  Item 6  Variance for 40 Oak Avenue  "
        "(Resolution)  Denied.  *7 Appointment of 2 members  (Report)  Accepted.  S-8 Accept a grant of $1,000  (Ordinance)\n"
    )
    m = _minute(raw)
    secs = split_minute(m)
    _check_invariants(m, secs)
    assert [s.label for s in secs if s.kind == "item"] == ["5", "6", "7", "8"]
    assert _by_label(secs)["6"].title == "Variance for 40 Oak Avenue"


def test_language_is_detected_from_the_text() -> None:
    assert detect_lang(NEWS) == "zh"
    assert detect_lang("The council met. 李 was there.") == "en"


def test_empty_minute_gives_no_sections() -> None:
    assert split_minute(Minute("m", "/x", "h", "", MinuteMeta())) == []


def test_section_ids_are_stable_and_depend_on_text() -> None:
    a = split_minute(_minute(ARABIC_TOP))
    b = split_minute(_minute(ARABIC_TOP))
    assert [s.section_id for s in a] == [s.section_id for s in b]
    c = split_minute(_minute(ARABIC_TOP.replace("保障经费", "保障资金")))
    changed = {s.label for s, t in zip(a, c) if s.section_id != t.section_id}
    assert changed == {"1（1）"}


def test_invariants_hold_for_every_corpus_minute(corpus: Path) -> None:
    files = sorted(p for p in corpus.rglob("*.txt"))
    assert files
    for p in files:
        m = _minute(p.read_text(encoding="utf-8"), p.stem)
        for max_chars in (200, 700, 5000):
            _check_invariants(m, split_minute(m, max_chars=max_chars))


def test_hard_wrapped_minute_without_blank_lines() -> None:
    # text as a PDF extractor gives it: 28 characters a line, no blank lines at all
    body = (
        "某市人民政府常务会议纪要\n〔2021〕3号\n2021年3月2日，市长主持召开市政府常务会议。会议议定以下意见：\n"
        "一、审议《某市老旧小区改造实施方案》\n（一）原则同意该方案。由市住建局根据本次会议讨论意见作进一步修改完善后按程序发文实施。\n"
        "（二）各地各部门要切实增强大局意识、责任意识，确保改造工作早日见效。\n"
        "二、听取关于防汛工作的汇报\n会议要求各部门做好防汛准备，确保安全度汛。\n"
        "会上，还进行了常务会议学法专题。\n出席：张三 李四 王五\n列席：赵六 钱七\n记录：孙八\n"
        "某市人民政府办公室整理\n2021年3月5日印发\n"
    )
    raw = "\n".join(line[i : i + 28] for line in body.splitlines() for i in range(0, len(line), 28)) + "\n"
    m = _minute(raw)
    secs = split_minute(m)
    _check_invariants(m, secs)
    assert [(s.kind, s.label) for s in secs] == [
        ("preamble", "导语"),
        ("item", "一"),
        ("item", "一（一）"),
        ("item", "一（二）"),
        ("item", "二"),
        ("closing", "结尾"),
        ("attendance", "出席"),
        ("tail", "附注"),
    ]
    by = _by_label(secs)
    assert by["二"].text.endswith("确保安全度汛。")
    assert by["出席"].text.endswith("记录：孙八")

"""split_minute: agenda items, labels, titles, non-item parts, long-section parts."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from split_checks import by_label as _by_label  # noqa: E402
from split_checks import check_invariants as _check_invariants  # noqa: E402
from split_checks import make_minute as _minute  # noqa: E402

from minutes_rag.model import Minute, MinuteMeta  # noqa: E402
from minutes_rag.split import split_minute  # noqa: E402
from minutes_rag.text.lang import detect_lang  # noqa: E402

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


def test_news_style_readout_gets_one_item_per_matter() -> None:
    m = _minute(NEWS)
    secs = split_minute(m)
    _check_invariants(m, secs)
    assert [(s.kind, s.label) for s in secs] == [("preamble", "导语"), ("item", "第1项"), ("item", "第2项")]
    assert secs[0].text.startswith("国务院总理李强主持召开国务院常务会议\n\n部署推进某某工作")
    assert secs[1].text.startswith("会议指出") and secs[2].title.startswith("会议研究了进一步优化营商环境")


def test_prose_without_numbering_or_matters_falls_back_to_paragraphs() -> None:
    text = NEWS.replace("会议指出，", "").replace("会议研究了", "大家谈到")
    m = _minute(text)
    secs = split_minute(m)
    _check_invariants(m, secs)
    assert [(s.kind, s.label) for s in secs] == [("paragraph", "第1段"), ("paragraph", "第2段"), ("paragraph", "第3段")]
    # the headline lines are merged into the first paragraph and give its title
    assert secs[0].title == "国务院总理李强主持召开国务院常务会议"
    assert secs[1].title == "做好某某工作事关全局"


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


def test_item_numbers_of_any_length() -> None:
    """Item 100 and later are items of their own (they merged into item 99), and so are
    Chinese-numeral items past 一百 and sub-items past （九十九）."""
    items = "\n\n".join(f"{n}．审议第{n}号事项。会议原则同意，由市第{n}局办理。" for n in range(1, 106))
    text = f"某市人民政府常务会议纪要\n\n2021年3月2日，市长主持召开会议。会议议定如下：\n\n{items}\n\n出席：张三 李四\n"
    m = _minute(text)
    secs = split_minute(m)
    _check_invariants(m, secs)
    by = _by_label(secs)
    for n in (99, 100, 101, 105):
        assert str(n) in by, f"item {n} missing"
        assert f"第{n}号事项" in by[str(n)].text and f"第{n + 1}号事项" not in by[str(n)].text
    zh = "\n\n".join(f"{_cn(n)}、听取第{n}项汇报。会议要求抓好落实。" for n in range(1, 125))
    m2 = _minute(f"某市人民政府常务会议纪要\n\n会议议定如下：\n\n{zh}\n")
    by2 = _by_label(split_minute(m2))
    assert {"九十九", "一百", "一百零一", "一百二十三"} <= set(by2)
    assert "第123项" in by2["一百二十三"].text and "第124项" not in by2["一百二十三"].text


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + digits[rest] if rest < 10 else (digits[rest // 10] + "十" + (digits[rest % 10] if rest % 10 else "")))
    return digits[n // 100] + "百" + tail

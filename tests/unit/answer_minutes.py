"""Two small made-up minutes (Chinese and English) cut into Sections by hand, with real
offsets, for the answer-layer unit tests. Not collected by pytest (no test_ prefix)."""

from __future__ import annotations

from minutes_rag.model import Hit, MinuteMeta, Section
from minutes_rag.retrieve import KIND_WEIGHT

ZH_TEXT = """某市人民政府常务会议纪要

〔2021〕7号

2021年3月15日上午，王明市长主持召开市政府第45次常务会议，审议《某市老旧小区改造实施方案》，听取关于城市公交票价调整情况的汇报。

会议议定以下意见：

一、审议《某市老旧小区改造实施方案》

（一）原则同意《某市老旧小区改造实施方案》。由市住建局根据会议意见修改完善后印发实施。

（二）各区要加快推进老旧小区改造，今年完成改造小区120个，惠及居民3.5万户。

二、听取关于城市公交票价调整情况的汇报

会议听取了市交通局关于城市公交票价调整情况的汇报。公交基础票价维持2元不变，老年人乘车继续免费。

出席：王明 李华 张强
赵敏

记录：陈静

某市人民政府办公室

2021年3月20日印发
"""

EN_TEXT = """CITY OF EXAMPLEVILLE
OFFICIAL MINUTES OF THE REGULAR COUNCIL MEETING, MARCH 3, 2021

Mayor Jane Smith presided. Present: Commissioners Brown, Lee and Ortiz.

Item 12. Library renovation contract
The council approved a $2.5 million contract with Acme Builders for the library renovation. Work begins in May.

Item 13. Parking fees
The council voted 3-2 to raise downtown parking fees to $2 per hour. The change takes effect July 1.

Recorded by: Tom Clerk, City Recorder.
"""

ZH_META = MinuteMeta(
    lang="zh", body="某市人民政府", title="某市人民政府常务会议纪要", doc_number="〔2021〕7号",
    meeting_number=45, date="2021-03-15", chair="王明", recorder="陈静", issue_date="2021-03-20",
)
EN_META = MinuteMeta(lang="en", body="City of Exampleville", title="Official Minutes", date="2021-03-03")


def _section(text: str, minute_id: str, sid: str, label: tuple[str, ...], kind: str, title: str,
             first: str, last: str) -> Section:
    """The section running from the first occurrence of ``first`` to the end of ``last``."""
    start = text.index(first)
    end = text.index(last, start) + len(last)
    return Section(sid, minute_id, label, kind, title, text[start:end], start, end)


ZH_SECTIONS = {
    "preamble": _section(ZH_TEXT, "mzh", "zh-pre", ("导语",), "preamble", "", "某市人民政府常务会议纪要", "会议议定以下意见："),
    "1-1": _section(ZH_TEXT, "mzh", "zh-1-1", ("一", "（一）"), "item", "审议《某市老旧小区改造实施方案》",
                    "（一）原则同意", "印发实施。"),
    "1-2": _section(ZH_TEXT, "mzh", "zh-1-2", ("一", "（二）"), "item", "审议《某市老旧小区改造实施方案》",
                    "（二）各区", "3.5万户。"),
    # this one keeps its heading in its text, as a splitter may do
    "2": _section(ZH_TEXT, "mzh", "zh-2", ("二",), "item", "听取关于城市公交票价调整情况的汇报",
                  "二、听取", "继续免费。"),
    "attendance": _section(ZH_TEXT, "mzh", "zh-att", ("出席",), "attendance", "", "出席：", "赵敏"),
    "tail": _section(ZH_TEXT, "mzh", "zh-tail", ("结尾",), "tail", "", "记录：", "2021年3月20日印发"),
}

EN_SECTIONS = {
    "preamble": _section(EN_TEXT, "men", "en-pre", ("preamble",), "preamble", "", "CITY OF", "Lee and Ortiz."),
    "12": _section(EN_TEXT, "men", "en-12", ("12",), "item", "Library renovation contract", "Item 12.", "begins in May."),
    "13": _section(EN_TEXT, "men", "en-13", ("13",), "item", "Parking fees", "Item 13.", "effect July 1."),
    "tail": _section(EN_TEXT, "men", "en-tail", ("closing",), "tail", "", "Recorded by:", "City Recorder."),
}

TEXTS = {"mzh": ZH_TEXT, "men": EN_TEXT}


def hits(*keys: str, lang: str = "zh", dense: float | None = None, about_meeting: bool = False) -> list[Hit]:
    """Hits for the named sections, ranked in the order given, with the section-kind weight
    retrieval gives them (``about_meeting``: for a question about the meeting itself)."""
    table, meta = (ZH_SECTIONS, ZH_META) if lang == "zh" else (EN_SECTIONS, EN_META)
    return [
        Hit(section=table[k], score=1.0 / (60 + i), meta=meta, sources={"dense": i, "lexical": i},
            dense=dense, lexical=5.0 - i, weight=1.0 if about_meeting else KIND_WEIGHT.get(table[k].kind, 1.0))
        for i, k in enumerate(keys, 1)
    ]

"""Readouts without numbering: one item per matter (split/readout.py), on invented texts."""

from __future__ import annotations

from minutes_rag.model import Minute, MinuteMeta
from minutes_rag.split import split_minute

# one block, as news articles are stored: a comment right after an agenda sentence stays with it
BLOCK = ("2023-07-01 10:00，正文：7月1日，某市市长某某主持召开市政府常务会议。会议指出，甲工作事关全局。要抓好落实。"
         "会议原则同意《乙方案》。会议指出，要加快推进乙工作。要加强保障。会议强调，要做好丙工作。一要加强领导。"
         "二要压实责任。会议听取了市发展改革委关于丁工作的汇报；听取了市财政局关于戊工作的汇报。会议还研究了其他事项。")
# paragraphs, one per line: 会议指出 inside a paragraph stays with its matter
LAID_OUT = ("某某主持召开常务会议\n某某主持召开常务会议，审议通过《甲条例》。\n会议指出，甲工作重要。要抓好落实。\n"
            "会议审议通过《甲条例（草案）》。会议指出，要做好宣传。\n会议还研究了其他事项。\n")


def _split(text: str) -> list[tuple[str, str, str]]:
    m = Minute("m", "m.txt", "h", text, MinuteMeta(lang="zh"))
    secs = split_minute(m)
    assert all(text[s.start:s.end] == s.text for s in secs)
    return [(s.kind, s.label, s.text[:6]) for s in secs]


def test_a_block_readout_gets_an_item_per_matter_and_points_as_sub_items() -> None:
    assert _split(BLOCK) == [
        ("preamble", "导语", "2023-0"),
        ("item", "第1项", "会议指出，甲"),
        ("item", "第2项", "会议原则同意"),  # with the 会议指出 that follows it
        ("item", "第3项", "会议强调，要"),
        ("item", "第3项一", "一要加强领导"),
        ("item", "第3项二", "二要压实责任"),
        ("item", "第4项", "会议听取了市"),
        ("item", "第5项", "听取了市财政"),  # the next report of a list of heard reports
        ("closing", "结尾", "会议还研究了"),
    ]


def test_a_laid_out_readout_opens_matters_only_at_line_starts() -> None:
    assert _split(LAID_OUT) == [
        ("preamble", "导语", "某某主持召开"),
        ("item", "第1项", "会议指出，甲"),
        ("item", "第2项", "会议审议通过"),
        ("closing", "结尾", "会议还研究了"),
    ]

"""Pages through the pipeline with a text PDF (no OCR): the page map stored with the minute
(schema 2, migrated from 1), sections and citations naming their page in the JSON contracts,
the chat card and viewer heading showing it."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))

from parse_builders import write_pdf  # noqa: E402
from test_ingest_pipeline import make_assistant  # noqa: E402

from minutes_rag.index import StateIndex  # noqa: E402
from minutes_rag.index.schema import SCHEMA_VERSION
from minutes_rag.ui import render  # noqa: E402

PAGE_1 = [
    "苏州市人民政府常务会议纪要",
    "〔2021〕3号",
    "2021年2月5日上午，张三市长主持召开市政府第110次常务会议。",
    "一、审议《苏州市垃圾分类实施方案》",
    "原则同意《苏州市垃圾分类实施方案》。由市城管局修改完善后印发实施。",
    "- 1 -",
]
PAGE_2 = [
    "二、听取关于全市消防安全工作情况的汇报",
    "会议听取了市消防救援支队关于全市消防安全工作情况的汇报。要深入开展高层建筑消防隐患排查整治。",
    "- 2 -",
]


def test_a_pdf_minute_names_pages_in_show_and_ask(tmp_path: Path) -> None:
    (tmp_path / "archive").mkdir()
    write_pdf(tmp_path / "archive" / "m.pdf", [PAGE_1, PAGE_2])
    a, _ = make_assistant(tmp_path / "data")
    report = a.ingest([tmp_path / "archive"])
    assert report.added == 1, report.errors
    shown = a.minute_json("〔2021〕3号")
    assert shown["minute"]["pages"] == 2
    by_title = {s["title"]: s for s in shown["sections"]}
    fire = next(s for t, s in by_title.items() if "消防" in t)
    waste = next(s for t, s in by_title.items() if "垃圾" in t)
    assert (waste["page"], fire["page"]) == (1, 2)
    assert fire["page_end"] == 2 and fire["printed_page"] is None  # printed "2" is the physical page
    answer = a.answer_json(a.ask("哪个单位汇报了全市消防安全工作情况？"))
    cited = answer["citations"]
    assert cited
    for c in cited:  # the page of the section the quote is in (quotes here do not cross a page)
        section = next(s for s in shown["sections"] if s["start"] <= c["start"] < s["end"])
        assert c["page"] == section["page"], (c, section)
    cited = [c for c in cited if c["page"] == 2]
    assert cited, answer
    card = render.card_html(cited[0], 0, "zh")
    assert "第2页" in card and "p. 2" in render.card_html(cited[0], 0, "en")
    a.close()


def test_a_schema_1_index_gains_the_pages_table(tmp_path: Path) -> None:
    StateIndex(tmp_path).close()
    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        db.execute("DROP TABLE pages")
        db.execute("UPDATE info SET value='1' WHERE key='schema'")
    StateIndex(tmp_path).close()
    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        assert db.execute("SELECT value FROM info WHERE key='schema'").fetchone()[0] == str(SCHEMA_VERSION)
        assert db.execute("SELECT COUNT(*) FROM pages").fetchone()[0] == 0


def test_a_card_names_the_printed_page_when_it_differs() -> None:
    cite = {"n": 1, "doc_number": "〔2021〕3号", "label": "二", "title": "t", "quote": "q", "page": 3, "printed_page": "2"}
    assert "第3页（页码2）" in render.card_html(cite, 0, "zh")
    assert "第" not in render.page_label({**cite, "page": None}, "zh")

"""Add from passage (ui.passage): the viewer's offsets are checked against the stored text,
surrounding white space is left out, a viewer account adds nothing; the entry is stored as
`followup add` stores it. Hash embedder, real embedded Chroma."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings
from minutes_rag.embed import HashEmbedder
from minutes_rag.errors import InvalidRequest
from minutes_rag.ledger import LedgerFilter
from minutes_rag.ui.passage import PassageHandlers, locate

MINUTE = """云江市人民政府 常务会议纪要

〔2021〕3号

2021年2月5日上午，张三市长主持召开市政府第110次常务会议。

一、听取关于全市消防安全工作情况的汇报

会议听取了市消防救援支队的汇报。会议强调，各街道要做好老旧电梯的日常巡查。

出席：张三 李四
"""


def test_locate_checks_the_selection_against_the_text() -> None:
    text = "甲乙 丙丁\n戊"
    assert locate(text, 2, 6, " 丙丁\n") == (3, 5)
    with pytest.raises(InvalidRequest, match="not the minute's text"):
        locate(text, 0, 2, "乙丙")
    with pytest.raises(InvalidRequest, match="outside"):
        locate(text, 3, 99, None)
    with pytest.raises(InvalidRequest, match="blank"):
        locate(text, 2, 3, " ")
    with pytest.raises(InvalidRequest, match="whole number"):
        locate(text, "1", 3, None)


def test_an_editor_adds_a_selection_and_a_viewer_cannot(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_text(MINUTE, encoding="utf-8")
    a = Assistant(Settings.load(env={}, data_dir=str(tmp_path / "data")), embedder=HashEmbedder(64))
    a.ingest([folder])
    mid = a.list_minutes()[0]["minute_id"]
    text = a.index.minute(mid).text
    quote = "各街道要做好老旧电梯的日常巡查。"
    s = text.index(quote)
    ph = PassageHandlers(a, lambda user: user == "boss")
    raw = json.dumps({"minute_id": mid, "start": s, "end": s + len(quote), "text": quote})
    assert ph.select(raw, "reader", "zh") == ("只读账号不能修改。", None)
    assert ph.add({"minute_id": mid, "start": s, "end": s + len(quote), "quote": quote}, "assignment", "各街道",
                  "年底前", "reader", "zh")[0] is False
    forged = json.dumps({"minute_id": mid, "start": s + 1, "end": s + len(quote), "text": quote})
    assert ph.select(forged, "boss", "zh")[1] is None
    line, sel = ph.select(raw, "boss", "zh")
    assert sel == {"minute_id": mid, "start": s, "end": s + len(quote), "quote": quote} and quote in line
    ok, _, entry = ph.add(sel, "assignment", "各街道、市应急局", "年底前", "boss", "zh")
    assert ok and entry is not None and entry["origin"] == "person" and entry["quote"] == quote
    assert entry["lead"] == ["各街道", "市应急局"] and entry["deadline_date"] == "2021-12-31"
    kept = [e for e in a.actions(LedgerFilter()) if e.quote == quote]
    assert len(kept) == 1 and text[kept[0].start:kept[0].end] == quote
    assert a.index.followup_history()[0]["user"] == "boss"

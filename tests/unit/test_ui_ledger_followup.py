"""The ledger tab's follow-up, as plain functions (ui.ledger_handlers): the status column and
filter, overdue beside a blocked status, saving a status with a note as the logged-in user,
and a read-only account that cannot change anything. Hash embedder, real embedded Chroma."""

from __future__ import annotations

from pathlib import Path

from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings
from minutes_rag.embed import HashEmbedder
from minutes_rag.ui.handlers import Handlers
from minutes_rag.ui.ledger_handlers import LedgerHandlers, ledger_headers

MINUTE = """云江市人民政府 常务会议纪要

〔2021〕3号

2021年2月5日上午，张三市长主持召开市政府第110次常务会议。

会议议定以下意见：

一、听取关于全市消防安全工作情况的汇报

会议听取了市消防救援支队的汇报。由市应急局牵头，市住建局配合，6月30日前完成高层建筑消防隐患排查整治。

二、审议《云江市垃圾分类实施方案》

原则同意《云江市垃圾分类实施方案》。由市城管局根据会议讨论意见修改完善后印发实施。

出席：张三 李四
"""


def _tab(tmp_path: Path, **settings: str) -> LedgerHandlers:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_text(MINUTE, encoding="utf-8")
    a = Assistant(Settings.load(env={}, data_dir=str(tmp_path / "data"), **settings), embedder=HashEmbedder(64))
    a.ingest([folder])
    return LedgerHandlers(Handlers(a), export_dir=tmp_path / "exports")


def test_status_is_saved_with_a_note_and_shown_with_overdue(tmp_path: Path) -> None:
    lh = _tab(tmp_path, auth="boss:pw", viewer_auth="reader:pw")
    rows, _, entries, _, _ = lh.search("", "", "", "", "", True, "zh")
    assert ledger_headers("zh")[-1] == "状态" and all(r[-1].startswith("未办") for r in rows)
    row = next(i for i, d in enumerate(entries) if d["lead"] == ["市应急局"])
    assert rows[row][-1] == "未办 · ⚠ 逾期"  # 6月30日前 of 2021 is long past

    assert lh.save_state(entries, row, "blocked", "资金未到位", "reader", "zh") == (False, "只读账号不能修改。")
    assert lh.save_state(entries, row, "blocked", "资金未到位", None, "zh")[0] is False  # no login with auth on
    assert lh.assistant.index.followup_history() == []

    assert lh.save_state(entries, row, "blocked", "资金未到位", "boss", "zh") == (True, "已保存。")
    rows, _, entries, _, _ = lh.search("", "", "", "", "", True, "zh", "blocked")
    assert [d["lead"] for d in entries] == [["市应急局"]] and rows[0][-1] == "受阻 · ⚠ 逾期"
    detail = lh.row_detail(entries, 0, "zh")
    assert "受阻" in detail and "boss: 资金未到位" in detail
    _, _, overdue, _, _ = lh.search("", "", "", "", "", True, "zh", "overdue")
    assert [d["lead"] for d in overdue] == [["市应急局"]]
    _, _, still_open, _, _ = lh.search("", "", "", "", "", True, "zh", "open")
    assert ["市应急局"] not in [d["lead"] for d in still_open] and still_open

    decision = next(i for i, d in enumerate(still_open) if d["kind"] == "decision")
    assert lh.save_state(still_open, decision, "", "", "boss", "zh", lead="市城市管理局、市财政局") == (True, "已保存。")
    _, _, after, _, _ = lh.search("", "decision", "", "", "", True, "zh")
    assert after[0]["lead"] == ["市城市管理局", "市财政局"] and after[0]["origin"] == "person"
    assert after[0]["status"] == "open"  # a correction alone sets no status
    assert lh.save_state(after, 0, "", "  ", "boss", "zh")[0] is False  # nothing to save


def test_without_auth_anyone_edits_and_a_row_must_be_picked(tmp_path: Path) -> None:
    lh = _tab(tmp_path)
    _, _, entries, _, _ = lh.search("", "", "", "", "", True, "en")
    assert lh.save_state(entries, None, "done", "", None, "en") == (False, "Pick a row in the table first.")
    assert lh.save_state(entries, 0, "done", "", None, "en") == (True, "Saved.")
    assert lh.assistant.index.followup_history()[0]["user"] == "local"


def test_follow_saves_an_alert_and_shows_its_feed(tmp_path: Path) -> None:
    lh = _tab(tmp_path)
    _, _, entries, _, _ = lh.search("", "", "", "", "", True, "zh")
    assert lh.follow("", "", entries, None, "zh") == "请先选一行，或填写单位或关键词。"
    said = lh.follow("市应急局", "", entries, None, "zh")
    saved = lh.assistant.index.alerts()
    assert [(a["kind"], a["value"]) for a in saved] == [("unit", "市应急局")]
    assert f"/feeds/{saved[0]['id']}.atom" in said
    lh.follow("", "", entries, 0, "zh")
    [item] = [a for a in lh.assistant.index.alerts() if a["kind"] == "item"]
    assert item["target"]["quote"] == entries[0]["quote"]

"""The state of a ledger entry: status, notes, corrections and people's entries are kept in
the state database by minute and quote, survive a re-extraction by a new extractor version,
and a state whose entry disappeared is reported by doctor, never dropped. Fake (hash)
embedder, real embedded Chroma, as in test_ledger_store."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings
from minutes_rag.embed import HashEmbedder
from minutes_rag.errors import InvalidRequest, NotFound
from minutes_rag.followup.board import FollowupBoard
from minutes_rag.ledger import LedgerFilter

MINUTE = """云江市人民政府 常务会议纪要

〔2021〕3号

2021年2月5日上午，张三市长主持召开市政府第110次常务会议。

会议议定以下意见：

一、审议《云江市垃圾分类实施方案》

原则同意《云江市垃圾分类实施方案》。由市城管局根据会议讨论意见修改完善后印发实施。

二、听取关于全市消防安全工作情况的汇报

会议听取了市消防救援支队的汇报。由市应急局牵头，市住建局配合，6月30日前完成高层建筑消防隐患排查整治。会议强调，各街道要做好老旧电梯的日常巡查。

出席：张三 李四 王五
"""


@pytest.fixture()
def assistant(tmp_path: Path) -> Assistant:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_text(MINUTE, encoding="utf-8")
    a = Assistant(Settings.load(env={}, data_dir=str(tmp_path / "data")), embedder=HashEmbedder(64))
    a.ingest([folder])
    return a


def _board(a: Assistant, times: list[str]) -> FollowupBoard:
    clock = iter(times)
    return FollowupBoard(a.index, clock=lambda: next(clock))


def _fire(a: Assistant):
    return next(e for e in a.actions(LedgerFilter(dept="市应急局")) if e.kind == "assignment")


def test_status_and_notes_are_kept_with_user_and_time(assistant: Assistant) -> None:
    board = _board(assistant, ["2021-03-01T09:00:00+00:00", "2021-03-02T10:00:00+00:00"])
    e = _fire(assistant)
    board.set_state(e, status="in_progress", note="已召开推进会", user="li")
    board.set_state(e, status="blocked", note="资金未到位", user="wang")
    view = {v.entry.item_id: v for v in board.view(assistant.actions(LedgerFilter()), today=date(2021, 5, 1))}
    v = view[e.item_id]
    assert v.status == "blocked"
    assert [(n.text, n.user, n.at) for n in v.notes] == [
        ("已召开推进会", "li", "2021-03-01T09:00:00+00:00"), ("资金未到位", "wang", "2021-03-02T10:00:00+00:00"),
    ]
    changes = [(h["action"], h["user"]) for h in board.history(e)]
    assert changes == [("status", "li"), ("note", "li"), ("status", "wang"), ("note", "wang")]
    others = [x for x in view.values() if x.entry.item_id != e.item_id]
    assert others and all(x.status == "open" and not x.notes for x in others)


def test_overdue_is_derived_and_blocked_and_overdue_both_hold(assistant: Assistant) -> None:
    board = _board(assistant, ["2021-03-01T09:00:00+00:00"])
    e = _fire(assistant)
    assert e.deadline == "6月30日前"
    board.set_state(e, status="blocked", user="li")
    before = next(v for v in board.view([e], today=date(2021, 6, 30)))
    after = next(v for v in board.view([e], today=date(2021, 7, 1)))
    assert before.deadline_date == "2021-06-30" and not before.overdue
    assert after.overdue and after.status == "blocked"  # both shown; the status is not rewritten
    assert assistant.index.followup_states()[(e.minute_id, e.quote)]["status"] == "blocked"
    board2 = _board(assistant, ["2021-07-02T09:00:00+00:00"])
    board2.set_state(e, status="done", user="li")
    assert not board2.view([e], today=date(2021, 7, 3))[0].overdue  # a done task is never overdue


def test_state_correction_and_person_entry_survive_a_new_extractor_version(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    board = _board(assistant, [f"2021-03-0{i}T09:00:00+00:00" for i in range(1, 6)])
    e = _fire(assistant)
    board.set_state(e, status="done", note="已完成排查", user="li")
    decision = next(x for x in assistant.actions(LedgerFilter(kind="decision")))
    board.correct(decision, lead=["市城市管理局"], user="li")
    minute = assistant.index.minute(e.minute_id)
    s = minute.text.index("各街道要做好老旧电梯的日常巡查")
    added = board.add(e.minute_id, s, s + len("各街道要做好老旧电梯的日常巡查"), "assignment", lead=["各街道"],
                      deadline="年底前", user="li")
    assert added.quote == minute.text[added.start:added.end]

    from minutes_rag import ingestion
    from minutes_rag.ledger import extract

    monkeypatch.setattr(extract, "EXTRACTOR_VERSION", "rules-next")
    monkeypatch.setattr(ingestion, "EXTRACTOR_VERSION", "rules-next")
    again = Assistant(Settings.load(env={}, data_dir=str(assistant.settings.data_path)), embedder=HashEmbedder(64))
    again.ingest([Path(minute.source).parent])
    assert again.index.ledger_stale("rules-next") == []
    view = {v.entry.quote: v for v in again.followup.view(again.actions(LedgerFilter()), today=date(2021, 4, 1))}
    assert view[e.quote].status == "done" and [n.text for n in view[e.quote].notes] == ["已完成排查"]
    assert view[decision.quote].entry.lead == ("市城市管理局",) and view[decision.quote].origin == "person"
    assert view[decision.quote].corrected == ("lead",)
    assert view[added.quote].origin == "person" and view[added.quote].entry.lead == ("各街道",)
    assert view[added.quote].deadline_date == "2021-12-31"
    assert view[e.quote].origin == "rules"
    assert again.doctor().orphaned_followups == []


def test_a_state_whose_entry_disappeared_is_reported_not_dropped(assistant: Assistant) -> None:
    board = _board(assistant, ["2021-03-01T09:00:00+00:00"])
    e = _fire(assistant)
    board.set_state(e, status="in_progress", user="li")
    with sqlite3.connect(assistant.index.path) as db:  # as if a new extractor no longer found it
        db.execute("DELETE FROM ledger WHERE item_id=?", (e.item_id,))
    orphans = assistant.doctor().orphaned_followups
    assert [(o["minute_id"], o["quote"], o["status"]) for o in orphans] == [(e.minute_id, e.quote, "in_progress")]
    assert assistant.index.followup_states()[(e.minute_id, e.quote)]["status"] == "in_progress"


def test_bad_changes_are_refused(assistant: Assistant) -> None:
    board = _board(assistant, ["2021-03-01T09:00:00+00:00"] * 5)
    e = _fire(assistant)
    with pytest.raises(InvalidRequest, match="status"):
        board.set_state(e, status="finished", user="li")
    with pytest.raises(InvalidRequest, match="user"):
        board.set_state(e, status="done", user=" ")
    with pytest.raises(InvalidRequest, match="outside the minute"):
        board.add(e.minute_id, 10, 10**6, "decision", user="li")
    with pytest.raises(InvalidRequest, match="kind"):
        board.add(e.minute_id, 0, 5, "wish", user="li")
    with pytest.raises(NotFound):
        board.find("nope", assistant.actions(LedgerFilter()))
    assert assistant.index.followup_history() == []


def test_a_corrected_kind_and_lead_are_what_the_filters_see(assistant: Assistant) -> None:
    board = _board(assistant, ["2021-03-01T09:00:00+00:00"] * 2)
    e = _fire(assistant)
    assert e.kind == "assignment"
    board.correct(e, kind="report", lead=["市消防救援支队"], user="li")
    reports = assistant.actions(LedgerFilter(kind="report"))
    assert e.quote in [x.quote for x in reports]
    assert e.quote not in [x.quote for x in assistant.actions(LedgerFilter(kind="assignment"))]
    # the extracted report of the same unit, and the corrected entry
    assert e.quote in [x.quote for x in assistant.actions(LedgerFilter(dept="市消防救援支队", kind="report"))]
    assert e.quote not in [x.quote for x in assistant.actions(LedgerFilter(dept="市应急局"))]

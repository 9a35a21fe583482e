"""What happened next: a later minute's report on an earlier task of the same unit is linked
as the task's trail (with a score), a later "completed" makes a suggestion and leaves the
status; a report on another matter is not linked. Hash embedder, real embedded Chroma."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings
from minutes_rag.embed import HashEmbedder
from minutes_rag.ledger import LedgerFilter

EARLIER = """云江市人民政府 常务会议纪要

〔2021〕3号

2021年2月5日上午，张三市长主持召开市政府第110次常务会议。

会议议定以下意见：

一、听取关于全市消防安全工作情况的汇报

会议听取了市消防救援支队的汇报。由市应急局牵头，市住建局配合，6月30日前完成高层建筑消防隐患排查整治。

出席：张三 李四
"""

LATER = """云江市人民政府 常务会议纪要

〔2021〕9号

2021年7月8日上午，张三市长主持召开市政府第116次常务会议。

会议议定以下意见：

一、听取关于高层建筑消防隐患排查整治工作情况的汇报

会议听取了市应急局关于高层建筑消防隐患排查整治工作情况的汇报，高层建筑消防隐患排查整治已完成。

二、听取关于防汛工作情况的汇报

会议听取了市应急局关于今年防汛准备工作情况的汇报。

出席：张三 李四
"""


def test_a_later_report_is_linked_and_completion_is_only_a_suggestion(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_text(EARLIER, encoding="utf-8")
    a = Assistant(Settings.load(env={}, data_dir=str(tmp_path / "data")), embedder=HashEmbedder(64))
    a.ingest([folder])
    task = next(e for e in a.actions(LedgerFilter(dept="市应急局", kind="assignment")))
    a.followup.set_state(task, status="blocked", user="li")
    assert a.index.trails() == {}  # nothing later yet

    (folder / "b.txt").write_text(LATER, encoding="utf-8")
    a.ingest([folder])  # only the new minute is looked at
    view = next(v for v in a.followup.view(a.actions(LedgerFilter()), today=date(2021, 7, 9))
                if v.entry.item_id == task.item_id)
    assert [(t.date, t.kind) for t in view.trail] == [("2021-07-08", "report")]
    link = view.trail[0]
    later = a.index.minute(link.minute_id).text
    assert later[link.start:link.end] == link.quote and "排查整治已完成" in link.quote
    assert "防汛" not in " ".join(t.quote for t in view.trail)
    assert 0.67 <= link.score <= 1.0
    assert view.suggestion == "可能已办结，见〔2021〕9号 一"
    assert view.status == "blocked" and view.overdue  # both shown, the status left as it was
    assert a.index.trail_pending("trail-1") == []

    a.followup.set_state(task, status="done", user="li")
    done = next(v for v in a.followup.view([task], today=date(2021, 7, 9)))
    assert done.suggestion == "" and done.trail  # a done task needs no hint; its trail stays

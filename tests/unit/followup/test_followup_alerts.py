"""Alerts: after an ingest that adds a matching minute, the saved search's feed has a new item
that feedparser reads back, and a webhook receiver on loopback gets the event exactly once; a
failing webhook is retried and reported, never fails the ingest; a followed entry's change
and its deadline fire events. Hash embedder, real embedded Chroma, a real HTTP receiver."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import feedparser
import pytest

from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings
from minutes_rag.embed import HashEmbedder
from minutes_rag.followup.alerts import Alerts
from minutes_rag.followup.feeds import atom_feed
from minutes_rag.ledger import LedgerFilter

pytestmark = pytest.mark.network

FIRST = """云江市人民政府 常务会议纪要

〔2021〕3号

2021年2月5日上午，张三市长主持召开市政府第110次常务会议。

会议议定以下意见：

一、听取关于全市消防安全工作情况的汇报

会议听取了市消防救援支队的汇报。由市应急局牵头，市住建局配合，6月30日前完成高层建筑消防隐患排查整治。

出席：张三 李四
"""

SECOND = """云江市人民政府 常务会议纪要

〔2021〕9号

2021年7月8日上午，张三市长主持召开市政府第116次常务会议。

会议议定以下意见：

一、审议《云江市电动自行车充电设施建设方案》

原则同意《云江市电动自行车充电设施建设方案》。由市住建局负责，年底前完成充电设施建设。

出席：张三 李四
"""


class _Receiver(BaseHTTPRequestHandler):
    bodies: list[dict] = []
    status = 200

    def do_POST(self) -> None:  # noqa: N802 - the http.server interface
        length = int(self.headers.get("Content-Length") or 0)
        type(self).bodies.append(json.loads(self.rfile.read(length)))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def receiver() -> Iterator[tuple[str, type[_Receiver]]]:
    handler = type("Receiver", (_Receiver,), {"bodies": [], "status": 200})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", handler
    server.shutdown()
    server.server_close()


def _assistant(tmp_path: Path) -> tuple[Assistant, Path]:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_text(FIRST, encoding="utf-8")
    a = Assistant(Settings.load(env={}, data_dir=str(tmp_path / "data")), embedder=HashEmbedder(64))
    a.ingest([folder])
    return a, folder


def test_a_saved_search_fires_once_into_its_feed_and_webhook(tmp_path: Path, receiver) -> None:
    url, handler = receiver
    a, folder = _assistant(tmp_path)
    saved = Alerts(a.index).add("search", "充电设施", webhook=url, user="li")
    assert saved["feed"] == f"/feeds/{saved['id']}.atom"
    empty = feedparser.parse(atom_feed(a.index.alert(saved["id"]), a.index.alert_events(saved["id"])))
    assert not empty.bozo and empty.entries == []

    (folder / "b.txt").write_text(SECOND, encoding="utf-8")
    report = a.ingest([folder])
    assert report.added == 1 and not report.warnings
    feed = feedparser.parse(atom_feed(a.index.alert(saved["id"]), a.index.alert_events(saved["id"])))
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10" and len(feed.entries) == 1
    assert "〔2021〕9号" in feed.entries[0].title and "充电设施" in feed.entries[0].summary
    assert [b["doc_number"] for b in handler.bodies] == ["〔2021〕9号"]
    assert handler.bodies[0]["alert_id"] == saved["id"] and handler.bodies[0]["type"] == "minute"

    a.ingest([folder])  # nothing new
    (folder / "c.txt").write_text(SECOND.replace("充电设施", "停车设施").replace("〔2021〕9号", "〔2021〕10号"), encoding="utf-8")
    a.ingest([folder])  # new, but not matching
    assert len(handler.bodies) == 1
    assert len(a.index.alert_events(saved["id"])) == 1


def test_a_failing_webhook_is_retried_later_and_reported(tmp_path: Path, receiver) -> None:
    url, handler = receiver
    handler.status = 500
    a, folder = _assistant(tmp_path)
    saved = Alerts(a.index).add("unit", "市住建局", webhook=url)
    (folder / "b.txt").write_text(SECOND, encoding="utf-8")
    report = a.ingest([folder])
    assert report.added == 1 and any("webhook" in w for w in report.warnings)
    [event] = a.index.alert_events(saved["id"])
    assert event["delivered_at"] == "" and event["attempts"] == 1 and event["last_error"] == "HTTP 500"
    handler.status = 200
    assert Alerts(a.index).deliver() == (1, 0)
    assert Alerts(a.index).deliver() == (0, 0)  # once
    assert len(handler.bodies) == 2 and handler.bodies[-1]["lead"] == ["市住建局"]


def test_a_followed_entry_fires_on_change_and_on_its_deadline(tmp_path: Path) -> None:
    a, _ = _assistant(tmp_path)
    entries = a.actions(LedgerFilter())
    task = next(e for e in entries if e.kind == "assignment")
    alerts = Alerts(a.index)
    saved = alerts.add("item", task.item_id, entries=entries)
    a.followup.set_state(task, status="in_progress", note="已部署", user="wang")
    [change] = a.index.alert_events(saved["id"])
    assert change["data"]["type"] == "change" and change["data"]["user"] == "wang"
    assert change["data"]["detail"] == {"status": "in_progress", "note": "已部署"}

    view = a.followup.view(a.actions(LedgerFilter()))
    assert alerts.reminders(view, date(2021, 6, 28)) == 0
    assert alerts.reminders(view, date(2021, 6, 29)) == 1  # the day before 6月30日前
    assert alerts.reminders(view, date(2021, 6, 29)) == 0  # once
    assert alerts.reminders(view, date(2021, 6, 30)) == 1  # the day itself
    kinds = [e["data"].get("when") for e in a.index.alert_events(saved["id"])]
    assert sorted(k for k in kinds if k) == ["due", "eve"]
    feed = feedparser.parse(atom_feed(a.index.alert(saved["id"]), a.index.alert_events(saved["id"])))
    assert not feed.bozo and len(feed.entries) == 3


def test_an_entry_a_person_adds_fires_for_its_followed_unit(tmp_path: Path) -> None:
    a, _ = _assistant(tmp_path)
    saved = Alerts(a.index).add("unit", "市消防救援支队")
    task = next(e for e in a.actions(LedgerFilter()) if e.kind == "assignment")
    text = a.index.minute(task.minute_id).text
    s = text.index("会议听取了市消防救援支队的汇报")
    a.followup.add(task.minute_id, s, s + len("会议听取了市消防救援支队的汇报"), "report", lead=["市消防救援支队"],
                   user="li")
    [event] = a.index.alert_events(saved["id"])
    assert event["data"]["type"] == "entry" and event["data"]["lead"] == ["市消防救援支队"]

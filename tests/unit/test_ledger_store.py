"""The ledger in the state database is kept in step with the sections: re-ingest, edit,
prune, a crash mid-ingest and an extractor upgrade leave it equal to a clean run. Fake
(hash) embedder, real embedded Chroma, as in test_ingest_pipeline."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings
from minutes_rag.embed import HashEmbedder
from minutes_rag.ledger import LedgerFilter
from minutes_rag.ledger.extract import EXTRACTOR_VERSION

MINUTE_A = """云江市人民政府 常务会议纪要

〔2021〕3号

2021年2月5日上午，张三市长主持召开市政府第110次常务会议，审议《云江市垃圾分类实施方案》。

会议议定以下意见：

一、审议《云江市垃圾分类实施方案》

（一）原则同意《云江市垃圾分类实施方案》。由市城管局根据会议讨论意见修改完善后印发实施。

（二）各地各部门要加强宣传引导，提高居民垃圾分类参与率。

二、听取关于全市消防安全工作情况的汇报

会议听取了市消防救援支队关于全市消防安全工作情况的汇报。由市应急局牵头，市住建局配合，年底前完成高层建筑消防隐患排查整治。

出席：张三 李四 王五

记录：赵六
"""

MINUTE_B = MINUTE_A.replace("〔2021〕3号", "〔2021〕4号").replace("第110次", "第111次").replace(
    "2021年2月5日", "2021年3月1日"
).replace("垃圾分类", "老旧小区改造")


def make(data_dir: Path, embedder: HashEmbedder | None = None) -> tuple[Assistant, HashEmbedder]:
    emb = embedder or HashEmbedder(64)
    return Assistant(Settings.load(env={}, data_dir=str(data_dir)), embedder=emb), emb


def ledger_of(a: Assistant) -> list[dict]:
    """The whole ledger, without the minute ids (they name the file's path)."""
    rows = [e.to_json() for e in a.actions(LedgerFilter())]
    for r in rows:
        r.pop("minute_id")
        r["item_id"] = r["item_id"].split("-", 1)[1]
        r["section_id"] = r["section_id"].split("-", 1)[1]
    return sorted(rows, key=lambda r: (r["doc_number"], r["start"], r["kind"]))


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_text(MINUTE_A, encoding="utf-8")
    (folder / "b.txt").write_text(MINUTE_B, encoding="utf-8")
    return folder


def test_ingest_writes_the_ledger_with_the_sections(tmp_path: Path, archive: Path) -> None:
    a, _ = make(tmp_path / "data")
    a.ingest([archive])
    rows = a.actions(LedgerFilter(minute="〔2021〕3号"))
    kinds = sorted(e.kind for e in rows)
    assert kinds == ["assignment", "assignment", "assignment", "decision", "report"]
    assign = next(e for e in rows if e.lead == ("市应急局",))
    assert assign.partners == ("市住建局",) and assign.deadline == "年底前"
    assert assign.task == "完成高层建筑消防隐患排查整治"
    assert assign.doc_number == "〔2021〕3号" and assign.date == "2021-02-05" and assign.meeting_number == 110
    assert assign.label == "二"
    minute = a.index.minute(assign.minute_id)
    for e in rows:
        assert minute.text[e.start : e.end] == e.quote
        sec = a.index.sections_by_id([e.section_id])[e.section_id]
        assert sec.start <= e.start and e.end <= sec.end
    generic = [e for e in rows if e.generic]
    assert [e.lead for e in generic] == [("各地各部门",)]
    assert len(a.actions(LedgerFilter(minute="〔2021〕3号", named_only=True))) == 4


def test_reingest_unchanged_keeps_an_equal_ledger(tmp_path: Path, archive: Path) -> None:
    a, _ = make(tmp_path / "data")
    a.ingest([archive])
    first = ledger_of(a)
    b, emb = make(tmp_path / "data")
    b.ingest([archive])
    assert ledger_of(b) == first and emb.calls == 0
    assert len(first) == 10


def test_editing_a_file_changes_only_that_minutes_rows(tmp_path: Path, archive: Path) -> None:
    a, _ = make(tmp_path / "data")
    a.ingest([archive])
    b_before = [e.to_json() for e in a.actions(LedgerFilter(minute="〔2021〕4号"))]
    text = (archive / "a.txt").read_text(encoding="utf-8")
    (archive / "a.txt").write_text(text.replace("由市应急局牵头，市住建局配合", "由市消防救援支队牵头，市城管局配合"), encoding="utf-8")
    report = a.ingest([archive])
    assert report.updated == 1
    after = a.actions(LedgerFilter(minute="〔2021〕3号", kind="assignment", named_only=True))
    assert ("市消防救援支队",) in [e.lead for e in after]
    assert not a.actions(LedgerFilter(minute="〔2021〕3号", dept="市应急局"))
    assert [e.to_json() for e in a.actions(LedgerFilter(minute="〔2021〕4号"))] == b_before


def test_prune_removes_the_rows(tmp_path: Path, archive: Path) -> None:
    a, _ = make(tmp_path / "data")
    a.ingest([archive])
    assert a.actions(LedgerFilter(minute="〔2021〕4号"))
    (archive / "b.txt").unlink()
    a.ingest([archive], prune=True)
    assert all(e.doc_number == "〔2021〕3号" for e in a.actions(LedgerFilter()))
    assert a.index.ledger_count() == 5


def test_a_crash_mid_ingest_leaves_the_ledger_of_a_clean_run(tmp_path: Path, archive: Path, monkeypatch) -> None:
    clean, _ = make(tmp_path / "clean")
    a, _ = make(tmp_path / "data")
    a.ingest([archive])
    before = ledger_of(a)
    text = (archive / "a.txt").read_text(encoding="utf-8")
    (archive / "a.txt").write_text(text.replace("市住建局配合", "市交通局配合"), encoding="utf-8")

    from minutes_rag import index as index_mod

    real = index_mod.StateIndex._write_ledger

    def boom(db, minute_id, entries, version):  # killed after the sections, inside the transaction
        real(db, minute_id, entries, version)
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(index_mod.StateIndex, "_write_ledger", staticmethod(boom))
    with pytest.raises(KeyboardInterrupt):
        a.ingest([archive])
    monkeypatch.undo()
    # the transaction rolled back: old sections, old ledger
    b, _ = make(tmp_path / "data")
    assert ledger_of(b) == before
    b.ingest([archive])
    clean.ingest([archive])
    assert ledger_of(b) == ledger_of(clean)
    assert any("市交通局" in e["partners"] for e in ledger_of(b))


def test_a_new_extractor_version_reextracts_without_embedding(tmp_path: Path, archive: Path, monkeypatch) -> None:
    a, _ = make(tmp_path / "data")
    a.ingest([archive])
    expected = ledger_of(a)
    # an older extractor made this ledger: wrong rows and an old version stamp
    db = a.index._db
    db.execute("UPDATE ledger SET data = json_set(data, '$.task', 'stale')")
    db.execute("DELETE FROM ledger WHERE kind = 'report'")
    db.execute("UPDATE ledger_state SET version = 'rules-0'")
    b, emb = make(tmp_path / "data")
    assert len(b.index.ledger_stale(EXTRACTOR_VERSION)) == 2
    report = b.ingest([archive])
    assert report.unchanged == 2 and emb.calls == 0
    assert ledger_of(b) == expected
    assert b.index.ledger_stale(EXTRACTOR_VERSION) == []
    # a reader (the actions command, the UI) sees the current ledger at once but writes
    # nothing: the stale rows stay until the next writer (ingest, doctor --repair) stores it
    db = b.index._db
    db.execute("UPDATE ledger SET data = json_set(data, '$.task', 'stale')")
    db.execute("UPDATE ledger_state SET version = 'rules-0'")
    c, emb_c = make(tmp_path / "data")
    assert ledger_of(c) == expected and emb_c.calls == 0
    assert len(c.index.ledger_stale(EXTRACTOR_VERSION)) == 2
    assert ledger_of(c) == expected  # again, from its cache
    c.doctor(repair=True)
    assert c.index.ledger_stale(EXTRACTOR_VERSION) == [] and ledger_of(c) == expected
    assert "stale" not in json.dumps([r[0] for r in db.execute("SELECT data FROM ledger")])


def test_filters(tmp_path: Path, archive: Path) -> None:
    a, _ = make(tmp_path / "data")
    a.ingest([archive])
    assert {e.doc_number for e in a.actions(LedgerFilter(date_from="2021-03-01"))} == {"〔2021〕4号"}
    assert {e.doc_number for e in a.actions(LedgerFilter(date_to="2021-02-28"))} == {"〔2021〕3号"}
    assert {e.kind for e in a.actions(LedgerFilter(kind="decision"))} == {"decision"}
    assert len(a.actions(LedgerFilter(dept="住建"))) == 2
    assert [e.subject for e in a.actions(LedgerFilter(keyword="老旧小区", kind="decision"))] == ["《云江市老旧小区改造实施方案》"]
    mid = a.index.resolve_minute("〔2021〕4号")
    assert {e.minute_id for e in a.actions(LedgerFilter(minute=mid))} == {mid}


def test_actions_json_contract_via_cli(tmp_path: Path, archive: Path, capsys, monkeypatch) -> None:
    from minutes_rag.cli import main
    from minutes_rag.followup.model import FOLLOWUP_FIELDS
    from minutes_rag.ledger.model import JSON_FIELDS

    monkeypatch.setenv("MINUTES_RAG_EMBEDDER", "hash-64")
    data = tmp_path / "data"
    assert main(["ingest", str(archive), "--data-dir", str(data), "--json"]) == 0
    capsys.readouterr()
    assert main(["actions", "--data-dir", str(data), "--json", "--named", "--kind", "assignment", "--dept", "市城管局"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    rows = json.loads(out)
    # the ledger's keys first, then the follow-up's (followup/model.py), compatibly
    assert len(rows) == 2 and all(list(r)[: len(JSON_FIELDS)] == list(JSON_FIELDS) for r in rows)
    assert all(list(r)[len(JSON_FIELDS) :][: len(FOLLOWUP_FIELDS)] == list(FOLLOWUP_FIELDS) for r in rows)
    r = rows[0]
    assert r["kind"] == "assignment" and r["lead"] == ["市城管局"] and r["partners"] == [] and r["generic"] is False
    assert isinstance(r["start"], int) and r["quote"].startswith("由市城管局")
    assert main(["actions", "--data-dir", str(data), "--json", "--minute", "〔2021〕4号", "--from", "2021-01-01", "--to", "2021-12-31"]) == 0
    assert {x["doc_number"] for x in json.loads(capsys.readouterr().out)} == {"〔2021〕4号"}
    with pytest.raises(SystemExit) as exc:
        main(["actions", "--data-dir", str(data), "--kind", "nonsense"])
    assert exc.value.code == 2
    assert main(["actions", "--data-dir", str(data), "--minute", "〔1999〕1号", "--json"]) == 1
    assert "1999" in capsys.readouterr().err
    assert os.path.exists(data / "state.sqlite")


def test_actions_writes_xlsx_and_csv_via_cli(tmp_path: Path, archive: Path, capsys, monkeypatch) -> None:
    from openpyxl import load_workbook

    from minutes_rag.cli import main

    monkeypatch.setenv("MINUTES_RAG_EMBEDDER", "hash-64")
    data = tmp_path / "data"
    assert main(["ingest", str(archive), "--data-dir", str(data), "--json"]) == 0
    xlsx, csv_path = tmp_path / "l.xlsx", tmp_path / "l.csv"
    assert main(["actions", "--data-dir", str(data), "--minute", "〔2021〕3号", "--named", "--xlsx", str(xlsx)]) == 0
    ws = load_workbook(xlsx).active
    assert ws.max_row == 1 + 4 and ws["G1"].value == "责任单位"
    assert {c.value for c in ws["M"][1:]} == {"〔2021〕3号 一（一）", "〔2021〕3号 二"}  # 文号 + 议题
    assert main(["actions", "--data-dir", str(data), "--kind", "decision", "--csv", str(csv_path), "--lang", "en"]) == 0
    lines = csv_path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("No.,Meeting,Doc. number") and len(lines) == 3
    assert "2 entries written" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:  # one output at a time
        main(["actions", "--data-dir", str(data), "--json", "--csv", str(csv_path)])
    assert exc.value.code == 2

"""Ingest mechanics with a fake embedder and a real embedded Chroma: idempotence, updates,
pruning, crash safety, bad input. (The real model is exercised in tests/integration.)"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings
from minutes_rag.embed import HashEmbedder

MINUTE_A = """苏州市人民政府 常务会议纪要

〔2021〕3号

2021年2月5日上午，张三市长主持召开市政府第110次常务会议，审议《苏州市垃圾分类实施方案》。

会议议定以下意见：

一、审议《苏州市垃圾分类实施方案》

（一）原则同意《苏州市垃圾分类实施方案》。由市城管局根据会议讨论意见修改完善后印发实施。

（二）各地各部门要加强宣传引导，提高居民垃圾分类参与率。

二、听取关于全市消防安全工作情况的汇报

会议听取了市消防救援支队关于全市消防安全工作情况的汇报。要深入开展高层建筑消防隐患排查整治。

出席：张三 李四 王五

记录：赵六
"""

MINUTE_B = MINUTE_A.replace("〔2021〕3号", "〔2021〕4号").replace("第110次", "第111次").replace(
    "2021年2月5日", "2021年3月1日"
).replace("垃圾分类", "老旧小区改造")


def make_assistant(data_dir: Path, embedder: HashEmbedder | None = None) -> tuple[Assistant, HashEmbedder]:
    emb = embedder or HashEmbedder(64)
    return Assistant(Settings.load(env={}, data_dir=str(data_dir)), embedder=emb), emb


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_text(MINUTE_A, encoding="utf-8")
    (folder / "b.txt").write_text(MINUTE_B, encoding="gbk")
    return folder


def test_first_ingest_adds_everything_and_rerun_embeds_nothing(tmp_path: Path, archive: Path) -> None:
    a, emb = make_assistant(tmp_path / "data")
    first = a.ingest([archive])
    assert (first.added, first.updated, first.unchanged, first.failed) == (2, 0, 0, 0)
    assert first.sections_added == a.index.section_count() > 4
    assert a.store.count() == a.index.section_count()
    calls = emb.calls

    # a fresh assistant over the same data dir: nothing to do, nothing embedded
    b, emb2 = make_assistant(tmp_path / "data")
    second = b.ingest([archive])
    assert (second.added, second.updated, second.unchanged) == (0, 0, 2)
    assert second.sections_added == 0 and second.sections_removed == 0
    assert emb2.calls == 0
    assert b.store.count() == a.index.section_count()
    assert calls > 0


def test_touching_a_file_without_changing_it_is_unchanged(tmp_path: Path, archive: Path) -> None:
    a, emb = make_assistant(tmp_path / "data")
    a.ingest([archive])
    before = emb.calls
    os.utime(archive / "a.txt", (1, 1))
    report = a.ingest([archive])
    assert report.unchanged == 2 and report.updated == 0
    assert emb.calls == before


def test_editing_one_file_updates_only_that_minute(tmp_path: Path, archive: Path) -> None:
    a, emb = make_assistant(tmp_path / "data")
    a.ingest([archive])
    b_minute = a.index.resolve_minute("〔2021〕4号")
    b_sections = a.index.section_ids(b_minute)
    before = emb.calls
    text = (archive / "a.txt").read_text(encoding="utf-8")
    (archive / "a.txt").write_text(text.replace("提高居民垃圾分类参与率", "提高居民垃圾分类知晓率"), encoding="utf-8")
    report = a.ingest([archive])
    assert (report.added, report.updated, report.unchanged) == (0, 1, 1)
    # only the edited sub-item (and the item embedding its heading) changed
    assert report.sections_added == report.sections_removed == 1
    assert emb.calls - before == 1
    assert a.index.section_ids(b_minute) == b_sections
    assert a.store.count() == a.index.section_count()
    a_minute = a.index.resolve_minute("〔2021〕3号")
    texts = " ".join(s.text for s in a.index.sections_of(a_minute))
    assert "知晓率" in texts and "参与率" not in texts


def test_prune_removes_minutes_whose_files_are_gone(tmp_path: Path, archive: Path) -> None:
    a, _ = make_assistant(tmp_path / "data")
    a.ingest([archive])
    (archive / "b.txt").unlink()
    kept = a.ingest([archive])
    assert kept.removed == 0 and a.index.minute_count() == 2  # without --prune nothing goes
    report = a.ingest([archive], prune=True)
    assert report.removed == 1 and report.sections_removed > 0
    assert a.index.minute_count() == 1
    assert a.store.count() == a.index.section_count()


def test_bad_files_are_reported_and_the_index_is_untouched(tmp_path: Path, archive: Path) -> None:
    a, _ = make_assistant(tmp_path / "data")
    a.ingest([archive])
    snapshot = (a.index.minute_count(), a.index.section_count(), a.store.count())
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (bad / "garbage.txt").write_bytes(b"\xff\xfe\xfa\x80\x81" * 50 + b"\x00\x9f" * 10)
    (bad / "notes.xyz").write_text("hello", encoding="utf-8")
    big = bad / "huge.txt"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    (bad / "ok.txt").write_text(MINUTE_A.replace("〔2021〕3号", "〔2021〕9号"), encoding="utf-8")
    report = a.ingest([bad, bad / "notes.xyz", tmp_path / "missing.txt"])
    errors = {Path(e["path"]).name: e["error"] for e in report.errors}
    assert set(errors) == {"empty.txt", "binary.txt", "garbage.txt", "notes.xyz", "huge.txt", "missing.txt"}
    assert report.failed == 6 and report.added == 1
    assert "empty" in errors["empty.txt"]
    assert "MB" in errors["huge.txt"]
    assert ".xyz" in errors["notes.xyz"]
    for e in report.errors:
        assert e["error"].strip()
    # what was there is still there, plus the good new file
    assert a.index.minute_count() == snapshot[0] + 1
    assert a.store.count() == a.index.section_count()


def test_a_crash_between_chroma_and_sqlite_leaves_no_half_minute(tmp_path: Path, archive: Path, monkeypatch) -> None:
    a, _ = make_assistant(tmp_path / "data")
    a.ingest([archive])
    good_sections = a.index.section_count()
    text = (archive / "a.txt").read_text(encoding="utf-8")
    (archive / "a.txt").write_text(text.replace("消防安全", "燃气安全"), encoding="utf-8")

    from minutes_rag import index as index_mod

    def boom(self, *args, **kwargs):
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(index_mod.StateIndex, "write_minute", boom)
    with pytest.raises(KeyboardInterrupt):
        a.ingest([archive])
    monkeypatch.undo()
    # Chroma got the new vectors but SQLite still has the old minute: retrieval sees only SQLite's
    assert a.index.section_count() == good_sections
    assert a.index.journal_pending()
    b, _ = make_assistant(tmp_path / "data")
    hits = b.retrieve("燃气安全", k=20)
    assert all("燃气" not in h.section.text for h in hits)
    # a reader never writes to Chroma (it could be racing a writer): the repair is the next
    # writer's, which finishes the interrupted write and brings the new version in whole
    assert b.index.journal_pending()
    report = b.ingest([archive])
    assert b.index.journal_pending() == []
    assert report.updated == 1
    assert b.store.count() == b.index.section_count()
    assert any("燃气" in h.section.text for h in b.retrieve("燃气安全", k=5))


def test_switching_embedder_reembeds_once_into_its_own_collection(tmp_path: Path, archive: Path) -> None:
    a, _ = make_assistant(tmp_path / "data", HashEmbedder(64))
    a.ingest([archive])
    n = a.index.section_count()
    b, emb_b = make_assistant(tmp_path / "data", HashEmbedder(32))
    assert b.store.collection_name != a.store.collection_name
    report = b.ingest([archive])
    assert report.unchanged == 2 and report.added == 0
    from minutes_rag.ingestion import embedding_text

    distinct = {
        embedding_text(s, b.index.meta(s.minute_id))
        for m in b.list_minutes()
        for s in b.index.sections_of(m["minute_id"])
    }
    # every distinct text embedded once with the new model (the two minutes share a few)
    assert emb_b.calls == len(distinct) and b.store.count() == n
    assert a.store.count() == n  # the old collection is untouched, never mixed
    again = b.ingest([archive])
    assert again.unchanged == 2 and emb_b.calls == len(distinct)


def test_ingest_json_contract_via_cli(tmp_path: Path, archive: Path, capsys, monkeypatch) -> None:
    from minutes_rag import cli

    monkeypatch.setenv("MINUTES_RAG_EMBEDDER", "hash-64")
    code = cli.main(["ingest", str(archive), str(tmp_path / "nope.txt"), "--data-dir", str(tmp_path / "d"), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    # "warnings" (repairs made on the way), how each minute was read and the warnings as data
    # extend the contract compatibly
    assert set(out) == {"minutes", "sections", "errors", "seconds", "warnings", "warning_details", "minutes_read",
                        "resplit"}
    assert out["warnings"] == [] and out["warning_details"] == [] and out["resplit"] == 0
    read = sorted(out["minutes_read"], key=lambda r: r["path"])
    assert [r["path"].rsplit("/", 1)[-1] for r in read] == ["a.txt", "b.txt"]
    assert all(r["family"] == "纪要 items" and r["items"] == 2 and r["ledger_entries"] > 0 for r in read)
    assert set(read[0]) == {"path", "minute_id", "family", "items", "ledger_entries", "chars"}
    assert out["minutes"] == {"added": 2, "updated": 0, "unchanged": 0, "removed": 0, "failed": 1}
    assert set(out["sections"]) == {"added", "removed"}
    assert out["errors"][0]["path"].endswith("nope.txt")

    code = cli.main(["minutes", "list", "--data-dir", str(tmp_path / "d"), "--json"])
    rows = json.loads(capsys.readouterr().out)
    assert code == 0 and len(rows) == 2
    assert {tuple(sorted(r)) for r in rows} == {
        ("date", "doc_number", "meeting_number", "minute_id", "sections", "source", "title")
    }
    assert sorted(r["date"] for r in rows) == ["2021-02-05", "2021-03-01"]

    code = cli.main(["minutes", "show", "〔2021〕3号", "--data-dir", str(tmp_path / "d"), "--json"])
    shown = json.loads(capsys.readouterr().out)
    assert code == 0
    assert shown["minute"]["meeting_number"] == 110 and shown["minute"]["recorder"] == "赵六"
    assert shown["minute"]["chair"] == "张三"
    labels = [s["label"] for s in shown["sections"]]
    assert "一（一）" in labels and "二" in labels
    minute, _ = Assistant(Settings.load(env={}, data_dir=str(tmp_path / "d")), embedder=HashEmbedder(64)).get_minute("〔2021〕3号")
    for s in shown["sections"]:
        assert minute.text[s["start"] : s["end"]] == s["text"]

    code = cli.main(["minutes", "show", "nonexistent", "--data-dir", str(tmp_path / "d"), "--json"])
    assert code == 1
    assert "nonexistent" in capsys.readouterr().err


def test_usage_error_exits_2(capsys) -> None:
    from minutes_rag import cli

    with pytest.raises(SystemExit) as exc:
        cli.main(["ingest"])
    assert exc.value.code == 2


def test_a_lexical_index_of_an_older_tokenizer_is_rewritten_on_open(tmp_path: Path, archive: Path) -> None:
    import sqlite3

    from minutes_rag.index import StateIndex

    a, _ = make_assistant(tmp_path / "data")
    a.ingest([archive])
    hits_before = a.index.lexical_search(["消防"], 10)
    assert hits_before
    a.index.close()
    # simulate an index written by an older tokenizer: garbage tokens, an old version number
    with sqlite3.connect(tmp_path / "data" / "state.sqlite") as db:
        db.execute("UPDATE sections_fts SET tokens='stale'")
        db.execute("UPDATE info SET value='1' WHERE key='tokenizer'")
    index = StateIndex(tmp_path / "data")
    assert index.lexical_search(["消防"], 10) == hits_before
    assert index.lexical_search(["stale"], 10) == []

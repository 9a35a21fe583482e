"""One writer, many readers, nothing lost: the data dir's lock, journalled prune, the
self-check that rebuilds Chroma from the embedding cache, readers that never write.

Fake (hash) embedder, real embedded Chroma, real OS locks and real second processes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_ingest_pipeline import MINUTE_B, archive, make_assistant  # noqa: F401 - archive is a fixture

from minutes_rag import doctor
from minutes_rag.assistant import BUSY_NOTE, Assistant
from minutes_rag.config import Settings
from minutes_rag.embed import HashEmbedder
from minutes_rag.errors import IndexBusy, StoreError
from minutes_rag.lock import WriterLock, holder, is_locked

SRC = str(Path(__file__).resolve().parents[2] / "src")


def hold_lock_in_another_process(data_dir: Path) -> subprocess.Popen:
    """A real second process holding the writer lock until it is killed."""
    code = (
        "import sys, time; from pathlib import Path; from minutes_rag.lock import WriterLock;"
        f"l = WriterLock(Path({str(data_dir)!r})); l.acquire(); print('held', flush=True); time.sleep(120)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": SRC}
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def consistent(a: Assistant) -> bool:
    expected = set(a.index.expected_ids(a.store.collection_name))
    return expected == set(a.store.all_ids()) and expected == a.index.all_section_ids()


# -- the lock -------------------------------------------------------------------------------

def test_a_second_writer_is_refused_with_who_holds_the_index(tmp_path: Path, archive: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    proc = hold_lock_in_another_process(data)
    try:
        assert is_locked(data)
        a, emb = make_assistant(data)
        with pytest.raises(IndexBusy) as err:
            a.ingest([archive])
        msg = str(err.value)
        assert f"the index at {data} is being updated by process {proc.pid}" in msg
        assert "started" in msg and "try again when it finishes" in msg
        assert emb.calls == 0 and a.index.minute_count() == 0
    finally:
        proc.kill()
        proc.wait()
    # kill -9 of the holder frees the lock at once: no stale lock file to clean up
    assert not is_locked(data)
    report = a.ingest([archive])
    assert report.added == 2 and consistent(a)


def test_a_writer_can_wait_for_the_lock_with_a_progress_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    proc = hold_lock_in_another_process(data)
    lines: list[str] = []
    try:
        start = time.monotonic()
        with pytest.raises(IndexBusy):
            WriterLock(data, wait=1.5, on_wait=lines.append).acquire()
        assert time.monotonic() - start >= 1.4
        assert lines and f"waiting for process {proc.pid}" in lines[0]
    finally:
        proc.kill()
        proc.wait()
    with WriterLock(data, wait=5) as lock:
        assert lock.held and holder(data)["pid"] == os.getpid()
    assert not is_locked(data)


# -- readers never write ----------------------------------------------------------------------

def test_a_reader_during_another_process_ingest_answers_from_the_lexical_index(
    tmp_path: Path, archive: Path, monkeypatch
) -> None:
    data = tmp_path / "data"
    a, _ = make_assistant(data)
    a.ingest([archive])
    proc = hold_lock_in_another_process(data)
    try:
        reader, _ = make_assistant(data)

        def no_chroma(*args, **kwargs):
            raise AssertionError("a reader touched Chroma while another process was writing it")

        for name in ("query", "upsert", "delete_ids", "retain_minute", "delete_minute_everywhere", "count"):
            monkeypatch.setattr(reader.store, name, no_chroma)
        answer = reader.ask("垃圾分类实施方案由哪个部门修改完善？")
        assert answer.found and answer.citations
        assert BUSY_NOTE in answer.warnings
        assert Assistant.answer_json(answer)["warnings"] == list(answer.warnings)
        assert reader.index.journal_pending() == []
    finally:
        proc.kill()
        proc.wait()


def test_a_reader_leaves_an_interrupted_write_to_the_writer(tmp_path: Path, archive: Path, monkeypatch) -> None:
    """The probe's lost vectors: a reader 'repairing' a minute an ingest was half-way through
    deleted its new vectors. Now only the writer lock's holder finishes journalled writes."""
    data = tmp_path / "data"
    a, _ = make_assistant(data)
    a.ingest([archive])
    a.index.journal_begin(a.index.resolve_minute("〔2021〕3号"))  # as an ingest in progress leaves it
    before = set(a.store.all_ids())
    reader, _ = make_assistant(data)
    reader.ask("消防安全")
    reader.list_minutes()
    assert reader.index.journal_pending() and set(a.store.all_ids()) == before


@pytest.mark.timeout(180)
def test_a_reader_sees_what_another_process_ingested(tmp_path: Path, archive: Path) -> None:
    data = tmp_path / "data"
    (archive / "b.txt").unlink()
    a, _ = make_assistant(data)
    a.ingest([archive])
    assert a.retrieve("老旧小区改造", k=5) and a.index.generation() > 0
    gen = a.index.generation()
    (archive / "b.txt").write_text(MINUTE_B, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": SRC, "MINUTES_RAG_EMBEDDER": "hash-64"}
    out = subprocess.run(
        [sys.executable, "-m", "minutes_rag.cli", "ingest", str(archive), "--data-dir", str(data), "--json"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert a.index.generation() > gen
    answer = a.ask("〔2021〕4号 老旧小区改造实施方案由哪个部门修改完善？")
    assert answer.citations and all(c.doc_number == "〔2021〕4号" for c in answer.citations)
    assert answer.warnings == ()
    # the reopened store holds the other process's vectors
    assert len(a.store.all_ids()) == a.index.section_count()


# -- journalled prune, self-check, rebuild ------------------------------------------------------

def test_a_kill_during_prune_leaves_no_stray_vectors(tmp_path: Path, archive: Path, monkeypatch) -> None:
    a, _ = make_assistant(tmp_path / "data")
    a.ingest([archive])
    (archive / "b.txt").unlink()
    from minutes_rag.store import ChromaStore

    def killed(self, minute_id):
        raise KeyboardInterrupt("killed between the SQLite and the Chroma delete")

    monkeypatch.setattr(ChromaStore, "delete_minute_everywhere", killed)
    with pytest.raises(KeyboardInterrupt):
        a.ingest([archive], prune=True)
    monkeypatch.undo()
    assert a.index.minute_count() == 1 and len(a.store.all_ids()) > a.index.section_count()
    b, _ = make_assistant(tmp_path / "data")
    b.ingest([archive])  # any later writer removes them
    assert consistent(b) and b.index.journal_pending() == []


@pytest.mark.parametrize("damage", ["deleted", "emptied", "truncated", "half"])
def test_a_damaged_chroma_is_rebuilt_from_the_cache_without_reembedding(
    tmp_path: Path, archive: Path, damage: str
) -> None:
    data = tmp_path / "data"
    a, _ = make_assistant(data)
    a.ingest([archive])
    n = a.index.section_count()
    ids = sorted(a.store.all_ids())
    if damage == "emptied":
        a.store.delete_ids(ids)
    elif damage == "half":
        a.store.delete_ids(ids[::2])
        a.store.col.upsert(ids=["stray-1"], embeddings=[[0.1] * 64], metadatas=[{"minute_id": "mgone"}])
    a.store.reopen()
    a.close()
    chroma = data / "chroma"
    if damage == "deleted":
        shutil.rmtree(chroma)
    elif damage == "truncated":
        with open(chroma / "chroma.sqlite3", "r+b") as fh:
            fh.truncate(4096)

    # a reader notices and says so, but does not write. A new process trusts the counts the
    # last writer recorded (its start must not grow with the archive), so a store lost or
    # unreadable shows when it is read; a server counts Chroma in its background warm-up
    reader, _ = make_assistant(data)
    if damage in ("deleted", "truncated"):
        assert reader.ask("消防安全工作").warnings, "a lost vector index must be said"
    reader.warm_up()
    answer = reader.ask("消防安全工作")
    assert answer.warnings, "a reader on a damaged index must say the answers may be incomplete"
    reader.store.reopen()

    writer, emb = make_assistant(data)
    report = writer.ingest([archive])
    assert emb.calls == 0, "rebuilt from the embedding cache, not the model"
    assert report.unchanged == 2
    assert report.warnings and "rebuilt" in report.warnings[0]
    assert consistent(writer) and len(writer.store.all_ids()) == n
    if damage == "truncated":
        assert list(data.glob("chroma.broken-*")), "the unreadable store is kept aside, not deleted"
    fresh, _ = make_assistant(data)
    assert fresh.ask("消防安全工作").warnings == ()


def test_doctor_full_check_and_repair(tmp_path: Path, archive: Path) -> None:
    data = tmp_path / "data"
    a, emb = make_assistant(data)
    a.ingest([archive])
    ids = sorted(a.store.all_ids())
    a.store.delete_ids(ids[:3])
    a.store.col.upsert(ids=["mstray-1"], embeddings=[[0.2] * 64], metadatas=[{"minute_id": "mstray"}])
    check = doctor.full_check(a.index, a.store, emb.name)
    assert len(check.missing) == 3 and check.strays == ["mstray-1"] and check.uncached == 0
    assert not check.ok and any("3 of" in p for p in check.problems())
    assert check.to_json()["missing"] == 3 and check.to_json()["ok"] is False
    with a.writer_lock():
        doctor.repair(a.index, a.store, check, emb.name)
    assert (check.rebuilt, check.removed) == (3, 1)
    after = doctor.full_check(a.index, a.store, emb.name)
    assert after.ok and after.problems() == [] and after.database == "ok"


def test_missing_vectors_with_no_cached_embedding_are_embedded_again(tmp_path: Path, archive: Path) -> None:
    data = tmp_path / "data"
    a, emb = make_assistant(data)
    a.ingest([archive])
    with a.index.transaction() as db:
        db.execute("DELETE FROM embed_cache")
    a.store.delete_ids(sorted(a.store.all_ids())[:2])
    before = emb.calls
    a.ingest([archive])
    assert emb.calls > before and consistent(a)


# -- the data dir ---------------------------------------------------------------------------

def test_a_data_dir_that_is_a_file_gets_a_clear_message(tmp_path: Path, archive: Path, capsys, monkeypatch) -> None:
    from minutes_rag import cli

    f = tmp_path / "state"
    f.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="is a file, not a folder"):
        Assistant(Settings.load(env={}, data_dir=str(f)), embedder=HashEmbedder(64)).ingest([archive])
    monkeypatch.setenv("MINUTES_RAG_EMBEDDER", "hash-64")
    code = cli.main(["ingest", str(archive), "--data-dir", str(f)])
    err = capsys.readouterr().err
    assert code != 0 and "is a file, not a folder" in err and "Traceback" not in err


def test_a_read_only_index_can_be_listed_and_asked(tmp_path: Path, archive: Path, monkeypatch) -> None:
    data = tmp_path / "data"
    a, _ = make_assistant(data)
    a.ingest([archive])
    a.close()
    from minutes_rag import index as index_mod

    # as root, chmod does not stop writes: say the folder is not writable instead
    monkeypatch.setattr(index_mod, "_writable", lambda *_: False)
    r, _ = make_assistant(data)
    assert r.index.readonly
    assert len(r.list_minutes()) == 2
    assert r.ask("垃圾分类实施方案").citations
    with pytest.raises(Exception):  # noqa: B017 - whatever SQLite raises on a read-only connection
        r.index.touch_file("x", 1, 1)


@pytest.mark.timeout(180)  # two real CLI processes on a shared 2-core machine
def test_two_ingests_started_at_once_into_a_new_data_dir(tmp_path: Path, archive: Path) -> None:
    """They used to fail files with Chroma-internal errors ("table collections already
    exists"): now one waits for the other, and both succeed."""
    data = tmp_path / "new-data"
    env = {**os.environ, "PYTHONPATH": SRC, "MINUTES_RAG_EMBEDDER": "hash-64"}
    cmd = [sys.executable, "-m", "minutes_rag.cli", "ingest", str(archive), "--data-dir", str(data), "--json",
           "--wait", "120"]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1][-500:] for o in outs]
    import json

    reports = [json.loads(o[0]) for o in outs]
    assert sorted(r["minutes"]["added"] for r in reports) == [0, 2]
    assert all(r["errors"] == [] for r in reports)
    a, _ = make_assistant(data)
    assert consistent(a)

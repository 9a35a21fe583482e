"""A splitter change re-splits only what changed, from the stored text, and embeds only the
sections whose text changed (fake embedder, real SQLite and Chroma)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from minutes_rag import split as split_module
from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings
from minutes_rag.embed import HashEmbedder, embedding_text
from minutes_rag.ids import section_id_for
from minutes_rag.index.schema import _MINUTE_READS

MINUTE_A = """青禾市人民政府 常务会议纪要

〔2021〕3号

2021年2月5日上午，张三市长主持召开市政府第110次常务会议。

一、审议《青禾市垃圾分类实施方案》

原则同意《青禾市垃圾分类实施方案》。由市城管局根据会议讨论意见修改完善后印发实施。

二、听取关于全市消防安全工作情况的汇报

会议听取了市消防救援支队关于全市消防安全工作情况的汇报。要深入开展高层建筑消防隐患排查整治。
"""
MINUTE_B = MINUTE_A.replace("〔2021〕3号", "〔2021〕4号").replace("垃圾分类", "老旧小区改造").replace("第110次", "第111次")


def _make(data: Path, emb: HashEmbedder | None = None) -> tuple[Assistant, HashEmbedder]:
    emb = emb or HashEmbedder(64)
    return Assistant(Settings.load(env={}, data_dir=str(data)), embedder=emb), emb


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_text(MINUTE_A, encoding="utf-8")
    (folder / "b.txt").write_text(MINUTE_B, encoding="utf-8")
    return folder


def _texts(a: Assistant) -> dict[str, set[str]]:
    return {m["minute_id"]: {embedding_text(s, a.index.meta(m["minute_id"])) for s in a.index.sections_of(m["minute_id"])}
            for m in a.list_minutes()}


def _no_file_reads(monkeypatch) -> None:
    import minutes_rag.parse as parse

    def refuse(*args, **kwargs):
        raise AssertionError("a re-split must not read the file again")

    monkeypatch.setattr(parse, "load_minute", refuse)


def test_a_new_splitter_version_with_the_same_sections_embeds_nothing(tmp_path, archive, monkeypatch):
    a, _ = _make(tmp_path / "data")
    a.ingest([archive])
    before = {m["minute_id"]: a.index.section_ids(m["minute_id"]) for m in a.list_minutes()}
    monkeypatch.setattr(split_module, "SPLITTER_VERSION", "split-test")
    _no_file_reads(monkeypatch)
    b, emb = _make(tmp_path / "data")
    assert len(b.index.split_stale("split-test")) == 2
    report = b.ingest([archive])
    assert report.resplit == 0 and report.unchanged == 2 and emb.calls == 0
    assert {m: b.index.section_ids(m) for m in before} == before
    assert b.index.split_stale("split-test") == []
    assert {r.splitter for r in b.index.minute_reads()} == {"split-test"}


def test_a_changed_splitter_resplits_and_embeds_only_changed_sections(tmp_path, archive, monkeypatch):
    a, _ = _make(tmp_path / "data")
    a.ingest([archive])
    old_texts = _texts(a)
    ledger_before = a.index.ledger_count()
    original = split_module.split_minute

    def new_rules(minute, max_chars=700):
        # the "new splitter": the last item of minute a ends before its last sentence (now read
        # as a closing); everything else is cut as before
        out = original(minute, max_chars=max_chars)
        if "垃圾分类" not in minute.text:
            return out
        last = out[-1]
        body = last.text[: last.text.index("要深入")]
        return [*out[:-1], replace(last, text=body, end=last.start + len(body),
                                   section_id=section_id_for(minute.minute_id, last.label_path, 0, body))]

    monkeypatch.setattr(split_module, "SPLITTER_VERSION", "split-test")
    monkeypatch.setattr(split_module, "split_minute", new_rules)
    _no_file_reads(monkeypatch)
    b, emb = _make(tmp_path / "data")
    report = b.ingest([archive])
    assert report.resplit == 1 and report.unchanged == 2
    new_texts = _texts(b)
    changed = {mid: new_texts[mid] - old_texts[mid] for mid in new_texts}
    assert sum(len(t) for t in changed.values()) == 1  # one section of one minute
    assert emb.calls == 1 and report.sections_added == 1 and report.sections_removed == 1
    # Chroma holds exactly the sections SQLite holds, and the ledger was re-extracted with them
    ids = {sid for m in b.list_minutes() for sid in b.index.section_ids(m["minute_id"])}
    assert b.store.existing(sorted(ids)) == ids and b.store.count() == len(ids)
    assert b.index.ledger_count() == ledger_before
    # the next run finds nothing to do
    again = b.ingest([archive])
    assert again.resplit == 0 and emb.calls == 1


def test_an_index_of_the_previous_schema_gets_its_reads_recorded(tmp_path, archive):
    a, _ = _make(tmp_path / "data")
    a.ingest([archive])
    db = a.index._db
    db.execute("DROP TABLE minute_reads")
    db.execute("UPDATE info SET value='1' WHERE key='schema'")
    b, emb = _make(tmp_path / "data")  # migrates to schema 2: the table is back, empty
    assert b.index.minute_reads() == [] and len(b.index.split_stale(split_module.SPLITTER_VERSION)) == 2
    report = b.ingest([archive])
    assert report.resplit == 0 and emb.calls == 0
    reads = b.index.minute_reads()
    assert [r.family for r in reads] == ["纪要 items", "纪要 items"] and all(r.items == 2 for r in reads)
    assert "minute_reads" in _MINUTE_READS

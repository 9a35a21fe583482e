"""A reader's start does not grow with the archive: it trusts the counts the last writer
recorded instead of counting Chroma, and an English question never loads jieba.

Hash embedder, real embedded Chroma, a real second process for what a new process imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_ingest_pipeline import MINUTE_A
from test_ledger_chat import EN

from minutes_rag.assistant import build_assistant
from minutes_rag.config import Settings
from minutes_rag.embed import HashEmbedder
from minutes_rag.store import ChromaStore

SRC = str(Path(__file__).resolve().parents[2] / "src")


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "zh.txt").write_text(MINUTE_A, encoding="utf-8")
    (docs / "en.txt").write_text(EN, encoding="utf-8")
    writer = build_assistant(Settings.load(env={}, data_dir=str(tmp_path / "data"), embedder="hash-64"))
    assert writer.ingest([docs]).added == 2
    writer.close()
    return tmp_path / "data"


class CountingStore:
    """Counts the calls of ``ChromaStore.count`` (the real one answers)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = ChromaStore.count

        def count(store: ChromaStore) -> int:
            self.calls += 1
            return real(store)

        monkeypatch.setattr(ChromaStore, "count", count)


def reader(data: Path):
    return build_assistant(Settings.load(env={}, data_dir=str(data), answer_cache=0), embedder=HashEmbedder(64))


def test_a_reader_starts_from_the_writers_record_without_counting_chroma(data: Path, monkeypatch) -> None:
    counting = CountingStore(monkeypatch)
    a = reader(data)
    answer = a.ask("消防安全工作")
    assert answer.found and answer.warnings == ()
    assert counting.calls == 0, "a new reader must not count the collection"
    # a server counts in its background warm-up, and finds it consistent
    a.warm_up()
    assert counting.calls == 1 and a.notes == []


def test_a_reader_counts_when_no_writer_recorded_the_current_generation(data: Path, monkeypatch) -> None:
    counting = CountingStore(monkeypatch)
    a = reader(data)
    a.index.bump_generation()  # a commit no writer verified (a writer of an older version, say)
    a.ask("消防安全工作")
    assert counting.calls == 1


def test_a_recorded_mismatch_is_reported_without_counting(data: Path, monkeypatch) -> None:
    a = reader(data)
    name = a.store.collection_name
    expected = a.index.verified(name)
    assert expected is not None and expected["vectors"] == expected["expected"] > 0
    a.index.record_verified(name, expected["vectors"] - 3, expected["expected"])
    counting = CountingStore(monkeypatch)
    b = reader(data)
    warnings = b.ask("消防安全工作").warnings
    assert counting.calls == 0
    assert any(f"holds {expected['vectors'] - 3} vectors" in w for w in warnings)


def _modules_after(data: Path, question: str) -> dict:
    code = (
        "import json, sys; from minutes_rag.assistant import build_assistant; from minutes_rag.config import Settings;"
        f"a = build_assistant(Settings.load(env={{}}, data_dir={str(data)!r}, embedder='hash-64'));"
        f"ans = a.ask({question!r});"
        "print(json.dumps({'jieba': 'jieba' in sys.modules, 'found': ans.found}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": SRC})
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_an_english_question_never_loads_jieba(data: Path) -> None:
    english = _modules_after(data, "What happened to the Harbor Street resurfacing contract?")
    assert english == {"jieba": False, "found": True}
    # and a Chinese one does (so the check above can tell)
    assert _modules_after(data, "消防安全工作由谁负责？")["jieba"] is True


def test_a_writer_leaves_chromas_index_file_written_for_the_next_reader(data: Path) -> None:
    # (ingest writes it only every 20,000 vectors; a reader would rebuild the graph of the
    # rest from Chroma's log on its first question: 18.6 s at 20k sections)
    assert list((data / "chroma").glob("*/index_metadata.pickle")), "the HNSW index was not written"

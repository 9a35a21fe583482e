"""The index against a real Chroma server (`chroma run`) on loopback, for scale-out."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings

sys.path.insert(0, str(Path(__file__).parent))
from llm_server import free_port  # noqa: E402

pytestmark = pytest.mark.integration




@pytest.fixture()
def chroma_server(tmp_path: Path):
    port = free_port()
    chroma = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("chroma server did not start")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


def test_ingest_and_ask_through_a_chroma_server(tmp_path: Path, chroma_server: str, suzhou_path: Path, bundled_embedder) -> None:
    settings = Settings.load(env={}, data_dir=str(tmp_path / "data"), chroma_url=chroma_server)
    a = Assistant(settings, embedder=bundled_embedder)
    report = a.ingest([suzhou_path])
    assert report.added == 1 and report.failed == 0
    # the vectors are on the server, not in an embedded store under the data dir
    assert not (tmp_path / "data" / "chroma").exists()
    import chromadb

    host, port = chroma_server.rsplit(":", 1)
    client = chromadb.HttpClient(host="127.0.0.1", port=int(port))
    assert client.get_collection(a.store.collection_name).count() == a.index.section_count()

    answer = a.ask("姑苏领军人才计划2020年第一批拟立项情况是哪个部门汇报的？")
    assert answer.citations and answer.citations[0].label == "五（一）"
    assert "市科技局" in answer.text

    again = Assistant(settings, embedder=bundled_embedder).ingest([suzhou_path])
    assert again.unchanged == 1 and again.added == 0


def test_unreachable_chroma_server_is_a_clear_error(tmp_path: Path) -> None:
    from minutes_rag.embed import HashEmbedder
    from minutes_rag.errors import StoreError

    settings = Settings.load(env={}, data_dir=str(tmp_path / "data"), chroma_url=f"http://127.0.0.1:{free_port()}")
    a = Assistant(settings, embedder=HashEmbedder(16))
    with pytest.raises(StoreError, match="Chroma server"):
        a.store.count()


def _start_chroma(path: Path, port: int) -> subprocess.Popen:
    chroma = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    pytest.fail("chroma server did not start")


def test_a_chroma_outage_under_a_running_app_answers_lexically_and_recovers(
    tmp_path: Path, suzhou_path: Path, bundled_embedder
) -> None:
    """The server goes away while the app runs: answers name Chroma and come from the
    keyword index with a warning; when it is back, the next question uses it again."""
    port = free_port()
    proc = _start_chroma(tmp_path / "server", port)
    url = f"http://127.0.0.1:{port}"
    try:
        # the outage path is asked the same question again: not the answer cache (which
        # would answer it from memory, as it was answered before the outage)
        settings = Settings.load(env={}, data_dir=str(tmp_path / "data"), chroma_url=url, answer_cache=0)
        a = Assistant(settings, embedder=bundled_embedder)
        a.ingest([suzhou_path])
        question = "姑苏领军人才计划2020年第一批拟立项情况是哪个部门汇报的？"
        assert a.ask(question).warnings == ()
        proc.terminate()
        proc.wait(timeout=10)
        down = a.ask(question)
        assert down.citations, "the lexical index still answers"
        assert any("Chroma server at " + url in w and "keyword index only" in w for w in down.warnings)
        assert "Connection refused" not in down.text
        proc = _start_chroma(tmp_path / "server", port)
        back = a.ask(question)
        assert back.warnings == () and back.citations and back.citations[0].label == "五（一）"
        assert any(h.dense is not None for h in back.hits)
    finally:
        proc.terminate()
        proc.wait(timeout=10)

"""Several servers on one host serving one index, as examples/scale_out.sh starts them: one
`chroma run` with the vectors, two `minutes-rag serve` processes over the same data
directory (SQLite in WAL mode), each asked at once; and `minutes-rag ask` answered by one
of them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from minutes_rag import remote

sys.path.insert(0, str(Path(__file__).parent))
from llm_server import free_port  # noqa: E402

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
QUESTION = "姑苏领军人才计划2020年第一批拟立项情况是哪个部门汇报的？"


def _wait_page(url: str, proc: subprocess.Popen, log: Path, timeout: float = 300.0) -> None:
    import urllib.request

    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"scale_out.sh exited ({proc.returncode}): {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"{url} did not come up")


def _two_ports() -> int:
    """A free port whose successor is free too (the script numbers its servers' ports)."""
    import socket

    for _ in range(50):
        port = free_port()
        try:
            with socket.socket() as s:
                s.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
    pytest.fail("no two consecutive free ports")


@pytest.fixture()
def cluster(tmp_path: Path, suzhou_path: Path):
    data = tmp_path / "data"
    first, chroma_port = _two_ports(), free_port()
    second = first + 1
    log = tmp_path / "scale_out.log"
    env = {**os.environ, "MINUTES_RAG_BIN": str(Path(sys.executable).parent)}
    env.pop("MINUTES_RAG_CHROMA_URL", None)
    with open(log, "w") as fh:
        proc = subprocess.Popen(
            ["bash", str(REPO / "examples" / "scale_out.sh"), str(data), "2", str(first), str(chroma_port),
             str(suzhou_path)],
            env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True,
        )
    urls = [f"http://127.0.0.1:{first}", f"http://127.0.0.1:{second}"]
    try:
        for url in urls:
            _wait_page(url, proc, log)
        yield data, urls, chroma_port, env
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def test_two_servers_and_one_chroma_serve_one_index(cluster) -> None:
    data, urls, chroma_port, env = cluster
    # the vectors live on the Chroma server: no embedded store in the data directory
    assert not (data / "chroma").exists()
    assert (data / "state.sqlite").exists()

    answers: dict[str, dict] = {}

    def ask(url: str) -> None:
        answers[url] = remote.ask(url, QUESTION, timeout=120)

    threads = [threading.Thread(target=ask, args=(u,)) for u in urls for _ in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=180)
    assert set(answers) == set(urls)
    for url, out in answers.items():
        assert out["found"] is True, (url, out)
        assert "市科技局" in out["answer"]
        assert out["citations"][0]["label"] == "五（一）" and out["citations"][0]["doc_number"] == "〔2020〕21号"
    assert answers[urls[0]]["citations"] == answers[urls[1]]["citations"]

    # both servers registered themselves; the CLI's ask is answered by one of them
    registered = {s["url"] for s in remote.find_servers(data)}
    assert registered == set(urls)
    cli = subprocess.run(
        [sys.executable, "-m", "minutes_rag.cli", "ask", QUESTION, "--data-dir", str(data), "--json"],
        env={**env, "MINUTES_RAG_CHROMA_URL": f"http://127.0.0.1:{chroma_port}"},
        capture_output=True, text=True, timeout=120,
    )
    assert cli.returncode == 0, cli.stderr
    out = json.loads(cli.stdout)
    assert set(out) >= {"question", "answer", "mode", "citations", "retrieved", "timings_ms"} and "found" not in out
    assert out["citations"] == answers[urls[0]]["citations"]
    plain = subprocess.run(
        [sys.executable, "-m", "minutes_rag.cli", "ask", QUESTION, "--data-dir", str(data)],
        env={**env, "MINUTES_RAG_CHROMA_URL": f"http://127.0.0.1:{chroma_port}"},
        capture_output=True, text=True, timeout=120,
    )
    assert plain.returncode == 0 and "市科技局" in plain.stdout
    assert "by the server at http://127.0.0.1:" in plain.stderr

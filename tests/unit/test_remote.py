"""The CLI's fast path: servers register in the data directory, `ask` finds a live one and
gets the ask --json object through the /ask API; anything else answers locally."""

from __future__ import annotations

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from minutes_rag import remote

REPLY = {"question": "q", "answer": "由市住建局牵头。[1]", "mode": "extractive", "citations": [{"n": 1}],
         "retrieved": [], "timings_ms": {"retrieve": 1.0, "answer": 1.0, "total": 2.0}, "found": True}


class _Gradio(BaseHTTPRequestHandler):
    """Gradio's REST interface to one API: POST /gradio_api/call/ask, then GET its events;
    with ``rest``, also the server's own POST /api/ask (ui.rest)."""

    fail = False
    rest = False
    seen: list = []
    gets = 0

    def log_message(self, *a):
        pass

    def _reply(self, code: int, obj) -> None:
        out = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path == "/api/ask":
            if not _Gradio.rest:
                return self._reply(404, {"detail": "Not Found"})  # a server from before the route
            _Gradio.seen.append(body)
            return self._reply(400, {"error": "the question is too long"}) if _Gradio.fail else self._reply(200, REPLY)
        _Gradio.seen.append(body["data"])
        out = json.dumps({"event_id": "e1"}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def do_GET(self):
        _Gradio.gets += 1
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        if _Gradio.fail:
            self.wfile.write(b"event: error\ndata: null\n\n")
        else:
            self.wfile.write(b"event: complete\ndata: " + json.dumps([REPLY]).encode() + b"\n\n")


@pytest.fixture
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Gradio)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    _Gradio.fail, _Gradio.rest, _Gradio.seen, _Gradio.gets = False, False, [], 0
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


def test_register_find_and_unregister(tmp_path):
    path = remote.register(tmp_path, "http://127.0.0.1:7861/")
    found = remote.find_servers(tmp_path)
    assert [s["url"] for s in found] == ["http://127.0.0.1:7861"] and found[0]["pid"] == os.getpid()
    # a server that died without unregistering is not offered
    (tmp_path / remote.SERVERS_DIR / "999999999.json").write_text(json.dumps({"url": "http://x", "pid": 999999999}))
    (tmp_path / remote.SERVERS_DIR / "junk.json").write_text("{not json")
    assert [s["url"] for s in remote.find_servers(tmp_path)] == ["http://127.0.0.1:7861"]
    # ... and its file is removed by whoever finds it dead (junk is left for a person to see)
    assert not (tmp_path / remote.SERVERS_DIR / "999999999.json").exists()
    assert (tmp_path / remote.SERVERS_DIR / "junk.json").exists()
    remote.unregister(path)
    assert remote.find_servers(tmp_path) == []
    assert remote.find_servers(tmp_path / "missing") == []


@pytest.mark.network  # a loopback stand-in for the server
def test_ask_returns_the_servers_answer(server):
    out = remote.ask(server, "谁牵头？", date_from="2020-01-01", mode="extractive")
    assert out == REPLY
    assert _Gradio.seen == [["谁牵头？", "2020-01-01", "", "", "extractive"]]


@pytest.mark.network  # a loopback stand-in for the server
def test_ask_uses_the_servers_json_route_when_it_has_one(server):
    _Gradio.rest = True
    out = remote.ask(server, "谁牵头？", date_from="2020-01-01", mode="extractive")
    assert out == REPLY and _Gradio.gets == 0  # one request, no event stream
    assert _Gradio.seen == [{"question": "谁牵头？", "date_from": "2020-01-01", "date_to": "", "minute_id": "",
                             "mode": "extractive"}]
    _Gradio.fail = True
    with pytest.raises(remote.RemoteUnavailable, match="too long"):
        remote.ask(server, "谁牵头？")


@pytest.mark.network  # a loopback stand-in for the server
def test_an_error_or_no_server_is_remote_unavailable(server):
    _Gradio.fail = True
    with pytest.raises(remote.RemoteUnavailable):
        remote.ask(server, "谁牵头？")
    with pytest.raises(remote.RemoteUnavailable):
        remote.ask("http://127.0.0.1:9", "谁牵头？", timeout=2)


@pytest.mark.network  # a loopback stand-in for the server
def test_cli_ask_prints_the_servers_json(server, tmp_path, capsys):
    from minutes_rag import cli

    remote.register(tmp_path, server)
    assert cli.main(["ask", "谁牵头？", "--data-dir", str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {k: v for k, v in REPLY.items() if k != "found"}  # the ask --json contract


@pytest.mark.network  # a loopback stand-in for the server
def test_cli_options_the_api_cannot_take_are_answered_locally(server, tmp_path):
    from minutes_rag import cli
    from minutes_rag.config import Settings

    remote.register(tmp_path, server)
    settings = Settings.load(env={}, data_dir=str(tmp_path))
    args = cli.build_parser().parse_args(["ask", "q", "--data-dir", str(tmp_path), "--k", "3"])
    assert cli._ask_server(settings, args) is None
    args = cli.build_parser().parse_args(["ask", "q", "--data-dir", str(tmp_path)])
    assert cli._ask_server(settings.model_copy(update={"ask_via_server": False}), args) is None
    assert cli._ask_server(settings, args) is not None

"""A running server as the CLI's fast path: ``serve`` registers itself in the data directory,
and ``ask`` sends its question there instead of loading models and indexes itself.

A cold ``ask`` spends nearly all its time importing and loading (Chroma, jieba, the model);
a server has all of it warm. The question goes through the server's public ``/ask`` API,
whose reply is the ``ask --json`` object, so the output is the same either way. Anything
unexpected (no server, a stale registration, auth, an error) makes the CLI answer locally.

Only the standard library is imported here: this module runs before anything heavy.
"""

from __future__ import annotations

import json
import logging
import os
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SERVERS_DIR = "servers"  # DATA_DIR/servers/<pid>.json, one per running server


class RemoteUnavailable(Exception):
    """The server could not answer; the caller answers locally."""


def register(data_dir: Path, url: str, *, settings: dict[str, Any] | None = None) -> Path:
    """Records a running server of ``data_dir`` (removed by ``unregister`` at exit)."""
    folder = Path(data_dir) / SERVERS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{os.getpid()}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"url": url.rstrip("/"), "pid": os.getpid(), "started": time.time(),
                               "settings": settings or {}}), encoding="utf-8")
    tmp.replace(path)
    return path


def unregister(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def find_servers(data_dir: Path) -> list[dict[str, Any]]:
    """Registrations of live servers of ``data_dir``, newest first (dead ones are deleted)."""
    folder = Path(data_dir) / SERVERS_DIR
    out = []
    try:
        entries = list(folder.glob("*.json"))
    except OSError:
        return []
    for path in entries:
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
            if not (isinstance(info, dict) and isinstance(info.get("url"), str)):
                continue
            if _alive(int(info.get("pid", -1))):
                out.append(info)
            else:
                # a server killed without its exit hook (kill -9, a crash) leaves its file:
                # whoever finds it dead removes it, so the folder does not fill up
                unregister(path)
        except (OSError, ValueError, TypeError):
            continue
    return sorted(out, key=lambda i: -float(i.get("started", 0)))


def ask(url: str, question: str, *, date_from: str = "", date_to: str = "", minute_id: str = "", mode: str = "",
        timeout: float = 120.0) -> dict[str, Any]:
    """The server's answer as the ``ask --json`` object (plus ``found``): one POST to its
    ``/api/ask`` route (``ui.rest``), or, from a server without it, through Gradio's REST
    interface to the ``/ask`` API."""
    body = json.dumps({"question": question, "date_from": date_from, "date_to": date_to, "minute_id": minute_id,
                       "mode": mode}).encode("utf-8")
    req = urllib.request.Request(f"{url}/api/ask", data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            data = json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        if exc.code not in (404, 405):
            detail = exc.read()[:200].decode("utf-8", "replace")
            raise RemoteUnavailable(f"the server at {url} answered with an error: {detail}") from exc
        return _ask_gradio(url, question, date_from=date_from, date_to=date_to, minute_id=minute_id, mode=mode,
                           timeout=timeout)
    except (OSError, ValueError, urllib.error.URLError) as exc:
        raise RemoteUnavailable(f"the server at {url} did not answer: {exc}") from exc
    if isinstance(data, dict) and "answer" in data:
        return data
    raise RemoteUnavailable(f"unexpected reply from {url}")


def _ask_gradio(url: str, question: str, *, date_from: str, date_to: str, minute_id: str, mode: str,
                timeout: float) -> dict[str, Any]:
    """Through Gradio's REST interface: a POST that returns an event id, then its result as
    server-sent events (servers from before ``/api/ask``)."""
    body = json.dumps({"data": [question, date_from, date_to, minute_id, mode]}).encode("utf-8")
    req = urllib.request.Request(f"{url}/gradio_api/call/ask", data=body,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            event_id = json.loads(resp.read())["event_id"]
        with urllib.request.urlopen(f"{url}/gradio_api/call/ask/{event_id}", timeout=timeout) as resp:
            kind = ""
            for raw in resp:
                line = raw.decode("utf-8").rstrip("\r\n")
                if line.startswith("event:"):
                    kind = line.split(":", 1)[1].strip()
                elif line.startswith("data:") and kind in ("complete", "error"):
                    payload = line[5:].strip()
                    if kind == "error":
                        raise RemoteUnavailable(f"the server at {url} answered with an error: {payload[:200]}")
                    data = json.loads(payload)
                    if isinstance(data, list) and data and isinstance(data[0], dict) and "answer" in data[0]:
                        return data[0]
                    raise RemoteUnavailable(f"unexpected reply from {url}")
    except (OSError, ValueError, KeyError, urllib.error.URLError) as exc:
        raise RemoteUnavailable(f"the server at {url} did not answer: {exc}") from exc
    raise RemoteUnavailable(f"no answer from {url}")

"""Speed at scale: retrieval and ask latency at 1k, 10k and 100k sections, ingest rate and
overhead, no-op re-ingest, peak memory, a cold CLI, and many users at once. Prints tables.

    .venv/bin/python bench/bench_scale.py all      [--work DIR] [--label after]
    .venv/bin/python bench/bench_scale.py scale    --sizes 1000,10000,100000   # hash-filled stores
    .venv/bin/python bench/bench_scale.py real     --sections 10000             # the real model
    .venv/bin/python bench/bench_scale.py overhead --sections 1500              # ingest vs raw embedder
    .venv/bin/python bench/bench_scale.py recall   --sizes 100000               # HNSW ef_search vs exact
    .venv/bin/python bench/bench_scale.py cli                                   # cold `minutes-rag ask`
    .venv/bin/python bench/bench_scale.py serve    [--api rest|gradio]          # 1/20/50 API users, slow LLM
    .venv/bin/python bench/bench_scale.py table    [--labels before,after]      # the tables of stored runs

Archives are synthetic (``minutes_rag.evaluation`` / ``synth``: invented minutes, ~14 sections
each) and ingested through the real pipeline (parse, split, lexical index, Chroma) with a fast
hash embedder, so that 100k sections fit in minutes; the real model's query embedding
(~15 ms) comes on top of the hash figures. Built stores are kept under ``--work`` and reused
by later runs (``--rebuild`` starts again), so a "before" and an "after" can query the same
data. Each measurement runs in its own process (peak RSS is that process's), results are
appended to ``WORK/results.jsonl`` under ``--label``; absolute times are the best of
``--rounds`` rounds, and ratios are only compared within one run. Timed questions are asked
with the answer cache off and the query vectors forgotten; ``serve`` reports five repeated
questions and, apart, questions never asked before (the dev sets'), through the server's
``POST /api/ask`` where it has one (``--api gradio``: Gradio's interface), one keep-alive
client per user.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SECTIONS_PER_MINUTE = 14.2  # what the synthetic generator averages (measured)
HASH = "hash-384"  # the real model's dimension, so that HNSW does the same work

FIXED_QUESTIONS = [
    "第115次常务会议由谁主持？",  # a meeting number that many bodies have
    "老旧小区改造工作由哪个部门牵头？",
    "会议对城市防汛排涝提出了什么要求？",
    "谁记录了第12次常务会议？",
    "关于优化营商环境，会议决定了什么？",
    "Which department leads the renovation of old residential communities?",
    "What did the meeting decide about flood prevention?",
    "2021年召开的常务会议研究了哪些科技创新券事项？",
]

ENV = {
    "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False", "TOKENIZERS_PARALLELISM": "false",
}


# -- helpers ---------------------------------------------------------------------------------
def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def record(work: Path, label: str, kind: str, **values: Any) -> dict:
    row = {"label": label, "kind": kind, "at": time.strftime("%Y-%m-%d %H:%M:%S"), **values}
    with open(work / "results.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(json.dumps(row, ensure_ascii=False), flush=True)
    return row


def child(args: argparse.Namespace, *extra: str) -> None:
    """Runs one measurement in a fresh process (its own peak RSS, a cold start)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), *extra, "--work", str(args.work), "--label", args.label,
           "--rounds", str(args.rounds)]
    subprocess.run(cmd, check=True, env={**os.environ, **ENV})


def assistant_for(data: Path, embedder: str, *, shared_embedder: Any = None, **overrides: Any):
    from minutes_rag.config import Settings

    try:
        from minutes_rag.assistant import build_assistant
    except ImportError:  # main before the composition root ("before" runs)
        from minutes_rag.assistant import Assistant as build_assistant  # type: ignore[no-redef]
    if "answer_cache" in Settings.model_fields:
        # timed questions are asked several times: the answer cache would time itself (the
        # serve benchmark measures it beside distinct questions)
        overrides.setdefault("answer_cache", 0)
    settings = Settings.load(data_dir=str(data), embedder=embedder, mode="extractive",
                             **{k: v for k, v in overrides.items() if v is not None})
    return build_assistant(settings, embedder=shared_embedder)


def forget_query_vectors(a: Any) -> None:
    cache = getattr(a.retriever, "query_vectors", None)  # none before the cache
    if cache is not None:
        cache.clear()


def synthetic_questions(archive: Path, seed: int = 7) -> list[dict]:
    rows = [json.loads(line) for line in (archive / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    random.Random(seed).shuffle(rows)
    return rows


def questions_for(archive: Path, n: int, seed: int = 7) -> list[str]:
    qs = [r["question"] for r in synthetic_questions(archive, seed)]
    return FIXED_QUESTIONS + qs[: max(0, n - len(FIXED_QUESTIONS))]


def hit_at(a: Any, archive: Path, n: int, k: int = 5) -> float:
    """Share of answerable synthetic questions with an evidence passage in the top k: the
    retrieval quality the speed must not cost (the hash embedder leaves it to BM25)."""
    rows = [r for r in synthetic_questions(archive, seed=8) if r.get("answerable") and r.get("evidence")][:n]
    hits = 0
    for r in rows:
        texts = ["".join(h.section.text.split()) for h in a.retrieve(r["question"], k=k)]
        ev = ["".join(e.split()) for e in r["evidence"]]
        hits += any(e in t for e in ev for t in texts)
    return hits / max(1, len(rows))


def archive_for(work: Path, sections: int, seed: int = 11) -> Path:
    from minutes_rag.evaluation.synth import write_archive

    minutes = max(1, round(sections / SECTIONS_PER_MINUTE))
    path = work / f"archive-{sections}"
    if not (path / "manifest.json").exists():
        write_archive(path, minutes, seed)
    return path


# -- build: ingest a hash-filled store -------------------------------------------------------
def cmd_build(args: argparse.Namespace) -> None:
    n = args.sections
    archive = archive_for(args.work, n)
    data = args.work / f"data-{n}-{args.embedder}"
    if data.exists() and not args.rebuild and (data / "built.json").exists():
        print(f"reusing {data}")
        return
    shutil.rmtree(data, ignore_errors=True)
    a = assistant_for(data, args.embedder, models_dir=str(args.models) if args.models else None)
    a.embedder.embed_query("warm up")  # model load is not ingest time
    t0 = time.perf_counter()
    rep = a.ingest([archive])
    t_ingest = time.perf_counter() - t0
    sections = a.index.section_count()
    minutes = a.index.minute_count()
    a.close()
    noop = []
    for _ in range(args.rounds):  # a fresh process's view: a new Assistant each time
        b = assistant_for(data, args.embedder, models_dir=str(args.models) if args.models else None)
        t0 = time.perf_counter()
        again = b.ingest([archive])
        noop.append(time.perf_counter() - t0)
        assert again.unchanged == minutes and again.embedded == 0, again.to_json()
        b.close()
    # and as a user runs it: a new process (imports, opening the index) over the whole archive
    cli = []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        res = subprocess.run([sys.executable, "-m", "minutes_rag.cli", "ingest", str(archive), "--data-dir", str(data),
                              "--embedder", args.embedder, "--json"], capture_output=True, text=True,
                             env={**os.environ, **ENV})
        cli.append(time.perf_counter() - t0)
        assert json.loads(res.stdout)["minutes"]["unchanged"] == minutes, res.stdout + res.stderr
    (data / "built.json").write_text(json.dumps({"sections": sections, "minutes": minutes}))
    record(args.work, args.label, "build", embedder=args.embedder, target=n, sections=sections, minutes=minutes,
           failed=rep.failed, ingest_s=round(t_ingest, 2), sections_per_s=round(sections / t_ingest, 1),
           noop_s=round(min(noop), 2), noop_cli_s=round(min(cli), 2),
           noop_cli_per_1000_minutes_s=round(min(cli) / minutes * 1000, 2),
           peak_rss_mb=round(peak_rss_mb()))


# -- query: retrieve and extractive ask latency on a built store ------------------------------
def cmd_query(args: argparse.Namespace) -> None:
    n = args.sections
    archive = archive_for(args.work, n)
    data = args.work / f"data-{n}-{args.embedder}"
    a = assistant_for(data, args.embedder, models_dir=str(args.models) if args.models else None)
    qs = questions_for(archive, args.questions)
    t0 = time.perf_counter()
    a.retrieve(qs[0])  # opens Chroma, loads jieba and (real model) the embedder
    t_first = time.perf_counter() - t0
    for q in qs[:5]:
        a.ask(q)
    rounds: list[dict[str, float]] = []
    slowest: list[tuple[float, str]] = []
    for _ in range(args.rounds):
        ret, ask = [], []
        for q in qs:
            forget_query_vectors(a)  # each round embeds its questions (the real model's ~15 ms)
            t = time.perf_counter()
            a.retrieve(q)
            ret.append((time.perf_counter() - t) * 1000)
            slowest.append((ret[-1], q))
            forget_query_vectors(a)
            t = time.perf_counter()
            a.ask(q)
            ask.append((time.perf_counter() - t) * 1000)
        rounds.append({"retrieve_p50": pct(ret, 50), "retrieve_p95": pct(ret, 95), "retrieve_max": max(ret),
                       "ask_p50": pct(ask, 50), "ask_p95": pct(ask, 95)})
    best = min(rounds, key=lambda r: r["retrieve_p95"])
    best_ask = min(rounds, key=lambda r: r["ask_p95"])
    slow = sorted(slowest, reverse=True)[:3]
    quality = hit_at(a, archive, args.questions * 2)
    record(args.work, args.label, "query", embedder=args.embedder, target=n, sections=a.index.section_count(),
           questions=len(qs), first_retrieve_ms=round(t_first * 1000),
           retrieve_p50_ms=round(best["retrieve_p50"], 1), retrieve_p95_ms=round(best["retrieve_p95"], 1),
           ask_p50_ms=round(best_ask["ask_p50"], 1), ask_p95_ms=round(best_ask["ask_p95"], 1),
           slowest=[[round(ms, 1), q] for ms, q in slow], hit_at_5=round(quality, 3), peak_rss_mb=round(peak_rss_mb()))


# -- recall of the HNSW index against exact search ---------------------------------------------
def cmd_recall(args: argparse.Namespace) -> None:
    """One ``ef_search`` per process (a loaded HNSW index keeps the breadth it was opened with):
    recall@k of Chroma's answer against exact search over every vector. Ties count: a
    returned section scoring at least the exact k-th score is a hit (hash vectors tie a lot)."""
    for ef in [int(x) for x in args.ef.split(",")]:
        child(args, "_recall", "--sections", str(args.sections), "--embedder", args.embedder, "--ef", str(ef),
              "--questions", str(args.questions))


def cmd_recall_one(args: argparse.Namespace) -> None:
    import numpy as np

    n = args.sections
    archive = archive_for(args.work, n)
    data = args.work / f"data-{n}-{args.embedder}"
    a = assistant_for(data, args.embedder)
    ef = int(args.ef)
    a.store.col.modify(configuration={"hnsw": {"ef_search": ef}})
    col = a.store._client_get().get_collection(a.store.collection_name)
    assert col.configuration["hnsw"]["ef_search"] == ef
    qs = questions_for(archive, args.questions)
    qv = np.stack([a.embedder.embed_query(q) for q in qs]).astype(np.float32)
    k = a.settings.candidates
    cache = args.work / f"exact-{n}-{args.embedder}.npz"
    if cache.exists():
        z = np.load(cache, allow_pickle=False)
        ids, mat = z["ids"], z["mat"]
    else:
        got = col.get(include=["embeddings"])
        ids = np.array(got["ids"])
        mat = np.asarray(got["embeddings"], dtype=np.float32)
        mat /= np.linalg.norm(mat, axis=1, keepdims=True)
        np.savez(cache, ids=ids, mat=mat)
    pos = {i: j for j, i in enumerate(ids.tolist())}
    recalls, times = [], []
    for v in qv:
        scores = mat @ v
        kth = np.sort(scores)[-k]
        t = time.perf_counter()
        res = col.query(query_embeddings=[v.tolist()], n_results=k, include=[])
        times.append((time.perf_counter() - t) * 1000)
        got_ids = res["ids"][0]
        recalls.append(sum(scores[pos[i]] >= kth - 1e-5 for i in got_ids) / k)
    record(args.work, args.label, "recall", embedder=args.embedder, target=n, vectors=len(ids), k=k, ef_search=ef,
           recall_at_k=round(float(statistics.mean(recalls)), 4), min_recall=round(float(min(recalls)), 3),
           p50_ms=round(pct(times, 50), 2), p95_ms=round(pct(times, 95), 2))


# -- the real model: a 10k archive, and ingest overhead over the raw embedder -------------------
def cmd_overhead(args: argparse.Namespace) -> None:
    """The whole pipeline against the embedder alone, on the same texts, in one process."""
    from minutes_rag.ingestion import embedding_text
    from minutes_rag.parse import iter_source_files, load_minute
    from minutes_rag.split import split_minute

    archive = archive_for(args.work, args.sections, seed=5)
    emb_spec = args.embedder
    data = args.work / f"overhead-{emb_spec}"
    shutil.rmtree(data, ignore_errors=True)
    a = assistant_for(data, emb_spec, models_dir=str(args.models) if args.models else None)
    s = a.settings
    texts = []
    for path in iter_source_files([archive]):
        minute = load_minute(path, max_bytes=int(s.max_file_mb * 1024 * 1024))
        texts += [embedding_text(sec, minute.meta) for sec in split_minute(minute, max_chars=s.section_max_chars)]
    texts = list(dict.fromkeys(texts))  # the pipeline embeds each distinct text once (its cache)
    emb = a.embedder
    emb.embed_documents(texts[:16])  # load and warm the model
    raw, full = [], []
    for _ in range(args.rounds):  # interleaved: a shared machine's load hits both alike
        t = time.perf_counter()
        emb.embed_documents(texts)
        raw.append(time.perf_counter() - t)
        shutil.rmtree(data, ignore_errors=True)
        # the same warm model: only the pipeline differs
        b = assistant_for(data, emb_spec, shared_embedder=emb, models_dir=str(args.models) if args.models else None)
        t = time.perf_counter()
        rep = b.ingest([archive])
        full.append(time.perf_counter() - t)
        assert rep.embedded == len(texts), (rep.embedded, len(texts))
        b.close()
    record(args.work, args.label, "overhead", embedder=emb.name, sections=len(texts), raw_s=round(min(raw), 2),
           ingest_s=round(min(full), 2), overhead_pct=round((min(full) / min(raw) - 1) * 100, 1),
           raw_all=[round(x, 2) for x in raw], ingest_all=[round(x, 2) for x in full])


# -- a cold CLI --------------------------------------------------------------------------------
def cmd_cli(args: argparse.Namespace) -> None:
    data = args.work / "data-sample-e5"
    exe = [sys.executable, "-m", "minutes_rag.cli"]
    env = {**os.environ, **ENV, "MINUTES_RAG_MODELS_DIR": str(args.models or (args.work / "models"))}
    if not (data / "built.json").exists():
        shutil.rmtree(data, ignore_errors=True)
        subprocess.run([*exe, "ingest", str(ROOT / "ingest" / "sample"), "--data-dir", str(data), "--json"],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        (data / "built.json").write_text("{}")
    q = "姑苏领军人才计划2020年第一批拟立项情况是哪个部门汇报的？"
    times: list[float] = []
    out = ""
    for _ in range(args.rounds):
        t = time.perf_counter()
        res = subprocess.run([*exe, "ask", q, "--data-dir", str(data), "--json"], env=env, capture_output=True,
                             text=True)
        times.append(time.perf_counter() - t)
        if res.returncode:
            raise SystemExit(res.stderr)
        out = res.stdout
    ans = json.loads(out)
    imp = subprocess.run([sys.executable, "-X", "importtime", "-c", "import minutes_rag.cli"], env=env,
                         capture_output=True, text=True).stderr.splitlines()
    cum = [int(line.split("|")[1]) for line in imp if line.startswith("import time:") and "|" in line and
           line.split("|")[1].strip().isdigit()]
    record(args.work, args.label, "cli", cold_ask_s=round(min(times), 2), all_s=[round(x, 2) for x in times],
           first_citation=(ans.get("citations") or [{}])[0].get("label"),
           import_cli_ms=round(max(cum) / 1000 if cum else 0, 1))


# -- many users at once ------------------------------------------------------------------------
class FakeLLM(ThreadingHTTPServer):
    """An OpenAI-compatible chat server on loopback whose behaviour the benchmark sets:
    ``fast`` answers at once, ``slow`` streams one token every ``delay`` seconds, ``hang``
    accepts the request and never answers."""

    daemon_threads = True
    mode = "fast"
    delay = 1.0


class _FakeHandler(BaseHTTPRequestHandler):
    server: FakeLLM

    def log_message(self, *a: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # /v1/models
        self._json({"object": "list", "data": [{"id": "fake", "object": "model"}]})

    def _json(self, obj: dict) -> None:
        body = json.dumps(obj).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        req = json.loads(self.rfile.read(length) or b"{}")
        mode = self.server.mode
        if mode == "hang":
            time.sleep(3600)
            return
        words = ["根据", "纪要", "，", "会议", "决定", "由", "市住建局", "牵头", "。", "[1]"]
        if mode == "fast" or not req.get("stream"):
            if mode == "slow":
                time.sleep(self.server.delay * len(words))
            self._json({"id": "x", "object": "chat.completion", "created": 0, "model": "fake",
                        "choices": [{"index": 0, "finish_reason": "stop",
                                     "message": {"role": "assistant", "content": "".join(words)}}]})
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        try:
            for w in words:
                time.sleep(self.server.delay)
                chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "fake",
                         "choices": [{"index": 0, "delta": {"content": w}, "finish_reason": None}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
            self.wfile.write(b"data: [DONE]\n\n")
        except (BrokenPipeError, ConnectionResetError):
            pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def fake_llm() -> Iterator[FakeLLM]:
    srv = FakeLLM(("127.0.0.1", free_port()), _FakeHandler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield srv
    finally:
        srv.shutdown()


API = {"route": "gradio"}  # "rest": the server's POST /api/ask (ui.rest), where it has one
_CLIENTS = threading.local()


def _client(timeout: float) -> Any:
    """One keep-alive client per user thread, as a browser or an API client keeps its
    connection: a new ``httpx.Client`` per request costs the machine ~10 ms of CPU (an SSL
    context), which the server's two cores pay for."""
    import httpx

    c = getattr(_CLIENTS, "client", None)
    if c is None:
        c = _CLIENTS.client = httpx.Client(timeout=None)
    return c


def pick_api(base: str, wanted: str) -> str:
    """``auto``: the server's JSON route when it has one (a 400 to an empty body), else Gradio's."""
    import httpx

    if wanted == "client":
        gradio_user(base)  # (this thread's: the warm-up questions)
    elif wanted == "auto":
        wanted = "rest" if httpx.post(f"{base}/api/ask", json={}, timeout=30).status_code == 400 else "gradio"
    API["route"] = wanted
    return wanted


def gradio_user(base: str) -> Any:
    """A user as the official ``gradio_client`` makes one: connecting (the app's config and
    API description) is part of the user's wait, as opening the page is a browser's."""
    from gradio_client import Client

    c = getattr(_CLIENTS, "gradio", None)
    if c is None:
        c = _CLIENTS.gradio = Client(base, verbose=False, download_files=False)
    return c


def api_ask(base: str, question: str, mode: str = "extractive", timeout: float = 300.0) -> tuple[float, str]:
    """One call of the server's /ask API (its JSON route, Gradio's REST interface, or Gradio's
    queue through ``gradio_client``): (seconds, error)."""

    t = time.perf_counter()
    if API["route"] == "client":
        try:
            out = gradio_user(base).predict(question, "", "", "", mode, api_name="/ask")
            return time.perf_counter() - t, "" if isinstance(out, dict) and "answer" in out else "empty"
        except Exception as exc:  # noqa: BLE001 - a benchmark counts every failure as an error
            return time.perf_counter() - t, f"{type(exc).__name__}: {exc}"[:200]
    if API["route"] == "rest":
        try:
            r = _client(timeout).post(f"{base}/api/ask", json={"question": question, "mode": mode}, timeout=timeout)
            if r.status_code != 200:
                return time.perf_counter() - t, f"{r.status_code}: {r.text[:200]}"
            return time.perf_counter() - t, "" if "answer" in r.json() else "empty"
        except Exception as exc:  # noqa: BLE001 - a benchmark counts every failure as an error
            return time.perf_counter() - t, f"{type(exc).__name__}: {exc}"[:200]
    try:
        with contextlib.nullcontext(_client(timeout)) as c:
            r = c.post(f"{base}/gradio_api/call/ask", json={"data": [question, "", "", "", mode]}, timeout=timeout)
            r.raise_for_status()
            event = r.json()["event_id"]
            with c.stream("GET", f"{base}/gradio_api/call/ask/{event}", timeout=timeout) as s:
                kind = ""
                for line in s.iter_lines():
                    if line.startswith("event:"):
                        kind = line.split(":", 1)[1].strip()
                    elif line.startswith("data:") and kind in ("complete", "error"):
                        if kind == "error":
                            return time.perf_counter() - t, line[5:].strip()[:200] or "error"
                        data = json.loads(line[5:])
                        return time.perf_counter() - t, "" if isinstance(data, list) and data else "empty"
        return time.perf_counter() - t, "no result"
    except Exception as exc:  # noqa: BLE001 - a benchmark counts every failure as an error
        return time.perf_counter() - t, f"{type(exc).__name__}: {exc}"[:200]


@contextlib.contextmanager
def server(data: Path, llm_url: str, models: Path | None, extra_env: dict[str, str] | None = None):
    port = free_port()
    env = {**os.environ, **ENV, "MINUTES_RAG_LLM_BASE_URL": llm_url, "MINUTES_RAG_LLM_MODEL": "fake",
           "MINUTES_RAG_LLM_API_KEY": "x", **(extra_env or {})}
    if models:
        env["MINUTES_RAG_MODELS_DIR"] = str(models)
    log = open(data.parent / f"serve-{port}.log", "w")
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "minutes_rag.cli", "serve", "--data-dir", str(data), "--port",
                             str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        page = None
        while time.perf_counter() - t0 < 180:
            try:
                if httpx.get(base + "/", timeout=2).status_code == 200:
                    page = time.perf_counter() - t0
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                raise SystemExit(f"server exited: see {log.name}")
            time.sleep(0.1)
        yield base, page
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def dev_questions() -> list[str]:
    """Distinct real questions (the dev sets'), none asked twice: what the answer cache
    cannot help with."""
    out: list[str] = []
    for name in ("dev_zh", "dev_en", "dev_more", "synthetic_sample"):
        for line in (ROOT / "eval" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "//")):
                out.append(json.loads(line)["question"])
    return list(dict.fromkeys(out))


def users(base: str, n: int, questions: list[str], per_user: int) -> dict:
    results: list[tuple[float, str]] = []
    lock = threading.Lock()

    start = threading.Barrier(n + 1)

    def one(i: int) -> None:
        if API["route"] == "client":
            _CLIENTS.gradio = None  # each user connects when it arrives (inside its first request's time)
        else:
            _client(300.0)  # the user's connection exists before the clock starts
        start.wait()
        for j in range(per_user):
            r = api_ask(base, questions[(i * per_user + j) % len(questions)])
            with lock:
                results.append(r)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    start.wait()
    t0 = time.perf_counter()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    lat = [r[0] for r in results]
    errors = [r[1] for r in results if r[1]]
    return {"users": n, "requests": len(results), "p50_s": round(pct(lat, 50), 3), "p95_s": round(pct(lat, 95), 3),
            "errors": len(errors), "error_sample": errors[:2], "wall_s": round(wall, 2)}


def behind(base: str, blocker: Callable[[], Any], warm_q: str, wait: float = 1.0) -> dict:
    """A warm question sent while ``blocker`` runs: its latency, and the blocker's."""
    out: dict[str, Any] = {}
    th = threading.Thread(target=lambda: out.__setitem__("blocker", blocker()), daemon=True)
    th.start()
    time.sleep(wait)
    secs, err = api_ask(base, warm_q, timeout=120)
    out["warm_s"], out["warm_error"] = round(secs, 3), err
    return out


def cmd_serve(args: argparse.Namespace) -> None:
    data = args.work / "data-sample-e5"
    models = args.models or (args.work / "models")
    if not (data / "built.json").exists():
        child(args, "cli")
    warm_q = "姑苏领军人才计划2020年第一批拟立项情况是哪个部门汇报的？"
    qs = [warm_q, "在人才服务方面，会议提出了什么要求？", "会议决定了哪些义务教育收费政策？",
          "谁记录了第102次常务会议？", "What did the Suzhou meeting require on talent services?"]
    with fake_llm() as llm:
        llm_url = f"http://127.0.0.1:{llm.server_address[1]}/v1"
        with server(data, llm_url, models, {"MINUTES_RAG_LLM_TIMEOUT": "30"}) as (base, page_s):
            route = pick_api(base, args.api)
            first_s, first_err = api_ask(base, warm_q)  # waits for the warm-up where there is one
            second_s, _ = api_ask(base, qs[1])  # the server is warm now: a first real answer
            record(args.work, args.label, "serve_start", page_s=round(page_s or -1, 2),
                   first_answer_after_page_s=round(first_s, 2), first_error=first_err,
                   since_start_s=round((page_s or 0) + first_s, 2), next_answer_s=round(second_s, 2))
            for q in qs:
                api_ask(base, q)
            rows = [users(base, n, qs, per_user) for n, per_user in ((1, 10), (20, 3), (50, 2))]
            record(args.work, args.label, "users", rows=rows, api=route)
            # every request a question not asked before (no answer or query-vector cache hit)
            fresh = dev_questions()
            plan, rows = ((1, 10), (20, 3), (50, 1)), []
            for n, per_user in plan:
                take, fresh = fresh[: n * per_user], fresh[n * per_user:]
                if len(take) < n * per_user:
                    break
                rows.append(users(base, n, take, per_user))
            record(args.work, args.label, "users_distinct", rows=rows, api=route)
            if args.skip_behind:
                return
            # the warm questions were not asked before (an answer from the cache would say
            # nothing about waiting behind another question)
            unasked = dev_questions()[-3:]
            llm.mode, llm.delay = "slow", 1.0
            slow = behind(base, lambda: api_ask(base, warm_q, mode="llm", timeout=300), unasked[0])
            llm.mode = "hang"
            hung = behind(base, lambda: api_ask(base, qs[1], mode="llm", timeout=300), unasked[1])
            llm.mode = "fast"
            huge_q = ("会议研究了老旧小区改造工作。" * 8000)[:100_000]
            huge = behind(base, lambda: api_ask(base, huge_q, timeout=300), unasked[2], wait=0.5)
            record(args.work, args.label, "behind", slow_llm=slow, hung_llm=hung, huge_question=huge)


# -- tables ----------------------------------------------------------------------------------------
def cmd_table(args: argparse.Namespace) -> None:
    rows = [json.loads(line) for line in (args.work / "results.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    labels = args.labels.split(",") if args.labels else list(dict.fromkeys(r["label"] for r in rows))

    def last(label: str, kind: str, **match: Any) -> dict | None:
        found = [r for r in rows if r["label"] == label and r["kind"] == kind and
                 all(r.get(k) == v for k, v in match.items())]
        return found[-1] if found else None

    print("| run | embedder | sections | retrieve p50 / p95 ms | extractive ask p50 / p95 ms | hit@5 | ingest sections/s | "
          "no-op re-ingest, CLI s (per 1,000 minutes) | peak RSS MB (query / ingest) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for label in labels:
        targets = sorted({(r["embedder"], r["target"]) for r in rows if r["label"] == label and r["kind"] == "query"})
        for emb, target in targets:
            q = last(label, "query", embedder=emb, target=target) or {}
            b = last(label, "build", embedder=emb, target=target) or {}
            mark = ""
            if not b:  # the store was built under another label (a later run reuses it)
                built = [r for r in rows if r["kind"] == "build" and r.get("embedder") == emb and r.get("target") == target]
                b, mark = (built[-1], f" (built as {built[-1]['label']})") if built else ({}, "")
            ingest = f"{b['sections_per_s']}{mark}" if b else "–"
            noop = f"{b['noop_cli_s']} ({b['noop_cli_per_1000_minutes_s']})" if b else "–"
            print(f"| {label} | {emb} | {q.get('sections', 0):,} | {q['retrieve_p50_ms']} / {q['retrieve_p95_ms']} | "
                  f"{q['ask_p50_ms']} / {q['ask_p95_ms']} | {q.get('hit_at_5', '–')} | {ingest} | {noop} | {q['peak_rss_mb']} / "
                  f"{b.get('peak_rss_mb', '–')} |")
        qs = [r for r in rows if r["label"] == label and r["kind"] == "query" and r["embedder"] == HASH]
        if len(qs) >= 2:
            lo = min(qs, key=lambda r: r["sections"])
            hi = max(qs, key=lambda r: r["sections"])
            print(f"| {label} | growth {lo['sections']:,} -> {hi['sections']:,} | | "
                  f"p95 x{hi['retrieve_p95_ms'] / lo['retrieve_p95_ms']:.1f} | "
                  f"p95 x{hi['ask_p95_ms'] / lo['ask_p95_ms']:.1f} | | | | |")
    for label in labels:
        rec = [r for r in rows if r["label"] == label and r["kind"] == "recall" and "ef_search" in r]
        if rec:
            print(f"\n{label}: HNSW ef_search at {rec[-1]['vectors']:,} vectors (recall@{rec[-1]['k']} vs exact search)\n")
            print("| ef_search | recall | worst question | p50 ms | p95 ms |\n|---|---|---|---|---|")
            for r in sorted({r["ef_search"]: r for r in rec}.values(), key=lambda r: r["ef_search"]):
                print(f"| {r['ef_search']} | {r['recall_at_k']} | {r['min_recall']} | {r['p50_ms']} | {r['p95_ms']} |")
        for kind in ("overhead", "cli", "serve_start"):
            r = last(label, kind)
            if r:
                keep = {k: v for k, v in r.items() if k not in ("label", "kind", "at")}
                print(f"\n{label} {kind}: {json.dumps(keep, ensure_ascii=False)}")
        for kind, what in (("users", "five questions asked again and again"),
                           ("users_distinct", "every request a question not asked before")):
            u = last(label, kind)
            if u:
                what += f", through {'POST /api/ask' if u.get('api') == 'rest' else 'Gradio /gradio_api/call/ask'}"
                print(f"\n{label}: API users at once (extractive; {what})\n\n"
                      "| users | requests | p50 s | p95 s | errors | wall s |")
                print("|---|---|---|---|---|---|")
                for x in u["rows"]:
                    print(f"| {x['users']} | {x['requests']} | {x['p50_s']} | {x['p95_s']} | {x['errors']} | "
                          f"{x['wall_s']} |")
        bh = last(label, "behind")
        if bh:
            print(f"\n{label}: a warm question while another is in flight\n\n| in flight | warm answer s | error | "
                  "the other one |")
            print("|---|---|---|---|")
            for name in ("slow_llm", "hung_llm", "huge_question"):
                x = bh[name]
                other = x.get("blocker")
                other_s = f"{other[0]:.1f} s {('(' + other[1][:60] + ')') if other and other[1] else ''}" if other else "still running"
                print(f"| {name} | {x['warm_s']} | {x['warm_error'] or '–'} | {other_s} |")


def cmd_scale(args: argparse.Namespace) -> None:
    for n in [int(x) for x in args.sizes.split(",")]:
        child(args, "_build", "--sections", str(n), "--embedder", HASH, *(["--rebuild"] if args.rebuild else []))
        child(args, "_query", "--sections", str(n), "--embedder", HASH, "--questions", str(args.questions))


def cmd_real(args: argparse.Namespace) -> None:
    models = ["--models", str(args.models or (args.work / "models"))]
    child(args, "_build", "--sections", str(args.sections), "--embedder", "e5", *models)
    child(args, "_query", "--sections", str(args.sections), "--embedder", "e5", "--questions", str(args.questions),
          *models)


def cmd_all(args: argparse.Namespace) -> None:
    cmd_scale(args)
    args.sections = max(int(x) for x in args.sizes.split(","))
    cmd_recall(args)
    child(args, "cli", *(["--models", str(args.models)] if args.models else []))
    child(args, "serve", *(["--models", str(args.models)] if args.models else []))
    child(args, "overhead", "--sections", "1500", "--embedder", "e5",
          "--models", str(args.models or (args.work / "models")))
    cmd_real(args)
    cmd_table(args)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["all", "scale", "real", "overhead", "recall", "cli", "serve", "table",
                                        "_build", "_query", "_recall"])
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "minutes-rag-bench-scale")
    ap.add_argument("--label", default="run")
    ap.add_argument("--labels", default="")
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--sections", type=int, default=10000)
    ap.add_argument("--embedder", default=HASH)
    ap.add_argument("--models", type=Path, default=None, help="converted-model folder (default WORK/models)")
    ap.add_argument("--questions", type=int, default=60)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--ef", default="20,50,100,200,400")
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--skip-behind", action="store_true", help="serve: the users only")
    ap.add_argument("--api", default="auto", choices=["auto", "rest", "gradio", "client"],
                    help="serve: the server's JSON route /api/ask (auto: where it has one), Gradio's REST interface, "
                    "or Gradio's queue through gradio_client (each user connecting when it arrives)")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    for k, v in ENV.items():
        os.environ.setdefault(k, v)
    if args.command == "recall":
        args.sections = max(int(x) for x in args.sizes.split(","))
    {"all": cmd_all, "scale": cmd_scale, "real": cmd_real, "overhead": cmd_overhead, "recall": cmd_recall,
     "_recall": cmd_recall_one, "cli": cmd_cli, "serve": cmd_serve, "table": cmd_table, "_build": cmd_build,
     "_query": cmd_query}[args.command](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

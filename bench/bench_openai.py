"""The OpenAI-compatible chat beside the server's own JSON API: 20 users at once ask the same
questions through ``POST /v1/chat/completions`` and through ``POST /api/ask`` of one running
``minutes-rag serve`` (the real bundled model, ``ingest/sample`` ingested, the answer cache off),
in alternating rounds, and the p95 latencies are compared (target: /v1 within 1.2x of /api/ask,
no error). Prints a table.

    MINUTES_RAG_MODELS_DIR=... .venv/bin/python bench/bench_openai.py [--users 20] [--rounds 6]

Each round gives every user one question (a different set of questions each round, the dev
sets' questions); both faces ask that round's questions, the one that goes first alternates,
so that neither profits from the query vectors the other computed. One keep-alive client per
user, the same plain HTTP client for both faces (what is timed is the server).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_scale import ENV, dev_questions, free_port, pct  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
KEY = "bench-key"


def call(client, base: str, face: str, question: str) -> tuple[float, str]:
    t0 = time.perf_counter()
    try:
        if face == "api":
            r = client.post(f"{base}/api/ask", json={"question": question})
            ok = r.status_code == 200 and "answer" in r.json()
        else:
            r = client.post(f"{base}/v1/chat/completions", headers={"Authorization": f"Bearer {KEY}"},
                            json={"model": "minutes-rag", "messages": [{"role": "user", "content": question}]})
            ok = r.status_code == 200 and r.json()["choices"][0]["message"]["content"]
        err = "" if ok else f"{r.status_code} {r.text[:120]}"
    except Exception as exc:  # noqa: BLE001 - a failed request is counted, not fatal
        err = f"{type(exc).__name__}: {exc}"
    return time.perf_counter() - t0, err


def burst(clients: list, base: str, face: str, qs: list[str]) -> list[tuple[float, str]]:
    out: list[tuple[float, str]] = [(0.0, "")] * len(clients)
    start = threading.Barrier(len(clients))

    def one(i: int) -> None:
        start.wait()
        out[i] = call(clients[i], base, face, qs[i])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def main() -> int:
    import httpx

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--work", type=Path, help="data directory (default: a temporary one)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-openai-"))
    env = {**os.environ, **ENV, "PYTHONPATH": str(ROOT / "src"), "MINUTES_RAG_ANSWER_CACHE": "0",
           "MINUTES_RAG_API_KEYS": KEY, "MINUTES_RAG_ASK_VIA_SERVER": "false"}
    data = work / "data"
    cli = [sys.executable, "-m", "minutes_rag.cli"]
    subprocess.run([*cli, "ingest", str(ROOT / "ingest" / "sample"), "--data-dir", str(data), "--json"], env=env,
                   check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    log = open(work / "serve.log", "w")
    proc = subprocess.Popen([*cli, "serve", "--data-dir", str(data), "--port", str(port)], env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 300
        while True:  # ready: warm-up done (an /api/ask waits for it)
            try:
                if httpx.post(f"{base}/api/ask", json={"question": "warm up"}, timeout=300).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise SystemExit(f"the server did not start: see {log.name}")
            time.sleep(0.5)
        qs = dev_questions()
        clients = [httpx.Client(timeout=300) for _ in range(args.users)]
        for face in ("api", "v1"):  # every connection open before the clock starts
            burst(clients, base, face, ["warm up"] * args.users)
        results: dict[str, list[tuple[float, str]]] = {"api": [], "v1": []}
        for r in range(args.rounds):
            round_qs = [qs[(r * args.users + i) % len(qs)] for i in range(args.users)]
            for face in (("api", "v1") if r % 2 == 0 else ("v1", "api")):
                results[face] += burst(clients, base, face, round_qs)
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()
    rows = {}
    for face, res in results.items():
        lat = [x[0] for x in res]
        rows[face] = {"n": len(res), "p50": pct(lat, 50), "p95": pct(lat, 95), "mean": statistics.mean(lat),
                      "errors": sum(1 for x in res if x[1]), "sample": next((x[1] for x in res if x[1]), "")}
    out = sys.stdout
    out.write(f"{args.users} parallel users x {args.rounds} rounds, ingest/sample, real model, answer cache off\n")
    out.write("| face | requests | p50 ms | p95 ms | mean ms | errors |\n|---|---|---|---|---|---|\n")
    names = {"api": "POST /api/ask", "v1": "POST /v1/chat/completions"}
    for face, row in rows.items():
        out.write(f"| {names[face]} | {row['n']} | {row['p50'] * 1000:.0f} | {row['p95'] * 1000:.0f} | "
                  f"{row['mean'] * 1000:.0f} | {row['errors']} |\n")
    ratio = rows["v1"]["p95"] / rows["api"]["p95"]
    out.write(f"p95 /v1 / p95 /api/ask: {ratio:.2f}x (target <= 1.2x)\n")
    for face, row in rows.items():
        if row["sample"]:
            out.write(f"{face} error: {row['sample']}\n")
    return 0 if ratio <= 1.2 and not rows["v1"]["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())

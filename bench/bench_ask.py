"""Warm in-process `ask` latency, extractive mode, over the sample archive (+ the shared corpus
when it lies beside the repository). Prints a table of per-stage percentiles.

    .venv/bin/python bench/bench_ask.py [--data-dir DIR] [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

QUESTIONS = [
    "苏州市政府第102次常务会议审议了哪个工作方案？",
    "姑苏领军人才计划2020年第一批拟立项情况是哪个部门汇报的？",
    "在人才服务方面，会议提出了什么要求？",
    "会议决定了哪些义务教育收费政策？",
    "谁记录了第102次常务会议？",
    "Which agenda item did the Portland council refer to the Commissioner of Finance and Administration on January 12, 2011?",
    "Which meetings discussed fire safety?",
    "What did the Suzhou meeting require on talent services?",
]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    from minutes_rag.assistant import build_assistant
    from minutes_rag.config import Settings

    data_dir = args.data_dir or tempfile.mkdtemp(prefix="bench-ask-")
    assistant = build_assistant(Settings.load(data_dir=data_dir, mode="extractive"))
    sources = [REPO / "ingest" / "sample"]
    corpus = REPO.parent / "shared" / "corpus"
    if corpus.exists():
        sources.append(corpus)
    t0 = time.perf_counter()
    report = assistant.ingest(sources)
    print(f"ingest: {report.added} added, {report.unchanged} unchanged in {time.perf_counter() - t0:.1f} s "
          f"({sum(m['sections'] for m in assistant.list_minutes())} sections)")
    t0 = time.perf_counter()
    assistant.ask(QUESTIONS[0])  # warm-up: loads the model and jieba
    print(f"first (cold) ask: {(time.perf_counter() - t0) * 1000:.0f} ms")

    stages: dict[str, list[float]] = {"retrieve": [], "answer": [], "total": []}
    for _ in range(args.rounds):
        for q in QUESTIONS:
            ans = assistant.ask(q)
            for k in stages:
                stages[k].append(ans.timings_ms.get(k, 0.0))
    n = len(stages["total"])
    print(f"\nwarm ask, extractive mode, {n} questions ({len(QUESTIONS)} distinct x {args.rounds} rounds)")
    print(f"{'stage':<10} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
    for k, v in stages.items():
        print(f"{k:<10} {pct(v, 50):>8.1f} {pct(v, 95):>8.1f} {statistics.mean(v):>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Ledger extraction speed: the rules over parsed and split minutes (real corpus, a
synthetic archive), against parsing + splitting the same minutes. Prints a table; the ratio
within one run is what counts on a shared machine.

    .venv/bin/python bench/bench_ledger.py [--minutes 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=int, default=200, help="synthetic minutes to add")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from minutes_rag.evaluation.synth import write_archive
    from minutes_rag.ledger.extract import extract_ledger
    from minutes_rag.parse import iter_source_files, load_minute
    from minutes_rag.split import split_minute

    work = Path(tempfile.mkdtemp(prefix="bench-ledger-"))
    write_archive(work / "synth", args.minutes, seed=5)
    sets = {
        "real corpus": [REPO.parent / "shared" / "corpus"],
        f"synthetic ({args.minutes})": [work / "synth"],
    }
    print("| archive | minutes | sections | entries | parse+split ms | ledger ms | ledger ms/minute | ledger / parse+split |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, roots in sets.items():
        files = iter_source_files([r for r in roots if r.exists()])
        t0 = time.perf_counter()
        parsed = [load_minute(f, max_bytes=50 * 1024 * 1024) for f in files]
        split = [(m, split_minute(m, max_chars=700)) for m in parsed]
        t_parse = (time.perf_counter() - t0) * 1000
        best = float("inf")
        n_entries = 0
        for _ in range(args.repeat):
            t1 = time.perf_counter()
            n_entries = sum(len(extract_ledger(m, secs)) for m, secs in split)
            best = min(best, (time.perf_counter() - t1) * 1000)
        n_sections = sum(len(s) for _, s in split)
        print(f"| {name} | {len(split)} | {n_sections} | {n_entries} | {t_parse:.0f} | {best:.0f} | "
              f"{best / max(1, len(split)):.2f} | {best / max(t_parse, 1e-9):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

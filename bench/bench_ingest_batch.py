"""Ingest speed against the model's own time, per write batch size (issue 21, item 3).

    # the pipeline around the model: hash embedder (no model cost), synthetic archives
    .venv/bin/python bench/bench_ingest_batch.py pipeline --sections 1000,10000 --batches 1,1000
    # the real model (e5) on a fixed sample of the dev corpus, beside the model alone
    MINUTES_RAG_MODELS_DIR=/tmp/minutes-rag-test-models \\
        .venv/bin/python bench/bench_ingest_batch.py real --per-lang 12 --batches 1,1000

Every configuration ingests into a fresh data dir with one warm embedder; configurations
alternate round by round (``--rounds``), so a shared machine's load hits them alike: compare
the rows of one run. ``batch`` is ``ingest_batch_sections`` (1: every minute written alone,
the behaviour before batching). "model s" is the time inside ``embed_documents``; "pipeline
s" the rest of the ingest (parse, split, ledger, SQLite, Chroma).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "corpus" / "dev"
SECTIONS_PER_MINUTE = 14  # what the synthetic archives average (bench_scale.py)


class TimedEmbedder:
    """Wraps an embedder and adds up the seconds spent in ``embed_documents``."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.seconds = 0.0
        self.calls = 0

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        t = time.perf_counter()
        try:
            return self.inner.embed_documents(texts)
        finally:
            self.seconds += time.perf_counter() - t
            self.calls += 1

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def ingest_once(paths: list[Path], data: Path, emb: TimedEmbedder, batch: int) -> dict[str, Any]:
    from minutes_rag.assistant import Assistant
    from minutes_rag.config import Settings

    shutil.rmtree(data, ignore_errors=True)
    # a tree before batching (PYTHONPATH=<main>/src) has no such setting: it writes every minute alone
    extra = {"ingest_batch_sections": batch} if "ingest_batch_sections" in Settings.model_fields else {}
    a = Assistant(Settings.load(data_dir=str(data), mode="extractive", **extra), embedder=emb)
    emb.seconds, emb.calls = 0.0, 0
    t = time.perf_counter()
    rep = a.ingest(paths)
    total = time.perf_counter() - t
    sections = a.index.section_count()
    a.close()
    if a._store is not None:
        a._store.reopen()
    return {"batch": batch if extra else "main", "minutes": rep.added, "failed": rep.failed, "sections": sections,
            "total_s": total, "model_s": emb.seconds, "calls": emb.calls}


def table(rows: list[dict[str, Any]], title: str) -> None:
    print(f"\n{title}")
    print("| sections | batch | ingest s | sections/s | model s | pipeline s | pipeline ms/section | model calls |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        pipe = r["total_s"] - r["model_s"]
        print(f"| {r['sections']:,} | {r['batch']} | {r['total_s']:.1f} | {r['sections'] / r['total_s']:.1f} | "
              f"{r['model_s']:.1f} | {pipe:.1f} | {1000 * pipe / max(1, r['sections']):.2f} | {r['calls']} |")


def best(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The fastest round of each (sections, batch)."""
    out: dict[tuple[int, str], dict[str, Any]] = {}
    for r in rows:
        key = (r["sections"], str(r["batch"]))
        if key not in out or r["total_s"] < out[key]["total_s"]:
            out[key] = r
    return [out[k] for k in sorted(out)]


def cmd_pipeline(args: argparse.Namespace) -> None:
    from minutes_rag.embed import HashEmbedder
    from minutes_rag.evaluation.synth import write_archive

    emb = TimedEmbedder(HashEmbedder(384))  # the real model's dimension: Chroma's work is the same
    rows = []
    for size in [int(x) for x in args.sections.split(",")]:
        archive = args.work / f"archive-{size}"
        if not (archive / "manifest.json").exists():
            write_archive(archive, max(1, round(size / SECTIONS_PER_MINUTE)), 11)
        for _ in range(args.rounds):
            for batch in [int(x) for x in args.batches.split(",")]:
                r = ingest_once([archive], args.work / "data", emb, batch)
                print(r, flush=True)
                rows.append(r)
    table(best(rows), "pipeline around the model (hash embedder, best round)")


def dev_sample(per_lang: int, max_bytes: int = 16_000) -> list[Path]:
    """A fixed sample: every style's files in name order, taken round-robin over the styles
    of each language until ``per_lang`` files (empty files and files over ``max_bytes`` left
    out: two 70 kB English minutes would be half of the sample's time)."""
    out: list[Path] = []
    for lang in ("zh", "en"):
        styles = [sorted(p for p in d.glob("*.txt") if 0 < p.stat().st_size <= max_bytes)
                  for d in sorted((DEV / lang).iterdir()) if d.is_dir()]
        picked: list[Path] = []
        i = 0
        while len(picked) < per_lang and any(i < len(s) for s in styles):
            picked += [s[i] for s in styles if i < len(s)][: per_lang - len(picked)]
            i += 1
        out += picked
    return out


def cmd_real(args: argparse.Namespace) -> None:
    from minutes_rag.config import Settings
    from minutes_rag.embed import embedding_text
    from minutes_rag.errors import MinutesRagError
    from minutes_rag.parse import load_minute
    from minutes_rag.split import split_minute
    from minutes_rag.wiring import embedder_from_settings

    files = dev_sample(args.per_lang)
    settings = Settings.load(embedder=args.embedder)
    inner = embedder_from_settings(settings)
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    emb = TimedEmbedder(inner)
    per_minute: list[list[str]] = []
    for p in list(files):
        try:
            minute = load_minute(p, max_bytes=int(settings.max_file_mb * 1024 * 1024))
        except MinutesRagError as exc:  # fomc_2003-04-01.txt holds no text: ingest refuses it too
            print(f"left out: {exc}")
            files.remove(p)
            continue
        per_minute.append([embedding_text(s, minute.meta) for s in split_minute(minute, max_chars=settings.section_max_chars)])
    texts = [t for m in per_minute for t in m]
    inner.embed_documents(texts[:8])  # load and warm the model
    import torch

    print(f"{len(files)} files (of {args.per_lang} zh + {args.per_lang} en), {len(texts)} sections; "
          f"precision {getattr(inner, 'precision', '?')}, torch threads {torch.get_num_threads()}", flush=True)
    raw_rows: list[tuple[str, float]] = []
    rows = []
    for _ in range(args.rounds):
        t = time.perf_counter()
        for m in per_minute:
            inner.embed_documents(m)
        raw_rows.append(("model alone, one call per minute", time.perf_counter() - t))
        t = time.perf_counter()
        inner.embed_documents(texts)
        raw_rows.append(("model alone, one call for all", time.perf_counter() - t))
        for batch in [int(x) for x in args.batches.split(",")]:
            r = ingest_once(files, args.work / "data", emb, batch)
            print(r, flush=True)
            rows.append(r)
    print("\n| model alone | seconds | sections/s |\n|---|---|---|")
    for name in dict.fromkeys(n for n, _ in raw_rows):
        s = min(v for n, v in raw_rows if n == name)
        print(f"| {name} | {s:.1f} | {len(texts) / s:.1f} |")
    table(best(rows), "real-model ingest on the dev sample (best round)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["pipeline", "real"])
    ap.add_argument("--sections", default="1000,10000")
    ap.add_argument("--batches", default="1,1000")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--per-lang", type=int, default=12)
    ap.add_argument("--embedder", default="e5")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    ap.add_argument("--work", type=Path, default=None)
    args = ap.parse_args()
    args.work = args.work or Path(tempfile.mkdtemp(prefix="bench-ingest-batch-"))
    args.work.mkdir(parents=True, exist_ok=True)
    {"pipeline": cmd_pipeline, "real": cmd_real}[args.command](args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

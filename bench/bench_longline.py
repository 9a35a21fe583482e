"""Hostile input: one minute of several MB on a single line against the same text with its
ordinary line breaks. Times each ingest step that reads the text (load: decoding,
normalising, metadata; split; ledger; tokenise for the lexical index) and prints seconds per
MB (CPU seconds of the process, so that a busy machine does not blur them), so that a step
which is not linear in the length of the text shows as a growing figure.

    .venv/bin/python bench/bench_longline.py --sizes 0.25,1,4     # MB

The text is synthetic (``minutes_rag.evaluation.synth``: invented minutes, concatenated).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def corpus_text(work: Path, minutes: int = 60) -> str:
    from minutes_rag.evaluation.synth import write_archive
    from minutes_rag.parse import load_minute

    archive = work / "synth"
    write_archive(archive, minutes, 5)
    return "\n".join(load_minute(p, max_bytes=10**8).text for p in sorted(archive.rglob("*.txt")))


def sized(text: str, mb: float, one_line: bool) -> str:
    size = int(mb * 1024 * 1024)
    body = text * (size // len(text.encode()) + 1)
    if one_line:
        body = body.replace("\n", " ")
    return body.encode()[:size].decode("utf-8", "ignore")


def steps(path: Path) -> dict[str, float]:
    from minutes_rag.ledger.extract import extract_ledger
    from minutes_rag.lexical import tokenize
    from minutes_rag.parse import load_minute
    from minutes_rag.split import split_minute

    t = [time.process_time()]
    minute = load_minute(path, max_bytes=64 * 1024 * 1024)
    t.append(time.process_time())
    sections = split_minute(minute, max_chars=1500)
    t.append(time.process_time())
    extract_ledger(minute, sections)
    t.append(time.process_time())
    for s in sections:
        tokenize(s.title + "\n" + s.text)
    t.append(time.process_time())
    return dict(zip(["load", "split", "ledger", "tokenise"], [b - a for a, b in zip(t, t[1:])]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="0.25,1,4", help="MB, comma-separated")
    ap.add_argument("--shapes", default="lines,one", help="lines, one (one line), or both")
    args = ap.parse_args(argv)
    from minutes_rag.text.words import jieba

    jieba()  # its dictionary's load is not the text's cost
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        text = corpus_text(work)
        head = ["MB", "shape", "load s/MB", "split s/MB", "ledger s/MB", "tokenise s/MB", "total s/MB"]
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for mb in [float(x) for x in args.sizes.split(",")]:
            for one_line in [s == "one" for s in args.shapes.split(",")]:
                path = work / f"{mb}-{int(one_line)}.txt"
                path.write_text(sized(text, mb, one_line), encoding="utf-8")
                times = steps(path)
                per = {k: v / mb for k, v in times.items()}
                print(f"| {mb:g} | {'one line' if one_line else 'lines'} | "
                      + " | ".join(f"{per[k]:.2f}" for k in ("load", "split", "ledger", "tokenise"))
                      + f" | {sum(per.values()):.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

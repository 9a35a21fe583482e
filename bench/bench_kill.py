"""kill -9 during ingest, for the record: N kills spread over the fresh, changed and prune
scenarios, and M runs of asking while another process ingests. Prints a table; exits 1 if
any run lost a vector, left a stray or a half minute, or an ask failed.

    .venv/bin/python bench/bench_kill.py [--kills 102] [--ask-runs 12] [--minutes 24]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))

import kill_harness as harness  # noqa: E402

SCENARIOS = ("fresh", "changed", "prune")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kills", type=int, default=102, help="real kills (mid-run) to make")
    ap.add_argument("--ask-runs", type=int, default=12)
    ap.add_argument("--minutes", type=int, default=24)
    ap.add_argument("--seed", type=int, default=10)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="bench-kill-"))
    refs = {s: harness.reference(work / s, s, args.minutes) for s in SCENARIOS}
    rows = {s: {"runs": 0, "killed": 0, "half": 0, "diverged": 0, "secs": refs[s][0].seconds} for s in SCENARIOS}
    failures: list[str] = []
    started = time.monotonic()
    # --kills counts real kills (an ingest that finished before its kill is not one): run
    # until that many, spread over the scenarios
    i = 0
    while sum(r["killed"] for r in rows.values()) < args.kills and i < 3 * args.kills:
        s = SCENARIOS[i % 3]
        i += 1
        ref, template = refs[s]
        r = harness.kill_once(work / s, s, ref, template, rng)
        row = rows[s]
        row["runs"] += 1
        row["killed"] += r.killed
        row["half"] += bool(r.half_minutes)
        row["diverged"] += bool(r.diverged)
        if r.half_minutes or r.diverged:
            failures.append(f"{s} kill at {r.delay:.2f}s: half={r.half_minutes} {r.diverged}")
        print(f"  {i} {s} delay={r.delay:.2f}s killed={r.killed} ok={not (r.half_minutes or r.diverged)}",
              file=sys.stderr, flush=True)
    ask_rows = []
    for i in range(args.ask_runs):
        s = SCENARIOS[i % 3]
        ref, template = refs[s]
        a = harness.ask_during_ingest(work / s, s, ref, template)
        ask_rows.append((s, a))
        if a.errors or a.diverged or not a.sees_new:
            failures.append(f"ask-during-ingest {s}: errors={a.errors[:3]} diverged={a.diverged} sees_new={a.sees_new}")
    print(f"kill -9 during ingest ({args.minutes} minutes per archive, hash embedder), "
          f"{time.monotonic() - started:.0f} s in all")
    print()
    print("| scenario | runs | killed mid-run | half minutes | diverged from sequential | clean run (s) |")
    print("|---|---|---|---|---|---|")
    for s in SCENARIOS:
        r = rows[s]
        print(f"| {s} | {r['runs']} | {r['killed']} | {r['half']} | {r['diverged']} | {r['secs']:.1f} |")
    total = sum(r["killed"] for r in rows.values())
    print(f"| all | {sum(r['runs'] for r in rows.values())} | {total} | "
          f"{sum(r['half'] for r in rows.values())} | {sum(r['diverged'] for r in rows.values())} | |")
    print()
    print("| ask during ingest | asks | failed asks | lexical-only (writer busy) | sees new minutes | diverged |")
    print("|---|---|---|---|---|---|")
    for s, a in ask_rows:
        print(f"| {s} | {a.asks} | {len(a.errors)} | {a.busy_answers} | {a.sees_new} | {bool(a.diverged)} |")
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

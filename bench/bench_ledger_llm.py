"""The ledger's optional LLM pass (issue 16, item 7) measured on the by-reference dev labels:
recall gained and precision kept against the rules alone.

The sample is fixed by a rule, not by looking at the text: every section of the labelled
minutes (``eval/ledger_dev_zh_styles.jsonl``, ``eval/ledger_dev_en_styles.jsonl``, dev and
unseen) that the pass would send to the model (``ledger.llm_pass``: an item or paragraph of
at least ``MIN_ITEM_CHARS`` where the rules found nothing) and that is at most ``--max-chars``
long (the model reads a few hundred tokens a minute on two shared cores); per language the
candidates, sorted by (file, start), are shuffled with ``random.Random(--seed)`` and the first
``--with-labels`` that hold the start of a labelled entry and the first ``--without-labels``
that hold none are taken (the first kind shows recall, the second what the model invents).

    # serve the evaluation model (../shared/tools/fetch_eval_llm.sh), then
    .venv/bin/python bench/bench_ledger_llm.py --base-url http://127.0.0.1:8080/v1 --replies /tmp/replies.json

Replies are cached in ``--replies`` by the section's text (a rerun only asks what is new, and
a later change of the rules is scored on the same replies). What is scored is exactly what
ingest keeps: ``llm_entries`` over the rules' entries, with the cached reply as the model.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SETS = {"zh": REPO / "eval" / "ledger_dev_zh_styles.jsonl", "en": REPO / "eval" / "ledger_dev_en_styles.jsonl"}


def _key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class Replay:
    """A chat model that answers from the cache, asking ``live`` (if any) what is not there."""

    def __init__(self, cache: dict[str, Any], live: Any = None, path: Path | None = None) -> None:
        self.cache, self.live, self.path = cache, live, path

    def invoke(self, prompt: str) -> str:
        from minutes_rag.ledger.llm_pass import _reply_text

        k = _key(prompt)
        if k not in self.cache:
            if self.live is None:
                return "[]"
            t0 = time.perf_counter()
            reply = _reply_text(self.live.invoke(prompt))
            self.cache[k] = {"reply": reply, "seconds": round(time.perf_counter() - t0, 1), "prompt_chars": len(prompt)}
            if self.path:
                self.path.write_text(json.dumps(self.cache, ensure_ascii=False, indent=1), encoding="utf-8")
            print(f"  model: {self.cache[k]['seconds']} s, {len(prompt)} prompt chars", file=sys.stderr, flush=True)
        return str(self.cache[k]["reply"])


def _candidates(lang: str, corpus: Path, max_chars: int) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
    from minutes_rag.evaluation.direct import read_file
    from minutes_rag.evaluation.ledger import load_ledger_sets, place_labels
    from minutes_rag.ledger.llm_pass import MIN_ITEM_CHARS

    out = []
    minutes: dict[str, Any] = {}
    for lm in load_ledger_sets([SETS[lang]], corpus):
        r = read_file(corpus / lm.file)
        placed = place_labels(lm, r.minute.text)
        minutes[lm.file] = (placed, r)
        starts = [lb.at[0] for lb in placed.entries if lb.at]
        for sec in r.sections:
            if sec.kind not in ("item", "paragraph") or not MIN_ITEM_CHARS <= len(sec.text) <= max_chars:
                continue
            if any(sec.start <= e.start < sec.end for e in r.entries) or any(e.section_id == sec.section_id for e in r.entries):
                continue
            labelled = any(sec.start <= s < sec.end for s in starts)
            out.append((lm.file, sec.start, sec.section_id, labelled))
    return sorted(out), minutes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base-url", default="", help="OpenAI-compatible server of the evaluation model; empty: cache only")
    ap.add_argument("--replies", type=Path, required=True, help="JSON cache of the model's replies")
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--max-chars", type=int, default=1200)
    ap.add_argument("--with-labels", type=int, default=5)
    ap.add_argument("--without-labels", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds one model call may take")
    ap.add_argument("--max-tokens", type=int, default=600)
    ap.add_argument("--list", action="store_true", help="print the sample and stop")
    args = ap.parse_args()

    from minutes_rag.evaluation.ledger import format_summary, score_minute, summarize
    from minutes_rag.ledger.llm_pass import llm_entries

    cache = json.loads(args.replies.read_text(encoding="utf-8")) if args.replies.exists() else {}
    live = None
    if args.base_url and not args.list:
        from minutes_rag.config import Settings
        from minutes_rag.wiring import chat_model_from_settings

        live = chat_model_from_settings(Settings.load(env={}, llm_base_url=args.base_url, llm_model="eval",
                                                      llm_timeout=args.timeout, llm_max_tokens=args.max_tokens))
    model = Replay(cache, live, args.replies)
    # the sample is drawn once and kept beside the replies: a later change of the rules is
    # scored on the same sections (the pass then skips those the rules now cover)
    kept = args.replies.with_suffix(".sample.json")
    drawn = json.loads(kept.read_text(encoding="utf-8")) if kept.exists() else {}
    for lang in ("zh", "en"):
        cands, minutes = _candidates(lang, args.corpus, args.max_chars)
        random.Random(args.seed).shuffle(cands)
        sample = ([c for c in cands if c[3]][: args.with_labels] + [c for c in cands if not c[3]][: args.without_labels])
        if lang in drawn:
            sample = [tuple(c) for c in drawn[lang]]
        elif not args.list:
            drawn[lang] = sample
            kept.write_text(json.dumps(drawn, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"## {lang}: {len(cands)} candidate sections, sample {len(sample)}")
        for c in sample:
            print(f"- {c[0]} @{c[1]} {'labelled' if c[3] else 'no label'}")
        if args.list:
            continue
        rules, both, inside = [], [], []
        for file in sorted({c[0] for c in sample}):
            placed, r = minutes[file]
            ids = {c[2] for c in sample if c[0] == file}
            secs = [s for s in r.sections if s.section_id in ids]
            added = llm_entries(r.minute, secs, r.entries, model)
            text, lang_of = r.minute.text, placed.lang or r.minute.meta.lang
            rules.append(score_minute(placed, r.entries, text, lang_of))
            both.append(score_minute(placed, [*r.entries, *added], text, lang_of))
            bounds = [(s.start, s.end) for s in secs]
            in_secs = type(placed)(**{**placed.__dict__, "entries": tuple(
                lb for lb in placed.entries if lb.at and any(a <= lb.at[0] < b for a, b in bounds))})
            inside.append(score_minute(in_secs, added, text, lang_of))
            for e in added:
                print(f"  + {e.kind} lead={list(e.lead)} @{e.start}-{e.end} ({file})")
        print(f"\n### {lang}: the sampled minutes, rules only\n")
        print(format_summary(summarize(rules)))
        print(f"\n### {lang}: the sampled minutes, rules + LLM pass on the sampled sections\n")
        print(format_summary(summarize(both)))
        print(f"\n### {lang}: inside the sampled sections (labels there, the pass's entries)\n")
        print(format_summary(summarize(inside)))
    secs = [v["seconds"] for v in cache.values()]
    if secs:
        print(f"\nmodel calls {len(secs)}, {sum(secs):.0f} s in all, median {sorted(secs)[len(secs) // 2]} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

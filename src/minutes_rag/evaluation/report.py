"""Evaluation reports: a terminal table, the ``eval --json`` object, Markdown, a PNG chart."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from minutes_rag.evaluation.metrics import METRIC_NAMES
from minutes_rag.evaluation.runner import RunResult

LATENCY_NAMES = ("latency_p50_ms", "latency_p95_ms")
EXTRA_NAMES = ("unanswerable_refused", "answerable_answered")


def report_json(ours: RunResult, baseline: RunResult | None = None, info: dict[str, Any] | None = None) -> dict[str, Any]:
    """The ``eval --json`` contract: {"metrics", "baseline", "per_question", ...}.
    ``baseline`` is null when the baseline did not run."""
    return {
        "metrics": ours.metrics,
        "baseline": baseline.metrics if baseline else None,
        "per_question": [o.to_dict() for o in ours.outcomes],
        "baseline_per_question": [o.to_dict() for o in baseline.outcomes] if baseline else [],
        "config": {**(info or {}), "ours": ours.config, "baseline": baseline.config if baseline else None},
    }


def _fmt(v: Any, latency: bool = False) -> str:
    if v is None:
        return "n/a"
    return f"{v:.0f} ms" if latency else f"{v:.3f}"


def format_table(ours: RunResult, baseline: RunResult | None = None) -> str:
    """A plain-text table: one row per metric, a column per system."""
    names = [*METRIC_NAMES, *EXTRA_NAMES, *LATENCY_NAMES]
    head = ["metric", ours.name] + ([baseline.name] if baseline else [])
    rows = [head]
    for n in names:
        lat = n in LATENCY_NAMES
        row = [n, _fmt(ours.metrics.get(n), lat)]
        if baseline:
            row.append(_fmt(baseline.metrics.get(n), lat))
        rows.append(row)
    m = ours.metrics
    footer = f"{m['questions']} questions ({m['answerable']} answerable, {m['unanswerable']} unanswerable)"
    if m.get("errors"):
        footer += f", {m['errors']} failed with errors"
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines + [footer])


def format_markdown(ours: RunResult, baseline: RunResult | None = None, info: dict[str, Any] | None = None,
                    chart: str | None = None) -> str:
    info = info or {}
    out = ["# Evaluation report", ""]
    out.append(f"Generated {time.strftime('%Y-%m-%d %H:%M:%S')}.")
    for key, value in info.items():
        out.append(f"- {key}: {value}")
    out += ["", "| metric | " + ours.name + (" | " + baseline.name if baseline else "") + " |",
            "|---|---:" + ("|---:" if baseline else "") + "|"]
    for n in (*METRIC_NAMES, *EXTRA_NAMES, *LATENCY_NAMES):
        lat = n in LATENCY_NAMES
        cells = [_fmt(ours.metrics.get(n), lat)] + ([_fmt(baseline.metrics.get(n), lat)] if baseline else [])
        out.append(f"| {n} | " + " | ".join(cells) + " |")
    m = ours.metrics
    out += ["", f"{m['questions']} questions: {m['answerable']} answerable, {m['unanswerable']} unanswerable; "
            f"{m['citations']} citations, {m['relevant_citations']} relevant."]
    if chart:
        out += ["", f"![metrics]({chart})"]
    out += ["", "Definitions: docs/evaluation.md.", "", "## Questions", "",
            "| id | answerable | best rank | citations (relevant) | answer | refusal | ms |", "|---|---|---:|---|---|---|---:|"]
    for o in ours.outcomes:
        best = str(min(o.ranks)) if o.ranks else "-"
        cit = f"{len(o.citations_relevant)} ({sum(o.citations_relevant)})"
        out.append(f"| {o.id} | {'yes' if o.answerable else 'no'} | {best} | {cit} | "
                   f"{'ok' if o.answer_ok else 'WRONG'} | {'ok' if o.refusal_ok else 'WRONG'} | {o.latency_ms:.0f} |")
    wrong = [o for o in ours.outcomes if not o.answer_ok]
    if wrong:
        out += ["", "## Wrong answers", ""]
        for o in wrong:
            text = " ".join(o.answer.split())[:200]
            out.append(f"- **{o.id}** {o.question} → {text or '(no answer)'}" + (f" — error: {o.error}" if o.error else ""))
    return "\n".join(out) + "\n"


def write_chart(path: Path, ours: RunResult, baseline: RunResult | None = None) -> Path:
    """Grouped bars of the rate metrics (0..1), ours against the baseline."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display; must precede pyplot
        import matplotlib.pyplot as plt
    except ImportError as exc:
        from minutes_rag.evaluation import missing_extra

        raise missing_extra(exc) from exc

    names = list(METRIC_NAMES)
    systems = [ours] + ([baseline] if baseline else [])
    width = 0.8 / len(systems)
    fig, ax = plt.subplots(figsize=(10, 4.5), dpi=100)
    for i, run in enumerate(systems):
        values = [run.metrics.get(n) or 0.0 for n in names]
        xs = [j + (i - (len(systems) - 1) / 2) * width for j in range(len(names))]
        bars = ax.bar(xs, values, width, label=run.name)
        for x, v, n in zip(xs, values, names):
            ax.text(x, v + 0.01, "n/a" if run.metrics.get(n) is None else f"{v:.2f}", ha="center", va="bottom", fontsize=8)
        del bars
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=20)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("score")
    ax.set_title(f"minutes-rag evaluation ({ours.metrics['questions']} questions)")
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def write_reports(out_dir: str | Path, ours: RunResult, baseline: RunResult | None = None,
                  info: dict[str, Any] | None = None, stem: str = "report") -> dict[str, Path]:
    """Write ``<stem>.md``, ``<stem>.json`` and ``<stem>.png`` under ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    png = write_chart(out / f"{stem}.png", ours, baseline)
    md = out / f"{stem}.md"
    md.write_text(format_markdown(ours, baseline, info, chart=png.name), encoding="utf-8")
    js = out / f"{stem}.json"
    js.write_text(json.dumps(report_json(ours, baseline, info), ensure_ascii=False, indent=1), encoding="utf-8")
    return {"markdown": md, "json": js, "chart": png}

"""Ledger question sets and their metrics (eval/README.md, "Ledger sets").

A ledger set is JSONL, one minute a line, holding every entry a careful reader finds in it:

    {"id": "sz-2020-21", "ledger": true, "minute": "〔2020〕21号",
     "entries": [{"kind": "assignment", "lead": "市住建局", "partners": [], "task": "作进一步修改完善后按程序发文实施",
                  "deadline": "", "label": "四（一）"}, ...]}

``minute`` is a document number, a minute id or a source file name. Label fields are
verbatim strings from the minute: kind (decision|assignment|report), lead, partners, task,
outcome, subject, deadline, vote, label (the section), generic (the addressee is generic:
各地各部门各单位, 各有关部门 ...; default false).

An extracted entry matches a label when it is of the same minute and kind, the labelled
lead is among the entry's leads, and the labelled task and outcome (when given) lie inside
the entry's quote (whitespace removed from both; English case-insensitive), and so does the
labelled subject (or it lies inside the entry's subject). Labels and
entries are paired one to one (maximum bipartite matching, each label trying the entries that
agree with it most first). Precision = matched entries /
entries, recall = matched labels / labels, by kind and for named units only. Deadline
accuracy: of the matched pairs where either side has a deadline, the share where both are
equal. Verbatim share: entries whose quote is exactly ``minute.text[start:end]``.

Labels by reference (third-party minutes whose sentences a set may not copy): the record
names ``"file"`` (a path under the corpus root) and ``"style"``, and each entry gives
``span`` (the clause that states it), and optionally ``subject_span`` / ``deadline_span``, as
character offsets into that file's raw text (evaluation/anchors.py maps them onto the
ingested minute). Such a label matches an entry of the same kind and lead whose quote
overlaps the span by at least half of the shorter of the two. Scores are also reported per
style (and per ``split``: "dev" or a set kept unseen while rules were written).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from minutes_rag.errors import MinutesRagError
from minutes_rag.evaluation.anchors import Aligner, LabelFileError, check_span, corpus_file
from minutes_rag.evaluation.questions import jsonl_records
from minutes_rag.ledger.model import KINDS, LedgerEntry, LedgerFilter

log = logging.getLogger(__name__)


class LedgerSetError(MinutesRagError):
    """A ledger set cannot be read: the message names the file and line."""


_STR_FIELDS = ("lead", "task", "outcome", "subject", "deadline", "vote", "label", "notes")


@dataclass(frozen=True)
class LedgerLabel:
    kind: str
    lead: str = ""
    partners: tuple[str, ...] = ()
    task: str = ""
    outcome: str = ""
    subject: str = ""
    deadline: str = ""
    vote: str = ""
    label: str = ""
    generic: bool = False
    notes: str = ""
    span: tuple[int, int] | None = None  # by reference: offsets into the raw corpus file
    at: tuple[int, int] | None = None  # ``span`` mapped onto the minute's text (None: not placed)


@dataclass(frozen=True)
class LedgerMinute:
    id: str
    minute: str  # document number, minute id or source file name
    entries: tuple[LedgerLabel, ...]
    lang: str = ""
    source: str = ""  # file:line
    file: str = ""  # by reference: the labelled file under the corpus root
    style: str = ""
    split: str = "dev"
    raw: str = ""  # that file's text

    @property
    def group(self) -> str:
        """The per-style row this minute counts in ("" for sets without a style)."""
        if not self.style:
            return ""
        return self.style if self.split == "dev" else f"{self.style} [{self.split}]"


def is_ledger_set(path: str | Path) -> bool:
    """True when the file's first record is a ledger record (``"ledger": true``)."""
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if not line or line.startswith("//"):
                    continue
                try:
                    return bool(json.loads(line).get("ledger"))
                except (json.JSONDecodeError, AttributeError):
                    return False
    except OSError:
        return False
    return False


def split_sets(paths: Sequence[str | Path], *, force_ledger: bool = False) -> tuple[list[str], list[str]]:
    """(ledger sets, question sets) among ``paths``."""
    ledger: list[str] = []
    questions: list[str] = []
    for p in paths:
        (ledger if force_ledger or is_ledger_set(p) else questions).append(str(p))
    return ledger, questions


_SPAN_FIELDS = ("span", "subject_span", "deadline_span", "task_span")


def _label(d: Any, where: str, raw: str | None = None) -> LedgerLabel:
    """One entry; with ``raw`` (a by-reference record) spans are read and checked against it."""
    if not isinstance(d, dict):
        raise LedgerSetError(f"{where}: an entry must be an object")
    kind = d.get("kind")
    if kind not in KINDS:
        raise LedgerSetError(f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if raw is not None:
        return _label_by_reference(d, kind, where, raw)
    unknown = set(d) - {"kind", "partners", "generic", *_STR_FIELDS}
    if unknown:
        raise LedgerSetError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    for f in _STR_FIELDS:
        if not isinstance(d.get(f, ""), str):
            raise LedgerSetError(f"{where}: {f} must be a string")
    partners = d.get("partners", [])
    if not isinstance(partners, list) or not all(isinstance(p, str) for p in partners):
        raise LedgerSetError(f"{where}: partners must be a list of strings")
    if not isinstance(d.get("generic", False), bool):
        raise LedgerSetError(f"{where}: generic must be true or false")
    if kind == "assignment" and not d.get("lead"):
        raise LedgerSetError(f"{where}: an assignment needs its lead unit")
    if kind == "decision" and not (d.get("outcome") or d.get("subject")):
        raise LedgerSetError(f"{where}: a decision needs its outcome or subject")
    return LedgerLabel(kind=kind, partners=tuple(partners), generic=bool(d.get("generic", False)),
                       **{f: d.get(f, "") for f in _STR_FIELDS})


def _label_by_reference(d: dict, kind: str, where: str, raw: str) -> LedgerLabel:
    unknown = set(d) - {"kind", "partners", "generic", "lead", "outcome", "vote", "label", "notes", *_SPAN_FIELDS}
    if unknown:
        raise LedgerSetError(f"{where}: unknown field(s) {', '.join(sorted(unknown))} (a by-reference entry "
                             "gives span, subject_span, deadline_span, task_span as [start, end])")
    for f in ("lead", "outcome", "vote", "label", "notes"):
        if not isinstance(d.get(f, ""), str):
            raise LedgerSetError(f"{where}: {f} must be a string")
    partners = d.get("partners", [])
    if not isinstance(partners, list) or not all(isinstance(p, str) for p in partners):
        raise LedgerSetError(f"{where}: partners must be a list of strings")
    if kind == "assignment" and not d.get("lead"):
        raise LedgerSetError(f"{where}: an assignment needs its lead unit")
    try:
        spans = {f: check_span(raw, d[f], where, f) for f in _SPAN_FIELDS if f in d}
    except LabelFileError as exc:
        raise LedgerSetError(str(exc)) from None
    if "span" not in spans:
        raise LedgerSetError(f"{where}: a by-reference entry needs span [start, end]")

    def text(f: str) -> str:
        return raw[spans[f][0] : spans[f][1]] if f in spans else ""

    return LedgerLabel(kind=kind, lead=d.get("lead", ""), partners=tuple(partners), task=text("task_span"),
                       outcome=d.get("outcome", ""), subject=text("subject_span"), deadline=text("deadline_span"),
                       vote=d.get("vote", ""), label=d.get("label", ""), generic=bool(d.get("generic", False)),
                       notes=d.get("notes", ""), span=spans["span"])


def load_ledger_sets(paths: Iterable[str | Path], corpus_root: str | Path | None = None) -> list[LedgerMinute]:
    """Read ledger sets; records that name a ``file`` are read against ``corpus_root``."""
    out: list[LedgerMinute] = []
    seen: set[str] = set()
    for path in paths:
        for where, d in jsonl_records(path, LedgerSetError):
            if not isinstance(d, dict) or not d.get("ledger"):
                raise LedgerSetError(f'{where}: a ledger record needs "ledger": true')
            for f in ("id", "minute"):
                if not isinstance(d.get(f), str) or not d[f]:
                    raise LedgerSetError(f"{where}: {f} must be a non-empty string")
            if d["id"] in seen:
                raise LedgerSetError(f"{where}: duplicate id {d['id']!r}")
            seen.add(d["id"])
            if not isinstance(d.get("entries"), list):
                raise LedgerSetError(f"{where}: entries must be a list")
            raw = None
            if "file" in d:
                if not isinstance(d["file"], str) or not d["file"] or not isinstance(d.get("style"), str):
                    raise LedgerSetError(f"{where}: file and style must be strings")
                if corpus_root is None:
                    raise LedgerSetError(f"{where}: a by-reference record needs the corpus root (--corpus)")
                try:
                    raw = corpus_file(corpus_root, d["file"], where)
                except LabelFileError as exc:
                    raise LedgerSetError(str(exc)) from None
            labels = tuple(_label(e, f"{where}: entry {i + 1}", raw) for i, e in enumerate(d["entries"]))
            out.append(LedgerMinute(d["id"], d["minute"], labels, str(d.get("lang", "")), where,
                                    file=str(d.get("file", "")), style=str(d.get("style", "")),
                                    split=str(d.get("split", "dev")), raw=raw or ""))
    return out


def place_labels(item: LedgerMinute, minute_text: str) -> LedgerMinute:
    """A by-reference minute's labels with their spans mapped onto the ingested text."""
    if not item.raw:
        return item
    align = Aligner(item.raw, minute_text)
    labels = tuple(replace(lb, at=align.span(*lb.span)) if lb.span else lb for lb in item.entries)
    return replace(item, entries=labels)


# --------------------------------------------------------------------------- matching


def norm(s: str) -> str:
    """Whitespace removed, English lowercased, brackets of titles dropped."""
    return re.sub(r"[\s《》]+", "", s).lower()


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """The two spans share at least half of the shorter one."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and 2 * shared >= min(a[1] - a[0], b[1] - b[0])


def matches(label: LedgerLabel, entry: LedgerEntry) -> bool:
    if label.kind != entry.kind:
        return False
    if label.lead and norm(label.lead) not in {norm(x) for x in entry.lead}:
        return False
    if label.span is not None:  # by reference: where the entry stands is the test
        return label.at is not None and overlaps(label.at, (entry.start, entry.end))
    quote = norm(entry.quote)
    if label.task and norm(label.task) not in quote:
        return False
    if label.outcome and norm(label.outcome) not in quote:
        return False
    # the matter tells two decisions of one minute apart (both 原则同意)
    return not (label.subject and norm(label.subject) not in quote and norm(label.subject) not in norm(entry.subject))


def _agreement(label: LedgerLabel, entry: LedgerEntry) -> int:
    score = 2 * (norm(label.deadline) == norm(entry.deadline))
    score += bool(label.partners) and {norm(p) for p in label.partners} <= {norm(p) for p in entry.partners}
    score += bool(label.label) and norm(label.label) == norm(entry.label)
    return int(score)


def match(labels: Sequence[LedgerLabel], entries: Sequence[LedgerEntry]) -> list[tuple[int, int]]:
    """A maximum one-to-one matching of labels to entries: [(label index, entry index)]."""
    # each label tries the entries that agree with it most first (same deadline, partners,
    # section), so two look-alike tasks of one minute are not paired crosswise
    options: list[list[int]] = []
    for lb in labels:
        fits = [j for j, e in enumerate(entries) if matches(lb, e)]
        options.append(sorted(fits, key=lambda j, lb=lb: -_agreement(lb, entries[j])))  # type: ignore[misc]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in options[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(labels)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


# --------------------------------------------------------------------------- metrics


@dataclass
class Tally:
    labels: int = 0
    entries: int = 0
    matched_labels: int = 0
    matched_entries: int = 0

    @property
    def precision(self) -> float | None:
        return self.matched_entries / self.entries if self.entries else None

    @property
    def recall(self) -> float | None:
        return self.matched_labels / self.labels if self.labels else None

    def add(self, other: Tally) -> None:
        self.labels += other.labels
        self.entries += other.entries
        self.matched_labels += other.matched_labels
        self.matched_entries += other.matched_entries


@dataclass
class MinuteScore:
    id: str
    lang: str
    group: str = ""  # the style row (by-reference sets)
    tallies: dict[str, Tally] = field(default_factory=dict)  # group -> tally
    deadline_pairs: int = 0
    deadline_right: int = 0
    subject_pairs: int = 0
    subject_right: int = 0
    quotes: int = 0
    verbatim: int = 0
    missed: list[dict[str, Any]] = field(default_factory=list)
    spurious: list[dict[str, Any]] = field(default_factory=list)


def groups_of(kind: str, lang: str, generic: bool) -> list[str]:
    """The table rows an entry or label counts in: "assignment", "assignment (named)",
    "decision (en)" ..."""
    out = [kind, f"{kind} ({lang})"]
    if kind in ("assignment", "report") and not generic:
        out.append(f"{kind} (named)")
    return out


def score_minute(
    item: LedgerMinute, entries: Sequence[LedgerEntry], minute_text: str, lang: str
) -> MinuteScore:
    """Pure: labels vs extracted entries of one minute."""
    pairs = match(item.entries, entries)
    matched_l = {i for i, _ in pairs}
    matched_e = {j for _, j in pairs}
    sc = MinuteScore(item.id, lang, item.group)
    for i, lb in enumerate(item.entries):
        for g in groups_of(lb.kind, lang, lb.generic):
            t = sc.tallies.setdefault(g, Tally())
            t.labels += 1
            t.matched_labels += i in matched_l
        if i not in matched_l:
            sc.missed.append({"kind": lb.kind, "lead": lb.lead, "task": lb.task, "outcome": lb.outcome,
                              "subject": lb.subject, "label": lb.label,
                              **({"span": list(lb.span), "placed": lb.at is not None} if lb.span else {})})
    for j, e in enumerate(entries):
        for g in groups_of(e.kind, lang, e.generic):
            t = sc.tallies.setdefault(g, Tally())
            t.entries += 1
            t.matched_entries += j in matched_e
        if j not in matched_e:
            sc.spurious.append({"kind": e.kind, "lead": list(e.lead), "label": e.label, "quote": e.quote[:120]})
        sc.quotes += 1
        sc.verbatim += minute_text[e.start : e.end] == e.quote
    for i, j in pairs:
        lb, e = item.entries[i], entries[j]
        if lb.deadline or e.deadline:
            sc.deadline_pairs += 1
            sc.deadline_right += norm(lb.deadline) == norm(e.deadline)
        if lb.subject:
            sc.subject_pairs += 1
            a, b = norm(lb.subject), norm(e.subject)
            sc.subject_right += bool(b) and (a in b or b in a)
    return sc


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def summarize(scores: Sequence[MinuteScore]) -> dict[str, Any]:
    """Totals over minutes: per group P/R and counts, deadline and subject accuracy, verbatim share."""
    total: dict[str, Tally] = {}
    for sc in scores:
        for g, t in sc.tallies.items():
            total.setdefault(g, Tally()).add(t)
    order = [f"{k}{s}" for k in KINDS for s in ("", " (named)", " (zh)", " (en)")]
    groups = {}
    for g in sorted(total, key=lambda g: order.index(g) if g in order else len(order)):
        t = total[g]
        groups[g] = {"labels": t.labels, "entries": t.entries, "matched": t.matched_labels,
                     "precision": t.precision, "recall": t.recall}
    dp = sum(s.deadline_pairs for s in scores)
    sp = sum(s.subject_pairs for s in scores)
    q = sum(s.quotes for s in scores)
    return {
        "groups": groups,
        "deadline_accuracy": _ratio(sum(s.deadline_right for s in scores), dp),
        "deadline_pairs": dp,
        "subject_accuracy": _ratio(sum(s.subject_right for s in scores), sp),
        "verbatim_quotes": _ratio(sum(s.verbatim for s in scores), q),
        "quotes": q,
        "minutes": len(scores),
    }


def summarize_by_style(scores: Sequence[MinuteScore]) -> dict[str, Any]:
    """One summary per style (by-reference sets), plus the mean and worst dev style of the
    recall and precision of each row the dev styles share."""
    groups: dict[str, list[MinuteScore]] = {}
    for sc in scores:
        if sc.group:
            groups.setdefault(sc.group, []).append(sc)
    by_style = {g: summarize(v) for g, v in sorted(groups.items())}
    out: dict[str, Any] = {"by_style": by_style}
    dev = {g: v for g, v in by_style.items() if "[" not in g}
    rows = sorted({r for v in dev.values() for r in v["groups"]})
    for row in rows:
        for metric in ("precision", "recall"):
            vals = {g: v["groups"][row][metric] for g, v in dev.items()
                    if row in v["groups"] and v["groups"][row][metric] is not None}
            if vals:
                worst = min(vals, key=lambda g: vals[g])
                out.setdefault("mean", {}).setdefault(row, {})[metric] = sum(vals.values()) / len(vals)
                out.setdefault("worst", {}).setdefault(row, {})[metric] = {"style": worst, "value": vals[worst]}
    return out


def format_by_style(data: dict[str, Any], rows: Sequence[str] = ("decision", "assignment (named)", "report (named)",
                                                                  "assignment")) -> str:
    """A compact table: one line per style, P/R of the main rows."""
    def f(x: float | None) -> str:
        return "-" if x is None else f"{x:.2f}"

    head = "| style | minutes | " + " | ".join(f"{r} P / R" for r in rows) + " | verbatim |"
    lines = [head, "|---|---:|" + "---:|" * (len(rows) + 1)]
    for g, v in data["by_style"].items():
        cells = []
        for r in rows:
            x = v["groups"].get(r)
            cells.append("-" if x is None else f"{f(x['precision'])} / {f(x['recall'])} ({x['labels']})")
        lines.append(f"| {g} | {v['minutes']} | " + " | ".join(cells) + f" | {f(v['verbatim_quotes'])} |")
    if data.get("mean"):
        cells = []
        for r in rows:
            m = data["mean"].get(r, {})
            w = data["worst"].get(r, {})
            cells.append(f"{f(m.get('precision'))} / {f(m.get('recall'))}; worst R "
                         f"{f(w['recall']['value']) if 'recall' in w else '-'}")
        lines.append("| mean of dev styles | | " + " | ".join(cells) + " | |")
    return "\n".join(lines)


def format_summary(summary: dict[str, Any]) -> str:
    def f(x: float | None) -> str:
        return "-" if x is None else f"{x:.3f}"

    lines = ["| group | labels | entries | matched | precision | recall |", "|---|---:|---:|---:|---:|---:|"]
    for g, r in summary["groups"].items():
        lines.append(f"| {g} | {r['labels']} | {r['entries']} | {r['matched']} | {f(r['precision'])} | {f(r['recall'])} |")
    lines.append("")
    lines.append(f"deadline accuracy {f(summary['deadline_accuracy'])} ({summary['deadline_pairs']} pairs), "
                 f"subject accuracy {f(summary['subject_accuracy'])}, verbatim quotes {f(summary['verbatim_quotes'])} "
                 f"({summary['quotes']} entries, {summary['minutes']} minutes)")
    return "\n".join(lines)


# --------------------------------------------------------------------------- running


def run_ledger_eval(
    items: Sequence[LedgerMinute],
    actions: Callable[[LedgerFilter], list[LedgerEntry]],
    resolve: Callable[[str], str],
    minute_text: Callable[[str], str],
    minute_lang: Callable[[str], str],
) -> tuple[dict[str, Any], list[MinuteScore]]:
    """Score the sets against an archive (normally an Assistant's ``actions`` and index)."""
    scores = []
    for item in items:
        mid = resolve(item.file or item.minute)
        entries = actions(LedgerFilter(minute=mid))
        lang = item.lang or minute_lang(mid)
        text = minute_text(mid)
        scores.append(score_minute(place_labels(item, text), entries, text, lang))
    summary = summarize(scores)
    if any(sc.group for sc in scores):
        summary["styles"] = summarize_by_style(scores)
    return summary, scores

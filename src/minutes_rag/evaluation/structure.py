"""Structure sets: are a minute's agenda items sections of their own, labelled as printed,
and is its metadata read right? (eval/README.md, "Structure sets").

JSONL, one minute a line, labelled by reference (evaluation/anchors.py):

    {"id": "struct-zh-sc-1", "structure": true, "file": "dev/zh/state_council_readout/x.txt",
     "style": "zh/state_council_readout", "lang": "zh", "split": "dev",
     "meta": {"body": "国务院", "date": "2023-03-17", "title_span": [0, 14]},
     "items": [{"label": "", "start": 52}, {"label": "一", "start": 310}]}

An item is found when a section of kind "item" (its first part) starts within
``START_TOLERANCE`` characters of the labelled start, mapped onto the minute's text, and,
for a non-empty label, the section's own label equals it modulo whitespace and punctuation
("Ord. No. 11-10" == "Ord No 11-10", "一、" == "一"). Sections and labels are paired one to
one, nearest first. Recall = found / labelled items; precision = item sections paired with a
label / item sections. Metadata: the share of labelled fields read equal (same comparison;
``title_span`` is compared with the title read).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minutes_rag.errors import MinutesRagError
from minutes_rag.evaluation.anchors import Aligner, LabelFileError, check_span, corpus_file
from minutes_rag.evaluation.questions import jsonl_records
from minutes_rag.model import MinuteMeta, Section

# how far a section may start from the labelled start and still be that item: a heading's
# marker, a blank line or a 会议/The Council lead-in before the first word a labeller picks
START_TOLERANCE = 40
META_FIELDS = ("body", "title", "date", "doc_number", "chair")
DEV_SPLIT = "dev"


class StructureSetError(MinutesRagError):
    """A structure set cannot be read: the message names the file and line."""


@dataclass(frozen=True)
class ItemLabel:
    label: str
    start: int  # offset into the raw corpus file


@dataclass(frozen=True)
class StructureMinute:
    id: str
    file: str  # path under the corpus root
    style: str
    raw: str  # the labelled file's text
    items: tuple[ItemLabel, ...]
    meta: dict[str, str] = field(default_factory=dict)  # field -> expected value (title_span resolved)
    lang: str = ""
    split: str = DEV_SPLIT
    source: str = ""  # file:line

    @property
    def group(self) -> str:
        """The table row: the style, with the split when it is not the dev one."""
        return self.style if self.split == DEV_SPLIT else f"{self.style} [{self.split}]"


def is_structure_record(d: Any) -> bool:
    return isinstance(d, dict) and bool(d.get("structure"))


def is_structure_set(path: str | Path) -> bool:
    """True when the file's first record is a structure record (``"structure": true``)."""
    try:
        for _where, d in jsonl_records(path, StructureSetError):
            return is_structure_record(d)
    except StructureSetError:
        return False
    return False


def _meta(d: Any, raw: str, where: str) -> dict[str, str]:
    if d is None:
        return {}
    if not isinstance(d, dict):
        raise StructureSetError(f"{where}: meta must be an object")
    out: dict[str, str] = {}
    for k, v in d.items():
        if k == "title_span":
            s, e = check_span(raw, v, where, "meta.title_span")
            out["title"] = raw[s:e]
        elif k in META_FIELDS and isinstance(v, str):
            out[k] = v
        else:
            raise StructureSetError(f"{where}: meta.{k} is not one of {', '.join(META_FIELDS)}, title_span (strings)")
    return out


def load_structure_sets(paths: Iterable[str | Path], corpus_root: str | Path) -> list[StructureMinute]:
    out: list[StructureMinute] = []
    seen: set[str] = set()
    for path in paths:
        for where, d in jsonl_records(path, StructureSetError):
            if not is_structure_record(d):
                raise StructureSetError(f'{where}: a structure record needs "structure": true')
            for f in ("id", "file", "style"):
                if not isinstance(d.get(f), str) or not d[f]:
                    raise StructureSetError(f"{where}: {f} must be a non-empty string")
            if d["id"] in seen:
                raise StructureSetError(f"{where}: duplicate id {d['id']!r}")
            seen.add(d["id"])
            try:
                raw = corpus_file(corpus_root, d["file"], where)
                meta = _meta(d.get("meta"), raw, where)
            except LabelFileError as exc:
                raise StructureSetError(str(exc)) from None
            items = d.get("items")
            if not isinstance(items, list):
                raise StructureSetError(f"{where}: items must be a list")
            labels = []
            for i, it in enumerate(items):
                ok = isinstance(it, dict) and isinstance(it.get("label", ""), str) and isinstance(it.get("start"), int)
                if not ok or not 0 <= it["start"] < len(raw):
                    raise StructureSetError(f"{where}: item {i + 1} needs a label (string) and a start inside the file")
                labels.append(ItemLabel(it.get("label", ""), it["start"]))
            out.append(StructureMinute(d["id"], d["file"], d["style"], raw, tuple(labels), meta,
                                       str(d.get("lang", "")), str(d.get("split", DEV_SPLIT)), where))
    return out


# --------------------------------------------------------------------------- scoring


def same_label(a: str, b: str) -> bool:
    """Equal modulo whitespace, punctuation and case: "Ord. No. 11-10" == "Ord No 11-10"."""
    def key(s: str) -> str:
        return re.sub(r"[\W_]+", "", s).lower()

    return key(a) == key(b)


def _section_label(sec: Section) -> str:
    return sec.label_path[-1] if sec.label_path else ""


def _fits(label: str, sec: Section) -> bool:
    """The section's label is the labelled one, also when the splitter made a repeated
    label unique with a "-2" suffix (a list numbered 1., 2. under each heading)."""
    own = _section_label(sec)
    return same_label(label, own) or same_label(label, re.sub(r"-\d+$", "", own))


@dataclass
class StructureScore:
    id: str
    group: str
    labelled: int = 0
    found: int = 0
    sections: int = 0  # item sections (first parts)
    matched_sections: int = 0
    meta_fields: int = 0
    meta_right: int = 0
    missed: list[dict[str, Any]] = field(default_factory=list)
    spurious: list[dict[str, Any]] = field(default_factory=list)
    meta_wrong: list[dict[str, str]] = field(default_factory=list)


def score_structure(item: StructureMinute, sections: Sequence[Section], text: str, meta: MinuteMeta) -> StructureScore:
    """Pure: the labels of one minute vs its sections and metadata."""
    align = Aligner(item.raw, text)
    secs = [s for s in sections if s.kind == "item" and s.part == 0]
    sc = StructureScore(item.id, item.group, labelled=len(item.items), sections=len(secs))
    # every (label, section) pair that fits, nearest first, then a greedy one-to-one pairing
    # (labels are at least a heading apart, so greedy by distance is the maximum pairing here)
    pairs: list[tuple[int, int, int]] = []
    placed: dict[int, int | None] = {}
    for i, lb in enumerate(item.items):
        at = align.start(lb.start)
        placed[i] = at
        if at is None:
            continue
        for j, s in enumerate(secs):
            d = abs(s.start - at)
            if d <= START_TOLERANCE and (not lb.label or _fits(lb.label, s)):
                pairs.append((d, i, j))
    used_l: set[int] = set()
    used_s: set[int] = set()
    for _d, i, j in sorted(pairs):
        if i not in used_l and j not in used_s:
            used_l.add(i)
            used_s.add(j)
    sc.found = len(used_l)
    sc.matched_sections = len(used_s)
    for i, lb in enumerate(item.items):
        if i not in used_l:
            sc.missed.append({"label": lb.label, "start": lb.start, "placed": placed[i]})
    for j, s in enumerate(secs):
        if j not in used_s:
            sc.spurious.append({"label": s.label, "start": s.start, "title": s.title[:60]})
    for f, want in item.meta.items():
        got = str(getattr(meta, f, "") or "")
        sc.meta_fields += 1
        if same_label(want, got):
            sc.meta_right += 1
        else:
            sc.meta_wrong.append({"field": f, "got": got})
    return sc


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def _row(scores: Sequence[StructureScore]) -> dict[str, Any]:
    lab, found = sum(s.labelled for s in scores), sum(s.found for s in scores)
    secs, matched = sum(s.sections for s in scores), sum(s.matched_sections for s in scores)
    mf, mr = sum(s.meta_fields for s in scores), sum(s.meta_right for s in scores)
    return {"minutes": len(scores), "items": lab, "found": found, "sections": secs,
            "recall": _ratio(found, lab), "precision": _ratio(matched, secs),
            "meta_fields": mf, "meta_accuracy": _ratio(mr, mf)}


def summarize_structure(scores: Sequence[StructureScore]) -> dict[str, Any]:
    """Per group (style) rows, all minutes pooled, and the mean and worst of the dev styles."""
    groups: dict[str, list[StructureScore]] = {}
    for s in scores:
        groups.setdefault(s.group, []).append(s)
    by_style = {g: _row(v) for g, v in sorted(groups.items())}
    dev = {g: r for g, r in by_style.items() if "[" not in g}
    out: dict[str, Any] = {"by_style": by_style, "all": _row(scores)}
    for metric in ("recall", "precision", "meta_accuracy"):
        vals = {g: r[metric] for g, r in dev.items() if r[metric] is not None}
        if vals:
            worst = min(vals, key=lambda g: vals[g])
            out[f"mean_{metric}"] = sum(vals.values()) / len(vals)
            out[f"worst_{metric}"] = {"style": worst, "value": vals[worst]}
    return out


def format_structure(summary: dict[str, Any]) -> str:
    def f(x: float | None) -> str:
        return "-" if x is None else f"{x:.3f}"

    lines = ["| style | minutes | items | sections | item recall | item precision | metadata |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for g, r in [*summary["by_style"].items(), ("all", summary["all"])]:
        lines.append(f"| {g} | {r['minutes']} | {r['items']} | {r['sections']} | {f(r['recall'])} | "
                     f"{f(r['precision'])} | {f(r['meta_accuracy'])} ({r['meta_fields']}) |")
    means = [f"{m} mean {f(summary[f'mean_{m}'])}, worst {summary[f'worst_{m}']['style']} "
             f"{f(summary[f'worst_{m}']['value'])}" for m in ("recall", "precision", "meta_accuracy")
             if f"mean_{m}" in summary]
    if means:
        lines += ["", "Over the dev styles: " + "; ".join(means)]
    return "\n".join(lines)


def run_structure_eval(
    items: Sequence[StructureMinute],
    resolve: Callable[[str], str],
    sections_of: Callable[[str], list[Section]],
    minute_text: Callable[[str], str],
    minute_meta: Callable[[str], MinuteMeta],
) -> tuple[dict[str, Any], list[StructureScore]]:
    """Score the sets against an archive (normally an Assistant's index)."""
    scores = []
    for item in items:
        mid = resolve(item.file)
        scores.append(score_structure(item, sections_of(mid), minute_text(mid), minute_meta(mid)))
    return summarize_structure(scores), scores

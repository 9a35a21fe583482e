"""Question sets: JSONL, one question a line.

    {"id": str, "question": str, "evidence": [str], "answer_contains": [str],
     "answerable": bool, "answer_excludes": [str]?, "filters": {...}?, "lang": str?, "notes": str?}

``evidence_refs``: evidence by reference, for minutes whose text may not be copied into a
set (licences vary): ``[{"file": path, "start": int, "end": int}]``, ``file`` relative to the
set's own folder, ``start``/``end`` character offsets into the file's UTF-8 text. Each is read
when the set is loaded and counts as one more evidence string.

``answer_excludes``: strings a correct answer must not contain (text planted in a minute to
hijack the answer, such as "Ignore all previous instructions ..."), answerable or not.

``filters`` use the names of the ``ask`` flags ("from", "to", "year", "meeting", "doc",
"minute", "k"); :func:`filters_for` maps them onto :class:`minutes_rag.model.Filters`.
Errors name the file and the line, so that a broken set is fixed in one look.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minutes_rag.errors import MinutesRagError
from minutes_rag.model import FILTER_FLAGS, Filters, filters_from_flags
from minutes_rag.text.patterns import is_iso_date


class QuestionSetError(MinutesRagError):
    """A question set cannot be read: the message names the file and line."""


REQUIRED = {"id": str, "question": str, "evidence": list, "answer_contains": list, "answerable": bool}
OPTIONAL = {"evidence_refs": list, "answer_excludes": list, "filters": dict, "lang": str, "notes": str}
# the ask flags a question may carry, and the Filters field (or "k") each becomes (the
# translation itself is model.filters_from_flags)
FILTER_KEYS = {
    **{flag: FILTER_FLAGS[flag] for flag in
       ("from", "to", "year", "meeting", "meeting_number", "doc", "doc_number", "minute", "minute_id")},
    "k": "k",
}


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    evidence: tuple[str, ...]
    answer_contains: tuple[str, ...]
    answerable: bool
    filters: dict[str, Any] = field(default_factory=dict)
    lang: str = ""
    answer_excludes: tuple[str, ...] = ()
    notes: str = ""
    source: str = ""  # "file:line" it was read from
    evidence_refs: tuple[dict[str, Any], ...] = ()  # as written; their text is in ``evidence``

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "question": self.question,
            # the texts of the references come last (parse_question) and are not written back
            "evidence": list(self.evidence[: len(self.evidence) - len(self.evidence_refs)]),
            "answer_contains": list(self.answer_contains),
            "answerable": self.answerable,
        }
        if self.evidence_refs:
            d["evidence_refs"] = [dict(r) for r in self.evidence_refs]
        if self.answer_excludes:
            d["answer_excludes"] = list(self.answer_excludes)
        if self.filters:
            d["filters"] = dict(self.filters)
        if self.lang:
            d["lang"] = self.lang
        if self.notes:
            d["notes"] = self.notes
        return d


def _resolve_refs(refs: list[Any], base: Path | None, where: str) -> tuple[str, ...]:
    """The text of each evidence reference (``file`` relative to ``base``, the set's folder)."""
    out: list[str] = []
    for ref in refs:
        if not (isinstance(ref, dict) and isinstance(ref.get("file"), str) and set(ref) == {"file", "start", "end"}
                and all(isinstance(ref[k], int) and not isinstance(ref[k], bool) for k in ("start", "end"))):
            raise QuestionSetError(f"{where}: 'evidence_refs' entries are {{\"file\": str, \"start\": int, \"end\": int}}, got {ref!r}")
        path = (base or Path(".")) / ref["file"]
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QuestionSetError(f"{where}: evidence file {path} cannot be read: {exc}") from exc
        if not 0 <= ref["start"] < ref["end"] <= len(text):
            raise QuestionSetError(f"{where}: evidence offsets {ref['start']}..{ref['end']} outside {path} ({len(text)} characters)")
        span = text[ref["start"]:ref["end"]]
        if not "".join(span.split()):
            raise QuestionSetError(f"{where}: evidence span {ref['start']}..{ref['end']} of {path} is blank")
        out.append(span)
    return tuple(out)


def parse_question(obj: Any, where: str, base: Path | None = None) -> Question:
    """Validate one decoded JSON line; ``where`` ("file:line") goes into every message;
    ``base``: the set's folder, which ``evidence_refs`` files are relative to."""
    if not isinstance(obj, dict):
        raise QuestionSetError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    for key, kind in REQUIRED.items():
        if key not in obj:
            raise QuestionSetError(f"{where}: missing field {key!r}")
        if not isinstance(obj[key], kind):
            raise QuestionSetError(f"{where}: field {key!r} must be {kind.__name__}, got {type(obj[key]).__name__}")
    for key, kind in OPTIONAL.items():
        if key in obj and not isinstance(obj[key], kind):
            raise QuestionSetError(f"{where}: field {key!r} must be {kind.__name__}, got {type(obj[key]).__name__}")
    unknown = set(obj) - set(REQUIRED) - set(OPTIONAL)
    if unknown:
        raise QuestionSetError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    if not obj["id"].strip():
        raise QuestionSetError(f"{where}: 'id' is empty")
    if not obj["question"].strip():
        raise QuestionSetError(f"{where}: 'question' is empty")
    for key in ("evidence", "answer_contains", "answer_excludes"):
        for item in obj.get(key, ()):
            if not isinstance(item, str) or not "".join(item.split()):
                raise QuestionSetError(f"{where}: {key!r} must hold non-empty strings, got {item!r}")
    ref_texts = _resolve_refs(obj.get("evidence_refs", []), base, where)
    if obj["answerable"] and not (obj["evidence"] or ref_texts):
        raise QuestionSetError(f"{where}: an answerable question needs at least one evidence string")
    if not obj["answerable"] and (obj["evidence"] or ref_texts or obj["answer_contains"]):
        raise QuestionSetError(f"{where}: an unanswerable question has no evidence and no answer_contains")
    filters = dict(obj.get("filters") or {})
    for key, value in filters.items():
        if key not in FILTER_KEYS:
            raise QuestionSetError(f"{where}: unknown filter {key!r} (use {', '.join(sorted(FILTER_KEYS))})")
        target = FILTER_KEYS[key]
        if target in ("date_from", "date_to") and not (isinstance(value, str) and is_iso_date(value)):
            raise QuestionSetError(f"{where}: filter {key!r} must be a date YYYY-MM-DD, got {value!r}")
        if target in ("year", "meeting_number", "k") and not (isinstance(value, int) and not isinstance(value, bool)):
            raise QuestionSetError(f"{where}: filter {key!r} must be an integer, got {value!r}")
        if target in ("doc_number", "minute_id") and not isinstance(value, str):
            raise QuestionSetError(f"{where}: filter {key!r} must be a string, got {value!r}")
    return Question(
        id=obj["id"],
        question=obj["question"],
        evidence=tuple(obj["evidence"]) + ref_texts,
        evidence_refs=tuple(obj.get("evidence_refs", ())),
        answer_contains=tuple(obj["answer_contains"]),
        answer_excludes=tuple(obj.get("answer_excludes", ())),
        answerable=obj["answerable"],
        filters=filters,
        lang=obj.get("lang", ""),
        notes=obj.get("notes", ""),
        source=where,
    )


def jsonl_records(path: str | Path, error: type[Exception]) -> Iterator[tuple[str, Any]]:
    """The records of one JSONL file with where each stands (``path:line``), for question
    sets and ledger sets alike. Blank lines and lines starting with ``//`` are skipped; a file
    that cannot be read or a line that is not JSON raises ``error`` naming the place."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise error(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read as UTF-8 text: {exc}") from exc
    for n, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        where = f"{path}:{n}"
        try:
            yield where, json.loads(line)
        except json.JSONDecodeError as exc:
            raise error(f"{where}: invalid JSON: {exc.msg} (column {exc.colno})") from exc


def load_questions(paths: Iterable[str | Path]) -> list[Question]:
    """Read one or more JSONL files. Blank lines and lines starting with ``//`` are skipped.
    Ids must be unique across all files."""
    out: list[Question] = []
    seen: dict[str, str] = {}
    for path in paths:
        for where, obj in jsonl_records(path, QuestionSetError):
            q = parse_question(obj, where, Path(path).parent)
            if q.id in seen:
                raise QuestionSetError(f"{where}: duplicate id {q.id!r} (first at {seen[q.id]})")
            seen[q.id] = where
            out.append(q)
    return out


def filters_for(q: Question) -> tuple[Filters, int | None]:
    """The question's filters as :class:`Filters`, and its ``k`` (None: the run's k)."""
    k = q.filters.get("k")
    flags = {key: value for key, value in q.filters.items() if key != "k"}
    return filters_from_flags(flags), (int(k) if k is not None else None)


def dump_questions(questions: Iterable[Question]) -> str:
    """JSONL text for ``questions`` (non-ASCII kept readable)."""
    return "".join(json.dumps(q.to_dict(), ensure_ascii=False) + "\n" for q in questions)

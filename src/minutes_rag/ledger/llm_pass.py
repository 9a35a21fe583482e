"""An optional LLM pass for recall (setting ``ledger_llm``, ``ingest --ledger-llm``; off by
default): for the agenda items where the rules found no entry, the configured chat model is
asked to propose decisions, assignments and reports as **verbatim quotes** of the item. Code,
not the model, decides what is kept: a proposal whose quote is not in the item is dropped, the
offsets are found in the text (never taken from the model), a lead, task, outcome or subject
that is not inside the quote is cleared (a lead-less assignment is dropped), and every kept
entry says ``origin: "llm"``. Any failure of the model leaves the rules' ledger as it is.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from minutes_rag.ledger.model import KINDS, LedgerEntry
from minutes_rag.model import Minute, Section

log = logging.getLogger(__name__)

# items shorter than this hold a heading at most: not worth a model call
MIN_ITEM_CHARS = 40
# the longest item text sent (the model's context is the limit; longer items are cut)
MAX_ITEM_CHARS = 4000

PROMPT = """You read one agenda item of a meeting's minutes and list what it records:
decisions (what was approved, adopted, passed, referred, 原则同意/审议通过 ...), assignments
(a named unit or person is told to do something: 由X负责, 请X…, "staff was directed to") and
reports (someone reported or presented: 听取X关于…的汇报, "presentation by").
Reply with a JSON list only, one object per entry:
{{"kind": "decision" | "assignment" | "report", "quote": "<the exact sentence from the item, copied character for character>",
 "lead": "<the responsible or reporting unit, copied from the quote, or empty>", "task": "<copied from the quote, or empty>",
 "outcome": "<copied from the quote, or empty>", "subject": "<copied from the quote, or empty>"}}
Reply [] when the item records none of these. The item:
<<<
{text}
>>>"""

_JSON_LIST = re.compile(r"\[.*\]", re.S)


def _reply_text(reply: Any) -> str:
    content = getattr(reply, "content", reply)
    if isinstance(content, list):
        return "".join(c.get("text", "") if isinstance(c, dict) else str(c) for c in content)
    return str(content)


def _proposals(model: Any, text: str) -> list[dict[str, Any]]:
    try:
        reply = _reply_text(model.invoke(PROMPT.format(text=text)))
    except Exception as exc:  # noqa: BLE001 - a model that fails adds nothing, the rules stand
        log.warning("ledger LLM pass: the model failed (%s: %s)", type(exc).__name__, exc)
        return []
    m = _JSON_LIST.search(reply)
    if not m:
        return []
    try:
        data = json.loads(m.group(0))
    except json.JSONDecodeError:
        return []
    return [d for d in data if isinstance(d, dict)] if isinstance(data, list) else []


def _inside(value: Any, quote: str) -> str:
    value = value.strip() if isinstance(value, str) else ""
    return value if value and value in quote else ""


def validate(proposal: dict[str, Any], minute: Minute, section: Section, n: int) -> LedgerEntry | None:
    """The entry a proposal stands for, or None when it is not verbatim (see the module docstring)."""
    kind = proposal.get("kind")
    quote = proposal.get("quote")
    if kind not in KINDS or not isinstance(quote, str) or not quote.strip():
        return None
    quote = quote.strip()
    at = section.text.find(quote)
    if at < 0:
        return None  # not in the item: the model's words, not the minute's
    start = section.start + at
    end = start + len(quote)
    if minute.text[start:end] != quote:
        return None
    lead = _inside(proposal.get("lead"), quote)
    if kind == "assignment" and not lead:
        return None
    meta = minute.meta
    return LedgerEntry(
        item_id=f"{minute.minute_id}-{kind[0]}{start}-llm{n}" if n else f"{minute.minute_id}-{kind[0]}{start}-llm",
        minute_id=minute.minute_id, doc_number=meta.doc_number, meeting_number=meta.meeting_number, date=meta.date,
        label=section.label, section_id=section.section_id, kind=kind, lead=(lead,) if lead else (),
        task=_inside(proposal.get("task"), quote), outcome=_inside(proposal.get("outcome"), quote),
        subject=_inside(proposal.get("subject"), quote), quote=quote, start=start, end=end, origin="llm",
    )


def llm_entries(minute: Minute, sections: Sequence[Section], entries: Sequence[LedgerEntry], model: Any) -> list[LedgerEntry]:
    """Entries the model proposes, validated, for the items (whole parts) where ``entries``
    (the rules') have none."""
    covered = {e.section_id for e in entries}
    out: list[LedgerEntry] = []
    for sec in sections:
        if sec.kind not in ("item", "paragraph") or sec.section_id in covered or len(sec.text) < MIN_ITEM_CHARS:
            continue
        if any(sec.start <= e.start < sec.end for e in entries):
            continue
        clipped = replace(sec, text=sec.text[:MAX_ITEM_CHARS], end=sec.start + min(len(sec.text), MAX_ITEM_CHARS))
        seen: set[tuple[str, int]] = set()
        for n, proposal in enumerate(_proposals(model, clipped.text)):
            entry = validate(proposal, minute, clipped, n)
            if entry is None:
                log.info("ledger LLM pass: dropped a proposal not found verbatim in %s", sec.section_id)
                continue
            if (entry.kind, entry.start) in seen:
                continue
            seen.add((entry.kind, entry.start))
            out.append(entry)
    return out

"""An optional LLM pass over rule-based ledger entries (``extract_ledger(..., refiner=...)``).

The model sees the entry's verbatim quote and the section around it and may correct the
descriptive fields: lead, partners, task, deadline, subject, outcome. It can only pick
text that is in the quote: a unit, deadline or task the quote does not contain is dropped,
so the model cannot invent a department or a date, and the quote and its offsets are never
its to change (``apply_refiner`` restores them whatever it returns). Any failure (no
server, a reply that is not JSON) leaves the rule-based entry as it was.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace
from typing import Any

from minutes_rag.ledger.model import LedgerEntry

log = logging.getLogger(__name__)

_PROMPT = """You correct one entry of a ledger of decisions and tasks taken from official meeting minutes.
Quote (verbatim from the minute):
<<<{quote}>>>
Section it comes from:
<<<{context}>>>
Current entry (kind {kind}): {fields}
Reply with one JSON object with the keys lead (list), partners (list), task, deadline, subject, outcome.
Every value must be copied exactly from the quote; use "" or [] when the quote does not say."""

_FIELDS = ("lead", "partners", "task", "deadline", "subject", "outcome")


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


class LLMRefiner:
    """A ``Refiner`` backed by a LangChain chat model (anything with ``invoke(prompt)``)."""

    def __init__(self, chat_model: Any, *, max_context: int = 1500) -> None:
        self.chat_model = chat_model
        self.max_context = max_context

    def refine(self, entry: LedgerEntry, context: str) -> LedgerEntry:
        fields = {k: getattr(entry, k) for k in _FIELDS}
        prompt = _PROMPT.format(
            quote=entry.quote, context=context[: self.max_context], kind=entry.kind,
            fields=json.dumps({k: list(v) if isinstance(v, tuple) else v for k, v in fields.items()}, ensure_ascii=False),
        )
        reply = self.chat_model.invoke(prompt)
        text = getattr(reply, "content", reply)
        m = re.search(r"\{.*\}", str(text), re.DOTALL)
        if not m:
            log.info("ledger refiner: no JSON in the reply for %s", entry.item_id)
            return entry
        try:
            data = json.loads(m.group())
        except json.JSONDecodeError:
            log.info("ledger refiner: a reply that is not JSON for %s", entry.item_id)
            return entry
        return replace(entry, **_grounded(data, entry))


def _grounded(data: Any, entry: LedgerEntry) -> dict[str, Any]:
    """The proposed values that are in the quote; the others keep the rule-based value."""
    if not isinstance(data, dict):
        return {}
    quote = _squash(entry.quote)
    out: dict[str, Any] = {}
    for key in ("lead", "partners"):
        value = data.get(key)
        if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
            if all(_squash(v) in quote for v in value) and (value or key == "partners"):
                out[key] = tuple(v.strip() for v in value)
    for key in ("task", "deadline", "subject", "outcome"):
        value = data.get(key)
        if isinstance(value, str) and (not value.strip() or _squash(value) in quote):
            out[key] = value.strip()
    return out

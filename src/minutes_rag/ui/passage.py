"""Add from passage: an editor selects text in the source viewer and adds it to the ledger as
a decision, a task (assignment) or a report, stored exactly as ``minutes-rag followup add``
stores it (``FollowupBoard.add``: the verbatim quote, its offsets into the minute's stored
text, origin "person", the user).

The browser only proposes: the viewer's script (``ui.app.SELECT_JS``) counts the selection's
offsets in the minute's text as rendered (code points, as Python counts) and sends them with
the selected text; here they are checked against the *stored* text (``text[start:end]`` must
be the selection) before anything is kept. No Gradio here: the page (``ui.app``) and the
JSON route (``ui.followup_api``) both call these functions.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from minutes_rag.errors import InvalidRequest, MinutesRagError, NotFound
from minutes_rag.ledger.model import KINDS
from minutes_rag.ui.i18n import t

log = logging.getLogger(__name__)

_UNIT_SEP = re.compile(r"[、，,;；\s]+")
PREVIEW_CHARS = 120  # of the selection, in the line that confirms it


@dataclass(frozen=True)
class Selection:
    """A passage of a stored minute, checked against its text."""

    minute_id: str
    start: int
    end: int
    quote: str

    def to_json(self) -> dict[str, Any]:
        return {"minute_id": self.minute_id, "start": self.start, "end": self.end, "quote": self.quote}


def split_units(value: str | list[str] | None) -> list[str]:
    """Units typed in one box (separated by 、 , ; or spaces), or given as a list."""
    if isinstance(value, list):
        return [u.strip() for u in value if isinstance(u, str) and u.strip()]
    return [u for u in _UNIT_SEP.split(value or "") if u]


def _offset(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRequest("offsets", f"{name} must be a whole number of characters, not {value!r}")
    return value


def locate(text: str, start: Any, end: Any, selected: str | None) -> tuple[int, int]:
    """The passage ``start``..``end`` of ``text``, its surrounding white space left out.

    ``selected``, when given, must be exactly ``text[start:end]``: offsets counted in
    anything but the stored text (HTML, UTF-16 units, a page that changed since) are refused
    rather than stored pointing at other words."""
    start, end = _offset(start, "start"), _offset(end, "end")
    if not 0 <= start < end <= len(text):
        raise InvalidRequest("offsets", f"offsets {start}..{end} are outside the minute (its text has {len(text)} "
                                        "characters; start must be below end)")
    if selected is not None and text[start:end] != selected:
        raise InvalidRequest("selection", f"the selected text is not the minute's text at {start}..{end}")
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise InvalidRequest("selection", "the selection is blank")
    return start, end


class PassageHandlers:
    """The viewer's selection and the add, over an Assistant (its minutes and its follow-up
    board) and the ledger tab's role check (``LedgerHandlers.may_edit``)."""

    def __init__(self, assistant: Any, may_edit: Any) -> None:
        self.assistant = assistant
        self.may_edit = may_edit

    def check(self, minute_id: Any, start: Any, end: Any, selected: str | None) -> Selection:
        """The selection checked against the stored minute (NotFound, InvalidRequest)."""
        if not isinstance(minute_id, str) or not minute_id:
            raise InvalidRequest("minute_id", "the passage needs the minute's id")
        minute, _ = self.assistant.get_minute(minute_id)
        a, b = locate(minute.text, start, end, selected)
        return Selection(minute.minute_id, a, b, minute.text[a:b])

    def select(self, raw: str, user: str | None, lang: str) -> tuple[str, dict[str, Any] | None]:
        """The viewer's selection (its JSON: minute_id, start, end, text): a line that shows
        the passage to add, and the checked selection for the session (None when refused)."""
        if not self.may_edit(user):
            return t("ledger_read_only", lang), None
        try:
            d = json.loads(raw)
            if not isinstance(d, dict):
                raise ValueError(raw)
            sel = self.check(d.get("minute_id"), d.get("start"), d.get("end"), str(d.get("text", "")))
        except (ValueError, TypeError):
            return t("passage_bad", lang, msg="not a selection"), None
        except (InvalidRequest, NotFound) as exc:
            return t("passage_bad", lang, msg=str(exc)), None
        quote = sel.quote if len(sel.quote) <= PREVIEW_CHARS else sel.quote[:PREVIEW_CHARS] + "…"
        return t("passage_selected", lang, quote=" ".join(quote.split()), start=sel.start, end=sel.end), sel.to_json()

    def add(
        self, selection: dict[str, Any] | None, kind: str, lead: str | list[str] | None, deadline: str,
        user: str | None, lang: str,
    ) -> tuple[bool, str, dict[str, Any] | None]:
        """Adds the session's selection as ``kind`` with its lead units and deadline words, as
        ``user``; (added, message, the new entry as ``actions --json`` shows it)."""
        if not self.may_edit(user):
            return False, t("ledger_read_only", lang), None
        if not selection:
            return False, t("passage_pick", lang), None
        if kind not in KINDS:
            return False, t("passage_kind", lang), None
        board = getattr(self.assistant, "followup", None)
        if board is None:
            return False, t("ledger_read_only", lang), None
        try:
            # checked again: the minute may have been re-ingested since it was selected
            sel = self.check(selection.get("minute_id"), selection.get("start"), selection.get("end"),
                             selection.get("quote"))
            entry = board.add(sel.minute_id, sel.start, sel.end, kind, user=user or "local", lead=split_units(lead),
                              deadline=(deadline or "").strip())
            out = board.view([entry])[0].to_json()
        except (InvalidRequest, NotFound) as exc:
            return False, t("passage_bad", lang, msg=str(exc)), None
        except MinutesRagError as exc:
            log.warning("passage not added: %s", exc)
            return False, t("error", lang, msg=str(exc)), None
        return True, t("passage_added", lang, kind=t(f"kind_{kind}", lang), item=out["item_id"]), out

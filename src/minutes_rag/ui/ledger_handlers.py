"""What the ledger tab and the timeline view do, as plain functions over an Assistant (no
Gradio here), like ``ui.handlers`` for the chat.

The rows a session sees are kept in its state (as the entries' JSON), so a click names a
row number and the server opens the passage of the entry it itself listed; the passage is
read from the index by minute id and shown by the same renderer as the chat's viewer.
"""

from __future__ import annotations

import itertools
import logging
import tempfile
from pathlib import Path
from typing import Any

from minutes_rag.errors import InvalidRequest, MinutesRagError
from minutes_rag.followup.model import STATUSES
from minutes_rag.ledger.model import KINDS, LedgerEntry, LedgerFilter
from minutes_rag.ui import ledger_render
from minutes_rag.ui.handlers import Handlers, check_date
from minutes_rag.ui.i18n import t
from minutes_rag.ui.passage import split_units

log = logging.getLogger(__name__)

MAX_ROWS = 2000  # shown in the table; the downloads hold every entry that passed the filter


def kind_choices(lang: str) -> list[tuple[str, str]]:
    return [(t("kind_all", lang), "")] + [(t(f"kind_{k}", lang), k) for k in KINDS]


def ledger_headers(lang: str) -> list[str]:
    return [t(k, lang) for k in ("lcol_date", "lcol_doc", "lcol_item", "lcol_kind", "lcol_matter", "lcol_lead",
                                 "lcol_partners", "lcol_deadline", "lcol_status")]


def status_choices(lang: str, *, with_all: bool = True) -> list[tuple[str, str]]:
    out = [(t(f"status_{s}", lang), s) for s in STATUSES]
    return ([(t("status_all", lang), ""), (t("status_overdue", lang), "overdue")] + out) if with_all else out


def status_cell(d: dict[str, Any], lang: str) -> str:
    """The status, and the overdue mark beside it (both can hold: blocked and overdue)."""
    text = t(f"status_{d.get('status') or 'open'}", lang)
    return f"{text} · ⚠ {t('status_overdue', lang)}" if d.get("overdue") else text


def _matter(e: LedgerEntry) -> str:
    if e.kind == "decision":
        return " ".join(x for x in (e.outcome, e.subject) if x) or e.quote
    return e.task or e.subject or e.quote


def ledger_rows(entries: list[dict[str, Any]], lang: str) -> list[list[str]]:
    sep = "、" if lang == "zh" else "; "
    rows = []
    for d in entries:
        e = LedgerEntry.from_json(d)
        meeting = t("meeting_n", lang, n=e.meeting_number) if e.meeting_number is not None else ""
        rows.append([
            e.date, " ".join(x for x in (e.doc_number, meeting) if x), e.label, t(f"kind_{e.kind}", lang),
            " ".join(_matter(e).split()), sep.join(e.lead), sep.join(e.partners), e.deadline, status_cell(d, lang),
        ])
    return rows


class LedgerHandlers:
    """The ledger tab and the timeline view over the chat's Handlers (its assistant and its
    source-viewer rendering)."""

    def __init__(self, chat: Handlers, *, export_dir: Path | None = None) -> None:
        self.chat = chat
        self.assistant = chat.assistant
        # under the system temp dir: the folder Gradio serves downloads from
        self.export_dir = export_dir or Path(tempfile.mkdtemp(prefix="minutes-rag-ledger-"))
        self._exports = itertools.count(1)
        settings = getattr(self.assistant, "settings", None)
        # with auth on, the accounts of ``viewer_auth`` read and the ``auth`` account edits
        self.auth_on = bool(getattr(settings, "auth", ""))
        self.viewers = frozenset(a.partition(":")[0] for a in str(getattr(settings, "viewer_auth", "")).split())

    def may_edit(self, user: str | None) -> bool:
        return not self.auth_on or (bool(user) and user not in self.viewers)

    # -- the ledger ----------------------------------------------------------------------
    def search(
        self, unit: str, kind: str, date_from: str, date_to: str, keyword: str, named_only: bool, lang: str,
        status: str = "",
    ) -> tuple[list[list[str]], str, list[dict[str, Any]], str | None, str | None]:
        """(table rows, summary, the entries as JSON, xlsx path, csv path)."""
        try:
            a, b = check_date(date_from, lang), check_date(date_to, lang)
            if a and b and a > b:
                raise ValueError(t("bad_range", lang))
        except ValueError as exc:
            return [], str(exc), [], None, None
        flt = LedgerFilter(dept=(unit or "").strip(), kind=kind if kind in KINDS else "", date_from=a, date_to=b,
                           keyword=(keyword or "").strip(), named_only=bool(named_only))
        try:
            # readers take no lock, as the chat's questions (a connection per thread)
            entries = list(self.assistant.actions(flt))
        except MinutesRagError as exc:
            return [], t("error", lang, msg=str(exc)), [], None, None
        followup = getattr(self.assistant, "followup", None)  # the follow-up state, where the assistant has it
        data = [f.to_json() for f in followup.view(entries)] if followup is not None else [e.to_json() for e in entries]
        if status == "overdue":
            data = [d for d in data if d.get("overdue")]
        elif status in STATUSES:
            data = [d for d in data if (d.get("status") or "open") == status]
        if status:
            kept = {d["item_id"] for d in data}
            entries = [e for e in entries if e.item_id in kept]
        xlsx, csv = self._export(entries, lang)
        shown = data[:MAX_ROWS]
        summary = t("ledger_count", lang, n=len(data))
        if len(shown) < len(data):
            summary += " " + t("ledger_cut", lang, n=len(shown))
        return ledger_rows(shown, lang), summary, shown, xlsx, csv

    def _export(self, entries: list[LedgerEntry], lang: str) -> tuple[str | None, str | None]:
        from minutes_rag.ledger import exports

        folder = self.export_dir / str(next(self._exports))
        folder.mkdir(parents=True, exist_ok=True)
        name = t("ledger_file", lang)
        try:
            xlsx = exports.write_xlsx(entries, folder / f"{name}.xlsx", lang=lang, title=t("tab_ledger", lang))
            csv = exports.write_csv(entries, folder / f"{name}.csv", lang=lang)
        except MinutesRagError as exc:
            log.warning("ledger export failed: %s", exc)
            return None, None
        return str(xlsx), str(csv)

    def open_row(self, entries: list[dict[str, Any]], row: int, lang: str) -> str:
        """The minute of the ``row``-th entry listed to this session, its quote marked."""
        try:
            e = LedgerEntry.from_json(entries[int(row)])
        except (IndexError, ValueError, TypeError):
            return ledger_render.placeholder(t("ledger_viewer_empty", lang))
        cite = {"n": int(row) + 1, "label": e.label, "title": t(f"kind_{e.kind}", lang)}
        return self.chat.open_minute(e.minute_id, lang, quote=(e.start, e.end), cite=cite)

    def row_detail(self, entries: list[dict[str, Any]], row: int, lang: str) -> str:
        """Markdown: the entry's status, notes, trail and suggestion."""
        try:
            d = entries[int(row)]
        except (IndexError, ValueError, TypeError):
            return ""
        lines = [f"**{t('lcol_status', lang)}**: {status_cell(d, lang)}"
                 + (f" · {t('lcol_deadline', lang)} {d['deadline_date']}" if d.get("deadline_date") else "")]
        for n in d.get("notes") or []:
            lines.append(f"- {n['at'][:16].replace('T', ' ')} {n['user']}: {n['text']}")
        if d.get("trail"):
            lines.append(f"**{t('ledger_trail', lang)}**")
            lines += [f"- {x['date']} {x['label']} ({t('kind_' + x['kind'], lang)}): {x['quote']}" for x in d["trail"]]
        if d.get("suggestion"):
            lines.append(f"*{d['suggestion']}*")
        return "\n".join(lines)

    def save_state(
        self, entries: list[dict[str, Any]], row: int | None, status: str, note: str, user: str | None, lang: str,
        lead: str = "",
    ) -> tuple[bool, str]:
        """Set the selected entry's status, add a note and/or correct its lead (units separated
        by 、 , ; or spaces) as ``user``; (changed, message). With auth on, a viewer changes nothing."""
        if not self.may_edit(user):
            return False, t("ledger_read_only", lang)
        try:
            d = entries[int(row)] if row is not None else None
        except (IndexError, ValueError, TypeError):
            d = None
        if d is None:
            return False, t("ledger_pick_row", lang)
        board: Any = getattr(self.assistant, "followup", None)  # the real Assistant has it
        if board is None:
            return False, t("ledger_read_only", lang)
        e = LedgerEntry.from_json(d)
        status_v = status if status in STATUSES else None
        note_v = (note or "").strip() or None
        units = split_units(lead)
        if status_v is None and note_v is None and not units:
            return False, t("ledger_nothing", lang)
        try:
            if units and tuple(units) != e.lead:
                board.correct(e, user=user or "local", lead=units)
            if status_v is not None or note_v is not None:
                board.set_state(e, user=user or "local", status=status_v, note=note_v)
        except InvalidRequest as exc:
            return False, str(exc)
        except MinutesRagError as exc:
            return False, t("error", lang, msg=str(exc))
        return True, t("ledger_saved", lang)

    def follow(self, unit: str, keyword: str, entries: list[dict[str, Any]], row: int | None, lang: str) -> str:
        """Save an alert and say its feed: the selected entry when a row is picked, else the
        unit filter, else the keyword as a saved search. Anyone who may read may follow."""
        from minutes_rag.followup.alerts import Alerts

        try:
            if row is not None and 0 <= int(row) < len(entries):
                d = entries[int(row)]
                kind, value = "item", str(d["item_id"])
                known = [LedgerEntry.from_json(d)]
            elif (unit or "").strip():
                kind, value, known = "unit", unit.strip(), []
            elif (keyword or "").strip():
                kind, value, known = "search", keyword.strip(), []
            else:
                return t("follow_what", lang)
            saved = Alerts(self.assistant.index).add(kind, value, entries=known)  # type: ignore[attr-defined]
        except MinutesRagError as exc:
            return t("error", lang, msg=str(exc))
        return t("follow_saved", lang, what=value, feed=saved["feed"])

    # -- the timeline --------------------------------------------------------------------
    def timeline(
        self, topic: str, date_from: str, date_to: str, by: str, lang: str
    ) -> tuple[str, list[dict[str, Any]], list[tuple[str, int]], str]:
        """(entries HTML, the entries as JSON, [(period, meetings)], summary)."""
        topic = (topic or "").strip()
        if not topic:
            return ledger_render.timeline_html([], lang), [], [], t("timeline_enter", lang)
        try:
            a, b = check_date(date_from, lang), check_date(date_to, lang)
            if a and b and a > b:
                raise ValueError(t("bad_range", lang))
        except ValueError as exc:
            return ledger_render.timeline_html([], lang), [], [], str(exc)
        try:
            tl = self.assistant.timeline(topic, date_from=a, date_to=b)
        except MinutesRagError as exc:
            return ledger_render.timeline_html([], lang), [], [], t("error", lang, msg=str(exc))
        data = [e.to_json() for e in tl.entries]
        counts = tl.counts("quarter" if by == "quarter" else "year")
        summary = t("timeline_count", lang, topic=topic, n=len(data)) if data else t("timeline_none", lang, topic=topic)
        return ledger_render.timeline_html(data, lang), data, counts, summary

    def open_timeline_entry(self, entries: list[dict[str, Any]], key: str, lang: str) -> str:
        """The minute behind timeline entry ``key`` ("tl:i") of this session."""
        try:
            prefix, i_s = str(key).split(":", 1)
            if prefix != "tl":
                raise ValueError(key)
            e = entries[int(i_s)]
        except (ValueError, IndexError, TypeError):
            return ledger_render.placeholder(t("timeline_viewer_empty", lang))
        cite = {"n": int(i_s) + 1, "label": e.get("label", ""), "title": e.get("title", "")}
        return self.chat.open_minute(str(e["minute_id"]), lang, quote=(int(e["start"]), int(e["end"])), cite=cite)

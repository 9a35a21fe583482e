"""Pure HTML rendering for the chat: conversation, citation cards, the minute viewer.

Everything that comes from a minute, a question or an answer goes through ``html.escape``
here and nowhere else; the browser only ever receives markup this module wrote. Clickable
things carry ``data-cite="<turn>:<n>"``: the page's script sends that key back and the server
looks the citation up in its own state, so a click can never name a file or a minute that
is not in the index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import PurePath
from typing import Any

from minutes_rag.ui.i18n import t

_MARKER = re.compile(r"\[(\d{1,3})\]")


@dataclass
class TurnView:
    """What the page shows for one exchange."""

    question: str
    text: str = ""
    citations: list[dict[str, Any]] = field(default_factory=list)  # Citation.to_dict() items
    mode: str = ""
    found: bool = True
    pending: bool = False  # still streaming
    note: str = ""  # shown while pending with no text yet (the server is still warming up)
    error: str = ""
    warnings: list[str] = field(default_factory=list)  # Answer.warnings, shown as notes


def esc(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def mode_label(mode: str, lang: str) -> str:
    if mode in ("ledger", "timeline"):
        return t(f"mode_{mode}", lang)
    if mode.startswith("llm-fallback"):
        # the LLM's reply was not shown: the extractive answerer spoke (answer.llm.FALLBACK_MODE)
        return t("mode_fallback", lang)
    if mode.startswith("llm"):
        base = t("mode_llm", lang)
        return base if mode == "llm" else f"{base} ({mode})"
    return t("mode_extractive", lang) if mode == "extractive" else mode


def answer_html(text: str, turn: int, numbers: Iterable[int]) -> str:
    """The answer text, escaped, with its [n] markers turned into clickable links.

    Only markers that have a citation become links; a bracketed number that is part of the
    text (or a marker the answerer dropped) stays plain text.
    """
    known = set(numbers)
    out: list[str] = []
    pos = 0
    for m in _MARKER.finditer(text):
        n = int(m.group(1))
        if n not in known:
            continue
        out.append(esc(text[pos : m.start()]))
        out.append(
            f'<a class="cite-marker" href="#" role="button" data-cite="{turn}:{n}" '
            f'title="[{n}]">[{n}]</a>'
        )
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out).replace("\n", "<br>")


def citation_head(c: dict[str, Any], lang: str) -> list[str]:
    """The parts of a card's first line: document, meeting, date, section."""
    parts = []
    if c.get("doc_number"):
        parts.append(str(c["doc_number"]))
    if c.get("meeting_number") is not None:
        parts.append(t("meeting_n", lang, n=c["meeting_number"]))
    if c.get("date"):
        parts.append(str(c["date"]))
    page = page_label(c, lang)
    if page:
        parts.append(page)
    return parts


def page_label(c: dict[str, Any], lang: str) -> str:
    """第2页 / p. 2 for a citation of a paged minute (with the printed number when it
    differs from the physical page); "" without a page."""
    if not c.get("page"):
        return ""
    if c.get("printed_page"):
        return t("page_printed", lang, n=c["page"], printed=c["printed_page"])
    return t("page_n", lang, n=c["page"])


def card_html(c: dict[str, Any], turn: int, lang: str) -> str:
    n = int(c["n"])
    head = " · ".join(esc(p) for p in citation_head(c, lang))
    label = esc(c.get("label") or "")
    title = esc(c.get("title") or "")
    return (
        f'<div class="cite-card" id="cite-card-{turn}-{n}" data-cite="{turn}:{n}" role="button" tabindex="0">'
        f'<div class="cite-card-head"><span class="cite-n">[{n}]</span> <span class="cite-meta">{head}</span></div>'
        f'<div class="cite-section"><span class="cite-label">{label}</span> <span class="cite-title">{title}</span></div>'
        f'<blockquote class="cite-quote">{esc(c.get("quote") or "")}</blockquote>'
        "</div>"
    )


def turn_html(turn: TurnView, i: int, lang: str) -> str:
    q = f'<div class="msg msg-user"><span class="who">{esc(t("you", lang))}</span><div class="msg-body">{esc(turn.question)}</div></div>'
    if turn.error:
        body = f'<div class="answer-error">{esc(turn.error)}</div>'
    elif turn.pending and not turn.text:
        body = f'<div class="answer-text answer-pending">{esc(turn.note or t("thinking", lang))}</div>'
    else:
        numbers = [int(c["n"]) for c in turn.citations]
        cls = "answer-text" + ("" if turn.found else " answer-not-found") + (" answer-streaming" if turn.pending else "")
        body = f'<div class="{cls}">{answer_html(turn.text, i, numbers)}</div>'
    if turn.warnings and not turn.pending and not turn.error:
        # what the user should know before trusting the answer: a fallback, a cut source, a
        # planted instruction left out, an answer quoted from a minute in another language
        body += (f'<div class="answer-warnings" role="note"><span class="warn-head">{esc(t("note", lang))}</span>'
                 + "".join(f'<div class="answer-warning">{esc(w)}</div>' for w in turn.warnings) + "</div>")
    badge = f'<span class="mode-badge">{esc(mode_label(turn.mode, lang))}</span>' if turn.mode else ""
    cards = ""
    if turn.citations and not turn.pending:
        cards = (
            f'<div class="cite-cards" aria-label="{esc(t("sources", lang))}">'
            + "".join(card_html(c, i, lang) for c in turn.citations)
            + "</div>"
        )
    state = "pending" if turn.pending else "done"
    return (
        f'<div class="turn" id="turn-{i}" data-state="{state}">{q}'
        f'<div class="msg msg-bot"><span class="who">{esc(t("assistant", lang))}</span>{badge}'
        f"<div class=\"msg-body\">{body}{cards}</div></div></div>"
    )


def conversation_html(turns: Sequence[TurnView], lang: str) -> str:
    if not turns:
        return f'<div class="conversation"><div class="chat-empty">{esc(t("empty_chat", lang))}</div></div>'
    return '<div class="conversation">' + "".join(turn_html(tv, i, lang) for i, tv in enumerate(turns)) + "</div>"


def _cuts(text_len: int, spans: Sequence[tuple[int, int]]) -> list[int]:
    points = {0, text_len}
    for a, b in spans:
        points.add(max(0, min(a, text_len)))
        points.add(max(0, min(b, text_len)))
    return sorted(points)


def minute_html(
    minute: dict[str, Any],
    text: str,
    lang: str,
    *,
    quote: tuple[int, int] | None = None,
    section: tuple[int, int] | None = None,
    heading: str = "",
    nonce: int = 0,
) -> str:
    """The whole minute, escaped, with the cited section shaded and the quote in <mark>.

    ``minute`` holds doc_number, meeting_number, date, title; offsets index ``text``.
    The quote's <mark> has id ``cite-mark`` so the page can scroll it into view. ``nonce``
    makes each opening differ, so that opening the same passage again still re-renders and
    scrolls.
    """
    spans = [s for s in (section, quote) if s and s[1] > s[0]]
    pieces: list[str] = []
    cuts = _cuts(len(text), spans)
    for a, b in zip(cuts, cuts[1:]):
        chunk = esc(text[a:b])
        in_quote = quote is not None and quote[0] <= a and b <= quote[1] and quote[1] > quote[0]
        in_section = section is not None and section[0] <= a and b <= section[1]
        if in_quote:
            # one <mark> per run; a run split by the section edge keeps the id on the first
            first = quote is not None and a == max(0, quote[0])
            ident = ' id="cite-mark"' if first else ""
            chunk = f'<mark class="cite-hl"{ident}>{chunk}</mark>'
        if in_section:
            chunk = f'<span class="cite-section-hl">{chunk}</span>'
        pieces.append(chunk)
    head_parts = citation_head(minute, lang)
    title = esc(minute.get("title") or "")
    meta = " · ".join(esc(p) for p in head_parts)
    cap = f'<div class="viewer-cite">{esc(heading)}</div>' if heading else ""
    return (
        f'<div class="minute-viewer" data-minute="{esc(minute.get("minute_id", ""))}" data-open="{int(nonce)}">'
        f'<div class="viewer-head"><div class="viewer-title">{title}</div><div class="viewer-meta">{meta}</div>{cap}</div>'
        f'<div class="minute-text">{"".join(pieces)}</div></div>'
    )


def placeholder_html(message: str) -> str:
    return f'<div class="viewer-empty">{esc(message)}</div>'


def archive_rows(minutes: Sequence[dict[str, Any]]) -> list[list[Any]]:
    """Rows for the archive table: document, meeting, date, title, sections."""
    rows = []
    for m in minutes:
        meeting = m.get("meeting_number")
        rows.append([
            m.get("doc_number") or "",
            "" if meeting is None else meeting,
            m.get("date") or "",
            m.get("title") or "",
            m.get("sections") or 0,
        ])
    return rows


def minute_choice(m: dict[str, Any]) -> str:
    """How a minute is named in the picker: date, document number, title."""
    parts = [p for p in (m.get("date"), m.get("doc_number"), m.get("title")) if p]
    return " ".join(str(p) for p in parts) or str(m.get("source") or m.get("minute_id"))


# the reading warnings with a localised text (reading.read_warnings codes)
_READ_WARNINGS = ("no_agenda_items", "no_ledger_entries")


def ingest_html(summary: str, errors: Sequence[tuple[str, str]], lang: str,
                reads: Sequence[dict[str, Any]] = (), warnings: Sequence[dict[str, str]] = ()) -> str:
    """The upload's result: the counts, the errors, each minute as it was read
    (``reading.MinuteRead``) and the warnings on minutes that need a look (by code)."""
    items = "".join(
        f'<li class="ingest-error"><span class="file">{esc(name)}</span>: {esc(problem)}</li>' for name, problem in errors
    )
    errs = f'<ul class="ingest-errors">{items}</ul>' if items else ""
    chars = {r.get("minute_id"): r.get("chars", 0) for r in reads}
    warns = "".join(
        f'<li class="ingest-warning" data-code="{esc(w["code"])}">'
        + esc(t(f"warn_{w['code']}", lang, file=PurePath(w["path"]).name, chars=f"{chars.get(w['minute_id'], 0):,}")
              if w["code"] in _READ_WARNINGS else f"{PurePath(w['path']).name}: {w['message']}")
        + "</li>"
        for w in warnings
    )
    warn_list = f'<ul class="ingest-warnings" role="note">{warns}</ul>' if warns else ""
    read_items = "".join(
        '<li class="ingest-read">' + esc(t("ingest_read", lang, file=PurePath(r["path"]).name, family=r["family"],
                                           items=r["items"], entries=r["ledger_entries"])) + "</li>"
        for r in reads
    )
    read_list = f'<ul class="ingest-reads">{read_items}</ul>' if read_items else ""
    return (f'<div class="ingest-result"><div class="ingest-summary">{esc(summary)}</div>{errs}{warn_list}'
            f'{read_list}</div>')

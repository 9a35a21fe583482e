"""HTML for the timeline view: one card per meeting, in date order, each opening its passage.

Everything from a minute goes through ``render.esc``; a card carries ``data-cite="tl:<i>"``,
an index into the entries the server listed to this session, never a minute id or a path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from minutes_rag.ui.i18n import t
from minutes_rag.ui.render import citation_head, esc, placeholder_html


def placeholder(message: str) -> str:
    return placeholder_html(message)


def kind_label(kind: str, lang: str) -> str:
    return t(f"kind_{kind}", lang) if kind in ("decision", "assignment", "report", "mention") else kind


def timeline_html(entries: Sequence[dict[str, Any]], lang: str) -> str:
    if not entries:
        return f'<div class="timeline"><div class="chat-empty">{esc(t("timeline_empty", lang))}</div></div>'
    cards = []
    year = ""
    for i, e in enumerate(entries):
        y = str(e.get("date") or "")[:4]
        if y and y != year:
            year = y
            cards.append(f'<div class="tl-year">{esc(y)}</div>')
        head = " · ".join(esc(p) for p in citation_head(e, lang))
        kind = str(e.get("kind") or "")
        cards.append(
            f'<div class="tl-card cite-card" id="tl-card-{i}" data-cite="tl:{i}" data-kind="{esc(kind)}" role="button" tabindex="0">'
            f'<div class="cite-card-head"><span class="cite-n">{i + 1}</span> <span class="cite-meta">{head}</span>'
            f' <span class="tl-kind tl-kind-{esc(kind)}">{esc(kind_label(kind, lang))}</span></div>'
            f'<div class="cite-section"><span class="cite-label">{esc(e.get("label") or "")}</span> '
            f'<span class="cite-title">{esc(e.get("title") or "")}</span></div>'
            f'<blockquote class="cite-quote">{esc(e.get("quote") or "")}</blockquote></div>'
        )
    return '<div class="timeline">' + "".join(cards) + "</div>"

"""The ledger tab (督办台账) and the timeline view: Gradio components wired to
``ui.ledger_handlers``. Built inside the page's ``gr.Tabs`` by ``ui.app.build_app``.
"""

# no `from __future__ import annotations`: Gradio reads the `gr.SelectData` annotation of the
# event functions at run time to pass the event
from dataclasses import dataclass
from typing import Any

from minutes_rag.timeline import Timeline, TimelineEntry
from minutes_rag.ui import ledger_render
from minutes_rag.ui.i18n import t
from minutes_rag.ui.ledger_handlers import (
    LedgerHandlers,
    kind_choices,
    ledger_headers,
    ledger_rows,
    status_choices,
)

# A click on a timeline card sends its "tl:i" key to the server as a select event (as the
# chat's cards do); the listener sits on the component's root, which survives re-renders.
TIMELINE_JS = """
const send = (el) => trigger('select', {index: 0, value: el.dataset.cite});
element.addEventListener('click', (e) => {
  const el = e.target.closest('[data-cite]');
  if (!el) return;
  e.preventDefault();
  element.querySelectorAll('.tl-card.active').forEach((x) => x.classList.remove('active'));
  el.classList.add('active');
  send(el);
});
element.addEventListener('keydown', (e) => {
  if ((e.key === 'Enter' || e.key === ' ') && e.target.dataset && e.target.dataset.cite) {
    e.preventDefault();
    send(e.target);
  }
});
"""

CSS = """
#ledger-table { max-height: 62vh; overflow-y: auto; }
.timeline { max-height: 60vh; overflow-y: auto; display: flex; flex-direction: column; gap: 6px; padding-right: 6px; }
.tl-year { font-weight: 700; margin-top: 8px; color: var(--body-text-color-subdued); }
.tl-kind { font-size: 0.8em; border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 0 6px; }
.tl-kind-decision { border-color: #2e7d32; color: #2e7d32; }
.tl-kind-assignment { border-color: #1565c0; color: #1565c0; }
.tl-kind-report { border-color: #6a1b9a; color: #6a1b9a; }
"""


# date, document / meeting, item, kind, matter, lead, partners, deadline, status: the matter gets the room
COLUMN_WIDTHS = ["10%", "13%", "6%", "6%", "28%", "10%", "10%", "8%", "9%"]


def chart_frame(counts: list[tuple[str, int]], lang: str) -> Any:
    import pandas as pd

    # explicit dtypes: an empty or all-digit column ("2021") would otherwise be plotted as a
    # number axis (2,021.5) instead of one bar per period
    return pd.DataFrame({
        "period": pd.Series([p for p, _ in counts], dtype="string"),
        "meetings": pd.Series([n for _, n in counts], dtype="int64"),
    })


def counts_of(entries: list[dict[str, Any]], by: str) -> list[tuple[str, int]]:
    tl = Timeline("", tuple(TimelineEntry(**e) for e in entries))
    return tl.counts("quarter" if by == "quarter" else "year")


@dataclass
class LedgerUI:
    """The components the page relabels when the language changes."""

    components: dict[str, Any]

    def outputs(self) -> list[Any]:
        c = self.components
        return [c[k] for k in ("tab_ledger", "tab_timeline", "unit", "kind", "from", "to", "keyword", "named", "search",
                               "xlsx", "csv", "table", "topic", "t_from", "t_to", "by", "show", "chart")] + [c["_outputs"][3]] + [
            c[k] for k in ("status", "set_status", "note", "lead", "save", "follow")]


def build_tabs(gr: Any, lh: LedgerHandlers, lang0: str, viewer_js: str) -> LedgerUI:
    """The two tabs and their events; call inside ``gr.Tabs()`` within the Blocks."""
    c: dict[str, Any] = {}
    with gr.Tab(t("tab_ledger", lang0), id="ledger", elem_id="tab-ledger") as c["tab_ledger"]:
        rows_state = gr.State([])
        with gr.Row(equal_height=True):
            c["unit"] = gr.Textbox(label=t("ledger_unit", lang0), placeholder=t("ledger_unit_placeholder", lang0),
                                   max_lines=1, elem_id="ledger-unit", scale=2)
            c["kind"] = gr.Dropdown(kind_choices(lang0), value="", label=t("ledger_kind", lang0), elem_id="ledger-kind",
                                    scale=1)
            c["from"] = gr.Textbox(label=t("date_from", lang0), placeholder=t("date_placeholder", lang0), max_lines=1,
                                   elem_id="ledger-from", scale=1)
            c["to"] = gr.Textbox(label=t("date_to", lang0), placeholder=t("date_placeholder", lang0), max_lines=1,
                                 elem_id="ledger-to", scale=1)
            c["keyword"] = gr.Textbox(label=t("ledger_keyword", lang0), max_lines=1, elem_id="ledger-keyword", scale=2)
            c["named"] = gr.Checkbox(value=True, label=t("ledger_named", lang0), elem_id="ledger-named", scale=1)
            c["status"] = gr.Dropdown(status_choices(lang0), value="", label=t("ledger_status", lang0),
                                      elem_id="ledger-status-filter", scale=1)
        with gr.Row():
            c["search"] = gr.Button(t("ledger_search", lang0), variant="primary", elem_id="ledger-search", scale=1)
            c["xlsx"] = gr.DownloadButton(t("ledger_xlsx", lang0), value=None, elem_id="ledger-xlsx", scale=1)
            c["csv"] = gr.DownloadButton(t("ledger_csv", lang0), value=None, elem_id="ledger-csv", scale=1)
            c["follow"] = gr.Button(t("follow", lang0), elem_id="ledger-follow", scale=1)
        followed = gr.Markdown("", elem_id="ledger-follow-msg")
        count = gr.Markdown("", elem_id="ledger-count")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=420):
                c["table"] = gr.Dataframe(value=[], headers=ledger_headers(lang0), interactive=False, wrap=True,
                                          column_widths=COLUMN_WIDTHS, max_height=620, elem_id="ledger-table")
                # the follow-up of the selected row: its state, notes, trail; a status and a note to save
                detail = gr.Markdown("", elem_id="ledger-detail")
                with gr.Row(equal_height=True):
                    c["set_status"] = gr.Dropdown(status_choices(lang0, with_all=False), value=None,
                                                  label=t("ledger_set_status", lang0), elem_id="ledger-set-status",
                                                  scale=1)
                    c["note"] = gr.Textbox(label=t("ledger_note", lang0), max_lines=3, elem_id="ledger-note", scale=3)
                    c["lead"] = gr.Textbox(label=t("ledger_lead", lang0), max_lines=1, elem_id="ledger-lead", scale=2)
                    c["save"] = gr.Button(t("ledger_save", lang0), elem_id="ledger-save", scale=1)
                saved = gr.Markdown("", elem_id="ledger-save-msg")
                selected = gr.State(None)
            with gr.Column(scale=2, min_width=320):
                viewer = gr.HTML(ledger_render.placeholder(t("ledger_viewer_empty", lang0)), js_on_load=viewer_js,
                                 elem_id="ledger-viewer")

    with gr.Tab(t("tab_timeline", lang0), id="timeline", elem_id="tab-timeline") as c["tab_timeline"]:
        tl_state = gr.State([])
        with gr.Row(equal_height=True):
            c["topic"] = gr.Textbox(label=t("timeline_topic", lang0), placeholder=t("timeline_topic_placeholder", lang0),
                                    max_lines=1, elem_id="timeline-topic", scale=3)
            c["t_from"] = gr.Textbox(label=t("date_from", lang0), placeholder=t("date_placeholder", lang0), max_lines=1,
                                     elem_id="timeline-from", scale=1)
            c["t_to"] = gr.Textbox(label=t("date_to", lang0), placeholder=t("date_placeholder", lang0), max_lines=1,
                                   elem_id="timeline-to", scale=1)
            c["by"] = gr.Radio([(t("timeline_year", lang0), "year"), (t("timeline_quarter", lang0), "quarter")],
                               value="year", label=t("timeline_by", lang0), elem_id="timeline-by", scale=1)
            c["show"] = gr.Button(t("timeline_show", lang0), variant="primary", elem_id="timeline-btn", scale=1)
        summary = gr.Markdown("", elem_id="timeline-summary")
        c["chart"] = gr.BarPlot(
            chart_frame([], lang0), x="period", y="meetings", title=t("timeline_chart", lang0),
            x_title=t("timeline_period", lang0), y_title=t("timeline_meetings", lang0), height=220, y_lim=[0, None],
            elem_id="timeline-chart",
        )
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=420):
                tl_list = gr.HTML(ledger_render.timeline_html([], lang0), js_on_load=TIMELINE_JS, elem_id="timeline-list")
            with gr.Column(scale=2, min_width=320):
                tl_viewer = gr.HTML(ledger_render.placeholder(t("timeline_viewer_empty", lang0)), js_on_load=viewer_js,
                                    elem_id="timeline-viewer")
    c["_states"] = (rows_state, tl_state)
    c["_follow"] = (detail, saved, selected, followed)
    c["_outputs"] = (count, viewer, summary, tl_list, tl_viewer)
    return LedgerUI(c)


def wire(gr: Any, ui: LedgerUI, lh: LedgerHandlers, lang_radio: Any) -> None:
    """The tabs' events (the language radio lives in the page header)."""
    c = ui.components
    rows_state, tl_state = c["_states"]
    count, viewer, summary, tl_list, tl_viewer = c["_outputs"]

    detail, saved, selected, followed = c["_follow"]

    def search(unit, kind, d1, d2, kw, named, lg, status):
        rows, text, entries, xlsx, csv = lh.search(unit, kind, d1, d2, kw, named, lg, status or "")
        return (gr.update(value=rows, headers=ledger_headers(lg)), text, entries,
                gr.update(value=xlsx, interactive=xlsx is not None), gr.update(value=csv, interactive=csv is not None))

    inputs = [c["unit"], c["kind"], c["from"], c["to"], c["keyword"], c["named"], lang_radio, c["status"]]
    outs = [c["table"], count, rows_state, c["xlsx"], c["csv"]]
    for trigger in (c["search"].click, c["unit"].submit, c["keyword"].submit):
        trigger(search, inputs, outs, api_visibility="private")

    def open_row(entries, lg, evt: gr.SelectData):
        row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        shown = ledger_rows(entries, lg)
        # a sorted table reports the row as shown: find it by its values
        if evt.row_value is not None and 0 <= int(row) < len(shown) and shown[int(row)] != list(evt.row_value):
            row = next((i for i, r in enumerate(shown) if r == list(evt.row_value)), row)
        return lh.open_row(entries, int(row), lg), int(row), lh.row_detail(entries, int(row), lg), ""

    c["table"].select(open_row, [rows_state, lang_radio], [viewer, selected, detail, saved], api_visibility="private",
                      show_progress="hidden")

    def save(entries, row, status, note, lead, lg, unit, kind, d1, d2, kw, named, flt_status, request: gr.Request):
        user = getattr(request, "username", None) if request is not None else None
        ok, message = lh.save_state(entries, row, status, note, user, lg, lead=lead or "")
        if not ok:
            return (gr.update(), gr.update(), entries, gr.update(), gr.update(), message, gr.update(), gr.update(),
                    gr.update())
        table, text, fresh, xlsx, csv = search(unit, kind, d1, d2, kw, named, lg, flt_status)
        # the same entry in the refreshed list (by its id), for its detail
        item = entries[int(row)]["item_id"]
        at = next((i for i, d in enumerate(fresh) if d["item_id"] == item), None)
        info = lh.row_detail(fresh, at, lg) if at is not None else ""
        return table, text, fresh, xlsx, csv, message, info, "", ""

    c["follow"].click(lambda unit, kw, entries, row, lg: lh.follow(unit, kw, entries, row, lg),
                      [c["unit"], c["keyword"], rows_state, selected, lang_radio], [followed], api_visibility="private")

    c["save"].click(save, [rows_state, selected, c["set_status"], c["note"], c["lead"], lang_radio, *inputs[:6],
                           c["status"]],
                    [c["table"], count, rows_state, c["xlsx"], c["csv"], saved, detail, c["note"], c["lead"]],
                    api_visibility="private")

    def show(topic, d1, d2, by, lg):
        html, entries, counts, text = lh.timeline(topic, d1, d2, by, lg)
        return html, entries, chart_frame(counts, lg), text

    for trigger in (c["show"].click, c["topic"].submit):
        trigger(show, [c["topic"], c["t_from"], c["t_to"], c["by"], lang_radio], [tl_list, tl_state, c["chart"], summary],
                api_visibility="private")
    c["by"].change(lambda entries, by, lg: chart_frame(counts_of(entries, by), lg), [tl_state, c["by"], lang_radio],
                   [c["chart"]], api_visibility="private")

    def open_entry(entries, lg, evt: gr.SelectData):
        return lh.open_timeline_entry(entries, str(evt.value), lg)

    tl_list.select(open_entry, [tl_state, lang_radio], [tl_viewer], api_visibility="private", show_progress="hidden")

    def relabel(lg, entries, tl_entries):
        return (
            gr.Tab(label=t("tab_ledger", lg)),
            gr.Tab(label=t("tab_timeline", lg)),
            gr.update(label=t("ledger_unit", lg), placeholder=t("ledger_unit_placeholder", lg)),
            gr.update(label=t("ledger_kind", lg), choices=kind_choices(lg)),
            gr.update(label=t("date_from", lg), placeholder=t("date_placeholder", lg)),
            gr.update(label=t("date_to", lg), placeholder=t("date_placeholder", lg)),
            gr.update(label=t("ledger_keyword", lg)),
            gr.update(label=t("ledger_named", lg)),
            gr.update(value=t("ledger_search", lg)),
            gr.update(label=t("ledger_xlsx", lg)),
            gr.update(label=t("ledger_csv", lg)),
            gr.update(value=ledger_rows(entries, lg), headers=ledger_headers(lg)),
            gr.update(label=t("timeline_topic", lg), placeholder=t("timeline_topic_placeholder", lg)),
            gr.update(label=t("date_from", lg), placeholder=t("date_placeholder", lg)),
            gr.update(label=t("date_to", lg), placeholder=t("date_placeholder", lg)),
            gr.update(label=t("timeline_by", lg),
                      choices=[(t("timeline_year", lg), "year"), (t("timeline_quarter", lg), "quarter")]),
            gr.update(value=t("timeline_show", lg)),
            gr.update(title=t("timeline_chart", lg), x_title=t("timeline_period", lg), y_title=t("timeline_meetings", lg)),
            ledger_render.timeline_html(tl_entries, lg),
            gr.update(label=t("ledger_status", lg), choices=status_choices(lg)),
            gr.update(label=t("ledger_set_status", lg), choices=status_choices(lg, with_all=False)),
            gr.update(label=t("ledger_note", lg)),
            gr.update(label=t("ledger_lead", lg)),
            gr.update(value=t("ledger_save", lg)),
            gr.update(value=t("follow", lg)),
        )

    lang_radio.change(relabel, [lang_radio, rows_state, tl_state], ui.outputs(), api_visibility="private")

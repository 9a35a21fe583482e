"""The Gradio Blocks page: chat with citation cards, filters, the source viewer, the archive.

``build_app(assistant)`` wires components to the plain functions in ``ui.handlers``;
``launch(settings)`` builds the Assistant and serves the page. Gradio is imported here only,
and this module is imported only when the UI starts.
"""


import logging
import os
import signal
from typing import Any

from minutes_rag.config import Settings
from minutes_rag.ui import ledger_app, render
from minutes_rag.ui.api import AssistantAPI
from minutes_rag.ui.handlers import UPLOAD_TYPES, ChatState, Handlers
from minutes_rag.ui.i18n import norm_lang, t
from minutes_rag.ui.ledger_handlers import LedgerHandlers

log = logging.getLogger(__name__)

API_NAME = "ask"  # gradio_client: Client(url).predict(question, ..., api_name="/ask")

# Clicks on a card or a marker send its "turn:n" key to the server as a select event; the
# listener sits on the component's root, which survives every re-render of its content.
CONVERSATION_JS = """
const send = (el) => trigger('select', {index: 0, value: el.dataset.cite});
element.addEventListener('click', (e) => {
  const el = e.target.closest('[data-cite]');
  if (!el) return;
  e.preventDefault();
  element.querySelectorAll('.cite-card.active').forEach((x) => x.classList.remove('active'));
  const card = element.querySelector('#cite-card-' + el.dataset.cite.replace(':', '-'));
  if (card) card.classList.add('active');
  send(el);
});
element.addEventListener('keydown', (e) => {
  if ((e.key === 'Enter' || e.key === ' ') && e.target.dataset && e.target.dataset.cite) {
    e.preventDefault();
    send(e.target);
  }
});
watch('value', () => {
  const c = element.querySelector('.conversation');
  if (c) c.scrollTop = c.scrollHeight;
});
"""

# The viewer scrolls its own text box to the <mark id="cite-mark"> each time it shows a
# citation; the page itself only scrolls when the mark is still out of sight (narrow screens).
VIEWER_JS = """
watch('value', () => {
  const m = element.querySelector('#cite-mark');
  if (!m) return;
  const box = element.querySelector('.minute-text');
  if (box) {
    const top = m.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    box.scrollTop = Math.max(0, top - box.clientHeight / 3);
  }
  const r = m.getBoundingClientRect();
  if (r.top < 0 || r.bottom > window.innerHeight) m.scrollIntoView({block: 'center'});
  element.dataset.scrolledTo = m.textContent.slice(0, 40);
});
"""

CSS = """
#conversation .conversation { max-height: 62vh; overflow-y: auto; padding: 4px 8px; }
.chat-empty, .viewer-empty { color: var(--body-text-color-subdued); padding: 12px; }
.turn { margin-bottom: 14px; }
.msg { display: flex; gap: 8px; align-items: flex-start; margin: 6px 0; }
.msg .who { flex: none; font-weight: 600; width: 4.5em; color: var(--body-text-color-subdued); }
.msg-user .msg-body { background: var(--background-fill-secondary); border-radius: 8px; padding: 6px 10px; }
.msg-bot .msg-body { flex: 1; min-width: 0; }
.answer-text { line-height: 1.7; white-space: normal; }
.answer-pending { color: var(--body-text-color-subdued); font-style: italic; }
.answer-not-found { color: var(--body-text-color-subdued); }
.answer-warnings { margin-top: 6px; padding: 4px 8px; border-left: 3px solid #d97706; background: rgba(217,119,6,0.08);
  font-size: 0.9em; }
.answer-warnings .warn-head { font-weight: 600; margin-right: 6px; }
.answer-error { color: #b42318; }
.answer-warnings { margin-top: 6px; }
.answer-warning { font-size: 0.85em; color: #93370d; background: #fffaeb; border-left: 3px solid #f79009;
  padding: 2px 8px; margin-top: 2px; }
.mode-badge { flex: none; font-size: 0.75em; border: 1px solid var(--border-color-primary); border-radius: 10px;
  padding: 0 6px; margin-top: 3px; }
.cite-marker { color: var(--link-text-color); text-decoration: none; font-weight: 600; cursor: pointer; }
.cite-cards { display: flex; flex-direction: column; gap: 6px; margin-top: 8px; }
.cite-card { border: 1px solid var(--border-color-primary); border-left: 4px solid var(--color-accent);
  border-radius: 6px; padding: 6px 10px; cursor: pointer; background: var(--background-fill-primary); }
.cite-card:hover, .cite-card.active { background: var(--background-fill-secondary); }
.cite-card-head { font-size: 0.85em; color: var(--body-text-color-subdued); }
.cite-n { font-weight: 700; color: var(--link-text-color); }
.cite-section { font-weight: 600; margin: 2px 0; }
.cite-label { color: var(--color-accent); margin-right: 4px; }
.cite-quote { margin: 4px 0 0 0; padding-left: 8px; border-left: 2px solid var(--border-color-primary);
  font-size: 0.92em; }
.minute-viewer .viewer-head { border-bottom: 1px solid var(--border-color-primary); margin-bottom: 6px; padding-bottom: 4px; }
.viewer-title { font-weight: 700; }
.viewer-meta, .viewer-cite { font-size: 0.85em; color: var(--body-text-color-subdued); }
.minute-text { white-space: pre-wrap; line-height: 1.7; max-height: 68vh; overflow-y: auto; padding-right: 6px; }
.cite-section-hl { background: rgba(255, 213, 79, 0.16); }
mark.cite-hl { background: #ffd54f; color: inherit; padding: 1px 0; border-radius: 2px; }
.ingest-errors { color: #b42318; }
.ingest-warnings { color: #b54708; }
.ingest-reads { font-size: 0.85em; color: var(--body-text-color-subdued); }
"""


def _labels(lang: str, llm: bool, mb: float) -> dict[str, Any]:
    return {
        "mode_choices": [(t("mode_extractive", lang), "extractive")] + ([(t("mode_llm", lang), "llm")] if llm else []),
        "mode_info": None if llm else t("mode_llm_missing", lang),
        "upload": t("upload", lang, types=" ".join(UPLOAD_TYPES), mb=f"{mb:g}"),
        "headers": [t(k, lang) for k in ("col_doc", "col_meeting", "col_date", "col_title", "col_sections")],
        "header_md": f"## {t('title', lang)}\n{t('subtitle', lang)}",
    }


def build_app(assistant: AssistantAPI, *, lang: str | None = None, max_upload_mb: float | None = None) -> Any:
    """The page around ``assistant`` (anything with the Assistant API); not launched."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    lang0 = norm_lang(lang or assistant.settings.ui_lang)
    h = Handlers(assistant, max_upload_mb=max_upload_mb)
    lh = LedgerHandlers(h)
    llm = h.llm_available()
    L = _labels(lang0, llm, h.max_upload_mb)

    with gr.Blocks(title=t("title", lang0), analytics_enabled=False) as app:
        state = gr.State(ChatState())
        pending = gr.State("")
        with gr.Row(equal_height=False):
            header = gr.Markdown(L["header_md"], elem_id="app-header")
            lang_radio = gr.Radio(
                [("中文", "zh"), ("English", "en")], value=lang0, label=t("language", lang0),
                elem_id="lang", scale=0, min_width=200,
            )
        status = gr.Markdown(h.status(lang0), elem_id="server-status")
        status_timer = gr.Timer(0.5, active=not h.ready.is_set())
        with gr.Tabs(elem_id="tabs"):
            with gr.Tab(t("tab_chat", lang0), id="chat", elem_id="tab-chat") as tab_chat:
                with gr.Row(equal_height=False):
                    with gr.Column(scale=1, min_width=200, elem_id="filters"):
                        filters_md = gr.Markdown(f"### {t('filters', lang0)}")
                        date_from = gr.Textbox(
                            label=t("date_from", lang0), placeholder=t("date_placeholder", lang0), elem_id="date-from",
                            max_lines=1,
                        )
                        date_to = gr.Textbox(
                            label=t("date_to", lang0), placeholder=t("date_placeholder", lang0), elem_id="date-to",
                            max_lines=1,
                        )
                        minute = gr.Dropdown(
                            h.minute_choices(lang0), value="", label=t("minute", lang0), elem_id="minute-filter",
                        )
                        mode = gr.Radio(
                            L["mode_choices"], value=h.default_mode(), label=t("mode", lang0), info=L["mode_info"],
                            interactive=llm, elem_id="mode",
                        )
                    with gr.Column(scale=3, min_width=360, elem_id="chat-col"):
                        conv = gr.HTML(
                            render.conversation_html([], lang0), js_on_load=CONVERSATION_JS, elem_id="conversation",
                        )
                        # lines=1 with room to grow: Gradio sends on Enter only for a one-line
                        # box, and Shift+Enter then inserts a new line (as every chat does)
                        question = gr.Textbox(
                            label=t("question", lang0), placeholder=t("question_placeholder", lang0), lines=1,
                            max_lines=6, info=t("question_info", lang0), elem_id="question",
                        )
                        with gr.Row():
                            ask_btn = gr.Button(t("ask", lang0), variant="primary", elem_id="ask-btn")
                            clear_btn = gr.Button(t("clear", lang0), elem_id="clear-btn")
                    with gr.Column(scale=3, min_width=360, elem_id="viewer-col"):
                        viewer = gr.HTML(
                            render.placeholder_html(t("viewer_empty", lang0)), js_on_load=VIEWER_JS,
                            elem_id="source-viewer", label=t("viewer", lang0),
                        )
            ledger_ui = ledger_app.build_tabs(gr, lh, lang0, VIEWER_JS)
            with gr.Tab(t("tab_archive", lang0), id="archive", elem_id="tab-archive") as tab_archive:
                count = gr.Markdown(t("archive_count", lang0, n=len(h.minutes())), elem_id="archive-count")
                table = gr.Dataframe(
                    value=h.archive_rows(), headers=L["headers"], interactive=False, elem_id="archive-table",
                    wrap=True,
                )
                upload = gr.File(
                    file_count="multiple", file_types=list(UPLOAD_TYPES), label=L["upload"], elem_id="upload",
                )
                result = gr.HTML("", elem_id="ingest-result")

        def poll_status(lg: str):
            # ticks while the server warms up, then stops
            return h.status(lg), gr.Timer(active=not h.ready.is_set())

        status_timer.tick(poll_status, [lang_radio], [status, status_timer], api_visibility="private",
                          show_progress="hidden", queue=False)
        app.load(poll_status, [lang_radio], [status, status_timer], api_visibility="private", queue=False)
        lang_radio.change(poll_status, [lang_radio], [status, status_timer], api_visibility="private", queue=False)

        # -- chat --------------------------------------------------------------------------
        def take(q: str) -> tuple[str, str]:
            return "", q

        def chat(q, st, d1, d2, mid, md, lg):
            yield from h.chat(q, st, d1, d2, mid, md, lg)

        chat_inputs = [pending, state, date_from, date_to, minute, mode, lang_radio]
        for trigger in (ask_btn.click, question.submit):
            trigger(take, [question], [question, pending], queue=False, api_visibility="private").then(
                chat, chat_inputs, [conv, state], api_visibility="private", show_progress="hidden",
            )

        def open_cite(st: ChatState, lg: str, evt: gr.SelectData) -> str:
            return h.open_citation(str(evt.value), st, lg)

        conv.select(open_cite, [state, lang_radio], [viewer], api_visibility="private", show_progress="hidden")
        clear_btn.click(h.clear, [lang_radio], [conv, state, viewer], api_visibility="private")

        # -- archive -----------------------------------------------------------------------
        def refresh(lg: str):
            minutes_now = h.minutes()
            return (
                gr.update(value=render.archive_rows(minutes_now), headers=_labels(lg, llm, h.max_upload_mb)["headers"]),
                gr.update(choices=h.minute_choices(lg)),
                t("archive_count", lg, n=len(minutes_now)),
            )

        def ingest(files, lg, progress=gr.Progress()):
            progress(0.0, desc=t("ingest_progress", lg))
            html = h.ingest(files, lg, progress=lambda frac, name: progress(frac, desc=f"{t('ingest_progress', lg)} {name}"))
            return (html, *refresh(lg))

        upload.upload(ingest, [upload, lang_radio], [result, table, minute, count], api_visibility="private")
        app.load(refresh, [lang_radio], [table, minute, count], api_visibility="private")

        # -- language ----------------------------------------------------------------------
        def switch(lg: str, st: ChatState, mid: str):
            lg = norm_lang(lg)
            lb = _labels(lg, llm, h.max_upload_mb)
            return (
                lb["header_md"],
                gr.update(label=t("language", lg)),
                gr.Tab(label=t("tab_chat", lg)),
                gr.Tab(label=t("tab_archive", lg)),
                f"### {t('filters', lg)}",
                gr.update(label=t("date_from", lg), placeholder=t("date_placeholder", lg)),
                gr.update(label=t("date_to", lg), placeholder=t("date_placeholder", lg)),
                gr.update(label=t("minute", lg), choices=h.minute_choices(lg), value=mid or ""),
                gr.update(label=t("mode", lg), choices=lb["mode_choices"], info=lb["mode_info"]),
                h.rerender(st, lg),
                gr.update(label=t("question", lg), placeholder=t("question_placeholder", lg), info=t("question_info", lg)),
                gr.update(value=t("ask", lg)),
                gr.update(value=t("clear", lg)),
                gr.update(headers=lb["headers"]),
                gr.update(label=lb["upload"]),
                t("archive_count", lg, n=len(h.minutes())),
            )

        lang_radio.change(
            switch, [lang_radio, state, minute],
            [header, lang_radio, tab_chat, tab_archive, filters_md, date_from, date_to, minute, mode, conv, question,
             ask_btn, clear_btn, table, upload, count],
            api_visibility="private",
        )

        ledger_app.wire(gr, ledger_ui, lh, lang_radio)

        # -- the API -----------------------------------------------------------------------
        def ask(question: str, date_from: str = "", date_to: str = "", minute_id: str = "", mode: str = "") -> dict:
            """Answers a question from the minutes: {"answer", "citations": [...], "found", "mode", ...}."""
            try:
                return h.api_ask(question, date_from, date_to, minute_id, mode)
            except ValueError as exc:
                # a refused request is handled: one log line, not Gradio's default traceback
                log.info("API request refused: %s", exc)
                raise gr.Error(str(exc), print_exception=False) from exc

        gr.api(ask, api_name=API_NAME)

    app.minutes_handlers = h  # launch() warms up through it
    return app


def parse_auth(value: str) -> tuple[str, str] | None:
    """"user:password" -> ("user", "password"); empty -> None."""
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user:
        from minutes_rag.errors import ConfigError

        raise ConfigError("auth must look like user:password")
    return user, password


def parse_users(settings: Settings) -> list[tuple[str, str]] | None:
    """Every account with auth on: the editor (``auth``), then the viewers (``viewer_auth``)."""
    editor = parse_auth(settings.auth)
    if editor is None:
        return None
    return [editor, *(a for a in (parse_auth(v) for v in settings.viewer_auth.split()) if a is not None)]


def launch_app(app: Any, settings: Settings, *, prevent_thread_lock: bool = False, quiet: bool = False) -> Any:
    """Serves a built page with the settings' host, port, auth and upload limit. With auth,
    the gate (``ui.gate``) answers nothing but the login page without a session."""
    auth = parse_users(settings)
    # questions run in parallel up to this many per event (the chat, the /ask API): a slow
    # LLM answer holds one slot, not the server
    out = app.queue(default_concurrency_limit=int(settings.ui_concurrency)).launch(
        server_name=settings.host,
        server_port=int(settings.port),
        auth=auth,
        max_file_size=int(float(settings.max_upload_mb) * 1024 * 1024),  # bytes
        css=CSS + ledger_app.CSS,
        show_error=True,
        footer_links=["api"],
        prevent_thread_lock=True,  # the gate goes in before anyone is served the page
        quiet=quiet,
    )
    from minutes_rag.serve import mount
    from minutes_rag.ui import rest

    handlers = getattr(app, "minutes_handlers", None)
    pool = mount.make_pool(settings)  # one answer pool for /api/ask, /v1 and /mcp
    if handlers is not None:
        rest.install(app.server_app, handlers, pool)
        from minutes_rag.ui import feeds

        feeds.install(app.server_app, lambda: handlers.assistant.index)
    if auth is not None:
        from minutes_rag.ui import gate

        gate.install(app.server_app, basic=auth)
    if handlers is not None:
        # the OpenAI-compatible chat and MCP, behind the API keys (in front of the gate)
        mount.install(app.server_app, handlers, settings, pool)
    if not prevent_thread_lock:
        app.block_thread()
    return out


def launch(settings: Settings) -> None:
    """Builds the Assistant from ``settings`` and serves the chat until interrupted."""
    for key, value in (
        ("GRADIO_ANALYTICS_ENABLED", "False"), ("HF_HUB_OFFLINE", "1"), ("HF_HUB_DISABLE_TELEMETRY", "1"),
        ("ANONYMIZED_TELEMETRY", "False"),
    ):
        os.environ.setdefault(key, value)
    from minutes_rag.assistant import build_assistant

    parse_users(settings)  # a malformed value fails before anything loads
    assistant = build_assistant(settings)
    app = build_app(assistant, lang=settings.ui_lang, max_upload_mb=settings.max_upload_mb)
    app.minutes_handlers.start_warm_up()
    launch_app(app, settings, prevent_thread_lock=True)
    # `minutes-rag ask` on this data directory asks this server (see minutes_rag.remote)
    from minutes_rag import remote

    host = "127.0.0.1" if settings.host in ("0.0.0.0", "", "::") else settings.host
    registration = remote.register(settings.data_path, f"http://{host}:{app.server_port}")

    def stop(signum: int, frame: Any) -> None:  # a TERM (service stop, kill) unregisters too
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        app.block_thread()
    finally:
        remote.unregister(registration)

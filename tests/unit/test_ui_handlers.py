"""The chat's event handlers and the Gradio page, over a fake Assistant (no model, no index)."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings
from minutes_rag.errors import ConfigError, NotFound
from minutes_rag.model import Answer, Citation, Filters, IngestReport, Minute, MinuteMeta, Section
from minutes_rag.ui.handlers import ChatState, Handlers, make_filters

TEXT = "苏州市人民政府常务会议纪要\n〔2020〕21号\n一、审议<script>alert(1)</script>方案\n（一）由市住建局牵头。其余。\n"
Q0 = TEXT.index("由市住建局")
Q1 = Q0 + len("由市住建局牵头。")
S0 = TEXT.index("（一）")
META = MinuteMeta(title="苏州市人民政府常务会议纪要", doc_number="〔2020〕21号", meeting_number=102, date="2020-06-30")


@dataclass
class FakeAssistant:
    """The Assistant API with canned answers; records what the UI asked for."""

    settings: Settings
    calls: list = field(default_factory=list)
    ingested: list = field(default_factory=list)
    opened: list = field(default_factory=list)
    fail_with: Exception | None = None

    def _answer(self, question, filters):
        if filters.date_from and filters.date_from > META.date:
            return Answer(question, "未找到", (), "extractive", found=False)
        cite = Citation(1, "m1", META.doc_number, META.meeting_number, META.date, "一（一）", "审议方案",
                        TEXT[Q0:Q1], Q0, Q1, "s1")
        return Answer(question, "由市住建局牵头。[1]", (cite,), "extractive", timings_ms={"total": 1.0})

    def ask_stream(self, question, *, filters=Filters(), k=None, mode=None, history=()):
        self.calls.append({"question": question, "filters": filters, "mode": mode, "history": list(history)})
        if self.fail_with is not None:
            raise self.fail_with
        ans = self._answer(question, filters)
        if ans.found:
            yield "由市住建局"
            yield "牵头。[1]"
        yield ans

    def ask(self, question, *, filters=Filters(), k=None, mode=None, history=()):
        return list(self.ask_stream(question, filters=filters, mode=mode, history=history))[-1]

    def retrieve(self, question, *, filters=Filters(), k=None):
        return []

    @property
    def llm_available(self):
        return self.settings.llm_configured

    def get_minute(self, ref):
        self.opened.append(ref)
        if ref != "m1":
            raise NotFound(f"no minute {ref}")
        sec = Section("s1", "m1", ("一", "（一）"), "item", "审议方案", TEXT[S0:], S0, len(TEXT))
        return Minute("m1", "/src/a.txt", "h", TEXT, META), [sec]

    def list_minutes(self):
        return [{"minute_id": "m1", "title": META.title, "doc_number": META.doc_number, "meeting_number": 102,
                 "date": META.date, "source": "/src/a.txt", "sections": 1}]

    def ingest(self, paths, *, prune=False, progress=None, ocr_progress=None):
        self.ingested.append([Path(p) for p in paths])
        if ocr_progress:
            ocr_progress(1, 2, str(paths[0]), 0.5)
        rep = IngestReport()
        for i, p in enumerate(paths):
            if Path(p).read_bytes().startswith(b"BAD"):
                rep.failed += 1
                rep.errors.append({"path": str(p), "error": "no <agenda> found"})
            else:
                rep.added += 1
            if progress:
                progress(i + 1, len(paths), str(p))
        return rep

    not_found_text = staticmethod(Assistant.not_found_text)
    answer_json = staticmethod(Assistant.answer_json)


@pytest.fixture
def fake(tmp_path):
    return FakeAssistant(Settings.load(env={}, data_dir=str(tmp_path / "data"), max_upload_mb=0.001))


def _run(h, question, state, *, date_from="", date_to="", minute="", mode="extractive", lang="zh"):
    return list(h.chat(question, state, date_from, date_to, minute, mode, lang))


def test_chat_streams_then_shows_the_final_answer_with_cards(fake):
    h = Handlers(fake)
    state = ChatState()
    frames = _run(h, "谁牵头？", state)
    assert len(frames) >= 2
    assert 'data-state="pending"' in frames[0][0] and "cite-card" not in frames[0][0]
    final = frames[-1][0]
    assert 'data-state="done"' in final and 'data-cite="0:1"' in final and 'id="cite-card-0-1"' in final
    assert "〔2020〕21号" in final and "一（一）" in final and "由市住建局牵头。" in final
    assert state.views[0].citations[0]["start"] == Q0


def test_follow_up_questions_send_the_conversation(fake):
    h = Handlers(fake)
    state = ChatState()
    _run(h, "谁牵头？", state)
    _run(h, "什么时候？", state)
    first, second = fake.calls
    assert first["history"] == []
    assert [t.question for t in second["history"]] == ["谁牵头？"]
    assert second["history"][0].answer.citations[0].quote == TEXT[Q0:Q1]


def test_filters_and_mode_reach_the_assistant(fake):
    h = Handlers(fake)
    _run(h, "q", ChatState(), date_from="2020-01-01", date_to="2020-12-31", minute="m1", mode="llm")
    call = fake.calls[0]
    assert call["filters"] == Filters(date_from="2020-01-01", date_to="2020-12-31", minute_id="m1")
    assert call["mode"] == "llm"


def test_not_found_answer_speaks_the_interface_language(fake):
    h = Handlers(fake)
    state = ChatState()
    html_en = _run(h, "q", state, date_from="2021-01-01", lang="en")[-1][0]
    assert "No relevant content was found in the minutes." in html_en
    assert "cite-card" not in html_en
    assert "未在会议纪要中找到相关内容" in h.rerender(state, "zh")


def test_bad_dates_are_reported_without_asking(fake):
    h = Handlers(fake)
    out = _run(h, "q", ChatState(), date_from="2020/01/01")[-1][0]
    assert "YYYY-MM-DD" in out and fake.calls == []
    with pytest.raises(ValueError):
        make_filters("2021-01-01", "2020-01-01", "", "en")


def test_errors_show_in_the_chat_escaped(fake):
    fake.fail_with = ConfigError("no LLM is configured <here>")
    out = _run(Handlers(fake), "q", ChatState(), mode="llm")[-1][0]
    assert "no LLM is configured &lt;here&gt;" in out and 'class="answer-error"' in out


def test_empty_question_asks_nothing(fake):
    frames = _run(Handlers(fake), "   ", ChatState())
    assert len(frames) == 1 and fake.calls == []


def test_opening_a_citation_marks_its_quote_in_the_whole_minute(fake):
    h = Handlers(fake)
    state = ChatState()
    _run(h, "q", state)
    out = h.open_citation("0:1", state, "zh")
    assert fake.opened == ["m1"]
    assert re.findall(r'<mark class="cite-hl" id="cite-mark">(.*?)</mark>', out) == ["由市住建局牵头。"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "<script" not in out
    assert 'class="cite-section-hl"' in out


@pytest.mark.parametrize("key", ["0:2", "5:1", "x", "../../etc/passwd", "0:/etc/passwd", ""])
def test_only_citations_of_this_session_can_be_opened(fake, key):
    h = Handlers(fake)
    state = ChatState()
    _run(h, "q", state)
    out = h.open_citation(key, state, "zh")
    assert fake.opened == [] and "<mark" not in out and "viewer-empty" in out


def test_a_minute_gone_from_the_index_says_so(fake):
    out = Handlers(fake).open_minute("m-gone", "en")
    assert "no longer in the archive" in out


def test_upload_checks_type_and_size_and_reports_each_file(fake, tmp_path):
    ok = tmp_path / "ok.txt"
    ok.write_text("小文件")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"BAD minute")
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ")
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 5000)  # over the 0.001 MB limit of the fixture
    seen = []
    h = Handlers(fake)
    out = h.ingest([str(ok), str(bad), str(exe), str(big)], "en", progress=lambda frac, name: seen.append((frac, name)))
    assert [p.name for p in fake.ingested[0]] == ["ok.txt", "bad.txt"]
    assert all(p.parent == h.upload_dir for p in fake.ingested[0]) and (h.upload_dir / "ok.txt").read_text() == "小文件"
    assert "1 added" in out and "3 failed" in out
    assert "tool.exe" in out and "unsupported file type .exe" in out
    assert "big.txt" in out and "too large" in out
    assert "bad.txt" in out and "no &lt;agenda&gt; found" in out
    assert seen[-1] == (1.0, "bad.txt")
    assert seen[0] == (0.5, "OCR ok.txt: 1/2 pages, 0.50 pages/s")  # a scan's pages move the bar


def test_upload_names_cannot_leave_the_upload_folder(fake, tmp_path):
    src = tmp_path / "..evil.txt"
    src.write_text("x")
    h = Handlers(fake)
    h.ingest([str(src)], "zh")
    (dest,) = fake.ingested[0]
    assert dest.parent == h.upload_dir and dest.name == "evil.txt"


def test_upload_with_nothing_acceptable_ingests_nothing(fake, tmp_path):
    exe = tmp_path / "a.exe"
    exe.write_bytes(b"MZ")
    out = Handlers(fake).ingest([str(exe)], "zh")
    assert fake.ingested == [] and "没有可收录的文件" in out and "a.exe" in out


def test_api_returns_answer_and_citations_as_data(fake):
    out = Handlers(fake).api_ask("谁牵头？", "", "", "", "")
    assert out["found"] is True and out["answer"] == "由市住建局牵头。[1]"
    assert out["citations"][0]["label"] == "一（一）" and out["citations"][0]["doc_number"] == "〔2020〕21号"
    assert Handlers(fake).api_ask("q", "2021-01-01")["found"] is False


def test_build_app_exposes_the_ask_endpoint(fake):
    from minutes_rag.ui import build_app
    from minutes_rag.ui.app import API_NAME, parse_auth

    app = build_app(fake, lang="en")
    names = [d.get("api_name") for d in app.config["dependencies"]]
    assert API_NAME == "ask" and "ask" in names
    assert app.config["title"] == "Meeting minutes assistant"
    assert parse_auth("me:s3:cret") == ("me", "s3:cret") and parse_auth("") is None
    with pytest.raises(ConfigError):
        parse_auth("nopassword")


def _component(app, elem_id):
    return next(c["props"] for c in app.config["components"] if c.get("props", {}).get("elem_id") == elem_id)


def test_answer_mode_is_switchable_only_when_an_llm_is_configured(tmp_path):
    from minutes_rag.ui import build_app

    plain = FakeAssistant(Settings.load(env={}, data_dir=str(tmp_path / "a")))
    mode = _component(build_app(plain), "mode")
    assert [c[1] for c in mode["choices"]] == ["extractive"] and mode["interactive"] is False
    assert mode["value"] == "extractive"

    llm = FakeAssistant(Settings.load(env={}, data_dir=str(tmp_path / "b"), llm_base_url="http://127.0.0.1:9/v1",
                                      mode="llm"))
    mode = _component(build_app(llm), "mode")
    assert [c[1] for c in mode["choices"]] == ["extractive", "llm"] and mode["interactive"] is True
    assert mode["value"] == "llm"


@pytest.mark.network  # starts the app on a loopback port
def test_the_server_refuses_uploads_over_the_limit(tmp_path):
    import socket

    import httpx

    from minutes_rag.ui import build_app
    from minutes_rag.ui.app import launch_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = Settings.load(env={}, data_dir=str(tmp_path), port=port, max_upload_mb=1)
    app = build_app(FakeAssistant(settings))
    launch_app(app, settings, prevent_thread_lock=True, quiet=True)
    try:
        url = f"http://127.0.0.1:{port}/gradio_api/upload"
        small = httpx.post(url, files={"files": ("a.txt", b"x" * 500_000)})
        big = httpx.post(url, files={"files": ("b.txt", b"x" * 1_100_000)})
    finally:
        app.close()
    assert small.status_code == 200
    assert big.status_code == 413


# -- hardening (issue 10): validation, index notes --------------------------------------------

def test_ui_dates_are_validated_as_dates_and_notes_are_shown(tmp_path) -> None:
    from minutes_rag.assistant import BUSY_NOTE, DENSE_NOTE
    from minutes_rag.errors import InvalidRequest
    from minutes_rag.notices import INDEX_BUSY, KEYWORD_ONLY, Notice, keyword_only
    from minutes_rag.ui import render
    from minutes_rag.ui.handlers import check_date, invalid_message, localise_warning

    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        check_date("2020-13-45", "en")
    assert check_date("2020-02-29", "en") == "2020-02-29"
    # the page reads a warning's code (notices.py), not its English text
    assert "仅来自关键词检索" in localise_warning(Notice(INDEX_BUSY, BUSY_NOTE), "zh")
    zh = localise_warning(keyword_only("the Chroma server at http://x did not answer"), "zh")
    assert "向量索引暂不可用" in zh and "the Chroma server at http://x" in zh
    assert localise_warning(Notice(KEYWORD_ONLY, "reworded in English"), "en").startswith("The vector index is unavailable")
    assert localise_warning(DENSE_NOTE.format(why="x"), "zh") == DENSE_NOTE.format(why="x")  # no code: as it is
    assert localise_warning("something else", "zh") == "something else"
    assert "上限为 2000 字" in invalid_message(
        InvalidRequest("question", "the question is 5000 characters long; the limit is 2000: please shorten it"), "zh")
    view = render.TurnView(question="q", text="a", warnings=["<b>note</b>"])
    html = render.turn_html(view, 0, "en")
    assert 'class="answer-warning">&lt;b&gt;note&lt;/b&gt;</div>' in html


def test_an_upload_while_another_process_ingests_says_so(tmp_path) -> None:
    from test_index_safety import hold_lock_in_another_process

    from minutes_rag.embed import HashEmbedder

    data = tmp_path / "data"
    data.mkdir()
    a = Assistant(Settings.load(env={}, data_dir=str(data)), embedder=HashEmbedder(64))
    h = Handlers(a, upload_dir=tmp_path / "up")
    f = tmp_path / "m.txt"
    f.write_text("某市人民政府常务会议纪要\n\n一、审议《方案》\n\n会议原则同意。\n", encoding="utf-8")
    proc = hold_lock_in_another_process(data)
    try:
        html = h.ingest([str(f)], "en")
    finally:
        proc.kill()
        proc.wait()
    assert f"being updated by process {proc.pid}" in html
    assert "1 added" in h.ingest([str(f)], "en") and a.index.minute_count() == 1


# -- issue 20 (item 8): say what answered, everywhere ------------------------------------------

@dataclass
class FallbackAssistant(FakeAssistant):
    """The LLM's reply was rejected and the extractive answer shown; retrieval was keyword-only."""

    def _answer(self, question, filters):
        from minutes_rag.answer import FALLBACK_MODE
        from minutes_rag.notices import LLM_FALLBACK, Notice, keyword_only

        ans = super()._answer(question, filters)
        notes = (keyword_only("the Chroma server at http://127.0.0.1:9 did not answer"),
                 Notice(LLM_FALLBACK, "LLM reply not shown (the reply cites no numbered sentence); answered extractively"))
        return Answer(ans.question, ans.text, ans.citations, FALLBACK_MODE, timings_ms=ans.timings_ms, warnings=notes)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_badge_names_the_extractive_answerer_when_the_llm_reply_was_not_used(tmp_path, lang):
    from minutes_rag.ui.i18n import t

    h = Handlers(FallbackAssistant(Settings.load(env={}, data_dir=str(tmp_path / "data"))))
    html = _run(h, "谁牵头？", ChatState(), mode="llm", lang=lang)[-1][0]
    badge = re.search(r'<span class="mode-badge">([^<]*)</span>', html)
    assert badge is not None
    assert badge.group(1) == t("mode_fallback", lang) != t("mode_llm", lang)
    assert badge.group(1).startswith(t("mode_extractive", lang))
    # both notes are under the answer, in the page's language: the keyword-only retrieval
    # (Chroma down) and the rejected LLM reply
    assert 'class="answer-warnings"' in html
    assert t("dense_note", lang, why="the Chroma server at http://127.0.0.1:9 did not answer") in html
    assert ("大模型的回答未被采用" if lang == "zh" else "The LLM&#x27;s reply was not used") in html


def test_the_api_carries_every_warning_with_its_code(tmp_path):
    h = Handlers(FallbackAssistant(Settings.load(env={}, data_dir=str(tmp_path / "data"))))
    out = h.api_ask("谁牵头？", "", "", "", "llm")
    assert out["mode"] == "llm-fallback-extractive"
    assert out["warning_codes"] == ["keyword_only", "llm_fallback"]
    assert all(isinstance(w, str) for w in out["warnings"]) and "answered extractively" in out["warnings"][1]

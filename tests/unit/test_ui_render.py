"""The chat's HTML: escaping, clickable markers and cards, the highlighted minute."""

import html
import re

from minutes_rag.ui import i18n, render
from minutes_rag.ui.render import TurnView

CITE = {
    "n": 1, "minute_id": "m1", "doc_number": "〔2020〕21号", "meeting_number": 102, "date": "2020-06-30",
    "label": "四（一）", "title": "审议《方案》", "quote": "由市住建局牵头。", "start": 10, "end": 18,
}


def _text_of(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_script_in_question_answer_and_quote_is_escaped():
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    view = TurnView(question=evil, text=evil + "[1]", citations=[{**CITE, "quote": evil, "title": evil}])
    out = render.conversation_html([view], "zh")
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert out.count("&lt;img src=x onerror=alert(2)&gt;") == 4  # question, answer, title, quote


def test_known_markers_become_links_and_unknown_stay_text():
    out = render.answer_html("第一句。[1]\n第二句[7]。", 3, [1])
    assert 'data-cite="3:1"' in out
    assert "[7]" in out and 'data-cite="3:7"' not in out
    assert "<br>" in out


def test_card_shows_document_meeting_date_label_title_quote():
    out = render.card_html(CITE, 0, "zh")
    text = _text_of(out)
    for part in ("[1]", "〔2020〕21号", "第102次会议", "2020-06-30", "四（一）", "审议《方案》", "由市住建局牵头。"):
        assert part in text
    assert 'data-cite="0:1"' in out and 'id="cite-card-0-1"' in out
    assert "meeting 102" in _text_of(render.card_html(CITE, 0, "en"))


def test_cards_wait_until_the_answer_is_final():
    pending = TurnView(question="q", text="部分", citations=[CITE], pending=True)
    done = TurnView(question="q", text="全部[1]", citations=[CITE])
    assert "cite-card" not in render.turn_html(pending, 0, "zh")
    assert 'data-state="pending"' in render.turn_html(pending, 0, "zh")
    assert "cite-card" in render.turn_html(done, 0, "zh")
    assert 'data-state="done"' in render.turn_html(done, 0, "zh")


def test_minute_marks_exactly_the_quote_and_keeps_all_text():
    text = "导语<b>\n一、审议方案\n（一）由市住建局牵头。其余内容。\n结尾"
    q0 = text.index("由市住建局")
    q1 = q0 + len("由市住建局牵头。")
    s0 = text.index("（一）")
    s1 = text.index("\n结尾")
    out = render.minute_html({"minute_id": "m1", "title": "纪要", "doc_number": "〔2020〕21号", "meeting_number": 1,
                              "date": "2020-06-30"}, text, "zh", quote=(q0, q1), section=(s0, s1))
    marks = re.findall(r'<mark class="cite-hl" id="cite-mark">(.*?)</mark>', out)
    assert marks == ["由市住建局牵头。"]
    assert "&lt;b&gt;" in out and "<b>" not in out
    body = re.search(r'<div class="minute-text">(.*)</div></div>$', out, re.S).group(1)
    assert _text_of(body) == text
    shaded = "".join(re.findall(r'<span class="cite-section-hl">(.*?)</span>', body, re.S))
    assert _text_of(shaded) == text[s0:s1]


def test_minute_without_quote_has_no_mark():
    out = render.minute_html({"minute_id": "m1"}, "全文", "zh")
    assert "<mark" not in out and "全文" in out


def test_archive_rows_and_choice_labels():
    rows = render.archive_rows([
        {"minute_id": "a", "doc_number": "〔2020〕21号", "meeting_number": 102, "date": "2020-06-30", "title": "纪要",
         "sections": 22},
        {"minute_id": "b", "doc_number": "", "meeting_number": None, "date": "", "title": "", "sections": 3,
         "source": "/x/y.txt"},
    ])
    assert rows == [["〔2020〕21号", 102, "2020-06-30", "纪要", 22], ["", "", "", "", 3]]
    assert render.minute_choice({"date": "2020-06-30", "doc_number": "〔2020〕21号", "title": "纪要"}) == \
        "2020-06-30 〔2020〕21号 纪要"
    assert render.minute_choice({"minute_id": "b", "source": "/x/y.txt"}) == "/x/y.txt"


def test_ingest_errors_are_listed_and_escaped():
    out = render.ingest_html("1 failed", [("<x>.exe", "unsupported <type>")], "en")
    assert "&lt;x&gt;.exe" in out and "unsupported &lt;type&gt;" in out and "<x>" not in out


def test_every_string_has_both_languages():
    for key, entry in i18n._STRINGS.items():
        assert entry["zh"] and entry["en"], key
    assert i18n.t("ask", "en") == "Ask" and i18n.t("ask", "zh") == "提问"
    assert i18n.t("ask", "fr") == "提问"  # anything but English falls back to Chinese
    assert i18n.norm_lang("en-US") == "en" and i18n.norm_lang(None) == "zh"

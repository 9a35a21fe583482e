"""The ledger tab and the timeline view in a real headless browser (Playwright + Debian's
chromium, never `playwright install`), over `python app.py` started as a user starts it.

The archive: 40 synthetic minutes (the generator says which minutes name which topic and
unit) plus the Suzhou minute, ingested by the real bundled model. The test filters the
ledger by a unit, opens a row's passage (highlighted), downloads the xlsx and reads it back
with openpyxl, then shows the timeline of the topic most minutes discussed, checks its
cards against the generator and its chart, and opens a card's passage. With
MINUTES_RAG_DOCS_SCREENSHOTS=DIR it writes the README's screenshots there.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from minutes_rag.evaluation import synth
from minutes_rag.evaluation.synth.vocab import TOPICS

sys.path.insert(0, str(Path(__file__).parent))
from test_browser_ui import CHROMIUM, FLAGS, serve_app  # noqa: E402

pytestmark = [pytest.mark.integration, pytest.mark.browser]

SEED, MINUTES = 11, 40
UNIT = "市住建局"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    synth.write_archive(out, MINUTES, SEED)
    minutes = synth.generate(MINUTES, SEED)
    counts = sorted(((sum(1 for m in minutes if name in m.text), name) for name, _, _ in TOPICS), reverse=True)
    n, topic = counts[0]
    assert n >= 4  # the archive has a topic worth a timeline
    dates = sorted(m.date for m in minutes if topic in m.text)
    return out, topic, dates


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, archive, suzhou_path):
    folder, _, _ = archive
    with serve_app(tmp_path_factory.mktemp("ui-ledger-data"), [folder, suzhou_path], ingest_timeout=600) as url:
        yield url


@pytest.fixture(scope="module")
def page(app_url):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is missing: run scripts/system-deps.sh (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pg = browser.new_page(viewport={"width": 1500, "height": 1050}, accept_downloads=True)
        pg.goto(app_url, wait_until="load")
        pg.locator("#question textarea").wait_for(timeout=60_000)
        yield pg
        browser.close()


def _shot(pg, name: str, tmp_path: Path) -> None:
    pg.evaluate("() => window.scrollTo(0, 0)")  # the viewer scrolls its own box to the mark
    folder = os.environ.get("MINUTES_RAG_DOCS_SCREENSHOTS")
    path = Path(folder) / name if folder else tmp_path / name
    pg.screenshot(path=str(path))
    print(f"[ui] screenshot: {path}")


ROWS = "#ledger-table .virtual-body [role=row]"  # Gradio 6's Dataframe: a virtualised grid


def _cells(pg, row: int) -> list[str]:
    return [c.strip() for c in pg.locator(ROWS).nth(row).locator("[role=gridcell]").all_inner_texts()]


def _bar_labels(pg) -> list[str]:
    """The x-axis labels the plot drew (Vega renders an SVG)."""
    return pg.evaluate(
        "() => [...document.querySelectorAll('#timeline-chart g.role-axis-label text')].map(t => t.textContent)")


def test_ledger_filter_open_download(page, tmp_path):
    pg = page
    pg.locator("#tabs button[role=tab]", has_text="督办台账").click()
    unit = pg.locator("#ledger-unit input, #ledger-unit textarea").first
    unit.fill(UNIT)
    assert pg.locator("#ledger-named input[type=checkbox]").is_checked()  # named units only by default
    pg.locator("#ledger-search").click()
    pg.wait_for_function("() => /共 \\d+ 条/.test(document.querySelector('#ledger-count').innerText)", timeout=60_000)
    n = int(re.search(r"共 (\d+) 条", pg.locator("#ledger-count").inner_text()).group(1))
    assert n >= 5
    pg.wait_for_function(f"() => document.querySelectorAll('{ROWS}').length >= {min(n, 5)}", timeout=30_000)
    rows = pg.locator(ROWS)
    for i in range(rows.count()):  # the rows the grid rendered
        cells = _cells(pg, i)
        assert UNIT in cells[5] or UNIT in cells[6], cells  # responsible or partner unit

    # a row opens its passage in the viewer, the entry's quote highlighted
    first = _cells(pg, 0)
    rows.nth(0).locator("[role=gridcell]").nth(4).click()
    mark = pg.locator("#ledger-viewer mark#cite-mark")
    mark.wait_for(timeout=30_000)
    assert mark.inner_text().strip()
    meta = pg.locator("#ledger-viewer .viewer-meta").inner_text()
    assert first[0] in meta  # the row's date is the minute's
    assert first[2] in pg.locator("#ledger-viewer .viewer-cite").inner_text()  # and its item label
    _shot(pg, "screenshot-ledger.png", tmp_path)

    # the xlsx download holds every entry the filter passed, with the unit in each row
    with pg.expect_download(timeout=30_000) as dl:
        pg.locator("#ledger-xlsx").click()
    path = tmp_path / "ledger.xlsx"
    dl.value.save_as(str(path))
    import openpyxl

    ws = openpyxl.load_workbook(path).worksheets[0]
    values = [[("" if v is None else str(v)) for v in r] for r in ws.iter_rows(values_only=True)]
    head_i = next(i for i, r in enumerate(values) if "责任单位" in r)
    head = values[head_i]
    data = [r for r in values[head_i + 1:] if any(r)]
    assert len(data) == n
    lead, partners, quote = head.index("责任单位"), head.index("配合单位"), head.index("原文")
    assert all(UNIT in r[lead] or UNIT in r[partners] for r in data)
    assert any(r[quote] == mark.inner_text().strip() for r in data)  # the opened passage is a row of it


def test_timeline_cards_chart_and_passage(page, archive, tmp_path):
    pg = page
    _, topic, truth_dates = archive
    pg.locator("#tabs button[role=tab]", has_text="议题时间线").click()
    pg.locator("#timeline-topic input, #timeline-topic textarea").first.fill(topic)
    pg.locator("#timeline-btn").click()
    pg.locator("#timeline-list .tl-card").first.wait_for(timeout=60_000)
    cards = pg.locator("#timeline-list .tl-card")
    dates = [re.search(r"\d{4}-\d{2}-\d{2}", c).group(0) for c in cards.all_inner_texts()]
    assert dates == sorted(dates)
    assert dates == truth_dates  # every minute that named the topic, and only those
    assert str(len(truth_dates)) in pg.locator("#timeline-summary").inner_text()
    # the chart: one bar per year from the first to the last, the years the generator says
    years = sorted({d[:4] for d in truth_dates})
    span = [str(y) for y in range(int(years[0]), int(years[-1]) + 1)]
    pg.wait_for_function(f"() => document.querySelectorAll('#timeline-chart g.mark-rect path').length === {len(span)}",
                         timeout=30_000)
    assert [x.replace(",", "") for x in _bar_labels(pg) if x.replace(",", "") in span] == span

    # a card opens its passage, the quote highlighted
    card = cards.nth(len(truth_dates) - 1)
    quote = card.locator(".cite-quote").inner_text().strip()
    card.click()
    mark = pg.locator("#timeline-viewer mark#cite-mark")
    mark.wait_for(timeout=30_000)
    assert mark.inner_text().strip() == quote
    _shot(pg, "screenshot-timeline.png", tmp_path)

    # by quarter: one bar per quarter of the span, labelled 2021Q3 ...
    pg.locator("#timeline-by label", has_text="按季度").click()
    pg.wait_for_function("() => [...document.querySelectorAll('#timeline-chart g.role-axis-label text')]"
                         ".some(t => /\\d{4}Q[1-4]/.test(t.textContent))", timeout=30_000)
    quarters = [x for x in _bar_labels(pg) if re.fullmatch(r"\d{4}Q[1-4]", x)]
    first, last = truth_dates[0], truth_dates[-1]
    assert quarters[0] == f"{first[:4]}Q{(int(first[5:7]) - 1) // 3 + 1}"
    assert quarters[-1] == f"{last[:4]}Q{(int(last[5:7]) - 1) // 3 + 1}"

    # English relabels both tabs
    pg.locator("#lang label", has_text="English").click()
    pg.locator("#tabs button[role=tab]", has_text="Ledger").wait_for(timeout=15_000)
    pg.locator("#tabs button[role=tab]", has_text="Timeline").wait_for(timeout=15_000)
    assert "Show timeline" in pg.locator("#timeline-btn").inner_text()


def test_chat_answers_a_timeline_question_with_cited_lines(page, archive):
    pg = page
    _, topic, truth_dates = archive
    pg.locator("#lang label", has_text="中文").click()
    pg.locator("#tabs button[role=tab]", has_text="问答").wait_for(timeout=15_000)
    pg.locator("#tabs button[role=tab]", has_text="问答").click()
    n = pg.locator("#conversation .turn").count()
    pg.locator("#question textarea").fill(f"历次常务会议对{topic}作了哪些部署？")
    pg.locator("#ask-btn").click()
    turn = f"#turn-{n}"
    pg.locator(f'{turn}[data-state="done"]').wait_for(timeout=120_000)
    cards = pg.locator(f"{turn} .cite-card")
    assert cards.count() == len(truth_dates)  # one cited line per meeting
    dates = [re.search(r"\d{4}-\d{2}-\d{2}", c).group(0) for c in cards.all_inner_texts()]
    assert dates == truth_dates
    assert "议题时间线" in pg.locator(f"{turn} .mode-badge").inner_text()
    quote = cards.nth(0).locator(".cite-quote").inner_text().strip()
    cards.nth(0).click()
    mark = pg.locator("#source-viewer mark#cite-mark")
    mark.wait_for(timeout=30_000)
    assert mark.inner_text().strip() == quote

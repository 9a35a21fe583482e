"""Real dev minutes of every English style (../shared/corpus/dev/en) through parse + split +
ledger, scored against the labels written before the rules (eval/structure_dev_en.jsonl,
eval/ledger_dev_en_styles.jsonl) with the eval's own scorer. Thresholds sit a little under
what the rules reach (docs/evaluation.md, "Issue 16: real English styles"); the minutes kept
unseen while the rules were written count here too."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from minutes_rag.evaluation.ledger import load_ledger_sets, place_labels, score_minute
from minutes_rag.evaluation.structure import load_structure_sets, score_structure
from minutes_rag.ledger.extract import extract_ledger
from minutes_rag.model import Minute, Section
from minutes_rag.parse import load_minute
from minutes_rag.split import split_minute

REPO = Path(__file__).resolve().parents[2]
STRUCTURE = REPO / "eval" / "structure_dev_en.jsonl"
LEDGER = REPO / "eval" / "ledger_dev_en_styles.jsonl"

# style -> (item recall, item precision) floors
STRUCTURE_FLOORS = {
    "en/licensing_board_voting_minutes": (0.93, 0.95),
    "en/legistar_event_actions": (0.95, 0.95),
    "en/w3c_tag_minutes": (0.90, 0.55),
    "en/ietf_wg_minutes": (0.85, 0.85),
    "en/nodejs_tsc_minutes": (0.90, 0.80),
    "en/rust_leadership_council_minutes": (0.85, 0.20),
}
# style -> decision recall, decision precision floors (None: not asserted)
DECISION_FLOORS = {
    "en/licensing_board_voting_minutes": (0.95, 0.90),
    "en/legistar_event_actions": (0.95, 0.90),
    "en/fomc_minutes_flat": (0.80, 0.40),
    "en/w3c_tag_minutes": (0.80, 0.40),
    "en/ietf_wg_minutes": (0.60, 0.35),
    "en/nodejs_tsc_minutes": (0.45, 0.70),
    "en/rust_leadership_council_minutes": (0.70, 0.50),
}
# named assignments, recall floors, over the styles that name owners of tasks
ASSIGNMENT_RECALL_FLOORS = {
    "en/w3c_tag_minutes": 0.80,
    "en/ietf_wg_minutes": 0.60,
    "en/nodejs_tsc_minutes": 0.60,
    "en/rust_leadership_council_minutes": 0.70,
}


@pytest.fixture(scope="module")
def read(corpus: Path) -> dict[str, tuple[Minute, list[Section]]]:
    cache: dict[str, tuple[Minute, list[Section]]] = {}
    for rec in load_structure_sets([STRUCTURE], corpus):
        minute = load_minute(corpus / rec.file)
        cache[rec.file] = (minute, split_minute(minute))
    return cache


def _ratio(a: float, b: float) -> float:
    return a / b if b else 1.0


def test_structure_per_style(corpus: Path, read: dict[str, tuple[Minute, list[Section]]]) -> None:
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for rec in load_structure_sets([STRUCTURE], corpus):
        minute, sections = read[rec.file]
        sc = score_structure(rec, sections, minute.text, minute.meta)
        t = tally[rec.style]
        t[0] += sc.found
        t[1] += sc.labelled
        t[2] += sc.matched_sections
        t[3] += sc.sections
    for style, (recall, precision) in STRUCTURE_FLOORS.items():
        found, labelled, matched, sections = tally[style]
        assert _ratio(found, labelled) >= recall, (style, found, labelled)
        assert _ratio(matched, sections) >= precision, (style, matched, sections)


def test_council_items_are_sections_labelled_by_their_number(read: dict[str, tuple[Minute, list[Section]]]) -> None:
    # a Legistar stated meeting: every matter is its own section, labelled as printed
    minute, sections = read["dev/en/legistar_event_actions/nyc_2003-06-12_15_30_city-council_2338.txt"]
    labels = {s.label_path[-1] for s in sections if s.kind == "item"}
    assert {"Res 0938-2003", "M 0620-2003", "4."} <= labels
    # a licensing board: numbered licence applications that restart under each hearing
    minute, sections = read["dev/en/licensing_board_voting_minutes/boston_licensing_board_2022-01-20.txt"]
    items = [s for s in sections if s.kind == "item" and s.part == 0]
    assert len(items) >= 12 and items[0].label_path == ("1.",)


def test_ledger_per_style(corpus: Path, read: dict[str, tuple[Minute, list[Section]]]) -> None:
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    bad_quotes = 0
    for rec in load_ledger_sets([LEDGER], corpus):
        minute, sections = read[rec.file]
        entries = extract_ledger(minute, sections)
        bad_quotes += sum(minute.text[e.start : e.end] != e.quote for e in entries)
        sc = score_minute(place_labels(rec, minute.text), entries, minute.text, "en")
        for group, t in sc.tallies.items():
            row = tally[(rec.style, group)]
            row[0] += t.matched_labels
            row[1] += t.labels
            row[2] += t.matched_entries
            row[3] += t.entries
    assert bad_quotes == 0
    for style, (recall, precision) in DECISION_FLOORS.items():
        ml, nl, me, ne = tally[(style, "decision")]
        assert _ratio(ml, nl) >= recall, (style, "decision recall", ml, nl)
        assert _ratio(me, ne) >= precision, (style, "decision precision", me, ne)
    for style, recall in ASSIGNMENT_RECALL_FLOORS.items():
        ml, nl, _me, _ne = tally[(style, "assignment (named)")]
        assert _ratio(ml, nl) >= recall, (style, "named assignment recall", ml, nl)


def test_council_dispositions_carry_the_item_number(read: dict[str, tuple[Minute, list[Section]]]) -> None:
    minute, sections = read["dev/en/legistar_event_actions/nyc_2019-12-19_10_00_finance_17732.txt"]
    decisions = [e for e in extract_ledger(minute, sections) if e.kind == "decision"]
    items = [s for s in sections if s.kind == "item" and not s.label_path[-1].endswith(".")]
    with_number = [e for e in decisions if e.subject.split(" ")[0] in {"Int", "Res", "LU", "M", "T", "SLR"} or e.subject[:1] == "T"]
    assert len(items) >= 10 and len(with_number) >= 0.85 * len(items)

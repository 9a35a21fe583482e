"""Ledger set format and metrics: hand-computed cases, errors that name the line, and the
development labels checked against the minutes they describe."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from minutes_rag.evaluation.ledger import (
    LedgerLabel,
    LedgerMinute,
    LedgerSetError,
    is_ledger_set,
    load_ledger_sets,
    match,
    matches,
    score_minute,
    split_sets,
    summarize,
)
from minutes_rag.ledger import LedgerEntry

REPO = Path(__file__).resolve().parents[2]
TEXT = "由市住建局会同市财政局年底前完成改造。原则同意《甲方案》。原则同意《乙方案》。各地要抓好落实。"


def entry(kind: str, quote: str, lead: tuple[str, ...] = (), subject: str = "", deadline: str = "", generic: bool = False) -> LedgerEntry:
    start = TEXT.index(quote)
    return LedgerEntry(
        item_id=f"m-{kind}{start}", minute_id="m", doc_number="", meeting_number=None, date="", label="一",
        section_id="s", kind=kind, lead=lead, subject=subject, deadline=deadline, generic=generic, quote=quote,
        start=start, end=start + len(quote),
    )


A = entry("assignment", "由市住建局会同市财政局年底前完成改造。", ("市住建局",), deadline="年底前")
D1 = entry("decision", "原则同意《甲方案》。", subject="《甲方案》")
D2 = entry("decision", "原则同意《乙方案》。", subject="《乙方案》")
G = entry("assignment", "各地要抓好落实。", ("各地",), generic=True)


def test_matching_by_content() -> None:
    assert matches(LedgerLabel("assignment", lead="市住建局", task="完成改造"), A)
    assert not matches(LedgerLabel("assignment", lead="市财政局", task="完成改造"), A)  # a partner is not the lead
    assert not matches(LedgerLabel("assignment", lead="市住建局", task="完成验收"), A)  # task not in the quote
    assert not matches(LedgerLabel("report", lead="市住建局"), A)  # another kind
    assert matches(LedgerLabel("decision", outcome="原则同意", subject="乙方案"), D2)
    assert not matches(LedgerLabel("decision", outcome="原则同意", subject="乙方案"), D1)
    # whitespace and title brackets do not count
    assert matches(LedgerLabel("decision", outcome="原则 同意", subject="《甲方案》"), D1)


def test_one_to_one_matching_finds_the_maximum() -> None:
    # label 0 fits both decisions, label 1 only the first: a greedy pass would pair 0 with D1
    labels = [LedgerLabel("decision", outcome="原则同意"), LedgerLabel("decision", outcome="原则同意", subject="甲方案")]
    assert match(labels, [D1, D2]) == [(0, 1), (1, 0)]
    # two labels cannot share one entry
    assert len(match([LedgerLabel("decision", outcome="原则同意")] * 2, [D1])) == 1


def test_scores_hand_computed() -> None:
    labels = (
        LedgerLabel("assignment", lead="市住建局", task="完成改造", deadline="年底前"),
        LedgerLabel("decision", outcome="原则同意", subject="甲方案"),
        LedgerLabel("report", lead="市审计局", subject="审计情况"),  # missed
        LedgerLabel("assignment", lead="各地", task="抓好落实", generic=True),
    )
    wrong = LedgerEntry(**{**D2.__dict__, "quote": "X", "item_id": "bad"})  # a quote that is not the text
    sc = score_minute(LedgerMinute("t", "m", labels), [A, D1, D2, G, wrong], TEXT, "zh")
    s = summarize([sc])
    g = s["groups"]
    # assignments: 2 labels, 2 entries, both matched; named: 1 and 1
    assert (g["assignment"]["labels"], g["assignment"]["entries"], g["assignment"]["matched"]) == (2, 2, 2)
    assert g["assignment (named)"]["precision"] == 1.0 and g["assignment (named)"]["labels"] == 1
    # decisions: 1 label, 3 entries (D1 right, D2 and the broken one spurious)
    assert g["decision"]["recall"] == 1.0 and g["decision"]["precision"] == pytest.approx(1 / 3)
    # reports: 1 label, no entry
    assert g["report"]["recall"] == 0.0 and g["report"]["precision"] is None
    assert s["deadline_accuracy"] == 1.0 and s["deadline_pairs"] == 1
    assert s["subject_accuracy"] == 1.0
    assert s["verbatim_quotes"] == pytest.approx(4 / 5)
    assert [m["kind"] for m in sc.missed] == ["report"]


def test_deadline_accuracy_counts_a_deadline_on_either_side() -> None:
    labels = (LedgerLabel("assignment", lead="市住建局", task="完成改造", deadline="6月30日前"),)
    sc = score_minute(LedgerMinute("t", "m", labels), [A], TEXT, "zh")
    assert summarize([sc])["deadline_accuracy"] == 0.0
    labels = (LedgerLabel("assignment", lead="市住建局", task="完成改造"),)  # entry has one, label none
    sc = score_minute(LedgerMinute("t", "m", labels), [A], TEXT, "zh")
    assert summarize([sc])["deadline_accuracy"] == 0.0


def test_bad_sets_name_the_file_and_line(tmp_path: Path) -> None:
    good = {"id": "a", "ledger": True, "minute": "〔2020〕21号", "entries": [{"kind": "report", "lead": "市科技局"}]}
    cases = {
        "kind": {**good, "entries": [{"kind": "vote"}]},
        "lead": {**good, "entries": [{"kind": "assignment", "task": "x"}]},
        "unknown field": {**good, "entries": [{"kind": "report", "lead": "x", "who": "y"}]},
        "minute": {**good, "minute": ""},
        "partners": {**good, "entries": [{"kind": "report", "lead": "x", "partners": "市财政局"}]},
    }
    for problem, bad in cases.items():
        record = {**bad, "id": "b"}
        p = tmp_path / "set.jsonl"
        p.write_text("// comment\n" + json.dumps(good, ensure_ascii=False) + "\n" + json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        with pytest.raises(LedgerSetError) as exc:
            load_ledger_sets([p])
        assert f"{p}:3" in str(exc.value) and problem.split()[0] in str(exc.value), problem
    p = tmp_path / "dup.jsonl"
    p.write_text(json.dumps(good) + "\n" + json.dumps(good) + "\n", encoding="utf-8")
    with pytest.raises(LedgerSetError, match="duplicate"):
        load_ledger_sets([p])


def test_ledger_sets_are_told_from_question_sets() -> None:
    ledger, questions = split_sets([REPO / "eval" / "ledger_dev.jsonl", REPO / "eval" / "dev_zh.jsonl"])
    assert [Path(p).name for p in ledger] == ["ledger_dev.jsonl"]
    assert [Path(p).name for p in questions] == ["dev_zh.jsonl"]
    assert not is_ledger_set(REPO / "eval" / "dev_en.jsonl")


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s).replace("《", "").replace("》", "").lower()


def labels_are_verbatim(set_path: Path, folders: list[Path]) -> int:
    """Assert that every labelled string of a ledger set occurs in the minute its record
    names (looked up by file name or document number in ``folders``); returns the count."""
    from minutes_rag.parse import load_minute

    texts: dict[str, str] = {}
    for folder in folders:
        for f in sorted(folder.iterdir()):
            if f.suffix in (".txt", ".docx"):
                m = load_minute(f, max_bytes=10**7)
                texts[f.name] = m.text
                if m.meta.doc_number:
                    texts.setdefault(m.meta.doc_number, m.text)
    n = 0
    for item in load_ledger_sets([set_path]):
        text = _squash(texts[item.minute])
        for lb in item.entries:
            for value in (lb.lead, lb.task, lb.outcome, lb.subject, lb.deadline, *lb.partners):
                assert _squash(value) in text, (item.id, value)
                n += 1
    return n


@pytest.mark.parametrize("name", ["ledger_synthetic_sample.jsonl", "ledger_heldout.jsonl", "ledger_heldout2.jsonl"])
def test_the_labels_are_verbatim_in_their_minutes(name: str) -> None:
    """(The labels of the real minutes beside the repository: tests/integration/test_ledger_real.py.)"""
    folders = [REPO / "ingest" / "sample" / "synthetic", REPO / "eval" / "ledger_heldout", REPO / "eval" / "ledger_heldout2"]
    assert labels_are_verbatim(REPO / "eval" / name, folders) > 50


def test_the_synthetic_generator_writes_its_ground_truth_ledger(tmp_path: Path) -> None:
    from minutes_rag.evaluation.synth import write_archive

    write_archive(tmp_path / "a", 12, seed=3, ledger_path=tmp_path / "ledger.jsonl")
    items = load_ledger_sets([tmp_path / "ledger.jsonl"])
    assert len(items) == 12
    kinds = {lb.kind for item in items for lb in item.entries}
    assert kinds == {"decision", "assignment", "report"}
    assert labels_are_verbatim(tmp_path / "ledger.jsonl", [tmp_path / "a"]) > 12 * 3

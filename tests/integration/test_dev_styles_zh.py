"""The four Chinese readout styles of ../shared/corpus/dev (issue 16), read the way ingest
reads them (parse, split, ledger rules) and scored against the labels in eval/
(structure_dev_zh.jsonl, ledger_dev_zh_styles.jsonl, by reference). The thresholds sit a little
under what the rules reach (docs/evaluation.md, "Issue 16: real styles"), so a rule that breaks
a style fails here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from minutes_rag.evaluation.direct import score_sets

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
STYLES = ("zh/state_council_readout", "zh/gov_exec_readout", "zh/party_people_congress_cppcc_readout",
          "zh/department_meeting_readout")


@pytest.fixture(scope="module")
def scores(corpus: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    if not (corpus / "dev" / "MANIFEST.jsonl").exists():
        pytest.fail(f"the dev corpus is missing at {corpus / 'dev'}")
    s, ledger = score_sets([REPO / "eval" / "structure_dev_zh.jsonl"], [REPO / "eval" / "ledger_dev_zh_styles.jsonl"],
                           corpus)
    assert s is not None and ledger is not None
    return s, ledger


def _pooled(rows: dict[str, dict[str, Any]], style: str) -> dict[str, Any]:
    """A style's dev and unseen rows together."""
    got = [r for g, r in rows.items() if g == style or g.startswith(f"{style} [")]
    assert got, style
    return {k: sum(r[k] for r in got) for k in ("items", "found", "sections")} | {
        "matched": sum(round((r["precision"] or 0) * r["sections"]) for r in got)}


@pytest.mark.parametrize("style", STYLES)
def test_every_matter_of_a_readout_is_an_item(scores: tuple[dict, dict], style: str) -> None:
    row = _pooled(scores[0]["by_style"], style)
    assert row["found"] / row["items"] >= 0.95
    assert row["matched"] / row["sections"] >= 0.9


def test_readout_metadata_reads_the_meeting_date_not_the_publication_time(scores: tuple[dict, dict]) -> None:
    assert scores[0]["all"]["meta_accuracy"] >= 0.78


def _group(ledger: dict[str, Any], name: str) -> dict[str, Any]:
    return ledger["groups"][name]


def test_decisions_reports_and_assignments_of_the_readouts(scores: tuple[dict, dict]) -> None:
    ledger = scores[1]
    assert ledger["verbatim_quotes"] == 1.0
    d, r, rn, a = (_group(ledger, g) for g in ("decision", "report", "report (named)", "assignment"))
    assert d["recall"] >= 0.9 and d["precision"] >= 0.9
    assert r["recall"] >= 0.7 and r["precision"] >= 0.85
    assert rn["recall"] >= 0.7 and rn["precision"] >= 0.85
    assert a["recall"] >= 0.55 and a["precision"] >= 0.9
    an = _group(ledger, "assignment (named)")
    assert an["recall"] >= 0.7 and an["precision"] >= 0.9


@pytest.mark.parametrize("style", ["zh/state_council_readout", "zh/party_people_congress_cppcc_readout"])
def test_decisions_per_style(scores: tuple[dict, dict], style: str) -> None:
    rows = scores[1]["styles"]["by_style"]
    got = [v["groups"]["decision"] for g, v in rows.items() if g == style or g.startswith(f"{style} [")]
    labels, matched = sum(x["labels"] for x in got), sum(x["matched"] for x in got)
    assert matched / labels >= 0.9

"""The ledger over real minutes, ingested with the real bundled model and a real embedded
Chroma: every quote verbatim at its offsets in every minute, the same ledger from other
file formats of one minute, and the extraction targets on the labelled sets."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from minutes_rag.assistant import Assistant, build_assistant
from minutes_rag.config import Settings
from minutes_rag.evaluation.ledger import load_ledger_sets, run_ledger_eval
from minutes_rag.ledger import LedgerFilter

sys.path.insert(0, str(Path(__file__).parent))
from test_ingest_real import _renderings  # noqa: E402

sys.path.insert(0, str(Path(__file__).parents[1] / "unit"))
from test_eval_ledger import labels_are_verbatim  # noqa: E402

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
SETS = ["ledger_dev.jsonl", "ledger_synthetic_sample.jsonl", "ledger_heldout.jsonl", "ledger_heldout2.jsonl"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, suzhou_path: Path, portland_path: Path, bundled_embedder) -> Assistant:
    tmp = tmp_path_factory.mktemp("ledger-real")
    renderings = _renderings(suzhou_path, tmp / "renderings")
    a = build_assistant(Settings.load(env={}, data_dir=str(tmp / "data")), embedder=bundled_embedder)
    report = a.ingest([
        suzhou_path, portland_path, REPO / "ingest" / "sample" / "synthetic", REPO / "eval" / "ledger_heldout",
        REPO / "eval" / "ledger_heldout2", *renderings,
    ])
    assert report.failed == 0, report.errors
    a.renderings = renderings  # type: ignore[attr-defined]
    return a


def test_every_quote_is_verbatim_at_its_offsets(archive: Assistant) -> None:
    total = 0
    for m in archive.list_minutes():
        minute = archive.index.minute(m["minute_id"])
        sections = {s.section_id: s for s in archive.index.sections_of(m["minute_id"])}
        for e in archive.actions(LedgerFilter(minute=m["minute_id"])):
            assert minute.text[e.start : e.end] == e.quote, (m["source"], e.item_id)
            sec = sections[e.section_id]
            assert sec.start <= e.start < sec.end and sec.label == e.label
            assert (e.doc_number, e.date, e.meeting_number) == (minute.meta.doc_number, minute.meta.date, minute.meta.meeting_number)
            total += 1
    assert total > 150


def test_other_formats_of_a_minute_give_the_same_ledger(archive: Assistant, suzhou_path: Path) -> None:
    by_source = {m["source"]: m["minute_id"] for m in archive.list_minutes()}

    def summary(path: Path) -> list[tuple]:
        rows = archive.actions(LedgerFilter(minute=by_source[str(path.resolve())]))
        return [(e.kind, e.label, e.lead, e.partners, e.outcome, "".join(e.task.split())) for e in rows]

    reference = summary(suzhou_path)
    assert len(reference) >= 15
    for f in archive.renderings:  # type: ignore[attr-defined]
        assert summary(f) == reference, f.name


def test_extraction_targets_on_the_labelled_sets(archive: Assistant, suzhou_path: Path) -> None:
    items = load_ledger_sets([REPO / "eval" / n for n in SETS])
    sources = {Path(m["source"]).name: m["minute_id"] for m in archive.list_minutes()}

    def resolve(ref: str) -> str:
        # the Suzhou minute is there in several formats: score the one from the corpus
        if ref == "〔2020〕21号":
            return sources[suzhou_path.name]
        return sources.get(ref) or archive.index.resolve_minute(ref)

    summary, _ = run_ledger_eval(
        items, archive.actions, resolve, lambda mid: archive.index.minute(mid).text, lambda mid: archive.index.meta(mid).lang
    )
    g = summary["groups"]
    for group in ("assignment (named)", "report (named)"):
        assert g[group]["precision"] >= 0.9 and g[group]["recall"] >= 0.9, (group, g[group])
    assert g["decision"]["recall"] >= 0.9, g["decision"]
    assert g["decision (en)"]["recall"] >= 0.85 and g["decision (en)"]["precision"] >= 0.85, g["decision (en)"]
    assert summary["verbatim_quotes"] == 1.0
    assert summary["deadline_accuracy"] >= 0.8


def test_the_dev_labels_are_verbatim_in_the_real_minutes(corpus: Path) -> None:
    assert labels_are_verbatim(REPO / "eval" / "ledger_dev.jsonl", [corpus / "zh", corpus / "en"]) > 80

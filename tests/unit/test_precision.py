"""The precision an archive was embedded in is recorded with its collection, followed by an
embedder left on auto, and a mismatch is reported (ingest warning, doctor)."""

from __future__ import annotations

from pathlib import Path

from test_ingest_pipeline import MINUTE_A, MINUTE_B

from minutes_rag import doctor
from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings
from minutes_rag.e5.embedder import E5Embedder
from minutes_rag.embed import HashEmbedder
from minutes_rag.precision import mismatch


class PrecisionHash(HashEmbedder):
    """A hash embedder that says it computes in ``precision`` (as the e5 embedder does)."""

    def __init__(self, precision: str) -> None:
        super().__init__(64)
        self.precision = precision


def ingest(data: Path, folder: Path, precision: str):
    a = Assistant(Settings.load(env={}, data_dir=str(data)), embedder=PrecisionHash(precision))
    return a, a.ingest([folder])


def test_the_precision_is_recorded_and_another_one_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_text(MINUTE_A, encoding="utf-8")
    a, first = ingest(tmp_path / "data", folder, "bf16")
    assert a.index.recorded_precisions(a.store.collection_name) == ["bf16"]
    assert not any("precision" in w or "bf16" in w for w in first.warnings)
    check = doctor.full_check(a.index, a.store, a.embedder.name, precision="bf16")
    assert check.precision_note == "" and check.to_json()["precision"]["recorded"] == ["bf16"]
    # the same archive read on a machine that embeds in fp32
    check = doctor.full_check(a.index, a.store, a.embedder.name, precision="fp32")
    assert "bf16" in check.precision_note and "fp32" in check.precision_note
    assert check.ok  # a note, not an inconsistency: the exit code of doctor does not change
    a.close()

    (folder / "b.txt").write_text(MINUTE_B, encoding="utf-8")
    b, second = ingest(tmp_path / "data", folder, "fp32")
    assert second.added == 1
    assert any("embedded in bf16" in w and "fp32" in w for w in second.warnings)
    assert b.index.recorded_precisions(b.store.collection_name) == ["bf16", "fp32"]
    check = doctor.full_check(b.index, b.store, b.embedder.name, precision="fp32")
    assert "several precisions" in check.precision_note


def test_nothing_embedded_records_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_text(MINUTE_A, encoding="utf-8")
    a, _ = ingest(tmp_path / "data", folder, "bf16")
    a.close()
    b, again = ingest(tmp_path / "data", folder, "fp32")  # nothing new: no vector of fp32 added
    assert again.unchanged == 1 and again.embedded == 0
    assert b.index.recorded_precisions(b.store.collection_name) == ["bf16"]
    assert not any("fp32" in w for w in again.warnings)


def test_an_auto_embedder_follows_the_archive_and_an_explicit_one_does_not(tmp_path: Path) -> None:
    auto = E5Embedder(tmp_path / "model", precision="auto")
    auto.follow_precision("bf16")
    assert auto._precision_setting == "bf16"
    fixed = E5Embedder(tmp_path / "model", precision="fp32")
    fixed.follow_precision("bf16")
    assert fixed._precision_setting == "fp32"


def test_the_assistant_builds_its_e5_embedder_in_the_archive_s_precision(tmp_path: Path) -> None:
    data = tmp_path / "data"
    settings = Settings.load(env={}, data_dir=str(data), embedder="e5", models_dir=str(tmp_path / "models"))
    a = Assistant(settings)
    from minutes_rag.store import collection_name

    a.index.record_precision(collection_name(settings.collection_prefix, "e5-small-q4-st"), "bf16")
    assert a.embedder._precision_setting == "bf16"  # type: ignore[attr-defined]
    explicit = Assistant(Settings.load(env={}, data_dir=str(data), embedder="e5:fp32",
                                       models_dir=str(tmp_path / "models")))
    assert explicit.embedder._precision_setting == "fp32"  # type: ignore[attr-defined]


def test_mismatch_sentences() -> None:
    assert mismatch([], "bf16") == "" and mismatch(["bf16"], "") == "" and mismatch(["bf16"], "bf16") == ""
    assert "embedded in fp16 and this machine embeds in fp32" in mismatch(["fp16"], "fp32")
    assert "several precisions (bf16, fp32)" in mismatch(["bf16", "fp32"], "bf16")

"""The ingest report says how each minute was read and warns about a long minute with no agenda
items: the real CLI in a subprocess, the real bundled model, a real Chroma, a real minute of
the dev corpus next to an invented flat note."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

SRC = Path(__file__).resolve().parents[2] / "src"
FLAT = ("The committee talked about the budget and the weather for a long while without any numbered item. " * 30)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "ANONYMIZED_TELEMETRY": "False", "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "minutes_rag.cli", *args], env=env, capture_output=True, text=True,
                          timeout=600)


def test_cli_reports_each_minute_and_warns_on_the_one_not_understood(corpus: Path, tmp_path: Path):
    archive = tmp_path / "archive"
    archive.mkdir()
    board = corpus / "dev" / "en" / "licensing_board_voting_minutes" / "boston_licensing_board_2020-05-14.txt"
    shutil.copy(board, archive / board.name)
    (archive / "flat_note.txt").write_text(FLAT, encoding="utf-8")
    data = str(tmp_path / "data")

    out = _run("ingest", str(archive), "--data-dir", data, "--json")
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout)
    reads = {Path(r["path"]).name: r for r in report["minutes_read"]}
    assert set(reads) == {board.name, "flat_note.txt"}
    assert reads[board.name]["items"] >= 1 and reads[board.name]["family"] != "paragraphs"
    assert reads["flat_note.txt"]["family"] == "paragraphs" and reads["flat_note.txt"]["items"] == 0
    flat_codes = {w["code"] for w in report["warning_details"] if w["path"].endswith("flat_note.txt")}
    assert "no_agenda_items" in flat_codes
    assert not any(w["code"] == "no_agenda_items" and w["path"].endswith(board.name) for w in report["warning_details"])
    assert any("flat_note.txt: read as paragraphs: no agenda items recognised" in w for w in report["warnings"])

    structure = _run("doctor", "--structure", "--data-dir", data, "--json")
    assert structure.returncode == 0, structure.stderr[-2000:]
    listed = json.loads(structure.stdout)
    assert listed["minutes"] == 2 and listed["recorded"] == 2
    assert "flat_note.txt" in {Path(m["path"]).name for m in listed["flagged"]}
    plain = _run("doctor", "--structure", "--data-dir", data)
    assert "warning: flat_note.txt" in plain.stdout

"""The command line's side of the hardening: `doctor`, the writer lock's message and wait,
validated ask options, one-line errors (no tracebacks)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_index_safety import hold_lock_in_another_process
from test_ingest_pipeline import MINUTE_A, MINUTE_B

from minutes_rag import cli


@pytest.fixture()
def indexed(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("MINUTES_RAG_EMBEDDER", "hash-64")
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_text(MINUTE_A, encoding="utf-8")
    (folder / "b.txt").write_text(MINUTE_B, encoding="utf-8")
    data = tmp_path / "data"
    assert cli.main(["ingest", str(folder), "--data-dir", str(data), "--json"]) == 0
    return data


def test_doctor_reports_a_lost_store_and_repairs_it(indexed: Path, capsys) -> None:
    capsys.readouterr()
    assert cli.main(["doctor", "--data-dir", str(indexed), "--json"]) == 0
    ok = json.loads(capsys.readouterr().out)
    assert ok["ok"] and ok["missing"] == 0 and ok["vectors"] == ok["expected_vectors"] > 0

    shutil.rmtree(indexed / "chroma")
    assert cli.main(["doctor", "--data-dir", str(indexed), "--json"]) == 1
    bad = json.loads(capsys.readouterr().out)
    assert not bad["ok"] and bad["missing"] == ok["expected_vectors"] and bad["problems"]
    assert not (indexed / "chroma").exists(), "doctor without --repair writes nothing"

    assert cli.main(["doctor", "--data-dir", str(indexed), "--repair"]) == 0
    out = capsys.readouterr().out
    assert f"repaired: {ok['expected_vectors']} vectors rebuilt from the cache, 0 embedded again" in out
    assert cli.main(["doctor", "--data-dir", str(indexed), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"]


def test_a_second_ingest_names_the_running_one_and_can_wait(indexed: Path, tmp_path: Path, capsys) -> None:
    proc = hold_lock_in_another_process(indexed)
    try:
        capsys.readouterr()
        code = cli.main(["ingest", str(tmp_path / "archive"), "--data-dir", str(indexed)])
        err = capsys.readouterr().err
        assert code == 1
        assert f"is being updated by process {proc.pid}" in err and "try again when it finishes" in err
        assert "Traceback" not in err
        code = cli.main(["ingest", str(tmp_path / "archive"), "--data-dir", str(indexed), "--wait", "1.2"])
        err = capsys.readouterr().err
        assert code == 1 and f"waiting for process {proc.pid}" in err
    finally:
        proc.kill()
        proc.wait()
    assert cli.main(["ingest", str(tmp_path / "archive"), "--data-dir", str(indexed), "--wait", "5"]) == 0


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--from", "2020-13-45"], "is not a date"),
        (["--to", "2021-02-30"], "is not a date"),
        (["--k", "-1"], "whole number from 1"),
        (["--k", "0"], "whole number from 1"),
        (["--k", "100000"], "whole number from 1"),
    ],
)
def test_ask_options_are_validated(indexed: Path, capsys, flags: list[str], message: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["ask", "垃圾分类", "--data-dir", str(indexed), *flags])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


def test_a_reversed_range_and_a_huge_question_are_refused(indexed: Path, capsys) -> None:
    capsys.readouterr()
    code = cli.main(["ask", "垃圾分类", "--data-dir", str(indexed), "--from", "2021-03-01", "--to", "2021-01-01"])
    err = capsys.readouterr().err
    assert code == 2 and "before it starts" in err
    code = cli.main(["ask", "问" * 5000, "--data-dir", str(indexed), "--json"])
    captured = capsys.readouterr()
    assert code == 2 and "the limit is 2000" in captured.err and captured.out == ""


def test_ask_json_carries_warnings_when_the_dense_index_is_gone(indexed: Path, capsys) -> None:
    capsys.readouterr()
    assert cli.main(["ask", "垃圾分类实施方案由哪个部门修改完善？", "--data-dir", str(indexed), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["warnings"] == [] and out["citations"]
    shutil.rmtree(indexed / "chroma")
    assert cli.main(["ask", "垃圾分类实施方案由哪个部门修改完善？", "--data-dir", str(indexed), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["citations"], "the lexical index still answers"
    assert any("keyword index only" in w for w in out["warnings"])
    assert not (indexed / "chroma").exists(), "a reader does not create a store"


def test_a_routed_answer_says_so_when_the_dense_index_is_gone(indexed: Path, capsys) -> None:
    # a timeline question is answered by the ledger routing, not by the answerers: its
    # keyword-only notice must reach the JSON as well (it used to be dropped, or the
    # timeline's dense search raised)
    shutil.rmtree(indexed / "chroma")
    capsys.readouterr()
    assert cli.main(["ask", "哪些会议研究了垃圾分类？", "--data-dir", str(indexed), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["mode"] == "timeline" and out["citations"]
    assert "keyword_only" in out["warning_codes"]
    assert len(out["warning_codes"]) == len(out["warnings"])
    assert any("keyword index only" in w for w in out["warnings"])


def test_ask_json_names_each_warning_by_code(indexed: Path, capsys) -> None:
    shutil.rmtree(indexed / "chroma")
    capsys.readouterr()
    assert cli.main(["ask", "垃圾分类实施方案由哪个部门修改完善？", "--data-dir", str(indexed), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    codes = dict(zip(out["warnings"], out["warning_codes"], strict=True))
    # the dense search's note; the reader's self-check reads what the writer recorded (issue 21),
    # so a store deleted behind its back shows as the failed dense search, or also as index_check
    assert "keyword_only" in codes.values() and set(codes.values()) <= {"keyword_only", "index_check"}
    assert all(c == "keyword_only" for w, c in codes.items() if "keyword index only" in w)

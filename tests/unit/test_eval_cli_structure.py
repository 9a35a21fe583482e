"""`minutes-rag eval` with a structure set and a by-reference ledger set: the real Assistant
(hash embedder) ingests an invented readout from a corpus folder and the command prints the
per-style tables and JSON."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from test_ingest_pipeline import make_assistant

from minutes_rag.config import Settings
from minutes_rag.evaluation.cli import add_eval_parser, run_eval
from minutes_rag.evaluation.structure import StructureSetError

READOUT = ("2023-07-14 20:18，正文：7月13日，某市市长主持召开市政府常务会议。"
           "会议听取了市发展改革委关于甲工作情况的汇报。会议指出，要抓好落实。"
           "会议原则同意《乙方案》。会议要求，市财政局要做好资金保障。会议还研究了其他事项。")


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="minutes-rag")
    add_eval_parser(parser.add_subparsers())
    return parser.parse_args(argv)


def test_structure_and_ledger_sets_by_reference(tmp_path: Path, capsys) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "dev" / "zh").mkdir(parents=True)
    (corpus / "dev" / "zh" / "r.txt").write_text(READOUT, encoding="utf-8")
    at = READOUT.index
    structure = {"id": "s1", "structure": True, "file": "dev/zh/r.txt", "style": "zh/x",
                 "meta": {"date": "2023-07-13"},
                 # 会议要求 right after the decision is about it: part of that item
                 "items": [{"label": "", "start": at("会议听取")}, {"label": "", "start": at("会议原则")}]}
    ledger = {"id": "l1", "ledger": True, "file": "dev/zh/r.txt", "minute": "r.txt", "style": "zh/x", "lang": "zh",
              "entries": [{"kind": "report", "lead": "市发展改革委", "span": [at("会议听取"), at("会议指出")]},
                          {"kind": "decision", "outcome": "原则同意", "span": [at("会议原则"), at("会议要求")]},
                          {"kind": "assignment", "lead": "市财政局", "span": [at("市财政局"), at("会议还")]}]}
    s_path, l_path = tmp_path / "structure.jsonl", tmp_path / "ledger.jsonl"
    s_path.write_text(json.dumps(structure, ensure_ascii=False) + "\n", encoding="utf-8")
    l_path.write_text(json.dumps(ledger, ensure_ascii=False) + "\n", encoding="utf-8")
    data = tmp_path / "data"
    args = _parse(["eval", str(s_path), str(l_path), "--ingest", str(corpus), "--corpus", str(corpus),
                   "--data-dir", str(data), "--json", "--out", str(tmp_path / "reports")])
    code = run_eval(args, Settings.load(env={}, data_dir=str(data)),
                    assistant_factory=lambda s: make_assistant(data)[0])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    row = out["structure"]["by_style"]["zh/x"]
    assert (row["items"], row["found"], row["sections"], row["meta_accuracy"]) == (2, 2, 2, 1.0)
    styles = out["ledger"]["styles"]["by_style"]["zh/x"]["groups"]
    assert styles["report (named)"]["recall"] == 1.0
    assert styles["decision"]["recall"] == 1.0
    assert styles["assignment (named)"]["recall"] == 1.0
    assert (tmp_path / "reports" / "structure.md").exists() and (tmp_path / "reports" / "ledger.json").exists()


def test_a_labelled_file_missing_from_the_corpus_is_named(tmp_path: Path, capsys) -> None:
    s_path = tmp_path / "structure.jsonl"
    s_path.write_text(json.dumps({"id": "s1", "structure": True, "file": "dev/none.txt", "style": "zh/x",
                                  "items": []}) + "\n", encoding="utf-8")
    args = _parse(["eval", str(s_path), "--corpus", str(tmp_path), "--data-dir", str(tmp_path / "d")])
    with pytest.raises(StructureSetError, match=r"structure\.jsonl:1: .*dev/none\.txt"):
        run_eval(args, Settings.load(env={}, data_dir=str(tmp_path / "d")),
                 assistant_factory=lambda s: make_assistant(tmp_path / "d")[0])

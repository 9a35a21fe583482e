"""`minutes-rag timeline --json` end to end with the real bundled model: the contract, date
order, verbatim quotes, and the minutes found against what the synthetic generator wrote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from minutes_rag.evaluation import synth

pytestmark = [pytest.mark.integration]

REPO = Path(__file__).resolve().parents[2]
SEED, MINUTES = 1, 16
KEYS = {"date", "minute_id", "doc_number", "meeting_number", "label", "section_id", "title", "quote", "start", "end",
        "kind"}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tl-synth")
    synth.write_archive(folder, MINUTES, SEED)
    data = tmp_path_factory.mktemp("tl-data")
    env = {**os.environ, "MINUTES_RAG_DATA_DIR": str(data)}
    cli = [sys.executable, "-c", "import sys; from minutes_rag.cli import main; sys.exit(main())"]

    def call(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(cli + list(args), env=env, cwd=REPO, capture_output=True, text=True, timeout=600)

    done = call("ingest", str(folder))
    assert done.returncode == 0, done.stderr
    return call, synth.generate(MINUTES, SEED), data


def test_timeline_json_finds_every_minute_in_date_order(run):
    call, minutes, data = run
    for topic in ("生活垃圾分类", "高新技术企业培育", "waste sorting"):
        truth_topic = "生活垃圾分类" if topic == "waste sorting" else topic
        done = call("timeline", topic, "--json")
        assert done.returncode == 0, done.stderr
        out = json.loads(done.stdout)
        assert set(out) == {"topic", "entries"} and out["topic"] == topic
        entries = out["entries"]
        assert all(set(e) == KEYS for e in entries)
        truth = sorted(m.date for m in minutes if truth_topic in m.text)
        assert [e["date"] for e in entries] == truth, topic
        for e in entries:
            shown = json.loads(call("minutes", "show", e["minute_id"], "--json").stdout)
            text_of = {s["section_id"]: s for s in shown["sections"]}
            sec = text_of[e["section_id"]]
            # verbatim, inside its section, and about the topic
            assert sec["start"] <= e["start"] < e["end"] <= sec["end"]
            assert sec["text"][e["start"] - sec["start"]:e["end"] - sec["start"]] == e["quote"]
            assert truth_topic in sec["title"] + sec["text"]
            assert e["kind"] in ("decision", "assignment", "report", "mention")


def test_timeline_date_range_and_nothing_found(run):
    call, minutes, _ = run
    truth = sorted(m.date for m in minutes if "生活垃圾分类" in m.text)
    mid = truth[len(truth) // 2]
    out = json.loads(call("timeline", "生活垃圾分类", "--from", mid, "--json").stdout)
    assert [e["date"] for e in out["entries"]] == [d for d in truth if d >= mid]
    none = call("timeline", "低空经济", "--json")
    assert none.returncode == 0 and json.loads(none.stdout) == {"topic": "低空经济", "entries": []}
    bad = call("timeline", "生活垃圾分类", "--from", "2021/01/01")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr

"""The eval command end to end with a scripted assistant and baseline (no models)."""

import argparse
import json

from minutes_rag.config import Settings
from minutes_rag.embed import HashEmbedder
from minutes_rag.evaluation.cli import add_eval_parser, add_synth_parser, run_eval, run_synth
from minutes_rag.evaluation.metrics import Outcome
from minutes_rag.evaluation.report import format_table, write_chart
from minutes_rag.evaluation.runner import RunResult
from minutes_rag.model import Answer, Citation, Filters, Hit, IngestReport, MinuteMeta, Section


def _section(sid, text):
    return Section(sid, "m1", ("四",), "item", "", text, 0, len(text))


def _answer(q, hits, found=True, cite=None):
    cites = ()
    if cite is not None:
        s = hits[cite].section
        cites = (Citation(1, "m1", "〔2020〕21号", 102, "2020-06-30", "四", "", s.text[:5], 0, 5, section_id=s.section_id),)
    return Answer(q, "答：" + (hits[cite].section.text if cite is not None else "未找到"), cites, "extractive",
                  hits=tuple(hits), found=found)


class FakeAssistant:
    """Answers the housing question right (rank 1), the talent question at rank 2 citing the wrong
    section, and refuses the fee question."""

    def __init__(self, settings):
        self.settings = settings
        self.embedder = HashEmbedder(16)  # shared with the baseline
        self.asked = []
        self.ingested = None
        s_a = _section("a", "原则同意《苏州市政策性租赁住房试点工作方案》。")
        s_b = _section("b", "原则同意市科技局关于姑苏领军人才计划的汇报。")
        s_c = _section("c", "会上还进行了学法专题。")
        self.hits = {x.section_id: Hit(x, 1.0 - i * 0.1, MinuteMeta()) for i, x in enumerate([s_a, s_b, s_c])}

    def ingest(self, paths, prune=False, progress=None):
        self.ingested = list(paths)
        return IngestReport(added=1)

    def list_minutes(self):
        return [{"source": "/tmp/x.txt"}]

    def ask(self, question, filters=Filters(), k=None, mode=None, history=()):
        self.asked.append((question, filters, k, mode))
        h = self.hits
        if "租赁" in question:
            return _answer(question, [h["a"], h["b"]], cite=0)
        if "人才" in question:
            return _answer(question, [h["c"], h["b"]], cite=0)
        return Answer(question, "未在会议纪要中找到相关内容", (), "extractive", hits=(h["c"],), found=False)


class FakeBaseline:
    def __init__(self, settings, embedder):
        self.indexed = None

    def index(self, paths, progress=None):
        self.indexed = list(paths)
        return 7

    def ask(self, question, filters=Filters(), k=None, mode=None):
        s = _section("z", "无关的文本块")
        return _answer(question, [Hit(s, 0.5, MinuteMeta())], cite=0)


QUESTIONS = [
    {"id": "zh-1", "question": "审议了哪个租赁住房方案？", "evidence": ["政策性租赁住房试点工作方案"],
     "answer_contains": ["苏州市政策性租赁住房试点工作方案"], "answerable": True, "filters": {"from": "2020-01-01"}},
    {"id": "zh-2", "question": "人才计划是哪个部门汇报的？", "evidence": ["市科技局关于"], "answer_contains": ["市科技局"],
     "answerable": True, "filters": {"k": 3}},
    {"id": "zh-3", "question": "会议决定了哪些义务教育收费政策？", "evidence": [], "answer_contains": [], "answerable": False},
]


def _parse(argv):
    parser = argparse.ArgumentParser(prog="minutes-rag")
    sub = parser.add_subparsers()
    add_eval_parser(sub)
    add_synth_parser(sub)
    return parser.parse_args(argv)


def test_eval_json_with_baseline(tmp_path, capsys):
    qs = tmp_path / "q.jsonl"
    qs.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUESTIONS), encoding="utf-8")
    made = {}

    def factory(settings):
        made["a"] = FakeAssistant(settings)
        return made["a"]

    def bfactory(settings, embedder):
        made["b"] = FakeBaseline(settings, embedder)
        return made["b"]

    args = _parse(["eval", str(qs), "--data-dir", str(tmp_path / "data"), "--ingest", str(tmp_path),
                   "--baseline", "--json", "--out", str(tmp_path / "rep"), "--k", "5"])
    assert args.func_name == "eval"
    settings = Settings.load(env={}, embedder="hash-16")
    rc = run_eval(args, settings, assistant_factory=factory, baseline_factory=bfactory)
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"metrics", "baseline", "per_question"}
    m = out["metrics"]
    # zh-1: rank 1, relevant citation, right answer; zh-2: rank 2, irrelevant citation,
    # answer lacks 市科技局; zh-3: correct refusal
    assert m["hit@1"] == 0.5 and m["hit@5"] == 1.0 and m["mrr@10"] == 0.75
    assert m["citation_precision"] == 0.5 and m["citation_recall"] == 0.5
    assert abs(m["answer_accuracy"] - 2 / 3) < 1e-9 and m["refusal_accuracy"] == 1.0
    b = out["baseline"]
    assert b["hit@5"] == 0.0 and b["citation_precision"] == 0.0 and abs(b["refusal_accuracy"] - 2 / 3) < 1e-9
    assert [p["id"] for p in out["per_question"]] == ["zh-1", "zh-2", "zh-3"]
    assert out["per_question"][1]["ranks"] == [2]
    # the assistant got the question's filters and k, and the data dir override
    a = made["a"]
    assert a.settings.data_dir == str(tmp_path / "data")
    assert a.asked[0][1] == Filters(date_from="2020-01-01") and a.asked[0][2] == 5
    assert a.asked[1][2] == 3
    assert a.ingested and made["b"].indexed == ["/tmp/x.txt"]
    # reports
    for name in ("report.md", "report.json", "report.png"):
        assert (tmp_path / "rep" / name).stat().st_size > 0
    assert (tmp_path / "rep" / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = (tmp_path / "rep" / "report.md").read_text(encoding="utf-8")
    assert "| hit@1 | 0.500 | 0.000 |" in md and "zh-2" in md


def test_eval_table_without_baseline(tmp_path, capsys):
    qs = tmp_path / "q.jsonl"
    qs.write_text(json.dumps(QUESTIONS[0], ensure_ascii=False), encoding="utf-8")
    args = _parse(["eval", str(qs), "--no-report"])
    assert run_eval(args, Settings.load(env={}), assistant_factory=FakeAssistant) == 0
    out = capsys.readouterr().out
    assert "hit@1" in out and "1.000" in out and "1 questions" in out
    assert not (tmp_path / "eval").exists()


def test_table_shows_na_for_undefined():
    o = Outcome("u", "q", False, [], 0, [], False, True, True, 3.0)
    run = RunResult("minutes-rag", [o], __import__("minutes_rag.evaluation.metrics", fromlist=["aggregate"]).aggregate([o]))
    table = format_table(run)
    assert "citation_precision" in table and "n/a" in table


def test_chart_without_baseline(tmp_path):
    o = Outcome("a", "q", True, [1], 1, [True], True, True, True, 3.0)
    from minutes_rag.evaluation.metrics import aggregate

    p = write_chart(tmp_path / "c.png", RunResult("minutes-rag", [o], aggregate([o])))
    assert p.read_bytes()[:4] == b"\x89PNG"


def test_synth_command(tmp_path, capsys):
    args = _parse(["synth", "--minutes", "4", "--out", str(tmp_path / "s"), "--seed", "3", "--json"])
    assert run_synth(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["synthetic"] is True and out["minutes"] == 4
    assert (tmp_path / "s" / "questions.jsonl").exists()

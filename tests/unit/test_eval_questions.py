import json

import pytest

from minutes_rag.evaluation.questions import QuestionSetError, dump_questions, filters_for, load_questions
from minutes_rag.model import Filters


def _write(tmp_path, lines, name="set.jsonl"):
    p = tmp_path / name
    p.write_text("\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    return p


GOOD = {"id": "q1", "question": "谁主持？", "evidence": ["市长主持"], "answer_contains": ["李"], "answerable": True}


def test_loads_and_maps_filters(tmp_path):
    q = dict(GOOD, filters={"from": "2020-01-01", "to": "2020-12-31", "minute": "〔2020〕21号", "k": 3}, lang="zh")
    p = _write(tmp_path, [q, "", "// comment", {"id": "q2", "question": "x?", "evidence": [], "answer_contains": [], "answerable": False}])
    qs = load_questions([p])
    assert [x.id for x in qs] == ["q1", "q2"]
    f, k = filters_for(qs[0])
    assert f == Filters(date_from="2020-01-01", date_to="2020-12-31", minute_id="〔2020〕21号")
    assert k == 3
    assert filters_for(qs[1]) == (Filters(), None)
    assert qs[0].source.endswith("set.jsonl:1")
    # round trip
    again = _write(tmp_path, dump_questions(qs).splitlines(), "again.jsonl")
    assert [x.to_dict() for x in load_questions([again])] == [x.to_dict() for x in qs]


@pytest.mark.parametrize(
    "line, message",
    [
        ("{not json", "invalid JSON"),
        ({k: v for k, v in GOOD.items() if k != "evidence"}, "missing field 'evidence'"),
        (dict(GOOD, answerable="yes"), "'answerable' must be bool"),
        (dict(GOOD, evidence=[]), "needs at least one evidence"),
        (dict(GOOD, answerable=False), "unanswerable question has no evidence"),
        (dict(GOOD, filters={"from": "2020/01/01"}), "must be a date"),
        (dict(GOOD, filters={"colour": "red"}), "unknown filter 'colour'"),
        (dict(GOOD, extra=1), "unknown field"),
        (dict(GOOD, evidence=[" "]), "non-empty strings"),
    ],
)
def test_errors_name_file_and_line(tmp_path, line, message):
    p = _write(tmp_path, [dict(GOOD, id="ok"), line])
    with pytest.raises(QuestionSetError) as err:
        load_questions([p])
    assert f"{p}:2" in str(err.value)
    assert message in str(err.value)


def test_duplicate_ids_across_files(tmp_path):
    a = _write(tmp_path, [GOOD], "a.jsonl")
    b = _write(tmp_path, [GOOD], "b.jsonl")
    with pytest.raises(QuestionSetError, match="duplicate id 'q1'"):
        load_questions([a, b])


def test_missing_file(tmp_path):
    with pytest.raises(QuestionSetError, match="no such file"):
        load_questions([tmp_path / "nope.jsonl"])


def test_evidence_by_reference_reads_the_span_relative_to_the_set(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "m.txt").write_text("Res 0438-2024  Resolution recognizing Landing Day\nAdopted by voice vote.", encoding="utf-8")
    sets = tmp_path / "eval"
    sets.mkdir()
    q = dict(GOOD, evidence=[], evidence_refs=[{"file": "../corpus/m.txt", "start": 0, "end": 13}])
    p = _write(sets, [q])
    (loaded,) = load_questions([p])
    assert loaded.evidence == ("Res 0438-2024",)
    # written back as a reference, never as the copied text
    assert loaded.to_dict()["evidence"] == [] and loaded.to_dict()["evidence_refs"] == q["evidence_refs"]
    again = _write(sets, dump_questions([loaded]).splitlines(), "again.jsonl")
    assert load_questions([again])[0].evidence == ("Res 0438-2024",)


@pytest.mark.parametrize("ref, message", [
    ({"file": "../corpus/none.txt", "start": 0, "end": 3}, "cannot be read"),
    ({"file": "../corpus/m.txt", "start": 5, "end": 500}, "outside"),
    ({"file": "../corpus/m.txt", "start": 0}, "evidence_refs"),
])
def test_bad_evidence_reference_names_file_and_line(tmp_path, ref, message):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "m.txt").write_text("Res 0438-2024 adopted", encoding="utf-8")
    (tmp_path / "eval").mkdir()
    p = _write(tmp_path / "eval", [dict(GOOD, evidence=[], evidence_refs=[ref])])
    with pytest.raises(QuestionSetError, match=message) as err:
        load_questions([p])
    assert "set.jsonl:1" in str(err.value)

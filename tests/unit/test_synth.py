"""The synthetic archive: deterministic, realistic structure, questions that match the text."""

import hashlib
import json
import re

import pytest

from minutes_rag.evaluation.metrics import squash
from minutes_rag.evaluation.questions import load_questions
from minutes_rag.evaluation.synth import ABSENT_TOPICS, SYNTHETIC_NOTICE, generate, write_archive


def _read(path):
    if path.suffix == ".docx":
        import docx

        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gbk")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    rep = write_archive(out, 40, seed=11)
    return out, rep


def test_deterministic_for_a_seed(tmp_path, archive):
    out, rep = archive
    again = write_archive(tmp_path, 40, seed=11)
    assert again.files == rep.files
    for name in rep.files + ["questions.jsonl", "manifest.json"]:
        assert hashlib.sha256((tmp_path / name).read_bytes()).digest() == hashlib.sha256((out / name).read_bytes()).digest(), name
    other = generate(40, seed=12)
    assert [m.text for m in other] != [m.text for m in generate(40, seed=11)]


def test_formats_styles_and_notice(archive):
    out, rep = archive
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["synthetic"] is True and "Synthetic" in manifest["notice"]
    files = manifest["files"]
    assert len(files) == 40 and len({f["file"] for f in files}) == 40
    assert {f["style"] for f in files} == {"cn", "cn-arabic", "arabic", "news"}
    assert {f["format"] for f in files} == {"txt", "docx"}
    assert any(f["encoding"] == "gbk" for f in files)
    for f in files:
        path = out / f["file"]
        text = _read(path)
        assert SYNTHETIC_NOTICE in text
        if f["encoding"] == "gbk":
            with pytest.raises(UnicodeDecodeError):
                path.read_bytes().decode("utf-8")
        if f["style"] == "news":
            assert not re.search(r"^[一二三四五六七八九十]、", text, re.M) and "会议议定" not in text
        else:
            assert f["doc_number"] in text and "列席：" in text and "记录：" in text
        assert f"第{f['meeting_number']}次常务会议" in text


def test_numbers_run_in_order_per_body():
    archive = generate(60, seed=5)
    by_city = {}
    for m in archive:
        by_city.setdefault(m.city, []).append(m)
    assert len(by_city) >= 3
    for ms in by_city.values():
        meetings = [m.meeting_number for m in ms]
        assert meetings == list(range(meetings[0], meetings[0] + len(ms)))
        dates = [m.date for m in ms]
        assert dates == sorted(dates) and len(set(dates)) == len(dates)
        for a, b in zip(ms, ms[1:]):
            ya, na = re.match(r"〔(\d{4})〕(\d+)号", a.doc_number).groups()
            yb, nb = re.match(r"〔(\d{4})〕(\d+)号", b.doc_number).groups()
            assert (yb, int(nb)) > (ya, int(na)) and (ya != yb or int(nb) > int(na))
            assert yb == b.date[:4]


def test_numbering_styles():
    texts = {m.style: m.text for m in generate(40, seed=11)}
    assert re.search(r"^一、", texts["cn"], re.M) and re.search(r"^（一）", texts["cn"], re.M)
    assert re.search(r"^一、", texts["cn-arabic"], re.M) and re.search(r"^1\. ", texts["cn-arabic"], re.M)
    assert re.search(r"^1\. ", texts["arabic"], re.M) and not re.search(r"^一、", texts["arabic"], re.M)


def test_questions_validate_and_evidence_is_in_exactly_the_right_files(archive):
    out, rep = archive
    qs = load_questions([out / "questions.jsonl"])  # the loader's validation passes
    assert len(qs) == rep.questions >= 100
    texts = {name: squash(_read(out / name)) for name in rep.files}
    unanswerable = [q for q in qs if not q.answerable]
    assert len(unanswerable) == 8
    for q in qs:
        if not q.answerable:
            assert any(t in q.question for t in ABSENT_TOPICS)
            assert not any(t in body for t in ABSENT_TOPICS for body in texts.values())
            continue
        source = q.notes.split(";")[0].removeprefix("synthetic: ")
        ev = [squash(e) for e in q.evidence]
        assert all(e in texts[source] for e in ev), q
        # every answer string lies in the evidence itself
        assert all(squash(a) in "".join(ev) for a in q.answer_contains), q
        holders = {name for name, t in texts.items() if any(e in t for e in ev)}
        if "attendance" in q.notes or "recorder" in q.notes:
            continue  # about the body: every minute of it answers
        assert holders == {source}, (q, holders)


def test_large_archive_adds_district_bodies_and_stays_recent():
    ms = generate(1000, seed=2)
    assert any("区" in m.city[3:] for m in ms)
    assert max(m.date for m in ms) < "2032"
    assert len({m.filename for m in ms}) == 1000


def test_zero_minutes(tmp_path):
    rep = write_archive(tmp_path, 0, seed=1, unanswerable=0)
    assert rep.files == [] and (tmp_path / "questions.jsonl").read_text(encoding="utf-8") == ""

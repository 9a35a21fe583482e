"""The committed question sets: valid, and every evidence string really in its source.

Evidence strings must lie inside one line of the source (so no page-break artefact or line
break splits them) and be found there by whitespace-stripped containment, the rule the
metrics use. Answer strings must be in the source too (case-insensitive), and the topics of
the unanswerable questions must be absent from the whole archive.
"""

import re
from pathlib import Path

import pytest

from minutes_rag.evaluation.metrics import squash
from minutes_rag.evaluation.questions import load_questions

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SYNTH = ROOT / "ingest" / "sample" / "synthetic"
DEV = [ROOT / "eval" / "dev_zh.jsonl", ROOT / "eval" / "dev_en.jsonl"]

# words an unanswerable question is about, that no minute of the dev archive may contain
ABSENT = {
    "un-zh-01": ["义务教育", "收费"],
    "un-zh-02": ["票价"],
    "un-zh-03": ["预算调整"],
    "un-zh-04": ["疫情", "新冠"],
    "un-zh-05": ["网约车"],
    "un-zh-06": ["低空"],
    "un-en-01": ["overtime"],
    "un-en-02": ["streetcar", "fare"],
    "un-en-03": ["education fee", "义务教育"],
    "un-en-04": ["snow"],
    "un-en-05": ["airport", "机场"],
}


def _synth_texts() -> dict[str, str]:
    import docx

    out = {}
    for p in sorted(SYNTH.iterdir()):
        if p.suffix == ".docx":
            out[p.name] = "\n".join(x.text for x in docx.Document(str(p)).paragraphs)
        elif p.suffix == ".txt":
            data = p.read_bytes()
            try:
                out[p.name] = data.decode("utf-8")
            except UnicodeDecodeError:
                out[p.name] = data.decode("gbk")
    return out


@pytest.fixture(scope="module")
def sources(suzhou_path: Path, portland_path: Path):
    return {
        "sz": [suzhou_path.read_text(encoding="utf-8")],
        "pt": [portland_path.read_text(encoding="utf-8")],
        "sy": list(_synth_texts().values()),
    }


def _in_one_line(texts: list[str], needle: str) -> bool:
    flat = squash(needle)
    return any(flat in squash(line) for t in texts for line in t.splitlines())


def test_dev_sets_size_and_mix():
    qs = load_questions(DEV)
    assert len(qs) >= 80
    assert sum(1 for q in qs if not q.answerable) >= 10
    assert {q.lang for q in qs} == {"zh", "en"}
    # English questions about Chinese minutes, and metadata questions
    assert any(q.lang == "en" and q.id.startswith("sz-") for q in qs)
    assert sum(1 for q in qs if "metadata" in q.notes) >= 8
    texts = {q.question for q in qs}
    for required in (
        "苏州市政府第102次常务会议审议了哪个工作方案？",
        "姑苏领军人才计划2020年第一批拟立项情况是哪个部门汇报的？",
        "在人才服务方面，会议提出了什么要求？",
        "Which agenda item did the Portland council refer to the Commissioner of Finance and Administration on January 12, 2011?",
        "会议决定了哪些义务教育收费政策？",
    ):
        assert required in texts


def test_evidence_and_answers_are_in_their_sources(sources):
    qs = load_questions(DEV)
    for q in qs:
        if not q.answerable:
            continue
        texts = sources[q.id[:2]]
        for e in q.evidence:
            assert any(squash(e) in squash(t) for t in texts), (q.id, e)
            assert _in_one_line(texts, e), f"{q.id}: evidence crosses a line break: {e!r}"
        for a in q.answer_contains:
            assert any(squash(a).casefold() in squash(t).casefold() for t in texts), (q.id, a)


def test_unanswerable_topics_are_absent(sources):
    qs = {q.id: q for q in load_questions(DEV)}
    unanswerable = [q for q in qs.values() if not q.answerable]
    assert {q.id for q in unanswerable} == set(ABSENT)
    _assert_absent("\n".join(t for ts in sources.values() for t in ts), ABSENT)


def _assert_absent(raw: str, absent: dict[str, list[str]]) -> None:
    everything = squash(raw).casefold()
    words_text = " ".join(raw.split()).casefold()  # English words: match whole words
    for qid, words in absent.items():
        for w in words:
            if w.isascii():
                assert not re.search(rf"\b{re.escape(w.casefold())}\b", words_text), (qid, w)
            else:
                assert squash(w) not in everything, (qid, w)


def test_synthetic_sample_questions_match_the_committed_files():
    qs = load_questions([ROOT / "eval" / "synthetic_sample.jsonl"])
    texts = _synth_texts()
    assert len(texts) == 6
    for q in qs:
        if not q.answerable:
            continue
        name = q.notes.split(";")[0].removeprefix("synthetic: ")
        for e in q.evidence:
            assert squash(e) in squash(texts[name]), (q.id, e)


def test_every_evidence_lies_inside_one_section_of_the_real_split(sources, suzhou_path: Path, portland_path: Path):
    """Through the product's parser and splitter (page-break repair included), each evidence
    string is found inside a single section, as the retrieval metrics need."""
    from minutes_rag.parse import load_minute
    from minutes_rag.split import split_minute

    paths = {"sz": [suzhou_path], "pt": [portland_path], "sy": sorted(p for p in SYNTH.iterdir() if p.suffix in (".txt", ".docx"))}
    sections = {k: [s.text for p in ps for s in split_minute(load_minute(p))] for k, ps in paths.items()}
    for q in load_questions(DEV + [ROOT / "eval" / "synthetic_sample.jsonl"]):
        if not q.answerable:
            continue
        texts = sections["sy" if q.id.startswith("synth") else q.id[:2]]
        for e in q.evidence:
            assert any(squash(e) in squash(t) for t in texts), f"{q.id}: no single section holds {e!r}"


PLANTED = ROOT / "eval" / "corpus" / "planted"
DISTRACTORS = ROOT / "eval" / "corpus" / "distractors"
MORE = [ROOT / "eval" / "dev_more.jsonl", ROOT / "eval" / "dev_planted.jsonl"]
# words the unanswerable questions of dev_more are about, that no document of the
# distractor run (minutes, planted minutes, invented distractors) holds
ABSENT_MORE = {
    "mo-un-zh-02": ["租金标准是"],
    "mo-un-zh-03": ["新能源汽车", "购车"],
    "mo-un-zh-04": ["焚烧"],
    "mo-un-en-01": ["streetcar fare"],
    "mo-un-en-03": ["electric buses"],
}


def test_the_added_sets_evidence_answers_and_planted_text_are_in_their_sources(sources):
    planted = {p.name: p.read_text(encoding="utf-8") for p in PLANTED.iterdir()}
    pools = {**sources, "pl": list(planted.values()), "mo": [t for ts in sources.values() for t in ts]}
    qs = load_questions(MORE)
    assert len(qs) >= 35 and sum(1 for q in qs if not q.answerable) >= 7
    for q in qs:
        texts = pools[q.id[:2]]
        for e in q.evidence:
            assert _in_one_line(texts, e), (q.id, e)
        for a in q.answer_contains:
            assert any(squash(a).casefold() in squash(t).casefold() for t in texts), (q.id, a)
        if q.id.startswith("pl-"):
            # the excluded strings are what was planted: present in the minute, so the test
            # of the defence cannot pass by the planted text being absent
            assert q.answer_excludes, q.id
            for x in q.answer_excludes:
                assert any(squash(x).casefold() in squash(t).casefold() for t in texts), (q.id, x)


def test_the_added_unanswerable_topics_are_absent_from_the_distractor_archive(sources):
    docs = [p.read_text(encoding="utf-8") for d in (PLANTED, DISTRACTORS) for p in d.iterdir()]
    qs = {q.id: q for q in load_questions(MORE)}
    assert set(ABSENT_MORE) <= {i for i, q in qs.items() if not q.answerable}
    _assert_absent("\n".join([*docs, *(t for ts in sources.values() for t in ts)]), ABSENT_MORE)


COUNCIL_IDS = ROOT / "eval" / "dev_council_ids.jsonl"


def test_council_id_set_evidence_by_reference_answers_and_missing_numbers(corpus: Path):
    """dev_council_ids.jsonl: every reference resolves to a span inside one section of the real
    split, every answer string is in the referenced minute, and the numbers of the
    unanswerable questions are written in no minute of the council archive."""
    import json

    from minutes_rag.parse import load_minute
    from minutes_rag.split import split_minute
    from minutes_rag.text.identifiers import find_identifiers, mentions

    questions = load_questions([COUNCIL_IDS])
    raw = {json.loads(line)["id"]: json.loads(line) for line in COUNCIL_IDS.read_text(encoding="utf-8").splitlines()}
    assert len(questions) >= 40 and sum(not q.answerable for q in questions) >= 10
    for q in questions:
        if not q.answerable:
            continue
        (ref,) = raw[q.id]["evidence_refs"]
        path = (COUNCIL_IDS.parent / ref["file"]).resolve()
        text = path.read_text(encoding="utf-8")
        assert all(squash(a).lower() in squash(text).lower() for a in q.answer_contains), q.id
        sections = split_minute(load_minute(path))
        assert any(squash(q.evidence[0]) in squash(s.text) for s in sections), q.id
    archive = [corpus / "en", corpus / "dev" / "en" / "legistar_event_actions",
               corpus / "dev" / "en" / "licensing_board_voting_minutes"]
    texts = [p.read_text(encoding="utf-8") for folder in archive for p in sorted(folder.glob("*.txt"))]
    for q in questions:
        if q.answerable:
            continue
        for wanted in find_identifiers(q.question):
            if wanted.kind == "item":
                continue  # "Item 99" of one dated meeting: checked by hand in the Portland minute
            assert not any(mentions(t, wanted) for t in texts), (q.id, wanted.written)

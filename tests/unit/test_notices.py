"""Warnings as data (notices.py): a code beside the text, compatible with a list of strings."""

from __future__ import annotations

import copy
import json
import pickle

from minutes_rag.model import Answer
from minutes_rag.notices import CODES, KEYWORD_ONLY, LLM_FALLBACK, NOTE, Notice, code_of, codes_of, keyword_only
from minutes_rag.present import answer_json


def test_a_notice_is_its_text_and_carries_its_code() -> None:
    n = keyword_only("the Chroma server at http://x did not answer")
    assert isinstance(n, str) and "keyword index only" in n and "http://x" in n
    assert n.code == KEYWORD_ONLY and n.params == {"why": "the Chroma server at http://x did not answer"}
    assert code_of(n) == KEYWORD_ONLY and code_of("a plain warning") == NOTE
    assert json.dumps([n]) == json.dumps([str(n)])
    assert n.to_dict()["code"] == KEYWORD_ONLY and n.to_dict()["text"] == str(n)
    for again in (copy.copy(n), copy.deepcopy(n), pickle.loads(pickle.dumps(n))):
        assert again == n and again.code == KEYWORD_ONLY and again.params == n.params
    assert set(codes_of([n, "x"])) <= set(CODES)


def test_answer_json_keeps_warnings_as_strings_and_adds_their_codes() -> None:
    warnings = (keyword_only("down"), Notice(LLM_FALLBACK, "LLM server unreachable; answered extractively"), "old")
    out = answer_json(Answer("q", "a", (), "llm-fallback-extractive", warnings=warnings))
    assert out["warnings"] == [str(w) for w in warnings]
    assert all(type(w) is str for w in json.loads(json.dumps(out))["warnings"])
    assert out["warning_codes"] == [KEYWORD_ONLY, LLM_FALLBACK, NOTE]


def test_a_rejected_llm_reply_is_flagged_by_code() -> None:
    from answer_minutes import hits
    from test_answer_llm import QUESTION, echo

    from minutes_rag.answer import FALLBACK_MODE, LLMAnswerer

    ans = LLMAnswerer(echo("由市住建局", "[{n}]", "[{n}][1]")).answer(QUESTION, hits("1-1", "1-2"))
    assert ans.mode == FALLBACK_MODE
    assert codes_of(ans.warnings)[-1] == LLM_FALLBACK and "only citation markers" in ans.warnings[-1]

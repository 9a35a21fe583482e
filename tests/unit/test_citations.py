"""Citation markers in model replies, and claim/sentence similarity (answer.citations)."""

from __future__ import annotations

import pytest

from minutes_rag.answer.citations import parse_markers, similarity
from minutes_rag.text.markers import strip_markers


@pytest.mark.parametrize(
    "text,numbers",
    [
        ("甲[1]乙", [(1,)]),
        ("甲[1][3]乙", [(1,), (3,)]),
        ("a [1, 2] b", [(1, 2)]),
        ("a [1,2] b", [(1, 2)]),
        ("甲【1】", [(1,)]),
        ("甲［2］", [(2,)]),
        ("甲[1、3]", [(1, 3)]),
        ("甲[1-3]", [(1, 2, 3)]),
        ("甲[来源2]", [(2,)]),
        ("[2020]21号", []),  # a document number written with ASCII brackets is not a marker
        ("no marker at all", []),
    ],
)
def test_parse_markers(text, numbers):
    assert [m.numbers for m in parse_markers(text)] == numbers


def test_strip_markers():
    assert strip_markers("甲[1]乙【2】丙[1, 3]") == "甲乙丙"


def test_similarity_is_the_share_of_the_claim_a_sentence_holds():
    assert similarity("由市住建局负责", "由市住建局根据会议意见修改完善后印发实施。") > 0.5
    assert similarity("票价上涨到5元", "由市住建局根据会议意见修改完善后印发实施。") == 0.0
    assert similarity("The council approved the contract", "The council approved a $2.5 million contract.") == 1.0

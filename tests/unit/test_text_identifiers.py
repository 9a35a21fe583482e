"""text.identifiers: how minutes and questions write item numbers, and whole-number matching."""

import pytest

from minutes_rag.text.identifiers import bare_numbers, find_identifiers, label_number, mentions, same_number


def _one(text):
    (found,) = find_identifiers(text)
    return found.kind, found.parts


@pytest.mark.parametrize("text, kind, parts", [
    ("Who sponsored Ord. No. 11-10?", "ord", (11, 10)),
    ("Ord No 1302-10.", "ord", (1302, 10)),
    ("Ordinance No. 184355", "ord", (184355,)),
    ("Res. No. 26-15. By Council Member X", "res", (26, 15)),
    ("Res 0438-2024  Resolution recognizing", "res", (438, 2024)),
    ("From whom did the Council receive File No. 32-10?", "file", (32, 10)),
    ("Int. No. 123", "int", (123,)),
    ("Int 0123-2024  A Local Law", "int", (123, 2024)),
    ("M 0069-2024  By Council Member", "m", (69, 2024)),
    ("LU 0099-2014  Application", "lu", (99, 2014)),
    ("T2015-2956 BUDGET HEARINGS", "t", (2015, 2956)),
    ("License#: LB\u201198893, Notice", "lb", (98893,)),
    ("License #: LB-522286", "lb", (522286,)),
    ("Item 38.", "item", (38,)),
    ("read item number 38", "item", (38,)),
    ("What happened to item S-56?", "item", (56,)),
    ("第三项议题由谁汇报？", "item", (3,)),
])
def test_forms_of_an_identifier(text, kind, parts):
    assert _one(text) == (kind, parts)


def test_initials_and_sums_are_not_identifiers():
    assert find_identifiers("I am 5-3 and m 5-4 with M 5") == []
    assert find_identifiers("$1,302 and 130-10 and 1302-11") == []


def test_numbers_are_matched_whole():
    (asked,) = find_identifiers("Ord. No. 1302-10")
    assert mentions("Ord. No. 1302-10. By Council Member", asked)
    assert mentions("Ordinance No. 1302-10 was passed", asked)
    for other in ("Ord. No. 1302-11.", "Ord. No. 130-10.", "a grant of $1,302", "Ord. No. 1302-101", "Res. No. 1302-10"):
        assert not mentions(other, asked), other


def test_a_question_may_leave_out_the_session_year_not_the_number():
    assert same_number((184,), (184, 2006)) and same_number((123, 2024), (123, 2024))
    assert not same_number((184, 2005), (184, 2006)) and not same_number((2006,), (184, 2006))
    (asked,) = find_identifiers("Int. No. 184")
    assert mentions("Int 0184-2006  A Local Law", asked)


def test_bare_ordinance_numbers_are_long_numbers_only():
    assert [b.parts for b in bare_numbers("(Y-5) 184355 Commissioner")] == [(184355,)]
    assert bare_numbers("Item 38 (Y-5) on $184,355 at 10:31") == []
    (asked,) = find_identifiers("Ordinance No. 184355")
    assert mentions("(Y-5) 184355", asked) and not mentions("(Y-5) 184356", asked)


def test_label_numbers():
    assert label_number("*42") == (42,) and label_number("S-56") == (56,) and label_number("38") == (38,)
    assert label_number("三") == (3,) and label_number("Preamble") == ()


def test_prefilter_groups_ask_for_the_prefix_unless_the_number_is_read_bare():
    from minutes_rag.text.identifiers import search_groups

    (res,) = find_identifiers("Res 5")
    assert search_groups(res) == [["5", "05", "005", "0005"], ["res", "resolution"]]
    (ordinance,) = find_identifiers("Ordinance No. 184355")
    assert search_groups(ordinance) == [["184355"]]  # "(Y-5) 184355" has no prefix to find
    (m,) = find_identifiers("M 0069-2024")
    assert search_groups(m) == [["69", "069", "0069"], ["2024"]]

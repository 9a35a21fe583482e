"""query.identifiers: the item numbers a question names and what it asks of the item."""

import pytest

from minutes_rag.query import analyse
from minutes_rag.query.identifiers import find_item_ask, without_identifiers


@pytest.mark.parametrize("question, ask", [
    ("Who sponsored Ord. No. 11-10?", "sponsor"),
    ("Which council member introduced Int 0123-2024? Introduced by whom?", "sponsor"),
    ("Who moved the substitute ordinance for item S-56?", "mover"),
    ("Who seconded the motion on item 57?", "seconder"),
    ("How did the council vote on Res. No. 26-15?", "vote"),
    ("What were the yeas and nays on File No. 32-10?", "vote"),
    ("When did the meeting of March 1, 2010 adjourn?", "adjourned"),
    ("What did the council decide about parking meters?", ""),
])
def test_what_a_question_asks_of_an_item(question, ask):
    assert find_item_ask(question) == ask


def test_the_query_carries_the_numbers_and_keeps_them_out_of_its_keywords():
    q = analyse("Who sponsored Ord. No. 1302-10?")
    assert [(i.kind, i.parts) for i in q.identifiers] == [("ord", (1302, 10))]
    assert q.item_ask == "sponsor" and q.cue is not None and q.cue.search("By Council Member Brand.")
    assert not {"1302", "10"} & set(q.keywords)
    assert "1302" in q.tokens  # BM25 still searches for the number
    assert without_identifiers("Who sponsored Ord. No. 1302-10?").split() == ["Who", "sponsored", "?"]
    assert analyse("What did the council decide about parking meters?").identifiers == ()


def test_disposition_and_subject_are_asked_of_a_named_item_only():
    assert find_item_ask("What happened to LU 0099-2014?") == "disposition"
    assert find_item_ask("What did the Licensing Board decide on license LB 425339?") == "disposition"
    assert find_item_ask("What is Res 0399-2004 about?") == "subject"
    # without a number they are questions about content, answered as before
    assert find_item_ask("What was decided about the housing plan?") == ""
    assert find_item_ask("What is the plan about?") == ""

"""Metadata intents of questions (query.intents): document number and officers in attendance;
meeting numbers in questions (references)."""

from minutes_rag.query import find_intents
from minutes_rag.references import find_references


def test_document_number_questions_have_the_doc_number_intent():
    assert "doc_number" in find_intents("第12次常务会议纪要的文号是什么？")
    assert "doc_number" in find_intents("What is the document number of the March meeting?")
    assert "doc_number" not in find_intents("会议审议了哪个工作方案？")


def test_officer_and_arrival_questions_have_the_officers_intent():
    for q in ("Who served as Sergeant at Arms?", "Who was the Clerk of the Council?",
              "When did Commissioner Smith arrive?", "At what time did the council adjourn?"):
        assert "officers" in find_intents(q), q
    # whole words only: "arrives" in a topic is not a question about arrival times
    assert "officers" not in find_intents("Which grant funds the new arrivals centre?")


def test_english_ordinal_names_a_meeting_number():
    assert find_references("Who chaired the 102nd executive meeting?").meeting_numbers == (102,)
    assert find_references("What did the 3rd regular session decide?").meeting_numbers == (3,)
    # a day of the month is not a meeting number
    assert find_references("What was decided on January 12th, 2011?").meeting_numbers == ()
    assert find_references("the 21st century plan").meeting_numbers == ()

"""Metadata intents of questions (query.intents): document number and officers in attendance;
meeting numbers in questions (references)."""

from minutes_rag.query import find_intents
from minutes_rag.query.references import find_references


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


def test_issue_date_questions_ask_for_a_date():
    for q in ("纪要是什么时候印发的？", "〔2020〕21号纪要是哪天印发的？", "On what date was the minute issued?",
              "When was the minute issued?"):
        assert "issue_date" in find_intents(q), q
    # a task to be done before a plan is issued is not a question about the minute's issue date
    assert "issue_date" not in find_intents("Which department has to revise the plan before it is issued?")
    assert "issue_date" not in find_intents("方案由哪个部门修改完善后印发实施？")


def test_who_compiled_the_minute_has_the_compiler_intent():
    for q in ("〔2020〕21号常务会议纪要由哪个单位整理？", "纪要是谁整理的？", "Who compiled the minutes?",
              "Which office prepared the minutes?"):
        assert find_intents(q)[:1] == ("compiler",), q
    assert "compiler" not in find_intents("会议要求整理哪些材料？")

"""Questions that name an item by number go to that item, and a number the archive does not hold
is not found: invented council minutes, a fake embedder, real SQLite and Chroma."""

from __future__ import annotations

import pytest

from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings
from minutes_rag.embed import HashEmbedder
from minutes_rag.item_lookup import focus, is_head
from minutes_rag.model import Section
from minutes_rag.text.identifiers import find_identifiers

# an invented ordinance-style council minute: each ordinance opens its own line
COUNCIL = """CITY OF LAKEVIEW
OFFICIAL PROCEEDINGS OF THE CITY COUNCIL
Regular Meeting, Monday, March 1, 2010

The Council met in the Council Chamber at 7:00 p.m., President Orla Quint in the chair.

ORDINANCES - FIRST READING

Ord. No. 1302-10.
By Council Member Brand.
An emergency ordinance authorizing the Director of Parks to buy forty park benches for a sum of $1,302.
Referred to Directors of Parks, Finance, Law; Committees on Parks, Finance.

Ord. No. 1302-11.
By Council Members Hale and Ruiz.
An emergency ordinance authorizing the Director of Water to repair the Elm Street main.
Passed. Yeas 17. Nays 0.

Ord. No. 130-10.
By Council Member Ostrow.
An emergency ordinance to rename Harbor Road as Lantern Way.
Moved by Council Member Ostrow, seconded by Council Member Pike, that the rules be suspended.
Passed. Yeas 15. Nays 2.

At 9:12 p.m. the Council adjourned.
"""

# an invented event listing: several numbered bills inside one agenda item
EVENT = """Town Council
Meeting date: 2024-09-12

1.  Roll Call
  Roll call: Ann Lee: Present; Bo Chen: Present

2.  Introduction and Reading of Bills
Int 0123-2024  A Local Law in relation to bicycle parking at ferry landings
  Action: Referred to Comm by Council -- This Introduction was Referred to Comm by Council to the Committee on Transportation
Int 0124-2024  A Local Law in relation to rooftop gardens on libraries
  Action: Referred to Comm by Council -- This Introduction was Referred to Comm by Council to the Committee on Parks
Res 0438-2024  Resolution recognizing Lantern Day
  Action: Approved, by Council -- A motion was made that this Resolution be Approved, by Council approved by voice vote.
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory) -> Assistant:
    root = tmp_path_factory.mktemp("items")
    archive = root / "archive"
    archive.mkdir()
    (archive / "lakeview_2010-03-01.txt").write_text(COUNCIL, encoding="utf-8")
    (archive / "town_2024-09-12.txt").write_text(EVENT, encoding="utf-8")
    a = Assistant(Settings.load(env={}, data_dir=str(root / "data")), embedder=HashEmbedder(64))
    report = a.ingest([archive])
    assert report.failed == 0, report.errors
    return a


def _cited(answer) -> str:
    return "\n".join(c.quote for c in answer.citations)


@pytest.mark.parametrize("question, wanted, not_wanted", [
    ("Who sponsored Ord. No. 1302-10?", "Brand", "Hale"),
    ("Who sponsored Ord No 1302-11?", "Hale", "Brand"),
    ("How did the council vote on Ordinance No. 1302-11?", "Yeas 17", "Yeas 15"),
    ("How did the council vote on Ord. No. 130-10?", "Yeas 15", "Yeas 17"),
    ("Who seconded the motion on Ord. No. 130-10?", "Pike", "Brand"),
    ("To which committee was Int 0124-2024 referred?", "Parks", "Transportation"),
    ("To which committee was Int. No. 123 referred?", "Transportation", "Parks"),
    ("How did the council vote on Res 0438-2024?", "voice vote", "Committee on"),
    ("What happened to Ord. No. 1302-10?", "Referred to Directors of Parks", "Yeas"),
])
def test_a_question_naming_a_number_is_answered_from_that_item(assistant, question, wanted, not_wanted):
    answer = assistant.ask(question)
    assert answer.found, question
    cited = _cited(answer)
    assert wanted in cited and not_wanted not in cited, (question, cited)


@pytest.mark.parametrize("question", [
    "Who sponsored Ord. No. 1302-12?",
    "Who sponsored Ord. No. 11-10?",
    "How did the council vote on Res. No. 26-15?",
    "From whom did the Council receive File No. 32-10?",
    "To which committee was Int 0125-2024 referred?",
    "To which committee was Int 0123-2023 referred?",
    "What is Ordinance No. 302-10?",
])
def test_a_number_the_archive_does_not_hold_is_not_found(assistant, question):
    answer = assistant.ask(question)
    assert not answer.found and answer.citations == (), (question, answer.text)


def test_the_adjournment_is_quoted(assistant):
    answer = assistant.ask("When did the council adjourn?")
    assert "9:12" in answer.text


def _section(text: str, label=("2",), part=0) -> Section:
    return Section("s", "m", label, "item", text.split("\n", 1)[0], text, 100, 100 + len(text), part, 1)


def test_focus_narrows_a_section_holding_several_items_to_the_one_asked():
    sec = _section(EVENT.split("2.  ", 1)[1])
    wanted = find_identifiers("Int 0124-2024")
    narrowed = focus(sec, wanted)
    assert narrowed.text.startswith("Int 0124-2024") and "Parks" in narrowed.text
    assert "Transportation" not in narrowed.text and "Lantern" not in narrowed.text
    assert sec.text[narrowed.start - sec.start:narrowed.end - sec.start] == narrowed.text


def test_an_item_is_its_section_by_label_or_heading():
    item38 = Section("s", "m", ("38",), "item", "Request of Joe to address Council", "38 Request of Joe", 0, 17)
    assert is_head(item38, find_identifiers("Item 38")[0])
    assert not is_head(item38, find_identifiers("Item 3")[0])
    ordinance = _section("Ord. No. 1302-10.\nBy Council Member Brand.", label=("Ord. No. 1302-10",))
    assert is_head(ordinance, find_identifiers("Ord. No. 1302-10")[0])
    assert not is_head(ordinance, find_identifiers("Ord. No. 1302-11")[0])

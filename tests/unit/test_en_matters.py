"""Council matters labelled by their number, numbered lists that restart (text/en_matters.py)
and how the splitter uses them; invented minutes."""

from minutes_rag.model import Minute, MinuteMeta
from minutes_rag.split import split_minute
from minutes_rag.text.en_matters import matter_items, restarting_lists

COUNCIL = """Meeting of the Springfield Council

1.  Roll Call
All members present.

2.  Ordinances - First Reading

Ord. No. 11-10. By Council Member Lee. An ordinance to repair the bridge on Elm Street.
1. That the Director of Finance is authorized to pay for the repair.
Section 2. This ordinance takes effect at once.
Referred to Directors of Finance, Law; Committees on Finance.

Res. No. 26-15. By Council Member Ortiz. A resolution thanking the volunteers.
WHEREAS the volunteers cleaned the park;
Adopted. Yeas 9. Nays 0.

File No. 32-10. From the Clerk, the monthly report.
Placed on File.
"""

BOARD = """Licensing Board
Voting Agenda

Hearing of Monday
1. Blue Fork, LLC
Has applied for a Common Victualler License.
GRANTED

2. Green Cup, Inc.
Has applied for a change of manager.
Deferred

Hearing of Tuesday
1. Red Lantern, LLC
Has applied for a new license.
No Violation
"""


def _minute(text: str) -> Minute:
    return Minute(minute_id="m1", source="m.txt", content_hash="", text=text, meta=MinuteMeta(lang="en"))


def test_matters_are_items_labelled_as_printed_and_ordinance_text_stays_inside() -> None:
    labels = [m.label for m in matter_items(COUNCIL)]
    assert labels == ["1.", "2.", "Ord. No. 11-10", "Res. No. 26-15", "File No. 32-10"]
    items = [s for s in split_minute(_minute(COUNCIL)) if s.kind == "item"]
    ordinance = next(s for s in items if s.label_path == ("Ord. No. 11-10",))
    assert "1. That the Director" in ordinance.text and "Section 2." in ordinance.text


def test_a_single_matter_is_no_matter_list() -> None:
    assert matter_items("Ord. No. 11-10. By Council Member Lee.\nAdopted.\n") == []


def test_numbered_lists_that_restart_under_headings() -> None:
    assert [m.label for m in restarting_lists(BOARD)] == ["1.", "2.", "1."]
    assert restarting_lists("1. One\n2. Two\n3. Three\n") == []  # one plain run: text.agenda's case
    items = [s for s in split_minute(_minute(BOARD)) if s.kind == "item"]
    assert [s.label_path for s in items] == [("1.",), ("2.",), ("1.-2",)]
    assert "GRANTED" in items[0].text and "Red Lantern" in items[2].text

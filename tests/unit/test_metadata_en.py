"""Metadata of English council minutes: made-up variants (the real Portland minute: tests/integration)."""

from __future__ import annotations

import pytest

from minutes_rag.parse.metadata import extract_metadata  # noqa: E402


@pytest.mark.parametrize(
    "phrase",
    [
        "HELD THIS 12TH DAY OF JANUARY, 2011 AT 9:30 A.M.",
        "held on January 12, 2011 at 6 pm",
        "held on Wednesday, 12 January 2011",
        "held on Jan. 12th, 2011",
        "held on 2011-01-12",
        "held the 12th of January 2011",
    ],
)
def test_date_forms(phrase: str) -> None:
    text = f"MINUTES OF THE REGULAR MEETING OF THE TOWN COUNCIL\nThe meeting was {phrase}.\n"
    assert extract_metadata(text).date == "2011-01-12"


def test_first_date_wins_and_bad_dates_are_skipped() -> None:
    text = "Minutes. Meeting of February 30, 2011, held March 3, 2011. Next meeting March 10, 2011."
    assert extract_metadata(text).date == "2011-03-03"


def test_made_up_minutes() -> None:
    text = (
        "Springfield City Council\n"
        "Minutes of the Regular Meeting\n"
        "March 3, 2015\n\n"
        "Present: Councilmembers Simpson, Flanders and Van Houten; Mayor Quimby. Absent: Burns.\n"
        "Mayor Quimby presided.\n\n"
        "Item 4. Approve the budget.\nItem 5. Adopt the plan.\n"
    )
    meta = extract_metadata(text)
    assert meta.body == "Springfield City Council"
    assert meta.date == "2015-03-03"
    assert meta.chair == "Mayor Quimby"
    assert meta.attendees == ("Simpson", "Flanders", "Van Houten", "Quimby")
    assert meta.item_numbers == ("4", "5")
    assert meta.title.startswith("Minutes")


def test_presiding_forms() -> None:
    assert extract_metadata("Council President Hales, Presiding. January 5, 2012").chair == "Council President Hales"
    assert extract_metadata("Presiding Officer: Jane Doe\nMinutes").chair == "Jane Doe"


def test_missing_fields_stay_empty() -> None:
    meta = extract_metadata("Notes from a discussion about parks and libraries.\n")
    assert meta.lang == "en"
    assert (meta.body, meta.title, meta.date, meta.chair) == ("", "", "", "")
    assert meta.attendees == () and meta.item_numbers == ()

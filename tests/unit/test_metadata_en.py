"""Metadata of English council minutes: the real Portland minute and made-up variants."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from parse_builders import portland_path  # noqa: E402

from minutes_rag.parse import load_minute  # noqa: E402
from minutes_rag.parse.metadata import extract_metadata  # noqa: E402


@pytest.fixture(scope="module")
def portland():
    p = portland_path()
    if not p.exists():
        pytest.skip(f"the real corpus is not beside the repository ({p})")
    return load_minute(p).meta


def test_portland(portland) -> None:
    assert portland.lang == "en"
    assert "Portland" in portland.body
    assert portland.body == "City of Portland"
    assert portland.title.startswith("Official Minutes")
    assert portland.date == "2011-01-12"
    assert portland.chair == "Mayor Adams"
    assert {"Fish", "Fritz", "Leonard", "Saltzman"} <= set(portland.attendees)
    assert "Presiding" not in portland.attendees and "5" not in portland.attendees
    assert portland.doc_number == "" and portland.meeting_number is None


def test_portland_item_numbers(portland) -> None:
    # the disposition list runs 38 to 61 (S-56 is a substitute of item 56); "item 11",
    # an item of an earlier meeting named in the transcript, is not one of them
    assert portland.item_numbers == tuple(str(n) for n in range(38, 62))


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

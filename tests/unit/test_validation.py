"""One validation of a question and its options for the CLI, the API and the UI."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_ingest_pipeline import MINUTE_A, make_assistant

from minutes_rag.errors import InvalidRequest
from minutes_rag.model import Filters
from minutes_rag.validation import MAX_K, parse_date, parse_k, validate_request


@pytest.mark.parametrize("bad", ["2020-13-45", "2020-02-30", "2020-1-5", "20200105", "yesterday", "2020-W01-1"])
def test_dates_are_validated_as_dates(bad: str) -> None:
    with pytest.raises(InvalidRequest, match="is not a date"):
        parse_date(bad, "from")


def test_good_dates_pass_and_empty_means_no_bound() -> None:
    assert parse_date("2020-02-29", "from") == "2020-02-29"
    assert parse_date("", "to") == "" and parse_date(None, "to") == ""


@pytest.mark.parametrize("bad", [-1, 0, MAX_K + 1, "x", 2.5, True])
def test_k_is_a_positive_bounded_integer(bad: object) -> None:
    with pytest.raises(InvalidRequest, match="whole number from 1"):
        parse_k(bad)


def test_k_accepts_whole_numbers_in_range() -> None:
    assert parse_k("3") == 3 and parse_k(5.0) == 5 and parse_k(None) is None and parse_k(MAX_K) == MAX_K


def test_reversed_ranges_and_long_or_empty_questions_are_refused() -> None:
    with pytest.raises(InvalidRequest, match="ends .* before it starts") as err:
        validate_request("q", date_from="2021-01-01", date_to="2020-12-31")
    assert err.value.field == "to"
    with pytest.raises(InvalidRequest, match="2001 characters long; the limit is 2000"):
        validate_request("问" * 2001)
    with pytest.raises(InvalidRequest, match="empty"):
        validate_request("   ")
    assert validate_request("  问题  ", k=3, date_from="2020-01-01", date_to="2020-01-01").question == "问题"


def test_the_assistant_refuses_before_retrieving(tmp_path: Path, monkeypatch) -> None:
    a, _ = make_assistant(tmp_path / "data")
    (tmp_path / "a.txt").write_text(MINUTE_A, encoding="utf-8")
    a.ingest([tmp_path / "a.txt"])
    monkeypatch.setattr(a, "retrieve_noted", lambda *x, **kw: pytest.fail("retrieved for an invalid request"))
    for kwargs in ({"k": -1}, {"k": 0}, {"filters": Filters(date_from="2020-13-45")},
                   {"filters": Filters(date_from="2021-02-01", date_to="2021-01-01")}):
        with pytest.raises(InvalidRequest):
            a.ask("垃圾分类", **kwargs)
    with pytest.raises(InvalidRequest):
        a.ask("垃" * 5000)

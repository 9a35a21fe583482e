"""The one check of a question and its options, shared by the CLI, the API and the UI.

Validated by meaning, not shape: ``2020-13-45`` is not a date, ``k`` is a positive integer
no larger than a bound, a date range may not end before it starts, and a question longer
than a bound is refused with a message (it would only slow every other user down).
"""

from __future__ import annotations

from dataclasses import dataclass

from minutes_rag.errors import InvalidRequest
from minutes_rag.text.patterns import is_iso_date

MAX_QUESTION_CHARS = 2000
MAX_K = 50


@dataclass(frozen=True)
class Request:
    question: str
    k: int | None
    date_from: str
    date_to: str


def parse_date(value: str | None, field: str = "date") -> str:
    """``YYYY-MM-DD`` of a real calendar day, or "" for an empty value."""
    text = (value or "").strip()
    if not text:
        return ""
    # one convention for what a YYYY-MM-DD date is (text.patterns): a real day, one form
    if not is_iso_date(text):
        raise InvalidRequest(field, f"{field}: {text!r} is not a date (use YYYY-MM-DD, e.g. 2020-06-30)")
    return text


def parse_k(value: object, *, max_k: int = MAX_K) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidRequest("k", f"k must be a whole number from 1 to {max_k}")
    try:
        k = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise InvalidRequest("k", f"k must be a whole number from 1 to {max_k}, not {value!r}") from None
    if isinstance(value, float) and value != k:
        raise InvalidRequest("k", f"k must be a whole number from 1 to {max_k}, not {value!r}")
    if not 1 <= k <= max_k:
        raise InvalidRequest("k", f"k must be a whole number from 1 to {max_k}, not {k}")
    return k


def validate_request(
    question: str | None,
    *,
    k: object = None,
    date_from: str | None = "",
    date_to: str | None = "",
    max_chars: int = MAX_QUESTION_CHARS,
    max_k: int = MAX_K,
) -> Request:
    q = (question or "").strip()
    if not q:
        raise InvalidRequest("question", "the question is empty")
    if len(q) > max_chars:
        raise InvalidRequest(
            "question", f"the question is {len(q)} characters long; the limit is {max_chars}: please shorten it"
        )
    start = parse_date(date_from, "from")
    end = parse_date(date_to, "to")
    if start and end and start > end:
        raise InvalidRequest("to", f"the date range ends ({end}) before it starts ({start})")
    return Request(q, parse_k(k, max_k=max_k), start, end)

"""Markdown minutes split by topic headings and issue-link bullets (split/md_items.py)."""

from minutes_rag.model import Minute, MinuteMeta
from minutes_rag.split import split_minute

MD = """# Steering Committee Meeting 2024-03-05

## Present

* Ann Lee
* Bo Chen

## Agenda

### Announcements

* The summit is next month.

### org/repo

* Fix the build on ARM [#123](https://github.com/org/repo/issues/123)
  * Bo will look at the failing job.
* Release plan [#130](https://github.com/org/repo/pull/130)
  * Deferred until next week.

## Q&A

No questions.
"""

PLAN_THEN_RECORD = """# Working group call

## Agenda

### Day one
* Topic A
* Topic B

## Day one

### Topic A
Ann: we agreed to close it.

### Topic B
Bo: I will draft the text.
"""


def _items(text: str) -> list[str]:
    m = Minute(minute_id="m", source="m.md", content_hash="", text=text, meta=MinuteMeta(lang="en"))
    return [s.title for s in split_minute(m) if s.kind == "item" and s.part == 0]


def test_headings_and_issue_bullets_are_items_groups_are_not() -> None:
    assert _items(MD) == ["Announcements", "Fix the build on ARM #123", "Release plan #130"]


def test_the_agenda_printed_before_the_record_is_not_the_record() -> None:
    assert _items(PLAN_THEN_RECORD) == ["Topic A", "Topic B"]

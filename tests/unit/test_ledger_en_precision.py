"""Issue 16, English precision: shared views, standing rules and stated policies are not
decisions or tasks (ledger/en_forms.py, ledger/en.py); invented sentences."""

import pytest

from minutes_rag.ledger.en import extract_en
from minutes_rag.ledger.en_forms import formal_decisions, named_tasks


def _kinds(text: str, kind: str) -> list[str]:
    return [text[f.start:f.end] for f in extract_en(text, 0, len(text)) if f.kind == kind]


@pytest.mark.parametrize("text", [
    "Participants agreed that retail sales had slowed in the spring.",
    "In their review of the outlook, most members generally agreed that risks were balanced.",
    "Those who favoured a pause agreed that a later increase might be needed.",
    "They also agreed to watch the housing figures closely.",
])
def test_people_sharing_a_view_is_not_a_decision(text: str) -> None:
    assert not formal_decisions(text, 0, len(text))


@pytest.mark.parametrize("text", [
    "The Board agreed to hold the fee at its present level.",
    "It was agreed that the survey would be repeated next year.",
    "We agreed to defer the question until next week.",
    "Members agreed that the figures were weak, and the Board voted to cut the levy.",
])
def test_the_body_agreeing_or_voting_is_a_decision(text: str) -> None:
    assert formal_decisions(text, 0, len(text))


@pytest.mark.parametrize("text", [
    "The Treasurer shall consult the Chair before any transfer above the limit.",
    "If revenue falls short, the Finance Director will propose cuts.",
    "Going forward, the Committee will respond to changes in the outlook as needed.",
    "The Board will continue to review its reserve policy each year.",
])
def test_standing_rules_conditions_and_own_policy_are_not_tasks(text: str) -> None:
    assert _kinds(text, "assignment") == []


@pytest.mark.parametrize(("text", "lead"), [
    ("The Finance Director will circulate the revised budget.", "Finance Director"),
    ("The Parks Committee will review the lease before the next meeting.", "Parks Committee"),
])
def test_officers_and_named_bodies_still_take_tasks(text: str, lead: str) -> None:
    (f,) = [f for f in extract_en(text, 0, len(text)) if f.kind == "assignment"]
    assert f.lead == [lead]


def test_named_task_with_shall_is_a_rule_but_with_will_a_task() -> None:
    rule = "- Omar shall sign every cheque above the limit.\n"
    task = "- Omar will sign the lease tomorrow.\n"
    assert named_tasks(rule, 0, len(rule)) == []
    assert [f.lead for f in named_tasks(task, 0, len(task))] == [["Omar"]]


@pytest.mark.parametrize("line", [
    "- Priya: I'll walk you through the main points first.\n",
    "- Priya: Before the vote, I'll mention that the venue changed.\n",
    "- Priya: Fine by me, I'll check my box today.\n",
    "- Priya: Maybe in five years I'll have moved on.\n",
    "- Priya: Will the new codes need a registry?\n",
    "- Probably will postpone the release until spring.\n",
])
def test_speaker_narration_votes_and_questions_are_not_tasks(line: str) -> None:
    text = "Present: Priya, Omar\n\n" + line
    assert named_tasks(text, 0, len(text)) == []


def test_a_speaker_task_under_a_condition_is_still_a_task() -> None:
    text = "- Priya: If the group agrees, I'll invite the auditor to the next meeting.\n"
    assert [f.lead for f in named_tasks(text, 0, len(text))] == [["Priya"]]


@pytest.mark.parametrize("text", [
    "Participants asked the staff for more analysis and agreed that the matter deserved study.",
    "Meeting participants briefly discussed next steps and agreed to consider them later.",
    "It was agreed that the next meeting of the Board would be held on Monday, May 4.",
])
def test_second_verb_views_and_the_next_meeting_date_are_not_decisions(text: str) -> None:
    assert not formal_decisions(text, 0, len(text))


def test_a_vote_before_a_next_meeting_notice_is_still_a_decision() -> None:
    text = ("The Board voted unanimously to raise the fee to 3 percent. "
            "It was agreed that the next meeting would be held on May 4.")
    assert formal_decisions(text, 0, len(text))


def test_participants_agreeing_to_watch_is_not_a_named_task() -> None:
    text = "Participants agreed to continue to monitor the markets.\n"
    assert named_tasks(text, 0, len(text)) == []

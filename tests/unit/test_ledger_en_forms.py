"""English ledger rules beyond council columns (ledger/en_forms.py); invented sentences."""

from minutes_rag.ledger.en_forms import formal_decisions, item_dispositions, named_reports, named_tasks


def _one(fn, text):  # type: ignore[no-untyped-def]
    return fn(text, 0, len(text))


def test_labelled_action_lines_and_disposition_lines() -> None:
    t = "Int 0001-2024  A Local Law\n  Action: Laid Over by Council -- This was Laid Over [Pass]\n"
    (s, e, what), = item_dispositions(t, 0, len(t))
    assert what == "Laid Over by Council" and t[s:e].startswith("Action:") and t[s:e].endswith("[Pass]")
    t = "1. Blue Fork, LLC\nHas applied for a license.\nViolation - Written Warning\n"
    assert [x[2] for x in item_dispositions(t, 0, len(t))] == ["Violation"]


def test_decisions_written_as_sentences_but_not_questions() -> None:
    assert _one(formal_decisions, "By unanimous vote, the Committee ratified these transactions.")
    assert _one(formal_decisions, "Strong hum for adoption, none against.")
    assert not _one(formal_decisions, "Do we have consensus to move forward with this agenda?")
    assert not _one(formal_decisions, "If it's without objection, I propose we continue.")


def test_named_tasks_need_a_person() -> None:
    text = "## Attendance\nRyan, Mara\n\n- Ryan will own the repo merge.\n- Consent to agenda\n- Mara to draft the post\n"
    found = named_tasks(text, 0, len(text))
    assert [(f.lead, text[f.start:f.end]) for f in found] == [
        (["Ryan"], "Ryan will own the repo merge."), (["Mara"], "Mara to draft the post")]
    speaker = "Tess: I suspect so. I will ping the issue.\n"
    assert [f.lead for f in named_tasks(speaker, 0, len(speaker))] == [["Tess"]]


def test_named_reports() -> None:
    (f,) = _one(named_reports, "Julian gave an overview of header parsing.")
    assert f.lead == ["Julian"]


def test_an_office_behind_an_article_is_not_an_assignee() -> None:
    # directive text names an office, not a person who took on a task
    for line in ("The Treasurer shall sell the bonds held in the fund.\n",
                 "Each Member will receive the packet in advance.\n",
                 "- The Clerk will publish the notice.\n"):
        assert named_tasks(line, 0, len(line)) == [], line
    named = "- Dana Ortiz will publish the notice.\n"
    assert [f.lead for f in named_tasks(named, 0, len(named))] == [["Dana Ortiz"]]

"""ledger.llm_pass: the model proposes, the code keeps only verbatim quotes with offsets found
in the text (LangChain's GenericFakeChatModel stands for the LLM)."""

from __future__ import annotations

import json
from pathlib import Path

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings
from minutes_rag.embed import HashEmbedder
from minutes_rag.ledger.llm_pass import llm_entries
from minutes_rag.model import Minute, MinuteMeta, Section

ITEM = ("3. Harbor lights\nThe board talked over the harbor lights for a while. "
        "Ms. Park offered to get the Port Office's quote on new lamps. The matter was left open.")


def _model(*replies: object) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(content=json.dumps(r)) for r in replies]))


def _minute() -> tuple[Minute, list[Section]]:
    text = "Harbor Board minutes\n\n" + ITEM + "\n"
    start = text.index("3. Harbor")
    minute = Minute("m1", "/a/m.txt", "h", text, MinuteMeta(lang="en", date="2024-05-02"))
    sec = Section("m1-s3", "m1", ("3",), "item", "Harbor lights", ITEM, start, start + len(ITEM))
    return minute, [sec]


def test_verbatim_proposals_are_kept_with_offsets_from_the_text_others_dropped():
    minute, sections = _minute()
    model = _model([
        {"kind": "assignment", "quote": "Ms. Park offered to get the Port Office's quote on new lamps.",
         "lead": "Ms. Park", "task": "get the Port Office's quote on new lamps", "start": 0, "end": 3},
        {"kind": "decision", "quote": "The board approved new lamps.", "outcome": "approved"},  # not in the item
        {"kind": "assignment", "quote": "The matter was left open.", "lead": "Port Office"},  # lead not in the quote
        {"kind": "verdict", "quote": "The matter was left open."},  # no such kind
    ])
    (entry,) = llm_entries(minute, sections, [], model)
    assert entry.origin == "llm" and entry.kind == "assignment" and entry.lead == ("Ms. Park",)
    assert minute.text[entry.start:entry.end] == entry.quote  # offsets from the text, not the model's 0..3
    assert entry.task == "get the Port Office's quote on new lamps" and entry.label == "3"
    assert entry.to_json()["origin"] == "llm"


def test_items_the_rules_covered_are_not_sent_and_a_failing_model_adds_nothing():
    minute, sections = _minute()
    from minutes_rag.ledger.model import LedgerEntry

    rule = LedgerEntry("m1-d0", "m1", "", None, "", "3", "m1-s3", "decision", quote="x", start=sections[0].start + 5,
                       end=sections[0].start + 6)

    class Boom:
        def invoke(self, prompt):
            raise AssertionError("must not be called for a covered item")

    assert llm_entries(minute, sections, [rule], Boom()) == []

    class Down:
        def invoke(self, prompt):
            raise ConnectionError("endpoint down")

    assert llm_entries(minute, sections, [], Down()) == []
    assert llm_entries(minute, sections, [], _model("not json at all")) == []


def test_ingest_with_the_ledger_llm_setting_stores_the_validated_entries(tmp_path: Path):
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "harbor.txt").write_text("Harbor Board minutes\nMay 2, 2024\n\n" + ITEM + "\n", encoding="utf-8")
    settings = Settings.load(env={}, data_dir=str(tmp_path / "d"), ledger_llm=True)
    reply = [{"kind": "assignment", "quote": "Ms. Park offered to get the Port Office's quote on new lamps.", "lead": "Ms. Park"}]
    a = Assistant(settings, embedder=HashEmbedder(64), chat_model=_model(*([reply] * 10)))
    report = a.ingest([archive])
    assert report.failed == 0, report.errors
    llm = [e for e in a.index.ledger_entries() if e.origin == "llm"]
    assert [e.lead for e in llm] == [("Ms. Park",)]
    off = Assistant(Settings.load(env={}, data_dir=str(tmp_path / "d2")), embedder=HashEmbedder(64),
                    chat_model=_model(*([reply] * 10)))
    off.ingest([archive])
    assert all(e.origin == "rules" for e in off.index.ledger_entries())  # off by default

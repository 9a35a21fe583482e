"""The item numbers a question names ("Who sponsored Ord. No. 11-10?", "How did the council
vote on Res 0438-2024?", "第三项议题由谁汇报？"), read once into ``Query.identifiers`` with the
convention minutes are read with (``text.identifiers``). Retrieval scopes such a question to
the sections of those items (``item_lookup``); a number no section writes is not found."""

from __future__ import annotations

import re

from minutes_rag.text.identifiers import ItemId, distinct, find_identifiers


def find_item_ids(question: str) -> tuple[ItemId, ...]:
    """The item identifiers ``question`` names, each once, in order."""
    return distinct(find_identifiers(question))


def without_identifiers(question: str) -> str:
    """``question`` with the item numbers it names blanked out."""
    out = question
    for found in reversed(find_identifiers(question)):
        out = out[: found.start] + " " + out[found.end :]
    return out


# What a question asks of an item (or of the meeting's end), and what the sentence that
# answers it holds: the sponsor line ("By Council Member Holden:"), the motion ("Moved by
# Commissioner Fish and seconded by ..."), the vote ("Yeas 17. Nays 0.", "(Y-5)", "Aye (5)",
# "approved by voice vote"), the adjournment ("At 10:31 a.m. Council adjourned."). First match
# wins: "Who moved and who seconded?" is about the motion.
ITEM_ASKS: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    ("sponsor",
     re.compile(r"\bsponsor(?:ed|s|ing)?\b|\b(?:introduced|submitted|proposed)\s+by\b|\bwho\s+(?:introduced|submitted|proposed)\b", re.I),
     re.compile(r"\bBy\s+(?:the\s+)?(?:Council\s*(?:Members?|m[ae]n|wom[ae]n)|Speaker|Public\s+Advocate|Chair\w*|Mayor"
                r"|Commissioners?|Members?|Messrs?\.|Mses?\.|Mrs?\.)|\bsponsor|\b(?:introduced|submitted|proposed)\s+by\b", re.I)),
    ("mover",
     re.compile(r"\bwho\s+moved\b|\bmoved\s+by\b|\bmade\s+the\s+motion\b|\bmover\b|\bwho\s+made\s+(?:a|the)\s+motion\b", re.I),
     re.compile(r"\bmoved\b|\bmotion\b|\bmoves\b", re.I)),
    ("seconder",
     re.compile(r"\bseconded\b|\bwho\s+second|\bseconder\b", re.I),
     re.compile(r"\bseconded\b|\bsecond\b", re.I)),
    ("vote",
     re.compile(r"\bvot(?:e|ed|es|ing)\b|\byeas?\b|\bnays?\b|\broll[- ]?call\b|\bayes?\b|表决|投票", re.I),
     re.compile(r"\bYeas?\b|\bNays?\b|\bvot(?:e|ed|es|ing)\b|\(Y-\d+\)|\bAyes?\b|\bRoll\s*call\b|\bunanimous\w*"
                r"|\b\d{1,2}\s*[-–]\s*\d{1,2}\b|表决|票", re.I)),
    ("adjourned",
     re.compile(r"\badjourn\w*|散会|休会", re.I),
     re.compile(r"\badjourn\w*|散会|休会", re.I)),
    # what became of an item: the disposition a council, committee or board records
    ("disposition",
     re.compile(r"\bwhat\s+happened\b|\bdisposition\b|\boutcome\b|\bwhat\s+action\b|\bdecided?\b|\bdecision\b"
                r"|\bwhat\s+did\b.*\b(?:do|decide)\b|\bwas\b.*\b(?:approved|adopted|passed|granted)\b|结果|如何处理", re.I),
     re.compile(r"\bAction:|\b(?:passed|adopted|approved|referred|filed|placed\s+on\s+file|granted|denied|deferred|continued"
                r"|recessed|laid\s+over|withdrawn|hearing\s+held|no\s+violation|confirmed|accepted|received)\b", re.I)),
    # what an item is: its heading ("What is Res 0399-2004 about?")
    ("subject",
     re.compile(r"\bwhat\s+(?:is|was)\b.*\babout\b|\bwhat\s+(?:is|was)\s+(?:the\s+)?(?:subject|title|matter)\b"
                r"|\bwhich\s+\w+\s+is\b|是什么事项|关于什么", re.I),
     re.compile(r"\w{3,}")),
)
_ASK_CUES = {name: cue for name, _, cue in ITEM_ASKS}


# asks that are about an item only when the question names one ("What was decided?" alone is a
# question about content, answered as before)
_NAMED_ONLY = frozenset({"disposition", "subject"})


def find_item_ask(question: str) -> str:
    """What ``question`` asks of an item ("sponsor", "mover", "seconder", "vote",
    "disposition", "subject") or of the meeting's end ("adjourned"); "" for anything else."""
    named = bool(find_identifiers(question))
    return next((name for name, asks, _ in ITEM_ASKS
                 if (named or name not in _NAMED_ONLY) and asks.search(question)), "")


def item_ask_cue(name: str) -> re.Pattern[str] | None:
    """What the sentence answering item ask ``name`` holds (None for "")."""
    return _ASK_CUES.get(name)

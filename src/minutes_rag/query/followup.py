"""Follow-up questions: make them standalone before retrieval.

"它由哪个部门负责？" after a question about 《苏州市政策性租赁住房试点工作方案》 cannot be
retrieved on its own. With an LLM the follow-up is rewritten by the model; without one,
the previous turn's minute reference (document number / meeting) and topic (a 《…》
title, or the cited section's title) are carried over. Either way the minutes the previous
answer cited are returned so retrieval can boost them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from minutes_rag.model import Turn
from minutes_rag.query.intents import find_intents
from minutes_rag.query.keywords import keywords
from minutes_rag.text.lang import detect_lang
from minutes_rag.text.markers import strip_markers
from minutes_rag.text.patterns import DOC_NUMBER_CORE, ISO_DATE, ZH_MEETING_ORDINAL

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rewrite:
    question: str  # what to retrieve and answer with (the original if not a follow-up)
    original: str
    follow_up: bool = False
    method: str = "none"  # "none" | "heuristic" | "llm"
    boost_minute_ids: tuple[str, ...] = ()  # minutes the previous answer cited
    carried: tuple[str, ...] = ()  # what the heuristic carried over (reference, topic)

    def __str__(self) -> str:
        return self.question


_ZH_PRONOUN = re.compile(
    r"它|它们|其(?!他|它|实|中|余)|(?<!应)该(?!市|局|区)|上述|前述|此(?:项|次|事|方案|文件|会|纪要|议题)|"
    r"这(?:个|项|些|次|份|一|里|件|条)|那(?:个|项|些|次|份|件|条)"
)
_ZH_CUE = re.compile(r"^\s*(?:那么?|那|还有|另外|此外|再|以及|然后|接着|并且|而且|具体|由(?=谁|哪))")
_EN_PRONOUN = re.compile(r"\b(?:it|its|they|them|their|this|that|these|those|the same|he|she|him|her)\b", re.I)
_EN_CUE = re.compile(r"^\s*(?:and|also|what about|how about|then|so)\b", re.I)

_DOC_NUMBER = re.compile(DOC_NUMBER_CORE)
_MEETING = re.compile(rf"{ZH_MEETING_ORDINAL}|\bmeeting\s+(?:no\.?\s*)?\d+\b|{ISO_DATE.pattern}", re.IGNORECASE)
_EN_NAME = re.compile(r"(?<=[a-z,;:] )((?:[A-Z][\w'&-]*\s?){1,6})")
_EN_SKIP = {"council", "the council", "city", "mayor", "commissioner"}
_BOOK_TITLE = re.compile(r"《[^》]{2,60}》")


def is_follow_up(question: str) -> bool:
    """Heuristic: a pronoun pointing back, a follow-up opener (那/那么/and/what about),
    or a question too short to stand on its own."""
    q = question.strip()
    if detect_lang(q, question=True) == "zh":
        core = re.sub(r"[\s？?。！!，,]", "", q)
        if _ZH_CUE.search(q) or len(core) <= 6:
            return True
        return bool(_ZH_PRONOUN.search(q)) and len(keywords(q)) <= 4
    words = re.findall(r"[A-Za-z0-9']+", q)
    if _EN_CUE.search(q) or len(words) <= 4:
        return True
    return bool(_EN_PRONOUN.search(q)) and len(keywords(q)) <= 3


def _has_own_reference(question: str) -> bool:
    return bool(_DOC_NUMBER.search(question) or _MEETING.search(question))


def _previous_reference(turn: Turn) -> str:
    """The minute the previous turn was about: from its question, else its first citation."""
    q = turn.question
    m = _DOC_NUMBER.search(q) or _MEETING.search(q)
    if m:
        return m.group(0)
    for c in turn.answer.citations:
        if c.doc_number:
            return c.doc_number
        if c.meeting_number is not None:
            return f"第{c.meeting_number}次" if detect_lang(q, question=True) == "zh" else f"meeting {c.meeting_number}"
        if c.date:
            return c.date
    return ""


def _previous_topic(turn: Turn) -> str:
    m = _BOOK_TITLE.search(turn.question)
    if m:
        return m.group(0)
    for c in turn.answer.citations:
        t = _BOOK_TITLE.search(c.title)
        if t:
            return t.group(0)
    q = _DOC_NUMBER.sub("", _MEETING.sub("", turn.question))
    if detect_lang(q, question=True) == "en":
        # a capitalised name (not the sentence's first word): "Portland Plan"
        names = [n.strip() for n in _EN_NAME.findall(q) if n.strip().lower() not in _EN_SKIP]
        if names:
            return max(names, key=len)
    # the previous question's content words, without its minute reference
    kws = [k for k in keywords(q) if not k.isdigit()]
    if kws:
        return ("" if detect_lang(q, question=True) == "zh" else " ").join(kws[:4])
    return turn.answer.citations[0].title if turn.answer.citations else ""


def _boost_ids(turn: Turn) -> tuple[str, ...]:
    seen: list[str] = []
    for c in turn.answer.citations:
        if c.minute_id and c.minute_id not in seen:
            seen.append(c.minute_id)
    return tuple(seen)


def heuristic_rewrite(question: str, history: Sequence[Turn]) -> Rewrite:
    if not history or not is_follow_up(question):
        return Rewrite(question, question)
    prev = history[-1]
    carried = []
    if not _has_own_reference(question):
        ref = _previous_reference(prev)
        if ref:
            carried.append(ref)
    # "who chaired it?" is about the meeting, not the previous topic
    topic = "" if find_intents(question) else _previous_topic(prev)
    if topic and topic not in question:
        carried.append(topic)
    boost = _boost_ids(prev)
    if not carried:
        return Rewrite(question, question, True, "heuristic", boost)
    q = question.strip()
    if detect_lang(q, question=True) == "zh":
        rewritten = f"{''.join(carried)}：{q}" if len(carried) == 1 else f"{carried[0]}{carried[1]}：{q}"
    else:
        rewritten = f"{q} (regarding {', '.join(carried)})"
    return Rewrite(rewritten, question, True, "heuristic", boost, tuple(carried))


def rewrite_question(question: str, history: Sequence[Turn], llm: Any | None = None) -> Rewrite:
    """Make ``question`` standalone given the conversation ``history`` (oldest first).

    With ``llm`` (a LangChain chat model) the model rewrites every question that follows
    a turn; if it fails or returns nothing usable, the heuristic is used.
    """
    if not history:
        return Rewrite(question, question)
    if llm is not None:
        try:
            reply = llm.invoke(rewrite_messages(question, history))
            text = str(getattr(reply, "content", reply)).strip().strip('"“”').strip()
            text = text.splitlines()[0].strip() if text else ""
            if text and len(text) <= 4 * len(question) + 120 and detect_lang(text, question=True) == detect_lang(question, question=True):
                follow = text != question.strip()
                return Rewrite(text, question, follow, "llm", _boost_ids(history[-1]) if follow else ())
        except Exception as exc:  # noqa: BLE001 - the model is optional here: fall back to the heuristic
            log.warning("follow-up rewrite by the LLM failed (%s: %s); rewriting heuristically",
                        type(exc).__name__, exc)
    return heuristic_rewrite(question, history)


REWRITE_SYSTEM = (
    "Rewrite the user's follow-up question into one standalone question that can be understood without "
    "the conversation, keeping its language (Chinese stays Chinese) and naming the minute (document number, "
    "meeting) and topic it refers to. Output only the rewritten question."
)


def rewrite_messages(question: str, history: Sequence[Turn], max_turns: int = 2) -> list[Any]:
    """The prompt that asks a chat model to make a follow-up standalone."""
    from langchain_core.messages import HumanMessage, SystemMessage

    lines = []
    for turn in list(history)[-max_turns:]:
        lines.append(f"Q: {turn.question}")
        lines.append(f"A: {strip_markers(turn.answer.text)[:600]}")
        cited = "; ".join(
            " ".join(x for x in (c.doc_number, f"meeting {c.meeting_number}" if c.meeting_number else "", c.label, c.title) if x)
            for c in turn.answer.citations[:3]
        )
        if cited:
            lines.append(f"(cited: {cited})")
    convo = "\n".join(lines)
    return [SystemMessage(REWRITE_SYSTEM), HumanMessage(f"Conversation:\n{convo}\n\nFollow-up: {question}\nStandalone question:")]

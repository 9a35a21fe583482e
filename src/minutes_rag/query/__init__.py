"""The question, analysed once: ``analyse(question, history)`` -> a frozen :class:`Query`.

Everything the later stages want to know about a question (its language, content
keywords, BM25 tokens with the glossary's other-language terms, the minutes it names, what
it asks about the meeting itself, whether and how it was rewritten from the conversation)
is worked out here, once per ask, and read from the Query by retrieval and the answerers.

    question + history -> followup (standalone text) -> Query -> retrieve -> answer
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from minutes_rag.glossary import cross_terms, expand_query
from minutes_rag.lexical import tokenize
from minutes_rag.model import Turn
from minutes_rag.query import answer_types
from minutes_rag.query.followup import Rewrite, is_follow_up, rewrite_question
from minutes_rag.query.identifiers import find_item_ask, find_item_ids, item_ask_cue, without_identifiers
from minutes_rag.query.intents import INTENTS, Intent, LedgerAsk, cue, find_intents, find_ledger_ask, wanted_kinds
from minutes_rag.query.keywords import keywords
from minutes_rag.query.references import References, find_references
from minutes_rag.text.identifiers import ItemId
from minutes_rag.text.lang import HAN_RE, Lang, detect_lang
from minutes_rag.text.words import stem

__all__ = [
    "INTENTS",
    "Intent",
    "LedgerAsk",
    "Query",
    "REWRITE_METHODS",
    "Rewrite",
    "analyse",
    "as_query",
    "find_intents",
    "find_ledger_ask",
    "is_follow_up",
    "rewrite_question",
    "wanted_kinds",
]

REWRITE_METHODS = ("none", "heuristic", "llm")

# capitalised English words that do not start the sentence (Portland, Metro, Triad)
_PROPER_NAME = re.compile(r"(?<=[\w,;:] )[A-Z][A-Za-z'-]+")


@dataclass(frozen=True)
class Query:
    """A question as the pipeline uses it. ``text`` is what is retrieved and answered (the
    standalone rewrite of a follow-up); ``asked`` is what the user wrote."""

    text: str
    lang: Lang
    keywords: tuple[str, ...]  # content words, in order (stemmed English, jieba Chinese words)
    tokens: tuple[str, ...]  # BM25 tokens of ``expanded``
    expanded: str  # text + the glossary's other-language terms (for BM25 only)
    cross_terms: tuple[str, ...]  # the glossary's keywords for its concepts in the other language
    references: References  # document numbers, meeting numbers, dates it names
    intents: tuple[str, ...]  # questions about the meeting itself, main one first (query.intents)
    proper_names: frozenset[str] = frozenset()  # stems of capitalised names in an English question
    asked: str = ""
    rewrite: str = "none"  # "none" | "heuristic" | "llm": how ``text`` was made from ``asked``
    follow_up: bool = False
    boost_minute_ids: tuple[str, ...] = ()  # minutes the previous answer cited
    carried: tuple[str, ...] = field(default=())  # what the heuristic carried over
    ledger: LedgerAsk | None = None  # what it asks of the ledger or a timeline (query.intents)
    answer_type: str = ""  # the kind of fact it asks for (query.answer_types): "number", "department" ...
    is_list: bool = False  # it asks for every item of a list ("哪些措施", "which items")
    identifiers: tuple[ItemId, ...] = ()  # the item numbers it names (query.identifiers)
    item_ask: str = ""  # "sponsor", "mover", "seconder", "vote", "adjourned" (query.identifiers)

    @property
    def intent(self) -> str:
        """The main intent ("chair", "date", ...; "" for a question about content)."""
        return self.intents[0] if self.intents else ""

    @property
    def cue(self) -> re.Pattern[str] | None:
        """What a sentence answering the main intent contains (None: no intent or no cue); a
        question about an item's sponsor, motion or vote, or the adjournment, is answered by the
        sentence that records it."""
        return item_ask_cue(self.item_ask) or cue(self.intent)

    @property
    def type_cue(self) -> re.Pattern[str] | None:
        """What a sentence holding an answer of the question's type contains (None: no type)."""
        return answer_types.type_cue(self.answer_type)

    @property
    def strict(self) -> bool:
        """Whether only a sentence holding a fact of its type answers it (a number, a year, a time)."""
        return self.answer_type in answer_types.STRICT_TYPES

    @property
    def strict_cues(self) -> tuple[re.Pattern[str], ...]:
        """The cues a quote must match for a strict-type question, to try in order (else empty)."""
        return answer_types.strict_cues(self.answer_type)


def _analyse_text(text: str) -> dict[str, Any]:
    lang = detect_lang(text, question=True)
    expanded = expand_query(text)
    return {
        "text": text,
        "lang": lang,
        # an item's number says which item, not which of its sentences answers: not a keyword
        "keywords": tuple(keywords(without_identifiers(text), lang)),
        # an English question's Chinese glossary terms as bigrams: no jieba for it (lexical.py)
        "tokens": tuple(tokenize(expanded, for_query=True, segment=bool(HAN_RE.search(text)))),
        "expanded": expanded,
        "cross_terms": tuple(cross_terms(text, lang=lang)),
        "references": find_references(text),
        "intents": find_intents(text),
        "proper_names": frozenset(stem(w) for w in _PROPER_NAME.findall(text)),
        "ledger": find_ledger_ask(text),
        "answer_type": answer_types.answer_type(text),
        "is_list": answer_types.is_list(text),
        "identifiers": find_item_ids(text),
        "item_ask": find_item_ask(text),
    }


def analyse(question: str, history: Sequence[Turn] = (), *, llm: Any = None) -> Query:
    """The Query for ``question`` asked after ``history`` (oldest turn first).

    A follow-up ("它由哪个部门负责？") is first made standalone: by ``llm`` (a LangChain chat
    model, or a zero-argument callable returning one or None, called only for a follow-up
    so a standalone question never waits on the model) or else by the heuristic."""
    rw = Rewrite(question, question)
    if history:
        model = None
        if llm is not None and is_follow_up(question):
            model = llm if hasattr(llm, "invoke") or not callable(llm) else llm()
        rw = rewrite_question(question, history, llm=model)
    method = rw.method if rw.question.strip() != question.strip() else "none"
    return Query(
        **_analyse_text(rw.question),
        asked=question,
        rewrite=method,
        follow_up=rw.follow_up,
        boost_minute_ids=rw.boost_minute_ids,
        carried=rw.carried,
    )


def as_query(question: Query | str) -> Query:
    """``question`` itself, or a standalone question analysed (for callers with a string)."""
    return question if isinstance(question, Query) else analyse(question)

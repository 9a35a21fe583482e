"""Warnings as data: a stable code beside the text a person reads.

An ``Answer.warnings`` item is a :class:`Notice`: a ``str`` (its English text, so the
``ask --json`` contract's ``warnings``, a list of strings, stays as it was, and every
consumer that joins or prints warnings keeps working) that also carries ``code`` and the
``params`` the text was made from. Consumers that act on a warning (the chat localises
it, a client hides or highlights it) read ``code`` — ``warning_codes`` in the JSON, in
the same order as ``warnings`` — never the English sentence.

A plain ``str`` in ``warnings`` (an older producer) has the code :data:`NOTE`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# the codes; the README's ``ask --json`` section lists them
NOTE = "note"  # a warning without a more specific code
KEYWORD_ONLY = "keyword_only"  # the vector index (Chroma) did not answer: lexical retrieval only
INDEX_BUSY = "index_busy"  # another process writes the embedded Chroma: lexical retrieval only
INDEX_CHECK = "index_check"  # the reader's self-check found the index incomplete
LLM_FALLBACK = "llm_fallback"  # the LLM's reply was not shown (failed, rejected, found nothing): extractive answer
LLM_RETRY = "llm_retry"  # the LLM's first reply was rejected; the one shown is its second
LLM_UNNUMBERED = "llm_unnumbered"  # the LLM cited no sentence numbers; cited by what it repeats
MARKERS_REMOVED = "markers_removed"  # citation markers pointing at no sentence were removed
SOURCE_CUT = "source_cut"  # a source was shortened or left out to fit the model's context
INSTRUCTION_DROPPED = "instruction_dropped"  # a source held text addressed to an assistant; not used
CROSS_LINGUAL = "cross_lingual"  # the quotes are in another language than the question

CODES = (NOTE, KEYWORD_ONLY, INDEX_BUSY, INDEX_CHECK, LLM_FALLBACK, LLM_RETRY, LLM_UNNUMBERED, MARKERS_REMOVED,
         SOURCE_CUT, INSTRUCTION_DROPPED, CROSS_LINGUAL)


BUSY_NOTE = (
    "the index is being updated by another process: this answer comes from the keyword index only "
    "(an embedded Chroma is not shared between processes; use a Chroma server, `chroma run`, for that)"
)
DENSE_NOTE = "the vector index is unavailable ({why}): this answer comes from the keyword index only"


class Notice(str):
    """A warning: its English text (the ``str`` itself), ``code`` and ``params``."""

    code: str
    params: dict[str, str]

    def __new__(cls, code: str, text: str, **params: str) -> Notice:
        obj = super().__new__(cls, text)
        obj.code = code
        obj.params = dict(params)
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        # copy and pickle rebuild it from (code, text), keeping its params
        return (_rebuild, (self.code, str(self), self.params))

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "text": str(self), **({"params": dict(self.params)} if self.params else {})}


def _rebuild(code: str, text: str, params: dict[str, str]) -> Notice:
    return Notice(code, text, **params)


def code_of(warning: str) -> str:
    """The code of a warning (:data:`NOTE` for a plain string)."""
    return warning.code if isinstance(warning, Notice) else NOTE


def codes_of(warnings: Iterable[str]) -> list[str]:
    return [code_of(w) for w in warnings]


def keyword_only(why: object) -> Notice:
    """The vector index did not answer (``why``): the answer comes from the keyword index only."""
    return Notice(KEYWORD_ONLY, DENSE_NOTE.format(why=why), why=str(why))

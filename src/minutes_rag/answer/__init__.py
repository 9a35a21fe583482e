"""Answering: turn a question and retrieved hits into an Answer with checked citations.

- ExtractiveAnswerer: default, offline, instant; quotes sentences of the best hits.
- LLMAnswerer: any OpenAI-compatible server (or a local GGUF) through LangChain, with
  citation checking and an extractive fallback.
- evidence_score (answer.evidence): the evidence gate both answerers share.

Answerers take a :class:`minutes_rag.query.Query` (a plain question string is analysed on
the spot); follow-up rewriting is part of analysing the question (``query.followup``).

Nothing heavy is imported here: LangChain and jieba load on first use.
"""

from __future__ import annotations

from minutes_rag.answer.base import Answerer
from minutes_rag.answer.citations import parse_markers
from minutes_rag.answer.evidence import DEFAULT_THRESHOLD, EvidenceParams, evidence_score
from minutes_rag.answer.extractive import ExtractiveAnswerer, metadata_kind
from minutes_rag.answer.lang import not_found_text
from minutes_rag.answer.llm import FALLBACK_MODE, LLMAnswerer
from minutes_rag.query.followup import Rewrite, is_follow_up, rewrite_question

__all__ = [
    "Answerer",
    "DEFAULT_THRESHOLD",
    "EvidenceParams",
    "ExtractiveAnswerer",
    "FALLBACK_MODE",
    "LLMAnswerer",
    "Rewrite",
    "evidence_score",
    "is_follow_up",
    "metadata_kind",
    "not_found_text",
    "parse_markers",
    "rewrite_question",
]


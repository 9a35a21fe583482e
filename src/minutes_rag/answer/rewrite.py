"""Follow-up rewriting moved to :mod:`minutes_rag.query.followup` (it is part of analysing a
question, before retrieval); these names stay importable from here."""

from minutes_rag.query.followup import Rewrite, heuristic_rewrite, is_follow_up, rewrite_question

__all__ = ["Rewrite", "heuristic_rewrite", "is_follow_up", "rewrite_question"]

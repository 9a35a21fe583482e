"""Evaluation harness: question sets, metrics, a runner, the textbook baseline, reports.

Only ``questions`` and ``metrics`` are imported here; the runner, baseline and report
modules pull in heavier libraries and are imported where they are used.
"""

from minutes_rag.evaluation.questions import Question, QuestionSetError, load_questions

__all__ = ["Question", "QuestionSetError", "load_questions"]

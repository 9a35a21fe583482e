"""Evaluation harness: question sets, metrics, a runner, the textbook baseline, reports.

Only ``questions`` and ``metrics`` are imported here; the runner, baseline and report
modules pull in heavier libraries and are imported where they are used.
"""

from minutes_rag.errors import ConfigError
from minutes_rag.evaluation.questions import Question, QuestionSetError, load_questions

__all__ = ["EVAL_EXTRA_HINT", "Question", "QuestionSetError", "load_questions", "missing_extra"]

EVAL_EXTRA_HINT = "pip install -e '.[eval]'"


def missing_extra(exc: ImportError) -> ConfigError:
    """The error for an evaluation-only package that is not installed."""
    return ConfigError(f"the evaluation needs {exc.name or 'a package'} from the 'eval' extra: {EVAL_EXTRA_HINT}")

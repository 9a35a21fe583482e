"""A synthetic archive of Chinese executive-meeting minutes (常务会议纪要), with questions.

Everything here is invented: bodies, people, plans and decisions. Every minute says so in
its last line, and the archive's ``manifest.json`` says so too. The archive serves as
distractors for the evaluation and as data for the scale benchmarks.

The output is deterministic for a seed: the same ``(minutes, seed)`` gives the same files
byte for byte (docx files are zip archives with fixed timestamps, see ``_write_docx``).

Realism that matters for the pipeline: several bodies and cities; per body, document
numbers (〔2021〕7号, reset each year) and meeting numbers (第15次) that run in order with
dates; chairs; attendance blocks (出席 / 列席 with departments / 记录); agenda items from
many policy areas with decisions and responsible departments; numbering styles 一、/（一）,
一、/1., 1. alone, and news-style readouts without numbering; some files GBK-encoded, some
.docx.

Evidence strings of the questions are copied from the generated text, lie inside one
paragraph, and are unique in the archive by construction (the phrases they rest on
contain plan titles, subjects or meeting numbers that are never reused), except for the
attendance and recorder questions, which are about a body and answered by each of its
attendance blocks.
"""

from minutes_rag.evaluation.synth.generator import SynthMinute, SynthQuestion, generate, unanswerable_questions
from minutes_rag.evaluation.synth.vocab import ABSENT_TOPICS, SYNTHETIC_NOTICE
from minutes_rag.evaluation.synth.writer import SynthReport, write_archive

__all__ = [
    "ABSENT_TOPICS",
    "SYNTHETIC_NOTICE",
    "SynthMinute",
    "SynthQuestion",
    "SynthReport",
    "generate",
    "unanswerable_questions",
    "write_archive",
]

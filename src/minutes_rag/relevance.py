"""What decides whether a passage holds what a question asks: the first pieces of one room
(issue 20). Read by the reranker (``rerank.py``), the evidence gate (``answer/evidence.py``),
both answerers (``answer/extractive.py``, ``answer/grounded.py``) and timelines
(``timeline.py``); it imports only ``text/``, so no arrow runs back up.

- ``sentence_spans``: a section's sentences, split once. Every stage used to split the same
  section again (up to five times a question); the spans of a (text, title) are kept, so a
  hit's sentences are split once per question however many stages read them.
- ``windows``: the one sentence windower (the reranker's best window of keywords and the
  evidence gate's best window of a long section both read it).

Not here yet (issue 20, left for the next step): one keyword matcher and weighting, the rule
for the body a question names, ``TopicMatcher``, and the per-(Query, Hit) ``HitMatch`` record.
"""

from __future__ import annotations

from functools import lru_cache

from minutes_rag.text.sentences import split_spans

# sections whose sentence spans are kept: a question reads at most a few hundred sections (a
# timeline's widened candidates); the cache holds a few questions' worth, not the archive
SPAN_CACHE = 4096


@lru_cache(maxsize=SPAN_CACHE)
def sentence_spans(text: str, title: str = "") -> tuple[tuple[int, int], ...]:
    """``text.sentences.split_spans(text, title)``, computed once per (text, title)."""
    return tuple(split_spans(text, title))


def windows(text: str, title: str, size: int) -> list[str]:
    """The runs of ``size`` consecutive sentences of ``text`` (the whole text when it has no
    more than ``size``): a long section is judged by its best window, not diluted by its length."""
    spans = sentence_spans(text, title)
    if len(spans) <= size:
        return [text]
    return [text[spans[i][0]:spans[i + size - 1][1]] for i in range(len(spans) - size + 1)]

"""Extractive answerer: quotes the sentences of the best hits that answer the question.

Offline and instant. Each sentence it returns is a verbatim span of a section, followed by
its marker [n]; the citation carries the span's offsets in the minute's text. When the
retrieved text does not cover the question (``answer.evidence``, below the threshold) it
gives the not-found answer instead of quoting something loosely related.

Section kinds are weighed in one place, by retrieval (``retrieve.kind_weight``, recorded as
``Hit.weight``): the sentences of a hit are scored by their words, the hit's rank and that
weight; this module does not judge kinds again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from minutes_rag.answer.base import Stopwatch, make_citation
from minutes_rag.answer.citations import similarity
from minutes_rag.answer.evidence import (
    DEFAULT_THRESHOLD,
    EvidenceParams,
    cross_keywords,
    evidence_hits,
    evidence_score,
    hit_lang,
    is_cross_lingual,
    keyword_weights,
)
from minutes_rag.answer.lang import not_found_text, text_matcher
from minutes_rag.answer.support import (
    Candidate,
    quotable,
    records_decision,
    select,
    trim,
)
from minutes_rag.model import Answer, Citation, Hit, Turn
from minutes_rag.notices import CROSS_LINGUAL, Notice
from minutes_rag.query import Query, as_query, find_intents
from minutes_rag.relevance import sentence_spans
from minutes_rag.text.lang import HAN
from minutes_rag.text.patterns import LIST_ITEM, ZH_ENUMERATOR
from minutes_rag.text.sentences import heading_end, heading_only

__all__ = ["CROSS_LINGUAL_WARNING", "DEFAULT_THRESHOLD", "EvidenceParams", "ExtractiveAnswerer", "display_text",
           "evidence_score", "metadata_kind"]

CROSS_LINGUAL_WARNING = Notice(
    CROSS_LINGUAL,
    "the question and the minute are in different languages: quoted the opening of the best-ranked passage",
)

def cross_lingual_notes(q: Query, cited: Sequence[Hit]) -> tuple[str, ...]:
    """"answered from a Chinese minute" when the quotes are in another language than the
    question (so the reader knows why the answer is not in their language)."""
    langs = {hit_lang(h) for h in cited} - {q.lang}
    names = {"zh": "a Chinese minute", "en": "an English minute"}
    return tuple(Notice(CROSS_LINGUAL, f"answered from {names.get(lg, lg)}: the quotes are in its language")
                 for lg in sorted(langs))


_ENUM = re.compile(rf"^{ZH_ENUMERATOR}\s*")
# the parts of a minute around the agenda, where who/when answers are written
_META_SECTION_KINDS = ("preamble", "attendance", "tail", "closing")


def metadata_kind(question: str) -> str:
    """The main intent of ``question`` ("chair", "attendees", "issue_date", "date", ...) or ""
    for a question about content rather than the meeting itself (see query.intents)."""
    intents = find_intents(question)
    return intents[0] if intents else ""


# ---------------------------------------------------------------- the answerer

# A heading-only item ("四、审议《…》") may be quoted, at this weight against real sentences.
HEADING_ONLY_FACTOR = 0.4


_Cand = Candidate

# a sentence holding what the question asks for (a number for "多少", an office for "哪个部门")
TYPE_BONUS = 1.5
# a passage from a minute of another body than the one the question names
OTHER_BODY_FACTOR = 0.5
# a sentence whose words are mostly its item's title (share of its character bigrams / stems)
TITLE_ECHO = 0.6


class ExtractiveAnswerer:
    mode = "extractive"

    def __init__(
        self,
        threshold: float | None = None,
        *,
        max_sentences: int = 3,
        max_sections: int = 3,
        max_hits: int = 5,
        params: EvidenceParams = EvidenceParams(),
    ) -> None:
        self.threshold = DEFAULT_THRESHOLD if threshold is None or threshold < 0 else threshold
        self.max_sentences = max_sentences
        self.max_sections = max_sections
        self.max_hits = max_hits
        self.params = params

    # public API ------------------------------------------------------------
    def answer(self, query: Query | str, hits: Sequence[Hit], history: Sequence[Turn] = ()) -> Answer:
        clock = Stopwatch()
        q = as_query(query)
        lang = q.lang
        hits = tuple(hits)
        score = evidence_score(q, hits, self.params)
        if not hits or score < self.threshold:
            return self.not_found(q, hits, lang, clock.ms())
        quoted = evidence_hits(q, hits, self.params)
        picked, warnings = self._pick(q, quoted)
        if not picked:
            return self.not_found(q, hits, lang, clock.ms())
        items = list_items(quoted, picked) if q.is_list else []
        # the items of a list are cited one by one, not run together into one quote
        text, citations = self._compose(picked + items, quoted, lang, merge=not items)
        warnings = (*warnings, *cross_lingual_notes(q, [quoted[c.hit_index] for c in picked]))
        return Answer(
            question=q.text,
            text=text,
            citations=tuple(citations),
            mode=self.mode,
            hits=hits,
            timings_ms={"answer": clock.ms()},
            found=True,
            warnings=warnings,
            rewrite=q.rewrite,
        )

    def stream(self, query: Query | str, hits: Sequence[Hit], history: Sequence[Turn] = ()) -> Iterator[str | Answer]:
        ans = self.answer(query, hits, history)
        yield ans.text
        yield ans

    def not_found(self, query: Query | str, hits: Sequence[Hit], lang: str, ms: float = 0.0, mode: str | None = None,
                  warnings: tuple[str, ...] = ()) -> Answer:
        q = query if isinstance(query, Query) else None
        return Answer(
            question=q.text if q is not None else str(query),
            text=not_found_text(lang),
            citations=(),
            mode=mode or self.mode,
            hits=tuple(hits),
            timings_ms={"answer": ms},
            found=False,
            warnings=warnings,
            rewrite=q.rewrite if q is not None else "none",
        )

    # picking sentences -------------------------------------------------------
    def _pick(self, q: Query, hits: Sequence[Hit]) -> tuple[list[_Cand], tuple[str, ...]]:
        kws = list(q.keywords)
        cue = q.cue
        pool = list(enumerate(hits[: self.max_hits]))
        if cue is not None:
            # who/when questions are answered from the attendance/preamble/tail parts when
            # retrieval put one of them on top (the lead's retrieval routes them there)
            meta_pool = [(i, h) for i, h in pool[:3] if h.section.kind in _META_SECTION_KINDS and cue.search(h.section.text)]
            if meta_pool and (hits[0].section.kind in _META_SECTION_KINDS or meta_pool[0][0] == 0):
                pool = meta_pool
        cands: list[_Cand] = []
        for rank, hit in pool:
            # a passage in the other language is matched through the glossary's terms
            hit_kws = kws + [t for t in cross_keywords(q, hit) if t not in kws]
            cands.extend(self._score_section(rank, hit, hit_kws, q, cue))
        cands = [c for c in cands if c.score > 0]
        # the body a question names (苏州市, Portland) tells minutes apart: a passage from a
        # minute of another body weighs half (sentence scores discount body words, since
        # within one minute they tell nothing)
        named = {kw.lower() for kw in kws if any(kw.lower() in (h.meta.body + h.meta.title).lower() for _, h in pool)}
        if named:
            for c in cands:
                m = hits[c.hit_index].meta
                if not all(kw in (m.body + m.title).lower() for kw in named):
                    c.score *= OTHER_BODY_FACTOR
        strict = q.strict_cues
        if strict:
            # "多少" / "how many" is answered by a sentence with a number, or not at all
            for want in strict:
                kept = [c for c in cands if want.search(hits[c.hit_index].section.text[c.a : c.b])]
                if kept:
                    break
            cands = kept
        if not cands:
            if is_cross_lingual(q, hits[0]):
                return self._lead_sentences(hits[0]), (CROSS_LINGUAL_WARNING,)
            return [], ()
        chosen = select(q, hits, cands, text_matcher, max_quotes=self.max_sentences, max_sections=self.max_sections)
        return chosen, ()

    def _lead_sentences(self, hit: Hit, n: int = 2) -> list[_Cand]:
        """The first sentences of a section after its heading: where minutes put the
        decision ("原则同意…", "由…负责"). Used when no keyword can match."""
        sec = hit.section
        head = heading_end(sec.text, sec.title)
        spans = [trim(sec.text, a, b) for a, b in sentence_spans(sec.text, sec.title) if not (head and b <= head) and b - a >= 6]
        return [_Cand(0, a, b, 1.0) for a, b in spans if quotable(sec.text[a:b])][:n]

    def _score_section(self, rank: int, hit: Hit, kws: Sequence[str], q: Query,
                       cue: re.Pattern[str] | None) -> list[_Cand]:
        sec = hit.section
        weights = keyword_weights(q, kws, hit, for_sentences=True)
        # a title holding what the question asks for is that field or fact, not a heading that
        # says what follows: a tail is titled by its first line ("XX办公室整理" answers "who
        # compiled it?"), a closing by its first sentence ("At 10:31 a.m. Council adjourned."
        # answers "at what time?": a number, year or time the question wants)
        wanted = q.type_cue
        strict = wanted is not None and q.strict
        asked = (cue is not None and cue.search(sec.title)) or (strict and wanted is not None and wanted.search(sec.title))
        title = "" if asked else sec.title
        title_has = text_matcher(title)
        in_title = {kw for kw in weights if title and title_has(kw)}
        # keywords of the item's title say the section is on topic (a bonus for all its
        # sentences); the sentence that answers is the one holding the *other* keywords
        title_bonus = 0.3 * sum(weights[kw] for kw in in_title)
        # the hit's rank, and the section-kind weight retrieval gave it (a preamble lists every
        # topic, items hold what was decided; a transcript says what was said before that)
        factor = hit.weight / (1.0 + 0.25 * rank)
        head = heading_end(sec.text, title)
        spans = [trim(sec.text, a, b) for a, b in sentence_spans(sec.text, sec.title)]
        only_heading = bool(title) and heading_only(sec.text, title)
        if only_heading:
            # a heading-only item ("四、审议《…方案》" with its substance in sub-items): the
            # heading is all it says, and it does answer "which plan was reviewed?"
            # heard at half weight: a sentence that says what was decided wins when there is one
            head = 0
            in_title = set()
            title_bonus = 0.0
            factor *= HEADING_ONLY_FACTOR
        out = []
        for pos, (a, b) in enumerate(spans):
            if head and b <= head:
                continue  # the heading says what was discussed, not what was decided
            span = sec.text[a:b]
            if not quotable(span):
                continue  # punctuation only, or text addressed to an assistant
            has = text_matcher(span)
            s = sum(w * (0.2 if kw in in_title else 1.0) for kw, w in weights.items() if has(kw))
            if cue is not None and cue.search(span):
                s += 4.0
            if s == 0 and title_bonus == 0:
                continue
            has_wanted = wanted is not None and bool(wanted.search(span))
            # "会议听取了…的汇报" only restates the item's title: a heading in all but form
            # (unless it holds what the question asks for and the title does not: "会议听取了
            # 市应急局关于…的汇报" answers "which department reported?")
            echo = only_heading or (bool(title) and similarity(span, title) >= TITLE_ECHO
                                    and not records_decision(span)
                                    and not (has_wanted and wanted is not None and not wanted.search(title)))
            # what the question asks for earns the bonus where the sentence says it; a restated
            # title (another item's "听取《…方案》的汇报") only echoes its heading's 《》
            if has_wanted and (only_heading or not echo):
                s += TYPE_BONUS
            s += title_bonus + (0.1 if pos <= 1 else 0.0)
            out.append(_Cand(rank, a, b, s * factor, heading=echo))
        return out

    # composing the answer ------------------------------------------------------
    def _compose(self, picked: list[_Cand], hits: Sequence[Hit], lang: str, *,
                 merge: bool = True) -> tuple[str, list[Citation]]:
        # sections in order of their best sentence; sentences in text order inside each;
        # neighbouring sentences of one section become one quote
        order: list[int] = []
        for c in picked:
            if c.hit_index not in order:
                order.append(c.hit_index)
        units: list[tuple[int, int, int]] = []  # (hit_index, a, b)
        for hi in order:
            spans = sorted((c.a, c.b) for c in picked if c.hit_index == hi)
            text = hits[hi].section.text
            all_spans = [trim(text, a, b) for a, b in sentence_spans(text, hits[hi].section.title)]
            idx = {s: i for i, s in enumerate(all_spans)}
            run: list[tuple[int, int]] = []
            for sp in spans:
                if merge and run and idx.get(sp, -9) == idx.get(run[-1], -99) + 1:
                    run.append(sp)
                else:
                    if run:
                        units.append((hi, run[0][0], run[-1][1]))
                    run = [sp]
            if run:
                units.append((hi, run[0][0], run[-1][1]))
        citations: list[Citation] = []
        parts: list[str] = []
        prev_hit = None
        for n, (hi, a, b) in enumerate(units, 1):
            hit = hits[hi]
            citations.append(make_citation(n, hit, a, b))
            shown = display_text(hit.section.text[a:b], lang)
            sep = "" if prev_hit is None else ("\n" if prev_hit != hi else ("" if lang == "zh" else " "))
            parts.append(f"{sep}{shown}[{n}]" if lang == "zh" else f"{sep}{shown} [{n}]")
            prev_hit = hi
        return "".join(parts), citations


# a sentence that opens a list: it ends with a colon, or its colon is followed by the first item
# ("采取以下措施：一是加强组织领导。二是…")
_INTRODUCES = re.compile(r"[:：]\s*$|[:：]\s*(?=" + LIST_ITEM.pattern.removeprefix("^") + ")", re.I)
# a list question is answered with every item of the list its best sentence belongs to (or
# opens with a colon), up to this many; more is a passage, not an answer
MAX_LIST_ITEMS = 8


def list_items(hits: Sequence[Hit], picked: Sequence[Candidate]) -> list[Candidate]:
    """The other items of the list written as sentences ("一是…。二是…。", "（一）…") that the best
    picked sentence is an item of, or introduces ("采取以下措施：" followed by items): a list
    question wants them all, each quoted. [] when the best sentence is in no such list."""
    best = picked[0]
    sec = hits[best.hit_index].section
    spans = [trim(sec.text, a, b) for a, b in sentence_spans(sec.text, sec.title)]
    if (best.a, best.b) not in spans:
        return []
    i = spans.index((best.a, best.b))
    item = [bool(LIST_ITEM.match(sec.text[a:b])) and quotable(sec.text[a:b]) for a, b in spans]
    if item[i]:
        start = i
        while start > 0 and item[start - 1]:
            start -= 1
    elif i + 1 < len(spans) and item[i + 1] and _INTRODUCES.search(sec.text[best.a:best.b]):
        start = i + 1
    else:
        return []
    end = start
    while end + 1 < len(spans) and item[end + 1]:
        end += 1
    if end == start:
        return []  # one enumerated sentence is not a list
    have = {(c.hit_index, c.a, c.b) for c in picked}
    return [Candidate(best.hit_index, a, b, best.score) for a, b in spans[start:end + 1][:MAX_LIST_ITEMS]
            if (best.hit_index, a, b) not in have]


def display_text(quote: str, lang: str) -> str:
    """The quote as shown in the answer: enumerator dropped, page-break line breaks joined."""
    t = _ENUM.sub("", quote.strip())
    t = re.sub(r"\n[ \t\u3000]*(?:[（(][一二三四五六七八九十\d]+[）)])", "\n", t)
    if lang == "zh":
        # a line break inside Chinese prose is a layout artefact; in a space-separated list
        # of names (出席：李亚平 王翔 ...) it separates two entries
        if not re.search(f"[{HAN}] +[{HAN}]", t):
            t = re.sub(rf"(?<=[{HAN}，、。；：])\s*\n\s*(?=[{HAN}])", "", t)
        t = re.sub(r"\s*\n\s*", " ", t)
    else:
        t = re.sub(r"\s+", " ", t)
    return t.strip()

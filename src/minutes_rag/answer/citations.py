"""Checking a model's reply: citation markers -> Citations with verbatim quotes.

A model cites sources as [1], [1][3], [1, 2], 【1】, ［1］ ... Markers that point at no
source are removed; the cited sources become Citations whose quote is the sentence(s)
of that source closest to the reply sentence that cites it; markers are renumbered
1..N in order of first use. A reply that answers without any valid citation is kept but
flagged (warning "no valid citation").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from minutes_rag.answer.base import make_citation
from minutes_rag.answer.lang import is_not_found_reply, not_found_text, stem
from minutes_rag.model import Citation, Hit
from minutes_rag.text.lang import HAN
from minutes_rag.text.sentences import REPLY_SENTENCE_BREAK, heading_end, split_spans

NO_VALID_CITATION = "no valid citation"

# [1] [1][3] [1, 2] [1,2] [1-3] 【1】 ［1］ [1、2]; numbers of 3+ digits ([2020]) are not markers
_MARKER = re.compile(
    r"[\[【［]\s*(\d{1,2}(?:\s*(?:[,，、;；]|[-–~～])\s*\d{1,2})*)\s*[\]】］]"
)
# markers written as "[来源1]" / "[source 1]" / "[Source: 1]"
_MARKER_WORDY = re.compile(r"[\[【［]\s*(?:来源|资料|source|src)\s*[:：]?\s*(\d{1,2})\s*[\]】］]", re.I)


@dataclass(frozen=True)
class Marker:
    start: int
    end: int
    numbers: tuple[int, ...]  # in the order written, without duplicates


@dataclass(frozen=True)
class CheckedReply:
    text: str  # the reply with markers checked and renumbered
    citations: tuple[Citation, ...]
    found: bool
    warnings: tuple[str, ...] = ()
    invalid: tuple[int, ...] = ()  # marker numbers that pointed at no source
    mapping: dict[int, int] | None = None  # source number -> citation number


def _numbers(body: str) -> tuple[int, ...]:
    out: list[int] = []
    for part in re.split(r"\s*[,，、;；]\s*", body):
        rng = re.split(r"\s*[-–~～]\s*", part)
        if len(rng) == 2 and rng[0].isdigit() and rng[1].isdigit() and 0 <= int(rng[1]) - int(rng[0]) <= 20:
            out.extend(range(int(rng[0]), int(rng[1]) + 1))
        elif part.isdigit():
            out.append(int(part))
    return tuple(dict.fromkeys(out))


def parse_markers(text: str) -> list[Marker]:
    """Citation markers in ``text``, in order. Adjacent markers ([1][3]) stay separate."""
    found = [Marker(m.start(), m.end(), _numbers(m.group(1))) for m in _MARKER.finditer(text)]
    found += [Marker(m.start(), m.end(), (int(m.group(1)),)) for m in _MARKER_WORDY.finditer(text)]
    return sorted(found, key=lambda m: m.start)


def strip_markers(text: str) -> str:
    """Text without citation markers (for showing an old answer to a model again)."""
    return _MARKER_WORDY.sub("", _MARKER.sub("", text))


# ------------------------------------------------------------------ similarity

def _units(text: str) -> set[str]:
    """Character bigrams of the Chinese parts plus stemmed English words."""
    out: set[str] = set()
    for run in re.findall(f"[{HAN}]+", text):
        out.update(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    out.update(stem(w) for w in re.findall(r"[A-Za-z]{3,}|\d+", text))
    return out


def similarity(claim: str, source_sentence: str) -> float:
    """Share of the claim's units found in the source sentence (recall of the claim)."""
    a = _units(claim)
    if not a:
        return 0.0
    return len(a & _units(source_sentence)) / len(a)


def _claim_before(clean: str, pos: int) -> str:
    """The reply sentence a marker at ``pos`` (in marker-free text) belongs to."""
    prefix = clean[:pos].rstrip().rstrip("。！？!?；;，,.:： ")
    parts = REPLY_SENTENCE_BREAK.split(prefix)
    claim = parts[-1].strip() if parts else ""
    if claim:
        return claim
    rest = REPLY_SENTENCE_BREAK.split(clean[pos:].lstrip(), maxsplit=1)
    return rest[0].strip() if rest else ""


def best_quote(hit: Hit, claims: Sequence[str]) -> tuple[int, int]:
    """Offsets (in the section text) of the sentence(s) of ``hit`` that best support the
    claims. Neighbouring best sentences are joined into one quote."""
    sec = hit.section
    spans = split_spans(sec.text, sec.title)
    head = heading_end(sec.text, sec.title)
    body = [s for s in spans if not (head and s[1] <= head)] or spans
    if not body:
        return (0, len(sec.text))
    picks: list[tuple[float, int]] = []
    for claim in claims:
        scored = [(similarity(claim, sec.text[a:b]), i) for i, (a, b) in enumerate(body)]
        score, idx = max(scored, key=lambda t: (t[0], -t[1]))
        if score > 0:
            picks.append((score, idx))
    if not picks:
        return body[0]
    idxs = sorted({i for _, i in picks})
    if idxs[-1] - idxs[0] <= 2:
        return (body[idxs[0]][0], body[idxs[-1]][1])
    best = max(picks)[1]
    return body[best]


# ------------------------------------------------------------------ checking

def check_reply(reply: str, sources: Sequence[Hit], lang: str) -> CheckedReply:
    """Check and renumber the markers of ``reply`` against ``sources`` (numbered 1..k)."""
    markers = parse_markers(reply)
    k = len(sources)
    # the reply without markers, and each marker's position in it
    clean_parts: list[str] = []
    positions: list[int] = []
    last = 0
    length = 0
    for m in markers:
        piece = reply[last : m.start]
        clean_parts.append(piece)
        length += len(piece)
        positions.append(length)
        last = m.end
    clean_parts.append(reply[last:])
    clean = "".join(clean_parts)

    mapping: dict[int, int] = {}
    claims: dict[int, list[str]] = {}
    invalid: list[int] = []
    for m, pos in zip(markers, positions):
        claim = _claim_before(clean, pos)
        for n in m.numbers:
            if 1 <= n <= k:
                if n not in mapping:
                    mapping[n] = len(mapping) + 1
                claims.setdefault(n, []).append(claim)
            elif n not in invalid:
                invalid.append(n)

    # rebuild the text with renumbered markers; a marker left with no valid number goes
    out: list[str] = []
    last = 0
    for m in markers:
        piece = reply[last : m.start]
        valid = [mapping[n] for n in m.numbers if n in mapping]
        if not valid:
            piece = piece.rstrip(" ") if not reply[m.end : m.end + 1].isalnum() else piece
        out.append(piece)
        out.append("".join(f"[{v}]" for v in valid))
        last = m.end
    out.append(reply[last:])
    text = "".join(out).strip()

    warnings: list[str] = []
    if invalid:
        warnings.append("removed citation markers pointing at no source: " + ", ".join(f"[{n}]" for n in invalid))
    citations = tuple(
        make_citation(new, sources[old - 1], *best_quote(sources[old - 1], claims[old]))
        for old, new in sorted(mapping.items(), key=lambda t: t[1])
    )
    if not citations and (not text or is_not_found_reply(text)):
        # the model said it found nothing (or said nothing): the not-found answer
        if not text:
            warnings.append("empty reply")
        return CheckedReply(not_found_text(lang), (), False, tuple(warnings), tuple(invalid), mapping)
    if not citations:
        warnings.append(NO_VALID_CITATION)
    return CheckedReply(text, citations, True, tuple(warnings), tuple(invalid), mapping)

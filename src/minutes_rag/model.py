"""The data that flows through the pipeline: frozen dataclasses, no behaviour beyond views.

parse -> Minute (text + MinuteMeta) -> split -> [Section] -> store -> retrieve -> [Hit]
-> answer -> Answer([Citation]).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Observer:
    """One 列席 entry: the department (may be empty) and the person's name."""

    org: str
    name: str


@dataclass(frozen=True)
class MinuteMeta:
    """Metadata read from the text of a minute. A field the text does not give stays empty."""

    lang: str = "zh"  # "zh" or "en": the minute's main language
    body: str = ""  # issuing body: 苏州市人民政府 / City of Portland
    title: str = ""  # 苏州市人民政府常务会议纪要 / Official Minutes ...
    doc_number: str = ""  # normalised to 〔2020〕21号 form
    meeting_number: int | None = None  # 第102次 -> 102
    date: str = ""  # meeting date, YYYY-MM-DD
    chair: str = ""  # 主持 / presiding officer
    attendees: tuple[str, ...] = ()  # 出席 / members present
    observers: tuple[Observer, ...] = ()  # 列席 (department + name)
    recorder: str = ""  # 记录
    issue_date: str = ""  # 印发 date, YYYY-MM-DD
    item_numbers: tuple[str, ...] = ()  # council item numbers found ("38", "39", ...)

    @property
    def date_int(self) -> int | None:
        """20200630 for Chroma range filters (Chroma compares numbers only)."""
        return int(self.date.replace("-", "")) if self.date else None

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["attendees"] = list(self.attendees)
        d["observers"] = [{"org": o.org, "name": o.name} for o in self.observers]
        d["item_numbers"] = list(self.item_numbers)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> MinuteMeta:
        d = dict(d)
        d["attendees"] = tuple(d.get("attendees") or ())
        d["observers"] = tuple(Observer(**o) for o in d.get("observers") or ())
        d["item_numbers"] = tuple(d.get("item_numbers") or ())
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})


@dataclass(frozen=True)
class PageSpan:
    """One physical page of a paged document (PDF, scan, DOCX with page breaks): ``page`` is
    1-based, ``start`` the offset in ``Minute.text`` where its text begins (it runs to the
    next page's start); ``printed`` the page number printed on it ("3", from "- 3 -" or
    第3页), empty when the page shows none."""

    page: int
    start: int
    printed: str = ""


@dataclass(frozen=True)
class ParsedDocument:
    """What a format parser returns: plain text, before normalisation and repair."""

    path: str
    text: str
    encoding: str = ""  # for text formats: the detected encoding
    # keys a format carries beside the text (Markdown front matter): metadata, never text
    properties: dict[str, str] = field(default_factory=dict)
    # a paged document: the text of each physical page (``text`` is then their join);
    # empty for formats without pages
    pages: tuple[str, ...] = ()
    # what the reader noticed but read anyway (a page OCR read with low confidence)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Minute:
    """One minute: its normalised, repaired text (offsets point into it) and metadata."""

    minute_id: str
    source: str  # resolved path of the file it came from
    content_hash: str  # sha256 of the file's bytes
    text: str
    meta: MinuteMeta
    pages: tuple[PageSpan, ...] = ()  # the page map of a paged document, in page order
    warnings: tuple[str, ...] = ()  # the reader's (``ParsedDocument.warnings``); not stored


# Section kinds. "item" is an agenda item or sub-item; the others are the parts of a
# minute around the agenda.
SECTION_KINDS = ("preamble", "item", "closing", "attendance", "tail", "paragraph", "transcript")


@dataclass(frozen=True)
class Section:
    """A citable piece of a minute: an agenda item / sub-item, or a preamble, closing,
    attendance block, ... ``start``/``end`` are character offsets into ``Minute.text``
    so that ``minute.text[start:end]`` is this part's text."""

    section_id: str
    minute_id: str
    label_path: tuple[str, ...]  # ("四", "（一）"); for non-items e.g. ("导语",)
    kind: str
    title: str  # the item's heading: 审议《苏州市政策性租赁住房试点工作方案》
    text: str
    start: int
    end: int
    part: int = 0  # a long item is cut into parts 0, 1, ... that share label and title
    parts: int = 1

    @property
    def label(self) -> str:
        """The label as people write it: 四（一）, 47, 导语."""
        if not self.label_path:
            return ""
        if all(p.isascii() for p in self.label_path):
            return ".".join(self.label_path)
        return "".join(self.label_path)

    @property
    def text_hash(self) -> str:
        from minutes_rag.ids import text_hash

        return text_hash(self.text)


@dataclass(frozen=True)
class Hit:
    """A retrieved section with its score and where it came from (dense, lexical, fused)."""

    section: Section
    score: float  # the fused (or reranked) score: higher is better, comparable within one query
    meta: MinuteMeta
    sources: dict[str, int] = field(default_factory=dict)  # {"dense": rank, "lexical": rank}, 1-based
    dense: float | None = None  # cosine similarity of query and section, when dense search found it
    lexical: float | None = None  # BM25 score, when lexical search found it
    # the section-kind weight retrieval applied to ``score`` (retrieve.KIND_WEIGHT: < 1 for the
    # parts around the agenda unless the question is about the meeting itself); the answerer
    # weighs the hit's sentences by it instead of judging kinds again
    weight: float = 1.0


@dataclass(frozen=True)
class Citation:
    n: int
    minute_id: str
    doc_number: str
    meeting_number: int | None
    date: str
    label: str
    title: str
    quote: str
    start: int  # offsets of the quote in the minute's text
    end: int
    section_id: str = ""
    page: int | None = None  # the physical page (1-based) the quote starts on; None: no pages
    printed_page: str = ""  # the page number printed there, when it differs from ``page``

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "minute_id": self.minute_id,
            "doc_number": self.doc_number,
            "meeting_number": self.meeting_number,
            "date": self.date,
            "label": self.label,
            "title": self.title,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "page": self.page,
            "printed_page": self.printed_page or None,
        }


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    citations: tuple[Citation, ...]
    mode: str  # "extractive", "llm", "llm-fallback-extractive", ...
    hits: tuple[Hit, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
    found: bool = True  # False for the not-found answer
    warnings: tuple[str, ...] = ()
    # how the question was made standalone before retrieval: "none" (asked as is),
    # "heuristic" (the previous turn's minute/topic carried over) or "llm" (the model's rewrite)
    rewrite: str = "none"


@dataclass
class IngestReport:
    """Counts for the ``ingest --json`` contract."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: int = 0
    sections_added: int = 0
    sections_removed: int = 0
    embedded: int = 0  # texts that went through the model (cache misses)
    errors: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)  # repairs made on the way (self-check)
    # how each minute (re)read in this run was read (reading.MinuteRead.to_json()), and the
    # warnings as data ({"code", "path", "minute_id", "message"}; each also in ``warnings``)
    minutes_read: list[dict[str, Any]] = field(default_factory=list)
    warning_details: list[dict[str, str]] = field(default_factory=list)
    resplit: int = 0  # minutes re-split from their stored text (a new splitter version)

    def to_json(self) -> dict[str, Any]:
        return {
            "minutes": {
                "added": self.added,
                "updated": self.updated,
                "unchanged": self.unchanged,
                "removed": self.removed,
                "failed": self.failed,
            },
            "sections": {"added": self.sections_added, "removed": self.sections_removed},
            "errors": list(self.errors),
            "seconds": round(self.seconds, 3),
            "warnings": list(self.warnings),
            "warning_details": list(self.warning_details),
            "minutes_read": list(self.minutes_read),
            "resplit": self.resplit,
        }


@dataclass(frozen=True)
class Filters:
    """Retrieval filters; names follow the ``ask`` flags. Empty means no filter."""

    date_from: str = ""  # YYYY-MM-DD, inclusive
    date_to: str = ""  # YYYY-MM-DD, inclusive
    year: int | None = None
    meeting_number: int | None = None
    doc_number: str = ""
    minute_id: str = ""

    def is_empty(self) -> bool:
        return self == Filters()

    def conditions(self) -> list[tuple[str, str, str | int]]:
        """The filters as ``(field, op, value)`` conditions over a minute's stored fields, for
        a store to turn into its own query (SQL, a Chroma ``where``). Fields: ``date``
        (YYYYMMDD as an int, the way Chroma compares numbers), ``meeting_number``,
        ``doc_number``, ``minute_id``; ops: ``>=``, ``<=``, ``=``. A year is a date range."""
        out: list[tuple[str, str, str | int]] = []
        if self.date_from:
            out.append(("date", ">=", int(self.date_from.replace("-", ""))))
        if self.date_to:
            out.append(("date", "<=", int(self.date_to.replace("-", ""))))
        if self.year is not None:
            out += [("date", ">=", self.year * 10000), ("date", "<=", self.year * 10000 + 9999)]
        if self.meeting_number is not None:
            out.append(("meeting_number", "=", self.meeting_number))
        if self.doc_number:
            out.append(("doc_number", "=", self.doc_number))
        if self.minute_id:
            out.append(("minute_id", "=", self.minute_id))
        return out

    def minute_as_doc_number(self) -> Filters | None:
        """These filters with the minute flag read as a document number (``--minute 〔2020〕21号``
        names a minute by its number), or None when the flag is not one."""
        from minutes_rag.text.patterns import find_doc_numbers

        docs = find_doc_numbers(self.minute_id) if self.minute_id else []
        return replace(self, minute_id="", doc_number=docs[0]) if docs else None


# The ask flags (``ask --from/--to/--minute``, a question set's "filters", the UI's fields)
# and the Filters field each one sets: the one translation, used by the CLI, the UI and the
# evaluation alike (filters_from_flags).
FILTER_FLAGS: dict[str, str] = {
    "from": "date_from",
    "date_from": "date_from",
    "to": "date_to",
    "date_to": "date_to",
    "year": "year",
    "meeting": "meeting_number",
    "meeting_number": "meeting_number",
    "doc": "doc_number",
    "doc_number": "doc_number",
    "minute": "minute_id",
    "minute_id": "minute_id",
}


def filters_from_flags(flags: Mapping[str, Any]) -> Filters:
    """Filters from ask flags (names as in FILTER_FLAGS). An empty value (None, "") sets no
    filter; text is stripped; a document number is written 〔YYYY〕N号 whatever the brackets.
    Raises KeyError for an unknown flag (callers validate their input first)."""
    values: dict[str, Any] = {}
    for flag, value in flags.items():
        target = FILTER_FLAGS[flag]
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, str):
            value = value.strip()
        if target == "doc_number":
            from minutes_rag.text.patterns import find_doc_numbers

            value = (find_doc_numbers(value) or [value])[0]
        values[target] = value
    return Filters(**values)


@dataclass(frozen=True)
class Turn:
    """One exchange of a conversation, used to rewrite follow-up questions."""

    question: str
    answer: Answer

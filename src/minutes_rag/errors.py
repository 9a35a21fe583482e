"""Domain errors. The library raises these; the CLI and UI turn them into messages."""

from __future__ import annotations


class MinutesRagError(Exception):
    """Base class for every error the library raises on purpose."""


class ParseError(MinutesRagError):
    """A file could not be read as a minute. The message names the file and the problem."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class UnsupportedFormat(ParseError):
    pass


class NotMinutes(ParseError):
    """The file is readable but is not a minute (an image in the archive folder with no or
    almost no text: a logo, a photo). Ingest reports it as skipped (warning ``not_minutes``),
    not as a failure."""


class EmbedderError(MinutesRagError):
    """The embedding model is missing, cannot load, or failed."""


class StoreError(MinutesRagError):
    """The index (Chroma or the lexical/state database) cannot be opened or written."""


class NotFound(MinutesRagError):
    """A minute, section or other object asked for by id is not in the index."""


class ConfigError(MinutesRagError):
    """A setting has a value that cannot work."""


class AnswerError(MinutesRagError):
    """The answerer (e.g. an LLM server) failed."""


class IndexBusy(StoreError):
    """Another process holds the data directory's writer lock (an ingest is running)."""


class DenseUnavailable(StoreError):
    """The dense index (Chroma) cannot answer just now; the lexical index still can."""


class InvalidRequest(MinutesRagError):
    """A question or its options cannot be answered as given (a bad date, k out of range, a
    reversed range, a question too long). ``field`` names what is wrong."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field
        self.problem = problem

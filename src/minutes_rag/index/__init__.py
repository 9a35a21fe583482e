"""The state database (``state.sqlite`` in the data directory): files, minutes, sections, the
lexical index (FTS5, BM25), the jieba user dictionary, the embedding cache, a journal, and
the ledger (decisions, assignments, reports extracted from the sections; ``ledger/``).

SQLite is the source of truth for what is ingested. A minute's rows, its lexical-index rows
and its file record change in one transaction, which is the commit point of an ingest; Chroma
is brought in line around it (see ``ingestion.py``), and a minute whose Chroma write was
interrupted is listed in ``journal`` so the next open repairs it. The ledger rows of a minute
are written and deleted in the same transaction as its sections, so they are never out of
step; ``ledger_state`` records which extractor version produced them (a new version
re-extracts from the stored sections, see ``ingestion.refresh_ledger``).

The package, by what each part owns: ``schema`` (the tables, ``SCHEMA_VERSION``, migrations,
the tokenizer check), ``connection`` (the writer's and the readers' connections, transactions,
the generation counter), ``minutes`` (files, minutes, sections), ``lexical_query`` (FTS5 and
BM25), ``ledger`` (the ledger tables), ``embeddings`` (the embedding cache, the journal, what
Chroma should hold), and ``state`` (``StateIndex``, composed of them).
"""

from __future__ import annotations

import sys
import types

from minutes_rag.index import connection, lexical_query, schema, state
from minutes_rag.index.connection import _open_readonly as _open_readonly
from minutes_rag.index.connection import _writable as _writable
from minutes_rag.index.connection import check_data_dir
from minutes_rag.index.lexical_query import _PLAIN_TERM as _PLAIN_TERM
from minutes_rag.index.lexical_query import MAX_QUERY_TERMS, POSTING_BUDGET, SCOPED_BM25_LIMIT
from minutes_rag.index.lexical_query import _fts_term as _fts_term
from minutes_rag.index.lexical_query import _varints as _varints
from minutes_rag.index.schema import _MIGRATIONS as _MIGRATIONS
from minutes_rag.index.schema import _SCHEMA as _SCHEMA
from minutes_rag.index.schema import SCHEMA_VERSION
from minutes_rag.index.state import StateIndex

__all__ = ["MAX_QUERY_TERMS", "POSTING_BUDGET", "SCHEMA_VERSION", "SCOPED_BM25_LIMIT", "StateIndex", "check_data_dir"]

# The tunables and hooks that tests and benchmarks set on ``minutes_rag.index`` (as when it was
# one module), and the module that reads each: setting one here sets it there as well.
_HOMES: dict[str, types.ModuleType] = {
    "SCHEMA_VERSION": schema,
    "_MIGRATIONS": schema,
    "MAX_QUERY_TERMS": lexical_query,
    "POSTING_BUDGET": lexical_query,
    "SCOPED_BM25_LIMIT": lexical_query,
    "_writable": state,
    "_open_readonly": connection,
}


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: object) -> None:
        home = _HOMES.get(name)
        if home is not None:
            setattr(home, name, value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

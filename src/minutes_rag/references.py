"""Moved to :mod:`minutes_rag.query.references` (part of analysing a question); these
names stay importable from here."""

from minutes_rag.query.references import References, find_references

__all__ = ["References", "find_references"]

"""A real embedder wrapped to count the texts it is asked to embed (to prove caches work).
Not collected by pytest (no test_ prefix)."""

from __future__ import annotations


class CountingEmbedder:
    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.calls = 0

    def embed_documents(self, texts):
        self.calls += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)

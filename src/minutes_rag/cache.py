"""Thread-safe caches: an LRU map, the answers a server keeps (``AnswerCache``) and the query
vectors."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

import numpy as np

V = TypeVar("V")

# query vectors kept (1.5 kB each at 384 dimensions): a question asked again, by another user
# or by the same one with other filters, is not embedded again (~15 ms of CPU with e5)
QUERY_VECTOR_CACHE = 1024


class LRU(Generic[V]):
    """At most ``size`` entries, the least recently used one dropped first; ``size`` 0: off."""

    def __init__(self, size: int) -> None:
        self.size = max(0, int(size))
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: Hashable, value: V) -> None:
        if not self.size:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


class AnswerCache(Generic[V]):
    """Answers to questions asked again (a shared server's popular questions), keyed by what
    an answer depends on: the question (its spacing aside), the filters, k, the mode and the
    index's generation (any ingest, by any process, moves it). A follow-up is never kept (its
    answer depends on the conversation before it); the owner empties it when the index changes."""

    def __init__(self, size: int) -> None:
        self._kept: LRU[V] = LRU(size)

    def key(self, question: str, filters: Hashable, k: int | None, mode: str, history: object,
            generation: Callable[[], int]) -> tuple | None:
        """None when nothing is kept for this question (a follow-up, or the cache is off)."""
        if history or not self._kept.size:
            return None
        return (" ".join(question.split()), filters, k, mode, generation())

    def get(self, key: tuple | None) -> V | None:
        return self._kept.get(key) if key is not None else None

    def put(self, key: tuple | None, value: V) -> None:
        if key is not None:
            self._kept.put(key, value)

    def clear(self) -> None:
        self._kept.clear()


class QueryVectors:
    """Query vectors by question text: the last ``size`` kept (a pure function of the text
    for one model), and a question being embedded in another thread (``prefetch``) waited
    for rather than embedded twice."""

    def __init__(self, size: int) -> None:
        self._kept: LRU[np.ndarray] = LRU(size)
        self._pending: dict[str, Future[np.ndarray]] = {}
        self._lock = threading.Lock()

    def get(self, text: str, embed: Callable[[str], Any]) -> np.ndarray:
        vector = self._kept.get(text)
        if vector is not None:
            return vector
        with self._lock:
            pending = self._pending.get(text)
        if pending is not None:
            return pending.result()
        return self._keep(text, embed(text))

    def prefetch(self, text: str, embed: Callable[[str], Any]) -> None:
        """Embeds ``text`` in a background thread: the C engine releases the GIL, so the
        question's vector is computed while the question is analysed and the indexes open."""
        with self._lock:
            if text in self._pending or self._kept.get(text) is not None:
                return
            future: Future[np.ndarray] = Future()
            self._pending[text] = future

        def run() -> None:
            try:
                future.set_result(self._keep(text, embed(text)))
            except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for it
                future.set_exception(exc)
            finally:
                with self._lock:
                    self._pending.pop(text, None)

        threading.Thread(target=run, name="query-vector", daemon=True).start()

    def _keep(self, text: str, vector: Any) -> np.ndarray:
        out = np.asarray(vector, dtype=np.float32)
        out.flags.writeable = False  # shared by every question that asks it
        self._kept.put(text, out)
        return out

    def clear(self) -> None:
        self._kept.clear()

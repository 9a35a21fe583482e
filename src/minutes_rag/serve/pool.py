"""The answer pool: at most ``ui_concurrency`` answers run at once in the server, whichever face
asked (``POST /api/ask``, ``/v1/chat/completions``, the MCP tools). Requests beyond that wait;
a face that can say "busy" (the OpenAI route: 429) refuses a request when ``max_waiting`` are
already waiting, rather than queue it past its client's timeout.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class PoolFull(Exception):
    """Every slot is busy and the waiting line is full: try again shortly."""


class AnswerPool:
    def __init__(self, slots: int, max_waiting: int) -> None:
        self.slots = max(1, int(slots))
        self.max_waiting = max(0, int(max_waiting))
        self._sem = threading.BoundedSemaphore(self.slots)
        self._lock = threading.Lock()
        self._inside = 0  # admitted: running or waiting for a slot

    @property
    def inside(self) -> int:
        return self._inside

    def check(self) -> None:
        """``PoolFull`` when every slot is busy and ``max_waiting`` requests already wait (a face
        that can say "busy" asks before it starts; the count is a snapshot, not a reservation)."""
        with self._lock:
            if self._inside >= self.slots + self.max_waiting:
                raise PoolFull(f"{self.slots} answers are running and {self.max_waiting} waiting")

    def run(self, fn: Callable[[], T]) -> T:
        """Runs ``fn`` in a slot, waiting for one: the blocking call of a worker thread."""
        with self._lock:
            self._inside += 1
        try:
            with self._sem:
                return fn()
        finally:
            with self._lock:
                self._inside -= 1

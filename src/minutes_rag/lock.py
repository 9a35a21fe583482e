"""The data directory's writer lock: one process at a time changes an index.

An OS file lock (``fcntl.flock`` on ``DATA_DIR/.lock``): the kernel drops it when the holder
exits, however it exits (``kill -9`` included), so a crashed ingest never leaves a stale
lock behind. The holder writes its pid and start time into the file so that a second writer
can say who is busy. Readers (the chat, ``ask``, ``minutes``) never take it and never write
to Chroma; they read the state database in WAL mode, which gives them a consistent snapshot
while a writer commits.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from minutes_rag.errors import IndexBusy, StoreError

log = logging.getLogger(__name__)

LOCK_NAME = ".lock"

Waiting = Callable[[str], None]


def holder(data_dir: Path) -> dict[str, object]:
    """What the lock file says about its last holder ({} when unknown)."""
    try:
        raw = (data_dir / LOCK_NAME).read_text(encoding="utf-8")
        info = json.loads(raw) if raw.strip() else {}
        return info if isinstance(info, dict) else {}
    except (OSError, ValueError):
        return {}


def busy_message(data_dir: Path, info: dict[str, object]) -> str:
    pid = info.get("pid", "?")
    started = info.get("started", "")
    when = f" (started {started})" if started else ""
    return (
        f"the index at {data_dir} is being updated by process {pid}{when}; "
        "try again when it finishes"
    )


class WriterLock:
    """``with WriterLock(dir): ...`` holds the writer lock; re-entrant within one object.

    ``wait``: seconds to wait for a busy lock (0 = fail at once with ``IndexBusy``);
    ``on_wait`` is called about once a second with a progress line while waiting.
    """

    def __init__(self, data_dir: Path, *, wait: float = 0.0, on_wait: Waiting | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.wait = wait
        self.on_wait = on_wait
        self._fd: int | None = None
        self._depth = 0

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        """Take the lock if it is free; False (not an error) when another process holds it."""
        if self._fd is not None:
            self._depth += 1
            return True
        path = self.data_dir / LOCK_NAME
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise StoreError(f"the index at {self.data_dir} is read-only: it can be read, not updated") from exc
            raise StoreError(f"cannot create the lock file {path}: {exc.strerror or exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            raise StoreError(f"cannot lock {path}: {exc.strerror or exc}") from exc
        info = {"pid": os.getpid(), "started": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode("utf-8"), 0)
        self._fd = fd
        self._depth = 1
        return True

    def acquire(self) -> None:
        deadline = time.monotonic() + max(0.0, self.wait)
        last_note = 0.0
        while not self.try_acquire():
            info = holder(self.data_dir)
            now = time.monotonic()
            if now >= deadline:
                raise IndexBusy(busy_message(self.data_dir, info))
            if self.on_wait is not None and now - last_note >= 1.0:
                last_note = now
                self.on_wait(
                    f"waiting for process {info.get('pid', '?')} to finish updating the index at "
                    f"{self.data_dir} ({deadline - now:.0f} s left)"
                )
            time.sleep(0.1)

    def release(self) -> None:
        if self._fd is None:
            return
        self._depth -= 1
        if self._depth > 0:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def __enter__(self) -> WriterLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def is_locked(data_dir: Path) -> bool:
    """True while some process (this one included) holds the writer lock."""
    path = Path(data_dir) / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)

"""One writer at a time: the lock every command that changes the archive or its index takes.

It is an advisory lock (flock) on `writer.lock` in the index folder (the searchable index is
its `whoosh/` sub-folder, which a reindex swaps; the lock file stays), held for the whole of an
ingest, a reindex, a removal, an edit, a redetect or the viewer's automatic rebuild: a reindex
lists the records at its start and swaps its index in at its end, so an ingest in between would
be lost from the index. The system frees the lock when its process ends, however it ends (a
kill -9 leaves no stale lock). The file says who holds it, its pid and command (never its
arguments: they may hold a password), for the message the others get. Within a process the
lock is re-entrant: an ingest that rebuilds a missing index takes it once. A writer that
finishes, or stops on Ctrl-C or SIGTERM after undoing what it had not committed, empties the
file; one killed outright leaves its name there, which tells the next command to repair
(`check.repair`).

A process forked while the lock is held (Whoosh's index writer forks its helpers) would share
the locked file and keep the lock alive after its parent was killed, for ever if it waits on
that parent. So a child forked by a holder lets go of the file at once, and is killed when
the thread that forked it dies (Linux's parent-death signal): a killed command frees the lock
whatever its children do.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from isecg_archive.errors import IndexBusy, StorageError

_POLL = 0.1  # seconds between tries while another process holds the lock


class WriterLock:
    """The lock of one index folder, shared by every Collection of this process on it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._threads = threading.RLock()
        self._depth = 0
        self._handle: IO[str] | None = None

    @contextmanager
    def hold(
        self,
        wait: float | None = None,
        waiting: Callable[[str], None] | None = None,
        holder: str = "isecg-archive",
    ) -> Iterator[None]:
        """Hold the lock for the block. Wait for another process at most `wait` seconds (None:
        as long as it takes); `waiting` is told once, with whom it waits for. `holder` says
        what this process is to the others ("isecg-archive ingest")."""
        with self._threads:
            if self._depth == 0:
                self._handle = self._acquire(wait, waiting, holder)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._handle is not None:
                    # An empty lock file says the last writer finished; one killed before
                    # this point leaves its name, for the next command to repair after it.
                    with suppress(OSError):
                        self._handle.truncate(0)
                    self._handle.close()  # closing the file frees the lock
                    self._handle = None

    def interrupted(self) -> str | None:
        """Who held the lock last if it stopped without finishing (killed, or the machine
        stopped), and nobody holds it now; else None."""
        try:
            with self.path.open("r", encoding="utf-8") as handle:
                holder = handle.read().strip()
                if not holder:
                    return None
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except (OSError, BlockingIOError):  # no lock file, or a writer at work
            return None
        return holder

    def busy(self) -> bool:
        """Whether a writer (of any process, this one too) holds the lock now."""
        if self._handle is not None:
            return True
        try:
            with self.path.open("r", encoding="utf-8") as handle:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:  # no lock file: nobody ever wrote here
            return False
        return False

    def _acquire(
        self, wait: float | None, waiting: Callable[[str], None] | None, holder: str
    ) -> IO[str]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = self.path.open("a+", encoding="utf-8")  # held until the lock is freed
        except OSError as exc:
            raise StorageError(
                f"cannot write in {self.path.parent}: {exc.strerror or exc}; check the folder's"
                " permissions and free space"
            ) from None
        deadline = None if wait is None else time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                other = _holder(handle)
                if deadline is not None and time.monotonic() >= deadline:
                    handle.close()
                    raise IndexBusy(
                        f"another isecg-archive process ({other}) is writing to the archive;"
                        " try again when it has finished, or give it time with --wait SECONDS"
                    ) from None
                if waiting and not told and wait != 0:
                    waiting(f"waiting for another isecg-archive process ({other}) to finish…")
                    told = True
                time.sleep(_POLL)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}: {holder}\n")
        handle.flush()
        return handle


def _holder(handle: IO[str]) -> str:
    handle.seek(0)
    return handle.read().strip() or "unknown"


_locks: dict[Path, WriterLock] = {}
_registry = threading.Lock()


def writer_lock(index_dir: Path) -> WriterLock:
    """The lock of an index folder (one object per folder in a process, so that it nests)."""
    path = index_dir.absolute() / "writer.lock"
    with _registry:
        return _locks.setdefault(path, WriterLock(path))


_PR_SET_PDEATHSIG = 1
_forked_by: int | None = None  # in a child: the pid of the holder that forked it


def _before_fork() -> None:
    global _forked_by
    _forked_by = os.getpid()


def _in_child() -> None:
    """In a process just forked: let go of every lock its parent holds, and die with it."""
    held = [lock for lock in _locks.values() if lock._handle is not None]
    if not held:
        return
    for lock in held:
        assert lock._handle is not None
        with suppress(OSError):  # the child's copy now reads /dev/null; the parent's is intact
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, lock._handle.fileno())
            os.close(devnull)
    die_with_parent(_forked_by)


def die_with_parent(parent: int | None) -> None:
    """In a child process: be killed when the thread that started it dies (Linux), or exit now
    if `parent` (its pid) is already gone."""
    if sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


os.register_at_fork(before=_before_fork, after_in_child=_in_child)

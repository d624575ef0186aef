"""Extraction in worker processes: files read in parallel, each within a time and memory budget.

Each worker is forked from a preloaded server (or, for a file or two, from this process) and
reads one file after another. A parser that hangs is killed at its file's deadline, one that
exhausts the memory budget fails alone, and one that crashes takes nothing else with it: the
file fails, and a new worker takes the place of the one that stopped. Workers are also
replaced after a number of files, so that what a parser leaks does not build up.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import pkgutil
import resource
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from isecg_archive import errors
from isecg_archive import extract as extract_package
from isecg_archive.errors import ExtractionError
from isecg_archive.extract import DEFAULT_MAX_BYTES, Extraction, ExtractOptions, extract

DEFAULT_TIMEOUT = 120.0  # seconds for one file
MEMORY_LIMIT = 4 * 1024**3  # address space of one worker: stops decompression bombs
LOOKAHEAD = 4  # files read ahead per worker, waiting for their turn to be committed
FILES_PER_WORKER = 200  # then the worker is replaced by a new one
FORK_SERVER_FROM = 3  # files in a batch from which workers come from a preloaded server


# Imported once by the process the workers fork from, so that no worker pays for the imports.
_PRELOAD = [
    # The program's main script (the `isecg-archive` command), which each worker would otherwise
    # import again before it starts: a third of the cost of a worker for a small file.
    "__main__",
    *(f"isecg_archive.extract.{m.name}" for m in pkgutil.iter_modules(extract_package.__path__)),
    "pptx",
    "docx",
    "PIL.Image",
    # Not PDFium, markdown-it or trafilatura (a quarter of a second): a worker imports them
    # when a file needs them, which most batches' files do not.
    "isecg_archive.pipeline.ingest",  # what an ingest's workers do with the text besides reading it
]


@dataclass(frozen=True)
class Task:
    path: Path
    max_bytes: int = DEFAULT_MAX_BYTES
    options: ExtractOptions = field(default_factory=ExtractOptions)
    # What else to make of the text in the worker (picklable); the worker then returns that.
    then: Callable[[Extraction], Any] | None = None


def _serve(
    connection: Connection,
    function: Callable[..., Extraction],
    inherited: tuple[Connection, ...] = (),
) -> None:
    """A worker: answer each task sent on the connection, until it closes or memory ran out.

    A worker forked from the main process first closes its copies of the main process's ends
    of the pipes (`inherited`), so that each worker sees the end of its tasks when they close."""
    for other in inherited:
        other.close()
    # Ctrl-C reaches the whole process group: the main process stops the workers itself, and
    # a worker told to stop ends quietly, without a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ValueError, OSError):
        pass  # a lower hard limit is already in force
    while True:
        try:
            task = connection.recv()
        except (EOFError, ConnectionResetError):  # the main process closed it, or stopped
            return
        answer = _answer(task, function)
        try:
            connection.send(answer)
        except (BrokenPipeError, ConnectionResetError):
            return
        if answer[1] == "MemoryError":  # what is left of this worker's memory is not trusted
            return


def _answer(task: Task, function: Callable[..., Extraction]) -> tuple[Any, ...]:
    try:
        extraction = function(task.path, task.max_bytes, task.options)
        return ("ok", task.then(extraction) if task.then else extraction)
    except ExtractionError as exc:
        return ("error", type(exc).__name__, str(exc))
    except MemoryError:
        return (
            "error",
            "MemoryError",
            f"reading it needed over {MEMORY_LIMIT // 1024**3} GiB of memory: it may be a"
            " decompression bomb; check the file, or convert it to PDF",
        )
    except Exception as exc:  # a fault of ours after the reading: one line, the batch goes on
        detail = " ".join(str(exc).split())[:160] or type(exc).__name__
        return (
            "error",
            "ExtractionError",
            f"the archive failed on it ({type(exc).__name__}: {detail}); please report it with"
            " the file, and convert the file to PDF to ingest it meanwhile",
        )


def _error(kind: str, message: str) -> ExtractionError:
    cls = getattr(errors, kind, ExtractionError)
    return cls(message) if issubclass(cls, ExtractionError) else ExtractionError(message)


@dataclass
class _Worker:
    process: Any
    connection: Connection
    served: int = 0
    index: int = -1  # of the task it is reading; -1 when idle
    deadline: float = 0.0

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        self.connection.close()  # an idle worker sees the end of its tasks and exits
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def _forked_here(files: int) -> bool:
    """Whether a batch's workers are forked from this process: for a file or two, as this
    process has what they need imported, rather than from a server that must first start and
    import it all (0.4 s)."""
    return files < FORK_SERVER_FROM


def extract_in_workers(
    tasks: Iterable[Task],
    jobs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    function: Callable[..., Extraction] = extract,
    stop: threading.Event | None = None,
) -> Generator[Any, None, None]:
    """Each task's extraction (or what its `then` made of it), or the error that stopped it, in
    the order of the tasks. Setting `stop` ends it within a second, between two files."""
    jobs = max(1, jobs or os.cpu_count() or 1)
    tasks = iter(tasks)
    first = list(itertools.islice(tasks, FORK_SERVER_FROM))
    forked = _forked_here(len(first))
    context: Any = multiprocessing.get_context("fork" if forked else "forkserver")
    if not forked:
        context.set_forkserver_preload(_PRELOAD)
    tasks = itertools.chain(first, tasks)

    def start() -> _Worker:
        mine, theirs = context.Pipe()
        inherited = (mine, *(w.connection for w in workers)) if forked else ()
        process = context.Process(target=_serve, args=(theirs, function, inherited), daemon=True)
        process.start()
        theirs.close()
        return _Worker(process, mine)

    queue = iter(enumerate(tasks))
    workers: list[_Worker] = []
    finished: dict[int, Any] = {}
    next_index = started = 0
    exhausted = False
    try:
        while True:
            while not exhausted and started < next_index + jobs * LOOKAHEAD:
                idle = next((w for w in workers if w.index < 0), None)
                if idle is None and len(workers) == jobs:
                    break
                try:
                    index, task = next(queue)
                except StopIteration:
                    exhausted = True
                    break
                if idle is None:  # a worker is started only for a task
                    idle = start()
                    workers.append(idle)
                idle.connection.send(task)
                idle.index, idle.deadline = index, time.monotonic() + timeout
                started += 1
            busy = [w for w in workers if w.index >= 0]
            if busy:
                # At most a second's wait: a consumer that stops reading ahead is heard soon.
                left = min(1.0, max(0.0, min(w.deadline for w in busy) - time.monotonic()))
                for ready in wait([w.connection for w in busy], timeout=left):
                    worker = next(w for w in busy if w.connection is ready)
                    finished[worker.index], done = _receive(worker)
                    worker.index, worker.served = -1, worker.served + 1
                    if done or worker.served >= FILES_PER_WORKER:
                        worker.stop()
                        workers.remove(worker)
                now = time.monotonic()
                for worker in [w for w in busy if w.index >= 0 and w.deadline <= now]:
                    worker.stop(kill=True)
                    workers.remove(worker)
                    finished[worker.index] = ExtractionError(
                        f"reading it took over {timeout:.0f} s, so it was stopped: the file"
                        " may be damaged or very large; raise --timeout, or convert it to PDF"
                    )
            while next_index in finished:
                yield finished.pop(next_index)
                next_index += 1
            if exhausted and not busy or stop is not None and stop.is_set():
                return
    finally:
        for worker in workers:
            worker.stop(kill=worker.index >= 0)


def _receive(worker: _Worker) -> tuple[Any, bool]:
    """A worker's answer, and whether the worker is done (it crashed, or gave up its memory)."""
    try:
        message = worker.connection.recv()
    except (EOFError, OSError):
        worker.process.join()
        code = worker.process.exitcode
        return ExtractionError(
            f"the reader crashed on it (exit status {code}); the file may be damaged: re-export it"
            " from the application that made it and ingest it again"
        ), True
    if message[0] == "ok":
        return message[1], False
    return _error(message[1], message[2]), message[1] == "MemoryError"


def read_ahead(
    tasks: list[Task], jobs: int | None, timeout: float, limit: int, weight: Callable[[Any], int]
) -> ReadAhead | Generator[Any, None, None]:
    """extract_in_workers(), with the workers reading up to `limit` (by `weight`) ahead of the
    consumer: read by a thread, they go on while the consumer does something else (an ingest's
    commits). Not for a file or two, whose workers are forked from this process: a fork copies
    no thread but its own, and locks other threads held would stay held in the child."""
    if _forked_here(len(tasks)):
        return extract_in_workers(tasks, jobs, timeout)
    return ReadAhead(partial(extract_in_workers, tasks, jobs, timeout), limit, weight)


class ReadAhead(Iterator[Any]):
    """Drives a generator in a thread, up to `limit` (by `weight`) items ahead of its consumer.

    `start(stop=event)` makes the generator; it must end soon once the event is set. close()
    sets it and waits for the generator to end; what the generator raises, the consumer gets.
    """

    def __init__(
        self,
        start: Callable[..., Generator[Any, None, None]],
        limit: int,
        weight: Callable[[Any], int],
    ) -> None:
        self._stop = threading.Event()
        self._items = start(stop=self._stop)
        self._limit = limit
        self._weight = weight
        self._ready: deque[tuple[str, Any, int]] = deque()
        self._held = 0
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="read-ahead", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            for item in self._items:
                weight = max(1, self._weight(item))
                with self._changed:
                    # One item is always let in, however heavy: the consumer waits for it.
                    while self._held and self._held + weight > self._limit:
                        if self._stop.is_set():
                            return
                        self._changed.wait()
                    self._ready.append(("item", item, weight))
                    self._held += weight
                    self._changed.notify_all()
            self._put(("end", None, 0))
        except BaseException as exc:  # given to the consumer, in its thread
            self._put(("error", exc, 0))
        finally:
            self._items.close()

    def _put(self, entry: tuple[str, Any, int]) -> None:
        with self._changed:
            self._ready.append(entry)
            self._changed.notify_all()

    def __next__(self) -> Any:
        with self._changed:
            while not self._ready:
                self._changed.wait()
            kind, item, weight = self._ready[0]
            if kind == "end":
                raise StopIteration
            if kind == "error":
                raise item
            self._ready.popleft()
            self._held -= weight
            self._changed.notify_all()
            return item

    def close(self) -> None:
        self._stop.set()
        with self._changed:
            self._ready.clear()
            self._changed.notify_all()
        self._thread.join()

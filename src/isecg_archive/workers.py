"""Extraction in worker processes: files read in parallel, each within a time and memory budget.

Every file is read in a fresh process forked from a preloaded server, so a parser that hangs is
killed at its deadline, one that exhausts its memory budget fails alone, and one that crashes
takes nothing else with it: the next file gets a new process.
"""

from __future__ import annotations

import multiprocessing
import os
import pkgutil
import resource
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
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


# Imported once by the process the workers fork from, so that no worker pays for the imports.
_PRELOAD = [
    # The program's main script (the `isecg-archive` command), which each worker would otherwise
    # import again before it starts: a third of the cost of a worker for a small file.
    "__main__",
    *(f"isecg_archive.extract.{m.name}" for m in pkgutil.iter_modules(extract_package.__path__)),
    "pptx",
    "docx",
    "PIL.Image",
    "isecg_archive.ingest",  # what an ingest's workers do with the text besides reading it
]


@dataclass(frozen=True)
class Task:
    path: Path
    max_bytes: int = DEFAULT_MAX_BYTES
    options: ExtractOptions = field(default_factory=ExtractOptions)
    # What else to make of the text in the worker (picklable); the worker then returns that.
    then: Callable[[Extraction], Any] | None = None


def _work(connection: Connection, task: Task, function: Callable[..., Extraction]) -> None:
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ValueError, OSError):
        pass  # a lower hard limit is already in force
    try:
        extraction = function(task.path, task.max_bytes, task.options)
        connection.send(("ok", task.then(extraction) if task.then else extraction))
    except ExtractionError as exc:
        connection.send(("error", type(exc).__name__, str(exc)))
    except MemoryError:
        connection.send(
            (
                "error",
                "ExtractionError",
                f"reading it needed over {MEMORY_LIMIT // 1024**3} GiB of memory: it may be a"
                " decompression bomb; check the file, or convert it to PDF",
            )
        )
    finally:
        connection.close()


def _error(kind: str, message: str) -> ExtractionError:
    cls = getattr(errors, kind, ExtractionError)
    return cls(message) if issubclass(cls, ExtractionError) else ExtractionError(message)


@dataclass
class _Running:
    index: int
    process: Any
    deadline: float


def extract_in_workers(
    tasks: Iterable[Task],
    jobs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    function: Callable[..., Extraction] = extract,
) -> Iterator[Any]:
    """Each task's extraction (or what its `then` made of it), or the error that stopped it, in
    the order of the tasks."""
    jobs = max(1, jobs or os.cpu_count() or 1)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    queue = iter(enumerate(tasks))
    running: dict[Connection, _Running] = {}
    finished: dict[int, Any] = {}
    next_index = started = 0
    exhausted = False
    try:
        while True:
            while not exhausted and len(running) < jobs and started < next_index + jobs * LOOKAHEAD:
                try:
                    index, task = next(queue)
                except StopIteration:
                    exhausted = True
                    break
                receive, send = context.Pipe(duplex=False)
                process = context.Process(target=_work, args=(send, task, function), daemon=True)
                process.start()
                send.close()
                running[receive] = _Running(index, process, time.monotonic() + timeout)
                started += 1
            if running:
                soonest = min(r.deadline for r in running.values())
                left = max(0.0, soonest - time.monotonic())
                for ready in wait(list(running), timeout=left):
                    connection = next(c for c in running if c is ready)
                    job = running.pop(connection)
                    finished[job.index] = _receive(connection, job)
                now = time.monotonic()
                for connection, job in list(running.items()):
                    if job.deadline <= now:
                        job.process.kill()
                        job.process.join()
                        connection.close()
                        del running[connection]
                        finished[job.index] = ExtractionError(
                            f"reading it took over {timeout:.0f} s, so it was stopped: the file"
                            " may be damaged or very large; raise --timeout, or convert it to"
                            " PDF"
                        )
            while next_index in finished:
                yield finished.pop(next_index)
                next_index += 1
            if exhausted and not running:
                return
    finally:
        for connection, job in running.items():
            job.process.kill()
            job.process.join()
            connection.close()


def _receive(connection: Connection, job: _Running) -> Any:
    try:
        message = connection.recv()
    except (EOFError, OSError):
        message = None
    finally:
        connection.close()
    job.process.join()
    if message is None:
        code = job.process.exitcode
        return ExtractionError(
            f"the reader crashed on it (exit status {code}); the file may be damaged: re-export it"
            " from the application that made it and ingest it again"
        )
    if message[0] == "ok":
        return message[1]
    return _error(message[1], message[2])

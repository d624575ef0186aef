"""The journal of the transaction under way: what it did, so that a kill cannot leave half of it.

A transaction (`archive.Transaction`) writes each step to `archive/.journal.jsonl` before it
takes it: a file created, moved, or a record written (with the record as it was). When every
step is taken it writes the history lines it is about to append, and from then on it is done
(committed): the history is appended and the journal removed. A command killed before that
point leaves the journal without its history lines, and the next command (or `check
--repair`) undoes its steps, newest first; killed after it, the next command finishes the
history. Either way the archive holds every change of a transaction or none of them, and the
history lists exactly the changes the archive holds.

The journal is flushed at each step, which a killed process cannot lose, and synced to disk
when it commits.
"""

from __future__ import annotations

import json
import os
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from isecg_archive.storage.staging import staged

JOURNAL = ".journal.jsonl"


@dataclass(frozen=True)
class Pending:
    """What a journal left by a stopped command says."""

    action: str
    history_size: int  # the history's length when the transaction began
    steps: tuple[dict[str, Any], ...]
    committed: str | None  # the history lines to append, if it got as far as committing


class Journal:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / JOURNAL
        self._handle: IO[str] | None = None

    def begin(self, action: str, history_size: int) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self._handle = self.path.open("w", encoding="utf-8")
        self._write({"begin": action, "history_size": history_size, "pid": os.getpid()})
        os.fsync(self._handle.fileno())

    def note(self, step: dict[str, Any]) -> None:
        """A step about to be taken."""
        self._write(step)

    def commit(self, history_text: str) -> None:
        """Every step is taken: the transaction is done once this returns."""
        self._write({"commit": history_text})
        assert self._handle is not None
        os.fsync(self._handle.fileno())

    def end(self) -> None:
        """The transaction is over, committed and in the history, or undone."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        self.path.unlink(missing_ok=True)

    def _write(self, data: dict[str, Any]) -> None:
        assert self._handle is not None
        self._handle.write(json.dumps(data, ensure_ascii=False) + "\n")
        self._handle.flush()

    def pending(self) -> Pending | None:
        """What a stopped command's journal says, or None when there is none."""
        try:
            lines = self.path.read_text("utf-8").splitlines()
        except FileNotFoundError:
            return None
        entries = []
        for line in lines:
            try:
                entries.append(json.loads(line))
            except ValueError:  # the last line, cut short by the kill
                break
        if not entries or "begin" not in entries[0]:
            return Pending("change", -1, (), None)  # killed before it began: nothing was done
        head = entries[0]
        steps = tuple(e for e in entries[1:] if "op" in e)
        committed = next((e["commit"] for e in entries if "commit" in e), None)
        return Pending(head["begin"], int(head["history_size"]), steps, committed)


def undo_step(root: Path, step: dict[str, Any]) -> None:
    """Take one step back; a step that was never taken is left as it is."""
    op = step["op"]
    if op == "created":
        (root / step["path"]).unlink(missing_ok=True)
    elif op == "made":
        with suppress(OSError):  # only if nothing else is in it
            (root / step["path"]).rmdir()
    elif op == "moved":
        source, target = root / step["from"], root / step["to"]
        if os.path.lexists(target) and not os.path.lexists(source):
            source.parent.mkdir(parents=True, exist_ok=True)
            target.replace(source)
    elif op == "wrote":
        path, before = root / step["path"], step["before"]
        if before is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            with staged(path) as partial:
                partial.write_text(before, encoding="utf-8")
    else:
        raise ValueError(f"unknown step {op!r}")


def recover(root: Path, history: Path) -> str | None:
    """Finish or undo the transaction a stopped command left, and say which; None if none."""
    journal = Journal(root)
    pending = journal.pending()
    if pending is None:
        return None
    if pending.history_size >= 0:
        _cut(history, pending.history_size)  # what the stopped command began to append
    if pending.committed is not None:
        with history.open("a", encoding="utf-8") as handle:
            handle.write(pending.committed)
            handle.flush()
            os.fsync(handle.fileno())
        said = f"finished the {pending.action} a stopped command had done (wrote its history)"
    else:
        for step in reversed(pending.steps):
            undo_step(root, step)
        count = sum(step["op"] in ("created", "moved", "wrote") for step in pending.steps)
        said = f"undid the unfinished {pending.action} of a stopped command ({count} steps)"
    journal.end()
    return said


def _cut(history: Path, size: int) -> None:
    with suppress(FileNotFoundError):
        if history.stat().st_size > size:
            os.truncate(history, size)

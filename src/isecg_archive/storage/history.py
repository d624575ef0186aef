"""The archive's history: every change to a record, appended to a JSON Lines file in the archive.

One line per change: when, what was done (`ingest`, `new version`, `edit`, `import`,
`redetect`, `versions`, `remove`, `restore`...), the document, the fields before and after,
and the command that did it. The file lives in the archive (the source of truth), so a
reindex never touches it; it is only ever appended to.
"""

from __future__ import annotations

import json
import os
import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from isecg_archive.storage.records import Document, EventRecord
from isecg_archive.storage.staging import staged

HISTORY_FILE = ".history.jsonl"
# What a line keeps of a record that comes or goes whole (a rewrite keeps what changed).
_UNLOGGED = ("changed",)  # when a change was made is the entry's own `when`
KEPT = (
    *("title", "file", "sha256", "type", "date", "agencies", "organisations", "topics"),
    *("authors", "event", "event_date", "event_place", "manual"),
)


@dataclass(frozen=True)
class Entry:
    when: str  # ISO 8601, UTC, to the second
    action: str
    id: str  # the document's id after the change (or before it, for a removal)
    file: str
    before: dict[str, Any] = field(default_factory=dict)  # the fields that changed, as they were
    after: dict[str, Any] = field(default_factory=dict)  # and as they are
    command: str = ""  # what did it: "isecg-archive edit 365b83 --date 2016-04"
    previous_id: str | None = None  # the id of the version a new version replaced

    def to_dict(self) -> dict[str, Any]:
        data = {
            "when": self.when,
            "action": self.action,
            "id": self.id,
            "file": self.file,
            "before": self.before,
            "after": self.after,
            "command": self.command,
        }
        if self.previous_id:
            data["previous_id"] = self.previous_id
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        return cls(
            when=data["when"],
            action=data["action"],
            id=data["id"],
            file=data["file"],
            before=data.get("before") or {},
            after=data.get("after") or {},
            command=data.get("command", ""),
            previous_id=data.get("previous_id"),
        )

    @property
    def fields(self) -> list[str]:
        """The fields this change touched, in the record's order."""
        names = set(self.before) | set(self.after)
        return [name for name in KEPT if name in names] + sorted(names - set(KEPT))


def _kept(document: Document) -> dict[str, Any]:
    data = document.to_dict()
    return {name: data[name] for name in KEPT}


def change(
    action: str, old: Document | None, new: Document | None, command: str = ""
) -> Entry | None:
    """The entry for a record that came (old None), went (new None) or changed; None when
    nothing changed."""
    when = datetime.now(UTC).isoformat(timespec="seconds")
    if old is None and new is not None:
        return Entry(when, action, new.id, new.file, {}, _kept(new), command)
    if new is None and old is not None:
        return Entry(when, action, old.id, old.file, _kept(old), {}, command)
    assert old is not None and new is not None
    before, after = old.to_dict(), new.to_dict()
    names = tuple(n for n in before if before[n] != after[n] and n not in _UNLOGGED)
    if not names:
        return None
    previous = old.id if old.id != new.id else None
    if previous:  # a new version: the whole record, as it was and as it is
        names = tuple(dict.fromkeys((*KEPT, *names)))
    return Entry(
        when,
        action,
        new.id,
        new.file,
        {n: before[n] for n in names},
        {n: after[n] for n in names},
        command,
        previous,
    )


def event_change(
    old: EventRecord | None, new: EventRecord, file: str, command: str = ""
) -> Entry | None:
    """The entry for an event's record that came (old None) or changed: "event" or "event
    edit", by the event's slug; None when nothing changed."""
    when = datetime.now(UTC).isoformat(timespec="seconds")
    after = {n: v for n, v in new.to_dict().items() if n not in ("slug", *_UNLOGGED)}
    if old is None:
        given = {n: v for n, v in after.items() if v not in (None, "", [])}
        return Entry(when, "event", new.slug, file, {}, given, command)
    before = {n: v for n, v in old.to_dict().items() if n in after}
    names = [n for n in after if before[n] != after[n]]
    if not names:
        return None
    return Entry(
        when,
        "event edit",
        new.slug,
        file,
        {n: before[n] for n in names},
        {n: after[n] for n in names},
        command,
    )


# Options whose value is a secret: history says one was given, never what it was.
SECRET_OPTIONS = ("--password",)
GIVEN = "(given)"


def recorded_command(arguments: list[str], archive_root: Path) -> str:
    """The command line as history keeps it: no secret, and no path of this machine (a file
    in the archive by its archive path, any other by its name alone)."""
    return shlex.join(
        [
            "isecg-archive",
            *_without_secrets(arguments, partial(_without_place, archive_root=archive_root)),
        ]
    )


def cleaned_command(command: str) -> str:
    """A command kept by an older history, its secrets and this machine's paths taken out."""
    try:
        arguments = shlex.split(command)
    except ValueError:  # unbalanced quotes: keep the command's name only
        return command.split(" ", 1)[0]
    if not arguments:
        return command
    return shlex.join([arguments[0], *_without_secrets(arguments[1:], _without_old_place)])


def _without_secrets(arguments: list[str], place: Callable[[str], str]) -> list[str]:
    """The arguments with each secret option's value replaced by GIVEN, and `place` applied
    to the others."""
    kept, secret = [], False
    for argument in arguments:
        name, equals, _ = argument.partition("=")
        if secret:
            kept.append(GIVEN)
            secret = False
        elif name in SECRET_OPTIONS:
            kept.append(f"{name}={GIVEN}" if equals else name)
            secret = not equals
        else:
            kept.append(place(argument))
    return kept


def _without_place(argument: str, archive_root: Path | None) -> str:
    """An argument that names a file or folder of this machine, by its name alone (or its
    path in the archive); any other argument as it is."""
    if argument.startswith("-") or not argument or "\n" in argument:
        return argument
    path = Path(argument).expanduser()
    if not (path.is_absolute() or os.path.lexists(path)):
        return argument
    absolute = Path(os.path.normpath(path.absolute()))
    if archive_root is not None:
        root = Path(os.path.normpath(archive_root.absolute()))
        if absolute.is_relative_to(root) and absolute != root:
            return absolute.relative_to(root).as_posix()
    return absolute.name or argument


def _without_old_place(argument: str) -> str:
    """An absolute path in an old command by its name alone: the machine it named is gone."""
    if argument.startswith(("/", "~")):
        return Path(argument).name or argument
    return argument


def _may_hold_secrets(command: str) -> bool:
    return any(option in command for option in SECRET_OPTIONS) or " /" in command or " ~" in command


def _mentions(ids: frozenset[str], line: str) -> bool:
    return any(i in line for i in ids)


class History:
    def __init__(self, archive_root: Path) -> None:
        self.path = archive_root / HISTORY_FILE

    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    @staticmethod
    def lines(entries: list[Entry]) -> str:
        """The entries as the lines the file keeps."""
        return "".join(json.dumps(e.to_dict(), ensure_ascii=False) + "\n" for e in entries)

    def append(self, entries: list[Entry]) -> None:
        self.append_lines(self.lines(entries))

    def append_lines(self, text: str) -> None:
        """Add lines at the end, in one write, on disk before this returns."""
        if not text:
            return
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())

    def entries(self, document_id: str | None = None) -> Iterator[Entry]:
        """Every entry, oldest first; with an id (or its start), those of that document and of
        the versions it replaced. Lines that cannot be read are left out (`problems` lists
        them)."""
        if document_id is None:
            yield from self._read(lambda line: True)
            return
        ids = {document_id.lower()}
        while True:  # a document's history runs back through the versions it replaced
            found = list(self._read(partial(_mentions, frozenset(ids))))
            mine = [e for e in found if any(e.id.startswith(i) for i in ids)]
            more = {e.previous_id for e in mine if e.previous_id} - ids
            if not more:
                yield from mine
                return
            ids |= more

    def _read(self, wanted: Callable[[str], bool]) -> Iterator[Entry]:
        try:
            handle = self.path.open(encoding="utf-8")
        except FileNotFoundError:
            return
        with handle:
            for line in handle:
                if not wanted(line):
                    continue
                try:
                    entry = Entry.from_dict(json.loads(line))
                except (ValueError, KeyError, TypeError):
                    continue
                if _may_hold_secrets(entry.command):  # kept by an older version
                    entry = replace(entry, command=cleaned_command(entry.command))
                yield entry

    def clean(self, write: bool = True) -> int:
        """Take the secrets and this machine's paths out of the commands an older version
        kept; how many lines changed (write=False: would change). The file is rewritten whole,
        or not at all."""
        try:
            lines = self.path.read_text("utf-8").splitlines(keepends=True)
        except FileNotFoundError:
            return 0
        changed = 0
        for number, line in enumerate(lines):
            try:
                data = json.loads(line)
                command = data.get("command") or ""
            except (ValueError, AttributeError):
                continue
            if isinstance(command, str) and _may_hold_secrets(command):
                cleaned = cleaned_command(command)
                if cleaned != command:
                    data["command"] = cleaned
                    lines[number] = json.dumps(data, ensure_ascii=False) + "\n"
                    changed += 1
        if changed and write:
            with staged(self.path) as partial:
                partial.write_text("".join(lines), encoding="utf-8")
        return changed

    def problems(self) -> list[str]:
        """The lines that cannot be read, each with its number."""
        problems = []
        try:
            with self.path.open(encoding="utf-8") as handle:
                for number, line in enumerate(handle, start=1):
                    try:
                        Entry.from_dict(json.loads(line))
                    except (ValueError, KeyError, TypeError) as exc:
                        problems.append(f"{self.path}: line {number} cannot be read ({exc})")
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{self.path} cannot be read ({exc})")
        return problems

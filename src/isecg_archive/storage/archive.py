"""The archive folder: original files, each beside its human-readable metadata record.

The archive is the source of truth. Every change to it goes through a Transaction, which
undoes what it did when the block around it fails, so a failed run leaves nothing half-written.
Nothing is ever deleted: replaced and removed originals move to the hidden trash folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import threading
import unicodedata
from collections.abc import Callable, Container, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from isecg_archive.enrich.vocab import ARCHIVE_VOCABULARY
from isecg_archive.errors import ArchiveError
from isecg_archive.extract import captions
from isecg_archive.storage.history import Entry, History, change, event_change
from isecg_archive.storage.journal import Journal, recover, undo_step
from isecg_archive.storage.records import CHANGED, Document, EventRecord, moment, now, seconds
from isecg_archive.storage.staging import staged

RECORD_SUFFIX = ".meta.json"
# Files kept beside an original that belong to it: a recording's captions.
COMPANION_SUFFIXES = captions.ARCHIVED
EVENTS = ".events"  # the events' records, one JSON file each: SLUG.json
TRASH = ".trash"
WHY = "WHY"  # in a trash folder: why its document is there ("removed", "replaced by ID")
_MAX_NAME = 120
_UNSAFE = re.compile(r"[^\w.\-]+")
_DASHES = re.compile(r"-{2,}")


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def safe_name(name: str) -> str:
    """A file name that is safe on every system and in a URL, keeping letters of any script."""
    name = unicodedata.normalize("NFC", name)
    name = _DASHES.sub("-", _UNSAFE.sub("-", name)).strip(".-") or "document"
    if len(name) > _MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        keep = _MAX_NAME - len(extension) - 1 if dot and len(extension) < 10 else _MAX_NAME
        name = name[:keep].rstrip(".-") + (f".{extension}" if keep < _MAX_NAME else "")
    return name


def archive_path(source: Path, given: Path) -> str:
    """Where a file goes in the archive: its name, under the name of the folder it came in."""
    if given.is_dir():
        # The name the file has in the folder, a link's own: not where a link points.
        parts = _absolute(source).relative_to(_absolute(given).parent).parts
    else:
        parts = (source.name,)
    return "/".join(safe_name(part) for part in parts)


def _absolute(path: Path) -> Path:
    """The path made absolute, with . and .. taken out, links left as they are."""
    return Path(os.path.normpath(path.absolute()))


def numbered(name: str, taken: Callable[[str], bool]) -> str:
    """`name`, or the first of `name-2.ext`, `name-3.ext`... that is not taken."""
    stem, dot, extension = name.rpartition(".")
    if not dot or "/" in extension:
        stem, extension = name, ""
    candidate, number = name, 1
    while taken(candidate):
        number += 1
        candidate = f"{stem}-{number}" + (f".{extension}" if extension else "")
    return candidate


def visible_files(folder: Path) -> Iterator[Path]:
    """Every file under a folder, in name order, leaving out hidden files and folders."""
    for directory, subdirs, names in os.walk(folder):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):
                yield Path(directory) / name


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with staged(path) as staging:
        staging.write_bytes(data)


@dataclass(frozen=True)
class Trashed:
    """A document in the trash: its record and original there, when it went and why."""

    document: Document
    when: datetime
    why: str  # "removed", "replaced by ID"
    record: Path
    original: Path


class Archive:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.history = History(root)
        self._open = threading.local()  # the transaction this thread has under way
        self.command = ""  # what is changing it, for the history: "isecg-archive edit ..."
        self._times: tuple[int, dict[str, str]] | None = None  # _history_times, kept

    def original(self, file: str) -> Path:
        return self.root / file

    def record_path(self, file: str) -> Path:
        return self.root / (file + RECORD_SUFFIX)

    def read(self, file: str) -> Document:
        path = self.record_path(file)
        try:
            return self._dated(Document.from_dict(json.loads(path.read_text("utf-8"))), path)
        except (OSError, ValueError, TypeError, ArchiveError) as exc:
            raise ArchiveError(
                f"the record {path} cannot be read ({exc}); fix or restore it from a backup"
            ) from exc

    def _dated(self, document: Document, path: Path) -> Document:
        """A record written before records kept their time of change, dated by its last entry
        in the history, else by when it was ingested, else by its file's time (until
        `date_undated` writes it down)."""
        if document.changed:
            return document
        when = self._history_times().get(document.id)
        if when is None and seconds(document.ingested):
            when = moment(seconds(document.ingested))
        if when is None:
            when = moment(int(path.stat().st_mtime))
        return replace(document, changed=when)

    def _history_times(self) -> dict[str, str]:
        """Each document's last time in the history, read again only when the history grows."""
        size = self.history.size()
        if self._times is None or self._times[0] != size:
            times: dict[str, str] = {}
            for entry in self.history.entries():
                with suppress(ValueError):
                    moment = datetime.fromisoformat(entry.when).astimezone(UTC)
                    times[entry.id] = max(times.get(entry.id, ""), moment.strftime(CHANGED))
            self._times = (size, times)
        return self._times[1]

    def date_undated(self) -> int:
        """Write down the time of change of each record that has none (an archive from before
        records kept it), so that no copy of the archive dates it again; how many."""
        dated = 0
        for file in self.record_files():
            path = self.record_path(file)
            with suppress(OSError, ValueError):
                if json.loads(path.read_text("utf-8")).get("changed"):
                    continue
                self.write_record(self.read(file))
                dated += 1
        return dated

    def write_record(self, document: Document) -> None:
        text = json.dumps(document.to_dict(), indent=2, ensure_ascii=False) + "\n"
        _write_atomically(self.record_path(document.file), text.encode("utf-8"))

    def free_name(self, file: str, taken: Container[str] = ()) -> str:
        """`file`, or the first of `name-2.ext`, `name-3.ext`... that no document holds and
        that is not among `taken` (the names a batch has given out already)."""

        def held(name: str) -> bool:
            return name in taken or self.original(name).exists() or self.record_path(name).exists()

        return numbered(file, held)

    def changed(self, file: str) -> int:
        """When a document's record last changed: its file's time, in whole seconds (0: none)."""
        try:
            return int(self.record_path(file).stat().st_mtime)
        except OSError:
            return 0

    def trash(self) -> Iterator[Trashed]:
        """What the trash holds, oldest first: each record with its original, when and why."""
        for folder in sorted((self.root / TRASH).glob("*-*")):
            stamp, _, rest = folder.name.partition("-")
            try:
                when = datetime.strptime(stamp, "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
            except ValueError:
                continue
            if rest == "unrecorded":
                continue
            try:
                why = (folder / WHY).read_text("utf-8").strip()
            except OSError:
                why = "removed or replaced"  # trashed before the reason was kept
            for record in sorted(folder.glob(f"*{RECORD_SUFFIX}")):
                with suppress(OSError, ValueError, TypeError, ArchiveError):
                    document = Document.from_dict(json.loads(record.read_text("utf-8")))
                    original = record.with_name(record.name[: -len(RECORD_SUFFIX)])
                    yield Trashed(document, when, why, record, original)

    def _files(self) -> Iterator[str]:
        """Archive paths of every file but hidden ones and the archive's own vocabulary."""
        for path in visible_files(self.root):
            relative = path.relative_to(self.root).as_posix()
            if relative != ARCHIVE_VOCABULARY:
                yield relative

    def record_files(self) -> Iterator[str]:
        """Archive paths of the originals that have a record (whether or not the original is)."""
        for relative in self._files():
            if relative.endswith(RECORD_SUFFIX):
                yield relative[: -len(RECORD_SUFFIX)]

    def set_aside(self, file: str) -> Path:
        """Move an original that has no record to the trash (where it can be taken back)."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        kept = self.root / TRASH / f"{stamp}-unrecorded" / file
        kept.parent.mkdir(parents=True, exist_ok=True)
        self.original(file).replace(kept)
        return kept

    def original_files(self) -> Iterator[str]:
        for relative in self._files():
            if not relative.endswith((RECORD_SUFFIX, *COMPANION_SUFFIXES)):
                yield relative

    def companions(self, file: str) -> list[Path]:
        """The files kept beside an original that belong to it (a recording's captions)."""
        original = self.original(file)
        found = [original.with_name(original.name + suffix) for suffix in COMPANION_SUFFIXES]
        return [path for path in found if path.is_file()]

    def records(self) -> Iterator[Document]:
        for file in self.record_files():
            yield self.read(file)

    def event_path(self, slug: str) -> Path:
        return self.root / EVENTS / f"{slug}.json"

    def read_event(self, slug: str) -> EventRecord | None:
        """The event's record, or None if it has none."""
        path = self.event_path(slug)
        if "/" in slug or slug.startswith(".") or not path.exists():
            return None
        try:
            return EventRecord.from_dict(json.loads(path.read_text("utf-8")))
        except (OSError, ValueError, TypeError, ArchiveError) as exc:
            raise ArchiveError(
                f"the event record {path} cannot be read ({exc}); fix or restore it from a backup"
            ) from exc

    def event_slugs(self) -> Iterator[str]:
        """The slugs of the events that have a record file."""
        folder = self.root / EVENTS
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
            if not path.name.startswith("."):
                yield path.stem

    def event_records(self) -> Iterator[EventRecord]:
        """Every event's record that can be read, by slug (`check` names the others)."""
        for slug in self.event_slugs():
            with suppress(ArchiveError):
                found = self.read_event(slug)
                if found is not None:
                    yield found

    @contextmanager
    def transaction(self, action: str = "update") -> Iterator[Transaction]:
        """Changes made together, written to the history when the block succeeds and undone
        when it fails, also after a kill (journal.py). `action` names a rewrite's cause in the
        history ("edit", "import"). Inside another transaction of this thread, the block's
        changes join it: committed or undone with it."""
        outer = getattr(self._open, "transaction", None)
        if outer is not None:
            yield Transaction(self, action, outer)
            return
        journal = Journal(self.root)
        journal.begin(action, self.history.size())
        transaction = Transaction(self, action, journal=journal)
        self._open.transaction = transaction
        try:
            yield transaction
            text = self.history.lines(transaction.entries)
            journal.commit(text)  # done: from here on it is finished, never undone
        except BaseException:
            transaction.undo()
            journal.end()
            raise
        finally:
            self._open.transaction = None
        self.history.append_lines(text)
        journal.end()

    def recover(self) -> str | None:
        """Finish or undo a transaction a stopped command left; what was done, if anything."""
        return recover(self.root, self.history.path)

    def unfinished(self) -> str | None:
        """The action of a transaction a stopped command left, if any."""
        pending = Journal(self.root).pending()
        return pending.action if pending else None


class Transaction:
    """Changes to the archive, each step journaled before it is taken, and undone newest
    first if the block fails (or by the next command, if this one is killed)."""

    def __init__(
        self,
        archive: Archive,
        action: str = "update",
        outer: Transaction | None = None,
        journal: Journal | None = None,
    ) -> None:
        self.archive = archive
        self.action = action
        if outer is not None:  # a transaction within another shares its steps and history
            self.entries: list[Entry] = outer.entries
            self._steps: list[dict[str, Any]] = outer._steps
            self._journal: Journal = outer._journal
            self._stamp: str = outer._stamp
            return
        assert journal is not None
        self.entries = []  # for the history, once the transaction succeeds
        self._steps = []
        self._journal = journal
        self._stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")

    def _step(self, op: str, **where: Any) -> None:
        """Journal a step before it is taken; paths are kept relative to the archive."""
        step = {"op": op, **{k: self._relative(v) if isinstance(v, Path) else v
                             for k, v in where.items()}}  # fmt: skip
        self._steps.append(step)
        self._journal.note(step)

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.archive.root).as_posix()

    def _write(self, path: Path, document: Document) -> Document:
        """Write a record, stamped with the time of this change; the record as written."""
        document = replace(document, changed=now())
        before = path.read_text("utf-8") if path.exists() else None
        self._step("wrote", path=path, before=before)
        self.archive.write_record(document)
        return document

    def _log(self, action: str, old: Document | None, new: Document | None) -> None:
        entry = change(action, old, new, self.archive.command)
        if entry is not None:
            self.entries.append(entry)

    def add(self, source: Path, document: Document, companion: Path | None = None) -> Document:
        """Copy the original's bytes unchanged (and a companion: a recording's captions) and
        write its record, moving any old one aside; the record as written."""
        target = self.archive.original(document.file)
        target.parent.mkdir(parents=True, exist_ok=True)
        with staged(target) as staging:  # nothing half-copied is left, on a full disk too
            shutil.copyfile(source, staging)
            if file_hash(staging) != document.sha256:
                raise ArchiveError(
                    f"{source} changed while it was being copied; ingest it again when it is stable"
                )
            old = None
            if self.archive.record_path(document.file).exists():
                old = self.archive.read(document.file)
                self._to_trash(old, f"replaced by {document.id}")
            self._step("created", path=target)
        if companion is not None:  # kept beside it, under a name that says whose it is
            kept = captions.kept_as(target, companion)
            with staged(kept) as staging:
                shutil.copyfile(companion, staging)
                self._step("created", path=kept)
        document = self._write(self.archive.record_path(document.file), document)
        self._log("new version" if old else "ingest", old, document)
        return document

    def rewrite(self, document: Document) -> Document:
        """Replace the record of a document already in the archive; the record as written (the
        one there, untouched, when nothing but its time would change)."""
        old = self.archive.read(document.file)
        if replace(document, changed=old.changed) == old:
            return old
        document = self._write(self.archive.record_path(document.file), document)
        self._log(self.action, old, document)
        return document

    def write_event(self, record: EventRecord) -> EventRecord:
        """Write an event's record (a new one, or a change); the record as written (the one
        there, untouched, when nothing but its time would change)."""
        path = self.archive.event_path(record.slug)
        old = self.archive.read_event(record.slug)
        if old is not None and replace(record, changed=old.changed) == old:
            return old
        record = replace(record, changed=now())
        self._step("wrote", path=path, before=path.read_text("utf-8") if old else None)
        text = json.dumps(record.to_dict(), indent=2, ensure_ascii=False) + "\n"
        _write_atomically(path, text.encode("utf-8"))
        entry = event_change(old, record, self._relative(path), self.archive.command)
        if entry is not None:
            self.entries.append(entry)
        return record

    def remove(self, document: Document) -> None:
        self._to_trash(document, "removed")
        self._log("remove", document, None)

    def restore(self, trashed: Trashed, file: str) -> Document:
        """Put a trashed document back, at `file` (its own place, or a free one beside it)."""
        # Its versions are found again once it is back (Collection.restore links them).
        document = replace(trashed.document, file=file, versions=())
        target = self.archive.original(file)
        target.parent.mkdir(parents=True, exist_ok=True)
        if trashed.original.exists():
            self._step("moved", **{"from": trashed.original, "to": target})
            trashed.original.replace(target)
        for suffix in COMPANION_SUFFIXES:
            kept = trashed.original.with_name(trashed.original.name + suffix)
            if kept.exists():
                back = target.with_name(target.name + suffix)
                self._step("moved", **{"from": kept, "to": back})
                kept.replace(back)
        document = self._write(self.archive.record_path(file), document)
        self._step("wrote", path=trashed.record, before=trashed.record.read_text("utf-8"))
        trashed.record.unlink()
        self._log("restore", None, document)
        return document

    def _to_trash(self, document: Document, why: str) -> None:
        folder = self.archive.root / TRASH / f"{self._stamp}-{document.id}"
        if not folder.exists():
            self._step("made", path=folder)
            folder.mkdir(parents=True)
        note = folder / WHY
        self._step("wrote", path=note, before=note.read_text("utf-8") if note.exists() else None)
        note.write_text(why + "\n", encoding="utf-8")
        for path in (
            self.archive.original(document.file),
            self.archive.record_path(document.file),
            *self.archive.companions(document.file),
        ):
            if path.exists():
                kept = folder / path.name
                self._step("moved", **{"from": path, "to": kept})
                path.replace(kept)

    def undo(self) -> None:
        while self._steps:
            with suppress(OSError):  # undo all that can be undone, whatever failed before
                undo_step(self.archive.root, self._steps.pop())

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
import unicodedata
from collections.abc import Callable, Container, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from isecg_archive.enrich.vocab import ARCHIVE_VOCABULARY
from isecg_archive.errors import ArchiveError
from isecg_archive.history import Entry, History, change
from isecg_archive.records import Document
from isecg_archive.staging import staged

RECORD_SUFFIX = ".meta.json"
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
        self.command = ""  # what is changing it, for the history: "isecg-archive edit ..."

    def original(self, file: str) -> Path:
        return self.root / file

    def record_path(self, file: str) -> Path:
        return self.root / (file + RECORD_SUFFIX)

    def read(self, file: str) -> Document:
        path = self.record_path(file)
        try:
            return Document.from_dict(json.loads(path.read_text("utf-8")))
        except (OSError, ValueError, TypeError, ArchiveError) as exc:
            raise ArchiveError(
                f"the record {path} cannot be read ({exc}); fix or restore it from a backup"
            ) from exc

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
            if not relative.endswith(RECORD_SUFFIX):
                yield relative

    def records(self) -> Iterator[Document]:
        for file in self.record_files():
            yield self.read(file)

    @contextmanager
    def transaction(self, action: str = "update") -> Iterator[Transaction]:
        """Changes made together, written to the history when the block succeeds and undone
        when it fails. `action` names a rewrite's cause in the history ("edit", "import")."""
        transaction = Transaction(self, action)
        try:
            yield transaction
            self.history.append(transaction.entries)
        except BaseException:
            transaction.undo()
            raise


class Transaction:
    """Changes to the archive that are undone, newest first, if the block fails."""

    def __init__(self, archive: Archive, action: str = "update") -> None:
        self.archive = archive
        self.action = action
        self.entries: list[Entry] = []  # for the history, once the transaction succeeds
        self._undo: list[Callable[[], object]] = []
        self._stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")

    def _log(self, action: str, old: Document | None, new: Document | None) -> None:
        entry = change(action, old, new, self.archive.command)
        if entry is not None:
            self.entries.append(entry)

    def add(self, source: Path, document: Document) -> None:
        """Copy the original's bytes unchanged and write its record, moving any old one aside."""
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
            self._undo.append(lambda: target.unlink(missing_ok=True))
        self._undo.append(lambda: self.archive.record_path(document.file).unlink(missing_ok=True))
        self.archive.write_record(document)
        self._log("new version" if old else "ingest", old, document)

    def rewrite(self, document: Document) -> None:
        """Replace the record of a document already in the archive."""
        old = self.archive.read(document.file)
        self._undo.append(partial(self.archive.write_record, old))
        self.archive.write_record(document)
        self._log(self.action, old, document)

    def remove(self, document: Document) -> None:
        self._to_trash(document, "removed")
        self._log("remove", document, None)

    def restore(self, trashed: Trashed, file: str) -> Document:
        """Put a trashed document back, at `file` (its own place, or a free one beside it)."""
        # Its versions are found again once it is back (Collection.restore links them).
        document = replace(trashed.document, file=file, versions=())
        target, record = self.archive.original(file), self.archive.record_path(file)
        target.parent.mkdir(parents=True, exist_ok=True)
        if trashed.original.exists():
            trashed.original.replace(target)
            self._undo.append(partial(target.replace, trashed.original))
        self._undo.append(lambda: record.unlink(missing_ok=True))
        self.archive.write_record(document)
        self._undo.append(partial(_write_atomically, trashed.record, trashed.record.read_bytes()))
        trashed.record.unlink()
        self._log("restore", None, document)
        return document

    def _to_trash(self, document: Document, why: str) -> None:
        folder = self.archive.root / TRASH / f"{self._stamp}-{document.id}"
        folder.mkdir(parents=True, exist_ok=True)
        note = folder / WHY
        note.write_text(why + "\n", encoding="utf-8")
        self._undo.append(partial(note.unlink, missing_ok=True))
        for path in (self.archive.original(document.file), self.archive.record_path(document.file)):
            if path.exists():
                kept = folder / path.name
                path.replace(kept)
                self._undo.append(partial(kept.replace, path))

    def undo(self) -> None:
        while self._undo:
            with suppress(OSError):  # undo all that can be undone, whatever failed before
                self._undo.pop()()

"""Consistency: every original present with its recorded hash, every record indexed, no orphans;
and the repair of what an interrupted command left."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from isecg_archive.collection import Collection
from isecg_archive.errors import ArchiveError, IndexDamaged
from isecg_archive.storage.archive import file_hash
from isecg_archive.storage.staging import is_partial


@dataclass(frozen=True)
class Problem:
    subject: str  # an archive path, an id, or "index"
    message: str  # what is wrong and what to do
    reindex: bool = False  # rebuilding the index mends it (what `check --repair` does)

    def to_dict(self) -> dict[str, str]:
        return {"subject": self.subject, "message": self.message}


ADVICE = {
    "password": "needs a password to be searchable: ingest it again with --password",
    "ocr": "scanned, with no text: install tesseract-ocr and ingest it again to OCR it",
    "repair": "no PDF reader could open it, so only its file name is searchable: repair it or"
    " export it again, and ingest that",
    "certificate": "encrypted for the holders of certificates: open it with one, save a copy"
    " without security, and ingest that",
    "transcript": "a recording with no captions, found by its metadata alone: it needs a"
    " transcript (captions) to be searched by what is said",
}
ODF_PASSWORD = (
    "needs a password, which OpenDocument files keep here: save it without one (or as PDF)"
    " in LibreOffice, and ingest that"
)


def needing_attention(collection: Collection) -> Iterator[Problem]:
    """Documents archived whole whose text could not be read, all or part: not a fault, a to-do."""
    for document in collection.archive.records():
        for need in document.needs:
            if need == "password" and document.format in ("odt", "odp"):
                yield Problem(document.file, ODF_PASSWORD)
            else:
                yield Problem(document.file, ADVICE.get(need, f"needs {need}"))
        if document.unread_pages:
            pages = ", ".join(str(n) for n in document.unread_pages)
            plural = "s" if len(document.unread_pages) > 1 else ""
            yield Problem(
                document.file,
                f"page{plural} {pages} could not be read, the rest is searchable: repair the"
                " file or export it again, and ingest that",
            )


def check(collection: Collection, verify_hashes: bool = True) -> Iterator[Problem]:
    archive = collection.archive
    for problem in archive.history.problems():
        yield Problem(
            "history",
            f"{problem}: the line is kept as it is and skipped when the history is read; fix"
            " it by hand or take it out",
        )
    unfinished = archive.unfinished()
    if unfinished and not collection.lock.busy():
        yield Problem(
            "archive",
            f"an unfinished {unfinished} was stopped half-way; `check --repair` undoes it (or"
            " finishes it, if it had got as far as writing its history)",
        )
    unclean = archive.history.clean(write=False)
    if unclean:
        yield Problem(
            "history",
            f"{_lines(unclean)} of the history {'keep' if unclean > 1 else 'keeps'} a password or"
            " a path of this machine (written by an older version); `check --repair` takes"
            " them out",
        )
    records = {}
    for file in archive.record_files():
        try:
            records[file] = archive.read(file)
        except ArchiveError as exc:
            yield Problem(file, str(exc))
    by_id: dict[str, str] = {}
    for file, document in records.items():
        original = archive.original(file)
        if document.id in by_id:
            yield Problem(file, f"same content as {by_id[document.id]}; remove one of the two")
        by_id[document.id] = file
        if not original.exists():
            yield Problem(file, "the original is missing; restore it or `isecg-archive remove` it")
        elif verify_hashes and file_hash(original) != document.sha256:
            yield Problem(
                file,
                "the original's bytes differ from its recorded hash; restore it, or ingest the"
                " new version",
            )
    for file in archive.original_files():
        if file not in records:
            yield Problem(file, "an original with no record; ingest it, or move it out")
    for slug in archive.event_slugs():
        try:
            archive.read_event(slug)
        except ArchiveError as exc:
            yield Problem(archive.event_path(slug).relative_to(archive.root).as_posix(), str(exc))
    if not collection.index.is_current():
        yield Problem(
            "index", "the index is missing or outdated; run `isecg-archive reindex`", True
        )
        return
    try:
        indexed = {document.id: document for document in collection.indexed()}
    except IndexDamaged as exc:
        yield Problem("index", str(exc), True)
        return
    for file, document in records.items():
        seen = indexed.get(document.id)
        if seen is None:
            yield Problem(file, "not in the index; run `isecg-archive reindex`", True)
        elif seen != document:
            yield Problem(
                file, "the index holds an older record; run `isecg-archive reindex`", True
            )
    for document_id, document in indexed.items():
        if document_id not in by_id:
            yield Problem(
                document.file,
                "in the index but not in the archive; run `isecg-archive reindex`",
                True,
            )


def stray_files(collection: Collection) -> Iterator[Path]:
    """Files a write that never finished left: `.NAME.PID.partial` in the archive and in the
    index folder (the text cache, the read-once files), and the index's own `*.tmp`."""
    for root in (collection.archive.root, collection.index.path.parent):
        for directory, folders, names in os.walk(root):
            for name in names:
                if is_partial(name):
                    yield Path(directory) / name
            if root != collection.archive.root:
                yield from (Path(directory) / name for name in names if name.endswith(".tmp"))
                yield from (Path(directory) / name for name in folders if name.endswith(".tmp"))
                folders[:] = [name for name in folders if not name.endswith(".tmp")]


def leftovers(collection: Collection) -> Iterator[Problem]:
    """What interrupted commands left: stray files, index generations no search reads."""
    for path in stray_files(collection):
        yield Problem(str(path), "left by a write that never finished; `check --repair` removes it")
    for folder in collection.index.leftovers():
        yield Problem(
            str(folder),
            "an index no search reads (a rebuild was stopped); `check --repair` removes it",
        )


def _lines(count: int) -> str:
    return f"{count} line{'s' if count > 1 else ''}"


def repair(collection: Collection) -> list[str]:
    """Finish or undo what an interrupted command left, and say what was done: remove stray
    files and index generations no search reads, and rebuild the index when it is missing,
    outdated, or does not hold the archive's records as they are."""
    done = []
    with collection.writing():
        finished = collection.archive.recover()  # first: what follows reads the records
        if finished:
            done.append(finished)
        for path in list(stray_files(collection)):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            done.append(f"removed {path}, left by a write that never finished")
        for folder in collection.index.leftovers():
            shutil.rmtree(folder, ignore_errors=True)
            done.append(f"removed {folder}, an index no search reads")
        dated = collection.archive.date_undated()
        if dated:
            done.append(
                f"wrote down when {_lines(dated).replace('line', 'record')} last changed,"
                " from the history or the file's time"
            )
        cleaned = collection.archive.history.clean()
        if cleaned:
            done.append(f"took passwords and local paths out of {_lines(cleaned)} of the history")
        # An ingest killed between copying an original and writing its record: undone.
        archive = collection.archive
        recorded = set(archive.record_files())
        for file in [file for file in archive.original_files() if file not in recorded]:
            kept = archive.set_aside(file)
            done.append(
                f"moved {file}, an original with no record, to {kept.relative_to(archive.root)};"
                " ingest its source again"
            )
        unindexed = [p for p in check(collection, verify_hashes=False) if p.reindex]
        if unindexed:
            report = collection.reindex()
            mended = f"{len(unindexed)} problem" + ("s" if len(unindexed) > 1 else "")
            done.append(
                f"reindexed {report.documents} documents, which mended {mended} with the index"
            )
    return done

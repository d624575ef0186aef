"""Ingest: files in; originals, records and index entries out, a batch at a time.

Every few seconds the batch so far is committed: the index writer commits and the archive keeps
its files. If anything unexpected interrupts a batch, the index write is cancelled and the
archive transaction undone, so archive and index always agree and running the same ingest
again finishes the job.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from isecg_archive.archive import RECORD_SUFFIX, Transaction, archive_path, file_hash
from isecg_archive.collection import Collection
from isecg_archive.enrich import Overrides, describe
from isecg_archive.errors import ArchiveError
from isecg_archive.extract import DEFAULT_MAX_BYTES, extract, extractor_id
from isecg_archive.index import add_document, remove_document
from isecg_archive.records import Document

COMMIT_EVERY_SECONDS = 2.0
COMMIT_EVERY_DOCUMENTS = 200
STATUSES = ("added", "updated", "unchanged", "failed")


@dataclass(frozen=True)
class Outcome:
    """What became of one input file."""

    path: str
    status: str  # one of STATUSES
    document_id: str | None = None
    file: str | None = None  # where it is in the archive
    pages: int = 0
    message: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "status": self.status,
            "id": self.document_id,
            "file": self.file,
            "pages": self.pages,
            "message": self.message,
        }


@dataclass(frozen=True)
class IngestReport:
    outcomes: tuple[Outcome, ...]
    seconds: float

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def pages(self) -> int:
        return sum(o.pages for o in self.outcomes if o.status in ("added", "updated"))

    def to_dict(self) -> dict[str, object]:
        return {
            **{status: self.count(status) for status in STATUSES},
            "pages": self.pages,
            "seconds": round(self.seconds, 3),
            "files": [outcome.to_dict() for outcome in self.outcomes],
        }


def find_files(paths: Iterable[Path]) -> Iterator[tuple[Path, Path] | Outcome]:
    """Each file under the given paths, with the path it was found under; hidden files skipped."""
    for given in paths:
        if given.is_file():
            yield given, given
        elif given.is_dir():
            for directory, subdirs, names in os.walk(given):
                subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
                for name in sorted(names):
                    # Records are the archive's own files: ingesting an archive folder skips them.
                    if not name.startswith(".") and not name.endswith(RECORD_SUFFIX):
                        yield Path(directory) / name, given
        else:
            yield Outcome(str(given), "failed", message="no such file or folder; check the path")


class _Batch:
    """The state of one ingest run: what it has seen, so that nothing is added twice."""

    def __init__(
        self, collection: Collection, searcher: Searcher, overrides: Overrides, max_bytes: int
    ) -> None:
        self.collection = collection
        self.searcher = searcher  # the index as it was before this run
        self.overrides = overrides
        self.max_bytes = max_bytes
        self.by_hash: dict[str, str] = {}  # sha256 -> archive path, for this run's documents
        self.targets: dict[str, Path] = {}  # archive path -> source, for this run's documents

    def known_file(self, sha256: str) -> str | None:
        if sha256 in self.by_hash:
            return self.by_hash[sha256]
        fields = self.searcher.document(sha256=sha256)
        return fields["file"] if fields else None

    def commit_some(
        self,
        pending: Iterator[tuple[Path, Path] | Outcome],
        outcomes: list[Outcome],
        on_outcome: Callable[[Outcome], None] | None,
    ) -> bool:
        """Ingest files until a commit is due, then commit. True if files may remain."""
        started, written = time.monotonic(), 0
        with (
            self.collection.archive.transaction() as transaction,
            self.collection.index.writer() as writer,
        ):
            for item in pending:
                outcome = (
                    item
                    if isinstance(item, Outcome)
                    else self.ingest_one(*item, transaction, writer)
                )
                outcomes.append(outcome)
                if on_outcome:
                    on_outcome(outcome)
                written += outcome.status in ("added", "updated")
                due = time.monotonic() - started >= COMMIT_EVERY_SECONDS
                if written >= COMMIT_EVERY_DOCUMENTS or due:
                    return True
        return False

    def ingest_one(
        self, source: Path, given: Path, transaction: Transaction, writer: IndexWriter
    ) -> Outcome:
        archive = self.collection.archive
        try:
            sha256 = file_hash(source)
            target = archive_path(source, given)
            known = self.known_file(sha256)
            if known is not None:
                note = None if known == target else f"same content as {known}"
                return Outcome(str(source), "unchanged", sha256[:12], known, message=note)
            if target in self.targets:
                raise ArchiveError(
                    f"{self.targets[target]} in this batch also goes to {target}; rename one"
                    " of the two and ingest it again"
                )
            previous = archive.read(target) if archive.record_path(target).exists() else None
            extractor = extractor_id(source)
            extraction = self.collection.cache.get(sha256, extractor)
            if extraction is None:
                extraction = extract(source, self.max_bytes)
                self.collection.cache.put(sha256, extractor, extraction)
            person = self.overrides.as_mapping()
            if previous:  # a person's values outlive a new version of the file
                person = {**previous.person_values(), **person}
            metadata = describe(extraction, source.name, person, self.collection.vocabulary)
            document = Document(
                id=sha256[:12],
                title=metadata.title,
                file=target,
                original_name=source.name,
                format=extraction.format,
                sha256=sha256,
                size=source.stat().st_size,
                pages=len(extraction.pages),
                type=metadata.type,
                date=metadata.date,
                agencies=metadata.agencies,
                organisations=metadata.organisations,
                topics=metadata.topics,
                authors=metadata.authors,
                event=metadata.event,
                event_date=metadata.event_date,
                ingested=datetime.now(UTC).isoformat(timespec="seconds"),
                manual=metadata.manual,
                warnings=extraction.warnings,
            )
            transaction.add(source, document)
            if previous:
                remove_document(writer, previous.id)
            add_document(writer, document, extraction.pages)
        except ArchiveError as exc:
            return Outcome(str(source), "failed", message=str(exc))
        except OSError as exc:
            return Outcome(
                str(source),
                "failed",
                message=f"cannot read the file ({exc.strerror});"
                " check that it exists and that you may read it",
            )
        self.by_hash[sha256] = target
        self.targets[target] = source
        status = "updated" if previous else "added"
        warning = "; ".join(document.warnings) or None
        return Outcome(str(source), status, document.id, target, document.pages, warning)


def ingest(
    collection: Collection,
    paths: Iterable[Path],
    overrides: Overrides | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> IngestReport:
    """Ingest files and folders (recursively) into the collection."""
    started = time.monotonic()
    collection.archive.root.mkdir(parents=True, exist_ok=True)
    collection.ensure_index()
    outcomes: list[Outcome] = []
    pending = find_files(paths)
    with collection.index.searcher() as searcher:
        batch = _Batch(collection, searcher, overrides or Overrides(), max_bytes)
        while batch.commit_some(pending, outcomes, on_outcome):
            pass
    return IngestReport(tuple(outcomes), time.monotonic() - started)

"""Ingest: files in; originals, records and index entries out.

A run goes in three steps. Planning hashes every file and decides what it is: new, a new
version of an archived file, or bytes the archive already holds. Extraction reads the files
that need reading in parallel worker processes, each within a time and memory budget.
Committing then takes the files in their original order: every few seconds the index writer
commits and the archive keeps its files; if anything unexpected interrupts, the index write is
cancelled and the archive transaction undone, so archive and index always agree and running
the same ingest again finishes the job.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from isecg_archive.collection import Collection
from isecg_archive.enrich import EDITABLE, Metadata, Overrides, Vocabulary, describe
from isecg_archive.errors import ArchiveError, ExtractionError
from isecg_archive.extract import (
    DEFAULT_MAX_BYTES,
    Extraction,
    ExtractOptions,
    captions,
    extractor_for,
    extractor_id,
)
from isecg_archive.extract.pdf import ocr_available
from isecg_archive.extract.recording import EXTENSIONS as RECORDINGS
from isecg_archive.index import IndexedText, add_document, remove_document
from isecg_archive.maintenance.corrections import corrected, settle_boilerplate
from isecg_archive.pipeline.workers import DEFAULT_TIMEOUT, Task, read_ahead
from isecg_archive.storage.archive import (
    COMPANION_SUFFIXES,
    RECORD_SUFFIX,
    Transaction,
    archive_path,
    file_hash,
)
from isecg_archive.storage.records import Document
from isecg_archive.storage.staging import orphaned
from isecg_archive.storage.textcache import TextCache

COMMIT_EVERY_SECONDS = 10.0  # fewer, larger segments: Whoosh merges small ones at each commit
COMMIT_EVERY_DOCUMENTS = 200
# Pages of text the workers read ahead of the index writer: they go on while it commits.
READ_AHEAD_PAGES = 1000
STATUSES = ("added", "updated", "unchanged", "skipped", "failed")


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


@dataclass(frozen=True)
class IngestOptions:
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT
    jobs: int | None = None  # worker processes; all cores by default
    extract: ExtractOptions = ExtractOptions()
    replace: str | None = None  # the id of the document the (one) file is a new version of
    restore: bool = False  # bytes that were removed come back from the trash
    update_existing: bool = False  # the values given apply to bytes already archived too
    internal: bool = False  # the new documents are for the agencies only


def find_files(paths: Iterable[Path]) -> Iterator[tuple[Path, Path] | Outcome]:
    """Each file under the given paths, with the path it was found under; hidden files skipped.

    Folders as they come: a link to a file is followed (the file it points to is archived), a
    link to a folder is not; named pipes, sockets and devices are skipped (reading a pipe
    would wait forever); a folder that cannot be read is a failure.
    """
    for given in paths:
        if given.is_dir() and not given.is_symlink():
            yield from _folder(given)
        elif given.exists() or given.is_symlink():
            yield _file(given, given)
        else:
            yield Outcome(str(given), "failed", message="no such file or folder; check the path")


def _folder(folder: Path) -> Iterator[tuple[Path, Path] | Outcome]:
    unreadable: list[OSError] = []
    for directory, subdirs, names in os.walk(folder, onerror=unreadable.append):
        yield from map(_unreadable_folder, unreadable)
        unreadable.clear()
        here = Path(directory)
        for name in sorted(subdirs):
            if not name.startswith(".") and (here / name).is_symlink():
                yield Outcome(
                    str(here / name),
                    "skipped",
                    message="a link to a folder, not followed; ingest the folder it points to",
                )
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        # A recording's captions beside it (STEM.vtt) go with it, not as a document.
        recordings = {Path(n).stem for n in names if Path(n).suffix.lower() in RECORDINGS}
        for name in sorted(names):
            # Records and companions are the archive's own files: ingesting an archive folder
            # skips them.
            if name.startswith(".") or name.endswith((RECORD_SUFFIX, *COMPANION_SUFFIXES)):
                continue
            if Path(name).suffix.lower() in captions.SUFFIXES and Path(name).stem in recordings:
                continue
            yield _file(here / name, folder)
    yield from map(_unreadable_folder, unreadable)


def _unreadable_folder(error: OSError) -> Outcome:
    return Outcome(
        str(error.filename),
        "failed",
        message=f"cannot read the folder ({error.strerror}); check that you may read it",
    )


_SPECIAL = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def _file(path: Path, given: Path) -> tuple[Path, Path] | Outcome:
    try:
        mode = path.stat().st_mode  # through a link, the file it points to
    except OSError as exc:
        if path.is_symlink():
            return Outcome(
                str(path), "failed", message="a link to nothing; fix the link or remove it"
            )
        return Outcome(
            str(path),
            "failed",
            message=f"cannot read the file ({exc.strerror}); check that you may read it",
        )
    if stat.S_ISREG(mode):
        return path, given
    kind = _SPECIAL.get(stat.S_IFMT(mode), "not a regular file")
    return Outcome(str(path), "skipped", message=f"{kind}, not a file; only files are archived")


@dataclass(frozen=True)
class _Plan:
    """A file to add: where it goes, what it replaces, and its text if already cached."""

    source: Path
    sha256: str
    target: str
    previous: Document | None
    cached: Extraction | None


@dataclass(frozen=True)
class _Read:
    """A file's text, with its metadata and what the index makes of it."""

    extraction: Extraction
    metadata: Metadata
    indexed: IndexedText


def _pages(read: _Read | ExtractionError) -> int:
    return len(read.extraction.pages) if isinstance(read, _Read) else 1


def _read(
    file_name: str,
    person: Mapping[str, Any],
    vocabulary: Vocabulary,
    cache: tuple[TextCache, str, str] | None,
    extraction: Extraction,
) -> _Read:
    """Detect the metadata and work out the index terms of a file's text; cache the text.

    Run in the extraction worker, beside the reading, so that this work is done on every core
    while the main process writes the index. cache: where to keep the text (cache, sha256,
    extractor), if it is not kept yet.
    """
    if cache is not None:
        text_cache, sha256, extractor = cache
        text_cache.put(sha256, extractor, extraction)
    metadata = describe(extraction, file_name, person, vocabulary)
    return _Read(extraction, metadata, IndexedText.of(extraction.pages, extraction.format))


@dataclass(frozen=True)
class _Retag:
    """Bytes the archive holds, given values of a person's: the record is corrected."""

    source: Path
    known: Document
    values: dict[str, Any]


@dataclass(frozen=True)
class _Restore:
    """Bytes that were removed, ingested with --restore: the document comes back."""

    source: Path
    document_id: str


@dataclass(frozen=True)
class _Repeat:
    """A file with the same bytes as one met earlier in this run: it shares that file's fate."""

    source: Path
    first: _Plan


class _Planner:
    """Decides what each file is, so that nothing is added twice in one run."""

    def __init__(
        self,
        collection: Collection,
        searcher: Searcher,
        options: IngestOptions,
        given: dict[str, Any],
    ):
        self.collection = collection
        self.searcher = searcher  # the index as it was before this run
        self.options = options
        self.given = given  # the values a person gave for the batch
        self.by_hash: dict[str, _Plan] = {}  # sha256 -> the first file of this run with it
        self.targets: dict[str, Path] = {}  # archive path -> source, for this run's files
        self.renamed: dict[str, str] = {}  # archive path given -> the free one it went to
        # Bytes that were removed (not replaced): they come back only when asked.
        self.removed = {
            t.document.sha256: t for t in collection.archive.trash() if t.why == "removed"
        }
        self.replacing = collection.find(options.replace) if options.replace else None

    def _known(self, sha256: str) -> Document | None:
        fields = self.searcher.document(sha256=sha256)
        if not fields:
            return None
        if not self.collection.archive.record_path(fields["file"]).exists():
            # The index is derived from the archive: one that knows a document the archive
            # does not hold is another archive's, or older than what was done to this one.
            raise ArchiveError(
                f"the index lists these bytes as {fields['file']}, which the archive does not"
                " hold: the index is out of date; run `isecg-archive reindex`, then ingest again"
            )
        return Document.from_dict(fields["record"])

    def _can_do_better(self, document: Document | Extraction) -> bool:
        """Whether a document kept without text can be read now (a password, Tesseract)."""
        return ("password" in document.needs and bool(self.options.extract.password)) or (
            "ocr" in document.needs and self.options.extract.ocr and ocr_available()
        )

    def plan(
        self, item: tuple[Path, Path] | Outcome
    ) -> _Plan | _Repeat | _Retag | _Restore | Outcome:
        if isinstance(item, Outcome):
            return item
        source, given = item
        try:
            extractor_for(source)
            sha256 = file_hash(source)
            target = archive_path(source, given)
            if sha256 in self.by_hash:
                return _Repeat(source, self.by_hash[sha256])
            known = self._known(sha256)
            previous = None
            if known is not None and self._can_do_better(known):
                previous, target = known, known.file
            elif known is not None and self.given and self.options.update_existing:
                return _Retag(source, known, self.given)
            elif known is not None:
                note = None if known.file == target else f"same content as {known.file}"
                if self.given:  # a librarian's values for a new document, never a silent edit
                    note = (
                        f"already archived as {known.file}, whose record keeps its values;"
                        " --update-existing applies the values given to it"
                    )
                return Outcome(str(source), "unchanged", sha256[:12], known.file, message=note)
            elif sha256 in self.removed:
                trashed = self.removed[sha256]
                if self.options.restore:
                    return _Restore(source, trashed.document.id)
                return Outcome(
                    str(source),
                    "skipped",
                    sha256[:12],
                    message=f"removed on {trashed.when:%Y-%m-%d}; `isecg-archive restore"
                    f" {trashed.document.id}` brings it back (or ingest it with --restore)",
                )
            elif self.replacing is not None:
                previous, target = self.replacing, self.replacing.file
            elif target in self.targets:
                raise ArchiveError(
                    f"{self.targets[target]} in this batch also goes to {target}; rename one"
                    " of the two and ingest it again"
                )
            archive = self.collection.archive
            if previous is None and archive.record_path(target).exists():
                # A different file under a name the archive holds: a new document beside it,
                # unless --replace says it is a new version.
                free = archive.free_name(target, self.targets)
                self.renamed[free] = target
                target = free
            cached = None
            if previous is None or previous.sha256 != sha256:
                extractor = extractor_id(source, self.options.extract)
                cached = self.collection.cache.get(sha256, extractor)
                if cached is not None and self._can_do_better(cached):
                    cached = None  # its text was kept without what this run has
        except ArchiveError as exc:
            return Outcome(str(source), "failed", message=str(exc))
        except OSError as exc:
            return Outcome(
                str(source),
                "failed",
                message=f"cannot read the file ({exc.strerror}); check that it exists and that"
                " you may read it",
            )
        plan = _Plan(source, sha256, target, previous, cached)
        self.by_hash[sha256] = plan
        self.targets[target] = source
        return plan


def _person(plan: _Plan, given: dict[str, Any]) -> dict[str, Any]:
    """The values a person set: the batch's, over those of the version it replaces."""
    # A person's values outlive a new version of the file.
    return {**plan.previous.person_values(), **given} if plan.previous else given


def _document(plan: _Plan, read: _Read) -> Document:
    extraction, metadata = read.extraction, read.metadata
    return Document(
        id=plan.sha256[:12],
        title=metadata.title,
        file=plan.target,
        original_name=plan.source.name,
        sha256=plan.sha256,
        size=plan.source.stat().st_size,
        type=metadata.type,
        date=metadata.date,
        agencies=metadata.agencies,
        organisations=metadata.organisations,
        topics=metadata.topics,
        authors=metadata.authors,
        event=metadata.event,
        event_date=metadata.event_date,
        event_place=metadata.event_place,
        ingested=datetime.now(UTC).isoformat(timespec="seconds"),
        manual=metadata.manual,
        **extraction.record_fields(),
    )


def ingest(
    collection: Collection,
    paths: Iterable[Path],
    overrides: Overrides | None = None,
    options: IngestOptions | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> IngestReport:
    """Ingest files and folders (recursively) into the collection.

    on_outcome is told each file's outcome as it comes; on_stage what the ingest does after
    the last one (linking versions, finishing the index's merges), which can take a while."""
    told = on_stage or (lambda _: None)
    with collection.writing():
        try:
            collection.archive.root.mkdir(parents=True, exist_ok=True)
            collection.ensure_index()
            waiting = partial(told, "finishing the index's merges")
            with collection.index.merging_in_background(waiting):
                return _ingest(collection, paths, overrides, options, on_outcome, told)
        except BaseException:
            # A worker stopped in the middle of keeping a text leaves its partial file.
            for leftover in orphaned(collection.cache.root):
                leftover.unlink(missing_ok=True)
            raise


def _ingest(
    collection: Collection,
    paths: Iterable[Path],
    overrides: Overrides | None,
    options: IngestOptions | None,
    on_outcome: Callable[[Outcome], None] | None,
    on_stage: Callable[[str], None],
) -> IngestReport:
    started = time.monotonic()
    options = options or IngestOptions()
    given = (overrides or Overrides()).as_mapping()
    outcomes: list[Outcome] = []
    with collection.index.searcher() as searcher:
        planner = _Planner(collection, searcher, options, given)
        plans = [planner.plan(item) for item in find_files(paths)]
        vocabulary = collection.vocabulary
        tasks = [
            Task(
                plan.source,
                options.max_bytes,
                options.extract,
                then=partial(
                    _read,
                    plan.source.name,
                    _person(plan, given),
                    vocabulary,
                    (collection.cache, plan.sha256, extractor_id(plan.source, options.extract)),
                ),
            )
            for plan in plans
            if isinstance(plan, _Plan) and plan.cached is None
        ]
        extracted = read_ahead(tasks, options.jobs, options.timeout, READ_AHEAD_PAGES, _pages)
        ready = _with_text(plans, extracted, given, vocabulary)
        replaced: list[Document] = []
        lines: set[str] = set()  # the index terms of the new captures' short lines
        # Closed on the way out, so that its workers are stopped before anything is tidied.
        with closing(extracted):
            while _commit_some(collection, ready, outcomes, on_outcome, replaced, lines, options):
                pass
    for plan in plans:  # removed bytes, given again with --restore
        if isinstance(plan, _Restore):
            document = collection.restore(plan.document_id)
            outcome = Outcome(
                str(plan.source), "added", document.id, document.file, document.pages,
                "restored from the trash",
            )  # fmt: skip
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
    # Versions are linked once the new documents are committed and searchable.
    on_stage("linking versions")
    collection.unlink_versions(replaced)
    new = [o.document_id for o in outcomes if o.status in ("added", "updated") and o.document_id]
    linked = {d.id: d for d in collection.link_versions(new)}
    outcomes = [_told(o, planner.renamed, linked, collection) for o in outcomes]
    # A site's captures share lines that none of them could tell from its own text.
    settle_boilerplate(collection, lines)
    return IngestReport(tuple(outcomes), time.monotonic() - started)


def _told(
    outcome: Outcome, renamed: dict[str, str], linked: dict[str, Document], collection: Collection
) -> Outcome:
    """An outcome that went to another name than its own, with why and what to do."""
    if outcome.file not in renamed or outcome.status != "added" or not outcome.document_id:
        return outcome
    taken = renamed[outcome.file]
    try:
        holder = collection.archive.read(taken)
    except ArchiveError:
        return outcome
    versions = linked[outcome.document_id].versions if outcome.document_id in linked else ()
    alike = "its text is nearly that of" if holder.id in versions else "the archive holds"
    note = (
        f"added as {outcome.file}: {alike} {taken} ({holder.id}); ingest it with --replace"
        f" {holder.id} to make it a new version of that document instead"
    )
    return replace(outcome, message=note)


def _with_text(
    plans: list[_Plan | _Repeat | _Retag | _Restore | Outcome],
    extracted: Iterator[_Read | ExtractionError],
    given: dict[str, Any],
    vocabulary: Vocabulary,
) -> Iterator[Outcome | _Retag | tuple[_Plan, _Read]]:
    """The plans in order, each with its text (cached, or just read in a worker)."""
    failed: dict[Path, str] = {}
    for plan in plans:
        if isinstance(plan, Outcome | _Retag):
            yield plan
            continue
        if isinstance(plan, _Restore):
            continue  # after the batch is committed
        if isinstance(plan, _Repeat):
            first = plan.first
            if first.source in failed:
                why = f"same bytes as {first.source.name}, which failed: {failed[first.source]}"
                yield Outcome(str(plan.source), "failed", message=why)
            else:
                note = f"same content as {first.target}"
                yield Outcome(
                    str(plan.source), "unchanged", first.sha256[:12], first.target, 0, note
                )
            continue
        read: _Read | ExtractionError
        if plan.cached is not None:
            read = _read(plan.source.name, _person(plan, given), vocabulary, None, plan.cached)
        else:
            read = next(extracted)
        if isinstance(read, ExtractionError):
            failed[plan.source] = str(read)
            yield Outcome(str(plan.source), "failed", message=str(read))
            continue
        yield plan, read


def _retag(
    collection: Collection, transaction: Transaction, writer: IndexWriter, retag: _Retag
) -> Outcome:
    """A person's values for bytes the archive holds: applied to its record, never dropped."""
    old, source = retag.known, str(retag.source)
    new = corrected(collection, old, retag.values)
    fields = [name for name in EDITABLE if getattr(old, name) != getattr(new, name)]
    if not fields:
        return Outcome(source, "unchanged", old.id, old.file, message="it already reads so")
    new = transaction.rewrite(new)
    pages = collection.extraction(new).pages
    add_document(writer, new, pages)
    return Outcome(source, "updated", new.id, new.file, 0, f"updated: {', '.join(fields)}")


def _companion(source: Path, given: Path | None) -> Path | None:
    """What is archived beside a file: a recording's captions (given, or beside it)."""
    return captions.find(source, given) if source.suffix.lower() in RECORDINGS else None


def _commit_some(
    collection: Collection,
    ready: Iterator[Outcome | _Retag | tuple[_Plan, _Read]],
    outcomes: list[Outcome],
    on_outcome: Callable[[Outcome], None] | None,
    replaced: list[Document],
    lines: set[str],
    options: IngestOptions,
) -> bool:
    """Add files until a commit is due, then commit. True if files may remain.

    replaced: the documents the new ones replace; lines: the new captures' line terms.
    """
    started, written = time.monotonic(), 0
    spelled: set[str] = set()
    with (
        collection.archive.transaction("ingest") as transaction,
        collection.index.writer() as writer,
    ):
        for item in ready:
            if isinstance(item, Outcome):
                outcome = item
            elif isinstance(item, _Retag):
                outcome = _retag(collection, transaction, writer, item)
            else:
                plan, read = item
                previous = plan.previous
                document = _document(plan, read)
                if options.internal or (previous and previous.internal):
                    document = replace(document, internal=True)  # a new version stays so
                if previous and previous.sha256 == plan.sha256:
                    # The same bytes, now readable: same record, same links to its versions.
                    document = replace(
                        document, ingested=previous.ingested, versions=previous.versions
                    )
                    document = transaction.rewrite(document)
                else:
                    document = transaction.add(
                        plan.source, document, _companion(plan.source, options.extract.captions)
                    )
                    if previous:
                        replaced.append(previous)  # its versions forget it after the commit
                if previous:
                    remove_document(writer, previous.id)
                pages = read.extraction.pages
                add_document(
                    writer,
                    document,
                    pages,
                    new=True,
                    spelled=spelled,
                    indexed=read.indexed,
                )
                lines.update(read.indexed.lines)
                status = "updated" if previous else "added"
                note = "; ".join(document.warnings) or None
                outcome = Outcome(
                    str(plan.source), status, document.id, plan.target, document.pages, note
                )
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
            written += outcome.status in ("added", "updated")
            due = time.monotonic() - started >= COMMIT_EVERY_SECONDS
            if written >= COMMIT_EVERY_DOCUMENTS or due:
                return True
    return False

"""A collection: an archive folder and the index derived from it, used together.

This is the core API that the CLI and the web viewer call.
"""

from __future__ import annotations

import functools
import os
import pickle
import shutil
import struct
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from whoosh.searching import Searcher

from isecg_archive.engine.lanes import Lane
from isecg_archive.engine.patterns import check_budget, walks_lexicon
from isecg_archive.engine.query import has_patterns, parse_query
from isecg_archive.engine.readers import column, column_values, live_docnums, members, value_bits
from isecg_archive.engine.spelling import prepare
from isecg_archive.enrich import Vocabulary, load_vocabulary
from isecg_archive.enrich.glossary import Glossary, load_glossary
from isecg_archive.enrich.versions import (
    CANDIDATE_HASHES,
    SIMILAR,
    similarity,
    sketch_terms,
    sketch_values,
)
from isecg_archive.errors import (
    ArchiveError,
    DocumentNotFound,
    ExtractionError,
    IndexDamaged,
    QuerySyntaxError,
)
from isecg_archive.events import Event, gather, split_term
from isecg_archive.extract import Extraction, extract, extractor_id
from isecg_archive.index import SearchIndex, add_document, build_schema, remove_document
from isecg_archive.search import (
    ResultPage,
    SearchRequest,
    changed_documents,
    internal_bits,
    matching_values,
    more_like,
    page_matches,
    search,
)
from isecg_archive.storage.archive import RECORD_SUFFIX, Archive, Trashed
from isecg_archive.storage.history import Entry
from isecg_archive.storage.locking import writer_lock
from isecg_archive.storage.records import Document, EventRecord
from isecg_archive.storage.textcache import TextCache

# What reading a damaged index raises: a file missing, or cut short where a record was expected.
DAMAGE = (OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError)
ARCHIVE_ENV = "ISECG_ARCHIVE"
INDEX_ENV = "ISECG_INDEX"
# Queries whose patterns walk the lexicon a server takes at once: one runs, the others wait.
MAX_COSTLY_IN_FLIGHT = 4
# From this many documents on, a reindex feeds Whoosh's writer in several processes: below it,
# starting them costs more than it saves.
PARALLEL_INDEXING_FROM = 100
MIN_ID_PREFIX = 6  # characters of an id that name a document (ids are 12 or more)


def default_index_dir(archive_dir: Path) -> Path:
    """The index lives beside its archive: 'index' next to 'archive', 'NAME-index' next to NAME."""
    archive_dir = archive_dir.resolve()
    name = "index" if archive_dir.name == "archive" else f"{archive_dir.name}-index"
    return archive_dir.with_name(name)


@dataclass(frozen=True)
class ReindexReport:
    documents: int
    pages: int
    extracted: int  # documents whose text was not cached and had to be parsed again
    failures: tuple[str, ...]


# The index's schema, to read a query before a searcher is taken.
_schema = functools.cache(build_schema)


class Collection:
    def __init__(
        self,
        archive_dir: Path,
        index_dir: Path | None = None,
        keep_searchers: bool = False,
        show_internal: bool = True,
    ) -> None:
        """keep_searchers: reuse one searcher until the index changes (for a server).
        show_internal: whether documents and events for the agencies only are there at all:
        the command line sees everything; the viewer only when started so (`serve
        --show-internal`). Every read below leaves them out otherwise."""
        index_dir = index_dir or default_index_dir(archive_dir)
        self._keep = keep_searchers
        self.show_internal = show_internal
        self.archive = Archive(archive_dir)
        self.index = SearchIndex(index_dir / "whoosh")
        # For a server (keep_searchers): plain searches, and those whose patterns walk the
        # lexicon, each take their own searcher in turn (engine/lanes.py).
        self._plain = Lane(self.index.open_searcher, self.index.identity, None, self._spelling)
        self._costly = Lane(self.index.open_searcher, self.index.identity, MAX_COSTLY_IN_FLIGHT)
        self.cache = TextCache(index_dir / "text")
        self.lock = writer_lock(index_dir)
        self.wait: float | None = None  # seconds to wait for another writer; None: no limit
        self.on_wait: Callable[[str], None] | None = None  # told when it has to wait
        self.writer = "isecg-archive"  # what the lock tells other writers this process is

    def writing(self) -> AbstractContextManager[None]:
        """Hold the one writer's lock (locking.py) for the block: every change takes it."""
        return self.lock.hold(self.wait, self.on_wait, self.writer)

    @property
    def vocabulary(self) -> Vocabulary:
        """The packaged vocabulary with the archive's own additions (re-read when they change)."""
        return load_vocabulary(self.archive.root)

    @property
    def glossary(self) -> Glossary:
        """Acronyms and spellings that find each other, with the archive's own additions."""
        return load_glossary(self.archive.root)

    # Text -------------------------------------------------------------------------------

    def extraction(self, document: Document, use_cache: bool = True) -> Extraction:
        """The document's text, from the cache when it holds this version, else parsed again."""
        return self._text(document, use_cache)[0]

    def _text(self, document: Document, use_cache: bool) -> tuple[Extraction, bool]:
        """The text, and whether the original had to be parsed for it."""
        original = self.archive.original(document.file)
        extractor = extractor_id(original)
        cached = self.cache.get(document.sha256, extractor) if use_cache else None
        if cached is not None:
            return cached, False
        if not original.exists():
            raise ExtractionError(
                f"the original {document.file} is missing and its text is not cached;"
                " restore the file from a backup"
            )
        extraction = extract(original, max_bytes=max(document.size, 1))
        self.cache.put(document.sha256, extractor, extraction)
        return extraction, True

    # Index ------------------------------------------------------------------------------

    def ensure_index(self, progress: Callable[[Document], None] | None = None) -> bool:
        """Build the index when it is missing or of another schema version. True if built."""
        if self.index.is_current():
            return False
        with self.writing():
            if self.index.is_current():  # another process built it while this one waited
                return False
            self.reindex(progress=progress)
        return True

    def reindex(
        self, use_cache: bool = True, progress: Callable[[Document], None] | None = None
    ) -> ReindexReport:
        """Rebuild the index from the archive alone and swap it in; on failure the old one stays."""
        with self.writing():
            return self._reindex(use_cache, progress)

    def _reindex(
        self, use_cache: bool, progress: Callable[[Document], None] | None
    ) -> ReindexReport:
        fresh = self.index.next_generation()
        documents = pages = extracted = 0
        failures = []
        files = list(self.archive.record_files())
        procs = min(os.cpu_count() or 1, 4) if len(files) >= PARALLEL_INDEXING_FROM else 1
        spelled: set[str] = set()
        try:
            with fresh.writer(procs) as writer:
                for file in files:
                    try:
                        document = self.archive.read(file)
                        text, parsed = self._text(document, use_cache)
                    except ArchiveError as exc:
                        failures.append(f"{file}: {exc}")
                        continue
                    add_document(
                        writer,
                        document,
                        text.pages,
                        new=True,
                        spelled=spelled,
                    )
                    documents += 1
                    pages += len(text.pages)
                    extracted += parsed
                    if progress:
                        progress(document)
        except BaseException:  # the index in force stays; nothing half-built is left beside it
            shutil.rmtree(fresh.path, ignore_errors=True)
            raise
        self.index.replace_with(fresh)
        return ReindexReport(documents, pages, extracted, tuple(failures))

    def indexed(self) -> Iterator[Document]:
        """Every document the index holds, as recorded when it was indexed."""
        with self._reading() as searcher:
            for fields in searcher.all_stored_fields():
                yield Document.from_dict(fields["record"])

    # Queries ----------------------------------------------------------------------------

    @contextmanager
    def _reading(self, query: str = "") -> Iterator[Searcher]:
        """A searcher for reading: opened and closed, or a lane's (keep_searchers), the costly
        lane's for a query whose patterns walk the lexicon. Such a query is checked against
        the budget first, so that one that would be refused is not made to wait its turn."""
        try:
            if not self._keep:
                with self.index.searcher() as searcher:
                    yield searcher
                return
            lane = self._plain
            if has_patterns(query):
                with suppress(QuerySyntaxError):  # searched for as its words (search.py)
                    parsed = parse_query(query, _schema(), self.glossary)
                    check_budget(parsed)
                    if walks_lexicon(parsed):
                        lane = self._costly
            with lane.searcher() as searcher:
                yield searcher
        except DAMAGE as exc:  # a segment file deleted, or cut short by a full disk or a crash
            raise IndexDamaged(
                f"the index in {self.index.path.resolve()} is damaged"
                f" ({type(exc).__name__}: {exc}); rebuild it from the archive with"
                " `isecg-archive reindex`"
            ) from None

    def _spelling(self) -> None:
        """Group did-you-mean's words into their file beside the index, in a searcher of its
        own, so that no request waits for it; a lane's searcher loads the file when a
        misspelling first needs it."""
        with suppress(Exception), self.index.searcher() as searcher:
            prepare(searcher.reader())

    def close(self) -> None:
        """Close the searchers kept for reuse, if any."""
        self._plain.close()
        self._costly.close()

    def _internal_ids(self) -> frozenset[str]:
        """The ids of the documents for the agencies only."""
        with self._reading() as searcher:
            reader = searcher.reader()
            bits = internal_bits(reader)
            ids = column_values(reader, "id") if bits else []
            return frozenset(ids[n] for n in members(bits))

    def _shown(self, documents: Iterable[Document]) -> Iterator[Document]:
        """The records as shown: unless internal material is, without the internal ones, and
        without the ids of internal versions in the others' `versions`."""
        if self.show_internal:
            yield from documents
            return
        hidden: frozenset[str] | None = None
        for document in documents:
            if document.internal:
                continue
            if document.versions:
                hidden = self._internal_ids() if hidden is None else hidden
                kept = tuple(v for v in document.versions if v not in hidden)
                if kept != document.versions:
                    document = replace(document, versions=kept)
            yield document

    def history(self, document: Document) -> Iterator[Entry]:
        """A document's changes, oldest first; unless internal material is shown, without the
        ids of its internal versions (a `versions` change that only they made is left out)."""
        entries = self.archive.history.entries(document.id)
        if self.show_internal:
            yield from entries
            return
        hidden = self._internal_ids()
        for entry in entries:
            before, after = dict(entry.before), dict(entry.after)
            for fields in (before, after):
                if isinstance(fields.get("versions"), list):
                    fields["versions"] = [v for v in fields["versions"] if v not in hidden]
            if "versions" in before and before.get("versions") == after.get("versions"):
                del before["versions"], after["versions"]
            if entry.previous_id in hidden or (entry.before and not before and not after):
                continue
            yield replace(entry, before=before, after=after)

    def _seen(self, request: SearchRequest) -> SearchRequest:
        """The request, leaving out what is for the agencies only unless that is shown."""
        return request if self.show_internal else replace(request, hide_internal=True)

    def search(self, request: SearchRequest) -> ResultPage:
        self.ensure_index()
        with self._reading(request.query) as searcher:
            return search(searcher, self._seen(request), self.vocabulary, self.glossary)

    def page_matches(
        self, query: str, pages: tuple[str, ...]
    ) -> tuple[tuple[tuple[int, int], ...], ...]:
        """Where the query's words are on each page, to highlight them."""
        with self._reading(query) as searcher:
            return page_matches(searcher, query, pages, self.glossary)

    def more_like_this(self, document: Document, limit: int = 5) -> tuple[Document, ...]:
        with self._reading() as searcher:
            return more_like(
                searcher, document.id, self.vocabulary, limit, hide_internal=not self.show_internal
            )

    def matching_files(self, request: SearchRequest) -> list[str]:
        """Every match of a search in its order (every document, with no query or filter)."""
        self.ensure_index()
        with self._reading() as searcher:
            return matching_values(searcher, self._seen(request), self.glossary, "file")

    def matching_ids(self, request: SearchRequest) -> list[str]:
        """The ids of every match of a search, in its order."""
        self.ensure_index()
        with self._reading() as searcher:
            return matching_values(searcher, self._seen(request), self.glossary, "id")

    def matching(self, request: SearchRequest) -> Iterator[Document]:
        """The records of every match, read from the archive one at a time as they are wanted.

        The search runs now (a query that cannot be read raises here), and the searcher is
        released before the first record is read, so that a long export holds up no search; a
        record removed meanwhile is left out.
        """
        return self._shown(self._records(self.matching_files(request)))

    def _records(self, files: list[str]) -> Iterator[Document]:
        for file in files:
            try:
                yield self.archive.read(file)
            except ArchiveError:
                if self.archive.record_path(file).exists():
                    raise

    def changes(
        self, request: SearchRequest, any_of: str | None = None
    ) -> list[tuple[int, str, str]]:
        """(changed, id, file) of every document the filters let through, oldest change first."""
        self.ensure_index()
        with self._reading() as searcher:
            return changed_documents(searcher, self._seen(request), any_of)

    def events(self, slug: str | None = None) -> list[tuple[Event, list[Document]]]:
        """Every event the records name (or the one with this slug), with its documents; the
        latest events first. Only those events' records are read."""
        self.ensure_index()
        with self._reading() as searcher:
            reader = searcher.reader()
            files = column_values(reader, "file")
            named = [
                (*split_term(term), [files[n] for n in members(bits)])
                for term, bits in value_bits(reader, "event_key").items()
                if slug is None or split_term(term)[0] == slug
            ]
        records, hidden = {}, set()
        for record in self.archive.event_records():
            if record.internal and not self.show_internal:
                hidden.add(record.slug)
            elif slug is None or record.slug == slug:
                records[record.slug] = record
        found = []
        for slug_, name, their_files in named:
            documents = list(self._shown(self.archive.read(file) for file in their_files))
            if slug_ in hidden or not (documents or slug_ in records):
                continue
            found.append((gather(slug_, name, documents, records.pop(slug_, None)), documents))
        for record in records.values():  # events no document names yet (one to come)
            found.append((gather(record.slug, record.name, [], record), []))
        found.sort(key=lambda pair: pair[0].last.key if pair[0].last else 0, reverse=True)
        return found

    def event(self, slug: str) -> tuple[Event, list[Document]]:
        """One event and its documents, by slug."""
        found = self.events(slug.strip().lower())
        if found:
            return found[0]
        raise DocumentNotFound(f"no event {slug!r}; list them with `isecg-archive events`")

    def save_event(self, record: EventRecord) -> EventRecord:
        """Write an event's record (new, or changed); the record as written."""
        with self.writing(), self.archive.transaction("event") as transaction:
            return transaction.write_event(record)

    def find(self, document_id: str) -> Document:
        """The archive's record for an id (a unique prefix of at least 6 characters will do)."""
        wanted = document_id.strip().lower()
        if len(wanted) < MIN_ID_PREFIX:
            raise DocumentNotFound(
                f"the id {document_id!r} is too short; give at least {MIN_ID_PREFIX} of its"
                " characters (`isecg-archive search` lists ids)"
            )
        self.ensure_index()
        found = []
        with self._reading() as searcher:
            for term in searcher.reader().expand_prefix("id", wanted):
                fields = searcher.document(id=term.decode("utf-8"))
                if fields is None:  # the lexicon still lists deleted documents
                    continue
                if self.show_internal or not fields["record"].get("internal"):
                    found.append(fields["file"])  # else for the agencies only: not here
        if len(found) == 1:
            return next(self._shown([self.archive.read(found[0])]))
        if found:
            raise DocumentNotFound(
                f"the id {document_id!r} matches several documents; give more of its characters"
            )
        trashed = {
            t.document.id
            for t in self.archive.trash()
            if t.document.id.startswith(wanted) and (self.show_internal or not t.document.internal)
        }
        if len(trashed) == 1:
            raise DocumentNotFound(
                f"the document {trashed.pop()} is in the trash; bring it back with"
                f" `isecg-archive restore {document_id}`"
            )
        raise DocumentNotFound(
            f"the id {document_id!r} is not in the archive; find ids with `isecg-archive search`"
        )

    def rewrite(self, documents: list[Document], action: str = "update") -> None:
        """Write new records for documents already archived, and index them as they now read.

        All at once or not at all; `action` names the change in the history ("edit")."""
        procs = min(os.cpu_count() or 1, 4) if len(documents) >= PARALLEL_INDEXING_FROM else 1
        with self.writing():
            with (
                self.archive.transaction(action) as transaction,
                self.index.writer(procs) as writer,
            ):
                for document in documents:
                    document = transaction.rewrite(document)
                    pages = self.extraction(document).pages
                    add_document(writer, document, pages)

    def trashed(self, document_id: str) -> Trashed:
        """The latest trashed copy of a document, by id (or its first 6 characters or more)."""
        wanted = document_id.strip().lower()
        found = [t for t in self.archive.trash() if t.document.id.startswith(wanted)]
        if len(wanted) < MIN_ID_PREFIX or len({t.document.id for t in found}) != 1:
            why = (
                "matches several documents" if found and len(wanted) >= MIN_ID_PREFIX else "is not"
            )
            raise DocumentNotFound(
                f"the id {document_id!r} {why} in the trash; `isecg-archive trash` lists it"
            )
        return found[-1]

    def restore(self, document_id: str) -> Document:
        """Bring a document back from the trash: original, record, index entry and versions.

        It goes back to its own place in the archive, or beside it (`name-2.pdf`) when another
        document holds that place now."""
        with self.writing():
            trashed = self.trashed(document_id)
            self.ensure_index()
            with self.index.searcher() as searcher:
                present = searcher.document(id=trashed.document.id)
            if present is not None:
                raise ArchiveError(
                    f"{trashed.document.id} is in the archive already, as {present['file']}"
                )
            file = self.archive.free_name(trashed.document.file)
            # One transaction for the document and its versions' records: all back, or none.
            with self.archive.transaction("restore") as transaction:
                with self.index.writer() as writer:
                    document = transaction.restore(trashed, file)
                    pages = self.extraction(document).pages
                    add_document(writer, document, pages)
                relinked = {d.id: d for d in self.link_versions([document.id])}
            folder = trashed.record.parent
            if not any(folder.glob(f"*{RECORD_SUFFIX}")):
                shutil.rmtree(folder, ignore_errors=True)
            return relinked.get(document.id, document)

    def remove(self, document_id: str) -> Document:
        """Take a document out of the index and move its original and record to the trash."""
        with self.writing():
            document = self.find(document_id)
            with self.archive.transaction("remove") as transaction:
                with self.index.writer() as writer:
                    transaction.remove(document)
                    remove_document(writer, document.id)
                self.unlink_versions([document])
        return document

    # Versions (near-duplicates) -------------------------------------------------------------

    def _current(
        self, searcher: Searcher, ids: set[str], changed: dict[str, Document]
    ) -> dict[str, Document]:
        """The records of these ids as they stand: changed in this run, else in the archive."""
        found = {}
        for document_id in sorted(ids):
            if document_id in changed:
                found[document_id] = changed[document_id]
            elif (fields := searcher.document(id=document_id)) is not None:
                found[document_id] = self.archive.read(fields["file"])
        return found

    def link_versions(self, document_ids: list[str]) -> list[Document]:
        """Link each document both ways with the archived documents whose text it repeats."""
        changed: dict[str, Document] = {}
        with self.index.searcher() as searcher:
            if not document_ids or not searcher.doc_count_all():  # an empty index has no columns
                return []
            # From columns: a document's stored fields hold its whole text.
            sketches = column(searcher.reader(), "sketch_hashes")
            ids = column(searcher.reader(), "id")
            candidates = _Candidates(searcher, sketches, len(document_ids))
            for document_id in document_ids:
                docnum = searcher.document_number(id=document_id)
                mine = sketch_values(sketches[docnum]) if docnum is not None else ()
                if not mine:
                    continue
                group = {document_id}
                for other in candidates.of(mine):
                    alike = similarity(mine, sketch_values(sketches[other])) >= SIMILAR
                    if ids[other] != document_id and alike:
                        group.add(ids[other])
                if len(group) == 1:
                    continue
                # The group, and the versions its members already had.
                members = self._current(searcher, group, changed)
                group.update(v for member in members.values() for v in member.versions)
                members.update(self._current(searcher, group - set(members), changed))
                for member in members.values():
                    versions = tuple(sorted(set(members) - {member.id}))
                    if versions != member.versions:
                        changed[member.id] = replace(member, versions=versions)
        if changed:
            self.rewrite(list(changed.values()), "versions")
        return list(changed.values())

    def unlink_versions(self, gone: list[Document]) -> None:
        """Forget documents that left the archive in the records of their versions."""
        ids = {document.id for document in gone}
        changed: dict[str, Document] = {}
        with self.index.searcher() as searcher:
            for document in gone:
                versions = set(document.versions) - ids
                for member in self._current(searcher, versions, changed).values():
                    kept = tuple(v for v in member.versions if v not in ids)
                    changed[member.id] = replace(member, versions=kept)
        if changed:
            self.rewrite(list(changed.values()), "versions")


class _Candidates:
    """The documents that share some of a sketch's smallest hashes, those sharing most first
    (at most `limit`).

    Read from the postings a block at a time (Whoosh's search for the same 16 terms cost 15 ms
    a document at 10,000 documents, a tenth of an ingest's time); or, to link many documents
    (a large ingest's), from a table of every document's hashes, built from their column:
    linking 10,000 new documents took 13.0 s with the look-ups in each segment's term table,
    1.3 s with the table.
    """

    TABLE_FROM = 20  # documents to link, for each 1,000 in the index, from which a table pays

    def __init__(self, searcher: Searcher, sketches: Any, count: int, limit: int = 25) -> None:
        self._searcher, self._limit = searcher, limit
        self._table: dict[int, list[int]] | None = None
        reader = searcher.reader()
        if count * 1000 >= self.TABLE_FROM * reader.doc_count_all():
            table: dict[int, list[int]] = {}
            deleted = reader.is_deleted if reader.has_deletions() else None
            for docnum in range(reader.doc_count_all()):
                if deleted is not None and deleted(docnum):
                    continue
                for value in sketch_values(sketches[docnum], CANDIDATE_HASHES):
                    table.setdefault(value, []).append(docnum)
            self._table = table

    def of(self, sketch: Sequence[int]) -> list[int]:
        shared: Counter[int] = Counter()
        if self._table is not None:
            for value in sketch[:CANDIDATE_HASHES]:
                shared.update(self._table.get(value, ()))
        else:
            reader = self._searcher.reader()
            for term in sketch_terms(sketch[:CANDIDATE_HASHES]):
                shared.update(live_docnums(reader, "sketch", term.encode("utf-8")))
        ranked = sorted(shared.items(), key=lambda item: (-item[1], item[0]))
        return [docnum for docnum, _ in ranked[: self._limit]]

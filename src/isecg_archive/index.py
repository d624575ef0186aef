"""The Whoosh index: its schema (defined once, stamped with a version) and its one write path."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.searching import Searcher
from whoosh.system import pack_uint
from whoosh.writing import IndexWriter

from isecg_archive.engine import analysis, mapped, merging, readers, writing
from isecg_archive.engine.scoring import BM25F
from isecg_archive.enrich.boilerplate import CAPTURE_FORMATS, line_terms, title_term
from isecg_archive.enrich.versions import (
    CANDIDATE_HASHES,
    family,
    sketch,
    sketch_bytes,
    sketch_terms,
)
from isecg_archive.errors import IndexBusy
from isecg_archive.events import event_term
from isecg_archive.storage.records import Document, seconds

# Bump whenever build_schema() or what goes into a field changes: older indexes are rebuilt.
SCHEMA_VERSION = 17  # 8, 9: words with punctuation; 10: the sketch's lookup hashes;
# 11: title_line; 12: the whole sketch in a column; 13: internal; 14: positions apart;
# 15: stored fields in zstd; 16: a block's positions in one pickle; 17: blocks in zstd
_VERSION_FILE = "SCHEMA_VERSION"
UNDATED_LAST = 99999999  # sort key that puts undated documents after dated ones, oldest first

Posting = tuple[bytes, int, float, bytes]  # a term, its frequency, weight and encoded positions


class ContentField(TEXT):
    """TEXT with the StemmingAnalyzer, indexed through analysis.positions(): same postings, faster.

    Queries are still parsed by the analyzer.
    """

    def __init__(self) -> None:
        super().__init__(analyzer=analysis.analyzer())

    def index(self, value: object, **kwargs: object) -> Iterable[Posting]:
        """The postings of a text, or the postings themselves, worked out beforehand."""
        if isinstance(value, tuple):
            return value
        if not isinstance(value, str):
            return super().index(value, **kwargs)
        return self.postings(analysis.positions(value))

    def postings(self, positions: dict[str, list[int]]) -> tuple[Posting, ...]:
        """The postings of a text's terms and their positions (analysis.analyse())."""
        encode = self.format.encode
        boost = self.format.field_boost
        return tuple(
            (term.encode("utf-8"), len(found), float(len(found)) * boost, encode(found))
            for term, found in positions.items()
        )


_CONTENT = ContentField()


class ListField(KEYWORD):
    """Whole values, each one term as written (names with commas and spaces): given as a tuple."""

    def __init__(self) -> None:
        super().__init__()

    def index(self, value: object, **kwargs: object) -> Iterable[Posting]:
        if not isinstance(value, tuple):
            return super().index(value, **kwargs)
        once = pack_uint(1)  # the posting's value in the Frequency format: a frequency of 1
        return tuple((term.encode("utf-8"), 1, 1.0, once) for term in sorted(set(value)))


@dataclass(frozen=True)
class IndexedText:
    """What the index makes of a document's text, worked out apart from the index writer.

    An ingest works it out in the extraction workers, beside the text, so that the one process
    that writes the index does no more than write.
    """

    postings: tuple[Posting, ...]  # the content field's
    words: frozenset[str]  # as written, for the spelling field
    sketch: tuple[int, ...]  # for near-duplicates
    lines: tuple[str, ...]  # a capture's short lines, to find boilerplate (boilerplate.py)

    @classmethod
    def of(cls, pages: Sequence[str], format: str = "") -> IndexedText:
        positions, words = analysis.analyse(_joined(pages))
        return cls(
            _CONTENT.postings(positions),
            frozenset(words),
            sketch(pages),
            line_terms(pages) if format in CAPTURE_FORMATS else (),
        )


def _joined(pages: Sequence[str]) -> str:
    return "\n\n".join(pages)


def build_schema() -> Schema:
    stemming = analysis.analyzer()
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        sha256=ID(stored=True),
        file=ID(stored=True, sortable=True),
        title=TEXT(analyzer=stemming, field_boost=3.0),
        content=ContentField(),
        # The words of the text as written, for "did you mean": each posted once per batch.
        spelling=KEYWORD(),
        event=TEXT(analyzer=stemming),
        author=TEXT(),
        # Facets: the event ("slug|name", events.py), related bodies and authors as written.
        event_key=ListField(),
        organisation=ListField(),
        author_name=ListField(),
        agency=KEYWORD(commas=True, lowercase=True),
        topic=KEYWORD(commas=True, lowercase=True),
        type=KEYWORD(lowercase=True),
        year=ID(),
        format=KEYWORD(lowercase=True),
        internal=ID(),  # "yes" for a document for the agencies only
        # A document and its versions in other files share a family: search shows one of them.
        family=ID(stored=True, sortable=True),
        # The text's shingle sketch, to find near-duplicates (versions.py): its smallest hashes
        # indexed, the ones a lookup asks for (a quarter of them: the sketch's terms were half
        # of the index's distinct terms), the whole sketch in a column, to compare two texts
        # without reading either's stored text.
        sketch=KEYWORD(),
        sketch_hashes=COLUMN(VarBytesColumn()),
        # Hashes of a web capture's short lines, to tell its site's boilerplate (boilerplate.py),
        # and of its title as a line, to find the captures titled by boilerplate.
        lines=KEYWORD(),
        title_line=ID(),
        date_key=NUMERIC(int, bits=32, signed=False, sortable=True),
        oldest_key=NUMERIC(int, bits=32, signed=False, sortable=True),
        # When the record last changed (its file's time, in seconds): feeds and OAI-PMH.
        changed=NUMERIC(int, bits=64, signed=False, sortable=True),
        record=STORED(),
        pages=STORED(),
    )


class SearchIndex:
    """The index folder. It is derived from the archive and can always be rebuilt.

    `path` is a symbolic link to the generation in force, a folder beside it (`whoosh.3`). A
    rebuild fills the next generation and swaps the link in one rename, so that a reader opens
    the old index or the new one, never none; the generation it replaced stays until the next
    swap, for the searches still reading it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._background: merging.Background | None = None

    @contextmanager
    def merging_in_background(self, waiting: Callable[[], None] | None = None) -> Iterator[None]:
        """For a block of many commits (an ingest): large merges run in a process of their own
        (engine.merging), and the block ends once the last of them is in (`waiting` is told
        when it then has to wait for one)."""
        if self._background is not None or not self.is_current():
            yield  # nested, or no index yet: merges inline
            return
        background = self._background = merging.Background(self.path.resolve())
        try:
            yield
            if background.running and waiting:
                waiting()
            while background.running:
                background.finish()
                with self.writer():
                    pass  # a commit of nothing: the merge policy swaps the merged segment in
        finally:
            self._background = None
            background.stop()

    def is_current(self) -> bool:
        """True when an index of this schema version exists here."""
        try:
            version = (self.path / _VERSION_FILE).read_text().strip()
        except OSError:
            return False
        return version == str(SCHEMA_VERSION) and whoosh_index.exists_in(self.path)

    def create(self) -> None:
        """Make an empty index here, replacing whatever was here."""
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        whoosh_index.create_in(self.path, build_schema())
        (self.path / _VERSION_FILE).write_text(f"{SCHEMA_VERSION}\n")

    def next_generation(self) -> SearchIndex:
        """A new, empty index beside this one, to fill and then swap in with replace_with()."""
        numbers = [number for number, _ in self._generations()]
        fresh = SearchIndex(self.path.with_name(f"{self.path.name}.{max(numbers, default=0) + 1}"))
        fresh.create()
        return fresh

    def replace_with(self, other: SearchIndex) -> None:
        """Make a freshly built generation the index, in one rename, and delete the generations
        before the one it replaces (and any a failed rebuild left)."""
        previous = self.path.resolve().name if self.path.is_symlink() else None
        if self.path.is_dir() and not self.path.is_symlink():  # an index from before generations
            previous = f"{self.path.name}.0"
            self.path.rename(self.path.with_name(previous))
        link = self.path.with_name(f".{self.path.name}.link")
        link.unlink(missing_ok=True)
        link.symlink_to(other.path.name)
        link.replace(self.path)
        for _, folder in self._generations():
            if folder.name not in (other.path.name, previous):
                shutil.rmtree(folder, ignore_errors=True)

    def leftovers(self) -> list[Path]:
        """Generation folders no reader needs: those failed rebuilds left, and older ones."""
        generations = self._generations()
        if not self.path.is_symlink():
            return [folder for _, folder in generations]
        current = self.path.resolve()
        number = next((n for n, folder in generations if folder == current), 0)
        previous = max((n for n, _ in generations if 0 <= n < number), default=None)
        return [folder for n, folder in generations if folder != current and n != previous]

    def _generations(self) -> list[tuple[int, Path]]:
        """The generation folders beside the link, by number (older layouts' .new and .old too)."""
        found = []
        for folder in self.path.parent.glob(f"{self.path.name}.*"):
            suffix = folder.name[len(self.path.name) + 1 :]
            if folder.is_dir() and not folder.is_symlink():
                found.append((int(suffix) if suffix.isdigit() else -1, folder))
        return sorted(found)

    def _open(self, folder: Path | None = None, search: bool = False) -> whoosh_index.Index:
        # The generation in force when opened, whatever the link says later. Searchers read
        # the segment files through memory maps (engine.mapped); writers read them as files,
        # as they merge them whole: mapped, all their pages would count as the process's.
        folder = folder or self.path.resolve()
        if search:
            storage = mapped.storage(str(folder))
        else:
            storage = FileStorage(str(folder), supports_mmap=False)
        index: whoosh_index.Index = storage.open_index()
        return index

    @contextmanager
    def writer(self, procs: int = 1) -> Iterator[IndexWriter]:
        """The one way to write: commit when the block succeeds, cancel when it raises.

        procs > 1 indexes in that many processes (Whoosh's multiprocessing writer), each
        writing its own segment: for large batches, where it halves the time on two cores.
        """
        try:
            index = self._open()
            writer = (
                index.writer(procs=procs, multisegment=True, limitmb=256, codec=writing.CODEC)
                if procs > 1
                else writing.SegmentWriter(index, limitmb=256)
            )
        except LockError:
            raise IndexBusy(
                "another isecg-archive process is writing to the index; wait for it to finish"
                " and try again"
            ) from None
        try:
            yield writer
        except BaseException:
            self._cancel(writer)
            raise
        try:
            writer.commit(mergetype=partial(writing.merge_tiers, background=self._background))
        except BaseException:
            # A failed commit leaves the previous index generation in force; free the lock.
            self._cancel(writer)
            raise

    def _cancel(self, writer: IndexWriter) -> None:
        """Drop what the writer had not committed. On a full disk the cancel can fail too:
        the error that stopped the writer is the one to report, and no temporary file of
        the segment it was writing is left."""
        with suppress(Exception):
            writer.cancel()
        for temporary in self.path.resolve().glob("*.tmp"):  # files, and folders of files
            if temporary.is_dir():
                shutil.rmtree(temporary, ignore_errors=True)
            else:
                temporary.unlink(missing_ok=True)

    @contextmanager
    def searcher(self) -> Iterator[Searcher]:
        with self.open_searcher() as searcher:
            yield searcher

    def open_searcher(self) -> Searcher:
        """A searcher the caller closes."""
        folder = self.path.resolve()
        searcher: Searcher = self._open(folder, search=True).searcher(weighting=BM25F())
        readers.keep_in(searcher.reader(), folder)
        return searcher

    def identity(self) -> int:
        """Changes when the index is rebuilt and swapped in (a searcher must then be reopened)."""
        return self.path.stat().st_ino


def add_document(
    writer: IndexWriter,
    document: Document,
    pages: tuple[str, ...],
    new: bool = False,
    spelled: set[str] | None = None,
    indexed: IndexedText | None = None,
) -> None:
    """Index one document, replacing any with the same id unless it is known to be new.

    spelled: the words a batch has already given the spelling field; only new ones are added
    (the field needs each word once, and posting every word of every document doubled the time
    of a large batch). Without it, all the document's words are added.
    indexed: the text's postings and words, if already worked out; without it the writer works
    out the postings (in its own processes, if it has several).
    """
    content: str | tuple[Posting, ...]
    if indexed is None:
        content = _joined(pages)
        spelling = analysis.vocabulary(content)
        shingles = sketch(pages)
        lines = line_terms(pages) if document.format in CAPTURE_FORMATS else ()
    else:
        content, spelling, shingles = indexed.postings, set(indexed.words), indexed.sketch
        lines = indexed.lines
    if spelled is not None:
        spelling -= spelled
        spelled |= spelling
    fields: dict[str, object] = {
        "id": document.id,
        "sha256": document.sha256,
        "file": document.file,
        "title": document.title,
        "content": content,
        "type": document.type,
        "format": document.format,
        "date_key": document.date.key if document.date else 0,
        "oldest_key": document.date.key if document.date else UNDATED_LAST,
        "family": family(document.id, document.versions),
        "changed": seconds(document.changed),
        "record": document.to_dict(),
        "pages": list(pages),
    }
    optional = {
        "event": document.event,
        "author": " ".join(document.authors),
        "agency": ",".join(document.agencies),
        "topic": ",".join(document.topics),
        "event_key": (event_term(document),) if document.event else None,
        "organisation": document.organisations,
        "author_name": document.authors,
        "year": str(document.date.year) if document.date else None,
        "sketch": " ".join(sketch_terms(shingles[:CANDIDATE_HASHES])),
        "sketch_hashes": sketch_bytes(shingles),
        "spelling": " ".join(sorted(spelling)),
        "lines": " ".join(lines),
        "title_line": title_term(document.title) if lines and document.title else None,
        "internal": "yes" if document.internal else None,
    }
    fields.update((name, value) for name, value in optional.items() if value)
    # Replacing looks the id up first, which costs more than the rest of the work together.
    (writer.add_document if new else writer.update_document)(**fields)


def remove_document(writer: IndexWriter, document_id: str) -> None:
    writer.delete_by_term("id", document_id)

"""What search reads once per index reader, then reuses for every query on that reader.

A reader sees one generation of the index, which never changes under it, so the documents of
each facet value and the families of versions can be read once and kept as long as the reader
lives. What is read is shared by every reader of the same generation in the process (a server's
searchers, one per request under way), known by the generation and its segments' ids: a
segment's id is drawn at random when it is written, so an index rebuilt in the same folder
is never taken for the one before it.

Sets of documents are bitsets: Python integers whose bit N stands for document number N, so a
facet count is one `&` and one `bit_count()`, whatever the number of matches.
"""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator
from itertools import repeat
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.columns import ColumnReader, MultiColumnReader
from whoosh.reading import IndexReader

from isecg_archive.engine.postings import postings
from isecg_archive.storage.staging import staged

_CACHE: WeakKeyDictionary[IndexReader, dict[Any, Any]] = WeakKeyDictionary()
_FILES: WeakKeyDictionary[IndexReader, Path] = WeakKeyDictionary()
# What readers of one generation share, by its key (`_generation`); the latest few generations.
_SHARED: OrderedDict[tuple[Any, ...], dict[Any, Any]] = OrderedDict()
_SHARED_APART: dict[tuple[Any, ...], dict[str, Any]] = {}
_SHARED_LOCK = threading.Lock()
_GENERATIONS_SHARED = 8
# Bump when what is read once changes: files of another version are not read.
_FILE_VERSION = 1
_FILE_PREFIX = "read-once-"
# What only some searches need, each in a file of its own (kept_apart), by reader and name.
_APART: WeakKeyDictionary[IndexReader, dict[str, Any]] = WeakKeyDictionary()
_APART_LOCK = threading.Lock()


_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def bitset(docnums: Iterable[int], size: int) -> int:
    """The bitset of these document numbers (all below size).

    A byte a document is set in C (map), then read as the binary digits of the number, the
    first document last: twice as fast as setting bits one document at a time in Python.
    """
    if not size:
        return 0
    flags = bytearray(size)
    deque(map(flags.__setitem__, docnums, repeat(1)), maxlen=0)
    return int(flags.translate(_DIGITS)[::-1], 2)


def members(bits: int) -> Iterator[int]:
    """The document numbers in a bitset, in order."""
    for index, byte in enumerate(bits.to_bytes((bits.bit_length() + 7) // 8, "little")):
        while byte:
            low = byte & -byte
            yield index * 8 + low.bit_length() - 1
            byte ^= low


def keep_in(reader: IndexReader, folder: Path) -> None:
    """Keep what is read once for this reader in a file of the index folder, and start from it.

    The next process to open the same generation of the index then starts with the facet
    bitsets and families read: a command-line search skips reads that took longer than the
    search itself (100-200 ms at 10,000 documents). A generation never changes, so the file
    never goes stale; a new one is written for the next.
    """
    generation = reader.generation()
    if generation is None or generation < 0:  # an empty index: nothing worth keeping
        return
    path = folder / f"{_FILE_PREFIX}v{_FILE_VERSION}-{generation}.pickle"
    _FILES[reader] = path
    cached = _cached(reader)
    if cached:  # another reader of this generation has read it already
        return
    try:
        with path.open("rb") as handle:
            kept = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError):
        return  # not written yet, or being replaced: read as usual
    cached.update(kept)


def _generation(reader: IndexReader) -> tuple[Any, ...] | None:
    """What tells this reader's generation of the index from any other, or None."""
    try:
        segments = tuple(leaf.segment().segment_id() for leaf, _ in reader.leaf_readers())
    except AttributeError:  # not a reader of segments (an empty index)
        return None
    return (reader.generation(), segments) if segments else None


def _cached(reader: IndexReader) -> dict[Any, Any]:
    """What is read once for this reader: shared with the other readers of its generation."""
    own = _CACHE.get(reader)
    if own is not None:
        return own
    key = _generation(reader)
    if key is None:
        return _CACHE.setdefault(reader, {})
    with _SHARED_LOCK:
        shared = _SHARED.get(key)
        if shared is None:
            shared = _SHARED[key] = {}
            while len(_SHARED) > _GENERATIONS_SHARED:
                forgotten, _ = _SHARED.popitem(last=False)
                _SHARED_APART.pop(forgotten, None)
        else:
            _SHARED.move_to_end(key)
        _SHARED_APART.setdefault(key, {})
    _CACHE[reader] = shared
    _APART[reader] = _SHARED_APART[key]
    return shared


def _keep(reader: IndexReader, cached: dict[Any, Any]) -> None:
    path = _FILES.get(reader)
    if path is not None:
        _write(path, cached, f"{_FILE_PREFIX}*.pickle")


def _write(path: Path, value: Any, older: str) -> None:
    """Write the file whole or not at all, then remove those of older generations."""
    try:
        with staged(path) as partial, partial.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        for other in path.parent.glob(older):
            if other != path:
                other.unlink(missing_ok=True)
    except OSError:  # a read-only index folder: search reads as usual, and writes nothing
        pass


def kept_apart(reader: IndexReader, name: str, read: Callable[[], Any]) -> Any:
    """What read() returns for this reader, kept in a file of its own beside the read-once
    file: for what only some searches need (did-you-mean's words), which the others should not
    load. Read on the first call of the first process for each generation of the index."""
    _cached(reader)  # joins the readers of its generation
    with _APART_LOCK:  # one thread reads it; the others wait for what it read
        cached = _APART.setdefault(reader, {})
        if name not in cached:
            cached[name] = _read_apart(reader, name, read)
        return cached[name]


def _read_apart(reader: IndexReader, name: str, read: Callable[[], Any]) -> Any:
    kept = _FILES.get(reader)
    path = kept.with_name(f"{name}-{kept.name}") if kept else None
    try:
        if path is None:
            raise FileNotFoundError
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError):
        value = read()
        if path is not None:
            _write(path, value, f"{name}-{_FILE_PREFIX}*.pickle")
        return value


def _once(reader: IndexReader, key: object, read: Callable[[], Any]) -> Any:
    """What read() returns for this reader, read on the first call only."""
    cached = _cached(reader)
    if key not in cached:
        cached[key] = read()
        _keep(reader, cached)
    return cached[key]


def value_bits(reader: IndexReader, field: str) -> dict[str, int]:
    """Each indexed value of a field, with the bitset of the live documents that have it."""
    result: dict[str, int] = _once(
        reader, ("values", field), lambda: read_value_bits(reader, field)
    )
    return result


def read_value_bits(reader: IndexReader, field: str) -> dict[str, int]:
    size = reader.doc_count_all()
    return {
        term.decode("utf-8"): bitset(live_docnums(reader, field, term), size)
        for term in reader.lexicon(field)
    }


def live_docnums(reader: IndexReader, field: str, term: bytes) -> Iterator[int]:
    """The term's live documents, read a block of postings at a time."""
    for segment, offset in reader.leaf_readers():
        found = postings(segment, field, term)
        if found is None:  # another codec: Whoosh's matcher, one posting at a time
            yield from (offset + n for n in segment.postings(field, term).all_ids())
            continue
        for block in found.blocks(weights=False):
            yield from (offset + n for n in block.docnums if n not in found.deleted)


def column_values(reader: IndexReader, field: str) -> list[Any]:
    """Each document's value in a column (sort keys, families), deleted documents included.

    Read through in order, which costs half of looking up each document in the column; an
    empty index has no columns at all.
    """
    result: list[Any] = _once(
        reader,
        ("column", field),
        lambda: list(column(reader, field)) if reader.doc_count_all() else [],
    )
    return result


def column(reader: IndexReader, field: str) -> ColumnReader:
    """A column's values by document number in the whole index (not empty).

    Whoosh's MultiReader.column_reader() leaves out the segments that have no file for the
    column (none of their documents had the field: a short text, which has no sketch, ingested
    alone) and then gives the documents after them their neighbours' values; each segment's own
    reader gives the column's default value for its documents instead.
    """
    segments = [segment for segment, _ in reader.leaf_readers()]
    if len(segments) == 1:
        return segments[0].column_reader(field)
    return MultiColumnReader([segment.column_reader(field) for segment in segments])


def shared_families(reader: IndexReader) -> tuple[tuple[int, ...], ...]:
    """The live documents of each family with more than one member, in document order.

    A family is a document and its versions in other files; most documents are alone in theirs.
    """
    result: tuple[tuple[int, ...], ...] = _once(
        reader, "families", lambda: read_shared_families(reader)
    )
    return result


def read_shared_families(reader: IndexReader) -> tuple[tuple[int, ...], ...]:
    deleted = reader.is_deleted if reader.has_deletions() else None
    members: dict[Any, list[int]] = {}
    for docnum, family in enumerate(column_values(reader, "family")):
        if deleted is None or not deleted(docnum):
            members.setdefault(family, []).append(docnum)
    return tuple(tuple(docnums) for docnums in members.values() if len(docnums) > 1)


def field_lengths(reader: IndexReader, field: str) -> bytes | None:
    """A segment's field length of each document, in Whoosh's one-byte encoding (None: unknown).

    Whoosh looks each one up in the file while it scores a match, which was a third of the
    time of a common word's search; read at once, the whole column is one byte per document.
    """
    result: bytes | None = _once(
        reader, ("lengths", field), lambda: read_field_lengths(reader, field)
    )
    return result


def read_field_lengths(reader: IndexReader, field: str) -> bytes | None:
    perdoc = getattr(reader, "_perdoc", None)  # Whoosh's per-document reader of one segment
    return None if perdoc is None else length_column(perdoc, field, reader.doc_count_all())


def length_column(perdoc: Any, field: str, doc_count: int) -> bytes | None:
    """The length column of a segment's per-document reader, read at once (None: no column)."""
    if not perdoc.has_column(_lenfield(field)):
        return None
    lengths = perdoc.column_reader(_lenfield(field), LENGTHS_COLUMN)
    stored = lengths._dbfile.get(lengths._basepos, lengths._count)
    return bytes(stored) + bytes(doc_count - len(stored))

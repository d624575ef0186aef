"""The index's posting blocks: document numbers and weights kept apart from positions.

Whoosh's block (whoosh.codec.whoosh3) is one compressed pickle of a block's document numbers,
weights and values; for a text field the values are each posting's positions, nineteen
twentieths of the bytes. Scoring a word and counting facets read only numbers and weights,
yet every block read decompressed its positions too: for a word in most of 10,000
documents, 7 ms of decompressing and unpickling where the numbers and weights alone take 0.4.

Here a block's data is the length of its head (4 bytes), the head (the compressed pickle of
the numbers and weights), then the values, compressed on their own, read only when asked
for (a phrase). A block whose values are small (under SPLIT_FROM bytes pickled) keeps them
in its head, as Whoosh does: a second compressed stream would cost it more than it saves.
The block's header (its count, last document, maximum weight and lengths) is Whoosh's, so
skipping blocks reads as before.

For a text field (Whoosh's Positions format) the values are each posting's position
differences, which Whoosh encodes one posting at a time (a count, then a pickle). Here they
are one pickle of the block's lists, made from Whoosh's encoded values without decoding them
(`deltas_pickle`), or in a merge from the lists read from the merged segments' blocks: a
phrase reads a block's positions with one pickle.loads(), where taking each posting's encoded
value apart cost a microsecond a document, a third of a phrase's time. Whoosh's own reader
gets its encoded values back (`whoosh_values`), byte for byte.

`Codec` is Whoosh's codec with these blocks, for writing and reading; a segment carries its
codec in the index's table of contents (pickled: the class's name and module, so moving it
is a change of index.SCHEMA_VERSION), and a reader of the index reads the blocks with it.
Term vectors keep Whoosh's own blocks.

A document's stored fields (its record and its whole text, page by page) are compressed by
zstd rather than zlib (`StoredColumn`): smaller, four times as fast to decompress (the ten hits
of a result page, 300 KB of text, in 0.3 ms where zlib took 1.2) and ten times as fast to
compress, which the ingest does for every document. So are the blocks' heads and values
(their header's `compression` is then ZSTD): a block's positions, about 3 KB, decompress in
7 microseconds where zlib took 24, and a block is compressed four to five times as fast.
"""

from __future__ import annotations

import io
import pickle
import struct
import threading
import zlib
from collections.abc import Iterator, Sequence
from typing import Any

import zstandard
from whoosh import columns, formats
from whoosh.codec import whoosh3
from whoosh.system import pack_uint
from whoosh.util.numeric import length_to_byte

ZSTD = -1  # a block's `compression` (in its header) when zstd compressed its head and values
SPLIT_FROM = 64  # pickled bytes of a block's values from which they are compressed apart

_HEAD = struct.Struct("!I")
_INT = struct.Struct("!i")  # a block's length in Whoosh's layout: negative for a term's last
_UNREAD = object()  # a block's values, before they are read


def encode(data: tuple[Any, Any, Any], compression: int, positions: bool = False) -> bytes:
    """A block's data: (delta-coded document numbers, weights, values), as minified for Whoosh;
    `positions`: the values are the Positions format's (kept as deltas_pickle() of them), or
    each posting's list of position differences, decoded (kept as they are)."""
    ids, weights, values = data
    decoded = positions and bool(values) and type(values[0]) is list
    if decoded:
        tail = pickle.dumps(list(values), 5)
    else:
        tail = deltas_pickle(values) if positions and values else pickle.dumps(values, 5)
    if len(tail) < SPLIT_FROM:
        if decoded:  # in the head, as Whoosh's reader reads them
            data = (ids, weights, whoosh_values(list(values)))
        head, tail = pickle.dumps(data, 5), b""
    else:
        head = pickle.dumps((ids, weights), 5)
        tail = compress(tail, compression)
    head = compress(head, compression)
    return _HEAD.pack(len(head)) + head + tail


def compress(data: bytes, compression: int) -> bytes:
    """A block's head or values, compressed as its header's `compression` says: ZSTD, a zlib
    level (Whoosh's blocks), or 0 (not compressed)."""
    if compression == ZSTD:
        return _contexts.compressor.compress(data)
    return zlib.compress(data, compression) if compression else data


def decompress(data: bytes, compression: int) -> bytes:
    """A block's head or values as compress() had them."""
    if compression == ZSTD:
        return _contexts.decompressor.decompress(data)
    return zlib.decompress(data) if compression else data


def deltas_pickle(values: Sequence[bytes]) -> bytes:
    """One pickle of the list of each posting's position differences, from their encodings in
    Whoosh's Positions format (a 4-byte count, then a pickle of the list at protocol 2, which
    opens with two bytes, PROTO 2, and ends with one, STOP): each pickle's inside is one item
    of the new list. Checking each value's ends, for the STOP that Whoosh's readers accept
    without, made this three times as slow; this index's values are all Whoosh's encode()'s."""
    return b"\x80\x02](" + b"".join([value[6:-1] for value in values]) + b"e."


def position_deltas(values: Any) -> list[list[int]]:
    """Each posting's position differences, from a block's values as stored (either form)."""
    if type(values) is list:  # deltas_pickle(), loaded
        return values
    found: list[list[int]] = pickle.loads(deltas_pickle(values))
    return found


def whoosh_values(values: Any) -> Any:
    """A block's values as Whoosh's reader holds them, from the values as stored: the lists of
    deltas_pickle() encoded again as Whoosh's Positions format encodes them."""
    if type(values) is not list:
        return values
    return tuple(pack_uint(len(deltas)) + pickle.dumps(deltas, 2) for deltas in values)


def with_head(head: bytes, values: bytes) -> bytes:
    """A block's data from a (new) head and its values as they were."""
    return _HEAD.pack(len(head)) + head + values


def extent(info: Any) -> tuple[int, int]:
    """Where a term's postings are in the postings file: start and length (from its entry)."""
    offset, length = info.extent()
    if isinstance(length, tuple):  # as W3TermInfo.from_bytes() reads it
        (length,) = length
    return offset, length


def stored_blocks(raw: bytes) -> Iterator[tuple[tuple[Any, ...], bytes, int, int]]:
    """Each block of a term's postings as written here (`raw`: all of them, from the header's
    magic on): its header (count, last document, maximum weight, compression, shortest and
    longest length bytes), its compressed head, and where its values are in `raw` (start and
    end; equal when the head holds them).

    Read from the bytes themselves, not a seek and a read on a file for each field as Whoosh's
    block reader goes: a search reads every block of a term in each segment.
    """
    stream = io.BytesIO(raw)
    position = len(whoosh3.WHOOSH3_HEADER_MAGIC)
    while position < len(raw):
        (size,) = _INT.unpack_from(raw, position)
        end = position + _INT.size + abs(size)
        stream.seek(position + _INT.size)
        header = pickle.load(stream)
        start = stream.tell()
        (length,) = _HEAD.unpack_from(raw, start)
        values = start + _HEAD.size + length
        yield header, raw[start + _HEAD.size : values], values, end
        position = end


def weights_of(weights: Any, count: int) -> list[float] | tuple[float, ...]:
    """A block's weights from their stored form: None when all are 1, one float when all
    are equal, else each one's (as Whoosh's block writer minifies them)."""
    if weights is None:
        return [1.0] * count
    if isinstance(weights, float):
        return [weights] * count
    return weights


class LeafMatcher(whoosh3.W3LeafMatcher):
    """Whoosh's block reader for these blocks: the values are read only when asked for."""

    def _read_data(self) -> None:
        postfile, start = self._postfile, self._dataoffset
        (length,) = _HEAD.unpack(postfile.get(start, _HEAD.size))
        data = pickle.loads(decompress(postfile.get(start + _HEAD.size, length), self._compression))
        self._valuesoffset = start + _HEAD.size + length
        self._data = data if len(data) == 3 else (*data, _UNREAD)

    def _stored_values(self) -> Any:
        """The block's values as stored: Whoosh's, or the lists of deltas_pickle()."""
        if self._data is None:
            self._read_data()
        if self._data[2] is _UNREAD:
            start = self._valuesoffset
            tail = self._postfile.get(start, self._nextoffset - start)
            self._data = (*self._data[:2], pickle.loads(decompress(tail, self._compression)))
        return self._data[2]

    def _read_values(self) -> None:
        values = self._stored_values()
        if type(values) is list:
            self._data = (*self._data[:2], whoosh_values(values))
        super()._read_values()

    def read_positions(self) -> list[list[int]]:
        """Each posting's position differences (the field's format is Positions)."""
        return position_deltas(self._stored_values())


class PostingsWriter(whoosh3.W3PostingsWriter):
    """Whoosh's postings writer (which Whoosh's own index writers use) writing these blocks."""

    def _write_block(self, last: bool = False) -> None:
        # As whoosh3.W3PostingsWriter._write_block(), with the data encoded by encode().
        if not self._blockcount:
            self._postfile.write(whoosh3.WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data = (self._mini_ids(), self._mini_weights(), self._mini_values())
        databytes = encode(data, self._compression, has_positions(self._format))
        ids = self._ids
        infobytes = pickle.dumps(
            (len(ids), ids[-1], self._maxweight, self._compression,
             length_to_byte(self._minlength), length_to_byte(self._maxlength)),
            5,
        )  # fmt: skip
        length = len(infobytes) + len(databytes)
        self._postfile.write_int(-length if last else length)
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


class _Contexts(threading.local):
    """A zstd compressor and decompressor for each thread: neither may be shared between
    threads, and making one for each value costs more than decompressing it."""

    def __init__(self) -> None:
        self.compressor = zstandard.ZstdCompressor(level=3)
        self.decompressor = zstandard.ZstdDecompressor()


_contexts = _Contexts()


class StoredColumn(columns.VarBytesColumn):
    """Whoosh's column of compressed values (columns.CompressedBytesColumn), by zstd."""

    class Writer(columns.VarBytesColumn.Writer):
        def add(self, docnum: int, value: bytes) -> None:
            super().add(docnum, _contexts.compressor.compress(value))

    class Reader(columns.VarBytesColumn.Reader):
        def __getitem__(self, docnum: int) -> bytes:
            value: bytes = super().__getitem__(docnum)
            return _contexts.decompressor.decompress(value) if value else value

        def __iter__(self) -> Any:
            decompress = _contexts.decompressor.decompress
            return (decompress(value) if value else value for value in super().__iter__())

        def load(self) -> list[bytes]:
            return list(self)


STORED = columns.PickleColumn(StoredColumn())  # in place of whoosh3.STORED_COLUMN


class PerDocWriter(whoosh3.W3PerDocWriter):
    """Whoosh's writer of columns and stored fields, the stored fields in STORED."""

    def _create_column(self, fieldname: str, column: Any) -> None:
        super()._create_column(fieldname, STORED if fieldname == "_stored" else column)


class PerDocReader(whoosh3.W3PerDocReader):
    """Whoosh's reader of columns and stored fields, the stored fields from STORED."""

    def stored_fields(self, docnum: int) -> dict[str, Any]:
        value = self._cached_reader("_stored", STORED)[docnum]
        return {} if value is None else value


BLOCK = 1024  # postings a block holds at most


class Codec(whoosh3.W3Codec):
    """Whoosh's codec, its posting blocks with positions apart and its stored fields in zstd
    (this module's).

    Blocks hold up to BLOCK postings, where Whoosh's hold 128: a search reads every posting of
    its terms (every match is counted and scored), and each block costs it a header, a head
    and its values to find, decompress and unpickle. On 10,000 documents, blocks of 1,024 made
    a page 5 to 13% faster on common words and the index 12% smaller; 4,096 added little more.
    Skipping (Whoosh's own matchers, for wildcards and ranges) goes a block at a time, so
    larger blocks skip less finely; those queries are few.
    """

    def __init__(self, blocklimit: int = BLOCK, compression: int = ZSTD, inlinelimit: int = 1):
        # Whoosh's own uses of `compression`, a term vector's blocks, take -1 as zlib's
        # default level.
        super().__init__(blocklimit, compression, inlinelimit)

    def per_document_writer(self, storage: Any, segment: Any) -> Any:
        return PerDocWriter(self, storage, segment)

    def per_document_reader(self, storage: Any, segment: Any) -> Any:
        return PerDocReader(storage, segment)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        if byteids:  # a term vector: read by Whoosh's own reader
            return super().postings_writer(dbfile, byteids)
        return PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term, scorer)
        offset, length = terminfo.extent()
        return LeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


def has_positions(format_: Any) -> bool:
    """Whether a field's postings are in Whoosh's Positions format (kept by deltas_pickle())."""
    return type(format_) is formats.Positions


def is_ours(codec: object) -> bool:
    """Whether a segment's codec writes this module's blocks."""
    return isinstance(codec, Codec)

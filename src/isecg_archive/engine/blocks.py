"""A new segment's postings, written a term at a time, with merged segments' blocks copied.

Whoosh writes a segment's postings through four method calls a posting, and when a commit
merges segments it decodes every posting of each of them and encodes it again: at 10,000
documents that was most of an ingest's commits, which are most of its main process. Here
every term's postings are gathered into lists and written in blocks at once, and a full block
of a merged segment is copied: only its first document number (the others are stored as
differences) and its last change, by the segment's place in the new one, so the block's head
is unpickled and pickled again, its positions copied as they are, and no posting is read
one at a time. A merged segment's postings are always its documents' numbers in one run,
after those before it, so a term's postings are its parts in order of their first document.

The layout is Whoosh's (whoosh.codec.whoosh3.W3PostingsWriter): per term, a header, then
blocks of at most codec.BLOCK postings, each an int of its length (negative for the last), a
pickled tuple of its statistics, and its data, with positions apart (engine.codec).
"""

from __future__ import annotations

import heapq
import pickle
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from operator import sub
from typing import Any

from whoosh.codec import whoosh3
from whoosh.system import emptybytes, pack_ushort
from whoosh.util.numeric import byte_to_length

from isecg_archive.engine import codec

Posting = tuple[str, bytes, int, float, bytes | None]  # field, term, document number, weight, value
Part = tuple[str, bytes, int, Any]  # field, term, first document number, what to write


class _Run:
    """A term's postings in a merged segment, at their place in the new one."""

    def __init__(self, postfile: Any, info: whoosh3.W3TermInfo, shift: int) -> None:
        self.postfile, self.info, self.shift = postfile, info, shift


class TermPool:
    """A new segment's postings, by term: the pool Whoosh's writer adds each posting to.

    Whoosh's own pool keeps every posting as a tuple and sorts them all at the flush; here a
    term's postings are appended to its lists as the documents come (so in document order),
    and only the terms are sorted. Past `limit` postings, what the pool holds is written to a
    temporary file in term order, read back at the flush as one more part: a writer given a
    whole archive at once (a reindex on one core) holds no more than that in memory.
    """

    def __init__(self, folder: str, limit: int) -> None:
        self.folder, self.limit = folder, limit
        self.terms: dict[tuple[str, bytes], tuple[list[int], list[float], list[bytes]]] = {}
        self.count = 0
        self.spilled: list[Any] = []  # the temporary files, each the terms it held, in order

    def add(self, posting: Posting) -> None:
        fieldname, btext, docnum, weight, value = posting
        lists = self.terms.get((fieldname, btext))
        if lists is None:
            lists = self.terms[fieldname, btext] = ([], [], [])
        lists[0].append(docnum)
        lists[1].append(weight)
        lists[2].append(emptybytes if value is None else value)
        self.count += 1
        if self.count >= self.limit:
            self._spill()

    def parts(self) -> list[Iterator[Part]]:
        """What the pool holds, as parts for write(): each in term order."""
        return [*(self._read(spilled) for spilled in self.spilled), self._sorted(self.terms)]

    def cleanup(self) -> None:
        self.terms.clear()
        for spilled in self.spilled:
            spilled.close()
        self.spilled.clear()

    def _spill(self) -> None:
        # Unnamed (O_TMPFILE where the system has it): nothing is left behind, whatever stops.
        spilled = tempfile.TemporaryFile(dir=self.folder)
        pickler = pickle.Pickler(spilled, 5)
        for part in self._sorted(self.terms):
            pickler.dump(part)
            pickler.clear_memo()
        self.spilled.append(spilled)
        self.terms, self.count = {}, 0

    @staticmethod
    def _sorted(terms: dict[tuple[str, bytes], Any]) -> Iterator[Part]:
        for key in sorted(terms):
            lists = terms[key]
            yield key[0], key[1], lists[0][0], lists

    @staticmethod
    def _read(spilled: Any) -> Iterator[Part]:
        spilled.seek(0)
        unpickler = pickle.Unpickler(spilled)
        while True:
            try:
                yield unpickler.load()
            except EOFError:
                return


def from_postings(postings: Iterable[Posting]) -> Iterator[Part]:
    """Postings in (field, term, document) order, as each term's lists."""
    field: str | None = None
    text = b""
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    for fieldname, btext, docnum, weight, value in postings:
        if btext != text or fieldname != field:
            if ids:
                yield field, text, ids[0], (ids, weights, values)  # type: ignore[misc]
            field, text, ids, weights, values = fieldname, btext, [], [], []
        if docnum < 0:  # Whoosh's marks for spelling words, not postings
            continue
        ids.append(docnum)
        weights.append(weight)
        values.append(emptybytes if value is None else value)
    if ids:
        yield field, text, ids[0], (ids, weights, values)  # type: ignore[misc]


def from_segment(terms: whoosh3.W3TermsReader, shift: int, fields: Any) -> Iterator[Part]:
    """A segment's terms, in order, each with its postings to be copied `shift` documents on."""
    postfile = terms._postfile
    for (fieldname, btext), info in terms.items():
        if fieldname not in fields:
            continue
        if info.is_inlined():
            ids, weights, values = info.inlined_postings()
            yield fieldname, btext, ids[0] + shift, ([i + shift for i in ids], weights, values)
        else:
            yield fieldname, btext, info.min_id() + shift, _Run(postfile, info, shift)


def write(fieldwriter: Any, schema: Any, lengths: Any, parts: Sequence[Iterator[Part]]) -> None:
    """Write the terms of every part (each in term order) to a new segment's field writer."""
    segment_codec = fieldwriter._codec
    field = None
    term: _TermWriter | None = None
    text = b""
    for fieldname, btext, _, what in heapq.merge(*parts, key=lambda part: part[:3]):
        if fieldname != field:
            if term is not None:
                term.finish(text)
                fieldwriter.finish_field()
            field, fieldobj = fieldname, schema[fieldname]
            fieldwriter.start_field(fieldname, fieldobj)
            column = lengths.column(fieldname) if lengths is not None else None
            term = _TermWriter(fieldwriter, fieldobj.format, segment_codec, column)
            term.start()
        elif btext != text:
            assert term is not None
            term.finish(text)
            term.start()
        text = btext
        assert term is not None
        if isinstance(what, _Run):
            term.copy(what)
        else:
            term.add(*what)
    if term is not None:
        term.finish(text)
        fieldwriter.finish_field()


@dataclass(frozen=True)
class _Copied:
    """A block of a merged segment, read as far as its head."""

    data: tuple[Any, ...]  # its head: (document number differences, weights[, values])
    tail: bytes  # its values, compressed as they are (empty: in the head)
    count: int
    maxid: int
    maxweight: float
    span: tuple[int, int]  # its shortest and longest field length, as bytes
    shift: int  # how far its document numbers move in the new segment


class _TermWriter:
    """One field's terms, each written as whoosh3.W3PostingsWriter writes them."""

    def __init__(
        self, fieldwriter: Any, format: Any, segment_codec: Any, column: bytes | None
    ) -> None:
        self.fieldwriter = fieldwriter
        self.postfile = fieldwriter._postfile
        self.blocklimit: int = segment_codec._blocklimit
        self.compression: int = segment_codec._compression
        self.fixedsize = format.fixed_value_size()
        self.positions = codec.has_positions(format)
        self.column = column  # the new segment's field length bytes, by document

    def start(self) -> None:
        self.offset = self.postfile.tell()
        self.postfile.write(whoosh3.WHOOSH3_HEADER_MAGIC)
        self.ids: list[int] = []
        self.weights: list[float] = []
        self.values: list[Any] = []  # encoded positions (bytes), or decoded ones (lists)
        self.pending: bytes | None = None  # the last block, written once the next one comes
        self.held: _Copied | None = None  # a merged segment's partial block, not yet decoded
        self.info = whoosh3.W3TermInfo()

    def add(self, ids: list[int], weights: Sequence[float], values: Sequence[Any]) -> None:
        self._release()
        if self.positions and values:
            values = self._alike(values)
        self.ids += ids
        self.weights += weights
        self.values += values
        while len(self.ids) >= self.blocklimit:
            self._write_buffered(self.blocklimit)

    def copy(self, run: _Run) -> None:
        """A merged segment's postings of the term: its blocks copied, their values as they
        are, but for a partial block that other postings of the term follow: those are
        written together (so that a term of a few postings in each segment is one block)."""
        raw = run.postfile.get(*codec.extent(run.info))
        for header, head, values, end in codec.stored_blocks(raw):
            count, maxid, maxweight, compression, minbyte, maxbyte = header
            tail = raw[values:end]
            data = pickle.loads(codec.decompress(head, compression))
            if compression != self.compression:  # not as this segment writes: decoded
                self.add(*self._decoded(data, tail, compression, count, run.shift))
                continue
            # Only the first document number changes: the values are copied as they are.
            copied = _Copied(data, tail, count, maxid, maxweight, (minbyte, maxbyte), run.shift)
            if count >= self.blocklimit:  # written after what came before it, as it was
                if self.held is not None:
                    self._write_copied(self.held)
                    self.held = None
                self._write_buffered(len(self.ids))
                self._write_copied(copied)
                continue
            self._release()
            if self.ids:
                self.add(*self._decoded(data, tail, compression, count, run.shift))
            else:
                self.held = copied

    def finish(self, text: bytes) -> None:
        if self.held is not None:
            self._write_copied(self.held)
            self.held = None
        if self.ids:
            self._write_buffered(len(self.ids))
        self._flush(last=True)
        self.info.set_extent(self.offset, self.postfile.tell() - self.offset)
        key = pack_ushort(self.fieldwriter._fieldid) + text
        self.fieldwriter._tindex.add(key, self.info.to_bytes())

    def _release(self) -> None:
        """The partial block held back, decoded into the buffer: more postings follow it."""
        held, self.held = self.held, None
        if held is not None:
            self.add(*self._decoded(held.data, held.tail, self.compression, held.count, held.shift))

    def _alike(self, values: Sequence[Any]) -> Sequence[Any]:
        """Positions in the form the buffer holds them: Whoosh's encoded values (bytes), as
        new documents' postings come, or each posting's list of differences, as a merged
        segment's blocks hold them decoded. Either way round, when the two meet, the encoded
        ones are decoded: one pickle.loads() for them all, where encoding the lists took a
        pickle.dumps() each, and was most of a merge's time."""
        decoded = type(values[0]) is list
        if self.values and decoded != (type(self.values[0]) is list):
            if decoded:
                self.values = pickle.loads(codec.deltas_pickle(self.values))
            else:
                values = pickle.loads(codec.deltas_pickle(values))
        return values

    def _decoded(self, data: tuple[Any, ...], tail: bytes, compression: int, count: int,
                 shift: int) -> tuple[list[int], list[float], list[Any]]:  # fmt: skip
        """A copied block's postings: document numbers (shifted), weights and values (for
        positions kept apart, each posting's list of differences, see _alike())."""
        if len(data) == 3:
            values = data[2]
        else:
            values = pickle.loads(codec.decompress(tail, compression))
        ids = [docnum + shift for docnum in accumulate(data[0])]
        return ids, list(codec.weights_of(data[1], count)), self._values(values, count)

    def _write_copied(self, copied: _Copied) -> None:
        ids, weights, *rest = copied.data
        shifted = (ids[0] + copied.shift, *ids[1:])
        head = codec.compress(pickle.dumps((shifted, weights, *rest), 5), self.compression)
        self._block(codec.with_head(head, copied.tail), copied.count, shifted[0],
                    copied.maxid + copied.shift, copied.maxweight, copied.span,
                    _total(weights, copied.count))  # fmt: skip

    def _values(self, values: Any, count: int) -> list[bytes]:
        if values is None:
            return [emptybytes] * count
        if isinstance(values, bytes):
            size = self.fixedsize
            return [values[n : n + size] for n in range(0, len(values), size)]
        return list(values)

    def _write_buffered(self, count: int) -> None:
        if not count:
            return
        ids, weights, values = self.ids[:count], self.weights[:count], self.values[:count]
        del self.ids[:count], self.weights[:count], self.values[:count]
        rounded = array("f", weights)  # as Whoosh stores them
        if all(weight == 1.0 for weight in rounded):
            mini_weights: object = None
        elif rounded.count(rounded[0]) == count:
            mini_weights = rounded[0]
        else:
            mini_weights = tuple(rounded)
        if self.fixedsize is None or self.fixedsize < 0:
            mini_values: object = tuple(values)
        elif self.fixedsize == 0:
            mini_values = None
        else:
            mini_values = emptybytes.join(values)
        deltas = (ids[0], *map(sub, ids[1:], ids[:-1]))
        bytes_ = [b for b in map(self.column.__getitem__, ids) if b] if self.column else []
        span = (min(bytes_), max(bytes_)) if bytes_ else (0, 0)
        data = (deltas, mini_weights, mini_values)
        databytes = codec.encode(data, self.compression, self.positions)
        self._block(databytes, count, ids[0], ids[-1], max(weights), span, sum(rounded))

    def _block(self, databytes: bytes, count: int, minid: int, maxid: int, maxweight: float,
               span: tuple[int, int], total: float) -> None:  # fmt: skip
        """Write the block before this one, keep this one: only the last is marked so."""
        infobytes = whoosh3.dumps((count, maxid, maxweight, self.compression, *span), 2)
        self._flush(last=False)
        self.pending = infobytes + databytes
        # The term's statistics, as W3TermInfo.add_block() keeps them.
        info = self.info
        info._weight += total
        info._df += count
        if span[0]:
            shortest = byte_to_length(span[0])
            info._minlength = (
                shortest if info._minlength is None else min(info._minlength, shortest)
            )
        info._maxlength = max(info._maxlength, byte_to_length(span[1]))
        info._maxweight = max(info._maxweight, maxweight)
        if info._minid is None:
            info._minid = minid
        info._maxid = maxid

    def _flush(self, last: bool) -> None:
        if self.pending is not None:
            self.postfile.write_int(-len(self.pending) if last else len(self.pending))
            self.postfile.write(self.pending)
            self.pending = None


def _total(weights: Any, count: int) -> float:
    if weights is None:
        return float(count)
    if isinstance(weights, float):
        return weights * count
    return float(sum(weights))

"""How the archive's index writer writes a segment, over Whoosh's own writer.

- `merge_tiers`: the merge policy, segments merged by size tiers, never more than MAX_SEGMENTS;
- `SegmentWriter`: Whoosh's writer with the field lengths read once at commit and the segments
  it merges streamed into the new one;
- posting blocks and term infos pickled at protocol 5 (`_dumps`).

The files written are Whoosh's (whoosh.codec.whoosh3), their posting blocks with positions
apart (engine.codec).
"""

from __future__ import annotations

import math
import pickle
from contextlib import closing
from typing import TYPE_CHECKING, Any

from whoosh import columns, writing
from whoosh.codec import whoosh3
from whoosh.codec.base import Segment
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length

from isecg_archive.engine import blocks, codec, readers

if TYPE_CHECKING:
    from isecg_archive.engine.merging import Background

CODEC = codec.Codec()  # what every writer of the index writes with
BACKGROUND_FROM = 1000  # documents: merges of fewer take a second or two, and are done inline

MERGE_FACTOR = 8  # segments of one size tier that are merged into one
MAX_SEGMENTS = 10  # at most, after any commit: a search reads every segment


def _dumps(value: object, protocol: int | None = None) -> bytes:
    """Whoosh's pickling of posting blocks and term infos, at pickle protocol 5.

    Whoosh asks for protocol 2, which writes each posting's encoded positions (bytes) as a call
    to codecs.encode() of a latin-1 string: a third of the index's size, and a function call
    per posting when a block is read back. Protocol 5 writes bytes as bytes; Whoosh reads any
    protocol, so indexes written either way are read alike.
    """
    return pickle.dumps(value, 5)


whoosh3.dumps = _dumps


def _tier(segment: Segment) -> int:
    """Segments of 1-7 documents are tier 0, 8-63 tier 1, 64-511 tier 2, and so on."""
    return int(math.log(max(segment.doc_count_all(), 1), MERGE_FACTOR))


def merge_tiers(
    writer: writing.SegmentWriter,
    segments: list[Segment],
    background: Background | None = None,
) -> list[Segment]:
    """Whoosh merge policy: merge the segments of a size tier once it holds MERGE_FACTOR of them.

    Whoosh's default policy sometimes merges every segment at a commit, which stalled an ingest
    of 10,000 documents for minutes and would make adding one document as slow. Merging by
    tiers keeps each commit's work in proportion to what it adds, and the index at a few
    segments per tier; beyond MAX_SEGMENTS in all, the smallest are merged too (_smallest()),
    so that any number of ingests leaves the index as fast to search as a rebuilt one.
    With a `background` (engine.merging), merges of BACKGROUND_FROM documents or more run in
    its process, one at a time, and come in at a later commit; a tier that is due while it is
    busy waits for it, and segments whose background merge failed are merged inline.
    """
    if background is not None and not background.serves(writer.storage.folder):
        background = None  # a writer of another index (a rebuild's)
    elsewhere: set[str] = set()  # the ids of segments in or waiting for the background merge
    if background is not None:
        segments = background.swap_in(segments)
        elsewhere = background.merging()
    tiers: dict[int, list[Segment]] = {}
    for segment in segments:
        if segment.segment_id() not in elsewhere:
            tiers.setdefault(_tier(segment), []).append(segment)
    kept: list[Segment] = []
    due: list[list[Segment]] = []
    for group in tiers.values():
        if len(group) < MERGE_FACTOR:
            kept.extend(group)
        else:
            due.append(group)
    # Never more than MAX_SEGMENTS after the commit (the kept ones, the new one, and the
    # background merge's result): the smallest kept ones are merged too (_smallest()).
    kept.sort(key=lambda segment: segment.doc_count_all())
    excess = len(kept) + 1 + bool(elsewhere) - MAX_SEGMENTS
    if excess > 0 and kept:
        due.append(_smallest(kept, excess))
        kept = kept[len(due[-1]) :]
    merged: list[Segment] = []
    for group in due:
        if (
            background is not None
            and sum(s.doc_count() for s in group) >= BACKGROUND_FROM
            and not background.failed(group)
        ):
            if not background.running:
                background.start(group)
            elsewhere.update(s.segment_id() for s in group)
        else:
            merged.extend(group)
    for segment in merged:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        if isinstance(writer, SegmentWriter):
            writer.add_reader(reader)  # which reads its postings at the flush, then closes it
        else:
            with closing(reader):
                writer.add_reader(reader)
    return kept + [s for s in segments if s.segment_id() in elsewhere]


def _smallest(kept: list[Segment], excess: int) -> list[Segment]:
    """The `excess` smallest segments (kept is in ascending size), and with them the next
    smallest while the group stays within a tier's worth: MERGE_FACTOR segments, MERGE_FACTOR
    times the size of the largest of those it must merge.

    Merged one or two at a time, the smallest segment grew by a commit's documents at every
    commit and was merged again each time: at 50,000 documents, 106 pauses over 5 s (up to
    13 s), each merging up to 4,000 documents inline.
    """
    group = kept[:excess]
    limit = MERGE_FACTOR * max(s.doc_count_all() for s in group)
    total = sum(s.doc_count_all() for s in group)
    for segment in kept[excess:]:
        if len(group) >= MERGE_FACTOR or total + segment.doc_count_all() > limit:
            break
        group.append(segment)
        total += segment.doc_count_all()
    return group


class SegmentWriter(writing.SegmentWriter):
    """Whoosh's writer, with the postings written by engine.blocks and the segments it merges
    read in order at the flush rather than sorted again.

    Whoosh puts every posting of a segment it merges into its posting pool, which sorts them
    all again (writing sorted runs to disk past its memory limit), though a segment holds its
    postings in order: at 10,000 documents that pool and its sorting were two fifths of the
    ingest's main process. Here the pool (engine.blocks.TermPool) holds only the new documents'
    postings, in lists by term, so that only the terms are sorted; each merged segment's terms
    are read in order at the flush, their full blocks copied (engine.blocks).
    At commit Whoosh also looks each posting's field length up in the new segment's file (the
    index is not memory-mapped): a tenth of an ingest's time; here each column is read once.
    """

    def __init__(self, *args: Any, limitmb: int = 128, **kwargs: Any) -> None:
        kwargs.setdefault("codec", CODEC)
        super().__init__(*args, limitmb=limitmb, **kwargs)
        # About 130 bytes a posting held: a list slot each for its number, weight and value,
        # a float, an int, and the value's bytes (a text's positions).
        self.pool = blocks.TermPool(self._tempstorage.folder, limitmb * 2**20 // 130)
        self._merging: list[tuple[SegmentReader, int, Any]] = []

    def per_document_reader(self) -> object:
        return _LengthsReadOnce(super().per_document_reader(), self.docnum)

    def write_per_doc(self, fieldnames: set[str], reader: Any) -> dict[int, int] | None:
        """Called by add_reader() for a merged segment: Whoosh's own, with each document's
        stored fields copied as the segment holds them and its lengths read a column at once.

        Whoosh decompresses and unpickles each document's stored fields (here its whole text,
        page by page), then pickles and compresses them again, and looks each field length up
        in the file: at 50,000 documents a sixth of the ingest's main process. Returns the
        documents' new numbers where the segment had deletions (None: one run from here).
        """
        perdoc = getattr(reader, "_perdoc", None)
        schema, pdw = self.schema, self.perdocwriter
        if (
            not isinstance(perdoc, codec.PerDocReader)  # a stock segment: zlib, not zstd
            or not isinstance(pdw, codec.PerDocWriter)
            or any(schema[name].vector for name in fieldnames)
        ):
            return super().write_per_doc(fieldnames, reader)
        count = reader.doc_count_all()
        docmap: dict[int, int] | None = {} if reader.has_deletions() else None
        lengths = {
            name: column
            for name in sorted(fieldnames)
            if (column := readers.length_column(perdoc, name, count)) is not None
        }
        values = {}  # the sortable fields' columns, their values copied as they are stored
        for name in sorted(fieldnames):
            column_type = schema[name].column_type
            if column_type and reader.has_column(name):
                column = reader.column_reader(name, column_type)
                if isinstance(column, columns.TranslatingColumnReader):
                    column = column.raw_column()
                values[name] = (column_type, column)
        stored = perdoc._cached_reader("_stored", codec.STORED)
        stored_in = stored._child if stored is not None else None  # compressed pickles
        stored_out = pdw._get_column("_stored")._child
        for docnum in reader.all_doc_ids():  # the live ones
            if docmap is not None:
                docmap[docnum] = self.docnum
            pdw.start_doc(self.docnum)
            for name, column in lengths.items():
                if column[docnum]:
                    pdw.add_column_value(_lenfield(name), LENGTHS_COLUMN, column[docnum])
                    pdw._fieldlengths[name] += byte_to_length(column[docnum])
            for name, (column_type, column) in values.items():
                pdw.add_column_value(name, column_type, column[docnum])
            raw = columns.VarBytesColumn.Reader.__getitem__(stored_in, docnum) if stored_in else b""
            if raw:
                columns.VarBytesColumn.Writer.add(stored_out, self.docnum, raw)
            pdw.finish_doc()  # given no stored fields of its own, it adds none
            self.docnum += 1
        return docmap

    def add_postings_to_pool(self, reader: SegmentReader, startdoc: int, docmap: Any) -> None:
        """Called by add_reader() for a merged segment: its postings are read at the flush
        (the reader stays open until then)."""
        self._merging.append((reader, startdoc, docmap))

    def _flush_segment(self) -> None:
        # Whoosh's own, with the postings written by engine.blocks.
        self.perdocwriter.close()
        lengths: Any = self.per_document_reader() if self.codec.length_stats else None
        parts = self.pool.parts()
        for reader, startdoc, docmap in self._merging:
            terms = getattr(reader, "_terms", None)
            if (
                docmap is None
                and isinstance(terms, whoosh3.W3TermsReader)
                and codec.is_ours(terms._codec)
            ):
                parts.append(blocks.from_segment(terms, startdoc, self.schema))
            else:  # documents deleted in it, or other blocks: read a posting at a time
                postings = self._process_posts(reader.iter_postings(), startdoc, docmap)
                parts.append(blocks.from_postings(postings))
        blocks.write(self.fieldwriter, self.schema, lengths, parts)
        self.fieldwriter.close()
        if lengths:
            lengths.close()

    def _close_segment(self) -> None:
        super()._close_segment()
        for reader, _, _ in self._merging:
            reader.close()
        self._merging.clear()


class _LengthsReadOnce:
    """A segment's per-document reader whose field lengths come from each column read once."""

    def __init__(self, perdoc: object, doc_count: int) -> None:
        self._perdoc = perdoc
        self._doc_count = doc_count
        self._columns: dict[str, bytes | None] = {}

    def __getattr__(self, name: str) -> object:
        return getattr(self._perdoc, name)

    def column(self, fieldname: str) -> bytes | None:
        """The field's length bytes, by document (None: the field has no lengths)."""
        if fieldname not in self._columns:
            self._columns[fieldname] = readers.length_column(
                self._perdoc, fieldname, self._doc_count
            )
        return self._columns[fieldname]

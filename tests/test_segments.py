"""The index writer's segments (engine.writing, engine.blocks) against Whoosh's stock writer."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh import writing as whoosh_writing
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.reading import SegmentReader

from isecg_archive.engine.writing import SegmentWriter

WORDS = [f"w{n}" for n in range(60)]  # most are in well over 128 of 300 documents


@pytest.fixture(autouse=True)
def blocks_of_128(monkeypatch: pytest.MonkeyPatch) -> None:
    """These segments of 300 documents are written in blocks of 128 postings, not the index's
    1,024 (codec.BLOCK), so that their terms fill blocks and a merge copies whole ones as well
    as decoding partial ones."""
    from isecg_archive.engine import codec, writing

    monkeypatch.setattr(writing, "CODEC", codec.Codec(blocklimit=128))


def schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        text=TEXT(stored=True),
        tags=KEYWORD(scorable=True),
        rank=NUMERIC(int, sortable=True),
        pages=STORED(),
    )


def documents(count: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    found = []
    for n in range(count):
        words = rng.choices(WORDS, k=rng.randint(5, 80)) + [f"rare{seed}x{n % 7}"]
        tags = " ".join(sorted(set(rng.choices(["a", "b", "c"], k=2))))
        text = " ".join(words)
        pages = [text[:40], text[40:]]
        found.append({"id": f"{seed}-{n}", "text": text, "tags": tags, "rank": n, "pages": pages})
    return found


def merge_all(writer: whoosh_writing.SegmentWriter, segments: list) -> list:
    for segment in segments:
        writer.add_reader(SegmentReader(writer.storage, writer.schema, segment))
    return []


def contents(folder: Path, storage: Any = None) -> dict[str, object]:
    """Every term's statistics and postings (by document id, with weight and value), every
    field length, stored field and sortable value: what a search reads, whatever the segments'
    layout (read through `storage`, or as Whoosh opens a folder)."""
    index = storage.open_index() if storage else whoosh_index.open_dir(str(folder))
    with index.reader() as reader:
        ids = {docnum: fields["id"] for docnum, fields in reader.iter_docs()}
        postings = {}
        for field, term in reader.all_terms():
            info = reader.term_info(field, term)
            matcher, found = reader.postings(field, term), []
            while matcher.is_active():
                found.append((ids[matcher.id()], matcher.weight(), matcher.value()))
                matcher.next()
            statistics = (info.weight(), info.doc_frequency(), info.min_length(),
                          info.max_length(), info.max_weight())  # fmt: skip
            postings[field, term] = statistics, sorted(found)
        lengths = {
            (ids[docnum], field): reader.doc_field_length(docnum, field)
            for docnum in ids
            for field in ("text", "tags")
        }
        totals = {field: reader.field_length(field) for field in ("text", "tags")}
        stored = {ids[docnum]: fields for docnum, fields in reader.iter_docs()}
        sortable = {
            name: {ids[docnum]: reader.column_reader(name)[docnum] for docnum in ids}
            for name in ("id", "rank")
        }
    return {
        "postings": postings,
        "lengths": lengths,
        "totals": totals,
        "stored": stored,
        "sortable": sortable,
        "count": len(ids),
    }


def three_segments(folder: Path, writer_class: type, batches: list, delete: bool) -> Any:
    """An index of three batches committed as three segments (a document deleted from the
    second if `delete`)."""
    folder.mkdir()
    index = whoosh_index.create_in(str(folder), schema())
    for batch in batches[:3]:
        writer = writer_class(index)
        for fields in batch:
            writer.add_document(**fields)
        writer.commit(mergetype=whoosh_writing.NO_MERGE)
    if delete:
        writer = writer_class(index)
        writer.delete_by_term("id", "2-17")
        writer.commit(mergetype=whoosh_writing.NO_MERGE)
    assert len(index.reader().leaf_readers()) == 3
    return index


def merged(folder: Path, writer_class: type, batches: list, delete: bool) -> Path:
    """Three segments (three_segments()) merged into one with a commit of a fourth batch."""
    index = three_segments(folder, writer_class, batches, delete)
    writer = writer_class(index)
    for fields in batches[3]:
        writer.add_document(**fields)
    writer.commit(mergetype=merge_all)
    assert len(index.reader().leaf_readers()) == 1
    return folder


@pytest.mark.parametrize("delete", [False, True])
def test_merged_segments_hold_what_the_stock_writer_writes(tmp_path: Path, delete: bool):
    """Three segments of 300 documents merged with a commit of five: their full blocks are
    copied, the rest written anew (a segment with a deleted document read a posting at a time),
    their stored fields copied as stored. The index holds what Whoosh's own writer writes,
    merging the same segments: postings, statistics, field lengths and their totals, stored
    fields, sortable values; and, but for the totals (a merge adds the lengths as a byte keeps
    them, to within a few percent), what it writes given the same documents at once."""
    batches = [documents(300, seed) for seed in (1, 2, 3)] + [documents(5, 4)]
    ours = contents(merged(tmp_path / "ours", SegmentWriter, batches, delete))
    stock_merged = contents(
        merged(tmp_path / "stock", whoosh_writing.SegmentWriter, batches, delete)
    )
    assert ours == stock_merged

    at_once = tmp_path / "at-once"
    at_once.mkdir()
    writer = whoosh_index.create_in(str(at_once), schema()).writer()
    for fields in (fields for batch in batches for fields in batch):
        if not (delete and fields["id"] == "2-17"):
            writer.add_document(**fields)
    writer.commit()
    expected = contents(at_once)
    assert ours["count"] == expected["count"] == 905 - delete
    totals, exact = ours.pop("totals"), expected.pop("totals")
    assert all(abs(totals[field] - exact[field]) <= 0.03 * exact[field] for field in exact)
    assert ours == expected
    statistics, postings = ours["postings"]["text", b"w0"]  # type: ignore[index]
    assert statistics[1] == len(postings) > 3 * 128  # blocks copied from each segment
    assert ours["postings"]["tags", b"a"][0][0] > 300  # type: ignore[index]
    # A term's last, partial blocks of each segment are written as one block: those in one
    # segment only as they were, the others together.
    sizes = block_sizes(tmp_path / "ours")
    assert sizes["text", b"rare1x3"] == [43]
    assert sizes["text", b"rare2x3"] == [43 - delete]
    assert all(len(found) == 1 for found in sizes.values() if sum(found) <= 128)


def only_segment(reader: Any) -> Any:
    """The reader of a one-segment index's segment (Whoosh opens such an index as it)."""
    (segment,) = [leaf for leaf, _ in reader.leaf_readers()] or [reader]
    return segment


def block_sizes(folder: Path) -> dict[tuple[str, bytes], list[int]]:
    """Each term's blocks, by their number of postings, in a one-segment index."""
    from isecg_archive.engine.postings import postings

    with whoosh_index.open_dir(str(folder)).reader() as reader:
        segment = only_segment(reader)
        sizes = {}
        for field, term in segment.all_terms():
            found = postings(segment, field, term)
            assert found is not None
            sizes[field, term] = [len(block.docnums) for block in found.blocks(weights=False)]
    return sizes


def stored_frames(folder: Path) -> list[bytes]:
    """The first bytes of each document's stored fields as a one-segment index holds them."""
    from whoosh import columns

    from isecg_archive.engine import codec

    with whoosh_index.open_dir(str(folder)).reader() as reader:
        perdoc = only_segment(reader)._perdoc
        raw = perdoc._cached_reader("_stored", codec.STORED)._child
        return [
            columns.VarBytesColumn.Reader.__getitem__(raw, docnum)[:4]
            for docnum in range(reader.doc_count_all())
        ]


def block_frames(folder: Path) -> list[bytes]:
    """The first bytes of each posting block's head and values (if apart), in a one-segment
    index."""
    from isecg_archive.engine import codec
    from isecg_archive.engine.postings import term_info

    frames = []
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        segment = only_segment(reader)
        for field, term in segment.all_terms():
            info = term_info(segment, field, term)
            if info.is_inlined():
                continue
            raw = segment._terms._postfile.get(*codec.extent(info))
            for _, head, values, end in codec.stored_blocks(raw):
                frames += [head[:4], raw[values : values + 4]] if values < end else [head[:4]]
    return frames


ZSTD_FRAME = b"\x28\xb5\x2f\xfd"  # the magic number every zstd frame opens with


@pytest.mark.parametrize("first", ["ours", "stock"])
def test_stored_fields_and_blocks_are_zstd_frames_whoever_wrote_the_merged_segments(
    tmp_path: Path, first: str
):
    """Our writer compresses stored fields and posting blocks by zstd. Merging its own
    segments it copies them as they are; segments of Whoosh's stock writer (zlib) are read and
    compressed again. The merged index reads back what the stock writer's does, merging the
    same segments: stored fields, and postings whatever form their blocks' positions were
    copied in."""
    batches = [documents(300, seed) for seed in (1, 2, 3)] + [documents(5, 4)]
    writer_class = SegmentWriter if first == "ours" else whoosh_writing.SegmentWriter
    index = three_segments(tmp_path / "index", writer_class, batches, delete=True)
    writer = SegmentWriter(index)
    for fields in batches[3]:
        writer.add_document(**fields)
    writer.commit(mergetype=merge_all)
    stock = contents(merged(tmp_path / "stock", whoosh_writing.SegmentWriter, batches, True))
    assert contents(tmp_path / "index") == stock
    assert set(stored_frames(tmp_path / "index")) == {ZSTD_FRAME}
    assert len(stored_frames(tmp_path / "index")) == 904
    blocks = block_frames(tmp_path / "index")
    assert set(blocks) == {ZSTD_FRAME}
    assert len(blocks) > 100


def test_a_writer_past_its_memory_limit_writes_what_the_stock_writer_writes(tmp_path: Path):
    """Past its limit the writer's pool sets its postings aside in temporary files, in term
    order, and reads them back at the commit: the same index as Whoosh's own writer's."""
    batch = [fields for seed in (1, 2, 3) for fields in documents(300, seed)]
    ours, stock = tmp_path / "ours", tmp_path / "stock"
    for folder in (ours, stock):
        folder.mkdir()
        index = whoosh_index.create_in(str(folder), schema())
        writer = SegmentWriter(index, limitmb=1) if folder == ours else index.writer()
        for fields in batch:
            writer.add_document(**fields)
        if folder == ours:
            assert len(writer.pool.spilled) >= 2  # about 8,000 postings a file
        writer.commit()
    assert contents(ours) == contents(stock)
    assert list(ours.glob("*.tmp")) == []


def test_a_background_merge_comes_in_with_the_deletions_made_meanwhile(tmp_path: Path):
    """Three segments (one with a document deleted) merged in the background (engine.merging)
    while a writer deletes documents from two of them and commits a fourth batch: once the
    merge is in, the index holds what Whoosh's own writer holds merging the same segments,
    then deleting and adding the same documents, in two segments, and nothing of the merge
    process is left."""
    from isecg_archive.engine import merging

    batches = [documents(300, seed) for seed in (1, 2, 3)] + [documents(5, 4)]
    folder = tmp_path / "index"
    index = three_segments(folder, SegmentWriter, batches, delete=True)
    background = merging.Background(folder)
    try:
        background.start(index._segments())
        process = background._merge.process  # type: ignore[union-attr]

        def swap(writer: SegmentWriter, segments: list) -> list:
            return background.swap_in(segments)

        writer = SegmentWriter(index)
        for gone in ("1-5", "3-0", "3-299"):
            writer.delete_by_term("id", gone)
        for fields in batches[3]:
            writer.add_document(**fields)
        writer.commit(mergetype=swap)
        background.finish()
        SegmentWriter(index).commit(mergetype=swap)
        assert not background.running
        assert not process.is_alive()
    finally:
        background.stop()
    assert len(index.reader().leaf_readers()) == 2
    assert not (folder / merging.SCRATCH).exists()

    # Whoosh's own writer, merging the same segments first, then deleting and adding.
    stock = tmp_path / "stock"
    index = three_segments(stock, whoosh_writing.SegmentWriter, batches, delete=True)
    whoosh_writing.SegmentWriter(index).commit(mergetype=merge_all)
    writer = index.writer()
    for gone in ("1-5", "3-0", "3-299"):
        writer.delete_by_term("id", gone)
    for fields in batches[3]:
        writer.add_document(**fields)
    writer.commit(mergetype=whoosh_writing.NO_MERGE)
    ours = contents(folder)
    assert ours["count"] == 905 - 4
    assert ours == contents(stock)


def test_a_background_merge_that_dies_leaves_its_segments_as_they_were(tmp_path: Path):
    """A merge process killed (out of memory, say) takes nothing with it: the commit after it
    keeps the three segments, whose documents all stay searchable, and the merge policy is
    told not to hand them to the background again."""
    from isecg_archive.engine import merging

    batches = [documents(300, seed) for seed in (1, 2, 3)]
    folder = tmp_path / "index"
    index = three_segments(folder, SegmentWriter, batches, delete=False)
    before = contents(folder)
    background = merging.Background(folder)
    try:
        background.start(index._segments())
        process = background._merge.process  # type: ignore[union-attr]
        process.kill()
        process.join()
        # What a process killed mid-way leaves: its pool's folder and a file of the segment.
        (folder / merging.SCRATCH / "MAIN.tmp").mkdir(exist_ok=True)
        (folder / merging.SCRATCH / "MAIN.tmp" / "pool").write_bytes(b"\0")
        SegmentWriter(index).commit(mergetype=lambda _, segments: background.swap_in(segments))
        assert not background.running
        assert background.failed(index._segments())  # the merge policy merges them inline
    finally:
        background.stop()
    assert len(index.reader().leaf_readers()) == 3
    assert contents(folder) == before
    assert not (folder / merging.SCRATCH).exists()


def test_past_the_bound_the_smallest_segments_merge_a_tier_at_a_time():
    """Beyond MAX_SEGMENTS the smallest segments merge, and with them the next smallest while
    the group stays within a tier's worth, so that the smallest does not grow by one commit at
    a time and get merged again at every commit; a large segment never joins a small group."""
    from whoosh.codec.whoosh3 import W3Codec, W3Segment

    from isecg_archive.engine.writing import _smallest

    def segments(*sizes: int) -> list:
        return [W3Segment(W3Codec(), "MAIN", doccount=size) for size in sizes]

    def sizes(group: list) -> list[int]:
        return [segment.doc_count_all() for segment in group]

    kept = segments(200, 200, 200, 400, 4000, 4000, 4000, 4000, 4000)
    assert sizes(_smallest(kept, 1)) == [200, 200, 200, 400]  # within 8 x 200
    assert sizes(_smallest(segments(1, *[4000] * 8), 1)) == [1]  # adding one document
    assert sizes(_smallest(segments(*[10] * 12), 2)) == [10] * 8  # at most MERGE_FACTOR
    assert sizes(_smallest(segments(5, 6, 7, 4000, 4000), 3)) == [5, 6, 7]


def test_a_searcher_reads_through_its_maps_what_the_files_hold(tmp_path: Path):
    """Searchers read segment files through memory maps (engine.mapped): every posting,
    statistic, length, stored field and sortable value of three segments, one with a deleted
    document, is what reading the files gives; and a part's cursor reads, seeks and tells as a
    BytesIO over the same bytes does."""
    import io

    from whoosh.filedb.filestore import FileStorage

    from isecg_archive.engine import mapped

    batches = [documents(300, seed) for seed in (1, 2, 3)]
    folder = tmp_path / "index"
    three_segments(folder, SegmentWriter, batches, delete=True)
    files = FileStorage(str(folder), supports_mmap=False)
    assert contents(folder, mapped.storage(str(folder))) == contents(folder, files)

    segment = next(folder.glob("*.seg"))
    with segment.open("rb") as handle:
        compound = mapped.MappedCompound(files.open_file(segment.name))
    name = max(compound.list(), key=compound.file_length)
    part = compound.open_file(name)
    assert isinstance(part, mapped.MappedPart)
    offset, length = compound.range(name)
    expected = io.BytesIO(segment.read_bytes()[offset : offset + length])
    cursor = part.file
    assert part.get(length - 5, 50) == expected.getvalue()[-5:]
    steps = [("read", 7), ("readline",), ("read", 0), ("seek", 3, 1), ("read", 40),
             ("seek", -9, 2), ("read", -1), ("read", 5), ("seek", 100, 0), ("readline", 3),
             ("tell",), ("seek", 10**9, 0), ("read", 4)]  # fmt: skip
    for name, *args in steps:
        assert getattr(cursor, name)(*args) == getattr(expected, name)(*args), (name, args)
    compound.close()
    del handle


def test_a_word_is_scored_as_whoosh_scores_its_term_whatever_the_segments(tmp_path: Path):
    """engine.ranking looks each of a word's terms up once per segment, for its frequency and
    its postings: over three segments written by Whoosh's own writer, one with a deleted
    document, a word in one field scores every document as Whoosh's BM25F scores the term, for
    words in every segment, in one, in one document, and in none."""
    from whoosh import query as q

    from isecg_archive.engine import mapped, ranking
    from isecg_archive.engine.query import Word
    from isecg_archive.engine.scoring import BM25F

    batches = [documents(300, seed) for seed in (1, 2, 3)]
    batches[1].append({"id": "solo", "text": "w1 solitary", "tags": "a", "rank": 0, "pages": []})
    folder = tmp_path / "index"
    three_segments(folder, whoosh_writing.SegmentWriter, batches, delete=True)
    with mapped.storage(str(folder)).open_index().searcher(weighting=BM25F()) as searcher:
        counts = {}
        for text in ("w1", "w7", "rare2x3", "solitary", "absent"):
            word = Word([q.Term("text", text), q.Term("tags", text)], text)
            expected = {
                hit.docnum: hit.score for hit in searcher.search(q.Term("text", text), limit=None)
            }
            assert ranking.matches(searcher, word) == pytest.approx(expected, rel=1e-9), text
            counts[text] = len(expected)
    # rare2x3 is in 43 documents of the second segment, one of them deleted
    assert counts == {"w1": 426, "w7": 446, "rare2x3": 42, "solitary": 1, "absent": 0}


def test_positions_are_read_only_when_a_search_asks_for_them(tmp_path: Path, monkeypatch):
    """Posting blocks keep positions apart from document numbers and weights (engine.codec):
    scoring a common word decompresses under 70% of what reading its positions too does,
    and the postings are the same either way: the stock writer's, read by Whoosh's reader."""
    from isecg_archive.engine import codec
    from isecg_archive.engine.postings import postings

    batch = [fields for seed in (1, 2) for fields in documents(300, seed)]
    for folder, writer_class in (("ours", SegmentWriter), ("stock", whoosh_writing.SegmentWriter)):
        (tmp_path / folder).mkdir()
        writer = writer_class(whoosh_index.create_in(str(tmp_path / folder), schema()))
        for fields in batch:
            writer.add_document(**fields)
        writer.commit()
    assert contents(tmp_path / "ours") == contents(tmp_path / "stock")

    decompressed: list[bytes] = []
    original = codec.decompress

    def counted(data: bytes, compression: int) -> bytes:
        decompressed.append(original(data, compression))
        return decompressed[-1]

    monkeypatch.setattr(codec, "decompress", counted)
    with whoosh_index.open_dir(str(tmp_path / "ours")).reader() as reader:
        segment = only_segment(reader)
        read = {}
        for positions in (False, True):
            decompressed.clear()
            found = postings(segment, "text", b"w0")
            assert found is not None
            blocks = list(found.blocks(weights=True, positions=positions))
            read[positions] = sum(map(len, decompressed))
            assert sum(len(block.docnums) for block in blocks) > 2 * 128  # three blocks
            if positions:
                assert all(len(b.positions) == len(b.docnums) for b in blocks)
    assert read[False] < 0.7 * read[True]  # the documents are short: a few positions each


def test_phrases_match_where_whoosh_finds_them(tmp_path: Path):
    """engine.ranking finds a phrase's words one after the other from their positions read a
    block at a time: over 600 documents of few words (so that most have the words of a phrase,
    many not together), in three segments with a deletion, every phrase of two and three words
    (repeated words, the first and last word of a text among them) matches the documents
    Whoosh's own phrase search matches, with its scores."""
    from whoosh import query as q

    from isecg_archive.engine import mapped, ranking
    from isecg_archive.engine.scoring import BM25F

    rng = random.Random(7)
    words = ["ice", "water", "polar", "dust", "lunar"]
    batches = [
        [
            {"id": f"{seed}-{n}", "text": " ".join(rng.choices(words, k=rng.randint(1, 30))),
             "tags": "a", "rank": n, "pages": []}
            for n in range(200)
        ]
        for seed in range(3)
    ]  # fmt: skip
    folder = tmp_path / "index"
    three_segments(folder, SegmentWriter, batches, delete=False)
    index = whoosh_index.open_dir(str(folder))
    writer = SegmentWriter(index)
    writer.delete_by_term("id", "1-17")
    writer.commit(mergetype=whoosh_writing.NO_MERGE)
    phrases = [("water", "ice"), ("ice", "ice"), ("ice", "water", "ice"), ("dust", "lunar")]
    phrases += [tuple(rng.choices(words, k=rng.randint(2, 3))) for _ in range(12)]
    with mapped.storage(str(folder)).open_index().searcher(weighting=BM25F()) as searcher:
        for phrase in phrases:
            query = q.Phrase("text", list(phrase))
            expected = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
            found = ranking.matches(searcher, query)
            assert found == pytest.approx(expected, rel=1e-12), phrase
            assert 0 < len(expected) < 599, phrase

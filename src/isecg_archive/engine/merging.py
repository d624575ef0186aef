"""Large merges in a process of their own, so that an ingest never waits for one.

The merge policy (writing.merge_tiers) merges a size tier's segments when it holds MERGE_FACTOR
of them. Inline, in the commit that makes the tier full, a merge of thousands of documents held
an ingest for half a minute, over and over at 50,000 documents. With a `Background`, such a
merge runs in another process instead, as Lucene's concurrent merge scheduler does it:

1. at a commit, the policy hands the tier's segments to the merge process and keeps them in the
   index meanwhile: searches and later commits go on reading them;
2. the process writes the merged segment into a scratch folder beside the index files (Whoosh's
   clean-up at each commit deletes any segment file in the index folder that its table of
   contents does not list);
3. at the first commit after it finished, under the index's write lock, its file is moved into
   the index folder and the merged segment takes its sources' place in the table of contents.
   Documents deleted from the sources meanwhile (an ingest replaces the ones it updates) are
   deleted from the merged segment too: it holds the sources' documents in order, less those
   that were deleted when it began, so each one's new number is known.

One merge runs at a time; a merge that fails leaves its sources as they were, and the policy
merges them inline later. `finish()` waits for the merge in flight (an ingest does, before it
returns, so that the index it leaves has no more segments than the bound).
"""

from __future__ import annotations

import copy
import multiprocessing
import os
import shutil
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from whoosh.codec.base import Segment
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC
from whoosh.reading import SegmentReader

from isecg_archive.engine.writing import SegmentWriter
from isecg_archive.storage.locking import die_with_parent

SCRATCH = "MAIN.merging"  # in the index folder: Whoosh lists only the folder's own files


@dataclass
class _Merge:
    process: Any
    connection: Connection
    sources: list[Segment]  # as the merge found them, with the documents deleted then


class Background:
    """The merge process of one index folder, for as long as a batch of commits lasts."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._scratch = folder / SCRATCH
        self._merge: _Merge | None = None
        self._failed: set[str] = set()  # the ids of segments a merge of failed to merge
        shutil.rmtree(self._scratch, ignore_errors=True)  # a killed ingest's

    def serves(self, folder: str) -> bool:
        """Whether this merges the index a writer writes (not a rebuild's new generation)."""
        return Path(folder) == self.folder

    @property
    def running(self) -> bool:
        return self._merge is not None

    def merging(self) -> set[str]:
        """The ids of the segments the merge in flight is merging."""
        return {s.segment_id() for s in self._merge.sources} if self._merge else set()

    def failed(self, segments: Sequence[Segment]) -> bool:
        """Whether a merge of some of these segments failed: they are merged inline instead."""
        return any(s.segment_id() in self._failed for s in segments)

    def start(self, segments: Sequence[Segment]) -> None:
        """Merge these segments in the background (call when none is running)."""
        assert self._merge is None, "one merge at a time"
        self._scratch.mkdir(exist_ok=True)
        context = multiprocessing.get_context("forkserver")
        ours, theirs = context.Pipe(duplex=False)
        sources = [_copy(segment) for segment in segments]
        process = context.Process(
            target=_merge,
            args=(theirs, str(self.folder), str(self._scratch), sources),
            name="isecg-archive merge",
            daemon=True,
        )
        process.start()
        theirs.close()
        self._merge = _Merge(process, ours, sources)

    def swap_in(self, segments: list[Segment]) -> list[Segment]:
        """The segments with the finished merge's in its sources' place (call at a commit,
        under the index's write lock); the same segments while it runs."""
        merge = self._merge
        if merge is None or not merge.connection.poll():
            return segments
        try:
            result = merge.connection.recv()
        except (EOFError, OSError):
            result = None  # the process died (killed, out of memory)
        current = {s.segment_id(): s for s in segments}
        if isinstance(result, Segment) and all(s.segment_id() in current for s in merge.sources):
            name = result.make_filename(result.COMPOUND_EXT)
            (self._scratch / name).replace(self.folder / name)
            _delete_since(result, merge.sources, [current[s.segment_id()] for s in merge.sources])
            gone = {s.segment_id() for s in merge.sources}
            segments = [s for s in segments if s.segment_id() not in gone] + [result]
        else:  # the sources stay, and the policy merges them inline later
            self._failed.update(s.segment_id() for s in merge.sources)
        self.stop()
        return segments

    def finish(self) -> None:
        """Wait for the merge in flight to end (the next commit swaps it in)."""
        if self._merge is not None:
            self._merge.connection.poll(None)

    def stop(self) -> None:
        """Stop any merge in flight, and remove what it wrote (a process killed mid-way leaves
        its files and its pool's folder)."""
        merge, self._merge = self._merge, None
        if merge is not None:
            merge.connection.close()
            merge.process.kill()  # a finished one has already exited
            merge.process.join()
        shutil.rmtree(self._scratch, ignore_errors=True)


def _copy(segment: Segment) -> Segment:
    """The segment as it is now: the writer goes on deleting documents in its own."""
    copied = copy.copy(segment)
    deleted = getattr(segment, "_deleted", None)
    copied._deleted = set(deleted) if deleted else None
    return copied


def _delete_since(merged: Segment, before: list[Segment], now: list[Segment]) -> None:
    """Delete from the merged segment the documents its sources lost while it was written."""
    base = 0
    for old, new in zip(before, now, strict=True):
        dropped = sorted(set(old.deleted_docs()))
        for docnum in set(new.deleted_docs()) - set(dropped):
            # Its number in the merged segment: the source's live documents before it.
            merged.delete_document(base + docnum - bisect_right(dropped, docnum))
        base += old.doc_count()


def _merge(
    connection: Connection,
    folder: str,
    scratch: str,
    sources: list[Segment],
) -> None:
    """The merge process: write the sources' documents into one new segment in the scratch
    folder, and send it back (or the error's text)."""
    die_with_parent(os.getppid())
    try:
        index = FileStorage(folder, supports_mmap=False).open_index()
        writer = SegmentWriter(_Elsewhere(index, FileStorage(scratch)), _lk=False)
        for segment in sources:
            writer.add_reader(SegmentReader(index.storage, index.schema, segment))
        merged = writer._finalize_segment()
        writer._finish()
        connection.send(merged)
    except Exception as exc:  # sent as text: the ingest goes on, and merges them inline later
        connection.send(f"{type(exc).__name__}: {exc}")


class _Elsewhere:
    """The index as a writer sees it, but whose new files go into another folder."""

    def __init__(self, index: Any, storage: FileStorage) -> None:
        self._index = index
        self.storage = storage
        self.indexname = index.indexname

    def _read_toc(self) -> TOC:
        return self._index._read_toc()

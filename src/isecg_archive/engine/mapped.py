"""Segment files read through a memory map, for searching: reads are slices, not system calls.

A search looks each query term up in every segment's term table (Whoosh's hash file: a hash,
then a few small reads to find the bucket and the key), then reads its posting blocks. Read
from the file, each small read is a seek and a read on it: at 10,000 documents that was most
of what each additional segment added to a result page's time. Through a memory map it is a
slice of the mapped file.

Whoosh maps a segment file itself when asked to, but then wraps each of its parts in a BytesIO,
which copies the whole segment into memory at every open (600 MB and half a second at 6,300
documents). Here each part reads from the map directly: `get()` slices it, and sequential
reads (`read()`, `read_pickle()`) go through a cursor that copies only what they return.
Segment files are written once and deleted, never changed in place, so a map of one always
reads what was written.
"""

from __future__ import annotations

import mmap
from typing import Any

from whoosh.codec import base
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile


class _Cursor:
    """A read position in one part of a mapped file (a file object for StructFile)."""

    __slots__ = ("_map", "_start", "_end", "_position")

    def __init__(self, mapped: mmap.mmap, start: int, length: int) -> None:
        self._map, self._start, self._end = mapped, start, start + length
        self._position = start

    def read(self, size: int | None = -1) -> bytes:
        start = self._position
        end = self._end if size is None or size < 0 else min(start + size, self._end)
        self._position = max(start, end)
        return self._map[start:end]

    def readline(self, size: int | None = -1) -> bytes:
        start = self._position
        newline = self._map.find(b"\n", start, self._end)
        end = self._end if newline < 0 else newline + 1
        if size is not None and size >= 0:
            end = min(end, start + size)
        self._position = max(start, end)
        return self._map[start:end]

    def seek(self, offset: int, whence: int = 0) -> int:
        base_ = (self._start, self._position, self._end)[whence]
        self._position = max(self._start, base_ + offset)
        return self._position - self._start

    def tell(self) -> int:
        return self._position - self._start

    def close(self) -> None:
        pass


class MappedPart(BufferFile):
    """One file of a compound segment file, read from the segment's map."""

    def __init__(self, mapped: mmap.mmap, start: int, length: int, name: str | None) -> None:
        self._map, self._start, self._length = mapped, start, length
        super().__init__(b"", name=name)  # Whoosh's BufferFile, without its copy
        self.file = _Cursor(mapped, start, length)
        self._buf = None  # every read goes through the map

    def get(self, position: int, length: int) -> bytes:
        start = self._start + position
        return self._map[start : min(start + length, self._start + self._length)]

    def subset(self, position: int, length: int, name: str | None = None) -> MappedPart:
        return MappedPart(self._map, self._start + position, length, name or self._name)


class MappedCompound(CompoundStorage):
    """Whoosh's compound segment file, whose parts read from its map (when it is mapped)."""

    def open_file(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if not self._source:
            return super().open_file(name, *args, **kwargs)
        offset, length = self.range(name)
        return MappedPart(self._source, offset, length, name)


def storage(folder: str) -> FileStorage:
    """The index folder's storage, its segment files read through memory maps."""
    return FileStorage(folder, supports_mmap=True)


# Segments open their compound file through this name (whoosh.codec.base.Segment); it maps the
# file only for a storage that supports mapping (storage()), and reads it as a file otherwise.
base.CompoundStorage = MappedCompound

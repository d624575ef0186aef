"""Near-duplicates: the same text in another file (a deck and its PDF export, a DOCX and its PDF).

Each document gets a sketch of its text: the smallest hashes of its four-word shingles. Two
sketches estimate how much text two documents share; above SIMILAR they are versions of one
another, linked both ways, and search shows them as one result.
"""

from __future__ import annotations

import heapq
import re
import struct
import zlib
from collections.abc import Sequence

from isecg_archive.extract.pptx import NOTES_MARK

SKETCH_SIZE = 64
CANDIDATE_HASHES = 16  # texts alike enough share some of their 16 smallest hashes
SHINGLE = 4
SIMILAR = 0.7  # estimated share of shingles in common (Jaccard)
MIN_SHINGLES = 12  # texts shorter than this are too short to call anything a copy of them
_WORD = re.compile(r"\w+")


def sketch(pages: Sequence[str]) -> tuple[int, ...]:
    """The SKETCH_SIZE smallest shingle hashes of the text, in order; () for a short text."""
    # Speaker notes are left out: a deck's PDF export does not carry them.
    text = " ".join(page.split(f"\n{NOTES_MARK}\n", 1)[0] for page in pages)
    words = _WORD.findall(text.casefold())
    runs = zip(*(words[i:] for i in range(SHINGLE)), strict=False)  # full runs only
    # CRC-32 is a fifth the cost of a cryptographic hash, and 32 bits are plenty to tell apart
    # the few thousand shingles of one text. Each step a map(), run in C: a fifth faster than
    # a comprehension making the shingles, then another hashing them.
    hashes = set(map(zlib.crc32, map(str.encode, map(" ".join, runs))))
    if len(hashes) < MIN_SHINGLES:
        return ()
    return tuple(heapq.nsmallest(SKETCH_SIZE, hashes))


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two texts from their sketches (bottom-k estimator)."""
    if not a or not b:
        return 0.0
    k = min(len(a), len(b))
    union_bottom = sorted(set(a) | set(b))[:k]
    both = set(a) & set(b)
    return sum(1 for h in union_bottom if h in both) / k


def family(document_id: str, versions: Sequence[str]) -> str:
    """The key a document shares with all its versions: the smallest id among them."""
    return min((document_id, *versions))


def sketch_terms(values: Sequence[int]) -> list[str]:
    """A sketch as the index stores it: one hex term per hash."""
    return [f"{value:016x}" for value in values]


def sketch_bytes(values: Sequence[int]) -> bytes:
    """A whole sketch as the index keeps it in a column: 4 bytes a hash (CRC-32s)."""
    return struct.pack(f"<{len(values)}I", *values)


def sketch_values(data: bytes, limit: int | None = None) -> tuple[int, ...]:
    """A sketch read back from its column's bytes (its first `limit` hashes, if given)."""
    if limit is not None:
        data = data[: 4 * limit]
    return struct.unpack(f"<{len(data) // 4}I", data)

"""Lines that recur across a collection's web captures: boilerplate, never a title or a snippet.

Saved pages and plain-text captures of one site each carry the site's navigation, tagline,
"Subscribe to our news notifications" and copyright lines. One document cannot tell them from
its own text; the collection can: a short line that SHARED_BY or more captures (HTML, plain
text, Markdown) hold is boilerplate. The index keeps a hash of each short line of each capture
(the `lines` field), so that a line's count is one lookup, and of its title (`title_line`), so
that the captures titled by a line found to be boilerplate are one lookup too. Detection skips
boilerplate when it picks a title (after a batch is committed, when the batch's own repeats are
known too: `corrections.settle_boilerplate`), and snippets leave boilerplate lines out.
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import blake2b
from itertools import islice
from weakref import WeakKeyDictionary

from whoosh.reading import IndexReader

from isecg_archive.engine.readers import live_docnums
from isecg_archive.enrich.titles import line_key

CAPTURE_FORMATS = frozenset({"html", "text", "markdown"})
_VERDICTS: WeakKeyDictionary[IndexReader, dict[str, bool]] = WeakKeyDictionary()
SHARED_BY = 3  # captures holding a line before it is boilerplate
_LONGEST = 200  # characters: a longer line is the document's own text


def line_term(key: str) -> str:
    """The index term of a line, from its key (`titles.line_key`)."""
    return blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def _short_keys(pages: Sequence[str]) -> set[str]:
    """The keys of the pages' short lines with letters: those that can be boilerplate."""
    return {
        line_key(line)
        for page in pages
        for line in page.split("\n")
        if 3 <= len(line.strip()) <= _LONGEST and any(ch.isalpha() for ch in line)
    }


def line_terms(pages: Sequence[str]) -> tuple[str, ...]:
    """The terms of a capture's distinct short lines."""
    return tuple(sorted(line_term(key) for key in _short_keys(pages)))


def title_term(title: str) -> str:
    """The index term of a capture's title as one of its lines (the `title_line` field)."""
    return line_term(line_key(title))


class Boilerplate:
    """The collection's boilerplate lines, as a container of line keys (for title detection)
    and as a test on lines (for snippets), counted from an index reader."""

    def __init__(self, reader: IndexReader | None) -> None:
        self._reader = reader
        # Verdicts last as long as the reader: its generation of the index never changes.
        self._known: dict[str, bool] = _VERDICTS.setdefault(reader, {}) if reader else {}

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        return self.shares(line_term(key))

    def shares(self, term: str) -> bool:
        """Whether the line of this index term (`line_term`) is boilerplate."""
        if self._reader is None:
            return False
        if term not in self._known:
            # The document frequency counts deleted documents too: enough to rule a line out,
            # not to rule it in.
            live = islice(live_docnums(self._reader, "lines", term.encode("ascii")), SHARED_BY)
            frequent = self._reader.doc_frequency("lines", term) >= SHARED_BY
            self._known[term] = frequent and len(list(live)) == SHARED_BY
        return self._known[term]

    def line(self, line: str) -> bool:
        """Whether a line of a page is boilerplate (for snippets)."""
        return len(line.strip()) <= _LONGEST and line_key(line) in self

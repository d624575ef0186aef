"""The searchers a server keeps between requests, in two lanes.

A Whoosh searcher is not safe to use from two threads at once, and a searcher per thread costs
more than it saves under Python's global interpreter lock (at 32 clients on 10,000 documents,
65 requests a second against 74 for one searcher taken in turn: `bench/load.py`). So a server
keeps one searcher that plain searches take in turn, and another for the queries whose wildcard
patterns walk every word of a field (`*lunar`, `?ce`): those take turns with each other, never
with a plain search, so that the costliest query the budget allows (engine/patterns.py) delays
an unrelated search by no more than sharing the processor with it. Only `limit` such queries
may be under way at once; one more is refused at once (Overloaded), so that they can never
take every thread of the server.

A lane's searcher is reopened when the index changes; the two read the facet data and the
lexicon once between them (engine/readers.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from whoosh.searching import Searcher

from isecg_archive.errors import Overloaded


class Lane:
    def __init__(
        self,
        open_searcher: Callable[[], Searcher],
        identity: Callable[[], int],
        limit: int | None = None,
        on_open: Callable[[], None] | None = None,
    ) -> None:
        """limit: how many may be under way at once (one runs, the others wait), or None for
        no limit. on_open: called in a thread of its own when a searcher is opened."""
        self._open = open_searcher
        self._identity = identity
        self._limit = limit
        self._on_open = on_open
        self._turn = threading.RLock()  # held by the request using the searcher
        self._count = threading.Lock()
        self._under_way = 0
        self._kept: tuple[Searcher, int] | None = None

    @contextmanager
    def searcher(self) -> Iterator[Searcher]:
        """The lane's searcher, for this thread alone until the block ends."""
        with self._admitted(), self._turn:
            identity = self._identity()
            kept = self._kept
            if kept is None or kept[1] != identity or not kept[0].up_to_date():
                if kept is not None:
                    kept[0].close()
                kept = self._kept = (self._open(), identity)
                if self._on_open is not None:
                    threading.Thread(target=self._on_open, daemon=True).start()
            yield kept[0]

    @contextmanager
    def _admitted(self) -> Iterator[None]:
        if self._limit is None:
            yield
            return
        with self._count:
            if self._under_way >= self._limit:
                raise Overloaded(
                    "the viewer is busy with other searches for wildcard patterns; try again"
                    " in a moment"
                )
            self._under_way += 1
        try:
            yield
        finally:
            with self._count:
                self._under_way -= 1

    def close(self) -> None:
        with self._turn:
            if self._kept is not None:
                self._kept[0].close()
                self._kept = None

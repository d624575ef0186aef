"""A watched inbox: files dropped into a folder are ingested once they are complete.

A file is complete when its size and modification time have stayed the same for `settle`
seconds (a copy in progress, a download being written, keep changing). Complete files are
ingested together, then each is moved out of the way: to `INBOX/done/` when it is in the
archive (added, updated, or already there), to `INBOX/failed/` beside a `NAME.reason.txt` when
it is not. A file is moved only after its ingest is committed, and ingesting the same bytes
again changes nothing, so a watcher stopped at any moment and started again ingests nothing
twice and loses nothing. Links are taken only to files inside the inbox (`follow_links` takes
the others too); a link to nothing, to a folder, or out of the inbox goes to `failed/` with why,
so that dropping a link cannot make any file of the machine searchable.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from isecg_archive.collection import Collection
from isecg_archive.enrich import Overrides
from isecg_archive.pipeline.ingest import IngestOptions, Outcome, ingest
from isecg_archive.storage.archive import numbered

DONE, FAILED = "done", "failed"
# Names that programs give files they are still writing: never taken, whatever their age.
_BEING_WRITTEN = (".part", ".partial", ".crdownload", ".download", ".tmp", ".swp")


@dataclass(frozen=True)
class Moved:
    """What became of a dropped file: its outcome, and where the file went."""

    outcome: Outcome
    moved_to: Path


class Inbox:
    def __init__(self, folder: Path, settle: float = 2.0, follow_links: bool = False) -> None:
        self.folder = folder
        self.settle = settle
        self.follow_links = follow_links  # take links to files outside the inbox too
        self._seen: dict[Path, tuple[int, int, float]] = {}  # size, mtime, since when

    def files(self) -> Iterator[Path]:
        """The files in the inbox and its sub-folders, done/ and failed/ and hidden ones aside;
        links among them, to files or to folders."""
        for directory, subdirs, names in os.walk(self.folder):
            here = Path(directory)
            linked = [d for d in subdirs if (here / d).is_symlink()]  # never walked into
            subdirs[:] = sorted(
                d
                for d in subdirs
                if d not in linked
                and not d.startswith(".")
                and not (here == self.folder and d in (DONE, FAILED))
            )
            for name in sorted([*names, *linked]):
                if not name.startswith(".") and not name.endswith(_BEING_WRITTEN):
                    yield here / name

    def refusal(self, path: Path) -> str | None:
        """Why a link in the inbox is not taken, or None for a file (or a link it takes)."""
        if not path.is_symlink():
            return None
        target = Path(os.path.realpath(path))
        if not target.exists():
            return "a link to nothing; drop the file itself"
        if target.is_dir():
            return "a link to a folder, which is not followed; drop the folder itself"
        inside = target.is_relative_to(Path(os.path.realpath(self.folder)))
        if not inside and not self.follow_links:
            return (
                "a link to a file outside the inbox, which is not followed; drop the file"
                " itself, or watch with --follow-links"
            )
        return None

    def complete(self, now: float | None = None) -> tuple[list[Path], list[tuple[Path, str]]]:
        """The files whose size and time have not changed for `settle` seconds, and the links
        that will not be taken, each with why."""
        now = time.monotonic() if now is None else now
        ready, refused, seen = [], [], {}
        for path in self.files():
            why = self.refusal(path)
            if why is not None:
                refused.append((path, why))
                continue
            try:
                stat = path.stat()
            except OSError:
                continue  # moved or deleted meanwhile
            state = (stat.st_size, stat.st_mtime_ns)
            before = self._seen.get(path)
            since = before[2] if before and before[:2] == state else now
            seen[path] = (*state, since)
            if now - since >= self.settle:
                ready.append(path)
        self._seen = seen
        return ready, refused

    def put_away(self, path: Path, outcome: Outcome) -> Path:
        """Move a file that was ingested to done/, or one that failed to failed/ with why."""
        archived = outcome.status in ("added", "updated", "unchanged")
        relative = path.relative_to(self.folder)
        folder = (self.folder / (DONE if archived else FAILED) / relative).parent
        target = folder / numbered(path.name, lambda name: (folder / name).exists())
        folder.mkdir(parents=True, exist_ok=True)
        path.replace(target)
        if not archived:
            reason = target.with_name(target.name + ".reason.txt")
            reason.write_text(
                f"{outcome.status}: {outcome.message or 'not archived'}\n", encoding="utf-8"
            )
        self._seen.pop(path, None)
        for folder in path.parents:  # a dropped folder, emptied, goes too
            if folder == self.folder or not folder.is_relative_to(self.folder):
                break
            try:
                folder.rmdir()
            except OSError:
                break  # not empty yet
        return target


def watch_once(
    collection: Collection,
    inbox: Inbox,
    overrides: Overrides | None = None,
    options: IngestOptions | None = None,
) -> list[Moved]:
    """Ingest the inbox's complete files, and put each away; what became of each."""
    ready, refused = inbox.complete()
    moved = []
    for path, why in refused:
        refusal = Outcome(str(path), "failed", message=why)
        moved.append(Moved(refusal, inbox.put_away(path, refusal)))
    if not ready:
        return moved
    report = ingest(collection, ready, overrides, options)
    by_path = {outcome.path: outcome for outcome in report.outcomes}
    for path in ready:
        outcome = by_path.get(str(path))
        if outcome is not None and path.exists():
            moved.append(Moved(outcome, inbox.put_away(path, outcome)))
    return moved


def watch(
    collection: Collection,
    inbox: Inbox,
    overrides: Overrides | None = None,
    options: IngestOptions | None = None,
    interval: float = 1.0,
    on_moved: Callable[[Moved], None] | None = None,
) -> None:
    """Watch until interrupted (KeyboardInterrupt: Ctrl-C, or SIGTERM as `main` makes it)."""
    for folder in (inbox.folder / DONE, inbox.folder / FAILED):
        folder.mkdir(parents=True, exist_ok=True)
    while True:
        for moved in watch_once(collection, inbox, overrides, options):
            if on_moved:
                on_moved(moved)
        time.sleep(interval)

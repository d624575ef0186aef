"""Files written whole or not at all: into `.NAME.PID.partial` beside the file, then renamed
over it in one step. A write that fails removes its partial file; one a crash leaves behind is
found by `check` (`is_partial`) and removed by `check --repair`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path


@contextmanager
def staged(path: Path) -> Iterator[Path]:
    """The partial file to write `path`'s bytes to: renamed to `path` when the block succeeds,
    removed when it fails (a full disk, a read-only mount, an error of the caller's)."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        yield partial
        partial.replace(path)
    except BaseException:
        with suppress(OSError):  # on a read-only mount even removing a missing file fails
            partial.unlink()
        raise


def is_partial(name: str) -> bool:
    """Whether a file name is one of a write that never finished."""
    return name.startswith(".") and name.endswith(".partial")


def orphaned(folder: Path) -> Iterator[Path]:
    """The partial files under a folder whose writing process is gone (killed mid-write)."""
    for directory, _, names in os.walk(folder):
        for name in names:
            if not is_partial(name):
                continue
            writer = name[: -len(".partial")].rsplit(".", 1)[-1]
            if writer.isdigit() and not _alive(int(writer)):
                yield Path(directory) / name


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True

"""Readers that misbehave, for the worker tests: importable by the worker processes."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path
from typing import Any

from isecg_archive.extract import extract


def hang_on_slow(path: Path, *args: Any) -> Any:
    """Hang on files named slow-*, read the others."""
    if path.name.startswith("slow-"):
        time.sleep(3600)
    return extract(path, *args)


def crash_on_crash(path: Path, *args: Any) -> Any:
    """Die like a segfaulting parser on files named crash-*, read the others."""
    if path.name.startswith("crash-"):
        os.abort()
    return extract(path, *args)


def hog_memory(path: Path, *args: Any) -> Any:
    """Try to hold far more memory than a worker may."""
    hoard = bytearray(8 * 1024**3)
    return hoard


def tell_pid(path: Path, *args: Any) -> Any:
    """Read the file, and give as its title the process id of the worker that read it."""
    return dataclasses.replace(extract(path, *args), title=str(os.getpid()))


def mark_read(path: Path, *args: Any) -> Any:
    """Read the file, leave NAME.read beside it once read, and give the worker's id as title."""
    extraction = extract(path, *args)
    path.with_suffix(".read").write_text("")
    return dataclasses.replace(extraction, title=str(os.getpid()))

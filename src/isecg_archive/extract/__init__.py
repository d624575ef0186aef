"""Extractors: from one file to its text page by page and its embedded metadata.

Each format is one module in this package that defines FORMAT, EXTENSIONS, VERSION and a pure
function ``extract(path) -> Extraction``; the registry finds them by itself, so adding a format
is adding one module.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

from isecg_archive.errors import ArchiveError, ExtractionError, FileTooLarge, UnsupportedFormat
from isecg_archive.records import PartialDate

DEFAULT_MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Extraction:
    """What a file says about itself: text per page (or slide) and embedded metadata."""

    format: str
    pages: tuple[str, ...]
    title: str | None = None
    authors: tuple[str, ...] = ()
    date: PartialDate | None = None  # from embedded metadata, not from the text
    landscape_pages: int = 0
    warnings: tuple[str, ...] = ()


@cache
def registry() -> dict[str, ModuleType]:
    """Map each file extension (lower case, with its dot) to the module that extracts it."""
    by_extension: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for extension in module.EXTENSIONS:
            by_extension[extension] = module
    return by_extension


def supported_extensions() -> list[str]:
    return sorted(registry())


def extractor_for(path: Path) -> ModuleType:
    extension = path.suffix.lower()
    try:
        return registry()[extension]
    except KeyError:
        shown = extension or "(no extension)"
        raise UnsupportedFormat(
            f"unsupported format {shown}; supported: {', '.join(supported_extensions())}."
            " Convert it to PDF and ingest it again"
        ) from None


def extractor_id(path: Path) -> str:
    """Name and version of the extractor for this file, to know when cached text is stale."""
    module = extractor_for(path)
    return f"{module.FORMAT}/{module.VERSION}"


def extract(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Extraction:
    """Extract one file, turning every failure into an ExtractionError with advice."""
    module = extractor_for(path)
    size = path.stat().st_size
    if size == 0:
        raise ExtractionError("the file is empty (0 bytes); check the source and ingest it again")
    if size > max_bytes:
        raise FileTooLarge(
            f"the file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit;"
            " raise it with --max-size if the file is genuine"
        )
    try:
        result: Extraction = module.extract(path)
    except ArchiveError:
        raise
    except RecursionError:
        raise ExtractionError(
            "the file is nested too deeply to read; re-export it and ingest it again"
        ) from None
    except Exception as exc:  # third-party parsers raise anything on broken input
        detail = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise ExtractionError(
            f"the {module.FORMAT.upper()} file cannot be read ({detail}); re-export it from"
            " the application that made it and ingest it again"
        ) from exc
    return result


_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Collapse runs of spaces and blank lines; drop control characters."""
    text = "".join(ch for ch in text if ch in "\n\t" or ch >= " ")
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def date_from_iso_prefix(text: str | None) -> PartialDate | None:
    """Read an embedded date such as '2016-02-10T09:00:00Z' or '2016-02' or '2016'."""
    if not text:
        return None
    match = re.match(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        return PartialDate(year, month, day) if year else None
    except ArchiveError:
        return None

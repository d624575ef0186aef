"""Extractors: from one file to its text page by page and its embedded metadata.

Each format is one module in this package that defines FORMAT, EXTENSIONS, VERSION and a pure
function ``extract(path, options) -> Extraction``; the registry finds them by itself, so adding
a format is adding one module. `cleaning` mends what every format's text has in common.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import zipfile
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import IO, Any

from isecg_archive.errors import ArchiveError, ExtractionError, FileTooLarge, UnsupportedFormat
from isecg_archive.extract.cleaning import SURROGATES
from isecg_archive.storage.records import PartialDate

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
# An Office or OpenDocument file is a zip: refuse one that would inflate past this, or by more
# than this ratio (a zip bomb), before any parser opens it.
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_ZIP_RATIO = 200


@dataclass(frozen=True)
class ExtractOptions:
    password: str | None = None  # for encrypted PDFs
    ocr: bool = True  # read scanned pages with Tesseract when it is installed
    captions: Path | None = None  # a recording's, given (else those beside it: captions.find)


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
    needs: tuple[str, ...] = ()  # what would make it readable: "password", "ocr", "repair"
    ocr_pages: tuple[int, ...] = ()  # 1-based pages whose text comes from OCR
    unread_pages: tuple[int, ...] = ()  # 1-based pages that no reader could read
    heading: str | None = None  # the first page's heading, as the file's structure marks it
    published: PartialDate | None = None  # a publication date the file's metadata declares
    duration: float | None = None  # a recording's, in seconds
    media: str | None = None  # a recording's: "audio" or "video"
    timings: tuple[int, ...] = ()  # a recording's: the second each page of captions starts at

    def record_fields(self) -> dict[str, Any]:
        """What a document's record says of its file's text, by field name."""
        return {
            "format": self.format,
            "pages": len(self.pages),
            "warnings": self.warnings,
            "needs": self.needs,
            "ocr_pages": self.ocr_pages,
            "unread_pages": self.unread_pages,
            "duration": self.duration,
            "media": self.media,
            "timings": self.timings,
        }


# The record's fields that come from the extraction (ingest sets them, redetect refreshes them).
RECORD_FIELDS = tuple(Extraction(format="", pages=()).record_fields())


@cache
def registry() -> dict[str, ModuleType]:
    """Map each file extension (lower case, with its dot) to the module that extracts it."""
    by_extension: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for extension in getattr(module, "EXTENSIONS", ()):  # helpers have none
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


def extractor_id(path: Path, options: ExtractOptions | None = None) -> str:
    """Name and version of the extractor for this file, to know when cached text is stale
    (and, for a file whose text comes from another beside it, that one's digest)."""
    module = extractor_for(path)
    variant = getattr(module, "variant", None)
    suffix = f"/{variant(path, options or ExtractOptions())}" if variant else ""
    return f"{module.FORMAT}/{module.VERSION}{suffix}"


def extract(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES, options: ExtractOptions | None = None
) -> Extraction:
    """Extract one file, turning every failure into an ExtractionError with advice."""
    module = extractor_for(path)
    size = path.stat().st_size
    if size == 0:
        raise ExtractionError("the file is empty (0 bytes); check the source and ingest it again")
    if size > max_bytes and not getattr(module, "STREAMED", False):
        raise FileTooLarge(
            f"the file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit;"
            " raise it with --max-size if the file is genuine"
        )
    try:
        result: Extraction = module.extract(path, options or ExtractOptions())
    except ArchiveError:
        raise
    except ImportError as exc:  # the installation is incomplete, not the file
        detail = " ".join(str(exc).split())[:300]
        raise ExtractionError(
            f"a library needed to read {module.FORMAT.upper()} files is missing ({detail});"
            " reinstall isecg-archive (`make install`, or pip install with a recent pip),"
            " then ingest the file again"
        ) from exc
    except RecursionError:
        raise ExtractionError(
            "the file is nested too deeply to read; re-export it and ingest it again"
        ) from None
    except Exception as exc:  # third-party parsers raise anything on broken input
        detail = SURROGATES.sub("", " ".join(str(exc).split())[:200]) or type(exc).__name__
        raise ExtractionError(
            f"the {module.FORMAT.upper()} file cannot be read ({detail}); re-export it from"
            " the application that made it and ingest it again"
        ) from exc
    return _without_surrogates(result)


def _without_surrogates(result: Extraction) -> Extraction:
    """No lone surrogate (a broken UTF-16 text map) anywhere: none can be written as UTF-8."""
    strings = [*result.pages, result.title or "", result.heading or "", *result.authors]
    if not any(SURROGATES.search(text) for text in (*strings, *result.warnings)):
        return result

    def fix(text: str | None) -> str | None:
        return SURROGATES.sub("", text) if text is not None else None

    return replace(
        result,
        pages=tuple(SURROGATES.sub("", page) for page in result.pages),
        title=fix(result.title),
        heading=fix(result.heading),
        authors=tuple(SURROGATES.sub("", a) for a in result.authors),
        warnings=tuple(SURROGATES.sub("", w) for w in result.warnings),
    )


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


def guard_zip(path: Path | IO[bytes]) -> zipfile.ZipFile:
    """Open a zip-based document, refusing zip bombs before anything is inflated."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ExtractionError(
            "the file is not a valid Office or OpenDocument file (its zip structure is broken);"
            " re-save it from the application that made it"
        ) from None
    inflated = sum(info.file_size for info in archive.infolist())
    packed = sum(info.compress_size for info in archive.infolist()) or 1
    if inflated > MAX_UNZIPPED_BYTES or inflated / packed > MAX_ZIP_RATIO:
        archive.close()
        raise ExtractionError(
            f"the file would inflate to {inflated / 1e6:.0f} MB from {packed / 1e6:.1f} MB:"
            " it looks like a zip bomb and was not opened"
        )
    return archive

"""PDF: text per page through pypdf, with the embedded title, authors and creation date."""

from __future__ import annotations

import logging
from pathlib import Path

from pypdf import PageObject, PdfReader

from isecg_archive.errors import EncryptedDocument, ExtractionError
from isecg_archive.extract import Extraction, clean_text
from isecg_archive.records import PartialDate

FORMAT = "pdf"
EXTENSIONS = (".pdf",)
VERSION = 1

# pypdf logs every repair it makes to a broken file; the ingest report says what matters.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def extract(path: Path) -> Extraction:
    with path.open("rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        raise ExtractionError(
            "not a PDF: the file has no PDF header; check what the file really is"
        )
    reader = PdfReader(path)
    if reader.is_encrypted and not reader.decrypt(""):
        raise EncryptedDocument(
            "the PDF is protected by a password; remove the password (for example with"
            " `qpdf --decrypt`) and ingest it again"
        )
    pages = tuple(clean_text(page.extract_text() or "") for page in reader.pages)
    landscape = sum(1 for page in reader.pages if _is_landscape(page))
    warnings: tuple[str, ...] = ()
    if pages and not any(pages):
        warnings = ("no text layer: the PDF looks scanned; only its metadata is searchable",)
    info = reader.metadata
    title = authors = created = None
    if info is not None:
        title = _meaningful_title(info.title)
        authors = tuple(a.strip() for a in (info.author or "").split(";") if a.strip()) or None
        when = info.creation_date
        created = PartialDate(when.year, when.month, when.day) if when else None
    return Extraction(
        format=FORMAT,
        pages=pages,
        title=title,
        authors=authors or (),
        date=created,
        landscape_pages=landscape,
        warnings=warnings,
    )


def _is_landscape(page: PageObject) -> bool:
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    if (page.rotation or 0) % 180:
        width, height = height, width
    return width > height


def _meaningful_title(title: str | None) -> str | None:
    """Embedded titles are often tool noise ('Microsoft Word - draft3.doc', 'untitled')."""
    if not title:
        return None
    title = " ".join(title.split())
    lowered = title.lower()
    if lowered.startswith(("microsoft ", "untitled")) or lowered.endswith(
        (".doc", ".docx", ".ppt", ".pptx", ".pdf")
    ):
        return None
    return title or None

"""PDF: text per page through pypdf, with the embedded title, authors and creation date.

Pages with no text layer (scans) are read with Tesseract when it is installed; otherwise the
document is kept and marked as needing OCR. An encrypted PDF opens with an empty password or
the one given; without it, the document is kept and marked as needing a password.
"""

from __future__ import annotations

import io
import logging
import shutil
from pathlib import Path

from pypdf import DocumentInformation, PageObject, PdfReader

from isecg_archive.errors import ExtractionError
from isecg_archive.extract import Extraction, ExtractOptions, clean_text, date_from_iso_prefix
from isecg_archive.records import PartialDate

FORMAT = "pdf"
EXTENSIONS = (".pdf",)
VERSION = 3

# pypdf logs every repair it makes to a broken file; the ingest report says what matters.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def extract(path: Path, options: ExtractOptions) -> Extraction:
    with path.open("rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        raise ExtractionError(
            "not a PDF: the file has no PDF header; check what the file really is"
        )
    reader = PdfReader(path)
    if reader.is_encrypted and not reader.decrypt(""):
        if not options.password or not reader.decrypt(options.password):
            why = "the password given does not open it" if options.password else "it has a password"
            return Extraction(
                format=FORMAT,
                pages=(),
                needs=("password",),
                warnings=(f"not searchable: {why}; ingest it again with --password",),
            )
    pages = [clean_text(page.extract_text() or "") for page in reader.pages]
    landscape = sum(1 for page in reader.pages if _is_landscape(page))
    warnings: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    ocr_pages: list[int] = []
    # A page with no text but an image is a scan; a page with neither is simply blank.
    scanned = [n for n, text in enumerate(pages) if not text and _has_images(reader.pages[n])]
    if scanned:
        if options.ocr and ocr_available():
            for n in scanned:
                text = _ocr(reader.pages[n])
                if text:
                    pages[n] = text
                    ocr_pages.append(n + 1)
        else:
            needs = ("ocr",)
            numbers = ", ".join(str(n + 1) for n in scanned)
            warnings = (
                f"no text layer on page {numbers}: scanned; install tesseract-ocr and ingest it"
                " again to make it searchable",
            )
    info = reader.metadata
    title = created = None
    authors: tuple[str, ...] = ()
    if info is not None:
        title = _meaningful_title(info.title)
        authors = tuple(
            a.strip()
            for a in (info.author or "").split(";")
            if a.strip() and a.strip().lower() not in ("anonymous", "unknown")
        )
        created = _created(info)
    return Extraction(
        format=FORMAT,
        pages=tuple(pages),
        title=title,
        authors=authors,
        date=created,
        landscape_pages=landscape,
        warnings=warnings,
        needs=needs,
        ocr_pages=tuple(ocr_pages),
    )


def _created(info: DocumentInformation) -> PartialDate | None:
    try:
        when = info.creation_date
    except ValueError:  # a date pypdf cannot parse, e.g. "D:20221122055352Z'"
        raw = str(info.get("/CreationDate", "")).removeprefix("D:")
        digits = raw[:8] if raw[:8].isdigit() else ""
        return date_from_iso_prefix(f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}") if digits else None
    return PartialDate(when.year, when.month, when.day) if when else None


def _has_images(page: PageObject) -> bool:
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources else None
    if not xobjects:
        return False
    return any(
        xobject.get_object().get("/Subtype") == "/Image"
        for xobject in xobjects.get_object().values()
    )


def ocr_available() -> bool:
    return shutil.which("tesseract") is not None


def _ocr(page: PageObject) -> str:
    """The text of a scanned page: each image on it, read by Tesseract."""
    import pytesseract
    from PIL import Image

    texts = []
    for image in page.images:
        with Image.open(io.BytesIO(image.data)) as picture:
            texts.append(pytesseract.image_to_string(picture.convert("L"), timeout=120))
    return clean_text("\n".join(texts))


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
    noise = lowered.startswith(("microsoft ", "untitled", "powerpoint presentation"))
    if noise or lowered.endswith((".doc", ".docx", ".ppt", ".pptx", ".pdf")):
        return None
    return title or None

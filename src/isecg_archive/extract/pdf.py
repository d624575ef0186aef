"""PDF: text per page through pypdf, PDFium where pypdf cannot read, OCR where no text is.

pypdf reads each page; a page it cannot read, or whose text is unusable (no text map: empty
text, control characters or glyph names such as "/g18/g152"), is asked of PDFium (the PDF
engine of Chrome, through pypdfium2), which repairs damaged cross-reference tables and page
trees that pypdf refuses. A file that pypdf cannot open at all is read by PDFium alone. Pages
still without text but with something drawn on them (a scan, text in fonts without a map) are
rendered by PDFium and read by Tesseract when it is installed; otherwise the document is kept
and marked as needing OCR. Pages that neither reader can read are left empty and listed in
`unread_pages`; a file that neither reader opens is still archived, with no text. An
encrypted PDF opens with an empty password or the one given (RC4 and AES); without it, the
document is kept and marked as needing a password.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.generic import NameObject

from isecg_archive.errors import ExtractionError
from isecg_archive.extract import Extraction, ExtractOptions, date_from_iso_prefix
from isecg_archive.extract.cleaning import clean_pages, clean_text
from isecg_archive.extract.programs import tesseract
from isecg_archive.extract.protected import locked, password_message
from isecg_archive.storage.records import PartialDate

FORMAT = "pdf"
EXTENSIONS = (".pdf",)
VERSION = 4

OCR_DPI = 300
OCR_MAX_PIXELS = 40_000_000  # a poster page is read at a lower resolution than 300 dpi
OCR_SECONDS = 120  # for one page

# pypdf logs every repair it makes to a broken file; the ingest report says what matters.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)

# Text that names glyphs instead of spelling words: "/g18/g152", "/0/0", "(cid:12)".
_GLYPH_NAMES = re.compile(r"(?:/[A-Za-z]{0,3}\d{1,5})+|\(cid:\d+\)")
_ALPHANUMERIC = re.compile(r"[^\W_]")


@dataclass
class _Reading:
    """What the readers made of a file, page by page, before cleaning and OCR."""

    texts: list[str | None]  # None: the page could not be read
    drawn: list[bool]  # whether something is drawn on the page (an image, glyphs)
    landscape: int = 0
    info: dict[str, Any] = field(default_factory=dict)
    heading: str | None = None


_CERTIFICATE = (
    "not searchable: it is encrypted for the holders of certificates, which no password opens:"
    " open it with one, save a copy without security, and ingest that"
)


class _Locked(Exception):
    """The file needs a password (or a certificate) that was not given."""

    def __init__(self, message: str, need: str = "password") -> None:
        super().__init__(message)
        self.need = need


def extract(path: Path, options: ExtractOptions) -> Extraction:
    with path.open("rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        raise ExtractionError(
            "not a PDF: the file has no PDF header; check what the file really is"
        )
    try:
        reading = _read_with_pypdf(path, options.password)
    except _Locked as exc:
        return locked(FORMAT, str(exc), exc.need)
    except MemoryError:
        raise  # a decompression bomb: the worker reports it
    except Exception as exc:  # pypdf cannot open it: PDFium may
        reading = None
        pypdf_error = _short(exc)
    try:
        reading = _with_pdfium(path, options.password, reading)
    except _Locked as exc:
        return locked(FORMAT, str(exc), exc.need)
    except MemoryError:
        raise
    except Exception as exc:
        if reading is None:
            return _unreadable(pypdf_error, _short(exc))
    assert reading is not None
    return _finish(path, reading, options)


def _short(exc: BaseException) -> str:
    message = getattr(exc, "message", None)  # Tesseract's error keeps its text apart
    text = message if isinstance(message, str) else str(exc)
    return " ".join(text.split())[:160] or type(exc).__name__


def _unreadable(pypdf_error: str, pdfium_error: str) -> Extraction:
    """A PDF that neither reader opens: archived whole, without text."""
    return Extraction(
        format=FORMAT,
        pages=(),
        needs=("repair",),
        warnings=(
            f"not searchable: neither PDF reader could open it (pypdf: {pypdf_error}; PDFium:"
            f" {pdfium_error}); repair it or export it again, and ingest that",
        ),
    )


# pypdf ----------------------------------------------------------------------------------


def _read_with_pypdf(path: Path, password: str | None) -> _Reading:
    try:
        reader = PdfReader(path)
        encrypted = reader.is_encrypted
    except NotImplementedError as exc:  # public-key security: no password opens it
        if "encryption" not in str(exc):
            raise
        raise _Locked(_CERTIFICATE, need="certificate") from None
    if encrypted:
        _decrypt(reader, password)
    pages = reader.pages
    count = len(pages)
    texts: list[str | None] = []
    drawn: list[bool] = []
    reading = _Reading(texts, drawn, info=_info(reader))
    for number in range(count):
        try:
            page = pages[number]
            if number == 0:
                text, reading.heading = _text_and_heading(page)
            else:
                text = page.extract_text()
            text += _form_values(page)
            something = bool(text.strip()) or _has_images(page)
            reading.landscape += _is_landscape(page)
        except MemoryError:
            raise
        except Exception:  # one bad page; the others are read
            text, something = None, True
        texts.append(text)
        drawn.append(something)
    return reading


def _decrypt(reader: PdfReader, password: str | None) -> None:
    try:
        if reader.decrypt(""):
            return
        if password and reader.decrypt(password):
            return
    except NotImplementedError:  # public-key security: no password opens it
        raise _Locked(_CERTIFICATE, need="certificate") from None
    raise _Locked(password_message(password))


def _info(reader: PdfReader) -> dict[str, Any]:
    try:
        info = reader.metadata
        if info is None:
            return {}
        return {
            "title": info.title,
            "author": info.author,
            "created": _created(info),
        }
    except Exception:  # a damaged information dictionary: the text matters more
        return {}


def _created(info: Any) -> PartialDate | None:
    try:
        when = info.creation_date
    except ValueError:  # a date pypdf cannot parse, e.g. "D:20221122055352Z'"
        return _pdf_date(str(info.get("/CreationDate", "")))
    return PartialDate(when.year, when.month, when.day) if when else None


def _pdf_date(raw: str) -> PartialDate | None:
    """A PDF date string, 'D:20160210...', read as far as it is valid."""
    digits = raw.removeprefix("D:")[:8]
    if not digits[:4].isdigit():
        return None
    return date_from_iso_prefix("-".join(filter(None, (digits[:4], digits[4:6], digits[6:8]))))


def _text_and_heading(page: PageObject) -> tuple[str, str | None]:
    """The page's text, and its largest text when it is larger than the rest: the heading."""
    runs: list[tuple[float, float, str]] = []  # height, baseline, text

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        if not text.strip():
            return
        # The height of the text on the page: the font size times the vertical scale of the
        # text matrix applied to the current transformation matrix. Turned text (a watermark,
        # a rotated label) is no heading.
        c = tm[2] * cm[0] + tm[3] * cm[2]
        d = tm[2] * cm[1] + tm[3] * cm[3]
        turned = abs(c) > abs(d) * 0.05
        baseline = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        runs.append((0.0 if turned else abs(size) * math.hypot(c, d), baseline, text))

    text = page.extract_text(visitor_text=visit)
    return text, _heading(runs)


def _heading(runs: list[tuple[float, float, str]]) -> str | None:
    """The first run of the largest text that stands out from the page's ordinary text (more
    than 1.15 times its median height, and at most 5 times: larger is a stamp or a glitch)."""
    sizes = sorted(size for size, _, text in runs if sum(ch.isalpha() for ch in text) >= 2)
    if len(sizes) < 2:
        return None
    middle = sizes[len(sizes) // 2]
    standing_out = [size for size in sizes if middle * 1.15 <= size <= middle * 5]
    if not standing_out:
        return None
    largest = standing_out[-1]
    parts: list[str] = []
    line = None
    for size, baseline, text in runs:
        if largest * 0.9 <= size <= largest * 1.1:
            # Runs of one line are parts of words; a new line starts a new word.
            parts.append(text if line is None or abs(baseline - line) < size / 2 else f" {text}")
            line = baseline
        elif parts:
            break
    heading = " ".join(clean_text("".join(parts)).split())
    return heading if 3 <= len(heading) <= 250 else None


def _form_values(page: PageObject) -> str:
    """The values filled in the page's form fields, which a reader shows on the page."""
    values = []
    for annotation in page.get("/Annots") or []:
        widget = annotation.get_object()
        if widget.get("/Subtype") != "/Widget":
            continue
        value = widget.get("/V", widget.get("/Parent", {}).get("/V"))
        for item in value if isinstance(value, list) else [value]:
            # Names such as /Off or /Yes are a box's state, not text.
            if isinstance(item, str) and not isinstance(item, NameObject) and item.strip():
                values.append(item.strip())
    return "\n" + "\n".join(values) if values else ""


def _has_images(page: PageObject) -> bool:
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    xobjects = resources.get("/XObject") if isinstance(resources, dict) else None
    if not xobjects:
        return False
    return any(
        xobject.get_object().get("/Subtype") in ("/Image", "/Form")
        for xobject in xobjects.get_object().values()
    )


def _is_landscape(page: PageObject) -> bool:
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    if (page.rotation or 0) % 180:
        width, height = height, width
    return width > height


# PDFium ---------------------------------------------------------------------------------


def _usable(text: str | None) -> bool:
    """Whether the text spells words: not empty, not control characters, not glyph names."""
    if not text or not _ALPHANUMERIC.search(text):
        return False
    if "/" not in text and "(cid:" not in text:
        return True
    letters = "".join(text.split())
    named = sum(len(m) for m in _GLYPH_NAMES.findall(letters))
    return named < len(letters) * 0.5


def _with_pdfium(path: Path, password: str | None, reading: _Reading | None) -> _Reading:
    """Ask PDFium for the pages pypdf could not read or found no usable text on (every page
    when pypdf could not open the file).

    A page pypdf failed on stays unread unless PDFium finds words on it: its emptiness in
    PDFium is no proof that nothing is there (OCR may still find it).
    """
    if reading is not None and all(_usable(text) for text in reading.texts):
        return reading
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path), password=password or None)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise _Locked(password_message(password)) from None
        raise
    try:
        count = len(document)
        primary = reading is None
        if reading is None:
            reading = _Reading([None] * count, [True] * count, info=_pdfium_info(document))
            for number in range(count):
                width, height = document.get_page_size(number)
                reading.landscape += width > height
        elif count != len(reading.texts):
            return reading  # the two readers disagree on the pages: keep pypdf's
        for number in range(count):
            if _usable(reading.texts[number]):
                continue
            try:
                page = document[number]
                text_page = page.get_textpage()
                text = text_page.get_text_range()
                text_page.close()
                page.close()
            except pdfium.PdfiumError:
                continue
            if _usable(text) or primary:
                reading.texts[number] = text
    finally:
        document.close()
    return reading


def _pdfium_info(document: Any) -> dict[str, Any]:
    try:
        meta = document.get_metadata_dict(skip_empty=True)
    except Exception:
        return {}
    return {
        "title": meta.get("Title"),
        "author": meta.get("Author"),
        "created": _pdf_date(meta.get("CreationDate", "")),
    }


# OCR ------------------------------------------------------------------------------------


def ocr_available() -> bool:
    return tesseract() is not None


def _ocr(path: Path, password: str | None, numbers: list[int]) -> dict[int, str | Exception]:
    """Each page (0-based) rendered by PDFium and read by Tesseract, or why it could not be."""
    import pypdfium2 as pdfium
    import pytesseract

    read: dict[int, str | Exception] = {}
    try:
        document = pdfium.PdfDocument(str(path), password=password or None)
    except pdfium.PdfiumError as exc:
        return dict.fromkeys(numbers, exc)
    try:
        for number in numbers:
            try:
                page = document[number]
                width, height = page.get_size()
                scale = min(OCR_DPI / 72, math.sqrt(OCR_MAX_PIXELS / max(width * height, 1)))
                image = page.render(scale=scale, grayscale=True).to_pil()
                page.close()
                read[number] = pytesseract.image_to_string(image, timeout=OCR_SECONDS)
            except MemoryError:
                raise
            except Exception as exc:  # a page PDFium cannot draw, or Tesseract gives up on
                read[number] = exc
    finally:
        document.close()
    return read


# The whole document ---------------------------------------------------------------------


def _finish(path: Path, reading: _Reading, options: ExtractOptions) -> Extraction:
    texts = reading.texts
    usable = [_usable(text) for text in texts]
    unread = [n for n, text in enumerate(texts) if text is None]
    # A page with nothing readable but something drawn: a scan, or text without a map.
    scans = [
        n for n, text in enumerate(texts) if text is not None and not usable[n] and reading.drawn[n]
    ]
    final = [text if text and usable[n] else "" for n, text in enumerate(texts)]
    ocr_pages: list[int] = []
    warnings: list[str] = []
    needs: tuple[str, ...] = ()
    if (scans or unread) and options.ocr and ocr_available():
        # OCR also gets a damaged page its chance: what is drawn of it may be read.
        for number, result in _ocr(path, options.password, sorted(scans + unread)).items():
            if isinstance(result, Exception):
                if number in scans:
                    warnings.append(f"page {number + 1}: OCR could not read it ({_short(result)})")
            elif result.strip():
                final[number] = result
                ocr_pages.append(number + 1)
                if number in unread:
                    unread.remove(number)
    elif scans:
        needs = ("ocr",)
        warnings.append(
            f"no text layer on page {_numbers(scans)}: scanned, or fonts without text; install"
            " tesseract-ocr and ingest it again to make it searchable"
        )
    if unread:
        warnings.append(
            f"page {_numbers(unread)} could not be read by either PDF reader: the other pages"
            " are searchable; repair the file or export it again, and ingest that"
        )
    info = reading.info
    return Extraction(
        format=FORMAT,
        pages=clean_pages(final),
        title=_one_line(info.get("title")),
        authors=tuple(
            " ".join(clean_text(a).split())
            for a in (info.get("author") or "").split(";")
            if a.strip() and a.strip().lower() not in ("anonymous", "unknown")
        ),
        date=info.get("created"),
        landscape_pages=reading.landscape,
        warnings=tuple(warnings),
        needs=needs,
        ocr_pages=tuple(ocr_pages),
        unread_pages=tuple(n + 1 for n in unread),
        heading=reading.heading,
    )


def _numbers(pages: list[int]) -> str:
    return ", ".join(str(n + 1) for n in pages)


def _one_line(title: str | None) -> str | None:
    return " ".join(clean_text(title).split()) or None if title else None

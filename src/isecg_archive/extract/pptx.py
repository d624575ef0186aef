"""PowerPoint (.pptx): each slide is a page: titles, text, tables, groups, and speaker notes.

The first slide's title is the deck's heading, which stands in for a placeholder core title
("PowerPoint Presentation", "Slide 1"). Footers and slide numbers repeated on every slide are
left out like a PDF's running lines. A password-protected deck opens with --password.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from isecg_archive.extract import Extraction, ExtractOptions, guard_zip
from isecg_archive.extract.cleaning import clean_pages, clean_text
from isecg_archive.extract.protected import open_package
from isecg_archive.storage.records import PartialDate

FORMAT = "pptx"
EXTENSIONS = (".pptx",)
VERSION = 2
NOTES_MARK = "Notes:"  # speaker notes follow this line on their slide's page


def _texts(shapes: Iterable[Any]) -> Iterator[str]:
    from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

    for shape in shapes:
        if shape.is_placeholder and shape.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER:
            continue  # a number, not content
        if shape.has_text_frame and shape.text_frame.text.strip() == "<number>":
            continue  # a slide number field that only LibreOffice's conversion left
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _texts(shape.shapes)
        elif getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                yield "\t".join(" ".join(cell.text.split()) for cell in row.cells)
        elif shape.has_text_frame and shape.text_frame.text.strip():
            yield shape.text_frame.text


def _notes(slide: Any) -> list[str]:
    """The speaker notes, then the notes page's other text (its header and footer)."""
    if not slide.has_notes_slide:
        return []
    notes_slide = slide.notes_slide
    body = notes_slide.notes_text_frame
    texts = [body.text] if body is not None and body.text.strip() else []
    body_id = getattr(notes_slide.notes_placeholder, "shape_id", None)
    others = [shape for shape in notes_slide.shapes if shape.shape_id != body_id]
    return texts + list(_texts(others))


def slide_pages(slides: Sequence[str], notes: Sequence[str]) -> tuple[str, ...]:
    """Each slide's text mended, then its notes after a `Notes:` line. Running footers are
    looked for on the slides alone, before their notes are added."""
    return tuple(
        clean_text(f"{text}\n{NOTES_MARK}\n{note}") if note.strip() else text
        for text, note in zip(clean_pages(slides, hyphens=False), notes, strict=True)
    )


def extract(path: Path, options: ExtractOptions) -> Extraction:
    package = open_package(path, FORMAT, options)
    if isinstance(package, Extraction):
        return package
    return read(package)


def read(package: Path | IO[bytes]) -> Extraction:
    """A deck from its file or bytes (also used for legacy .ppt files LibreOffice converted)."""
    from pptx import Presentation

    guard_zip(package).close()
    deck = Presentation(package)  # type: ignore[arg-type]
    slides, notes = [], []
    for slide in deck.slides:
        title = slide.shapes.title
        title_text = title.text_frame.text.strip() if title is not None else ""
        title_id = title.shape_id if title is not None else None
        others = list(_texts(s for s in slide.shapes if s.shape_id != title_id))
        slides.append("\n".join([title_text, *others] if title_text else others))
        notes.append("\n".join(_notes(slide)))
    pages = slide_pages(slides, notes)
    first = deck.slides[0].shapes.title if len(deck.slides) else None
    heading = " ".join(first.text_frame.text.split()) if first is not None else ""
    core = deck.core_properties
    created = core.created
    landscape = (deck.slide_width or 0) > (deck.slide_height or 0)
    return Extraction(
        format=FORMAT,
        pages=pages,
        title=(core.title or "").strip() or None,
        authors=tuple(a.strip() for a in (core.author or "").split(";") if a.strip()),
        date=PartialDate(created.year, created.month, created.day) if created else None,
        landscape_pages=len(pages) if landscape else 0,
        heading=heading or None,
    )

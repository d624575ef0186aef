"""PowerPoint (.pptx): each slide is a page: titles, text, tables, groups, and speaker notes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from isecg_archive.extract import Extraction, ExtractOptions, clean_text, guard_zip
from isecg_archive.records import PartialDate

FORMAT = "pptx"
EXTENSIONS = (".pptx",)
VERSION = 1
NOTES_MARK = "Notes:"  # speaker notes follow this line on their slide's page


def _texts(shapes: Iterable[Any]) -> Iterator[str]:
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _texts(shape.shapes)
        elif getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                yield "\t".join(cell.text.strip() for cell in row.cells)
        elif shape.has_text_frame and shape.text_frame.text.strip():
            yield shape.text_frame.text


def extract(path: Path, options: ExtractOptions) -> Extraction:
    from pptx import Presentation

    guard_zip(path).close()
    deck = Presentation(str(path))
    pages = []
    first_title = None
    for slide in deck.slides:
        title = slide.shapes.title
        title_text = title.text_frame.text.strip() if title is not None else ""
        title_id = title.shape_id if title is not None else None
        first_title = first_title or title_text or None
        others = list(_texts(s for s in slide.shapes if s.shape_id != title_id))
        parts = [title_text, *others] if title_text else others
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            if notes is not None and notes.text.strip():
                parts += [NOTES_MARK, notes.text]
        pages.append(clean_text("\n".join(parts)))
    core = deck.core_properties
    created = core.created
    landscape = (deck.slide_width or 0) > (deck.slide_height or 0)
    return Extraction(
        format=FORMAT,
        pages=tuple(pages),
        title=(core.title or "").strip() or first_title,
        authors=tuple(a.strip() for a in (core.author or "").split(";") if a.strip()),
        date=PartialDate(created.year, created.month, created.day) if created else None,
        landscape_pages=len(pages) if landscape else 0,
    )

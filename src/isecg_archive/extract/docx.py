"""Word (.docx): headings, paragraphs and tables in order, headers and footers; a page per
hard page break."""

from __future__ import annotations

from pathlib import Path

from isecg_archive.extract import Extraction, ExtractOptions, clean_text, guard_zip
from isecg_archive.records import PartialDate

FORMAT = "docx"
EXTENSIONS = (".docx",)
VERSION = 1
_PAGE_BREAK = './/w:br[@w:type="page"]'


def extract(path: Path, options: ExtractOptions) -> Extraction:
    from docx import Document
    from docx.table import Table

    guard_zip(path).close()
    document = Document(str(path))
    pages: list[list[str]] = [[]]
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                pages[-1].append("\t".join(cell.text.strip() for cell in row.cells))
            continue
        pages[-1].append(block.text)
        if block._element.xpath(_PAGE_BREAK):
            pages.append([])
    headers: list[str] = []
    footers: list[str] = []
    for section in document.sections:
        for part, found in ((section.header, headers), (section.footer, footers)):
            text = "\n".join(p.text for p in part.paragraphs).strip()
            if text and text not in found:
                found.append(text)
    pages[0][:0] = headers
    pages[-1].extend(footers)
    core = document.core_properties
    created = core.created
    return Extraction(
        format=FORMAT,
        pages=tuple(clean_text("\n".join(page)) for page in pages),
        title=(core.title or "").strip() or None,
        authors=tuple(a.strip() for a in (core.author or "").split(";") if a.strip()),
        date=PartialDate(created.year, created.month, created.day) if created else None,
    )

"""OpenDocument text (.odt) and presentations (.odp), read from their XML with the standard
library: the text a reader sees, in order; a page per slide, with speaker notes.

Paragraphs, headings, lists, tables and text boxes in order; spaces, tabs and line breaks as
written; tracked deletions left out. Footnotes and endnotes follow the text under a `Notes:`
line, comments under `Comments:`. A text document's pages are those LibreOffice last laid out
(its soft page breaks); its headers and footers (in styles.xml) are given once after the text.
A password-protected file is kept as needing a password, with how to save a readable copy:
OpenDocument encryption is not removed here.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
import zipfile
from pathlib import Path

from isecg_archive.extract import Extraction, ExtractOptions, date_from_iso_prefix, guard_zip
from isecg_archive.extract.cleaning import clean_pages
from isecg_archive.extract.docx import COMMENTS_MARK
from isecg_archive.extract.pptx import NOTES_MARK, slide_pages
from isecg_archive.extract.protected import ODF_LOCKED, locked, odf_is_encrypted

FORMAT = "odf"
EXTENSIONS = (".odt", ".odp")
VERSION = 2
NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "presentation": "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}
T, OFFICE, D = (f"{{{NS[key]}}}" for key in ("text", "office", "draw"))
_BLOCKS = {f"{T}p", f"{T}h"}
_PAGE = "\f"  # where a page ends, inside the lines until they are split into pages
# Placeholders such as "<number>", and what a reader does not see as text.
_SKIPPED = {f"{T}page-number", f"{T}page-count", f"{T}tracked-changes", f"{OFFICE}annotation-end"}
_HEADERS = ("header", "header-left", "header-first", "footer", "footer-left", "footer-first")


class _Reader:
    """Walks a document's XML, keeping its lines, notes and comments apart."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self.comments: list[str] = []

    def lines(self, element: ElementTree.Element) -> list[str]:
        found: list[str] = []
        for child in element:
            tag = child.tag
            if tag in _SKIPPED:
                continue
            if tag in _BLOCKS:
                boxes: list[ElementTree.Element] = []
                found.append(self.inline(child, boxes))
                for box in boxes:
                    found.extend(self.lines(box))
            elif tag == f"{T}soft-page-break":
                found.append(_PAGE)
            elif tag == f"{OFFICE}annotation":
                self.comments.append(" ".join(self.lines(child)))
            else:
                found.extend(self.lines(child))
        return found

    def inline(self, node: ElementTree.Element, boxes: list[ElementTree.Element]) -> str:
        parts = [node.text or ""]
        for child in node:
            tag = child.tag
            if tag == f"{T}s":
                parts.append(" " * int(child.get(f"{T}c", "1")))
            elif tag == f"{T}tab":
                parts.append("\t")
            elif tag == f"{T}line-break":
                parts.append("\n")
            elif tag == f"{T}soft-page-break":
                parts.append(f"\n{_PAGE}\n")
            elif tag == f"{T}note":
                body = child.find(f"{T}note-body")
                if body is not None:
                    self.notes.append(" ".join(self.lines(body)))
            elif tag == f"{OFFICE}annotation":
                self.comments.append(" ".join(self.lines(child)))
            elif tag.startswith(D):  # a frame or text box anchored in the paragraph
                boxes.append(child)
            elif tag not in _SKIPPED:
                parts.append(self.inline(child, boxes))
            parts.append(child.tail or "")
        return "".join(parts)


def _pages(lines: list[str]) -> list[str]:
    return [page.strip("\n") for page in "\n".join(lines).split(_PAGE)]


def _read_xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    if name not in archive.namelist():
        return None
    return ElementTree.fromstring(archive.read(name))


def extract(path: Path, options: ExtractOptions) -> Extraction:
    with guard_zip(path) as archive:
        if odf_is_encrypted(archive):
            kind = "odp" if path.suffix.lower() == ".odp" else "odt"
            return locked(kind, ODF_LOCKED)
        content = _read_xml(archive, "content.xml")
        styles = _read_xml(archive, "styles.xml")
        meta = _read_xml(archive, "meta.xml")
    if content is None:
        raise ValueError("no content.xml in the package")
    body = content.find("office:body", NS)
    if body is None:
        raise ValueError("no office:body in content.xml")
    reader = _Reader()
    presentation = body.find("office:presentation", NS)
    heading = None
    if presentation is not None:
        slides, notes = [], []
        for slide in presentation.findall("draw:page", NS):
            slide_notes = slide.find("presentation:notes", NS)
            if slide_notes is not None:
                slide.remove(slide_notes)
            slides.append("\n".join(reader.lines(slide)).replace(_PAGE, ""))
            notes.append("\n".join(reader.lines(slide_notes)) if slide_notes is not None else "")
        pages = slide_pages(slides, notes)
        first = presentation.find("draw:page", NS)
        kind = f"{{{NS['presentation']}}}class"
        for frame in first.iter(f"{D}frame") if first is not None else ():
            if frame.get(kind) == "title":
                heading = " ".join(" ".join(reader.lines(frame)).split()) or None
                break
    else:
        texts = _pages(reader.lines(body)) or [""]
        headers, footers = _headers_and_footers(styles)
        extra = [*headers, *footers]
        if reader.notes:
            extra += [NOTES_MARK, *reader.notes]
        if reader.comments:
            extra += [COMMENTS_MARK, *reader.comments]
        texts[-1] = "\n".join([texts[-1], *extra])
        pages = clean_pages(texts, running=False, hyphens=False)
        first_heading = body.find(".//text:h", NS)
        if first_heading is not None:
            heading = " ".join(reader.inline(first_heading, []).split()) or None
    title = creator = created = None
    if meta is not None:
        title = meta.findtext(".//dc:title", namespaces=NS)
        creator = meta.findtext(".//meta:initial-creator", namespaces=NS) or meta.findtext(
            ".//dc:creator", namespaces=NS
        )
        created = meta.findtext(".//meta:creation-date", namespaces=NS)
    return Extraction(
        format="odp" if presentation is not None else "odt",
        pages=pages,
        title=(title or "").strip() or None,
        authors=tuple(a.strip() for a in (creator or "").split(";") if a.strip()),
        date=date_from_iso_prefix(created),
        landscape_pages=len(pages) if presentation is not None else 0,
        heading=heading,
    )


def _headers_and_footers(styles: ElementTree.Element | None) -> tuple[list[str], list[str]]:
    """The text of the master pages' headers and footers, once each."""
    headers: list[str] = []
    footers: list[str] = []
    if styles is None:
        return headers, footers
    reader = _Reader()
    for master in styles.iterfind(".//style:master-page", NS):
        for kind in _HEADERS:
            for part in master.iterfind(f"style:{kind}", NS):
                text = " ".join(" ".join(reader.lines(part)).split())
                found = headers if kind.startswith("header") else footers
                if text and text not in found:
                    found.append(text)
    return headers, footers

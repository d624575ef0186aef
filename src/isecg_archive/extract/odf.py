"""OpenDocument text (.odt) and presentations (.odp), read from their XML with the standard
library: paragraphs and headings in order; a page per slide, with speaker notes."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

from isecg_archive.extract import (
    Extraction,
    ExtractOptions,
    clean_text,
    date_from_iso_prefix,
    guard_zip,
)
from isecg_archive.extract.pptx import NOTES_MARK

FORMAT = "odf"
EXTENSIONS = (".odt", ".odp")
VERSION = 1
NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "presentation": "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}
_BLOCKS = {f"{{{NS['text']}}}p", f"{{{NS['text']}}}h"}
_FIELDS = {f"{{{NS['text']}}}page-number"}  # placeholders such as "<number>", not text


def _inline(node: ElementTree.Element) -> str:
    parts = [node.text or ""]
    for child in node:
        if child.tag not in _FIELDS:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _text(element: ElementTree.Element) -> str:
    """The text of paragraphs and headings under an element, one per line."""
    return "\n".join(_inline(node) for node in element.iter() if node.tag in _BLOCKS)


def extract(path: Path, options: ExtractOptions) -> Extraction:
    with guard_zip(path) as archive:
        content = ElementTree.fromstring(archive.read("content.xml"))
        meta = (
            ElementTree.fromstring(archive.read("meta.xml"))
            if "meta.xml" in archive.namelist()
            else None
        )
    body = content.find("office:body", NS)
    if body is None:
        raise ValueError("no office:body in content.xml")
    presentation = body.find("office:presentation", NS)
    if presentation is not None:
        pages = []
        for slide in presentation.findall("draw:page", NS):
            notes = slide.find("presentation:notes", NS)
            if notes is not None:
                slide.remove(notes)
            text = _text(slide)
            if notes is not None and _text(notes).strip():
                text += f"\n{NOTES_MARK}\n{_text(notes)}"
            pages.append(clean_text(text))
    else:
        pages = [clean_text(_text(body))]
    title = creator = created = None
    if meta is not None:
        title = meta.findtext(".//dc:title", namespaces=NS)
        creator = meta.findtext(".//meta:initial-creator", namespaces=NS) or meta.findtext(
            ".//dc:creator", namespaces=NS
        )
        created = meta.findtext(".//meta:creation-date", namespaces=NS)
    return Extraction(
        format="odp" if presentation is not None else "odt",
        pages=tuple(pages),
        title=(title or "").strip() or None,
        authors=tuple(a.strip() for a in (creator or "").split(";") if a.strip()),
        date=date_from_iso_prefix(created),
        landscape_pages=len(pages) if presentation is not None else 0,
    )

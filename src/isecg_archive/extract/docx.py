"""Word (.docx): the text a reader sees, in order, page by page.

Paragraphs, tables, text boxes (once, though Word stores each twice), content controls and
inserted text, in the order of the document; deleted text and field codes are left out, as
Word shows neither. Headers and footers, repeated on every page, are given once after the
text (not before it, where they would pass for its title); footnotes and endnotes follow under
a `Notes:` line, comments under `Comments:`. Pages are the
pages Word last laid out when it saved the file (its rendered page breaks), else the hard
page breaks. A password-protected file opens with --password (see `protected`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from isecg_archive.extract import Extraction, ExtractOptions, guard_zip
from isecg_archive.extract.cleaning import clean_pages
from isecg_archive.extract.pptx import NOTES_MARK
from isecg_archive.extract.protected import open_package
from isecg_archive.storage.records import PartialDate

FORMAT = "docx"
EXTENSIONS = (".docx",)
VERSION = 2
COMMENTS_MARK = "Comments:"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
# Whole subtrees a reader does not see as text.
_HIDDEN = {f"{W}del", f"{W}moveFrom", f"{W}instrText", f"{W}delText", f"{MC}Fallback"}
_HEADING_STYLES = ("Title", "Heading 1")
# Elements around paragraphs, rows or cells: content controls, custom XML, insertions, and
# the markup-compatibility choice Word writes (its fallback is the same content again).
_WRAPPERS = {
    f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins", f"{W}smartTag",
    f"{MC}AlternateContent", f"{MC}Choice",
}  # fmt: skip


class _Pages:
    """Lines of text, page after page, as the walk over the document finds them."""

    def __init__(self, rendered: bool) -> None:
        self.rendered = rendered  # split at Word's rendered page breaks, not at hard ones
        self.pages: list[list[str]] = [[]]
        self.line: list[str] = []

    def text(self, text: str) -> None:
        self.line.append(text)

    def end_line(self) -> None:
        self.pages[-1].append("".join(self.line))
        self.line = []

    def new_page(self) -> None:
        if self.line:
            self.end_line()
        self.pages.append([])


def _walk(element: Any, out: _Pages, boxes: list[Any]) -> None:
    """The text of a paragraph's descendants, in order; text boxes are kept for later."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _HIDDEN:
            continue
        if tag == f"{W}t":
            out.text(child.text or "")
        elif tag == f"{W}tab":
            out.text("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            kind = child.get(f"{W}type")
            if kind == "page" and not out.rendered:
                out.new_page()
            elif kind != "page":
                out.end_line()
        elif tag == f"{W}noBreakHyphen":
            out.text("-")
        elif tag == f"{W}lastRenderedPageBreak":
            if out.rendered:
                out.new_page()
        elif tag == f"{W}txbxContent":
            boxes.append(child)
        else:
            _walk(child, out, boxes)


def _blocks(container: Any, out: _Pages) -> None:
    """Paragraphs and tables of a body, cell, text box or note, in order."""
    for child in container:
        tag = child.tag
        if tag == f"{W}p":
            boxes: list[Any] = []
            if not out.rendered and child.find(f"{W}pPr/{W}pageBreakBefore") is not None:
                out.new_page()
            _walk(child, out, boxes)
            out.end_line()
            for box in boxes:
                _blocks(box, out)
        elif tag == f"{W}tbl":
            for row in _wrapped(child, f"{W}tr"):
                if out.rendered and any(True for _ in row.iter(f"{W}lastRenderedPageBreak")):
                    out.new_page()
                cells = [_plain(cell) for cell in _wrapped(row, f"{W}tc")]
                out.pages[-1].append("\t".join(cells))
        elif tag in _WRAPPERS:
            _blocks(child, out)


def _wrapped(element: Any, tag: str) -> Iterator[Any]:
    """The children with this tag, also those wrapped in content controls or custom XML (rows
    and cells can be)."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _wrapped(child, tag)


def _plain(element: Any) -> str:
    """The text of a table cell or a header, its paragraphs joined with spaces."""
    out = _Pages(rendered=False)
    _blocks(element, out)
    return " ".join(" ".join(line.split()) for page in out.pages for line in page if line.strip())


def _part_texts(document: Any, kind: str) -> list[str]:
    """The text of each header, footer, footnotes, endnotes or comments part, once each."""
    found: list[str] = []
    for relationship in document.part.rels.values():
        if relationship.is_external or relationship.reltype != _REL + kind:
            continue
        part = relationship.target_part
        if hasattr(part, "element"):
            root = part.element
        else:  # a part python-docx keeps as bytes (footnotes, comments in some versions)
            from docx.oxml.parser import parse_xml

            root = parse_xml(part.blob)
        items: Iterator[Any]
        if kind in ("footnotes", "endnotes", "comments"):
            item_tag = {"footnotes": "footnote", "endnotes": "endnote", "comments": "comment"}
            items = (
                item
                for item in root.iter(f"{W}{item_tag[kind]}")
                if item.get(f"{W}type") not in ("separator", "continuationSeparator")
            )
        else:
            items = iter([root])
        for item in items:
            text = _plain(item)
            if text and text not in found:
                found.append(text)
    return found


def _heading(document: Any, body: Any) -> str | None:
    """The first paragraph in the Title or Heading 1 style."""
    names = {style.style_id: style.name for style in document.styles}
    for paragraph in body.iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        if style is not None and names.get(style.get(f"{W}val")) in _HEADING_STYLES:
            text = _plain(paragraph)
            if text:
                return text
    return None


def _bare(text: str) -> str:
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())


def extract(path: Path, options: ExtractOptions) -> Extraction:
    package = open_package(path, FORMAT, options)
    if isinstance(package, Extraction):
        return package
    return _read(package)


def _read(package: Path | IO[bytes]) -> Extraction:
    from docx import Document

    guard_zip(package).close()
    document = Document(package)  # type: ignore[arg-type]
    body = document.element.body
    rendered = any(True for _ in body.iter(f"{W}lastRenderedPageBreak"))
    out = _Pages(rendered)
    _blocks(body, out)
    if out.line:
        out.end_line()
    pages = out.pages
    headers = _part_texts(document, "header")
    footers = _part_texts(document, "footer")
    notes = _part_texts(document, "footnotes") + _part_texts(document, "endnotes")
    comments = _part_texts(document, "comments")
    pages[-1] += headers + [footer for footer in footers if footer not in headers]
    if notes:
        pages[-1] += [NOTES_MARK, *notes]
    if comments:
        pages[-1] += [COMMENTS_MARK, *comments]
    core = document.core_properties
    created = core.created
    title = (core.title or "").strip()
    if title and any(f" {_bare(title)} " in f" {_bare(text)} " for text in headers + footers):
        title = ""  # a title copied from the running header is no title
    return Extraction(
        format=FORMAT,
        pages=clean_pages(["\n".join(page) for page in pages], running=False, hyphens=False),
        title=title or None,
        authors=tuple(a.strip() for a in (core.author or "").split(";") if a.strip()),
        date=PartialDate(created.year, created.month, created.day) if created else None,
        heading=_heading(document, body),
    )

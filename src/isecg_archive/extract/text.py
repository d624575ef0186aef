"""Plain text and Markdown: one page, or one per form feed; a Markdown title and front matter.

Markdown is rendered to the text a reader sees (markdown-it-py, the CommonMark parser):
headings and paragraphs as lines, list items with bullets, table rows with tabs, links as
their words, without the `#`, `**` and URLs of the source. Words hyphenated across the lines
of a hard-wrapped text are joined again, and lines repeated at the edges of its pages left out.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from isecg_archive.errors import ExtractionError
from isecg_archive.extract import Extraction, ExtractOptions, date_from_iso_prefix
from isecg_archive.extract.cleaning import BULLET, clean_pages

FORMAT = "text"
EXTENSIONS = (".txt", ".md", ".markdown", ".text")
VERSION = 2

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_TAGS = re.compile(r"<[^>]*>")


def decode(raw: bytes, declared: str | None = None) -> tuple[str, tuple[str, ...]]:
    """Decode bytes as the declared charset, else UTF-8, else Windows-1252 with a warning."""
    if b"\x00" in raw[:8192]:
        raise ExtractionError("the file holds binary data, not text; check what the file really is")
    for encoding in filter(None, (declared, "utf-8-sig")):
        try:
            return raw.decode(encoding), ()
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("cp1252", errors="replace"), ("not UTF-8: read as Windows-1252",)


def extract(path: Path, options: ExtractOptions) -> Extraction:
    text, warnings = decode(path.read_bytes())
    title = date = None
    authors: tuple[str, ...] = ()
    front = _FRONT_MATTER.match(text)
    if front:
        fields = dict(
            (key.strip().lower(), value.strip().strip("'\""))
            for key, _, value in (line.partition(":") for line in front.group(1).splitlines())
        )
        title = fields.get("title") or None
        date = date_from_iso_prefix(fields.get("date"))
        authors = tuple(a.strip() for a in fields.get("author", "").split(";") if a.strip())
        text = text[front.end() :]
    markdown = path.suffix.lower() in (".md", ".markdown")
    heading = None
    if markdown:
        pages, heading = [], None
        for source in text.split("\f"):
            rendered, first_heading = render_markdown(source)
            pages.append(rendered)
            heading = heading or first_heading
    else:
        pages = text.split("\f")
    return Extraction(
        format="markdown" if markdown else FORMAT,
        pages=clean_pages(pages, hyphens=not markdown),
        title=title or (heading if markdown else None),
        authors=authors,
        date=date,
        warnings=warnings,
        heading=heading,
    )


@cache
def _parser() -> Any:
    """The Markdown parser, made once: making one took a third of the time of rendering a page.
    Parsing keeps its state apart from the parser's, which only holds its rules."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def render_markdown(source: str) -> tuple[str, str | None]:
    """Markdown as the text a reader sees, and its first heading."""
    tokens = _parser().parse(source)
    lines: list[str] = []
    prefixes: list[str] = []  # the marker of each list the text is in
    numbers: list[int] = []
    row: list[str] | None = None
    heading: str | None = None
    in_heading = False
    item_start = False
    for token in tokens:
        kind = token.type
        if kind == "bullet_list_open":
            prefixes.append(BULLET)
            numbers.append(0)
        elif kind == "ordered_list_open":
            prefixes.append("#")
            numbers.append(int(token.attrGet("start") or 1) - 1)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            prefixes.pop()
            numbers.pop()
        elif kind == "list_item_open":
            numbers[-1] += 1
            item_start = True
        elif kind == "heading_open":
            in_heading = True
        elif kind == "heading_close":
            in_heading = False
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            lines.append("\t".join(row))
            row = None
        elif kind == "inline":
            text = _inline(token.children or [])
            if row is not None:
                row.append(text)
                continue
            if in_heading and heading is None:
                heading = " ".join(text.split()) or None
            if item_start:
                marker = BULLET if prefixes[-1] == BULLET else f"{numbers[-1]}."
                text = f"{marker} {text}"
                item_start = False
            lines.append(text)
        elif kind in ("fence", "code_block"):
            lines.append(token.content.rstrip("\n"))
        elif kind == "html_block":
            lines.append(_TAGS.sub(" ", token.content).strip())
    return "\n".join(lines), heading


def _inline(children: list[Any]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(_inline(child.children or []))
        elif child.type == "html_inline":
            continue
    return "".join(parts)

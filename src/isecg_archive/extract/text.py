"""Plain text and Markdown: one page, or one per form feed; a Markdown title and front matter."""

from __future__ import annotations

import re
from pathlib import Path

from isecg_archive.errors import ExtractionError
from isecg_archive.extract import Extraction, ExtractOptions, clean_text, date_from_iso_prefix

FORMAT = "text"
EXTENSIONS = (".txt", ".md", ".markdown", ".text")
VERSION = 1

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


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
    if path.suffix.lower() in (".md", ".markdown") and not title:
        heading = _HEADING.search(text)
        title = heading.group(1) if heading else None
    pages = tuple(clean_text(page) for page in text.split("\f"))
    return Extraction(
        format="markdown" if path.suffix.lower() in (".md", ".markdown") else FORMAT,
        pages=pages,
        title=title,
        authors=authors,
        date=date,
        warnings=warnings,
    )

"""HTML: the visible text, the title, the authors and the publication date from meta tags."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from isecg_archive.extract import Extraction, ExtractOptions, clean_text, date_from_iso_prefix
from isecg_archive.extract.text import decode

FORMAT = "html"
EXTENSIONS = (".html", ".htm")
VERSION = 2

# Not the document's text: code, styling, and the site's navigation around it.
_HIDDEN = {"script", "style", "noscript", "template", "head", "svg", "iframe", "nav"}
_BLOCKS = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "li", "ul",
    "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "blockquote", "pre",
    "figure", "figcaption", "dt", "dd", "title",
}  # fmt: skip
# Meta names that carry a publication date, most specific first.
_DATE_META = (
    "citation_publication_date",
    "article:published_time",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "date",
    "pubdate",
)


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self.h1_parts: list[str] = []
        self.meta: dict[str, str] = {}
        self.time_datetime: str | None = None
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (values.get("name") or values.get("property") or "").lower()
            if key and "content" in values:
                self.meta.setdefault(key, values["content"])
            return
        if tag == "time" and self.time_datetime is None and values.get("datetime"):
            self.time_datetime = values["datetime"]
        if tag in _BLOCKS:
            self.parts.append("\n")
        if tag not in ("br", "hr", "img", "input", "link"):
            self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if "title" in self._stack:
            self.title_parts.append(data)
            return
        if any(tag in _HIDDEN for tag in self._stack):
            return
        if "h1" in self._stack:
            self.h1_parts.append(data)
        self.parts.append(data)


def extract(path: Path, options: ExtractOptions) -> Extraction:
    raw = path.read_bytes()
    declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", raw[:4096], re.IGNORECASE)
    text, warnings = decode(raw, declared.group(1).decode("ascii") if declared else None)
    parser = _Visible()
    parser.feed(text)
    parser.close()
    meta = parser.meta
    title = " ".join("".join(parser.title_parts).split()) or meta.get("og:title")
    title = title or " ".join("".join(parser.h1_parts).split()) or None
    date = None
    for name in _DATE_META:
        date = date_from_iso_prefix(meta.get(name))
        if date:
            break
    date = date or date_from_iso_prefix(parser.time_datetime)
    authors = tuple(a.strip() for a in re.split(r"[;,]", meta.get("author", "")) if a.strip())
    return Extraction(
        format=FORMAT,
        pages=(clean_text("".join(parser.parts)),),
        title=title,
        authors=authors,
        date=date,
        warnings=warnings,
    )

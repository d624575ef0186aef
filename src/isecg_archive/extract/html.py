"""HTML: the article a reader came for, its headline, authors and publication date.

The page's main content is found by trafilatura, which leaves out navigation, sidebars,
footers, comment forms and sign-up boxes; when it finds no article (a short page, a list), the
visible text is kept instead, so that nothing a page says is lost. The title is the headline
the page shows (its <h1> when that agrees with the page's own metadata), else `og:title`,
the JSON-LD headline or the <title>, each without the site's name. The publication date is
the one the page's metadata declares, which beats any date in its text.
"""

from __future__ import annotations

import json
import logging
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from isecg_archive.extract import Extraction, ExtractOptions, date_from_iso_prefix
from isecg_archive.extract.cleaning import clean_pages, clean_text
from isecg_archive.extract.text import decode
from isecg_archive.storage.records import PartialDate

FORMAT = "html"
EXTENSIONS = (".html", ".htm")
VERSION = 3

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
    "og:article:published_time",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "date",
    "pubdate",
    "publishdate",
)
_TITLE_META = ("og:title", "twitter:title", "citation_title", "dc.title")
# What sites put between a headline and their name: "Headline | Site", "Headline - Site".
_SEPARATORS = re.compile(r"\s+(?:[|\-\u2013\u2014/·•:»]|::)\s+")
_WORD = re.compile(r"\w+")
_FALLBACK_WORDS = 30  # an article shorter than this, on a page with more, is no article

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


class _Page(HTMLParser):
    """One pass over the page: its visible text, headings, meta tags and JSON-LD."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self.headings: list[list[str]] = []  # the text of each <h1>
        self.meta: dict[str, str] = {}
        self.json_ld: list[str] = []
        self.time_datetime: str | None = None
        self._stack: list[str] = []
        self._script_type = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (values.get("name") or values.get("property") or "").lower()
            if key and "content" in values:
                self.meta.setdefault(key, values["content"])
            return
        if tag == "time" and self.time_datetime is None and values.get("datetime"):
            self.time_datetime = values["datetime"]
        if tag == "script":
            self._script_type = values.get("type", "").lower()
        if tag == "h1":
            self.headings.append([])
        if tag in _BLOCKS:
            self.parts.append("\n")
        if tag not in ("br", "hr", "img", "input", "link", "meta", "wbr"):
            self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1] == "script" and "ld+json" in self._script_type:
            self.json_ld.append(data)
            return
        if "svg" in self._stack:  # an icon's <title> is no part of the page's title
            return
        if "title" in self._stack and "body" not in self._stack:
            self.title_parts.append(data)
            return
        if any(tag in _HIDDEN for tag in self._stack):
            return
        if "h1" in self._stack and self.headings:
            self.headings[-1].append(data)
        self.parts.append(data)


def extract(path: Path, options: ExtractOptions) -> Extraction:
    raw = path.read_bytes()
    declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", raw[:4096], re.IGNORECASE)
    text, warnings = decode(raw, declared.group(1).decode("ascii") if declared else None)
    page = _Page()
    page.feed(text)
    page.close()
    visible = clean_text("".join(page.parts))
    article = _article(text)
    if len(_WORD.findall(article)) < min(_FALLBACK_WORDS, len(_WORD.findall(visible))):
        article = visible
    linked = _linked_data(page.json_ld)
    published = _published(page.meta, linked) or date_from_iso_prefix(page.time_datetime)
    return Extraction(
        format=FORMAT,
        pages=clean_pages([article], running=False),
        title=_headline(page, linked),
        authors=_authors(page.meta, linked),
        date=published,
        warnings=warnings,
        published=published,
    )


def _article(html: str) -> str:
    import trafilatura

    try:
        found = trafilatura.extract(
            html, include_comments=False, include_tables=True, deduplicate=False, fast=False
        )
    except ImportError:
        raise
    except Exception:  # trafilatura gives up on some markup: the visible text is kept
        return ""
    return found or ""


# Metadata -------------------------------------------------------------------------------


def _linked_data(blocks: list[str]) -> dict[str, Any]:
    """The page's JSON-LD article (NewsArticle, BlogPosting...), or its first object."""
    found: list[dict[str, Any]] = []
    for block in blocks:
        try:
            data = json.loads(block)
        except ValueError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data])
        found.extend(item for item in items if isinstance(item, dict))
    for item in found:
        kind = item.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and k.endswith(("Article", "Posting", "Report")) for k in kinds):
            return item
    return found[0] if found else {}


def _published(meta: dict[str, str], linked: dict[str, Any]) -> PartialDate | None:
    for name in _DATE_META:
        if date := date_from_iso_prefix(meta.get(name)):
            return date
    value = linked.get("datePublished")
    return date_from_iso_prefix(value) if isinstance(value, str) else None


def _authors(meta: dict[str, str], linked: dict[str, Any]) -> tuple[str, ...]:
    named = [a.strip() for a in re.split(r"[;,]", meta.get("author", "")) if a.strip()]
    if not named:
        people = linked.get("author")
        for person in people if isinstance(people, list) else [people]:
            name = person.get("name") if isinstance(person, dict) else person
            if isinstance(name, str) and name.strip() and "://" not in name:
                named.append(" ".join(name.split()))
    return tuple(named)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _alike(one: str, other: str) -> bool:
    """Whether two titles name the same thing: most of the shorter one's words are in the
    other, and a good part of the longer one's (a blog's name is no post's title)."""
    a, b = _words(one), _words(other)
    shared = len(a & b)
    return (
        bool(a and b)
        and shared >= 0.6 * min(len(a), len(b))
        and shared >= 0.35 * max(len(a), len(b))
    )


def _headline(page: _Page, linked: dict[str, Any]) -> str | None:
    meta = page.meta
    document_title = " ".join("".join(page.title_parts).split())
    stated = [" ".join(meta[name].split()) for name in _TITLE_META if meta.get(name, "").strip()]
    if isinstance(linked.get("headline"), str) and linked["headline"].strip():
        stated.append(" ".join(clean_text(linked["headline"]).split()))
    if document_title:
        stated.append(document_title)
    sites = _site_names(meta, linked)
    headings = [" ".join("".join(parts).split()) for parts in page.headings]
    headings = [h for h in headings if h and h.lower() not in sites]
    for heading in headings:
        if any(_alike(heading, title) for title in stated):
            return heading[:300]
    for title in stated:
        if shorter := _without_site(title, sites, headings):
            return shorter[:300]
    return headings[0][:300] if headings else None


def _site_names(meta: dict[str, str], linked: dict[str, Any]) -> set[str]:
    names = {meta.get("og:site_name", ""), meta.get("application-name", "")}
    publisher = linked.get("publisher")
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
        names.add(publisher["name"])
    return {" ".join(name.lower().split()) for name in names if name.strip()}


def _split(title: str) -> tuple[list[str], list[str]]:
    """A title's parts between separators, and the separators; none inside brackets."""
    parts, separators, start = [], [], 0
    for match in _SEPARATORS.finditer(title):
        before = title[: match.start()]
        if before.count("(") > before.count(")") or before.count("[") > before.count("]"):
            continue
        parts.append(title[start : match.start()].strip())
        separators.append(match.group())
        start = match.end()
    parts.append(title[start:].strip())
    return parts, separators


def _without_site(title: str, sites: set[str], headings: list[str]) -> str:
    """A page title without the site's name: "Headline | Site" is "Headline".

    A part is the site's name when the page says so (og:site_name, the JSON-LD publisher),
    when it looks like a domain, or when the page's <h1> is that part alone; otherwise, the
    short parts before or after the longest one are taken for the site and its section.
    """
    parts, separators = _split(title)
    if len(parts) == 1:
        return title
    lowered = [part.lower() for part in parts]
    known = {
        n
        for n, part in enumerate(lowered)
        if part in sites
        or re.fullmatch(r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", part)
        or any(part == h.lower() for h in headings)
    }
    if known:
        kept = [part for n, part in enumerate(parts) if n not in known]
    else:
        longest = max(range(len(parts)), key=lambda n: len(parts[n]))
        kept = [
            part
            for n, part in enumerate(parts)
            if n == longest or len(part.split()) > 3 and len(part) > len(parts[longest]) / 2
        ]
    rebuilt = kept[0] if kept else title
    # Parts kept together are joined as the title wrote them.
    for n in range(1, len(parts)):
        if parts[n] in kept and parts[n - 1] in kept:
            rebuilt += separators[n - 1] + parts[n]
    return rebuilt

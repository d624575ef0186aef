"""BibTeX entries (with the biblatex fields that keep a date's precision and the event)."""

from __future__ import annotations

import re
import unicodedata

from isecg_archive.citing.kinds import kind_of, split_name
from isecg_archive.citing.links import Links
from isecg_archive.storage.records import Document

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# LaTeX's special characters, written so that LaTeX and BibTeX parsers read them back as typed.
_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIALS = re.compile("|".join(re.escape(c) for c in _SPECIAL))
# A word with a capital after its first letter (ISECG, NASA's, LunaNet): BibTeX styles that
# lower-case titles must leave it as written.
_KEEP_CASE = re.compile(r"(?<!\w)([^\W_]+[A-Z][^\W_]*)(?!\w)")
_KEY_PART = re.compile(r"[^a-z0-9]+")


def _escape(text: str) -> str:
    return _SPECIALS.sub(lambda m: _SPECIAL[m.group()], re.sub(r"\s+", " ", text))


def _title(text: str) -> str:
    parts = _KEEP_CASE.split(" ".join(text.split()))
    # split() puts the words to keep at odd places.
    return "".join("{" + part + "}" if n % 2 else _escape(part) for n, part in enumerate(parts))


def _names(names: tuple[str, ...]) -> str:
    """BibTeX's "and"-separated names; a name not written "Family, Given" is kept whole."""
    return " and ".join(
        f"{_escape(split[0])}, {_escape(split[1])}"
        if (split := split_name(name))
        else "{" + _escape(name) + "}"
        for name in names
    )


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _KEY_PART.sub("", folded.lower())


def citation_key(document: Document) -> str:
    """A readable key that stays the same for the same document: first name's first word,
    year, title's first long word, and the id's start (so that keys never collide)."""
    who = (document.authors or document.agencies or ("isecg",))[0]
    first = _ascii((split_name(who) or (who.split()[0] if who.split() else "",))[0])
    word = next((w for w in document.title.split() if len(_ascii(w)) > 3), "")
    year = str(document.date.year) if document.date else ""
    return f"{first[:20]}{year}{_ascii(word)[:20]}-{document.id[:6]}"


def bibtex_entry(document: Document, links: Links) -> str:
    kind = kind_of(document.type)
    fields: list[tuple[str, str]] = [("title", _title(document.title))]
    if document.authors:
        fields.append(("author", _names(document.authors)))
    if document.date:
        fields.append(("year", str(document.date.year)))
        if document.date.month:
            fields.append(("month", MONTHS[document.date.month - 1]))
        fields.append(("date", str(document.date)))  # biblatex: ISO 8601, to its precision
    bodies = (*document.agencies, *document.organisations)
    if bodies:
        field = "institution" if kind.bibtex == "techreport" else "publisher"
        fields.append((field, _names(bodies)))
    if kind.genre:
        fields.append(("type" if kind.bibtex == "techreport" else "howpublished", kind.genre))
    if document.event:
        fields.append(("eventtitle", _escape(document.event)))
    if document.event_date:
        fields.append(("eventdate", str(document.event_date)))
    if document.event_place:
        fields.append(("venue", _escape(document.event_place)))
    if document.topics:
        fields.append(("keywords", ", ".join(document.topics)))
    fields.append(("url", links.document(document.id)))
    lines = [f"@{kind.bibtex}{{{citation_key(document)},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields]
    lines.append("}")
    return "\n".join(lines) + "\n"

"""BibTeX entries (with the biblatex fields that keep a date's precision and the event)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from isecg_archive.citing.creators import Creator, creators
from isecg_archive.citing.kinds import kind_of
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
_KEY_PART = re.compile(r"[^a-z0-9]+")
_CAPITAL = re.compile(r"[A-Z]")
_INNER_CAPITAL = re.compile(r".[A-Z]")


def _escape(text: str) -> str:
    return _SPECIALS.sub(lambda m: _SPECIAL[m.group()], re.sub(r"\s+", " ", text))


def _title(text: str) -> str:
    """The title with each word that has a capital in braces, so that styles which change a
    title's case (plain.bst, biblatex's sentence case) leave "Mars", "ISECG" and "R&D" as
    written; the first word only when a capital follows its first letter."""
    words = text.split()
    return " ".join(
        "{" + _escape(word) + "}"
        if (_INNER_CAPITAL.search(word) if number == 0 else _CAPITAL.search(word))
        else _escape(word)
        for number, word in enumerate(words)
    )


def _name(creator: Creator) -> str:
    """BibTeX's form of a name: "Family, Given" (with "Jr." between), a body whole in braces."""
    if not creator.is_person:
        return "{" + _escape(creator.name) + "}"
    parts = (
        (creator.family, creator.suffix, creator.given)
        if creator.suffix
        else (creator.family, creator.given)
    )
    return ", ".join(_escape(part) for part in parts if part)


def _names(names: Iterable[Creator]) -> str:
    return " and ".join(_name(creator) for creator in names)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _KEY_PART.sub("", folded.lower())


def citation_key(document: Document) -> str:
    """A readable key that stays the same for the same document: first creator's family name
    (or a body's first word), year, title's first long word, and the id's start (so that keys
    never collide)."""
    first_creator = next(iter(creators(document)), None)
    if first_creator is None:
        who = "isecg"
    elif first_creator.is_person:
        who = first_creator.family.split()[-1]
    else:
        who = (first_creator.name.split() or ["isecg"])[0]
    word = next((w for w in document.title.split() if len(_ascii(w)) > 3), "")
    year = str(document.date.year) if document.date else ""
    return f"{_ascii(who)[:20]}{year}{_ascii(word)[:20]}-{document.id[:6]}"


def _event_note(document: Document) -> str:
    parts = [document.event, document.event_place, str(document.event_date or "")]
    return ", ".join(part for part in parts if part)


def bibtex_entry(document: Document, links: Links) -> str:
    """The document as a BibTeX entry of the biblatex data model (types, fields, months as
    macros), which biber validates with no warning and BibTeX styles read."""
    kind = kind_of(document.type)
    made_by = creators(document)
    bodies = (*document.agencies, *document.organisations)
    entry_type = kind.bibtex
    # @report needs an author and an institution, @unpublished an author: without them, @misc.
    if (entry_type == "report" and not (made_by and bodies)) or (
        entry_type == "unpublished" and not made_by
    ):
        entry_type = "misc"
    fields: list[tuple[str, str]] = [("title", _title(document.title))]
    if made_by:
        fields.append(("author", _names(made_by)))
    if document.date:
        fields.append(("year", str(document.date.year)))
        if document.date.month:
            fields.append(("month", MONTHS[document.date.month - 1]))  # a macro, unbraced
        if document.date.day:
            fields.append(("day", str(document.date.day)))
    else:  # the data model wants a date: EDTF's unspecified year says it is not known
        fields.append(("date", "XXXX"))
    if bodies and entry_type == "report":
        fields.append(("institution", _names(Creator(body) for body in bodies)))
    elif bodies and document.authors:  # a person's work, made at these bodies
        if entry_type == "unpublished":  # which has no field for them but a note
            fields.append(("note", _escape("; ".join(bodies))))
        else:
            fields.append(("organization", _names(Creator(body) for body in bodies)))
    if entry_type in ("report", "unpublished", "misc") and (kind.genre or entry_type == "report"):
        fields.append(("type", _escape(kind.genre or "Report")))
    if entry_type == "unpublished":
        if document.event:
            fields.append(("eventtitle", _escape(document.event)))
        if document.event_date:
            fields.append(("eventdate", str(document.event_date)))
        if document.event_place:
            fields.append(("venue", _escape(document.event_place)))
    elif document.event:
        fields.append(("note", _escape(_event_note(document))))
    if document.topics:
        fields.append(("keywords", ", ".join(document.topics)))
    fields.append(("url", links.document(document.id)))
    lines = [f"@{entry_type}{{{citation_key(document)},"]
    lines += [
        f"  {name} = {value}," if name == "month" else f"  {name} = {{{value}}},"
        for name, value in fields
    ]
    lines.append("}")
    return "\n".join(lines) + "\n"

"""A document's creators, the same in every output: persons with their names parsed, and bodies.

Every format that names who made a work (CSL-JSON, BibTeX, RIS, the Highwire and Dublin Core
tags, the page) takes its creators from here, so that a reference manager reads one item one
way whichever it imports. The creators are the record's authors; a body's own publication,
with no author, has the agencies and other bodies that made it.

An author is a body (an agency, a working group, ISECG) when the record names it among its
agencies or bodies, when it is written in capitals (NASA, ISECG), or when it has a word only
bodies have (Group, Agency, Committee...); a body is never split into given and family names.
Any other author is a person, whose name (Given Family, or Family, Given, or Family, Given,
Jr.) is parsed by nameparser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nameparser import HumanName

from isecg_archive.storage.records import Document

_BODY_WORDS = re.compile(
    r"\b(group|agency|administration|agenzia|agence|centre|center|committee|council|office|"
    r"institute|institut|university|universit\w*|association|society|consortium|programme|"
    r"program|project|team|board|commission|organi[sz]ation|laboratory|laboratories|"
    r"directorate|department|ministry|foundation|corporation|company|inc|ltd|gmbh|working|"
    r"coordination|network|forum|academy|secretariat|initiative|partners)\b",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&\-]+")


@dataclass(frozen=True)
class Creator:
    name: str  # as the record has it
    family: str = ""  # a person's family name, with its particles ("van Beethoven")
    given: str = ""
    suffix: str = ""  # "Jr.", "III"

    @property
    def is_person(self) -> bool:
        return bool(self.family)

    def inverted(self) -> str:
        """Family, Given[, Suffix] for a person; a body's name as it is."""
        if not self.is_person:
            return self.name
        return ", ".join(part for part in (self.family, self.given, self.suffix) if part)

    def natural(self) -> str:
        """Given Family[ Suffix] for a person; a body's name as it is."""
        if not self.is_person:
            return self.name
        return " ".join(part for part in (self.given, self.family, self.suffix) if part)


def creators(document: Document) -> tuple[Creator, ...]:
    """The document's creators: its authors, else the bodies that made it."""
    if document.authors:
        bodies = {b.casefold() for b in (*document.agencies, *document.organisations)}
        return tuple(_creator(name, bodies) for name in document.authors)
    return tuple(Creator(body) for body in (*document.agencies, *document.organisations))


def is_body(name: str, known: set[str] | frozenset[str] = frozenset()) -> bool:
    return (
        name.casefold() in known
        or bool(_ACRONYM.fullmatch(name))
        or bool(_BODY_WORDS.search(name))
        or any(ch.isdigit() for ch in name)
    )


def _creator(name: str, bodies: set[str]) -> Creator:
    if is_body(name, bodies):
        return Creator(name)
    parsed = HumanName(name)
    family = parsed.last
    given = " ".join(part for part in (parsed.first, parsed.middle) if part)
    if not family:  # one word: a family name alone
        family, given = given, ""
    if not family:
        return Creator(name)
    return Creator(name, family, given, parsed.suffix)

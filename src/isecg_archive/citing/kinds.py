"""Each document type in the types of the reference formats."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    genre: str | None  # how a citation names the kind of work ("[Presentation]"); None: nothing
    csl: str  # CSL item type
    bibtex: str  # BibTeX entry type, of the biblatex data model
    ris: str  # RIS TY tag
    zotero: str  # Zotero item type, named by a page's first DC.type


KINDS = {
    "presentation": Kind("Presentation", "speech", "unpublished", "SLIDE", "presentation"),
    "workshop-summary": Kind("Workshop summary", "report", "report", "RPRT", "report"),
    "white-paper": Kind("White paper", "report", "report", "RPRT", "report"),
    "roadmap": Kind("Roadmap", "report", "report", "RPRT", "report"),
    "report": Kind(None, "report", "report", "RPRT", "report"),
    "news": Kind("News", "webpage", "online", "ELEC", "webpage"),
    "other": Kind(None, "document", "misc", "GEN", "document"),
}


def kind_of(document_type: str) -> Kind:
    return KINDS.get(document_type, KINDS["other"])

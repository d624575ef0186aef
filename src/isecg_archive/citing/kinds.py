"""Each document type in the types of the reference formats."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    genre: str | None  # how a citation names the kind of work ("[Presentation]"); None: nothing
    csl: str  # CSL item type
    bibtex: str  # BibTeX entry type, of the biblatex data model
    ris: str  # RIS TY tag


KINDS = {
    "presentation": Kind("Presentation", "speech", "unpublished", "SLIDE"),
    "workshop-summary": Kind("Workshop summary", "report", "report", "RPRT"),
    "white-paper": Kind("White paper", "report", "report", "RPRT"),
    "roadmap": Kind("Roadmap", "report", "report", "RPRT"),
    "report": Kind(None, "report", "report", "RPRT"),
    "news": Kind("News", "webpage", "online", "ELEC"),
    "other": Kind(None, "document", "misc", "GEN"),
}


def kind_of(document_type: str) -> Kind:
    return KINDS.get(document_type, KINDS["other"])

"""Each document type in the types of the reference formats, and how a person's name is split."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    genre: str | None  # how a citation names the kind of work ("[Presentation]"); None: nothing
    csl: str  # CSL item type
    bibtex: str  # BibTeX entry type
    ris: str  # RIS TY tag


KINDS = {
    "presentation": Kind("Presentation", "speech", "misc", "SLIDE"),
    "workshop-summary": Kind("Workshop summary", "report", "techreport", "RPRT"),
    "white-paper": Kind("White paper", "report", "techreport", "RPRT"),
    "roadmap": Kind("Roadmap", "report", "techreport", "RPRT"),
    "report": Kind(None, "report", "techreport", "RPRT"),
    "news": Kind("News", "webpage", "misc", "ELEC"),
    "other": Kind(None, "document", "misc", "GEN"),
}


def kind_of(document_type: str) -> Kind:
    return KINDS.get(document_type, KINDS["other"])


def split_name(name: str) -> tuple[str, str] | None:
    """("Family", "Given") for a name written "Family, Given"; None for any other name.

    Names are kept as the record has them: "Jane Smith" or "ISECG Science Working Group" are
    not split, since nothing tells a person from a body there.
    """
    family, comma, given = name.partition(",")
    if comma and family.strip() and given.strip() and "," not in given:
        return family.strip(), given.strip()
    return None

"""RIS records, the tagged format every reference manager imports (EndNote, Zotero, Mendeley)."""

from __future__ import annotations

from isecg_archive.citing.creators import creators
from isecg_archive.citing.kinds import kind_of
from isecg_archive.citing.links import Links
from isecg_archive.storage.records import Document, PartialDate


def _date(date: PartialDate) -> str:
    """RIS's YYYY/MM/DD/ with the parts the record does not know left empty: "2020/12//"."""
    month = f"{date.month:02d}" if date.month else ""
    day = f"{date.day:02d}" if date.day else ""
    return f"{date.year:04d}/{month}/{day}/"


def _line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}"


def ris_entry(document: Document, links: Links) -> str:
    kind = kind_of(document.type)
    lines = [_line("TY", kind.ris), _line("ID", document.id), _line("TI", document.title)]
    lines += [_line("AU", creator.inverted()) for creator in creators(document)]
    if document.date:
        lines += [_line("PY", str(document.date.year)), _line("DA", _date(document.date))]
    bodies = (*document.agencies, *document.organisations)
    if bodies:
        lines.append(_line("PB", "; ".join(bodies)))
    if kind.genre:
        lines.append(_line("M3", kind.genre))
    if document.event:
        lines.append(_line("T2", document.event))
    if document.event_date:
        lines.append(_line("N1", f"Event date: {document.event_date}"))
    if document.event_place:
        lines.append(_line("CY", document.event_place))
    lines += [_line("KW", topic) for topic in document.topics]
    lines.append(_line("UR", links.document(document.id)))
    lines.append(_line("ER", ""))
    return "\r\n".join(lines) + "\r\n"

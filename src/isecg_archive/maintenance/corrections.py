"""A person's corrections to records, and re-detection after a vocabulary or detector change.

A value a person set (or cleared) is recorded under `manual` and outlives re-extraction,
re-detection and reindexing; `--detect` hands a field back to detection. Re-detection also
brings what a record says of its file's text (pages, warnings, what it needs) up to the
extraction in force, and passes over the collection's boilerplate lines for titles.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from isecg_archive.cleantext import refuse_controls
from isecg_archive.collection import Collection
from isecg_archive.engine.readers import live_docnums
from isecg_archive.enrich import EDITABLE, Vocabulary, describe
from isecg_archive.enrich.boilerplate import Boilerplate
from isecg_archive.enrich.metadata import LISTS
from isecg_archive.errors import MetadataError
from isecg_archive.extract import RECORD_FIELDS
from isecg_archive.storage.records import Document

# Fields a person may clear; a title and a type always have a value.
CLEARABLE = (
    *("date", "event", "event_date", "event_place", "agencies", "organisations", "topics"),
    "authors",
)
# Fields detection fills, compared by redetect.
DETECTED = ("title", "date", "event_date", "type", "agencies", "organisations", "topics")


@dataclass(frozen=True)
class Change:
    file: str
    field: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        def shown(value: Any) -> Any:
            if isinstance(value, tuple):
                return list(value)
            return None if value is None else str(value)

        return {
            "file": self.file,
            "field": self.field,
            "old": shown(self.old),
            "new": shown(self.new),
        }


def _empty(name: str) -> Any:
    return () if name in LISTS else None


def edit(
    collection: Collection,
    document_id: str,
    values: Mapping[str, Any],
    clear: tuple[str, ...] = (),
    detect: tuple[str, ...] = (),
) -> tuple[Document, list[Change]]:
    """Set, clear, or give back to detection the given fields of one document."""
    ((document, changes),) = edit_many(
        collection, [document_id], values, clear=clear, detect=detect
    )
    return document, changes


# What a person sets that detection never makes: set, not cleared nor detected, never `manual`.
SET_ONLY = ("internal",)


def edit_many(
    collection: Collection,
    document_ids: list[str],
    values: Mapping[str, Any],
    add: Mapping[str, tuple[str, ...]] | None = None,
    remove: Mapping[str, tuple[str, ...]] | None = None,
    clear: tuple[str, ...] = (),
    detect: tuple[str, ...] = (),
    action: str = "edit",
) -> list[tuple[Document, list[Change]]]:
    """The same correction to several documents, all written at once or none.

    values: fields to set; add/remove: values to add to or take from list fields (agencies,
    organisations, topics, authors), keeping the rest; clear: fields to empty; detect: fields
    to hand back to detection. Each document comes back with its changes (none: unchanged).
    """
    add, remove = add or {}, remove or {}
    named = (*(n for n in values if n not in SET_ONLY), *clear, *detect, *add, *remove)
    for name in named:
        if name not in EDITABLE:
            raise MetadataError(f"{name!r} cannot be edited; editable: {', '.join(EDITABLE)}")
    for name, value in (*values.items(), *add.items(), *remove.items()):
        refuse_controls(name, value)
    for name in (*add, *remove):
        if name not in LISTS:
            raise MetadataError(f"only lists take values added or removed: {', '.join(LISTS)}")
    for name in clear:
        if name not in CLEARABLE:
            raise MetadataError(f"{name} cannot be empty; set it, or use --detect {name}")
    sets = [set(values), set(clear), set(detect), set(add) | set(remove)]
    overlap = {n for i, a in enumerate(sets) for b in sets[i + 1 :] for n in a & b}
    if overlap:
        raise MetadataError(f"{', '.join(sorted(overlap))}: set, clear or detect, only one")
    with collection.writing():  # the records read are the records replaced
        corrected = [
            _corrected(collection, collection.find(document_id), values, add, remove, clear, detect)
            for document_id in dict.fromkeys(document_ids)
        ]
        return _write(collection, corrected, action)


def apply_corrections(
    collection: Collection,
    values: Mapping[str, Mapping[str, Any]],
    action: str = "import",
    records: Mapping[str, Document] | None = None,
) -> list[tuple[Document, list[Change]]]:
    """Each document's own values (id -> field -> value), all written at once or none; what is
    set becomes a person's value. `records`: the documents' records, if just read (under the
    writer's lock), by id."""
    for fields in values.values():
        for name in fields:
            if name not in EDITABLE and name not in SET_ONLY:
                raise MetadataError(f"{name!r} cannot be edited; editable: {', '.join(EDITABLE)}")
            refuse_controls(name, fields[name])
    with collection.writing():
        known = records or {}
        corrected = [
            _corrected(collection, known.get(i) or collection.find(i), fields, {}, {}, (), ())
            for i, fields in values.items()
        ]
        return _write(collection, corrected, action)


def _write(
    collection: Collection, corrected: list[tuple[Document, Document]], action: str
) -> list[tuple[Document, list[Change]]]:
    results = [
        (new, list(_changes(old, new, (*EDITABLE, *SET_ONLY, "manual")))) for old, new in corrected
    ]
    changed = [document for document, changes in results if changes]
    if changed:
        collection.rewrite(changed, action)
    return results


def corrected(collection: Collection, old: Document, values: Mapping[str, Any]) -> Document:
    """The record with these values set by a person (`manual`); unchanged values are not."""
    return _corrected(collection, old, values, {}, {}, (), ())[1]


def _corrected(
    collection: Collection,
    old: Document,
    values: Mapping[str, Any],
    add: Mapping[str, tuple[str, ...]],
    remove: Mapping[str, tuple[str, ...]],
    clear: tuple[str, ...],
    detect: tuple[str, ...],
) -> tuple[Document, Document]:
    """The record, and the record with a person's corrections: what they set becomes theirs
    (`manual`)."""
    person = {**old.person_values(), **values, **{name: _empty(name) for name in clear}}
    for name in (*add, *remove):
        kept = [v for v in getattr(old, name) if v not in remove.get(name, ())]
        person[name] = tuple(dict.fromkeys((*kept, *add.get(name, ()))))
    for name in detect:
        person.pop(name, None)
    updates: dict[str, Any] = {n: person[n] for n in (*values, *clear, *add, *remove)}
    if detect:
        detected = describe(
            collection.extraction(old), old.original_name, person, collection.vocabulary
        )
        updates.update((name, getattr(detected, name)) for name in detect)
    # A value set to what the record already has is not a person's correction.
    unchanged = {n for n in (*values, *add, *remove) if updates[n] == getattr(old, n)}
    manual = [n for n in EDITABLE if n in person and (n not in unchanged or n in old.manual)]
    return old, replace(old, **updates, manual=tuple(manual))


def _redetected(
    collection: Collection, old: Document, vocabulary: Vocabulary, boilerplate: Boilerplate
) -> Document:
    """The record as detection and extraction now make it, a person's values kept."""
    extraction = collection.extraction(old)
    found = describe(extraction, old.original_name, old.person_values(), vocabulary, boilerplate)
    detected = {name: getattr(found, name) for name in DETECTED}
    return replace(old, **detected, **extraction.record_fields())


def redetect(collection: Collection, dry_run: bool = False) -> list[Change]:
    """Run detection again over the whole archive, leaving what a person set alone."""
    with collection.writing():  # the records read are the records replaced
        collection.ensure_index()
        vocabulary = collection.vocabulary
        changed: list[Document] = []
        changes: list[Change] = []
        with collection.index.searcher() as searcher:
            boilerplate = Boilerplate(searcher.reader())
            for old in collection.archive.records():
                new = _redetected(collection, old, vocabulary, boilerplate)
                if new != old:
                    changed.append(new)
                    changes.extend(_changes(old, new, (*DETECTED, *RECORD_FIELDS)))
        if changed and not dry_run:
            collection.rewrite(changed, "redetect")
    return changes


def settle_boilerplate(collection: Collection, lines: Iterable[str]) -> list[Document]:
    """Detect again the titles that are lines the collection's captures share.

    Run after a batch is committed, with the terms of its captures' short lines (the `lines`
    field), when the batch's own repeats are counted too: the first capture of a site to arrive
    could not know its tagline was one. Only the captures titled by such a line are read again.
    """
    changed: dict[str, Document] = {}
    with collection.index.searcher() as searcher:
        reader = searcher.reader()
        shared = Boilerplate(reader)
        titled = {
            docnum
            for term in set(lines)
            if shared.shares(term)
            for docnum in live_docnums(reader, "title_line", term.encode("ascii"))
        }
        if not titled:
            return []
        vocabulary = collection.vocabulary
        for docnum in sorted(titled):
            old = Document.from_dict(searcher.stored_fields(docnum)["record"])
            if "title" in old.manual:
                continue
            new = _redetected(collection, collection.archive.read(old.file), vocabulary, shared)
            if new.title != old.title:
                changed[new.id] = new
    if changed:
        collection.rewrite(list(changed.values()), "redetect")
    return list(changed.values())


def _changes(old: Document, new: Document, names: tuple[str, ...]) -> Iterator[Change]:
    for name in names:
        if getattr(old, name) != getattr(new, name):
            yield Change(old.file, name, getattr(old, name), getattr(new, name))

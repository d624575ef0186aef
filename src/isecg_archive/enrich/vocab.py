"""The vocabularies: agencies, related bodies and topics, read from TOML data files.

The package ships enrich/data/agencies.toml and topics.toml. An archive may carry its own
`vocabulary.toml` with the same sections ([agencies.KEY], [related.KEY], [topics.KEY]): a new
KEY adds an entry; an existing KEY has its lists extended and its other fields replaced;
`remove = true` drops the entry.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from isecg_archive.errors import MetadataError

ARCHIVE_VOCABULARY = "vocabulary.toml"


@dataclass(frozen=True)
class Body:
    """An agency, or a related body that is not an agency."""

    key: str  # canonical short name: "NASA", "ESA"
    name: str
    country: str = ""
    aliases: tuple[str, ...] = ()
    native: tuple[str, ...] = ()  # full names in the body's own languages
    former: tuple[str, ...] = ()  # earlier names and acronyms
    parts: tuple[str, ...] = ()  # centres and institutes that count as the body
    ambiguous: tuple[str, ...] = ()  # acronyms that count only beside a context word
    context: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name that always counts as this body (an ambiguous key does not)."""
        key = () if self.key in self.ambiguous else (self.key,)
        return (*key, self.name, *self.aliases, *self.native, *self.former, *self.parts)


@dataclass(frozen=True)
class Topic:
    key: str  # "lunar-polar-volatiles"
    label: str
    strong: tuple[str, ...] = ()
    signals: tuple[str, ...] = ()
    context: tuple[str, ...] = ()  # if given, one of these must appear for the topic to count


@dataclass(frozen=True)
class Vocabulary:
    agencies: tuple[Body, ...]
    related: tuple[Body, ...]
    topics: tuple[Topic, ...]
    sources: tuple[str, ...]  # the files it was read from, in order

    def agency(self, name: str) -> str:
        """The canonical short name for a name a person typed, in any case."""
        wanted = _fold(name)
        for agency in self.agencies:
            if any(_fold(alias) == wanted for alias in (*agency.names, *agency.ambiguous)):
                return agency.key
        for body in self.related:
            if any(_fold(alias) == wanted for alias in (body.key, *body.names)):
                raise MetadataError(
                    f"{name!r} is a related body ({body.name}), not an agency; give it as an"
                    f" organisation: --organisation {body.key}"
                )
        known = ", ".join(a.key for a in self.agencies)
        raise MetadataError(f"unknown agency {name!r}; known agencies: {known}")

    def value(self, field: str, name: str) -> str:
        """A value of a record's list field as records keep it, from a name a person typed:
        agencies and topics by their keys (unknown ones refused), related bodies by their
        keys, authors with their spaces tidied."""
        if field == "agencies":
            return self.agency(name)
        if field == "topics":
            return self.topic(name)
        if field == "organisations":
            return self.organisation(name)
        return " ".join(name.split())

    def organisation(self, name: str) -> str:
        """The canonical short name of a related body (COSPAR...), or the name as given: any
        body may be named, the vocabulary's ones by any of their names."""
        wanted = _fold(name)
        for body in self.related:
            if any(_fold(alias) == wanted for alias in (body.key, *body.names)):
                return body.key
        if not name.strip():
            raise MetadataError("an organisation needs a name")
        return " ".join(name.split())

    def topic(self, name: str) -> str:
        wanted = _fold(name).replace(" ", "-")
        for topic in self.topics:
            if wanted in (topic.key, _fold(topic.label).replace(" ", "-")):
                return topic.key
        known = ", ".join(t.key for t in self.topics)
        raise MetadataError(f"unknown topic {name!r}; known topics: {known}")

    def topic_label(self, key: str) -> str:
        return next((t.label for t in self.topics if t.key == key), key)


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


_LISTS = {"aliases", "native", "former", "parts", "ambiguous", "context", "strong", "signals"}


def _merge(base: dict[str, Any], extra: dict[str, Any], source: str) -> dict[str, Any]:
    merged = {section: dict(entries) for section, entries in base.items()}
    for section, entries in extra.items():
        if section not in ("agencies", "related", "topics") or not isinstance(entries, dict):
            raise MetadataError(
                f"{source}: unknown section [{section}]; use [agencies.KEY], [related.KEY]"
                " or [topics.KEY]"
            )
        target = merged.setdefault(section, {})
        for key, fields in entries.items():
            if fields.get("remove"):
                target.pop(key, None)
                continue
            entry = dict(target.get(key, {}))
            for name, value in fields.items():
                if name in _LISTS and name in entry:
                    entry[name] = [*entry[name], *(v for v in value if v not in entry[name])]
                else:
                    entry[name] = value
            target[key] = entry
    return merged


def _strings(fields: dict[str, Any], name: str) -> tuple[str, ...]:
    return tuple(str(value) for value in fields.get(name, ()))


def _body(key: str, fields: dict[str, Any], source: str) -> Body:
    if "name" not in fields:
        raise MetadataError(f"{source}: {key} needs a name")
    return Body(
        key=key,
        name=str(fields["name"]),
        country=str(fields.get("country", "")),
        **{name: _strings(fields, name) for name in _LISTS - {"strong", "signals"}},
    )


def read_toml(path: Path | Any, source: str) -> dict[str, Any]:
    """A packaged or archive TOML file's data; a file that is not TOML says so, with `source`."""
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise MetadataError(f"{source} is not valid TOML ({exc}); fix it and try again") from None


def archive_file(archive_root: Path | None, name: str) -> tuple[str | None, int]:
    """The archive's own file of that name and its change time, as keys for a cached load
    (so an edit is read again); (None, 0) when the archive has none."""
    extra = archive_root / name if archive_root else None
    if extra is not None and extra.is_file():
        return str(extra), extra.stat().st_mtime_ns
    return None, 0


def load_vocabulary(archive_root: Path | None = None) -> Vocabulary:
    """The packaged vocabulary, extended by the archive's own vocabulary.toml if it has one."""
    return _load(*archive_file(archive_root, ARCHIVE_VOCABULARY))


@cache
def _load(extra: str | None, _mtime: int) -> Vocabulary:
    data = resources.files("isecg_archive.enrich") / "data"
    merged = {**read_toml(data / "agencies.toml", "agencies.toml")}
    merged.update(read_toml(data / "topics.toml", "topics.toml"))
    sources = ["package: enrich/data/agencies.toml", "package: enrich/data/topics.toml"]
    if extra:
        merged = _merge(merged, read_toml(Path(extra), extra), extra)
        sources.append(f"archive: {extra}")
    try:
        topics = tuple(
            Topic(
                key,
                str(f["label"]),
                _strings(f, "strong"),
                _strings(f, "signals"),
                _strings(f, "context"),
            )
            for key, f in merged.get("topics", {}).items()
        )
    except KeyError:
        raise MetadataError(f"{extra}: every topic needs a label") from None
    return Vocabulary(
        agencies=tuple(_body(k, f, extra or "") for k, f in merged.get("agencies", {}).items()),
        related=tuple(_body(k, f, extra or "") for k, f in merged.get("related", {}).items()),
        topics=topics,
        sources=tuple(sources),
    )

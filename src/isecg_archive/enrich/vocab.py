"""The vocabularies of agencies and topics, read from TOML data files."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from isecg_archive.errors import MetadataError


@dataclass(frozen=True)
class Agency:
    key: str  # canonical short name: "NASA", "ESA"
    name: str
    aliases: tuple[str, ...]  # names and acronyms that always count
    context_aliases: tuple[str, ...] = ()  # ambiguous acronyms: count only beside context_words
    context_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    key: str  # "lunar-polar-volatiles"
    label: str
    strong: tuple[str, ...]
    signals: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    agencies: tuple[Agency, ...]
    topics: tuple[Topic, ...]

    def agency(self, name: str) -> str:
        """The canonical short name for a name a person typed, in any case."""
        wanted = _fold(name)
        for agency in self.agencies:
            names = (agency.key, agency.name, *agency.aliases, *agency.context_aliases)
            if any(_fold(alias) == wanted for alias in names):
                return agency.key
        known = ", ".join(a.key for a in self.agencies)
        raise MetadataError(f"unknown agency {name!r}; known agencies: {known}")

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


def _strings(table: dict[str, Any], name: str) -> tuple[str, ...]:
    return tuple(str(value) for value in table.get(name, ()))


@cache
def load_vocabulary() -> Vocabulary:
    """The vocabulary shipped with the package."""
    data = resources.files("isecg_archive.enrich") / "data"
    agencies_toml = tomllib.loads((data / "agencies.toml").read_text("utf-8"))
    topics_toml = tomllib.loads((data / "topics.toml").read_text("utf-8"))
    agencies = tuple(
        Agency(
            key=key,
            name=str(table["name"]),
            aliases=(*_strings(table, "aliases"), *_strings(table, "parts")),
            context_aliases=_strings(table, "context_aliases"),
            context_words=_strings(table, "context_words"),
        )
        for key, table in agencies_toml.items()
    )
    topics = tuple(
        Topic(
            key=key,
            label=str(table["label"]),
            strong=_strings(table, "strong"),
            signals=_strings(table, "signals"),
        )
        for key, table in topics_toml.items()
    )
    return Vocabulary(agencies, topics)


def phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex matching any of the phrases on word boundaries.

    Phrases written in capitals (acronyms) match only in capitals; others in any case.
    """
    if not phrases:
        return None
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        body = r"\s+".join(re.escape(word) for word in phrase.split())
        parts.append(body if _is_acronym(phrase) else f"(?i:{body})")
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


def _is_acronym(phrase: str) -> bool:
    letters = [ch for ch in phrase if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters) and len(phrase) <= 8

"""The agencies' search vocabulary: acronyms with their expansions, and spelling variants.

ESA writes "utilisation", "defence" and "programme", NASA "utilization", "defense" and
"program"; both write "ISRU" for "in-situ resource utilisation". The package ships
enrich/data/glossary.toml; an archive may carry its own `glossary.toml` with the same sections:
an acronym it lists gets those expansions too (an empty list drops the acronym), a spelling
pair it lists is added. British and American spellings are paired by the rules in
`spellings()` and by the file's [spellings].
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from isecg_archive.enrich.vocab import archive_file, read_toml
from isecg_archive.errors import MetadataError

ARCHIVE_GLOSSARY = "glossary.toml"
_WORD = re.compile(r"\w+(?:\.?\w+)*")

# British ending -> American ending, for the rest of the word (its stem) at least `min` letters
# long and not in `unless`. Both directions are tried, so "utilization" finds "utilisation" too.
_RULES: tuple[tuple[str, str, int, frozenset[str]], ...] = tuple(
    (british, american, size, frozenset(unless.split()))
    for british, american, size, unless in (
        *(
            (f"is{end}", f"iz{end}", 3, "prise prised prising prises")
            for end in ("e", "ed", "es", "ing", "er", "ers", "ation", "ations", "able")
        ),
        *((f"ys{end}", f"yz{end}", 3, "") for end in ("e", "ed", "es", "ing", "er", "ers")),
        *(
            (f"our{end}", f"or{end}", 3, "detour contour devour velour paramour troubadour")
            for end in ("", "s", "ed", "ing", "ite", "ites", "able", "er", "ers", "ful", "less")
        ),
        *((f"{c}re{end}", f"{c}er{end}", 2, "timbre") for c in "bt" for end in ("", "s", "d")),
        *((f"ence{end}", f"ense{end}", 3, "") for end in ("", "s", "less")),
    )
)
# -ence/-ense pairs only for these stems: "licence", "defence"... ("science"/"sciense" is not one)
_ENCE = frozenset("def off pret lic".split())


@lru_cache(maxsize=65_536)  # every query word, every search: worth remembering
def spelling_rules(word: str) -> frozenset[str]:
    """The word's other spellings by rule (lower case), without the word itself."""
    found = set()
    for british, american, size, unless in _RULES:
        for ending, other in ((british, american), (american, british)):
            if not word.endswith(ending):
                continue
            stem = word[: -len(ending)]
            if len(stem) < size or word in unless or stem + other in unless:
                continue
            if ending.startswith(("enc", "ens")) and stem not in _ENCE:
                continue
            found.add(stem + other)
    found.discard(word)
    return frozenset(found)


@dataclass(frozen=True)
class Glossary:
    acronyms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "ISRU" -> expansions
    pairs: dict[str, str] = field(default_factory=dict)  # british -> american, lower case
    sources: tuple[str, ...] = ()

    def spellings(self, word: str) -> tuple[str, ...]:
        """The other spellings of a word, in lower case (none for most words)."""
        lowered = word.lower()
        found = set(spelling_rules(lowered))
        if lowered in self.pairs:
            found.add(self.pairs[lowered])
        found.update(self._british.get(lowered, ()))
        return tuple(sorted(found))

    @cached_property
    def _british(self) -> dict[str, list[str]]:
        """American spelling -> the British ones the pairs give."""
        found: dict[str, list[str]] = {}
        for british, american in self.pairs.items():
            found.setdefault(american, []).append(british)
        return found

    def expansions(self, word: str) -> tuple[tuple[str, ...], ...]:
        """An acronym's expansions, each as its words ("PSRs" is the plural of "PSR")."""
        key = word.upper()
        if key not in self.acronyms and key.endswith("S") and word[:-1].isupper():
            key = key[:-1]
        found = (tuple(_WORD.findall(text.lower())) for text in self.acronyms.get(key, ()))
        return tuple(dict.fromkeys(found))

    @cached_property
    def spelled_out(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Each acronym with each of its expansions' words, longest expansion first (worked
        out once: every search looks for them)."""
        found = {
            (acronym, tuple(_WORD.findall(text.lower())))
            for acronym, texts in self.acronyms.items()
            for text in texts
        }
        return tuple(sorted(found, key=lambda item: (-len(item[1]), item)))


def _read(path: Path | Any, source: str) -> dict[str, Any]:
    data = read_toml(path, source)
    for section, entries in data.items():
        if section not in ("acronyms", "spellings") or not isinstance(entries, dict):
            raise MetadataError(
                f"{source}: unknown section [{section}]; use [acronyms] or [spellings]"
            )
        for key, value in entries.items():
            ok = isinstance(value, str) if section == "spellings" else isinstance(value, list)
            if not ok:
                kind = 'a "word"' if section == "spellings" else 'a list of "expansions"'
                raise MetadataError(f"{source}: [{section}] {key} needs {kind}")
    return data


def load_glossary(archive_root: Path | None = None) -> Glossary:
    """The packaged glossary, extended by the archive's own glossary.toml if it has one."""
    return _load(*archive_file(archive_root, ARCHIVE_GLOSSARY))


@cache
def _load(extra: str | None, _mtime: int) -> Glossary:
    packaged = resources.files("isecg_archive.enrich") / "data" / "glossary.toml"
    data = _read(packaged, "glossary.toml")
    acronyms = {key.upper(): list(value) for key, value in data.get("acronyms", {}).items()}
    pairs = {key.lower(): value.lower() for key, value in data.get("spellings", {}).items()}
    sources = ["package: enrich/data/glossary.toml"]
    if extra:
        more = _read(Path(extra), extra)
        for key, value in more.get("acronyms", {}).items():
            if not value:
                acronyms.pop(key.upper(), None)
            else:
                have = acronyms.setdefault(key.upper(), [])
                have += [v for v in value if v not in have]
        pairs.update(
            {key.lower(): value.lower() for key, value in more.get("spellings", {}).items()}
        )
        sources.append(f"archive: {extra}")
    return Glossary(
        acronyms={key: tuple(map(str, value)) for key, value in sorted(acronyms.items())},
        pairs=dict(sorted(pairs.items())),
        sources=tuple(sources),
    )

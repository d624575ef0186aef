"""Weighing where a phrase appears: the title counts most, then the opening, then the body."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from functools import cached_property

from isecg_archive.enrich.phrases import PhraseIndex

TITLE_WEIGHT = 6.0  # the title, and the authors of embedded metadata
HEAD_WEIGHT = 4.0  # the opening lines: a title slide's byline, a report's first sentences
HEAD_CHARS = 400
FIRST_PAGE_WEIGHT = 2.0
HEADING_WEIGHT = 2.0  # the first line of each later page: a slide's title, a section heading
BODY_WEIGHT = 1.0
CAP = 6  # past a few mentions, more repetition says little


@dataclass(frozen=True)
class Text:
    """The parts of a document that detection reads, each with its own weight."""

    title: str
    first_page: str
    body: str  # the pages after the first, separated by form feeds
    byline: str = ""  # embedded authors

    @classmethod
    def of(cls, title: str, pages: tuple[str, ...], authors: tuple[str, ...] = ()) -> Text:
        return cls(title, pages[0] if pages else "", "\f".join(pages[1:]), "; ".join(authors))

    # Worked out once: detection weighs each of dozens of groups (agencies, topics) in them.
    @cached_property
    def headings(self) -> str:
        return "\n".join(page.split("\n", 1)[0] for page in self.body.split("\f"))

    @cached_property
    def whole(self) -> str:
        return "\n".join((self.title, self.byline, self.first_page, self.body))


def weighted_count(index: PhraseIndex, group: Hashable, text: Text) -> float:
    """How strongly the phrases of one group stand in the text, by where they appear."""

    def count(part: str) -> int:
        return min(index.scan(part).counts[group], CAP) if part else 0

    return (
        TITLE_WEIGHT * (min(count(text.title), 1) + min(count(text.byline), 1))
        + HEAD_WEIGHT * min(count(text.first_page[:HEAD_CHARS]), 1)
        + FIRST_PAGE_WEIGHT * count(text.first_page)
        + HEADING_WEIGHT * count(text.headings)
        + BODY_WEIGHT * count(text.body)
    )


def total(index: PhraseIndex, group: Hashable, text: Text) -> int:
    """How often the group's phrases appear anywhere in the text."""
    parts = (text.title, text.byline, text.first_page, text.body)
    return sum(index.scan(part).counts[group] for part in parts if part)

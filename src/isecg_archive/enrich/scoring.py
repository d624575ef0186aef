"""Weighing where a phrase appears: the title counts most, then the first page, then the body."""

from __future__ import annotations

import re
from dataclasses import dataclass

TITLE_WEIGHT = 6.0
HEAD_WEIGHT = 4.0  # the opening lines: a title slide's byline, a report's first sentences
HEAD_CHARS = 400
FIRST_PAGE_WEIGHT = 2.0
BODY_WEIGHT = 1.0
BODY_CAP = 6  # past a few mentions, more repetition says little


@dataclass(frozen=True)
class Text:
    """The parts of a document that detection reads, each with its own weight."""

    title: str
    first_page: str
    body: str  # the pages after the first

    @classmethod
    def of(cls, title: str, pages: tuple[str, ...]) -> Text:
        return cls(title, pages[0] if pages else "", "\n".join(pages[1:]))


def weighted_count(pattern: re.Pattern[str], text: Text) -> float:
    return (
        TITLE_WEIGHT * len(pattern.findall(text.title))
        + HEAD_WEIGHT * min(len(pattern.findall(text.first_page[:HEAD_CHARS])), 1)
        + FIRST_PAGE_WEIGHT * min(len(pattern.findall(text.first_page)), BODY_CAP)
        + BODY_WEIGHT * min(len(pattern.findall(text.body)), BODY_CAP)
    )

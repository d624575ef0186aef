"""The kind of document: presentation, workshop summary, white paper, roadmap, report, news."""

from __future__ import annotations

import re

from isecg_archive.enrich.scoring import Text
from isecg_archive.extract import recording

_WORDING = (
    ("workshop-summary", re.compile(
        r"(?i)\b(workshop|symposium)\b.*\b(summary|report|proceedings|outcomes?)\b"
        r"|\bsummary of the\b.*\bworkshop\b"
    )),
    ("white-paper", re.compile(r"(?i)\bwhite\s+paper\b")),
    ("roadmap", re.compile(r"(?i)\broadmap\b")),
    ("news", re.compile(r"(?i)\b(news|press release|announces?|announcement)\b")),
    ("report", re.compile(r"(?i)\b(report|study|assessment|analysis)\b")),
)  # fmt: skip
SLIDE_WORDS_PER_PAGE = 25  # portrait slides carry a few bullets a page


RECORDINGS = frozenset(extension.lstrip(".") for extension in recording.EXTENSIONS)


def detect_type(text: Text, pages: tuple[str, ...], landscape_pages: int, format: str) -> str:
    if format in RECORDINGS:  # a workshop's recording is of its talks
        return "presentation"
    words = sum(len(page.split()) for page in pages)
    if pages and (
        landscape_pages * 2 > len(pages)
        or (len(pages) > 2 and words / len(pages) < SLIDE_WORDS_PER_PAGE)
    ):
        return "presentation"
    for kind, pattern in _WORDING:
        if pattern.search(text.title):
            return kind
    head = text.first_page[:600]
    for kind, pattern in _WORDING:
        if pattern.search(head):
            return kind
    return "news" if format == "html" else "report"

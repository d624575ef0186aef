"""A document's title: embedded metadata, else its first substantial line, else its file name."""

from __future__ import annotations

import re
from pathlib import PurePath

_MAX_TITLE = 200


def detect_title(embedded: str | None, first_page: str, file_name: str) -> str:
    if embedded:
        return embedded[:_MAX_TITLE]
    for line in first_page.splitlines()[:5]:
        line = line.strip(" #*-\t")
        if 8 <= len(line) <= 160 and sum(ch.isalpha() for ch in line) > len(line) / 2:
            return line
    stem = PurePath(file_name).stem
    return re.sub(r"[_\s]+", " ", stem).strip() or file_name

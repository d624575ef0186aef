"""A document's stable addresses in the viewer: its page, a page of its text, its original."""

from __future__ import annotations

import os
from dataclasses import dataclass

BASE_URL_ENV = "ISECG_BASE_URL"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class Links:
    """Addresses under the viewer's base URL (where it is served; `serve` prints it)."""

    base: str = DEFAULT_BASE_URL

    def __post_init__(self) -> None:
        object.__setattr__(self, "base", self.base.rstrip("/"))

    @classmethod
    def from_environment(cls, base: str | None = None) -> Links:
        return cls(base or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL)

    def document(self, document_id: str, page: int | None = None) -> str:
        return f"{self.base}/documents/{document_id}" + (f"#page={page}" if page else "")

    def original(self, document_id: str) -> str:
        return f"{self.base}/documents/{document_id}/file"

    def event(self, slug: str) -> str:
        return f"{self.base}/events/{slug}"

"""Enrichment: title, dates, agencies, topics and type for a document, and who set them.

The vocabulary is imported at once; detection (and python-dateutil with it) only when used, so
that searching, which needs only the vocabulary's labels, starts quickly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from isecg_archive.enrich.vocab import Vocabulary, load_vocabulary

if TYPE_CHECKING:
    from isecg_archive.enrich.metadata import EDITABLE, Metadata, Overrides, describe

__all__ = ["EDITABLE", "Metadata", "Overrides", "Vocabulary", "describe", "load_vocabulary"]


def __getattr__(name: str) -> Any:
    if name in ("EDITABLE", "Metadata", "Overrides", "describe"):
        from isecg_archive.enrich import metadata

        return getattr(metadata, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

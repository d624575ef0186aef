"""Citing documents: a formatted citation (CSL), and the reference formats people import
(BibTeX, RIS, CSL-JSON). Each works from a record and the document's stable address."""

from isecg_archive.citing.bibtex import bibtex_entry
from isecg_archive.citing.csl import STYLES, csl_item, formatted_citation
from isecg_archive.citing.links import DEFAULT_BASE_URL, Links
from isecg_archive.citing.meta import citation_meta
from isecg_archive.citing.ris import ris_entry

__all__ = [
    "DEFAULT_BASE_URL",
    "STYLES",
    "Links",
    "bibtex_entry",
    "citation_meta",
    "csl_item",
    "formatted_citation",
    "ris_entry",
]

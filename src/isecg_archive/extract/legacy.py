"""Legacy Word and PowerPoint files (.doc, .ppt): converted to PDF by LibreOffice, then read."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from isecg_archive.errors import ExtractionError, UnsupportedFormat
from isecg_archive.extract import Extraction, ExtractOptions
from isecg_archive.extract import pdf as pdf_extractor

FORMAT = "legacy-office"
EXTENSIONS = (".doc", ".ppt")
VERSION = 1
CONVERT_SECONDS = 180


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def extract(path: Path, options: ExtractOptions) -> Extraction:
    program = soffice()
    if program is None:
        raise UnsupportedFormat(
            f"{path.suffix} files need LibreOffice to be read: install it (Debian:"
            " libreoffice-writer-nogui and libreoffice-impress-nogui), or save the file as"
            " PDF, DOCX or PPTX, and ingest it again"
        )
    with tempfile.TemporaryDirectory() as work:
        # A private profile: conversions running side by side must not share one.
        profile = Path(work, "profile").as_uri()
        command = [
            program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
            "--convert-to", "pdf", "--outdir", work, str(path),
        ]  # fmt: skip
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise ExtractionError(
                f"LibreOffice took over {CONVERT_SECONDS} s to convert it; save it as PDF and"
                " ingest that"
            ) from None
        converted = Path(work, path.stem + ".pdf")
        if not converted.exists():
            raise ExtractionError(
                "LibreOffice could not convert it; open it in an office application, save it"
                " as PDF and ingest that"
            )
        result = pdf_extractor.extract(converted, options)
    # The converted PDF's embedded date is the conversion's, not the document's.
    return replace(result, format=path.suffix.lower().lstrip("."), date=None)

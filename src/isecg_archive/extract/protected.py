"""Password-protected Office and OpenDocument files, told apart before a parser fails on them.

A protected Word or PowerPoint file (.docx, .pptx, .doc, .ppt) is an OLE2 container holding the
encrypted document; msoffcrypto-tool decrypts it with the batch's --password (or with the
default password Office uses when none was set). Without the right password, or for an
encryption it cannot undo, the file is kept as needing a password, like an encrypted PDF.
OpenDocument encryption cannot be removed here: the message says how to save a readable copy.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import IO

from isecg_archive.errors import ExtractionError
from isecg_archive.extract import Extraction, ExtractOptions

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office encrypts with this password when a file is protected without one (Excel's
# "VelvetSweatshop"): such files open in Office without a prompt.
OFFICE_DEFAULT_PASSWORD = "VelvetSweatshop"
NO_PASSWORD = "not searchable: it has a password; ingest it again with --password"
WRONG_PASSWORD = (
    "not searchable: the password given does not open it; ingest it again with --password"
)


def locked(format: str, message: str = NO_PASSWORD, need: str = "password") -> Extraction:
    """What is known of a file whose text is behind a password: nothing but that."""
    return Extraction(format=format, pages=(), needs=(need,), warnings=(message,))


def password_message(given: str | None) -> str:
    """Why a file with a password was not opened: no password, or not the right one."""
    return WRONG_PASSWORD if given else NO_PASSWORD


def is_ole2(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(8) == OLE2


def open_package(path: Path, format: str, options: ExtractOptions) -> Path | IO[bytes] | Extraction:
    """An OOXML file (.docx, .pptx) ready for its parser: the file itself, or its decrypted
    bytes; or, when its password was not given, what the archive keeps of it."""
    if not is_ole2(path):
        return path
    import msoffcrypto

    with path.open("rb") as handle:
        office = msoffcrypto.OfficeFile(handle)
        if not office.is_encrypted():
            raise ExtractionError(
                f"it is an Office 97-2003 file under a .{format} name: rename it to"
                f" .{'doc' if format == 'docx' else 'ppt'} and ingest it again"
            )
        plain = _decrypt(office, options.password)
    return io.BytesIO(plain) if isinstance(plain, bytes) else locked(format, plain)


def decrypt_legacy(path: Path, format: str, options: ExtractOptions) -> bytes | None | Extraction:
    """A .doc or .ppt file's decrypted bytes; None when it is not encrypted; or, when its
    password was not given, what the archive keeps of it."""
    import msoffcrypto

    with path.open("rb") as handle:
        try:
            office = msoffcrypto.OfficeFile(handle)
            encrypted = office.is_encrypted()
        except Exception:  # not a format msoffcrypto-tool knows (Word 2, PowerPoint 95)
            return None
        if not encrypted:
            return None
        plain = _decrypt(office, options.password)
    return plain if isinstance(plain, bytes) else locked(format, plain)


def _decrypt(office: object, password: str | None) -> bytes | str:
    """The decrypted bytes, or the message that says why there are none."""
    from msoffcrypto.exceptions import InvalidKeyError

    tried = [p for p in (password, OFFICE_DEFAULT_PASSWORD) if p]
    for attempt in tried:
        try:
            office.load_key(password=attempt)  # type: ignore[attr-defined]
            plain = io.BytesIO()
            office.decrypt(plain)  # type: ignore[attr-defined]
            return plain.getvalue()
        except InvalidKeyError:
            continue
        except Exception as exc:  # an encryption msoffcrypto-tool cannot undo
            detail = " ".join(str(exc).split())[:120] or type(exc).__name__
            return (
                f"not searchable: it has a password, and its encryption cannot be opened here"
                f" ({detail}): save it without the password, or as PDF, and ingest that"
            )
    return password_message(password)


def odf_is_encrypted(archive: zipfile.ZipFile) -> bool:
    """Whether an OpenDocument package holds encrypted parts (ODF 1.2 per-part encryption, or
    the whole-package encryption of recent LibreOffice)."""
    names = set(archive.namelist())
    if "encrypted-package" in names:
        return True
    if "META-INF/manifest.xml" not in names:
        return False
    return b"encryption-data" in archive.read("META-INF/manifest.xml")


ODF_LOCKED = (
    "not searchable: it has a password, which OpenDocument files keep here: open it in"
    " LibreOffice, save it without one (or as PDF), and ingest that"
)

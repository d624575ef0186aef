from pathlib import Path

import pytest

from isecg_archive.errors import ExtractionError, UnsupportedFormat
from isecg_archive.extract import ExtractOptions, extract, registry
from isecg_archive.storage.records import PartialDate

from conftest import FILES


def test_pdf_text_page_by_page_with_embedded_metadata():
    result = extract(FILES / "regolith-report.pdf")
    assert result.format == "pdf"
    assert len(result.pages) == 4
    assert result.pages[2] == (
        "Conveyor trials\n"
        "A sealed conveyor moved basaltic glass beads without jamming for two hundred hours.\n"
        "Electrostatic dust removal kept the optics clear."
    ), "the page number at the foot of every page is left out"
    assert result.title == "Regolith Handling Report"
    assert result.authors == ("ISECG",)
    assert result.date == PartialDate(2015, 5, 12)
    assert result.landscape_pages == 0


def test_slide_deck_pdf_is_landscape():
    result = extract(FILES / "gateway-logistics-slides.pdf")
    assert result.landscape_pages == 3
    assert result.pages[0] == "Gateway Logistics\nJAXA · 3 March 2021"


def test_encrypted_pdf_is_kept_as_needing_a_password_and_read_with_it():
    locked = extract(FILES / "encrypted.pdf")
    assert (locked.pages, locked.needs) == ((), ("password",))
    assert locked.warnings == (
        "not searchable: it has a password; ingest it again with --password",
    )
    wrong = extract(FILES / "encrypted.pdf", options=ExtractOptions(password="guess"))
    assert wrong.warnings == (
        "not searchable: the password given does not open it; ingest it again with --password",
    )
    opened = extract(FILES / "encrypted.pdf", options=ExtractOptions(password="secret"))
    assert len(opened.pages) == 4 and opened.needs == ()


def test_pdf_with_empty_user_password_is_read_silently():
    assert len(extract(FILES / "owner-only.pdf").pages) == 4


@pytest.mark.parametrize(
    ("name", "error", "message"),
    [
        (
            "random-bytes.pdf",
            ExtractionError,
            "not a PDF: the file has no PDF header; check what the file really is",
        ),
        (
            "empty.txt",
            ExtractionError,
            "the file is empty (0 bytes); check the source and ingest it again",
        ),
        (
            "table.xyz",
            UnsupportedFormat,
            "unsupported format .xyz; supported: .doc, .docx, .htm, .html, .m4a, .markdown, .md,"
            " .mp3, .mp4, .odp, .odt, .oga, .ogg, .ogv, .opus, .pdf, .ppt, .pptx, .text, .txt,"
            " .wav, .webm. Convert it to PDF and ingest it again",
        ),
    ],
)
def test_bad_files_raise_one_clear_error(name, error, message):
    with pytest.raises(error) as caught:
        extract(FILES / name)
    assert str(caught.value) == message


def test_a_pdf_no_reader_opens_is_kept_without_text_and_says_what_to_do():
    result = extract(FILES / "broken.pdf")
    assert (result.pages, result.needs) == ((), ("repair",))
    (message,) = result.warnings
    assert message == (
        "not searchable: neither PDF reader could open it (pypdf: Cannot find Root object in"
        " pdf; PDFium: Failed to load document (PDFium: Data format error).); repair it or"
        " export it again, and ingest that"
    )


def test_html_keeps_visible_text_only():
    result = extract(FILES / "news.html")
    assert result.title == "CSA joins lunar rover team"
    assert result.date == PartialDate(2022, 11, 3)
    assert result.pages == (
        "CSA joins lunar rover team\n\nThe Canadian Space Agency (CSA) will design a"
        " utility rover for the lunar surface with NASA.\n\nCanadian industry will build the"
        " rover arm.",
    )


def test_markdown_title_from_first_heading():
    result = extract(FILES / "Überblick Mondmission 2019.md")
    assert result.format == "markdown"
    assert result.title == "Überblick über die Mondmission"


def test_text_split_into_pages_on_form_feeds(tmp_path: Path):
    path = tmp_path / "two.txt"
    path.write_text("first page\fsecond page\n", encoding="utf-8")
    assert extract(path).pages == ("first page", "second page")


def test_text_that_is_not_utf8_is_read_as_windows_1252(tmp_path: Path):
    path = tmp_path / "old.txt"
    path.write_bytes("Café lunaire".encode("cp1252"))
    result = extract(path)
    assert result.pages == ("Café lunaire",)
    assert result.warnings == ("not UTF-8: read as Windows-1252",)


def test_file_over_the_size_budget(tmp_path: Path):
    path = tmp_path / "big.txt"
    path.write_text("x" * 2000, encoding="utf-8")
    with pytest.raises(ExtractionError, match=r"over the 0 MB limit; raise it with --max-size"):
        extract(path, max_bytes=1000)


def test_registry_finds_every_format_module():
    formats = {extension: module.FORMAT for extension, module in registry().items()}
    assert formats == {
        ".doc": "legacy-office",
        ".docx": "docx",
        ".htm": "html",
        ".html": "html",
        ".markdown": "text",
        ".md": "text",
        ".odp": "odf",
        ".odt": "odf",
        ".pdf": "pdf",
        ".ppt": "legacy-office",
        ".pptx": "pptx",
        ".text": "text",
        ".txt": "text",
        **dict.fromkeys(
            (".m4a", ".mp3", ".mp4", ".oga", ".ogg", ".ogv", ".opus", ".wav", ".webm"),
            "recording",
        ),
    }

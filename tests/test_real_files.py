"""Other people's files, as they really are: encrypted, damaged, odd fonts, placeholder titles.

The files in tests/files/third-party/ come from the public test suites of qpdf, pdfplumber,
PDFBox, Apache POI, python-mammoth, msoc and the ODF Toolkit (NOTICE.md there names each
source, commit and licence). The expected text and metadata are written out here, checked
against the facts the benchmark folder's manifest records for them.
"""

from __future__ import annotations

from pathlib import Path

import brotli
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

from isecg_archive.collection import Collection
from isecg_archive.enrich import describe, load_vocabulary
from isecg_archive.extract import Extraction, ExtractOptions, extract
from isecg_archive.maintenance.check import check, needing_attention
from isecg_archive.pipeline.ingest import IngestOptions, ingest
from isecg_archive.search import SearchRequest
from isecg_archive.storage.records import PartialDate

from conftest import DEMO, FILES, needs_impress, needs_tesseract, needs_writer

THIRD = FILES / "third-party"
NO_PASSWORD = "not searchable: it has a password; ingest it again with --password"


def read(name: str, password: str | None = None, ocr: bool = True) -> Extraction:
    return extract(THIRD / name, options=ExtractOptions(password=password, ocr=ocr))


def title_of(name: str, password: str | None = None) -> str:
    """The title an ingest records for the file (detection over its extraction)."""
    return describe(read(name, password), name, {}, load_vocabulary(THIRD)).title


# Encryption --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "password"),
    [
        ("V4-aes.pdf", None),  # AES-128, empty user password: opens without one
        ("c-r4.pdf", "user2"),  # AES-128, user password
        ("c-r5-in.pdf", "owner3"),  # AES-256 (R5), owner password
        ("enc-XI-R6,V5,U=view,O=master.pdf", "view"),  # AES-256 (R6, Acrobat XI)
        ("enc-XI-R6,V5,U=view,O=master.pdf", "master"),
    ],
)
def test_aes_encrypted_pdfs_open_with_their_password(name: str, password: str | None):
    result = read(name, password)
    assert (len(result.pages), result.needs) == (30, ())
    assert result.pages[0] == "Potato 0" and result.pages[29] == "Potato 29"


@pytest.mark.parametrize("name", ["c-r4.pdf", "c-r5-in.pdf", "enc-XI-R6,V5,U=view,O=master.pdf"])
def test_an_aes_pdf_without_its_password_is_kept_as_needing_one(name: str):
    result = read(name)
    assert (result.pages, result.needs, result.warnings) == ((), ("password",), (NO_PASSWORD,))
    wrong = read(name, "guess")
    assert wrong.warnings == (
        "not searchable: the password given does not open it; ingest it again with --password",
    )


def test_a_real_rc4_pdf_opens_with_its_password():
    # novaPDF output of a Word file; the password is its owner password.
    assert read("password-example.pdf").needs == ("password",)
    result = read("password-example.pdf", "test")
    assert len(result.pages) == 4 and result.pages[0].startswith(
        "Backup4all –backup solution for network environments\nStarting from version 2"
    )


def test_a_pdf_encrypted_for_certificates_is_kept_and_says_so():
    result = read("AES256ExposedMeta.pdf")
    assert (result.pages, result.needs) == ((), ("certificate",))
    assert result.warnings == (
        "not searchable: it is encrypted for the holders of certificates, which no password"
        " opens: open it with one, save a copy without security, and ingest that",
    )


def test_brotli_compressed_streams_are_read(tmp_path: Path):
    # No public PDF with Brotli streams (PDF 2.0) was at hand: PDFBox's eu-001.pdf with each
    # page's content stream compressed again with Brotli.
    writer = PdfWriter(clone_from=PdfReader(THIRD / "eu-001.pdf"))
    for page in writer.pages:
        stream = StreamObject()
        stream.set_data(brotli.compress(page.get_contents().get_data()))
        stream[NameObject("/Filter")] = NameObject("/BrotliDecode")
        page[NameObject("/Contents")] = writer._add_object(stream)
    with (tmp_path / "brotli.pdf").open("wb") as handle:
        writer.write(handle)
    assert b"/BrotliDecode" in (tmp_path / "brotli.pdf").read_bytes()
    assert extract(tmp_path / "brotli.pdf").pages == read("eu-001.pdf").pages


# Damaged files ------------------------------------------------------------------------------


def test_a_pdf_pypdf_refuses_is_read_by_pdfium():
    # Its page tree loops back on itself; pypdf gives up ("Detected cyclic page references").
    with pytest.raises(Exception, match="cyclic"):
        len(PdfReader(THIRD / "pages-loop.pdf").pages)
    assert read("pages-loop.pdf").pages == ("Potato",)


def _with_one_damaged_page(folder: Path) -> Path:
    """regolith-report.pdf with its third page's content replaced by a number."""
    from pypdf.generic import NumberObject

    writer = PdfWriter(clone_from=PdfReader(FILES / "regolith-report.pdf"))
    writer.pages[2][NameObject("/Contents")] = NumberObject(7)
    path = folder / "damaged-page.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def test_pages_a_reader_fails_on_are_asked_of_the_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from pypdf import PageObject

    plain = PageObject.extract_text

    def failing_on_page_3(page: PageObject, *args: object, **kwargs: object) -> str:
        if page.page_number == 2:
            raise ValueError("a damaged page")
        return plain(page, *args, **kwargs)

    monkeypatch.setattr(PageObject, "extract_text", failing_on_page_3)
    whole = extract(FILES / "regolith-report.pdf")
    assert whole.unread_pages == () and whole.pages[2].startswith("Conveyor trials\nA sealed")
    damaged = extract(_with_one_damaged_page(tmp_path), options=ExtractOptions(ocr=False))
    assert damaged.unread_pages == (3,) and damaged.needs == ()
    assert damaged.pages[2] == "" and damaged.pages[3].startswith("Conclusions")
    assert damaged.warnings == (
        "page 3 could not be read by either PDF reader: the other pages are searchable; repair"
        " the file or export it again, and ingest that",
    )


def test_a_page_pypdf_cannot_make_sense_of_is_read_by_pdfium_at_ingest(
    collection: Collection, tmp_path: Path
):
    from pypdf.generic import NumberObject

    writer = PdfWriter(clone_from=PdfReader(FILES / "regolith-report.pdf"))
    writer.pages[2][NameObject("/Resources")] = NumberObject(3)  # fonts lost to pypdf
    path = tmp_path / "bad-resources.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert PdfReader(path).pages[2].extract_text() == "", "pypdf finds nothing there"
    (outcome,) = ingest(collection, [path]).outcomes
    assert (outcome.status, outcome.pages) == ("added", 4)
    (hit,) = collection.search(SearchRequest("conveyor")).hits
    assert hit.snippets[0].page == 3


def test_pages_no_reader_could_read_are_listed_by_check(collection: Collection):
    from dataclasses import replace

    ingest(collection, [FILES / "regolith-report.pdf"])
    document = collection.archive.read("regolith-report.pdf")
    collection.rewrite([replace(document, unread_pages=(2, 3))])
    assert list(check(collection)) == []
    assert [p.message for p in needing_attention(collection)] == [
        "pages 2, 3 could not be read, the rest is searchable: repair the file or export it"
        " again, and ingest that"
    ]


def test_lone_surrogates_never_reach_the_text(collection: Collection, tmp_path: Path):
    """A font map to half of a UTF-16 pair crashed the reader and left a .partial file."""
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapType 2 def"
        b" 1 begincodespacerange <00> <FF> endcodespacerange"
        b" 1 beginbfchar <41> <D835> endbfchar endcmap"
        b" CMapName currentdict /CMap defineresource pop end end"
    )
    writer = PdfWriter(clone_from=PdfReader(FILES / "regolith-report.pdf"))
    for page in writer.pages:
        fonts = page["/Resources"].get_object()["/Font"]
        for key in fonts:
            stream = StreamObject()
            stream.set_data(cmap)
            fonts[key].get_object()[NameObject("/ToUnicode")] = writer._add_object(stream)
    path = tmp_path / "half-pairs.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert "\ud835" in PdfReader(path).pages[2].extract_text(), "the file does what it should"
    (outcome,) = ingest(collection, [path]).outcomes
    assert outcome.status == "added"
    text = collection.extraction(collection.archive.read("half-pairs.pdf")).pages[2]
    assert text.startswith("Conveyor trials\nsealed conveyor"), "the half pair is left out"
    cache = collection.cache.root
    assert list(cache.rglob("*.partial")) == [] and list(cache.rglob("*.json.zst"))


# Text true to the page ----------------------------------------------------------------------


def test_running_headers_and_page_numbers_are_left_out_and_bullets_kept():
    register = read("federal-register-2020-17221.pdf")
    assert len(register.pages) == 15
    text = "\n".join(register.pages)
    assert "Federal Register / Vol. 85, No. 152" not in text, "the running header"
    assert register.pages[1].startswith("1 Preliminary KNKT.18.10.35.04 Aircraft")
    assert "• Federal eRulemaking Portal: Go to" in register.pages[0]
    assert "\n■ 1. The authority citation" not in text, "a Zapf Dingbats square is a bullet"
    assert "\n• 1. The authority citation for part 39" in text


def test_words_broken_at_a_line_end_are_joined_and_real_hyphens_kept():
    cweb = read("cweb.pdf")
    assert "A minimal amount of acquaintance\nwith TEX is also desirable" in cweb.pages[2]
    assert "acquain-" not in "\n".join(cweb.pages)
    assert "self-contained" in "\n".join(cweb.pages), "a hyphen the author wrote stays"


def test_symbol_bullets_and_arabic_presentation_forms():
    assert read("eu-001.pdf").pages[0].splitlines()[3] == (
        "• the facility falls under at least one of the 65 E-PRTR economic activities. The"
    )
    # Stored as presentation forms (U+FEE3...), read as the letters a reader sees.
    assert read("hello3.pdf").pages == ("Hello محمد World.",)


def test_the_demo_decks_bullets_are_bullets():

    deck = extract(DEMO / "ger-2013-update-briefing.pdf")
    assert deck.pages[1].splitlines()[1] == (
        "• Roadmap now shows one pathway: cislunar space, then Mars"
    )
    assert not any(ch < " " and ch not in "\n\t" or "\x7f" <= ch < "\xa0" for ch in deck.pages[1])


# Titles -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "placeholder", "title"),
    [
        # A print driver's title; the real one is the page's heading.
        ("cupertino_usd_4-6-16.pdf", "Microsoft Word - SPECIAL BOARD AGENDA 040616.doc",
         "Board of Education Special Meeting AGENDA"),
        ("PDFBOX-3053-reduced.pdf",
         "Microsoft Word - Traumatic Brain Injury Signs and Symptoms.doc",
         "Traumatic Brain Injury Signs and Symp toms"),  # pypdf's spacing, as on the page
        ("scotus-transcript-p1.pdf", "10811.exe", "scotus-transcript-p1"),
        # Decks titled by their template; the real title is on the first slide.
        ("alterman_security.pptx", "Slide 1",
         "Government-University Identity Management Opportunities"),
        ("ececapstonespring2012.pptx", "PowerPoint Presentation", "Music Sound Interpreter"),
        # Its core title is the text of its running header.
        ("PageSpecificHeadFoot.docx", None, "This is a sample word document. It has two pages."
         " It has a 2 column heading, and a three column footer"),
        ("fields.odt", "DOC_", "dummdidum"),
    ],
)  # fmt: skip
def test_placeholder_titles_give_way_to_the_real_one(name, placeholder, title):
    assert read(name).title == placeholder
    assert title_of(name) == title


def test_a_print_driver_s_title_gives_way_to_the_first_line():
    assert read("password-example.pdf", "test").title == (
        "Microsoft Word - Backup4all_network_backup_solution.doc"
    )
    assert title_of("password-example.pdf", "test") == (
        "Backup4all –backup solution for network environments"
    )


@needs_impress
def test_a_legacy_deck_keeps_its_title():
    assert title_of("SampleShow.ppt") == "SlideShow Sample"


def test_real_embedded_titles_are_kept():
    assert title_of("SampleShow.pptx") == "SlideShow Sample"
    assert title_of("example.odp") == "Présentation d'un nouveau produit"
    assert title_of("hello3.pdf") == "Hello محمد World"


def test_a_date_on_the_title_slide_beats_the_template_s(tmp_path: Path):
    from datetime import datetime

    from pptx import Presentation

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[0])
    slide.shapes.title.text = "Lunar Polar Volatiles Workshop"
    slide.placeholders[1].text = "ESA and JAXA\n8/26/14"
    deck.core_properties.title = "PowerPoint Presentation"
    deck.core_properties.created = datetime(2006, 3, 1)
    deck.save(tmp_path / "deck.pptx")
    result = extract(tmp_path / "deck.pptx")
    metadata = describe(result, "deck.pptx", {}, load_vocabulary(tmp_path))
    assert result.date == PartialDate(2006, 3, 1), "the template's"
    assert metadata.title == "Lunar Polar Volatiles Workshop"
    assert metadata.date == PartialDate(2014, 8, 26)


# Office and OpenDocument --------------------------------------------------------------------


def test_word_text_boxes_notes_content_controls_and_tracked_changes():
    assert read("text-box.docx").pages == ("Datum plane",), "once, though stored twice"
    assert read("footnotes.docx").pages == ("Ouch.\nNotes:\nA tachyon walks into a bar.\nFin.",)
    assert read("endnotes.docx").pages[0].endswith("Notes:\nXXX")
    assert read("55966.docx").pages == (
        "Content control within a paragraph is here text content from within a paragraph"
        " second control with a new\nline\n\nContent control that is the entire paragraph",
    )
    assert "Note Details\nChoose an item. Here is just a sample" in read("tika-3816.docx").pages[0]
    tracked = read("delins.docx").pages[0]
    assert "March 2009: Apache Tika Release" in tracked
    assert "Also known as Maang Tika." not in tracked, "deleted text is not text"
    assert read("testComment.docx").pages == (
        "this is a comment paragraph!\nComments:\ncomment content",
    )


def test_word_pages_are_the_pages_word_laid_out_headers_and_footers_once():
    result = read("HeaderFooterUnicode.docx")
    assert len(result.pages) == 2
    assert result.pages[0].endswith("That’s it for page one")
    assert result.pages[1] == (
        "This is page two. Les Précieuses ridicules. The end.\nThis is a simple header, with a €"
        " euro symbol in it.\nThe footer, with Molière, has Unicode in it."
    )


def test_slides_keep_their_notes_and_the_notes_page_s_header():
    assert read("SampleShow.pptx").pages[0] == (
        "Title of the first slide\nSubtitle of the first slide\n\nThis bit is in italic green\n"
        "Notes:\nI am the notes of the first slide"
    )
    assert read("bug58144-headers-footers-2007.pptx").pages == (
        "Test file\nHas some text in the headers and footers\nSlide footer\nNotes:\nNotes footer"
        "\nNotes header",
    )


def test_opendocument_notes_comments_headers_and_tracked_changes():
    assert read("note.odt").pages == (
        "Un paragraphe d'apparence banale.\nNotes:\nC'est-à-dire l'élément « text:p ».\n"
        "Les apparences sont trompeuses !\nComments:\nSauf qu'il est commenté !",
    )
    assert read("headfoot.odt").pages[0].endswith("\nFooter"), "the footer, from styles.xml"
    assert read("changeTracked.odt").pages == (
        "Ich eine odt-Datei mit aktiviertem ich wurde eingefügt ChangeTracking.",
    ), "the deleted 'bin' is left out"


def test_a_password_protected_deck_opens_with_its_password():
    assert read("Encrypted.pptx").warnings == (NO_PASSWORD,)
    opened = read("Encrypted.pptx", "msoc")
    assert (opened.needs, len(opened.pages), opened.title) == ((), 1, "PowerPoint Presentation")


def test_a_word_file_protected_with_office_s_default_password_opens_without_one():
    assert read("protected_agile.docx").pages == ("Agile protected document",)


def test_protected_files_that_cannot_be_opened_here_say_what_to_do():
    unsupported = read("bug53475-password-is-pass.docx", "pass")
    assert (unsupported.pages, unsupported.needs) == ((), ("password",))
    assert unsupported.warnings == (
        "not searchable: it has a password, and its encryption cannot be opened here (Invalid"
        " key size (160) for AES.): save it without the password, or as PDF, and ingest that",
    )
    assert read("encrypted-with-pwd_hello.odt").warnings == (
        "not searchable: it has a password, which OpenDocument files keep here: open it in"
        " LibreOffice, save it without one (or as PDF), and ingest that",
    )


@needs_writer
@needs_impress
def test_legacy_files_with_a_password():
    assert read("password_tika_binaryrc4.doc").warnings == (NO_PASSWORD,)
    opened = read("password_tika_binaryrc4.doc", "tika")
    assert opened.needs == () and "This is an encrypted Word 2007 File." in opened.pages[0]
    deck = read("Password_Protected-hello.ppt", "hello")
    assert (deck.pages, deck.needs) == ((), ("password",))
    assert deck.warnings == (
        "not searchable: it has a password, and LibreOffice cannot read it even decrypted:"
        " save it without the password, or as PDF, and ingest that",
    )


@needs_impress
def test_a_legacy_deck_keeps_its_slides_and_notes():
    result = read("SampleShow.ppt")
    assert result.format == "ppt" and len(result.pages) == 2
    assert result.pages[0].endswith("Notes:\nI am the notes of the first slide")


def test_protected_files_are_archived_then_opened_with_the_password(collection: Collection):
    (first,) = ingest(collection, [THIRD / "Encrypted.pptx"]).outcomes
    assert (first.status, first.message) == ("added", NO_PASSWORD)
    assert [p.message for p in needing_attention(collection)] == [
        "needs a password to be searchable: ingest it again with --password"
    ]
    options = IngestOptions(extract=ExtractOptions(password="msoc"))
    (again,) = ingest(collection, [THIRD / "Encrypted.pptx"], options=options).outcomes
    assert again.status == "updated"
    assert list(needing_attention(collection)) == [] and list(check(collection)) == []


@needs_tesseract
def test_a_page_ocr_cannot_read_is_a_warning_not_a_failure(monkeypatch: pytest.MonkeyPatch):
    import pytesseract

    def refuse(*args: object, **kwargs: object) -> str:
        raise pytesseract.TesseractError(1, "Image too small to scale")

    monkeypatch.setattr(pytesseract, "image_to_string", refuse)
    result = extract(FILES / "scanned-memo.pdf")
    assert (result.pages, result.ocr_pages, result.needs) == (("",), (), ())
    assert result.warnings == ("page 1: OCR could not read it (Image too small to scale)",)

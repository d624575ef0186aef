"""Files and pages that stay in ../shared/benchmarks (licences that keep them out of this
repository, or third-party web pages), read from there. Without that folder beside the
repository these tests are skipped, and say so."""

from __future__ import annotations

import json
import shutil
import sys

import pytest

from isecg_archive.enrich import describe, load_vocabulary
from isecg_archive.extract import ExtractOptions, extract

from conftest import ROOT

SHARED = ROOT.parent / "shared" / "benchmarks"
FILES = SHARED / "files"
pytestmark = pytest.mark.skipif(
    not SHARED.is_dir(),
    reason=f"the public benchmark folder {SHARED} is not beside the repository",
)
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="Tesseract is not installed (apt-get install"
    " tesseract-ocr)"
)  # fmt: skip


def test_web_pages_main_content_and_titles_meet_their_targets():
    """The main-content benchmark (80 news and blog pages, bench/main_content.py)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import main_content

    pages = sorted((SHARED / "main-content").glob("*.html"))
    titles = main_content.read_titles()
    vocabulary = load_vocabulary(ROOT)
    scores, right = [], 0
    for page in pages:
        truth = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))["articleBody"]
        extraction = extract(page)
        scores.append(main_content.precision_recall("\n".join(extraction.pages), truth))
        title = describe(extraction, page.name, {}, vocabulary).title
        right += " ".join(title.split()) == " ".join(titles[page.stem[:10]].split())
    precision = sum(p for p, _ in scores) / len(scores)
    recall = sum(r for _, r in scores) / len(scores)
    assert len(pages) == 80
    assert precision >= 0.90 and recall >= 0.90, (precision, recall)
    assert right >= 0.9 * len(pages), right


@pytest.mark.parametrize(
    ("name", "title", "kept", "left_out"),
    [
        ("github.blog.spiceland.html", "Leader spotlight: Erin Spiceland",
         "Erin Spiceland is a Software Engineer for SpaceX.", "Related posts"),
        ("boingboing.net.millenials.html",
         "Hating Millennials - the prejudice you're allowed to boast about",
         "The generation we love to dump on", "GET THE BOING BOING NEWSLETTER"),
        ("lemire.me.json.html", "JSON parsing: simdjson vs. JSON for Modern C++",
         "I use a Skylake processor with GNU GCC 8.3.", "Proudly powered by WordPress"),
        ("reuters.com.parasite.html",
         "'Parasite' scores historic upset at SAG awards, boosting Oscar chances",
         "Despite an unknown cast,", "Factbox: Key winners"),
        ("wikimediafoundation.org.turkey.html",
         "Access to Wikipedia restored in Turkey after more than two and a half years",
         "as further access is restored.", "Stay up-to-date on our work."),
        ("chineselyrics4u.com.zhineng.html",
         "Zhi Neng Xiang Nian Ni - Jam Hsiao Jing Teng (只能想念你 - 蕭敬騰)", "就放心去吧",
         "Thank you for your support!"),
        ("assabah.com.tn.article.html",
         "الناشط الحقوقي السوداني خالد عبد الكريم ماسا لـ«الصباح»: كل الشروط متوفرة لثورة"
         " سودانية ولا حاجة لنستورد شيئا", "وماذا عن حقيقة", "إضافة تعليق جديد"),
    ],
)  # fmt: skip
def test_saved_pages_keep_the_article_and_its_headline(name, title, kept, left_out):
    page = FILES / "html" / name
    extraction = extract(page)
    (text,) = extraction.pages
    assert kept in text and left_out not in text
    assert describe(extraction, name, {}, load_vocabulary(ROOT)).title == title


def test_a_page_s_published_date_beats_the_dates_in_its_text():
    # Its first paragraph names the court ruling's date, 26 December 2019.
    name = "wikimediafoundation.org.turkey.html"
    extraction = extract(FILES / "html" / name)
    assert "a 26 December 2019 ruling" in extraction.pages[0]
    metadata = describe(extraction, name, {}, load_vocabulary(ROOT))
    assert str(metadata.date) == "2020-01-15", "article:published_time"


def test_hyphenated_line_breaks_of_a_two_column_paper_are_joined():
    (page,) = extract(FILES / "pdf" / "2201.00069.pdf").pages
    assert "uncertainty" in page and "uncer-" not in page


def test_wingdings_bullets_become_bullets():
    (page,) = extract(FILES / "pdf" / "battery-file-22.pdf").pages
    assert "\n• Our EV battery supply-demand models for each region suggest that" in page
    assert "\uf075" not in page


def test_text_that_names_glyphs_is_no_text():
    result = extract(FILES / "pdf" / "type3font.pdf", options=ExtractOptions(ocr=False))
    assert result.pages == ("",) and result.needs == ("ocr",)
    assert result.warnings == (
        "no text layer on page 1: scanned, or fonts without text; install tesseract-ocr and"
        " ingest it again to make it searchable",
    )


@needs_tesseract
def test_a_jbig2_scan_is_read_by_ocr():
    """pypdf cannot decode JBIG2 images without jbig2dec; PDFium draws the page for OCR."""
    result = extract(FILES / "pdf" / "jbig2.pdf")
    assert result.ocr_pages == (1,) and result.needs == () and result.warnings == ()
    words = result.pages[0].split()
    assert "CONGRESS" in " ".join(words[:4]) and "PRESIDENT" in words

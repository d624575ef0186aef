"""Page text as the author wrote it, titles that are titles, dates as the slides write them."""

from __future__ import annotations

from pathlib import Path

import pytest

from isecg_archive.enrich.dates import find_dates
from isecg_archive.enrich.titles import detect_title, embedded_title, is_placeholder
from isecg_archive.extract import extract
from isecg_archive.extract.cleaning import clean_pages, clean_text
from isecg_archive.storage.records import PartialDate


def test_characters_fonts_garble_are_mended():
    raw = (
        "What changed since 2011\n\x7f  Roadmap now shows one pathway\n\uf075 Our EV models\n"
        "\u25a0 1. The authority\n86\u03bcJy\x00beam\x001 \ufb01nd the o\ufb00set\n"
        "\ufee3\ufea4\ufee4\ufeaa 𝑚 \ud835 half a pair\r\nSoft\u00adhyphen, zero\u200bwidth"
    )
    assert clean_text(raw) == (
        "What changed since 2011\n• Roadmap now shows one pathway\n• Our EV models\n"
        "• 1. The authority\n86μJy beam 1 find the offset\nمحمد m half a pair\n"
        "Softhyphen, zerowidth"
    )


def test_windows_1252_codes_read_as_control_characters_are_their_characters():
    assert clean_text("\x93Gateway\x94 \x96 \x80 5 \x85") == "“Gateway” – € 5 …"


def test_words_broken_at_line_ends_are_joined_the_author_s_hyphens_kept():
    page = (
        "The partici-\npants met near-\nEarth in a self-\ncontained room. The uncer-\ntainty\n"
        "was low, the well-\nknown rover was re-\nused. Docu-\nmentation, a dust-\nfree seal"
    )
    other = "A dust-free seal."  # the document writes it with its hyphen
    assert clean_pages([page, other], running=False)[0] == (
        "The participants\nmet near-Earth\nin a self-contained\nroom. The uncertainty\n"
        "was low, the well-known\nrover was re-used.\nDocumentation,\na dust-free\nseal"
    )


def test_running_headers_footers_and_page_numbers_are_left_out():
    texts = ["Gateway logistics", "Cargo flights twice a year", "Docking", "Crew time"]
    pages = [
        f"Workshop 2016 | Report\nPage {n} of 4\n{text}\nMore on {text.lower()}.\n{n}"
        for n, text in enumerate(texts, start=1)
    ]
    assert clean_pages(pages) == tuple(f"{text}\nMore on {text.lower()}." for text in texts)


def test_a_heading_two_slides_share_stays_and_one_line_pages_keep_their_line():
    slides = ["Results\nFirst finding", "Results\nSecond finding", "Outlook\nNext", "Thanks\nQ"]
    assert clean_pages(slides) == tuple(slides)
    potatoes = [f"Potato {n}" for n in range(30)]
    assert clean_pages(potatoes) == tuple(potatoes)
    copies = ["The same page\nwith the same lines\nand an end"] * 5
    assert clean_pages(copies) == tuple(copies), "identical pages are one page's evidence"


@pytest.mark.parametrize(
    "title",
    [
        "PowerPoint Presentation", "Slide 1", "スライド 1", "PowerPoint 演示文稿",
        "Ingen lysbildetittel", "Microsoft Word - SPECIAL BOARD AGENDA 040616.doc", "10811.exe",
        "DOC_", "Scanned Document", "jdhs-pattern.eps", "untitled", "PowerPoint-Präsentation",
    ],
)  # fmt: skip
def test_placeholder_titles(title: str):
    assert is_placeholder(title) and embedded_title(title) is None


def test_real_titles_are_kept_and_made_presentable():
    assert embedded_title("Lunar Gateway Concept [Compatibility Mode]") == "Lunar Gateway Concept"
    assert embedded_title("dctitle") == "dctitle"
    assert embedded_title("SOW - Statement of Work") == "SOW - Statement of Work"


def test_a_title_cut_at_a_line_break_is_joined():
    page = "EMTG Tutorial:\nMission Design with the Evolutionary Mission Trajectory Generator\nJPL"
    assert detect_title(None, page, "emtg.pdf") == (
        "EMTG Tutorial: Mission Design with the Evolutionary Mission Trajectory Generator"
    )


def test_boilerplate_lines_are_never_a_title():
    page = "Exploring the Moon together\nSubscribe to our news\nRover field test completed\nText"
    shared = {"exploring the moon together", "subscribe to our news"}
    assert detect_title(None, page, "capture.txt", boilerplate=shared) == (
        "Rover field test completed"
    )


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("ESA and JAXA 8/26/14", PartialDate(2014, 8, 26)),  # the day is over 12: month first
        ("Berlin, 26.08.2014", PartialDate(2014, 8, 26)),  # dots: day first
        ("26/8/2014", PartialDate(2014, 8, 26)),
        ("2014/08/26", PartialDate(2014, 8, 26)),
        ("3/4/14", PartialDate(2014)),  # March 4 or 3 April: only the year is certain
        ("12/12/2012", PartialDate(2012, 12, 12)),
        ("release v1.2.3", None),
    ],
)
def test_numeric_dates_and_their_ambiguity(text: str, date: PartialDate | None):
    found = find_dates(text)
    assert (found[0].date if found else None) == date


def test_markdown_is_rendered_to_its_text(tmp_path: Path):
    source = tmp_path / "notes.md"
    source.write_text(
        "# Gateway **logistics** notes\n\nSee [the roadmap](https://example.org/ger) and"
        " `ISRU`.\nA soft break.\n\n- first item\n- second *item*\n  1. nested\n\n"
        "| agency | year |\n|---|---|\n| ESA | 2016 |\n\n<div class='x'>raw html</div>\n",
        encoding="utf-8",
    )
    result = extract(source)
    assert result.title == "Gateway logistics notes"
    assert result.pages == (
        "Gateway logistics notes\nSee the roadmap and ISRU. A soft break.\n• first item\n"
        "• second item\n1. nested\nagency year\nESA 2016\nraw html",
    )

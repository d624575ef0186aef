"""Captures of one web site share its navigation, tagline and footer: never a title or a snippet."""

from __future__ import annotations

from pathlib import Path

from isecg_archive.collection import Collection
from isecg_archive.maintenance.corrections import redetect
from isecg_archive.pipeline.ingest import ingest
from isecg_archive.search import SearchRequest

ARTICLES = {
    "rover.txt": ("Rover field test completed",
                  "The agency tested a rover on volcanic terrain, measuring wheel slip."),
    "geology.txt": ("Crew rehearses geology traverse",
                    "Astronauts rehearsed sample collection in a quarry with geologists."),
    "drill.txt": ("Drill reaches frozen layer",
                  "A drill brought up ice-bearing simulant from two metres down."),
    "telescope.txt": ("Far-side telescope proposed",
                      "Radio astronomers proposed a telescope shielded from the Earth."),
}  # fmt: skip


def capture(folder: Path, name: str, navigation: bool = True) -> Path:
    """A page of the site saved as text: its navigation and tagline first, as a browser's
    'save as text' gives them (or, without `navigation`, its tagline alone)."""
    title, body = ARTICLES[name]
    path = folder / name
    menu = "Home | About | Missions | News | Contact\n" if navigation else ""
    path.write_text(
        f"{menu}Exploring the Moon together since 2007\n"
        f"Subscribe to our news notifications\n\n{title}\n{body}\nResults will feed the next"
        " lunar mission.\n\nCopyright 2024 Example Space Agency. All rights reserved.\n",
        encoding="utf-8",
    )
    return path


def test_a_site_s_shared_lines_are_no_title(collection: Collection, tmp_path: Path):
    for name in ARTICLES:
        capture(tmp_path, name)
    ingest(collection, [tmp_path])
    titles = {d.original_name: d.title for d in collection.archive.records()}
    assert titles == {name: title for name, (title, _) in ARTICLES.items()}


def test_a_capture_alone_with_its_site_s_navigation_first_is_titled_by_its_heading(
    collection: Collection, tmp_path: Path
):
    """No other capture of the site tells its chrome apart; the navigation line opening its
    first block of lines does: the block is the site's, and the title is the article's."""
    ingest(collection, [capture(tmp_path, "rover.txt")])
    assert collection.archive.read("rover.txt").title == "Rover field test completed"


def test_titles_are_mended_when_the_site_s_lines_become_known(
    collection: Collection, tmp_path: Path
):
    """A capture alone that opens with its site's tagline and no navigation cannot tell the
    tagline from its title; with the third capture of the site, it can."""
    ingest(collection, [capture(tmp_path, "rover.txt", navigation=False)])
    assert collection.archive.read("rover.txt").title == "Exploring the Moon together since 2007"
    ingest(collection, [capture(tmp_path, "geology.txt", navigation=False)])
    ingest(collection, [capture(tmp_path, "drill.txt", navigation=False)])
    assert collection.archive.read("rover.txt").title == "Rover field test completed"
    assert collection.archive.read("drill.txt").title == "Drill reaches frozen layer"
    assert redetect(collection, dry_run=True) == [], "redetect finds the same titles"


def test_snippets_leave_the_site_s_lines_out(collection: Collection, tmp_path: Path):
    for name in ARTICLES:
        capture(tmp_path, name)
    ingest(collection, [tmp_path])
    result = collection.search(SearchRequest("rover OR moon OR lunar OR agency"))
    snippets = {h.document.original_name: [s.text for s in h.snippets] for h in result.hits}
    assert snippets["rover.txt"] == [
        "Rover field test completed The agency tested a rover on volcanic terrain, measuring"
        " wheel slip."
    ]
    # Matched only in the tagline, the navigation or the footer: no snippet to show.
    assert snippets["drill.txt"] == [] and snippets["telescope.txt"] == []
    assert result.total == 4, "the shared lines are still the documents' text, and found"

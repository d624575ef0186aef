"""A query whose syntax finds nothing is searched for as its words, and every output says so;
one that finds documents as written is left as it is."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from isecg_archive.collection import Collection
from isecg_archive.search import Relaxed, SearchRequest
from isecg_archive.web import create_app

from conftest import DEMO, command

PASTED = 'regolith samples and the so-called "ice mining rig" on the lunar poles'


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Collection:
    collection = Collection(DEMO, tmp_path_factory.mktemp("demo-index"))
    collection.reindex()
    return collection


def test_an_absent_phrase_falls_back_to_its_words_and_says_so(demo: Collection):
    result = demo.search(SearchRequest(PASTED))
    assert result.relaxed == Relaxed(
        "regolith samples and the so-called ice mining rig on the lunar poles",
        "No document has the phrase “ice mining rig”",
    )
    assert result.total > 0
    assert result.to_dict()["relaxed"] == {
        "query": "regolith samples and the so-called ice mining rig on the lunar poles",
        "reason": "No document has the phrase “ice mining rig”",
    }


@pytest.mark.parametrize(
    "query",
    ['"polar volatiles"', "(ISRU)", "title:roadmap", "gateway AND logistics", "volatil*"],
)
def test_a_query_that_finds_documents_as_written_is_not_relaxed(demo: Collection, query: str):
    result = demo.search(SearchRequest(query))
    assert result.total > 0 and result.relaxed is None, query


@pytest.mark.parametrize(
    ("query", "words", "reason"),
    [
        ('"lunar ice mining rig"', "lunar ice mining rig",
         "No document has the phrase “lunar ice mining rig”"),
        ("title:(regolith AND mining rig)", "regolith mining rig",
         "No document matches the query as written, with its AND, OR, NOT and brackets"),
        ('lunar title: "volatiles"', "lunar volatiles",
         "The query cannot be read as written (title: has no value; write one right after the"
         " colon, as in title:lunar)"),
    ],
)  # fmt: skip
def test_syntax_that_fails_falls_back(demo: Collection, query: str, words: str, reason: str):
    result = demo.search(SearchRequest(query))
    assert result.relaxed == Relaxed(words, reason)
    assert result.total > 0


def test_a_name_before_a_colon_that_is_no_field_is_a_word(demo: Collection):
    result = demo.search(SearchRequest("Gateway: A Status Report"))
    assert result.relaxed is None and result.total > 0
    assert demo.search(SearchRequest("Gateway:logistics")).total > 0


def test_the_cli_table_and_json_and_the_page_say_what_was_relaxed(tmp_path: Path):
    archive = tmp_path / "archive"
    shutil.copytree(DEMO, archive)
    table = subprocess.run(
        command(archive, "search", PASTED, "--limit", "1"),
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert table.stdout.splitlines()[0].startswith(
        "No document has the phrase “ice mining rig”; showing documents with its words instead:"
    )
    data = json.loads(
        subprocess.run(
            command(archive, "search", PASTED, "--json"),
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout  # fmt: skip
    )
    assert data["relaxed"]["reason"] == "No document has the phrase “ice mining rig”"
    client = create_app({"ARCHIVE_DIR": archive}).test_client()
    page = BeautifulSoup(client.get("/", query_string={"q": PASTED}).data, "html.parser")
    assert page.select_one(".relaxed").get_text(" ", strip=True) == (
        "No document has the phrase “ice mining rig”; showing documents with its words"
        " instead: regolith samples and the so-called ice mining rig on the lunar poles ."
    )
    api = client.get("/api/search", query_string={"q": PASTED}).get_json()
    assert api["relaxed"] == data["relaxed"]
    # What the reader takes away is what the page shows: the words' matches.
    csv_link = page.find("a", string="CSV")["href"]
    assert "q=regolith+samples+and+the+so-called+ice+mining+rig" in csv_link
    exported = client.get(csv_link).get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert len(exported) - 1 == data["total"]
    feed = page.find("a", string="Follow this search (Atom feed)")["href"]
    assert "q=regolith+samples+and+the+so-called+ice+mining+rig" in feed


ABSTRACT = (
    'Keeping Landers Alive Through the "Lunar Night": Power and Thermal Options for Surface'
    " Missions. Abstract: Robotic and crewed surface systems on the Moon must survive about two"
    " weeks of darkness and extreme cold. We review the options for thermal control and energy"
    " storage, including radioisotope heater units, regenerative fuel cells and low-power"
    " hibernation of rovers and landers. The selection of landing sites from orbiter data, and"
    " the coordination of surface communication frequencies between the agencies (JAXA, ISRO,"
    " KARI), are also discussed."
)


def test_a_pasted_title_and_abstract_ranks_its_subject_first(demo: Collection):
    """Written for this test about the subject of one demo document, in other words than its
    own; its quotes, colons, hyphen and parentheses are the reader's, not syntax that fails."""
    result = demo.search(SearchRequest(ABSTRACT))
    assert result.relaxed is None
    assert result.hits[0].document.title == "Lunar Surface Operations Workshop: Summary"
    without_quotes = demo.search(SearchRequest(ABSTRACT.replace('"', "")))
    assert without_quotes.hits[0].document.title == "Lunar Surface Operations Workshop: Summary"

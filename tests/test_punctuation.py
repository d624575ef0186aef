"""Words people write with punctuation inside are words: R&D, C++, U.S., 3-D, in-situ, Mars2020,
e-mail find what a reader expects, in the search, the feed, `--where` and the API."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isecg_archive.collection import Collection
from isecg_archive.engine import analysis
from isecg_archive.pipeline.ingest import ingest
from isecg_archive.search import SearchRequest
from isecg_archive.web import create_app

from conftest import command

TEXTS = {
    "budget.txt": "Budget lines\n\nThe agencies spend on R&D for lunar landers.\n",
    "software.txt": "Flight software\n\nThe guidance code is written in C++ by two teams.\n",
    "maps.txt": "Terrain maps\n\nA 3-D model of the south pole built from orbit.\n",
    "mail.txt": "Coordination\n\nSend an e-mail to each U.S. partner before the review.\n",
    "isru.txt": "Resources\n\nIn-situ production of oxygen from regolith.\n",
    "rover.txt": "Rover notes\n\nThe Mars 2020 rover collects samples for return.\n",
    "other.txt": "Other matters\n\nA meeting about the schedule of the next review.\n",
}
EXPECTED = {
    "R&D": ["Budget lines"],
    "R & D": ["Budget lines"],
    "r&d": ["Budget lines"],
    "C++": ["Flight software"],
    "3-D": ["Terrain maps"],
    "3D": ["Terrain maps"],
    "e-mail": ["Coordination"],
    "email": ["Coordination"],
    "U.S.": ["Coordination"],
    "in-situ": ["Resources"],
    "in situ": ["Resources"],
    "Mars2020": ["Rover notes"],
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Collection:
    folder = tmp_path_factory.mktemp("punctuation")
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    collection = Collection(folder / "archive")
    ingest(collection, sorted(folder.glob("*.txt")))
    return collection


@pytest.mark.parametrize("query", list(EXPECTED))
def test_words_with_punctuation_find_their_documents(archive: Collection, query: str):
    result = archive.search(SearchRequest(query))
    assert [hit.document.title for hit in result.hits] == EXPECTED[query]
    assert result.relaxed is None


def test_a_query_of_words_too_short_to_index_finds_nothing_and_is_not_refused(
    archive: Collection,
):
    for query in ("the", "a b", "x"):
        assert archive.search(SearchRequest(query)).total == 0


def test_r_and_d_in_the_feed_the_api_and_where(archive: Collection, tmp_path: Path):
    client = create_app({"ARCHIVE_DIR": archive.archive.root}).test_client()
    feed = client.get("/feed.atom", query_string={"q": "R&D"})
    assert feed.status_code == 200
    assert [entry.title for entry in feedparser.parse(feed.data).entries] == ["Budget lines"]
    api = client.get("/api/search", query_string={"q": "R&D"}).get_json()
    assert [hit["title"] for hit in api["hits"]] == ["Budget lines"]
    edited = subprocess.run(
        command(archive.archive.root, "edit", "--where", "R&D", "--add-topic", "mars"),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert edited.returncode == 0, edited.stderr
    assert edited.stdout.splitlines()[-1].startswith("Updated ")
    (budget,) = [d for d in archive.archive.records() if d.file == "budget.txt"]
    assert "mars" in budget.topics


PIECES = ["x", "ray", "3", "d", "near", "earth", "in", "situ", "e", "mail", "r", "c", "the"]


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.sampled_from(PIECES), min_size=1, max_size=12),
    marks=st.lists(st.sampled_from([" ", "-", "&", "++ ", ". ", ".", " - "]), min_size=12),
    starts=st.sets(st.sampled_from(["ra", "ne", "ea", "si", "ma", "em", "xr", "3d", "r&"])),
)
def test_a_snippet_finds_the_words_the_index_holds_whatever_joins_them(words, marks, starts):
    """The quick way to find a query's words in a page skips most words; it must find the words
    the analyzer indexes, at the same places, whatever punctuation joins them."""
    text = "".join(word + mark for word, mark in zip(words, marks, strict=False)).title()
    # Every token one of whose forms starts so, with the terms of all its indexed forms.
    every = [
        (m.start(), m.end(), analysis.stem(form.lower()))
        for m in re.finditer(analysis.TOKEN, text)
        if any(form.lower().startswith(tuple(starts)) for form in analysis.forms(m.group()))
        for form in analysis.forms(m.group())
        if analysis.is_indexed(form.lower())
    ]
    found = [(m.start(), m.end(), term) for m, term in analysis.terms_starting(text, starts)]
    assert found == every

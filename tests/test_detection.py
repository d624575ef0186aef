"""Detection measured on hand-labelled documents: the demo collection and tricky short texts.

Run with `pytest -s tests/test_detection.py` to see the figures; a drop below the bar fails.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from isecg_archive.enrich import Metadata, describe, load_vocabulary
from isecg_archive.extract import Extraction, extract
from isecg_archive.storage.archive import Archive

from conftest import DEMO

LABELLED = Path(__file__).parent / "labelled"


@dataclass
class Case:
    name: str
    detected: Metadata
    labels: dict


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, name: str, detected: set[str], expected: set[str]) -> None:
        self.true_positives += len(detected & expected)
        self.false_positives += len(detected - expected)
        self.false_negatives += len(expected - detected)
        if detected != expected:
            extra, missing = sorted(detected - expected), sorted(expected - detected)
            self.errors.append(f"{name}: extra {extra}, missing {missing}")

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0


def _cases() -> list[Case]:
    vocabulary = load_vocabulary()
    archive = Archive(DEMO)
    cases = []
    for file, labels in tomllib.loads((LABELLED / "demo.toml").read_text("utf-8")).items():
        extraction = extract(archive.original(file))
        cases.append(Case(file, describe(extraction, file, {}, vocabulary), labels))
    texts = tomllib.loads((LABELLED / "texts.toml").read_text("utf-8"))["text"]
    for labels in texts:
        pages = (labels["text"], *labels.get("more", ()))
        extraction = Extraction(format="text", pages=pages, title=labels["title"])
        cases.append(Case(labels["case"], describe(extraction, "t.txt", {}, vocabulary), labels))
    return cases


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return _cases()


def test_the_labelled_set_is_large_enough(cases: list[Case]):
    assert sum(1 for c in cases if c.name.endswith((".pdf", ".html", ".md", ".txt"))) == 27
    assert sum(1 for c in cases if not c.name.endswith((".pdf", ".html", ".md", ".txt"))) >= 30


def _score(cases: list[Case], name: str) -> Score:
    score = Score()
    for case in cases:
        if name in case.labels:
            score.add(case.name, set(getattr(case.detected, name)), set(case.labels[name]))
    return score


def _report(title: str, score: Score) -> None:
    print(f"\n{title}: precision {score.precision:.3f}, recall {score.recall:.3f}")
    for error in score.errors:
        print(f"  {error}")


def test_agencies(cases: list[Case]):
    score = _score(cases, "agencies")
    _report("agencies", score)
    assert score.precision >= 0.95 and score.recall >= 0.90


def test_topics(cases: list[Case]):
    score = _score(cases, "topics")
    _report("topics", score)
    assert score.precision >= 0.85 and score.recall >= 0.85


def _exact(cases: list[Case], name: str) -> tuple[float, list[str]]:
    stated = [c for c in cases if c.labels.get(name)]
    wrong = [
        f"{c.name}: {getattr(c.detected, name)} instead of {c.labels[name]}"
        for c in stated
        if str(getattr(c.detected, name)) != c.labels[name]
    ]
    return 1 - len(wrong) / len(stated), wrong


def test_stated_dates(cases: list[Case]):
    rate, wrong = _exact(cases, "date")
    events, wrong_events = _exact(cases, "event_date")
    print(f"\ndates: {rate:.3f} exact; event dates: {events:.3f} exact")
    for line in wrong + wrong_events:
        print(f"  {line}")
    assert rate >= 0.90 and events >= 0.90


def test_documents_that_state_no_date_get_none_from_their_text(cases: list[Case]):
    undated = [c for c in cases if c.labels.get("date") == ""]
    assert undated and all(c.detected.date is None for c in undated)


def test_types(cases: list[Case]):
    typed = [
        c
        for c in cases
        if "type" in c.labels and c.name != "global-exploration-roadmap-2025-news.html"
    ]
    wrong = [f"{c.name}: {c.detected.type}" for c in typed if c.detected.type != c.labels["type"]]
    print(f"\ntypes: {1 - len(wrong) / len(typed):.3f} exact")
    assert wrong == []

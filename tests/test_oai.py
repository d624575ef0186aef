"""OAI-PMH, harvested from the running viewer by oaipmh-scythe (the maintained successor of the
Sickle harvester), and its protocol errors as the specification lists them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema
from oaipmh_scythe import Scythe
from oaipmh_scythe.exceptions import NoRecordsMatch

from isecg_archive.collection import Collection
from isecg_archive.storage.archive import Archive
from isecg_archive.web import create_app

from conftest import DEMO, command, served

OAI = "{http://www.openarchives.org/OAI/2.0/}"
RECORDS = {d.id: d for d in Archive(DEMO).records()}
REMOVED = "f057dca58735"  # the stakeholder engagement report, removed by the fixture


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo archive, one document removed, served by waitress with pages of 10 items."""
    archive = tmp_path_factory.mktemp("oai") / "archive"
    shutil.copytree(DEMO, archive)
    Collection(archive).remove(REMOVED)
    app = create_app({"ARCHIVE_DIR": archive, "OAI_PAGE_SIZE": 10})
    with served(app, threads=2) as base:
        app.config["STARTED_AT"] = base  # as serve does
        yield base


@pytest.fixture
def scythe(server: str) -> Iterator[Scythe]:
    with Scythe(f"{server}/oai") as harvester:
        yield harvester


def _sets(document) -> set[str]:
    specs = {f"agency:{a}" for a in document.agencies} | {f"topic:{t}" for t in document.topics}
    return specs | {f"type:{document.type}"}


def test_identify_and_formats(scythe: Scythe, server: str):
    identify = scythe.identify()
    assert identify.repositoryName == "ISECG Archive"
    assert identify.baseURL == f"{server}/oai"
    assert identify.protocolVersion == "2.0"
    assert identify.deletedRecord == "transient"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    formats = list(scythe.list_metadata_formats())
    assert [f.metadataPrefix for f in formats] == ["oai_dc"]


def test_a_harvest_gets_every_record_in_pages_with_its_sets(scythe: Scythe, server: str):
    harvested = list(scythe.list_records(metadata_prefix="oai_dc"))
    live = {r.header.identifier: r for r in harvested if not r.deleted}
    deleted = [r.header.identifier for r in harvested if r.deleted]
    assert sorted(live) == sorted(
        f"oai:isecg-archive.localhost:{i}" for i in RECORDS if i != REMOVED
    )
    assert deleted == [f"oai:isecg-archive.localhost:{REMOVED}"]
    for identifier, record in live.items():
        document = RECORDS[identifier.rsplit(":", 1)[1]]
        assert set(record.header.setSpecs) == _sets(document)
        assert record.metadata["title"] == [document.title]
        assert record.metadata["identifier"] == [f"{server}/documents/{document.id}"]
        assert record.metadata.get("date") == ([str(document.date)] if document.date else None)
        assert record.metadata.get("publisher") == (list(document.agencies) or None)
    # 27 items in pages of 10: three responses, the first two with a token.
    first = ET.fromstring(
        urllib.request.urlopen(f"{server}/oai?verb=ListIdentifiers&metadataPrefix=oai_dc").read()
    )
    token = first.find(f".//{OAI}resumptionToken")
    assert token.get("completeListSize") == "27" and token.get("cursor") == "0"
    assert len(first.findall(f".//{OAI}header")) == 10


def test_sets_select_their_records(scythe: Scythe):
    names = {s.setSpec: s.setName for s in scythe.list_sets()}
    assert names["agency:JAXA"] == "Japan Aerospace Exploration Agency"
    assert names["type:roadmap"] == "roadmap"
    assert {"agency", "topic", "type"} <= set(names)
    listed = scythe.list_identifiers(metadata_prefix="oai_dc", set_="agency:JAXA")
    jaxa = [header.identifier for header in listed]
    expected = [i for i, d in RECORDS.items() if "JAXA" in d.agencies and i != REMOVED]
    assert sorted(jaxa) == sorted(f"oai:isecg-archive.localhost:{i}" for i in expected)
    roadmaps = list(scythe.list_identifiers(metadata_prefix="oai_dc", set_="type:roadmap"))
    assert len(roadmaps) == 3


def test_get_record_and_dates(scythe: Scythe):
    record = scythe.get_record(identifier="oai:isecg-archive.localhost:d0d8f68dba87")
    assert record.metadata["relation"] == ["Lunar Polar Volatiles Virtual Workshop"]
    stamp = record.header.datestamp
    since = [h.identifier for h in scythe.list_identifiers(from_=stamp)]
    assert "oai:isecg-archive.localhost:d0d8f68dba87" in since
    with pytest.raises(NoRecordsMatch):
        list(scythe.list_identifiers(until="2001-01-01"))
    gone = scythe.get_record(identifier=f"oai:isecg-archive.localhost:{REMOVED}")
    assert gone.deleted


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("verb=Foo", "badVerb"),
        ("", "badVerb"),
        ("verb=Identify&verb=Identify", "badVerb"),
        ("verb=Identify&set=x", "badArgument"),
        ("verb=ListRecords", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=yesterday", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01&until=2020-01-01T00:00:00Z",
         "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&set=colour:blue", "badArgument"),
        ("verb=ListRecords&metadataPrefix=marc21", "cannotDisseminateFormat"),
        ("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:isecg-archive.localhost:ffffffffffff",
         "idDoesNotExist"),
        ("verb=ListRecords&resumptionToken=garbage", "badResumptionToken"),
        ("verb=ListRecords&resumptionToken=x&metadataPrefix=oai_dc", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&until=2001-01-01", "noRecordsMatch"),
    ],
)  # fmt: skip
def test_errors_have_the_protocol_codes(server: str, query: str, code: str):
    root = ET.fromstring(urllib.request.urlopen(f"{server}/oai?{query}").read())
    assert root.find(f"{OAI}error").get("code") == code
    if code in ("badVerb", "badArgument"):
        assert root.find(f"{OAI}request").attrib == {}  # the request is not echoed back


@pytest.fixture
def serve_archive() -> Iterator:
    """Serve archives with waitress on free ports; each is stopped when the test ends."""
    with ExitStack() as running:

        def serve(archive) -> str:
            return running.enter_context(served(create_app({"ARCHIVE_DIR": archive}))) + "/oai"

        yield serve


def _stamps(base: str) -> dict[str, str]:
    with Scythe(base) as scythe:
        listed = scythe.list_identifiers(metadata_prefix="oai_dc")
        return {h.identifier: h.datestamp for h in listed}


def test_a_copied_archive_is_dated_as_the_original_and_resends_nothing(tmp_path, serve_archive):
    """A clone, a copy or a restore from backup gives every file a new time: harvesters see
    the same datestamps, and an incremental harvest after the last one gets nothing."""
    original, copy = tmp_path / "original", tmp_path / "copy"
    shutil.copytree(DEMO, original)
    before = _stamps(serve_archive(original))
    assert len(before) == len(RECORDS)
    assert max(before.values()) == "2026-11-22T06:03:09Z"  # the records' own times
    shutil.copytree(original, copy, copy_function=shutil.copy)  # new file times
    for path in copy.rglob("*"):
        os.utime(path)
    served = serve_archive(copy)
    assert _stamps(served) == before
    with Scythe(served) as scythe, pytest.raises(NoRecordsMatch):
        after = datetime.fromisoformat(max(before.values())) + timedelta(seconds=1)
        list(scythe.list_identifiers(metadata_prefix="oai_dc", from_=f"{after:%Y-%m-%dT%H:%M:%SZ}"))

    # A record from before records kept their time: its last history entry dates it, and
    # `check --repair` writes that down.
    record = next(copy.glob("*.meta.json"))
    data = json.loads(record.read_text("utf-8"))
    del data["changed"]
    record.write_text(json.dumps(data), encoding="utf-8")
    (copy / ".history.jsonl").write_text(
        json.dumps({"when": "2024-05-06T07:08:09+00:00", "action": "edit", "id": data["id"],
                    "file": data["file"], "before": {}, "after": {}}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    repaired = subprocess.run(command(copy, "check", "--repair"), capture_output=True, text=True)
    assert "repaired: wrote down when 1 record last changed" in repaired.stderr
    assert json.loads(record.read_text("utf-8"))["changed"] == "2024-05-06T07:08:09Z"


SCHEMAS = Path(__file__).parent / "schemas"


@pytest.fixture(scope="module")
def oai_schema() -> xmlschema.XMLSchema:
    """The official OAI-PMH 2.0 schema with those of oai_dc (and simple Dublin Core) and of the
    oai-identifier description: tests/schemas/NOTICE.md says where each comes from."""
    return xmlschema.XMLSchema(
        [str(SCHEMAS / name) for name in ("OAI-PMH.xsd", "oai_dc.xsd", "oai-identifier.xsd")]
    )


def test_every_response_is_valid_against_the_official_schemas(server: str, oai_schema):
    requests = [
        "verb=Identify",
        "verb=ListMetadataFormats",
        "verb=ListSets",
        "verb=ListIdentifiers&metadataPrefix=oai_dc",
        "verb=ListRecords&metadataPrefix=oai_dc",
        "verb=ListRecords&metadataPrefix=oai_dc&set=type:roadmap",
        "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:isecg-archive.localhost:d0d8f68dba87",
        f"verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:isecg-archive.localhost:{REMOVED}",
        "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:isecg-archive:d0d8f68dba87",
        "verb=Nothing",
        "verb=ListRecords&metadataPrefix=marc21",
        "verb=ListRecords&metadataPrefix=oai_dc&until=2001-01-01",
    ]
    for query in requests:
        with urllib.request.urlopen(f"{server}/oai?{query}") as response:
            body = response.read().decode("utf-8")
        errors = [str(error.reason) for error in oai_schema.iter_errors(body)]
        assert errors == [], query
    with Scythe(f"{server}/oai") as scythe:
        identify = scythe.identify()
        record = scythe.get_record(identifier="oai:isecg-archive:d0d8f68dba87")  # as before
    assert identify.adminEmail == "admin@localhost.localdomain"
    assert record.header.identifier == "oai:isecg-archive.localhost:d0d8f68dba87"
    assert record.metadata["type"] == ["Text", "workshop-summary"]


def test_the_sets_of_deleted_records_are_listed(server: str):
    removed = RECORDS[REMOVED]
    with Scythe(f"{server}/oai") as scythe:
        specs = {s.setSpec for s in scythe.list_sets()}
        for spec in _sets(removed):
            assert spec in specs, spec
            listed = scythe.list_identifiers(metadata_prefix="oai_dc", set_=spec)
            assert f"oai:isecg-archive.localhost:{REMOVED}" in {h.identifier for h in listed}

"""The private area: documents and events for the agencies only (`--internal`).

The viewer leaves them out everywhere unless it was started to show them (`serve
--show-internal`): every route of the app is walked over HTTP, with the internal document's
id and the internal event's slug wherever a route takes one, and with the searches, feeds,
exports and OAI-PMH requests that list documents; no response may name the internal document
or event, nor count it. The command line sees everything, and marks what is internal.
"""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from isecg_archive.collection import Collection
from isecg_archive.outputs.exporting import FORMATS
from isecg_archive.web import create_app

from conftest import FILES, served

SECRET_WORD = "zorblaxian"  # in the internal document's title and text only
SECRET_TITLE = "Zorblaxian Budget Options for the Heads of Agency"
SECRET_EVENT = "Heads of Agency Retreat"
WORDS = (
    "lunar surface operations need power storage thermal control dust mitigation crew"
    " mobility communication relay sample handling regolith excavation oxygen extraction"
).split()
LONG = "Surface Operations Study\n\n" + " ".join(WORDS[(n * 7) % len(WORDS)] for n in range(400))


@pytest.fixture
def private(run, archive_dir: Path, tmp_path: Path) -> dict[str, str]:
    public = tmp_path / "public"
    public.mkdir()
    for name in ("regolith-report.pdf", "gateway-logistics-slides.pdf", "notes.txt"):
        shutil.copy(FILES / name, public)
    (public / "surface-operations.txt").write_text(LONG + "\n", encoding="utf-8")
    added = run("ingest", str(public), "--event", "Lunar Polar Volatiles Workshop",
                "--event-date", "2016-02-10")  # fmt: skip
    assert added.exit_code == 0, added.output
    secret = tmp_path / "secret" / "budget-options.txt"
    secret.parent.mkdir()
    secret.write_text(
        f"{SECRET_TITLE}\n\nThe {SECRET_WORD} options for lunar regolith missions, with the"
        " gateway logistics each one needs.\n",
        encoding="utf-8",
    )
    # A revision of a public document, for the agencies only: its version, which no one else
    # may learn of.
    revised = secret.with_name("surface-operations-revised.txt")
    revised.write_text(LONG + " The budget line follows.\n", "utf-8")
    workshop = ("--event", "Lunar Polar Volatiles Workshop", "--event-date", "2016-02-10")
    internal = run("ingest", str(secret), "--internal", "--agency", "CNSA", *workshop)
    assert run("ingest", str(revised), "--internal").output.startswith("1 added")
    assert internal.exit_code == 0, internal.output
    made = run("event", "add", SECRET_EVENT, "--date", "2027-01-20", "--internal",
               "--place", "Zorblax Castle")  # fmt: skip
    assert made.exit_code == 0, made.output
    hits = json.loads(run("search", SECRET_WORD, "--json").stdout)["hits"]
    (hit,) = hits
    assert hit["internal"] is True  # the command line sees it, and says so
    ids = {
        record["file"]: record["id"]
        for record in (json.loads(p.read_text("utf-8")) for p in archive_dir.rglob("*.meta.json"))
    }
    study = ids["public/surface-operations.txt"]
    revision = ids["surface-operations-revised.txt"]
    record = json.loads(run("show", study, "--json").stdout)["document"]
    assert record["versions"] == [revision]  # the command line sees it
    public_ids = [i for f, i in ids.items() if f.startswith("public/")]
    return {
        "id": hit["id"],
        "revision": revision,
        "event": "heads-of-agency-retreat-2027",
        "public": " ".join(public_ids),
    }


def _urls(app, secret: dict[str, str]) -> list[str]:
    """Every GET route of the app, its parameters filled with the internal things' names, and
    the listing routes with the requests that list, search, count, feed and export."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        values = {"doc_id": secret["id"], "slug": secret["event"], "extension": "bib"}
        if rule.arguments - set(values):
            raise AssertionError(f"a route this walk does not know how to fill: {rule}")
        urls.append(_built(app, rule, values))
    identifier = f"oai:isecg-archive.localhost:{secret['id']}"
    for public in secret["public"].split():  # their pages: versions, more like this...
        urls += [
            f"/documents/{public}",
            f"/api/documents/{public}",
            f"/documents/{public}/cite.json",
        ]
    urls += [
        f"/documents/{secret['id']}/cite.ris",
        f"/documents/{secret['id']}/cite.json",
        f"/api/documents/{secret['id']}",
        f"/documents/{secret['id'][:8]}",
        f"/?q={SECRET_WORD}",
        "/?q=zorblaxan",  # a misspelling: no "did you mean" the internal word
        "/?q=lunar+regolith",
        "/?agency=CNSA",
        f"/api/search?q={SECRET_WORD}",
        "/api/search",
        "/api/search?q=gateway+logistics",
        "/events/lunar-polar-volatiles-workshop-2016",
        f"/events/lunar-polar-volatiles-workshop-2016?q={SECRET_WORD}",
        "/feed.atom",
        "/feed.atom?q=regolith",
        *(f"/export?format={name}" for name in FORMATS),
        f"/export?format=csv&q={SECRET_WORD}",
        "/oai?verb=ListRecords&metadataPrefix=oai_dc",
        "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc",
        "/oai?verb=ListSets",
        f"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier={identifier}",
    ]
    return urls


def _built(app, rule, values: dict[str, str]) -> str:
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def test_internal_material_is_absent_from_every_route_unless_the_viewer_shows_it(
    private, archive_dir, run
):
    app = create_app({"ARCHIVE_DIR": archive_dir})
    urls = _urls(app, private)
    secrets = (private["id"], private["revision"], SECRET_WORD, SECRET_EVENT, "zorblax castle")
    walked = 0
    with served(app) as base:
        answers = {url: fetch(base + url) for url in urls}  # over HTTP, as a browser asks
    for url, (status, body) in answers.items():
        assert status < 500, (url, status)
        # What the request itself says may be said back (a query, an OAI identifier asked for).
        shown = body
        for value in (v for _, v in parse_qsl(urlsplit(url).query)):
            shown = shown.replace(value, "").replace(quote(value), "")
        leaked = [s for s in secrets if s.lower() in shown.lower()]
        assert not leaked, (url, leaked)
        walked += 1
    for url in (f"/documents/{private['id']}", f"/documents/{private['id']}/file",
                f"/api/documents/{private['id']}", f"/events/{private['event']}"):  # fmt: skip
        assert answers[url][0] == 404, url
    # The counts leave it out: four public documents, the workshop's four.
    browse = json.loads(answers["/api/search"][1])
    assert browse["total"] == 4
    assert all(v["value"] != "cnsa" for v in browse["facets"]["agency"])
    event = next(v for v in browse["facets"]["event"])
    assert event["count"] == 4
    assert json.loads(answers[f"/api/search?q={SECRET_WORD}"][1])["total"] == 0
    assert 'code="idDoesNotExist"' in answers[urls[-1]][1]
    # The 12 routes, the public documents' pages (4 x 3), then what lists, counts and feeds:
    # 46 distinct requests.
    assert walked == len(set(urls)) == 46, walked

    # Started to show them, the viewer shows them.
    shown = create_app({"ARCHIVE_DIR": archive_dir, "TESTING": True, "SHOW_INTERNAL": True})
    inside = shown.test_client()
    assert inside.get(f"/api/search?q={SECRET_WORD}").get_json()["total"] == 1
    assert inside.get(f"/documents/{private['id']}").status_code == 200
    assert SECRET_EVENT in inside.get("/events").get_data(as_text=True)


def test_the_command_line_sees_everything_and_marks_what_is_internal(private, run):
    table = run("search", SECRET_WORD).output
    assert f"{SECRET_TITLE} [internal]" in table
    listed = run("events").output
    assert f"{SECRET_EVENT}  [{private['event']}] [internal]" in listed
    assert json.loads(run("event", "show", private["event"], "--json").stdout)["event"]["internal"]
    # Made public, it is in the viewer like any other document.
    assert run("edit", private["id"], "--public").exit_code == 0
    assert json.loads(run("show", private["id"], "--json").stdout)["document"]["internal"] is False
    history = json.loads(run("history", private["id"], "--json").stdout)["history"]
    assert (history[-1]["before"], history[-1]["after"]) == (
        {"internal": True},
        {"internal": False},
    )


def test_similar_documents_are_chosen_among_those_the_viewer_shows(private, archive_dir: Path):
    """A document's similar ones in the viewer are its best public ones, as many as asked:
    the internal ones are left out before choosing, not after (which listed fewer)."""
    everything, viewer = Collection(archive_dir), Collection(archive_dir, show_internal=False)
    slides = next(d for d in viewer.indexed() if d.original_name == "gateway-logistics-slides.pdf")
    # The internal budget options (gateway logistics each mission needs) are the slides' most
    # similar document for those who may see them.
    assert everything.more_like_this(slides, limit=2)[0].id == private["id"]
    shown = viewer.more_like_this(slides, limit=2)
    public = [d.id for d in everything.more_like_this(slides, limit=10) if not d.internal][:2]
    assert [d.id for d in shown] == public
    assert len(shown) == 2 and not any(d.internal for d in shown)

"""An event's own record: a readable file in the archive, made and changed with `event add`
and `event edit`, in the history, kept by a reindex, and shown on the event's page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from isecg_archive.errors import MetadataError
from isecg_archive.storage.records import EventRecord, PartialDate
from isecg_archive.web import create_app

from conftest import ingest_talk, needs_calc

LPV = "lunar-polar-volatiles-workshop-2016"


@pytest.fixture
def talk(run, tmp_path: Path) -> str:
    return ingest_talk(run, tmp_path / "talk", "2016-02-10")


def test_an_event_record_round_trips_through_its_file():
    record = EventRecord(
        "lunar-polar-volatiles-workshop-2016",
        "Lunar Polar Volatiles Workshop",
        PartialDate.parse("2016-02-10/2016-02-12", interval=True),
        "Laurel, MD, USA",
        ("ISECG", "JHU/APL"),
        "Clive Neal",
        "Three days on the poles.\nA second paragraph.",
        ("https://www.globalspaceexploration.org/",),
    )
    data = json.loads(json.dumps(record.to_dict()))
    assert data["date"] == "2016-02-10/2016-02-12"
    assert data["organisers"] == ["ISECG", "JHU/APL"]
    assert EventRecord.from_dict(data) == record
    # A name with a line break and a control character is kept on one line; a description
    # keeps its paragraphs.
    assert EventRecord("x", "Two\nlines\x07").name == "Two lines"
    assert EventRecord("x", "X", description="a\nb").description == "a\nb"
    for bad in ({"name": " "}, {"name": "X", "links": ("javascript:alert(1)",)}):
        with pytest.raises(MetadataError):
            EventRecord("x", **bad)  # type: ignore[arg-type]


def test_event_add_and_edit_write_the_record_the_history_and_the_page(run, talk, archive_dir):
    made = run("event", "edit", LPV, "--place", "Laurel, MD, USA", "--organiser", "ISECG",
               "--organiser", "JHU/APL", "--moderator", "Clive Neal", "--date",
               "2016-02-10/2016-02-12", "--link", "https://www.globalspaceexploration.org/",
               "--description", "Polar volatiles <b>and</b> what to do next.")  # fmt: skip
    assert made.exit_code == 0, made.output
    assert made.output.splitlines()[:3] == [
        "Lunar Polar Volatiles Workshop 2016  [lunar-polar-volatiles-workshop-2016]",
        "  dates: 2016-02-10 to 2016-02-12",
        "  place: Laurel, MD, USA",
    ]
    path = archive_dir / ".events" / f"{LPV}.json"
    kept = json.loads(path.read_text("utf-8"))
    assert {k: kept[k] for k in ("slug", "name", "date", "moderator", "organisers")} == {
        "slug": LPV,
        "name": "Lunar Polar Volatiles Workshop",
        "date": "2016-02-10/2016-02-12",
        "moderator": "Clive Neal",
        "organisers": ["ISECG", "JHU/APL"],
    }
    # An event no document names yet: a record of its own, listed with the others.
    coming = run("event", "add", "ISECG Science Workshop", "--date", "2027-03-02/2027-03-04",
                 "--place", "online", "--json")  # fmt: skip
    assert json.loads(coming.stdout)["event"]["slug"] == "isecg-science-workshop-2027"
    again = run("event", "add", "ISECG Science Workshop", "--date", "2027-03-02")
    assert again.exit_code == 1
    assert again.stderr == (
        "Error: the event isecg-science-workshop-2027 has a record already; change it with"
        " `isecg-archive event edit isecg-science-workshop-2027`\n"
    )
    unknown = run("event", "edit", "no-such-event", "--place", "Paris")
    assert unknown.exit_code == 1
    assert (
        unknown.stderr == "Error: no event 'no-such-event'; list them with `isecg-archive events`\n"
    )

    renamed = run("event", "edit", LPV, "--name", "LPV Workshop", "--clear", "moderator")
    assert renamed.exit_code == 0, renamed.output
    history = json.loads(run("history", LPV, "--json").stdout)["history"]
    assert [(e["action"], e["file"]) for e in history] == [
        ("event", f".events/{LPV}.json"),
        ("event edit", f".events/{LPV}.json"),
    ]
    assert history[1]["before"] == {
        "name": "Lunar Polar Volatiles Workshop",
        "moderator": "Clive Neal",
    }
    assert history[1]["after"] == {"name": "LPV Workshop", "moderator": None}
    assert (
        history[1]["command"]
        == f"isecg-archive event edit {LPV} --name 'LPV Workshop' --clear moderator"
    )

    # A reindex rebuilds the index from the archive, which holds the records.
    assert run("reindex").exit_code == 0
    listed = json.loads(run("events", "--json").stdout)["events"]
    assert [(e["slug"], e["name"], e["documents"], e["place"]) for e in listed] == [
        ("isecg-science-workshop-2027", "ISECG Science Workshop", 0, "online"),
        (LPV, "LPV Workshop", 1, "Laurel, MD, USA"),
    ]

    client = create_app({"ARCHIVE_DIR": archive_dir, "TESTING": True}).test_client()
    page = BeautifulSoup(client.get(f"/events/{LPV}").data, "html.parser")
    assert page.h1.get_text() == "LPV Workshop 2016"
    assert (
        page.select_one(".description p").get_text()
        == "Polar volatiles <b>and</b> what to do next."
    )
    assert [a["href"] for a in page.select(".metadata a[rel]")] == [
        "https://www.globalspaceexploration.org/"
    ]
    text = page.get_text(" ", strip=True)
    assert "Organisers ISECG; JHU/APL" in text and "Moderator" not in text
    coming_page = client.get("/events/isecg-science-workshop-2027")
    assert coming_page.status_code == 200
    assert b"None archived yet" in coming_page.data


def test_a_damaged_event_record_is_named_by_check_and_left_out_of_the_list(run, talk, archive_dir):
    assert run("event", "add", "ISECG Science Workshop", "--date", "2027-03-02").exit_code == 0
    path = archive_dir / ".events" / "isecg-science-workshop-2027.json"
    path.write_text('{"slug": "isecg-science-workshop-2027", "name": ', encoding="utf-8")
    checked = run("check", "--json")
    assert checked.exit_code == 1
    (problem,) = json.loads(checked.stdout)["problems"]
    assert problem["subject"] == ".events/isecg-science-workshop-2027.json"
    assert problem["message"].startswith(f"the event record {path} cannot be read (")
    assert problem["message"].endswith("); fix or restore it from a backup")
    listed = json.loads(run("events", "--json").stdout)["events"]
    assert [event["slug"] for event in listed] == [LPV]


def test_upcoming_and_completed_events_around_a_fixed_day(run, talk, archive_dir, monkeypatch):
    """On 2027-03-03 a workshop of 2027-03-02/04 is under way, so upcoming; the next day it is
    completed. An undated event with only an announcement is upcoming until its summary."""
    from datetime import date

    from isecg_archive import events

    assert (
        run("event", "add", "ISECG Science Workshop", "--date", "2027-03-02/2027-03-04").exit_code
        == 0
    )
    assert run("event", "add", "Mars Workshop", "--date", "2028").exit_code == 0
    announcement = archive_dir.parent / "announcement.txt"
    announcement.write_text("Call for abstracts\n\nThe ISRU workshop will meet soon.\n", "utf-8")
    added = run("ingest", str(announcement), "--type", "news", "--event", "ISRU Workshop")
    assert added.exit_code == 0, added.output

    def statuses(day: date) -> list[tuple[str, str]]:
        monkeypatch.setattr(events, "today", lambda: day)
        listed = json.loads(run("events", "--json").stdout)["events"]
        return [(event["slug"], event["status"]) for event in listed]

    assert statuses(date(2027, 3, 3)) == [
        ("isecg-science-workshop-2027", "upcoming"),
        ("mars-workshop-2028", "upcoming"),
        ("isru-workshop", "upcoming"),
        (LPV, "completed"),
    ]
    assert statuses(date(2027, 3, 5)) == [
        ("mars-workshop-2028", "upcoming"),
        ("isru-workshop", "upcoming"),
        ("isecg-science-workshop-2027", "completed"),
        (LPV, "completed"),
    ]
    assert run("events").output.splitlines() == [
        "Upcoming:",
        "  2028                     0 documents   Mars Workshop  [mars-workshop-2028]",
        "  undated                  1 document    ISRU Workshop  [isru-workshop]",
        "Completed:",
        "  2027-03-02 to 2027-03-04 0 documents   ISECG Science Workshop"
        "  [isecg-science-workshop-2027]",
        f"  2016-02-10               1 document    Lunar Polar Volatiles Workshop  [{LPV}]",
    ]
    # Its summary archived, the ISRU workshop is completed.
    summary = archive_dir.parent / "summary.txt"
    summary.write_text("ISRU Workshop summary\n\nWhat the workshop found on oxygen.\n", "utf-8")
    ingested = run("ingest", str(summary), "--type", "workshop-summary", "--event", "ISRU Workshop")
    assert ingested.exit_code == 0, ingested.output
    assert ("isru-workshop", "completed") in statuses(date(2027, 3, 5))

    client = create_app({"ARCHIVE_DIR": archive_dir, "TESTING": True}).test_client()
    page = BeautifulSoup(client.get("/events").data, "html.parser")
    upcoming = [a.get_text() for a in page.select("#upcoming li a")]
    completed = [a.get_text() for a in page.select("#completed li a")]
    assert upcoming == ["Mars Workshop 2028"]
    assert completed == [
        "ISECG Science Workshop 2027",
        "Lunar Polar Volatiles Workshop 2016",
        "ISRU Workshop",
    ]


AGENDA = """session,day,start,end,title,speakers,documents
Opening,2016-02-10,09:00,,Welcome and goals,"Clive Neal (Notre Dame); Jane Doe (NASA)",
Opening,,09:30,10:30,Prospecting the poles <em>with rovers</em>,Taro Yamada (JAXA),{talk}
Findings,2016-02-11,14:00,15:00,'=What the workshop found,ISECG secretariat,
"""


def test_an_agenda_from_a_sheet_on_the_event_page_and_back(run, talk, archive_dir, tmp_path):
    sheet = tmp_path / "agenda.csv"
    sheet.write_text(AGENDA.format(talk=talk[:8]), encoding="utf-8")
    given = run("event", "agenda", LPV, str(sheet))
    assert given.exit_code == 0, given.output
    assert given.output.splitlines()[3:8] == [
        "  session: Opening (2016-02-10 09:00-10:30)",
        "    09:00 Welcome and goals - Clive Neal (Notre Dame); Jane Doe (NASA)",
        f"    09:30 Prospecting the poles <em>with rovers</em> - Taro Yamada (JAXA) [{talk}]",
        "  session: Findings (2016-02-11 14:00-15:00)",
        "    14:00 =What the workshop found - ISECG secretariat",
    ]
    kept = json.loads((archive_dir / ".events" / f"{LPV}.json").read_text("utf-8"))
    assert kept["agenda"][0]["items"][0]["speakers"] == [
        {"name": "Clive Neal", "affiliation": "Notre Dame"},
        {"name": "Jane Doe", "affiliation": "NASA"},
    ]
    assert kept["agenda"][0]["items"][1]["documents"] == [talk]  # the full id

    # Written out, the sheet is what was given (the formula's guard kept; no quotes where a
    # cell needs none), and it reads back the same.
    exported = run("event", "agenda", LPV, "--export", "-").stdout
    assert exported.replace("\r\n", "\n") == AGENDA.format(talk=talk).replace('"', "")
    sheet.write_text(exported, encoding="utf-8")
    assert run("event", "agenda", LPV, str(sheet)).exit_code == 0
    assert json.loads((archive_dir / ".events" / f"{LPV}.json").read_text("utf-8")) == kept
    # A sheet with problems changes nothing, and says what and where.
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "session,day,start,end,title,speakers,documents\n"
        "Opening,2016-02-10,25:00,,Welcome,,\n"
        "Opening,,09:30,,Talk,,ffffffffffff\n",
        encoding="utf-8",
    )
    refused = run("event", "agenda", LPV, str(bad))
    assert refused.exit_code == 2
    assert refused.stderr.startswith(
        "Error: the agenda was not changed: row 2: cannot read the time '25:00'; write it as"
        " HH:MM (24 hours); row 3: the id 'ffffffffffff' is not in the archive"
    )
    assert json.loads((archive_dir / ".events" / f"{LPV}.json").read_text("utf-8")) == kept

    client = create_app({"ARCHIVE_DIR": archive_dir, "TESTING": True}).test_client()
    page = BeautifulSoup(client.get(f"/events/{LPV}").data, "html.parser")
    sessions = [h3.get_text(" ", strip=True) for h3 in page.select("#agenda h3")]
    assert sessions == ["Opening 2016-02-10 09:00–10:30", "Findings 2016-02-11 14:00–15:00"]
    items = page.select("#agenda li")
    assert [li.select_one(".item-title").get_text() for li in items] == [
        "Welcome and goals",
        "Prospecting the poles <em>with rovers</em>",  # text, not markup
        "=What the workshop found",
    ]
    assert items[1].select_one(".item-title a")["href"] == f"/documents/{talk}"
    assert items[0].select_one(".speakers").get_text() == (
        "Clive Neal (Notre Dame); Jane Doe (NASA)"
    )
    # The talk is on the agenda, so not listed again under the documents.
    assert page.select("section.event-group") == []


def test_the_event_page_has_schema_org_event_data_a_feed_and_exports(
    run, talk, archive_dir, tmp_path
):
    import feedparser

    sheet = tmp_path / "agenda.csv"
    sheet.write_text(AGENDA.format(talk=talk), encoding="utf-8")
    assert run("event", "agenda", LPV, str(sheet)).exit_code == 0
    assert run("event", "edit", LPV, "--organiser", "ISECG", "--place", "Laurel").exit_code == 0
    client = create_app({"ARCHIVE_DIR": archive_dir, "TESTING": True}).test_client()
    page = BeautifulSoup(client.get(f"/events/{LPV}").data, "html.parser")
    (script,) = page.find_all("script", type="application/ld+json")
    item = json.loads(script.string)
    address = f"http://127.0.0.1:8000/events/{LPV}"
    assert {k: item[k] for k in ("@type", "@id", "name", "startDate", "location", "organizer")} == {
        "@type": "Event",
        "@id": address,
        "name": "Lunar Polar Volatiles Workshop 2016",
        "startDate": "2016-02-10",
        "location": {"@type": "Place", "name": "Laurel"},
        "organizer": [{"@type": "Organization", "name": "ISECG"}],
    }
    opening, findings = item["subEvent"]
    assert (opening["name"], opening["startDate"], opening["endDate"]) == (
        "Opening", "2016-02-10T09:00", "2016-02-10T10:30",
    )  # fmt: skip
    talk_event = opening["subEvent"][1]
    assert talk_event["performer"] == [
        {"@type": "Person", "name": "Taro Yamada",
         "affiliation": {"@type": "Organization", "name": "JAXA"}}
    ]  # fmt: skip
    assert talk_event["subjectOf"] == [
        {
            "@type": "PresentationDigitalDocument",
            "name": "Gateway Logistics",
            "url": f"http://127.0.0.1:8000/documents/{talk}",
        }
    ]
    assert item["subjectOf"] == talk_event["subjectOf"]  # the event's documents
    assert "<em>" not in script.string  # nothing in it can end the script

    feed_link = page.find("link", type="application/atom+xml")["href"]
    feed = feedparser.parse(client.get(feed_link).data)
    assert not feed.bozo
    assert [entry.link for entry in feed.entries] == [f"http://127.0.0.1:8000/documents/{talk}"]
    exports = {a.get_text(): a["href"] for a in page.select(".metadata a[href^='/export']")}
    assert sorted(exports) == ["bibtex", "csl-json", "csv", "jsonl", "ris"]
    ris = client.get(exports["ris"])
    assert ris.status_code == 200 and ris.data.count(b"TY  - ") == 1


def test_the_events_sheet_round_trip(run, talk, archive_dir, tmp_path):
    """catalogue export --events: one row per event, those only documents name too; edited,
    it imports as new and changed records, in the history; a sheet with a problem changes
    nothing; what was exported imports with no change."""
    assert run("event", "add", "ISECG Science Workshop", "--date", "2027-03-02").exit_code == 0
    sheet = tmp_path / "events.csv"
    assert run("catalogue", "export", "--events", str(sheet)).output == (
        f"Wrote 2 events to {sheet}\n"
    )
    text = sheet.read_text("utf-8-sig")
    assert text.splitlines() == [
        "slug,name,date,place,organisers,moderator,description,links",
        "isecg-science-workshop-2027,ISECG Science Workshop,2027-03-02,,,,,",
        f"{LPV},Lunar Polar Volatiles Workshop,2016-02-10,,,,,",
    ]
    unchanged = run("catalogue", "import", "--events", str(sheet))
    assert unchanged.output == "2 rows read; 0 events changed\n"

    edited = text.replace(
        f"{LPV},Lunar Polar Volatiles Workshop,2016-02-10,,,,,",
        f'{LPV},Lunar Polar Volatiles Workshop,2016-02-10/2016-02-12,"Laurel, MD",ISECG; APL,'
        '=Neal,"Day one.\nDay two.",',
    )
    edited += ",Gateway Utilisation Workshop,2027-06,,ESA; NASA,,,\n"
    bad = tmp_path / "bad.csv"
    bad.write_text(edited + "no-such-event,X,2016-02-31,,,,,ftp://x\n", encoding="utf-8-sig")
    refused = run("catalogue", "import", "--events", str(bad))
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        "row 5, column date: 2016-02-31 is not a real date (day is out of range for month)",
        "row 5, column slug: no event 'no-such-event'; leave the slug empty for a new event",
        "Error: 2 problems in " + str(bad) + "; nothing was applied. Fix them and import again.",
    ]
    assert not (archive_dir / ".events" / f"{LPV}.json").exists()

    sheet.write_text(edited, encoding="utf-8-sig")
    applied = run("catalogue", "import", "--events", str(sheet), "--json")
    assert json.loads(applied.stdout)["rows"] == 3
    assert [e["slug"] for e in json.loads(applied.stdout)["events"]] == [
        LPV,
        "gateway-utilisation-workshop-2027",
    ]
    shown = json.loads(run("event", "show", LPV, "--json").stdout)["event"]
    assert (shown["last_date"], shown["place"], shown["organisers"], shown["moderator"]) == (
        "2016-02-12", "Laurel, MD", ["ISECG", "APL"], "=Neal",
    )  # fmt: skip
    assert shown["description"] == "Day one.\nDay two."
    actions = [
        (e["action"], e["id"]) for e in json.loads(run("history", "--json").stdout)["history"]
    ]
    assert actions[-2:] == [("event", LPV), ("event", "gateway-utilisation-workshop-2027")]
    # Exported again, the formula-like moderator keeps its guard, and nothing changes.
    run("catalogue", "export", "--events", str(sheet))
    row = f'{LPV},Lunar Polar Volatiles Workshop,2016-02-10/2016-02-12,"Laurel, MD",ISECG; APL,'
    assert row + "'=Neal," in sheet.read_text("utf-8-sig")
    assert (
        run("catalogue", "import", "--events", str(sheet)).output
        == "3 rows read; 0 events changed\n"
    )


@needs_calc
def test_the_events_sheet_opens_in_libreoffice_calc_and_comes_back_unchanged(run, talk, tmp_path):
    from test_curating import _through_calc

    assert run("event", "edit", LPV, "--description", "Day one.\nDay two.", "--organiser",
               "Müller GmbH", "--organiser", "JAXA").exit_code == 0  # fmt: skip
    sheet = tmp_path / "events.csv"
    run("catalogue", "export", "--events", str(sheet))
    saved = _through_calc(sheet)
    assert run("catalogue", "import", "--events", str(saved)).output == (
        "1 rows read; 0 events changed\n"
    )


def test_the_event_page_searches_its_documents_and_shows_each_one_s_pages_with_hits(
    run, talk, archive_dir, tmp_path
):
    sheet = tmp_path / "agenda.csv"
    sheet.write_text(AGENDA.format(talk=talk), encoding="utf-8")
    assert run("event", "agenda", LPV, str(sheet)).exit_code == 0
    pages = json.loads(run("show", talk, "--json").stdout)["pages"]
    with_word = [p["page"] for p in pages if "logistics" in p["text"].lower()]
    assert with_word  # the deck speaks of logistics
    client = create_app({"ARCHIVE_DIR": archive_dir, "TESTING": True}).test_client()
    page = BeautifulSoup(client.get(f"/events/{LPV}?q=logistics").data, "html.parser")
    assert page.select_one("#event-q")["value"] == "logistics"
    assert page.select_one(".hits-summary").get_text(" ", strip=True) == (
        "1 of its 1 document matches logistics : the pages with hits follow each one."
    )
    item = page.select("#agenda li")[1]
    links = [a["href"] for a in item.select(".item-hits a")]
    assert links and all(link.startswith(f"/documents/{talk}/file#page=") for link in links)
    assert {int(link.rsplit("=", 1)[1]) for link in links} <= set(with_word)
    # A word no document has: none match; a query that cannot be read: said, no traceback.
    nothing = BeautifulSoup(client.get(f"/events/{LPV}?q=zarvotel").data, "html.parser")
    assert nothing.select_one(".hits-summary").get_text(" ", strip=True).startswith("0 of its")
    assert nothing.select(".item-hits") == []
    broken = client.get(f"/events/{LPV}?q=%22unbalanced")
    assert broken.status_code == 200 and b"Traceback" not in broken.data

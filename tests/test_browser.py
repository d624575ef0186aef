"""The viewer in a real browser: Debian's Chromium, driven by Playwright.

Screenshots of the search and document pages are saved in $ISECG_SCREENSHOTS when it is set
(`ISECG_SCREENSHOTS=/tmp/shots make test`), to look at; else they are taken and thrown away.
Accessibility is checked with axe-core, run in the page. Without Chromium these tests are
skipped (CI installs it).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from isecg_archive.extract import programs
from isecg_archive.web import create_app

from conftest import DEMO, needs_chromium, served

CHROMIUM = programs.chromium()
ARTIFACTS = Path(os.environ.get("ISECG_SCREENSHOTS") or tempfile.mkdtemp(prefix="isecg-shots-"))
if "ISECG_SCREENSHOTS" not in os.environ:
    atexit.register(shutil.rmtree, ARTIFACTS, True)
pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api")
# Flags for a headless browser on a machine with no network beyond loopback.
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]  # fmt: skip


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo collection served by waitress on a free port of 127.0.0.1."""
    app = create_app({"ARCHIVE_DIR": DEMO, "INDEX_DIR": tmp_path_factory.mktemp("ix")})
    with served(app) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def count(page) -> str:
    return page.locator("p.count").inner_text()


def test_search_facets_pages_and_documents_in_a_real_browser(browser, base_url: str):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 1100})
    page.goto(base_url + "/")
    page.fill("#q", "lunar")
    page.keyboard.press("Enter")  # the form works from the keyboard
    page.wait_for_url("**/?q=lunar")
    assert count(page).startswith("18 documents match")
    first_titles = page.locator("li.hit h3").all_inner_texts()
    page.screenshot(path=ARTIFACTS / "search.png", full_page=True)

    # A facet: the results and every count change; its chip takes it away again.
    nasa = page.locator("#facet-agency a", has_text="NASA")
    assert nasa.locator(".count").inner_text() == "11"
    nasa.click()
    page.wait_for_url("**/?q=lunar&agency=NASA")
    assert count(page) == "11 documents match lunar · page 1 of 2"
    assert page.locator("#facet-agency li.selected .label").inner_text() == "✓ NASA"
    assert page.locator("#facet-type a", has_text="roadmap").locator(".count").inner_text() == "3"
    page.locator(".chips a", has_text="Agency: NASA").click()
    page.wait_for_url("**/?q=lunar")
    assert count(page).startswith("18 documents match")

    # Pages: forward with the link, back with the browser's own button.
    page.locator("a[rel=next]").click()
    page.wait_for_url("**/?q=lunar&page=2")
    assert page.locator("ol.results").get_attribute("start") == "11"
    page.go_back()
    page.wait_for_url("**/?q=lunar")
    assert page.locator("li.hit h3").all_inner_texts() == first_titles

    # A document, then a page link inside it.
    title = first_titles[0]
    page.locator("li.hit h3 a").first.click()
    page.wait_for_url("**/documents/*?q=lunar")
    assert page.locator("h1").inner_text() == title
    page.screenshot(path=ARTIFACTS / "document.png", full_page=True)
    link = page.locator(".hits-summary a").first
    target = link.get_attribute("href")
    link.click()
    assert page.evaluate("location.hash") == target
    assert page.locator(f"{target} mark").count() >= 1

    # A snippet's page link into the original PDF answers with the PDF.
    page.goto(base_url + "/?q=" + "%22basaltic%22+OR+%22polar+volatiles%22")
    href = page.locator("p.snippet a.page").first.get_attribute("href")
    assert href.split("#")[1].startswith("page=")
    response = page.request.get(base_url + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    page.close()


def test_from_a_document_to_its_event_and_a_bibtex_file(browser, base_url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 1100}, accept_downloads=True)
    page.goto(base_url + "/?q=virtual+workshop")
    page.locator("li.hit h3 a", has_text="Lunar Polar Volatiles Virtual Workshop").click()
    page.wait_for_url("**/documents/d0d8f68dba87*")
    citation = page.locator("p.citation").inner_text()
    assert citation.startswith(
        "ISECG. (2020). Lunar Polar Volatiles Virtual Workshop 2020: Summary"
    )
    with page.expect_download() as download:
        page.locator("section.cite a", has_text="BibTeX").click()
    saved = download.value
    assert saved.suggested_filename == "d0d8f68dba87.bib"
    text = Path(saved.path()).read_text("utf-8")
    assert text.startswith("@report{isecg2020lunar-d0d8f6,")
    assert "note = {Lunar Polar Volatiles Virtual Workshop, 2020-10-27}," in text

    page.locator("dd a", has_text="Lunar Polar Volatiles Virtual Workshop").click()
    page.wait_for_url("**/events/lunar-polar-volatiles-virtual-workshop-2020")
    assert page.locator("h1").inner_text() == "Lunar Polar Volatiles Virtual Workshop 2020"
    # The summary first, in a section of its own.
    assert page.locator("section h2").first.inner_text() == "Summary"
    assert page.locator("#summary li a").all_inner_texts() == [
        "Lunar Polar Volatiles Virtual Workshop 2020: Summary"
    ]
    page.screenshot(path=ARTIFACTS / "event.png", full_page=True)
    page.locator("a", has_text="All workshops and events").click()
    page.wait_for_url("**/events")
    assert page.locator("ul.events li").count() == 5
    page.close()


def test_works_without_javascript_on_a_phone_and_prints_cleanly(browser, base_url: str):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base_url + "/?q=gateway")
    page.locator("#facet-type a", has_text="news").click()
    page.wait_for_url("**/?q=gateway&type=news")
    assert page.locator("li.hit").count() == 1
    page.screenshot(path=ARTIFACTS / "phone.png", full_page=True)
    context.close()

    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(base_url + "/?q=gateway")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.emulate_media(media="print")
    assert not page.locator("aside.facets").is_visible()
    assert page.locator("li.hit").first.is_visible()
    page.close()


def test_every_kind_of_page_fits_a_320_pixel_screen(browser, base_url: str):
    """The smallest phones: nothing wider than the screen (long addresses, ids, commands and
    citations wrap), and the page's text in paragraphs with the hits marked."""
    page = browser.new_page(viewport={"width": 320, "height": 640})
    for path in (
        "/?q=gateway", "/documents/365b83ff13ec?q=lunar+polar", "/documents/0a418d9d01cc",
        "/events", "/events/lunar-polar-volatiles-workshop-2016", "/syntax",
    ):  # fmt: skip
        page.goto(base_url + path)
        assert page.evaluate("document.documentElement.scrollWidth") == 320, path
    page.goto(base_url + "/documents/365b83ff13ec?q=lunar+polar")
    first = page.locator("#page-1 .page-text p")
    assert first.all_inner_texts()[:4] == [
        "Lunar Polar Volatiles Workshop: Summary",
        "Workshop held 10-11 February 2016",
        "Published April 2016",
        "The second ISECG workshop on lunar polar volatiles brought together NASA, JAXA and"
        " ISRO scientists with mission planners. NASA presented new neutron spectrometer maps;"
        " JAXA presented a lander concept; ISRO presented results from its lunar orbiter.",
    ]
    assert page.locator("#page-1 mark").all_inner_texts()[:2] == ["Lunar", "Polar"]
    page.screenshot(path=ARTIFACTS / "document-320.png", full_page=True)
    page.close()


def test_back_to_the_results_returns_to_the_exact_search(browser, base_url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 1100})
    page.goto(base_url + "/?q=lunar")
    page.locator("#facet-agency a", has_text="NASA").click()
    page.wait_for_url("**/?q=lunar&agency=NASA")
    page.locator(".sort a", has_text="oldest").click()
    page.wait_for_url("**/?q=lunar&agency=NASA&sort=oldest")
    page.locator("a[rel=next]").click()
    page.wait_for_url("**/?q=lunar&agency=NASA&sort=oldest&page=2")
    results = page.url
    titles = page.locator("li.hit h3").all_inner_texts()
    assert count(page) == "11 documents match lunar · page 2 of 2"

    page.locator("li.hit h3 a").first.click()
    page.wait_for_url("**/documents/*?q=lunar&agency=NASA&sort=oldest&page=2")
    back = page.locator("p.back a")
    assert back.inner_text() == "← Back to the results"
    back.click()
    page.wait_for_url(results)
    assert page.url == results
    assert page.locator("li.hit h3").all_inner_texts() == titles
    assert page.locator("#facet-agency li.selected .label").inner_text() == "✓ NASA"
    assert page.locator(".sort strong").inner_text() == "oldest"

    # A document listed under "More like this" keeps the search too.
    page.locator("li.hit h3 a").first.click()
    page.locator("aside.more a").first.click()
    page.wait_for_url("**/documents/*?q=lunar&agency=NASA&sort=oldest&page=2")
    page.locator("p.back a").click()
    page.wait_for_url(results)
    page.close()


def test_facets_widen_as_well_as_narrow(browser, base_url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 1100})
    page.goto(base_url + "/?q=lunar")

    # A second type adds to the first: 5 reports and 4 workshop summaries.
    page.locator("#facet-type a", has_text="report").click()
    page.wait_for_url("**/?q=lunar&type=report")
    assert count(page) == "5 documents match lunar"
    summaries = page.locator("#facet-type a", has_text="workshop summary")
    assert summaries.locator(".count").inner_text() == "4"
    summaries.click()
    page.wait_for_url("**/?q=lunar&type=report&type=workshop-summary")
    assert count(page) == "9 documents match lunar"
    selected = page.locator("#facet-type li.selected .label").all_inner_texts()
    assert selected == ["✓ report", "✓ workshop summary"]

    # A year narrows; the other years stay there, and another one can be chosen instead.
    page.goto(base_url + "/?q=lunar")
    years = page.locator("#facet-year .histogram .year").all_inner_texts()
    page.locator("#facet-year a", has_text="2020").click()
    page.wait_for_url("**/?q=lunar&since=2020&until=2020")
    assert count(page) == "3 documents match lunar"
    assert page.locator("#facet-year .histogram .year").all_inner_texts() == [
        "✓ 2020" if year == "2020" else year for year in years
    ]
    page.locator("#facet-year a", has_text="2018").click()
    page.wait_for_url("**/?q=lunar&since=2018&until=2018")
    assert count(page) == "2 documents match lunar"
    page.locator("#facet-year a", has_text="2018").click()  # chosen again: removed
    page.wait_for_url("**/?q=lunar")
    assert count(page).startswith("18 documents match")
    page.close()


def test_keyboard_and_phone(browser, base_url: str):
    # The first Tab reaches "Skip to the results", which moves the focus there.
    page = browser.new_page(viewport={"width": 1280, "height": 1100})
    page.goto(base_url + "/?q=lunar")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the results"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "results"
    assert not page.locator(".to-filters").is_visible()  # the filters are beside the results
    page.close()

    # On a phone the filters come after the results, and a link at the top leads to them.
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(base_url + "/?q=lunar&agency=NASA")
    link = page.locator(".to-filters a")
    assert link.inner_text() == "Filters (1 in force)"
    link.click()
    assert page.evaluate("location.hash") == "#filters"
    assert page.locator("#facet-agency h2").is_visible()

    # Every control a thumb aims at (facets, chips, pages, sort, buttons) is 24 px tall at least.
    controls = ".facets a, .facets summary, .chips a, .pagination a, .pagination span, button"
    heights = page.eval_on_selector_all(
        controls, "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert len(heights) > 20 and min(heights) >= 24
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_one_h1_and_no_serious_accessibility_violations(browser, base_url: str, width: int):
    """axe-core (shipped by axe-playwright-python) on the search, document, browse and help
    pages and on an error, wide and narrow."""
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(base_url + "/?q=lunar")
    document = page.locator("li.hit h3 a").first.get_attribute("href")
    pages = ["/?q=lunar&agency=NASA&page=2", document, "/", "/syntax", "/?q=foo:bar", "/nowhere"]
    pages += ["/events", "/events/lunar-polar-volatiles-virtual-workshop-2020"]
    found = {}
    for path in pages:
        page.goto(base_url + path)
        assert page.locator("h1").count() == 1, path
        results = axe.run(page, options={"resultTypes": ["violations"]})
        found[path] = [
            f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
    assert found == {path: [] for path in pages}
    page.close()

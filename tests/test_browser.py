"""The viewer in a real browser: Debian's Chromium, driven by Playwright.

Screenshots of the search and document pages are saved in tests/artifacts/. Without Chromium
these tests are skipped (CI installs it).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from isecg_archive.web import create_app

from conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).parent / "artifacts"
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium found: `apt-get install chromium` to run browser tests"
)
sync_api = pytest.importorskip("playwright.sync_api")
# Flags for a headless browser on a machine with no network beyond loopback.
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]  # fmt: skip


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo collection served by waitress on a free port of 127.0.0.1."""
    from waitress.server import create_server

    app = create_app({"ARCHIVE_DIR": ROOT / "archive", "INDEX_DIR": tmp_path_factory.mktemp("ix")})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def count(page) -> str:
    return page.locator("p.count").inner_text()


def test_search_facets_pages_and_documents_in_a_real_browser(browser, base_url: str):
    ARTIFACTS.mkdir(exist_ok=True)
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

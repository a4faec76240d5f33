"""The exercise sheets' pages in a real browser: the start page's "Exercises for a class"
form (an invalid submit shows the error at its field, a valid one opens the class's
page), the class's sheets and answer key, a network's sheet and key, and "Open a sheet's
network" (the lab opens the student's numbers). Every page passes axe and the Nu HTML
Checker; screenshots at three sizes and in print media go to the artifacts folder."""

from __future__ import annotations

import json
import os
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.support import axe
from tests.support.browser_helpers import new_page, settle
from tests.support.vnu import check_pages, errors, vnu_jar

SIZES = ((390, 844), (1366, 768), (1920, 1080))
PAGES = (
    "start after an invalid class submit",
    "class page",
    "class sheets",
    "class answer key",
    "sheet of a network",
    "answer key of a network",
    "start after a bad sheet code",
)


def served(url: str) -> str:
    with urllib.request.urlopen(url) as r:
        return r.read().decode()


def record(page, served_too: bool = True) -> dict:
    """axe's violations, the DOM as it is now and the page as the server sends it."""
    settle(page, 150)
    sent = served(page.url) if served_too else None
    return {"axe": axe.violations(page), "dom": page.content(), "served": sent}


def fill_class(page, count: str) -> None:
    page.fill("#x-layers", "2, 2, 1")
    page.fill("#x-class_code", "Physics 2B")
    page.fill("#x-count", count)
    page.locator("#classes button.primary").click()


@pytest.fixture(scope="module")
def walk(browser, server_url) -> dict:
    found: dict[str, dict] = {}
    context, page = new_page(browser, 1366, 768)
    page.goto(server_url + "/")
    fill_class(page, "0")
    expect(page.locator("#x-err-count")).to_contain_text("from 1 to 200")
    expect(page.locator("#x-count")).to_have_attribute("aria-invalid", "true")
    found["start after an invalid class submit"] = record(page, served_too=False)
    fill_class(page, "3")
    page.wait_for_url("**/classes/*")
    found["class page"] = record(page)
    codes = page.locator("table.names code").all_text_contents()
    assert len(codes) == 3 and len(set(codes)) == 3
    class_url = page.url
    page.locator("a", has_text="sheets (printable)").click()
    expect(page.locator("h1").first).to_contain_text("student 1")
    found["class sheets"] = record(page)
    found["sheets_url"] = page.url
    page.goto(class_url)
    page.locator("a", has_text="answer key (printable)").click()
    expect(page.locator("h2").first).to_contain_text(codes[0])
    found["class answer key"] = record(page)
    page.goto(server_url + "/")
    page.fill("#sheet-code", codes[1].lower())
    page.locator("#sheet button.primary").click()
    page.wait_for_url("**/n/*")
    nid = page.url.split("/n/")[1].split("?")[0]
    found["nid"] = nid
    page.goto(f"{server_url}/api/networks/{nid}/exercise.html")
    found["sheet of a network"] = record(page)
    page.goto(f"{server_url}/api/networks/{nid}/exercise-key.html")
    found["answer key of a network"] = record(page)
    page.goto(server_url + "/")
    page.fill("#sheet-code", "not-a-code")
    page.locator("#sheet button.primary").click()
    expect(page.locator("#err-sheet")).to_contain_text("not a sheet's code")
    found["start after a bad sheet code"] = record(page, served_too=False)
    found["code"] = codes[1]
    context.close()
    return found


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violations(walk, name):
    found = walk[name]["axe"]
    assert found == [], f"{name}:\n{axe.describe(found)}"


def test_the_nu_checker_finds_no_errors(walk):
    jar = vnu_jar()
    if jar is None:
        if os.environ.get("BACKPROP_LAB_REQUIRE_VNU") == "1":
            pytest.fail("no Nu HTML Checker (vnu.jar and java) and BACKPROP_LAB_REQUIRE_VNU=1")
        pytest.skip("no Nu HTML Checker: npm ci --prefix .ci/node --ignore-scripts")
    pages = {}
    for name in PAGES:
        pages[f"{name} (after its swaps)"] = walk[name]["dom"]
        if walk[name]["served"] is not None:
            pages[f"{name} (as served)"] = walk[name]["served"]
    found = {name: errors(messages) for name, messages in check_pages(pages, jar).items()}
    assert len(found) == len(pages)
    assert {name: e for name, e in found.items() if e} == {}


def test_the_sheet_opens_the_students_network(walk, server_url):
    with urllib.request.urlopen(f"{server_url}/api/networks/{walk['nid']}") as r:
        opened = json.load(r)
    request = urllib.request.Request(
        f"{server_url}/api/sheets/{walk['code']}/network",
        method="POST",
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request) as r:
        again = json.load(r)
    assert opened["weights"] == again["weights"] and opened["inputs"] == again["inputs"]


def test_screenshots(browser, server_url, walk, artifacts):
    """The start page's class form and a student's sheet at three sizes, and the sheet as
    printed (print media, and a PDF as the handout's is made)."""
    for w, h in SIZES:
        context, page = new_page(browser, w, h)
        page.goto(server_url + "/")
        form = page.locator("#classes")
        form.scroll_into_view_if_needed()
        form.screenshot(path=str(artifacts / f"class-form-{w}x{h}.png"))
        box = form.bounding_box()
        assert box is not None and box["width"] <= w  # nothing wider than the screen
        page.goto(walk["sheets_url"])
        page.screenshot(path=str(artifacts / f"class-sheet-{w}x{h}.png"))
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= w + 1, f"the sheet scrolls sideways at {w}x{h}"
        context.close()
    context, page = new_page(browser, 1366, 768)
    page.goto(walk["sheets_url"])
    page.emulate_media(media="print")
    page.screenshot(path=str(artifacts / "class-sheet-print.png"), full_page=True)
    pdf = page.pdf(format="A4", print_background=True)
    (artifacts / "class-sheets.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    context.close()

"""axe-core (WCAG 2.1 A and AA, best practices) and the Nu HTML Checker on every page a
person meets: the start page (and after an invalid builder submit), the lab page idle,
after one Forward, after one Backward, after Update and with the editor open, in
practice mode (its answer boxes, a diagnosed wrong answer, Show me and the score after
Update), the training view after Train and while playing, the help dialog, the 404 page,
the API help page, the lab page in the presenter view, the watch page (plain and
presenting) and the start page listing My networks. Each page is checked as it is after
its swaps (axe in the page; the checker on the serialised DOM) and, for the checker, as
the server sends it. axe must find no violations; the checker no errors. The walk runs
once per module; the checker runs once, on every page."""

from __future__ import annotations

import os
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.support import axe
from tests.support.browser_helpers import new_page, open_preset, settle
from tests.support.vnu import check_pages, errors, vnu_jar

PAGES = (
    "start",
    "start after an invalid builder submit",
    "lab idle",
    "lab after one Forward",
    "lab after one Backward",
    "lab after Update",
    "lab with the editor open",
    "lab in practice mode",
    "practice after a wrong answer",
    "practice after Show me",
    "practice after Update (the score)",
    "training view after Train",
    "training view while playing",
    "help dialog",
    "404 page",
    "API help page",
    "lab in the presenter view",
    "watch page",
    "watch page in the presenter view",
    "start with My networks",
)


CONTROL = "a bad page (the check's own control)"
BAD = (
    "<!doctype html><html lang=en><head><title>x</title></head><body>"
    '<button hx-post="/x">x</button><a aria-pressed="true" href="#">y</a></body></html>'
)


def served(url: str) -> str:
    with urllib.request.urlopen(url) as r:
        return r.read().decode()


def walk_start(page, base: str, found: dict) -> None:
    page.goto(base + "/")
    found["start"] = record(page)
    page.fill("#f-layers", "2, 0, 1")
    page.fill("#f-learning_rate", "fast")
    page.locator("#builder button.big").click()
    expect(page.locator("#builder-errors")).to_be_focused()
    found["start after an invalid builder submit"] = record(page, served_too=False)


def walk_lab(page, base: str, found: dict) -> None:
    open_preset(page, base, "worked-example")
    found["lab idle"] = record(page)
    page.click("#btn-forward")
    expect(page.locator("#phase")).to_contain_text("layer 1")
    found["lab after one Forward"] = record(page)
    page.click("#btn-forward")
    page.click("#btn-backward")
    expect(page.locator("#phase")).to_contain_text("Backward · layer 2")
    found["lab after one Backward"] = record(page)
    page.click("#btn-backward")
    page.click("#btn-update")
    expect(page.locator("#iteration")).to_have_text("1")
    found["lab after Update"] = record(page)
    page.locator('#t-w-1 button[value="w-1-1-1"]').click()
    expect(page.locator("#editor-w-1-1-1")).to_be_focused()
    found["lab with the editor open"] = record(page)
    page.keyboard.press("Escape")
    page.click("[data-help]")
    expect(page.locator("#help")).to_be_visible()
    found["help dialog"] = record(page, served_too=False)
    page.keyboard.press("Escape")


def walk_practice(page, base: str, found: dict) -> None:
    """Practice mode on the worked example: its answer boxes, a diagnosed wrong answer,
    Show me, and the score after Update."""
    open_preset(page, base, "worked-example")
    page.click("#practice-switch button")
    expect(page.locator("#practice")).to_be_visible()
    found["lab in practice mode"] = record(page)
    box = page.locator("#pq-z-1-1-0")
    box.locator("input[name=value]").fill("0.0275")
    box.locator("button.primary").click()
    expect(box.locator(".pr-no")).to_be_visible()
    found["practice after a wrong answer"] = record(page)
    page.locator("#pq-a-1-1-0 button[name=reveal]").click()
    expect(page.locator("#pq-a-1-1-0 .pr-shown")).to_be_visible()
    found["practice after Show me"] = record(page)
    page.click("#btn-step")
    expect(page.locator("#practice-score")).to_contain_text("right first time")
    found["practice after Update (the score)"] = record(page)
    page.click("#practice-switch button")  # off again (the tab remembers the switch)
    expect(page.locator("#practice")).to_have_count(0)


def walk_training(page, base: str, found: dict) -> None:
    open_preset(page, base, "circle-tanh")
    page.click("#tab-train")
    expect(page.locator("#loss-curve")).to_be_visible()
    page.fill("#iterations", "100")
    page.click("#btn-train")
    expect(page.locator("#iteration")).to_have_text("100")
    found["training view after Train"] = record(page)
    page.click("#btn-play")
    expect(page.locator("#btn-pause")).to_be_visible()
    page.wait_for_function("() => Number(document.getElementById('iteration').textContent) > 150")
    found["training view while playing"] = record(page, served_too=False, ms=50)
    page.click("#btn-pause")
    expect(page.locator("#btn-play")).to_be_visible()


def walk_classroom(page, base: str, found: dict) -> None:
    """The presenter view, the watch page (plain and presenting) and My networks."""
    nid = open_preset(page, base, "worked-example")
    page.goto(f"{base}/n/{nid}?present=1")
    found["lab in the presenter view"] = record(page)
    watch = page.locator("#watch-url").input_value()
    page.goto(watch)
    found["watch page"] = record(page)
    page.goto(f"{watch}?present=1")
    found["watch page in the presenter view"] = record(page)
    page.goto(base + "/")
    expect(page.locator(f"#mine-{nid}")).to_contain_text("iteration 0")
    found["start with My networks"] = record(page, served_too=False)


def record(page, served_too: bool = True, ms: int = 300) -> dict:
    """axe's violations and the DOM as it is now, and the page as the server sends it."""
    if ms > 100:
        settle(page, ms)
    return {
        "axe": axe.violations(page),
        "dom": page.content(),
        "served": served(page.url) if served_too else None,
    }


@pytest.fixture(scope="module")
def walk(browser, server_url) -> dict:
    found: dict[str, dict] = {}
    context, page = new_page(browser, 1366, 768)
    walk_start(page, server_url, found)
    walk_lab(page, server_url, found)
    walk_practice(page, server_url, found)
    walk_training(page, server_url, found)
    walk_classroom(page, server_url, found)
    page.goto(server_url + "/n/no-such-network")
    found["404 page"] = record(page, served_too=False)
    page.goto(server_url + "/help/api")
    found["API help page"] = record(page)
    context.close()
    assert set(found) == set(PAGES)
    return found


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violations(walk, name):
    found = walk[name]["axe"]
    assert found == [], f"{name}:\n{axe.describe(found)}"


@pytest.fixture(scope="module")
def checked(walk) -> dict[str, list[dict]]:
    jar = vnu_jar()
    if jar is None:
        if os.environ.get("BACKPROP_LAB_REQUIRE_VNU") == "1":
            pytest.fail("no Nu HTML Checker (vnu.jar and java) and BACKPROP_LAB_REQUIRE_VNU=1")
        pytest.skip("no Nu HTML Checker: npm ci --prefix .ci/node --ignore-scripts")
    pages = {CONTROL: BAD}
    for name, got in walk.items():
        pages[f"{name} (after its swaps)"] = got["dom"]
        if got["served"] is not None:
            pages[f"{name} (as served)"] = got["served"]
    return check_pages(pages, jar)


def test_the_nu_checker_finds_no_errors(checked):
    found = {name: errors(messages) for name, messages in checked.items() if name != CONTROL}
    assert len(found) >= len(PAGES) + 8, sorted(found)
    assert {name: e for name, e in found.items() if e} == {}


def test_the_nu_checker_sees_a_bad_page(checked):
    """The checker, in the same run, reports the kind of errors the pages used to have."""
    messages = errors(checked[CONTROL])
    assert any("hx-post" in m for m in messages) and any("aria-pressed" in m for m in messages)

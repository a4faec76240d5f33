"""Practice mode in a real browser: the values the next click computes are not in the
page (its text or its DOM) until answered or shown; a wrong answer shows its diagnosis,
Show me the worked value; keyboard only works (Enter checks, the single-key shortcuts do
not fire while typing); the switch is kept by the tab; the score appears after Update."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.browser_helpers import api_state, create, new_page, settle

WORKED = {"preset": "worked-example"}


def open_practice(browser, server_url, body=WORKED, focus="n-1-1"):
    context, page = new_page(browser, 1366, 768)
    nid = create(server_url, body)
    page.goto(f"{server_url}/n/{nid}?practice=1&focus={focus}")
    expect(page.locator("#practice")).to_be_visible()
    return context, page, nid


def test_unrevealed_values_are_not_in_the_page_until_answered(browser, server_url):
    context, page, _ = open_practice(browser, server_url)
    assert "0.3775" not in page.content() and "0.5933" not in page.inner_text("body")
    box = page.locator("#pq-z-1-1-0")
    box.locator("input[name=value]").fill("0.3775")
    box.locator("button.primary").click()
    expect(box.locator(".pr-ok")).to_contain_text("Correct")
    assert "0.5933" not in page.content()  # a¹₁: not answered yet
    page.locator("#pq-a-1-1-0 button[name=reveal]").click()
    expect(page.locator("#pq-a-1-1-0 .pr-worked")).to_contain_text("= 0.5933")
    context.close()


def test_a_wrong_answer_shows_its_diagnosis(browser, server_url):
    context, page, nid = open_practice(browser, server_url, focus="n-2-1")
    page.click("#btn-forward")
    settle(page)
    box = page.locator("#pq-z-2-1-0")
    box.locator("input[name=value]").fill("0,9276")  # z¹ put in for a¹
    box.locator("button.primary").click()
    result = box.locator(".pq-result")
    expect(result).to_contain_text("Not quite")
    expect(result).to_contain_text("used z where a was needed")
    expect(result.locator("mark.wrong")).to_have_text("z¹ₖ")
    assert api_state(server_url, nid)["version"] == 2  # created, Forward: the check changed nothing
    context.close()


def test_keyboard_only(browser, server_url):
    context, page, nid = open_practice(browser, server_url)
    field = page.locator("#pq-z-1-1-0-value")
    field.focus()
    page.keyboard.type("0.3775")
    page.keyboard.type("f")  # a shortcut key while typing: no Forward
    page.keyboard.press("Backspace")
    page.keyboard.press("Enter")
    expect(page.locator("#pq-z-1-1-0 .pr-ok")).to_be_visible()
    assert api_state(server_url, nid)["cursor"]["phase"] == "idle"
    page.keyboard.press("Tab")  # on to Check, then Show me, by keyboard
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#pq-z-1-1-0 .pr-worked")).to_contain_text("= 0.3775")
    context.close()


def test_the_tab_keeps_the_switch(browser, server_url):
    context, page = new_page(browser, 1366, 768)
    nid = create(server_url, WORKED)
    page.goto(f"{server_url}/n/{nid}")
    page.click("#practice-switch button")
    expect(page.locator("#practice")).to_be_visible()
    page.goto(f"{server_url}/n/{nid}")  # the address without it
    page.wait_for_url("**practice=1**")
    expect(page.locator("#practice-switch button")).to_have_attribute("aria-pressed", "true")
    context.close()


def test_the_score_appears_after_update(browser, server_url):
    context, page, _ = open_practice(browser, server_url)
    box = page.locator("#pq-z-1-1-0")
    box.locator("input[name=value]").fill("0.3775")
    box.locator("button.primary").click()
    expect(box.locator(".pr-ok")).to_be_visible()
    a = page.locator("#pq-a-1-1-0")
    a.locator("input[name=value]").fill("0.3775")  # z for a
    a.locator("button.primary").click()
    expect(a.locator(".pr-no")).to_be_visible()
    a.locator("input[name=value]").fill("0.5933")
    a.locator("button.primary").click()
    expect(a.locator(".pr-ok")).to_be_visible()
    page.click("#btn-step")
    score = page.locator("#practice-score")
    expect(score).to_have_text(
        "Iteration 1: 1 of 2 right first time; you used z where a was needed in hidden layers."
    )
    records = page.evaluate("() => JSON.parse(sessionStorage.getItem('bpl-practice-checks'))")
    assert [r["correct"] for r in records] == [True, False, True]
    context.close()


def test_an_unreadable_answer_says_what_to_type(browser, server_url):
    context, page, _ = open_practice(browser, server_url)
    box = page.locator("#pq-z-1-1-0")
    box.locator("input[name=value]").fill("twelve")
    box.locator("button.primary").click()
    expect(box.locator(".pq-result [role=alert]")).to_contain_text("'twelve' is not a number")
    context.close()

"""Step clicks in Chromium: the answer morphs only the regions the step changed (the share
panel is the very element it was), what the page then shows is what the page shows when
loaded afresh at the same version, the announcement speaks, and the keyboard focus stays on
a step button (the next allowed one when the pressed one becomes disabled)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.browser_helpers import create, new_page, settle

SHOWN = """() => ({
  tables: document.getElementById('tables').innerText,
  diagram: [...document.querySelectorAll('#net text')].map(t => t.textContent).join('|'),
  equations: document.getElementById('equations').innerText,
  status: document.getElementById('where').innerText,
  loss: document.getElementById('loss').innerText,
  controls: [...document.querySelectorAll('#step-form button')]
    .map(b => b.id + ':' + b.disabled).join(' '),
})"""


def test_step_clicks_morph_the_changed_regions_into_what_a_fresh_page_shows(browser, server_url):
    nid = create(server_url, {"preset": "worked-example"})
    context, page = new_page(browser, 1366, 768)
    page.goto(f"{server_url}/n/{nid}")
    settle(page)
    page.evaluate("() => { document.getElementById('share').kept = 1; }")
    page.focus("#btn-forward")
    for version, key, focused in (
        (2, "f", "btn-forward"),  # forward layer 1: Forward stays allowed
        (3, "f", "btn-backward"),  # forward layer 2 and the loss: Forward is disabled now
        (4, "b", "btn-backward"),
        (5, "b", "btn-update"),
        (6, "u", "btn-forward"),
    ):
        page.keyboard.press(key)
        expect(page.locator("#lab")).to_have_attribute("data-version", str(version))
        settle(page, 100)
        assert page.evaluate("() => document.getElementById('share').kept") == 1
        assert page.evaluate("() => document.activeElement && document.activeElement.id") == (
            focused
        )
        assert page.locator("#announce").inner_text().strip()
        clicked = page.evaluate(SHOWN)
        phase = page.locator("#status").get_attribute("data-phase")
        assert f"phase-{phase}" in page.locator("#lab").get_attribute("class").split()
        fresh = context.new_page()
        fresh.goto(f"{server_url}/n/{nid}")
        settle(fresh, 50)
        assert fresh.evaluate(SHOWN) == clicked, version
        fresh.close()
    context.close()

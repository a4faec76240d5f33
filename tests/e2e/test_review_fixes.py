"""Browser checks of the new-user review fixes: the training toggles leave Play alone,
keyboard focus never drops to <body>, a failed builder submit focuses its error summary,
and diagram values stay inside their circles and the loss box at every text size."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.browser_helpers import api_state, open_preset


def test_log_scale_and_thumbnails_after_pause_do_not_restart_training(page, server_url):
    nid = open_preset(page, server_url, "circle-tanh")
    page.click("#tab-train")
    expect(page.locator("#loss-curve")).to_be_visible()
    page.click("#btn-play")
    expect(page.locator("#btn-pause")).to_be_visible()
    page.wait_for_timeout(400)
    page.click("#btn-pause")
    expect(page.locator("#btn-play")).to_be_visible()
    page.wait_for_timeout(400)  # a refresh still in flight lands now
    stopped = api_state(server_url, nid)["iteration"]
    page.click("#loss-curve button.toggle")  # a toggle button (aria-pressed)
    expect(page.locator("#loss-curve button.toggle")).to_have_attribute("aria-pressed", "true")
    toggle = page.locator("#train-more button.toggle")
    if toggle.count():
        toggle.click()
        expect(page.locator("#train-more button.toggle")).to_have_attribute("aria-pressed", "true")
    page.wait_for_timeout(600)
    expect(page.locator("#btn-play")).to_be_visible()
    assert api_state(server_url, nid)["iteration"] == stopped


def active_id(page) -> str:
    return page.evaluate(
        "document.activeElement && document.activeElement.id || document.activeElement.tagName"
    )


def test_focus_moves_to_the_next_allowed_step_and_back_to_an_edited_cell(page, server_url):
    open_preset(page, server_url, "worked-example")
    for _ in range(2):
        page.locator("#btn-forward").focus()
        page.keyboard.press("Enter")
    expect(page.locator("#btn-backward")).to_be_enabled()
    expect(page.locator("#btn-backward")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#n-2-1 text.delta")).to_be_visible()
    expect(page.locator("#btn-backward")).to_be_focused()
    page.keyboard.press("Enter")  # the second Backward: Backward becomes disabled
    expect(page.locator("#btn-backward")).to_be_disabled()
    expect(page.locator("#btn-update")).to_be_focused()
    cell = page.locator('#t-w-1 button[value="w-1-1-1"]')
    cell.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#editor-w-1-1-1")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#editor-w-1-1-1")).to_have_count(0)
    expect(page.locator('#t-w-1 button[value="w-1-1-1"]')).to_be_focused()


def test_a_failed_builder_submit_focuses_its_error_summary(page, server_url):
    page.goto(server_url + "/")
    page.fill("#f-layers", "2, 0, 1")
    page.fill("#f-learning_rate", "fast")
    page.locator("#builder button.big").click()
    summary = page.locator("#builder-errors")
    expect(summary).to_be_focused()
    expect(summary.locator("a")).to_have_count(2)
    assert summary.evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= innerHeight; }"
    )
    summary.locator("a").first.click()
    expect(page.locator("#f-layers")).to_be_focused()


def inside(page, inner: str, outer: str) -> bool:
    return page.evaluate(
        """([a, b]) => { const r = document.querySelector(a).getBBox(),
             o = document.querySelector(b).getBBox();
           return r.x >= o.x - 0.5 && r.x + r.width <= o.x + o.width + 0.5; }""",
        [inner, outer],
    )


def test_values_stay_in_their_circles_and_the_loss_box_at_any_text_size(page, server_url):
    open_preset(page, server_url, "worked-example")
    page.click("#btn-forward")
    expect(page.locator("#phase")).to_contain_text("layer 1")
    page.click("#btn-forward")
    expect(page.locator("#loss")).to_have_text("0.2984")
    url = page.url.split("?")[0]
    for scale in ("1", "1.6"):
        page.evaluate(f"localStorage.setItem('bpl-scale', '{scale}')")
        page.goto(url + "?digits=9")
        # the page lays the diagram out again for the stored text size: wait for that
        page.wait_for_function(
            "s => Math.abs(parseFloat(document.getElementById('diagram').dataset.scale) - s)"
            " < 0.001",
            arg=float(scale),
        )
        expect(page.locator("#loss")).to_have_text("0.298371109")
        for n in ("n-0-1", "n-1-1", "n-2-1", "n-2-2"):
            assert inside(page, f"#{n} text.main", f"#{n} circle"), (scale, n)
        assert inside(page, "#lossbox text.L", "#lossbox rect"), scale
        box = page.evaluate("document.querySelector('#lossbox rect').getBBox().x")
        for target in page.locator("text.target").all():
            right = target.evaluate("t => t.getBBox().x + t.getBBox().width")
            assert right < box, (scale, right, box)
    page.evaluate("localStorage.setItem('bpl-scale', '1')")

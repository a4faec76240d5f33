"""The worked example walked in a real Chromium against a real server: Forward, Backward,
Update, Undo, a second browser on the same URL, keyboard shortcuts, an invalid edit.
Screenshots go to BACKPROP_LAB_ARTIFACTS (default artifacts/screenshots)."""

from __future__ import annotations

import json
import urllib.request

from playwright.sync_api import expect


def api_state(base: str, nid: str) -> dict:
    with urllib.request.urlopen(f"{base}/api/networks/{nid}") as r:
        return json.load(r)


def main_text(page, l: int, j: int):
    return page.locator(f"#n-{l}-{j} text.main")


def open_worked_example(page, server_url: str) -> str:
    page.goto(server_url + "/")
    page.locator("#preset-worked-example button").click()
    page.wait_for_url("**/n/*")
    expect(page.locator("#btn-forward")).to_be_enabled()
    return page.url.split("/n/")[1].split("?")[0]


def test_walk_the_worked_example(page, browser, server_url, artifacts):
    nid = open_worked_example(page, server_url)
    expect(main_text(page, 0, 1)).to_have_text("0.0500")

    page.click("#btn-forward")
    expect(main_text(page, 1, 1)).to_have_text("0.5933")
    page.click("#btn-forward")
    expect(main_text(page, 2, 1)).to_have_text("0.7514")
    expect(main_text(page, 2, 2)).to_have_text("0.7729")
    expect(page.locator("#loss")).to_have_text("0.2984")
    page.wait_for_timeout(350)  # pulses into layer 2 are on their way
    page.screenshot(path=str(artifacts / "lab-mid-forward.png"))

    page.click("#btn-backward")
    expect(page.locator("#n-2-1 text.delta")).to_have_text("δ 0.1385")
    expect(page.locator("#lbl-e-2-1-1 text.g")).to_have_text("∇ 0.0822")
    page.wait_for_timeout(1200)
    page.screenshot(path=str(artifacts / "lab-mid-backward.png"))
    page.click("#btn-backward")
    expect(page.locator("#n-1-1 text.delta")).to_have_text("δ 0.0088")
    expect(page.locator("#btn-update")).to_be_enabled()

    edge = page.locator("#e-2-1-1")
    width_before = edge.evaluate("e => e.style.strokeWidth")
    page.click("#btn-update")
    expect(page.locator("#lbl-e-2-1-1 text.w")).to_have_text("0.3589")
    expect(page.locator("#iteration")).to_have_text("1")
    assert edge.evaluate("e => e.isConnected"), "morph keeps the edge element"
    assert edge.evaluate("e => e.style.strokeWidth") != width_before
    page.wait_for_timeout(1000)
    page.screenshot(path=str(artifacts / "lab-after-update.png"))

    page.click("#btn-undo")
    expect(page.locator("#lbl-e-2-1-1 text.w")).to_have_text("0.4000")
    expect(page.locator("#iteration")).to_have_text("0")
    assert api_state(server_url, nid)["weights"][1][0][0] == 0.4

    other = browser.new_context(viewport={"width": 1920, "height": 1080})
    second = other.new_page()
    second.goto(page.url)
    expect(second.locator("#n-1-1 text.delta")).to_have_text("δ 0.0088")
    expect(second.locator("#btn-update")).to_be_enabled()
    second.click("#btn-update")
    expect(second.locator("#lbl-e-2-1-1 text.w")).to_have_text("0.3589")
    other.close()
    page.reload()
    expect(page.locator("#lbl-e-2-1-1 text.w")).to_have_text("0.3589")


def test_keyboard_shortcuts_and_focus(page, server_url):
    open_worked_example(page, server_url)
    page.locator("body").press("f")
    expect(main_text(page, 1, 1)).to_have_text("0.5933")
    page.keyboard.press("f")
    expect(main_text(page, 2, 2)).to_have_text("0.7729")
    page.keyboard.press("b")
    expect(page.locator("#n-2-1 text.delta")).to_have_text("δ 0.1385")
    page.keyboard.press("s")  # the rest of the iteration
    expect(page.locator("#iteration")).to_have_text("1")
    page.keyboard.press("z")  # back to just after the first Backward
    expect(page.locator("#iteration")).to_have_text("0")
    page.keyboard.press("u")  # not allowed yet: nothing happens
    expect(page.locator("#btn-update")).to_be_disabled()
    page.keyboard.press("b")
    expect(page.locator("#n-1-1 text.delta")).to_have_text("δ 0.0088")
    page.keyboard.press("u")
    expect(page.locator("#iteration")).to_have_text("1")
    page.keyboard.press("?")
    expect(page.locator("#help")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#help")).to_be_hidden()

    neuron = page.locator("#n-1-2")
    neuron.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#eq-title")).to_have_text("Neuron 2 of layer 1 (hidden)")
    assert "focus=n-1-2" in page.url
    expect(page.locator("#equations math:visible").first).to_be_visible()


def test_invalid_edit_shows_its_error_and_changes_nothing(page, server_url):
    nid = open_worked_example(page, server_url)
    before = api_state(server_url, nid)
    page.locator('#t-w-1 button[value="w-1-1-1"]').click()
    editor = page.locator("#editor-w-1-1-1")
    expect(editor).to_be_focused()
    editor.fill("1e9")
    editor.press("Enter")
    expect(page.locator("#edit-error")).to_contain_text("1e+06")
    expect(page.locator("#editor-w-1-1-1")).to_have_value("1e9")
    after = api_state(server_url, nid)
    assert (after["version"], after["weights"]) == (before["version"], before["weights"])

    page.locator("#editor-w-1-1-1").fill("0.5")
    page.locator("#editor-w-1-1-1").press("Enter")
    expect(page.locator('#t-w-1 button[value="w-1-1-1"]')).to_have_text("0.5000")
    assert api_state(server_url, nid)["weights"][0][0][0] == 0.5


def test_out_of_order_message_in_page(page, server_url):
    nid = open_worked_example(page, server_url)
    page.evaluate("document.getElementById('btn-update').disabled = false")
    page.click("#btn-update")
    expect(page.locator("#message")).to_contain_text("forward")
    assert api_state(server_url, nid)["iteration"] == 0


def test_reduced_motion_hides_pulses_but_keeps_values(browser, server_url):
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    open_worked_example(page, server_url)
    page.click("#btn-forward")
    expect(main_text(page, 1, 1)).to_have_text("0.5933")
    assert page.locator(".pulses").evaluate("g => getComputedStyle(g).display") == "none"
    fresh = page.locator("#n-1-1 text.main")
    assert fresh.evaluate("t => getComputedStyle(t).animationName") == "none"
    context.close()


def test_builder_follows_the_layers_and_shows_errors(page, server_url):
    page.goto(server_url + "/")
    page.fill("input[name=layers]", "2, 4, 4, 1")
    page.locator("input[name=layers]").press("Tab")
    expect(page.locator("select[name=act3]")).to_be_visible()
    page.select_option("select[name=act3]", "linear")
    page.click("#builder button.primary")
    expect(page.locator("#err-act3")).to_contain_text("sigmoid")
    expect(page.locator("input[name=layers]")).to_have_value("2, 4, 4, 1")
    page.select_option("select[name=act3]", "sigmoid")
    page.click("#builder button.primary")
    page.wait_for_url("**/n/*")
    expect(page.locator("#n-3-1")).to_be_visible()

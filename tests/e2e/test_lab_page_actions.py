"""Doing things on the lab page, by keyboard, mouse and touch, at 1366×768 unless said:
Play never contradicts itself, the diagnostics agree with their table, an edit mid-pass
says what it did, the editor replaces its value, the exports and the 404 page, the CSV
upload, what a screen reader hears, the shortcuts' off switch, the symbols' explanations,
focus against selection, the footer."""

from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import expect

from tests.support.browser_helpers import (
    api_post,
    api_state,
    create,
    new_page,
    open_preset,
    rect,
    settle,
)

LAPTOP = (1366, 768)


def lab_at(browser, base: str, nid: str, query: str = "", size=LAPTOP, touch=False):
    context, page = new_page(browser, *size, touch=touch)
    page.goto(f"{base}/n/{nid}{query}")
    settle(page)
    return context, page


def number(text: str) -> str:
    found = re.search(r"−?\d+\.\d+", text)
    assert found, text
    return found.group(0)


# ---- 4. Play ------------------------------------------------------------------------------------
def test_during_and_after_play_the_status_never_contradicts_itself(browser, server_url):
    nid = create(server_url, {"preset": "circle-tanh"})
    context, page = lab_at(browser, server_url, nid, "?mode=train")
    page.click("#btn-play")
    page.wait_for_function("() => Number(document.getElementById('iteration').textContent) >= 150")
    expect(page.locator("#phase")).to_have_text("Playing")
    where = page.locator("#where").inner_text()
    assert "Playing" in where and "Ready" not in where and "no per-layer values" in where
    expect(page.locator("#diagram-note")).to_contain_text("no per-layer values")
    for button in ("forward", "backward", "update", "step", "undo", "reset", "train"):
        expect(page.locator(f"#btn-{button}")).to_be_disabled()
    page.wait_for_timeout(300)
    chip, box = page.locator("#loss").inner_text(), page.locator("#lossbox text.L").text_content()
    assert abs(float(number(chip)) - float(number(box))) < 0.02  # one loss, not "L —"
    page.click("#btn-pause")
    expect(page.locator("#btn-play")).to_be_visible()
    settle(page, 600)
    stopped = api_state(server_url, nid)
    loss = stopped["loss_history"][-1]
    chip = page.locator("#loss").locator("xpath=..").inner_text()
    box = " ".join(page.locator("#lossbox text").all_text_contents())
    assert number(chip) == number(box) == f"{loss[1]:.4f}"
    assert f"(iteration {loss[0]})" in chip and f"of iteration {loss[0]}" in box
    expect(page.locator("#phase")).to_have_text("Idle")
    assert f"iteration {loss[0]}'s" in page.locator("#where").inner_text()
    expect(page.locator("#btn-forward")).to_be_enabled()
    context.close()


# ---- 5. the diagnostics agree with their table --------------------------------------------------
def saturated(page) -> dict[str, str]:
    rows = page.locator("#diagnostics tbody tr").all()
    return {
        r.locator("th").inner_text().split(" ·")[0]: r.locator("td").nth(2).inner_text()
        for r in rows
    }


def test_the_diagnostics_text_agrees_with_its_table(browser, server_url):
    nid = create(server_url, {"preset": "circle-tanh", "init": "normal", "init_scale": 10})
    api_post(server_url, nid, "train", {"iterations": 30})
    context, page = lab_at(browser, server_url, nid, "?mode=train")
    shares = saturated(page)
    hints = page.locator("#hints li.saturated").all_inner_texts()
    assert hints, "layer 2's units are saturated (89 % of them)"
    for hint in hints:
        share, layer = re.search(r"(\d+)% of hidden layer (\d+)", hint).groups()
        assert shares[layer] == f"{share}%"  # the same number in the table and the text
        assert int(share) > 80
    calm = create(server_url, {"preset": "circle-tanh"})
    api_post(server_url, calm, "train", {"iterations": 300})
    page.goto(f"{server_url}/n/{calm}?mode=train")
    settle(page)
    clear = page.locator("#hints li.ok").inner_text()
    assert "few" not in clear and "more than 80%" in clear
    hidden = {k: v for k, v in saturated(page).items() if k != "3"}
    assert all(int(v.rstrip("%")) <= 80 for v in hidden.values()), hidden
    context.close()


# ---- 6. an edit mid-pass; the update that runs next ---------------------------------------------
def test_an_edit_mid_pass_says_what_it_discarded_and_undo_brings_it_back(browser, server_url):
    nid = create(server_url, {"preset": "worked-example"})
    for action in ("forward", "forward", "backward"):
        api_post(server_url, nid, action)
    context, page = lab_at(browser, server_url, nid)
    page.locator('#t-w-1 button[value="w-1-1-1"]').click()
    expect(page.locator("#editor-w-1-1-1")).to_be_focused()
    page.keyboard.type("0.2")
    page.keyboard.press("Enter")
    message = page.locator("#message")
    expect(message).to_contain_text("w¹₁₁ is now 0.2000 (was 0.1500)")
    expect(message).to_contain_text("backward pass in progress (at layer 2) was discarded")
    expect(message).to_contain_text("Undo brings back the pass")
    expect(page.locator("#phase")).to_have_text("Idle")
    page.click("#btn-undo")
    expect(page.locator("#phase")).to_have_text("Backward · layer 2")
    page.click("#btn-backward")
    page.locator("#link-e-2-1-1").click()
    expect(page.locator("#eq-title")).to_contain_text("Weight w²₁₁")
    pending = page.locator(".eq-group").filter(has_text="Update (runs next").locator("math").first
    spoken = pending.get_attribute("alttext")
    assert spoken.endswith("equals 0.3589")  # the value Update will make: 0.40 − 0.5·0.0822
    page.click("#btn-update")
    expect(page.locator("#iteration")).to_have_text("1")
    assert round(api_state(server_url, nid)["weights"][1][0][0], 4) == 0.3589
    context.close()


# ---- 7. the weight editor replaces its value ----------------------------------------------------
def test_the_editor_opens_with_its_value_selected_so_typing_replaces_it(browser, server_url):
    nid = create(server_url, {"preset": "worked-example"})
    context, page = lab_at(browser, server_url, nid)
    for open_it in ("mouse", "keyboard"):
        cell = page.locator('#t-w-2 button[value="w-2-1-1"]')
        if open_it == "mouse":
            cell.click()
        else:
            cell.focus()
            page.keyboard.press("Enter")
        editor = page.locator("#editor-w-2-1-1")
        expect(editor).to_be_focused()
        selected = editor.evaluate("e => e.value.slice(e.selectionStart, e.selectionEnd)")
        assert selected == editor.input_value() != ""
        value = "0.2" if open_it == "mouse" else "0.25"
        page.keyboard.type(value)  # real keys, not fill()
        page.keyboard.press("Enter")
        expect(page.locator('#t-w-2 button[value="w-2-1-1"]')).to_contain_text(
            f"{float(value):.4f}"
        )
        assert api_state(server_url, nid)["weights"][1][0][0] == float(value)
    context.close()


# ---- 9, 10, 11: the trace CSV, the 404 page, a CSV upload ---------------------------------------
def test_the_trace_csv_numbers_everything_from_1_in_its_own_column(page, server_url, tmp_path):
    nid = open_preset(page, server_url, "seed-xor")
    page.click("#btn-step")
    expect(page.locator("#iteration")).to_have_text("1")
    with page.expect_download() as download:
        page.locator("footer a", has_text="trace (CSV)").click()
    path = tmp_path / "trace.csv"
    download.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert list(rows[0]) == ["layer", "j", "k", "sample", "quantity", "value"]
    samples = {int(r["sample"]) for r in rows if r["sample"]}
    assert samples == set(range(1, len(api_state(server_url, nid)["inputs"]) + 1))
    weights = [r for r in rows if r["quantity"] == "grad_weights"]
    assert weights and all(r["j"].isdigit() and r["k"].isdigit() for r in weights)


def test_the_404_page_speaks_to_people(page, server_url):
    page.goto(server_url + "/n/not-a-network")
    expect(page.locator("h1")).to_have_text("No network here")
    text = page.locator("main").inner_text()
    assert "POST" not in text and "/api" not in text
    page.get_by_role("link", name="Go to the start page").click()
    expect(page.locator("#presets")).to_be_visible()


def test_choosing_a_csv_file_empties_the_text_box(page, server_url, tmp_path):
    path = tmp_path / "ring.csv"
    path.write_text("a,b,y\n0,0,1\n1,1,0\n")
    page.goto(server_url + "/")
    assert page.locator("#f-csv").input_value() != ""  # the XOR example, by default
    page.set_input_files("input[name=csv_file]", str(path))
    expect(page.locator("#f-csv")).to_have_value("")
    assert "ring.csv" in page.locator("#f-csv").get_attribute("placeholder")
    expect(page.locator("input[name=data][value=csv]")).to_be_checked()


# ---- what a screen reader hears -----------------------------------------------------------------
def test_each_action_announces_what_it_did_with_its_numbers(browser, server_url):
    nid = create(server_url, {"preset": "worked-example"})
    context, page = lab_at(browser, server_url, nid)
    said = page.locator("#announce")
    page.click("#btn-forward")
    expect(said).to_have_text("Forward, layer 1: a¹ = 0.5933, 0.5969.")
    page.click("#btn-forward")
    expect(said).to_have_text("Forward, layer 2: ŷ = 0.7514, 0.7729; loss L 0.2984.")
    page.click("#btn-backward")
    expect(said).to_contain_text("Backward, layer 2: δ² = 0.1385, −0.0381")
    page.click("#btn-undo")
    expect(said).to_have_text("Undone: back to iteration 0, forward pass at layer 2.")
    page.locator("#n-1-2").click()
    expect(said).to_contain_text("Equations of neuron 2 of layer 1 (hidden): b = 0.3500")
    page.locator('#t-w-1 button[value="w-1-1-1"]').click()
    expect(page.locator("#editor-w-1-1-1")).to_be_focused()
    page.keyboard.press("Escape")
    expect(said).to_have_text("Editing cancelled: w¹₁₁ stays 0.1500.")
    page.click("#btn-step")
    expect(said).to_contain_text("Update: iteration 1 complete")
    expect(said).to_contain_text("The loss was 0.2984; the next Forward computes the new one")
    assert page.locator("[role=status]#announce").count() == 1
    maths = page.locator("#equations math").all()
    assert maths and all((m.get_attribute("alttext") or "").strip() for m in maths)
    page.click("#tab-train")
    expect(page.locator("#btn-gradcheck")).to_be_visible()
    region = page.locator("#gradcheck").element_handle()
    page.click("#btn-gradcheck")
    expect(page.locator("#gradcheck")).to_contain_text("Pass")
    assert region.evaluate("e => e.isConnected && e.getAttribute('role') === 'status'")
    context.close()


# ---- shortcuts ----------------------------------------------------------------------------------
def test_shortcuts_can_be_turned_off_and_never_act_in_the_tables(browser, server_url):
    nid = create(server_url, {"preset": "worked-example"})
    api_post(server_url, nid, "forward")
    context, page = lab_at(browser, server_url, nid)
    page.locator('#t-w-1 button[value="w-1-1-1"]').focus()
    page.keyboard.press("z")  # focus on a table cell: no Undo
    page.wait_for_timeout(400)
    assert api_state(server_url, nid)["cursor"]["phase"] == "forward"
    page.locator("body").click(position={"x": 5, "y": 300})
    page.click("[data-help]")
    page.locator("#keys-on").uncheck()
    page.keyboard.press("Escape")
    page.keyboard.press("f")
    page.wait_for_timeout(400)
    assert api_state(server_url, nid)["cursor"]["layer"] == 1  # off: nothing happened
    assert page.locator("#btn-forward").get_attribute("aria-keyshortcuts") is None
    expect(page.locator("#btn-forward kbd")).to_be_hidden()
    page.reload()
    settle(page)
    page.keyboard.press("f")
    page.wait_for_timeout(400)
    assert api_state(server_url, nid)["cursor"]["layer"] == 1  # remembered
    page.click("[data-help]")
    page.locator("#keys-on").check()
    page.keyboard.press("Escape")
    page.keyboard.press("f")
    expect(page.locator("#phase")).to_contain_text("layer 2")
    context.close()


# ---- symbols explain themselves -----------------------------------------------------------------
def test_every_symbol_explains_itself_on_hover_focus_and_tap(browser, server_url):
    nid = create(server_url, {"preset": "worked-example"})
    api_post(server_url, nid, "forward", {"all": True})
    api_post(server_url, nid, "backward")
    context, page = lab_at(browser, server_url, nid)
    shown = {
        page.locator(f"button.term[data-term={k}]").count()
        for k in ("z", "a", "fprime", "delta", "dLdw", "dLdb", "eta", "ell", "L")
    }
    assert 0 not in shown  # every one of them is on the page
    tip = page.locator("#tip")
    page.locator(".facts button.term[data-term=delta]").hover()
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("the error term for a neuron: δ = ∂ℓ/∂z")
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    page.mouse.move(0, 0)
    page.locator("#lr-form button.term").focus()
    expect(tip).to_contain_text("η, the learning rate")
    below = rect(page, "#tip")["top"] >= rect(page, "#lr-form button.term")["bottom"]
    assert below
    context.close()
    context, page = lab_at(browser, server_url, nid, size=(390, 844), touch=True)
    page.locator(".facts button.term[data-term=z]").tap()
    expect(page.locator("#tip")).to_contain_text("z, the weighted input")
    context.close()


# ---- focus and selection ------------------------------------------------------------------------
def test_keyboard_focus_on_a_neuron_is_distinct_from_the_selected_neuron(browser, server_url):
    nid = create(server_url, {"preset": "worked-example"})
    api_post(server_url, nid, "forward")
    context, page = lab_at(browser, server_url, nid)
    expect(page.locator("#n-1-1")).to_have_attribute("aria-current", "true")
    page.locator("#n-1-1").focus()
    page.keyboard.press("Tab")  # to the next neuron, by keyboard
    expect(page.locator("#n-1-2")).to_be_focused()

    def ring(n: str) -> str:
        return page.locator(f"#{n} .ring").evaluate("e => getComputedStyle(e).stroke")

    def disc(n: str) -> tuple:
        return page.locator(f"#{n} .disc").evaluate(
            "e => [getComputedStyle(e).fill, getComputedStyle(e).strokeWidth]"
        )

    assert ring("n-1-2") == "rgb(27, 33, 48)" and ring("n-1-1") == "none"  # focus: a ring
    assert disc("n-1-1") != disc("n-1-2")  # selected: a thick dark circle on a tint
    assert page.locator("#n-1-2").get_attribute("aria-current") is None
    assert page.locator("a[aria-pressed]").count() == 0  # toggles are buttons
    context.close()


# ---- the footer ---------------------------------------------------------------------------------
def test_the_footer_links_to_the_api_documentation_its_summary_and_the_exports(page, server_url):
    nid = open_preset(page, server_url, "worked-example")
    footer = page.locator("footer")
    hrefs = [a.get_attribute("href") for a in footer.locator("a").all()]
    assert "/docs" in hrefs and "/help/api" in hrefs
    exports = ("export", "trace", "trace.csv", "worked-example.md", "exercise.html")
    for export in (*exports, "exercise-key.html"):
        assert f"/api/networks/{nid}/{export}" in hrefs
    footer.get_by_role("link", name="The JSON API in short").click()
    expect(page.locator("h1")).to_have_text("The JSON API in short")
    create_route = page.locator("a", has_text="/api/networks").first
    assert create_route.get_attribute("href").startswith("/docs#/api/")
    create_route.click()
    expect(page.locator(".swagger-ui")).to_be_visible()

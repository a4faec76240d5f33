"""The training view in a real Chromium against a real server: Play then Pause, the
decision boundary changing as it trains, an uploaded CSV that trains, an exported network
that imports back identical. Screenshots go to BACKPROP_LAB_ARTIFACTS."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.browser_helpers import api_post, api_state, create, new_page, open_preset, settle
from tests.support.networks import PLAYED


def open_training_view(page, server_url: str, preset: str) -> str:
    nid = open_preset(page, server_url, preset)
    page.click("#tab-train")
    expect(page.locator("#loss-curve")).to_be_visible()
    return nid


def iteration(page) -> int:
    return int(page.locator("#iteration").text_content())


def curve_points(page) -> int:
    line = page.locator("#curve-train")
    return len(line.get_attribute("points").split()) if line.count() else 0


def test_play_then_pause(page, server_url, artifacts):
    nid = open_training_view(page, server_url, "circle-tanh")
    src = page.locator("#bd-img").get_attribute("src")
    page.click("#btn-play")
    expect(page.locator("#btn-pause")).to_be_visible()
    page.wait_for_function("() => Number(document.getElementById('iteration').textContent) >= 150")
    first, points = iteration(page), curve_points(page)
    page.wait_for_function(
        f"() => Number(document.getElementById('iteration').textContent) > {first}"
    )
    assert curve_points(page) >= points > 0
    page.screenshot(path=str(artifacts / "training-circle-tanh.png"))
    assert page.locator("#bd-img").get_attribute("src") != src, "the boundary is redrawn"
    page.keyboard.press("p")  # pause by keyboard
    expect(page.locator("#btn-play")).to_be_visible()
    page.wait_for_timeout(500)  # a refresh already in flight may still land
    stopped = iteration(page)
    page.wait_for_timeout(700)
    assert iteration(page) == stopped == api_state(server_url, nid)["iteration"]
    expect(page.locator("#btn-forward")).to_be_enabled()  # stepable from idle
    page.click("#btn-step")
    expect(page.locator("#iteration")).to_have_text(str(stopped + 1))


def test_the_boundary_appears_and_changes_after_training(page, server_url, artifacts):
    open_training_view(page, server_url, "gauss-softmax")
    image = page.locator("#bd-img")
    expect(image).to_be_visible()
    assert image.evaluate("i => i.complete && i.naturalWidth") == 48
    before = image.get_attribute("src")
    page.fill("#iterations", "200")
    page.click("#btn-train")
    expect(page.locator("#iteration")).to_have_text("200")
    assert image.get_attribute("src") != before
    expect(page.locator("#curve-train")).to_be_visible()
    page.screenshot(path=str(artifacts / "training-gauss-softmax.png"))


def test_sine_regression_curve(browser, server_url, artifacts):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    open_training_view(page, server_url, "sine-regression")
    before = page.locator("#fit-line").get_attribute("points")
    page.click("#btn-play")
    page.wait_for_function("() => Number(document.getElementById('iteration').textContent) >= 300")
    page.click("#btn-pause")
    assert page.locator("#fit-line").get_attribute("points") != before
    page.screenshot(path=str(artifacts / "training-sine-regression.png"))
    context.close()


RELU = {**PLAYED, "activations": ["relu", "relu", "sigmoid"]}  # a "dead" column


def test_the_diagnostics_table_fits_its_panel(browser, server_url):
    """Every column of "Why isn't it learning?" (the output row's note, the relu layers'
    dead units) shows inside its panel: on a projector it is the narrow third column."""
    nid = create(server_url, RELU)
    api_post(server_url, nid, "train", {"iterations": 300})
    for width, height in ((1920, 1080), (1366, 768), (390, 844)):
        context, page = new_page(browser, width, height)
        page.goto(f"{server_url}/n/{nid}?mode=train")
        settle(page)
        expect(page.locator("#diagnostics table")).to_be_visible()
        sizes = page.locator("#diagnostics").evaluate("s => [s.scrollWidth, s.clientWidth]")
        assert sizes[0] <= sizes[1], (width, sizes)
        context.close()


def test_an_uploaded_csv_trains(page, server_url, tmp_path):
    rows = ["a,b,label"] + [
        f"{x / 10},{y / 10},{'in' if x * x + y * y < 30 else 'out'}"
        for x in range(-5, 6)
        for y in range(-5, 6)
    ]
    path = tmp_path / "ring.csv"
    path.write_text("\n".join(rows) + "\n")
    page.goto(server_url + "/")
    page.fill("input[name=layers]", "2, 6, 2")
    page.locator("input[name=layers]").press("Tab")
    expect(page.locator("select[name=act2]")).to_be_visible()
    page.select_option("select[name=act1]", "tanh")
    page.select_option("select[name=act2]", "softmax")
    page.select_option("select[name=loss]", "cce")
    page.check("input[name=data][value=csv]")
    page.set_input_files("input[name=csv_file]", str(path))
    page.fill("input[name=csv_label]", "label")
    page.click("#builder button.primary")
    page.wait_for_url("**/n/*")
    nid = page.url.split("/n/")[1].split("?")[0]
    state = api_state(server_url, nid)
    assert len(state["inputs"]) == 121 and state["targets"][0] == [0, 1]
    page.click("#tab-train")
    expect(page.locator("#loss-curve")).to_be_visible()  # the training view has arrived
    page.fill("#iterations", "300")
    page.click("#btn-train")
    expect(page.locator("#iteration")).to_have_text("300")
    history = api_state(server_url, nid)["loss_history"]
    assert history[-1][1] < history[0][1]
    expect(page.locator("#bd-img")).to_be_visible()


def test_an_exported_network_imports_back_identical(page, server_url, tmp_path):
    nid = open_training_view(page, server_url, "circle-tanh")
    page.fill("#iterations", "40")
    page.click("#btn-train")
    expect(page.locator("#iteration")).to_have_text("40")
    with page.expect_download() as download:
        page.click("text=Network (JSON)")
    path = tmp_path / "network.json"
    download.value.save_as(path)
    page.goto(server_url + "/")
    page.set_input_files("input[name=network]", str(path))
    page.click("#import button")
    page.wait_for_url("**/n/*")
    copy = page.url.split("/n/")[1].split("?")[0]
    assert copy != nid
    a, b = api_state(server_url, nid), api_state(server_url, copy)
    for key in (
        "layers",
        "activations",
        "loss",
        "learning_rate",
        "optimizer",
        "weights",
        "biases",
        "inputs",
        "targets",
    ):
        assert a[key] == b[key], key

    page.goto(server_url + "/")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    page.set_input_files("input[name=network]", str(bad))
    page.click("#import button")
    expect(page.locator("#err-import")).to_contain_text("not JSON")

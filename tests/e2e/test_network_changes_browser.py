"""The training view past TensorFlow Playground in a real Chromium against a real server:
a neuron added from the diagram appears with the other weights unchanged, x₁² switched on
changes the boundary after training, a kept run's ghost under the loss curve, and Play
stopping by itself at the stop condition."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.browser_helpers import api_state, create, open_preset, settle

CIRCLE = {
    "layers": [2, 2, 1],
    "activations": ["tanh", "sigmoid"],
    "loss": "bce",
    "learning_rate": 0.03,
    "optimizer": "adam",
    "seed": 2,
    "dataset": "circle",
}


def train(page, iterations: int) -> None:
    """Train from the page's Train form and wait for the iteration count."""
    page.fill("#iterations", str(iterations))
    page.click("#btn-train")
    expect(page.locator("#iteration")).to_have_text(str(iterations))


def test_add_a_neuron_from_the_diagram(page, server_url, artifacts):
    nid = open_preset(page, server_url, "circle-tanh")
    before = api_state(server_url, nid)
    expect(page.locator("#n-1-7")).to_have_count(0)
    page.get_by_role("button", name="Add a neuron to layer 1").click()
    expect(page.locator("#n-1-7")).to_be_visible()
    expect(page.locator("#message")).to_contain_text("kept")
    after = api_state(server_url, nid)
    assert after["layers"][1] == before["layers"][1] + 1
    assert after["weights"][0][:6] == before["weights"][0]  # W¹'s old rows, exactly
    assert [row[:6] for row in after["weights"][1]] == before["weights"][1]
    assert after["weights"][2:] == before["weights"][2:]
    page.screenshot(path=str(artifacts / "network-neuron-added.png"))


def test_switch_x1_squared_on_and_the_boundary_changes(page, server_url, artifacts):
    nid = create(server_url, CIRCLE)
    page.goto(f"{server_url}/n/{nid}?mode=train")
    settle(page)  # htmx is ready: Play polls instead of reloading the page
    train(page, 300)
    plain = page.locator("#bd-img").get_attribute("src")
    page.click("#btn-reset")
    expect(page.locator("#iteration")).to_have_text("0")
    page.check("#feat-3")  # x₁²
    page.check("#feat-4")  # x₂²
    page.click("#btn-features")
    expect(page.locator("#n-0-3 text.x:not(.main)")).to_have_text("x₁²")
    train(page, 300)
    squared = page.locator("#bd-img").get_attribute("src")
    assert squared != plain
    state = api_state(server_url, nid)
    assert state["features"] == ["x1", "x2", "x1^2", "x2^2"]
    accuracy = state["accuracy_history"][-1][1]
    assert accuracy >= 0.95  # a circle is easy with the squares
    page.screenshot(path=str(artifacts / "network-features-circle.png"))


def test_keep_a_run_and_see_its_ghost_on_the_loss_curve(page, server_url, artifacts):
    nid = create(server_url, CIRCLE)
    page.goto(f"{server_url}/n/{nid}?mode=train")
    settle(page)  # htmx is ready: Play polls instead of reloading the page
    train(page, 150)
    page.click("#btn-keep")
    expect(page.locator("#curve-ghost-1")).to_be_attached()
    page.click("#btn-new-seed")
    expect(page.locator("#message")).to_contain_text("seed 3")
    train(page, 150)
    expect(page.locator("#curve-ghost-1")).to_be_attached()
    expect(page.locator("#curve-train")).to_be_visible()
    expect(page.locator("#ghost-1")).to_contain_text("seed 2")
    assert len(api_state(server_url, nid)["ghosts"]) == 1
    page.locator("#loss-curve").screenshot(path=str(artifacts / "network-ghost.png"))


def test_play_with_the_stop_condition_stops(page, server_url, artifacts):
    nid = create(server_url, CIRCLE)
    page.goto(f"{server_url}/n/{nid}?mode=train")
    settle(page)  # htmx is ready: Play polls instead of reloading the page
    page.fill("#stop-at", "300")
    page.click("#btn-play")
    expect(page.locator("#message")).to_contain_text("Stopped at iteration 300", timeout=60_000)
    expect(page.locator("#btn-play")).to_be_visible()
    page.wait_for_timeout(600)
    assert api_state(server_url, nid)["iteration"] == 300
    expect(page.locator("#iteration")).to_have_text("300")

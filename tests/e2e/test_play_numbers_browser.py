"""Play's refreshes as numbers in a real Chromium: after playing a while (most refreshes
answered with numbers only), the diagram and the readouts are exactly those of a fresh
load of the page at the same version, names for screen readers included; Pause still
announces where it stopped."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.browser_helpers import api_state, create
from tests.support.networks import PLAYED as NET

# Everything a refresh changes, read from the page as a reader (or a screen reader) gets it.
READ = """() => {
  const all = (s) => [...document.querySelectorAll(s)];
  const net = document.getElementById("net");
  return {
    version: document.getElementById("status").dataset.version,
    iteration: document.getElementById("iteration").textContent,
    loss: document.getElementById("loss").textContent,
    edges: all("#net g.edges path").map((p) => [p.id, p.getAttribute("style")]),
    names: all("#net [aria-label]").map((a) => [a.id, a.getAttribute("aria-label")]),
    tooltips: all("#net .neuron > title").map((t) => t.textContent),
    texts: all("#net text").map((t) => [t.getAttribute("class"), t.textContent]),
    halos: all("#net rect.halo").map((r) => [r.getAttribute("x"), r.getAttribute("width")]),
    viewBox: net.getAttribute("viewBox"),
    boundary: document.getElementById("bd-img").getAttribute("src"),
    stats: document.getElementById("bd-stats").textContent,
    curve: document.getElementById("curve-train").getAttribute("points"),
    curveName: document.querySelector("#loss-curve svg").getAttribute("aria-label"),
    accuracy: document.getElementById("acc-curve").textContent,
    diagnostics: document.getElementById("diagnostics").textContent,
  };
}"""


def test_after_playing_the_page_equals_a_fresh_load_of_its_version(browser, server_url, artifacts):
    nid = create(server_url, NET)
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    answers = {"numbers": 0, "full": 0}
    blocked = {"on": False}

    def count(response):
        if response.url.endswith("/chunk"):
            json = "json" in (response.headers.get("content-type") or "")
            answers["numbers" if json else "full"] += 1

    def gate(route):
        if blocked["on"]:
            route.abort()
        else:
            route.continue_()

    page.on("response", count)
    page.route("**/chunk", gate)
    page.goto(f"{server_url}/n/{nid}?mode=train")
    page.click("#btn-play")
    expect(page.locator("#btn-pause")).to_be_visible()
    page.wait_for_function("() => Number(document.querySelector('#iteration').textContent) >= 400")
    blocked["on"] = True  # no refresh lands after this: the page keeps its last state
    page.wait_for_timeout(600)
    assert answers["numbers"] >= 5, answers
    assert answers["numbers"] > answers["full"], answers
    played = page.evaluate(READ)
    state = api_state(server_url, nid)
    assert played["version"] == str(state["version"]), "the last refresh is shown"
    assert played["iteration"] == str(state["iteration"])
    page.screenshot(path=str(artifacts / "play-numbers-1366.png"))

    fresh = context.new_page()
    fresh.goto(f"{server_url}/n/{nid}?mode=train")
    loaded = fresh.evaluate(READ)
    for key, value in loaded.items():
        assert played[key] == value, key
    assert len(loaded["edges"]) == 2 * 8 + 8 * 8 + 8 and loaded["names"]

    page.click("#btn-pause")  # with no refresh on its way, Pause says where training stands
    expect(page.locator("#btn-play")).to_be_visible()
    now = api_state(server_url, nid)["iteration"]
    expect(page.locator("#announce")).to_contain_text(f"Paused at iteration {now}")

    blocked["on"] = False  # and with refreshes on their way when Pause is pressed
    page.click("#btn-play")
    page.wait_for_function(f"() => Number(document.getElementById('iteration').innerText) > {now}")
    page.click("#btn-pause")
    expect(page.locator("#btn-play")).to_be_visible()
    page.wait_for_timeout(800)  # a refresh that lands after Pause brings the page up to date
    state = api_state(server_url, nid)
    expect(page.locator("#iteration")).to_have_text(str(state["iteration"]))
    expect(page.locator("#announce")).to_contain_text(f"Paused at iteration {state['iteration']}")
    context.close()

"""The equation panel's groups (app/views/panel.py): the Update group appears once the
backward pass has started, showing what Update will do, and after the update; each
equation comes in one line and stacked, with a width bucket that grows with its length."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import engine
from app.views.mathwidth import HIGHEST, LOWEST, STEP, css, fit
from app.views.panel import equations_for
from tests.support.models import frozen


def worked():
    return engine.create_network({"preset": "worked-example"})


def group(panel: dict, start: str) -> dict | None:
    found = [g for g in panel["groups"] if g["name"].startswith(start)]
    return found[0] if found else None


def text(item: dict, form: str = "mathml") -> str:
    return "".join(ET.fromstring(str(item[form])).itertext())


def test_no_update_group_before_the_backward_pass():
    net = worked()
    for _ in range(2):
        net.forward()
        panel = equations_for(frozen(net), ("n", 2, 1), 0, 4)
        assert group(panel, "Update") is None
        assert group(panel, "Values") is not None


def test_backward_phase_shows_the_update_that_runs_next_with_its_numbers():
    net = worked()
    net.forward()
    net.forward()
    net.backward()  # δ² and the gradients of layer 2: 0.1385 for b²₁ (the blog post's δ)
    s = frozen(net)
    bias = group(equations_for(s, ("n", 2, 1), 0, 4), "Update (next)")
    assert bias is not None
    line = text(bias["items"][0])
    assert "0.6000" in line and "0.5000" in line and "0.1385" in line
    # layer 1 is still to come: the update does not run next, so no result is shown yet
    assert "once the backward pass is complete" in bias["items"][0]["title"]
    assert "0.5308" not in line
    edge = group(equations_for(s, ("e", 2, 1, 1), 0, 4), "Update (next)")
    assert edge is not None and "0.4000" in text(edge["items"][0])
    assert "0.0822" in text(edge["items"][0])  # ∂L/∂w²₁₁ = δ²₁ a¹₁
    # layer 1 has no gradient yet: its update is shown with the gradient as a symbol
    early = group(equations_for(s, ("n", 1, 1), 0, 4), "Update (next)")
    assert early is not None
    assert "backward pass" in early["items"][0]["title"]
    assert "0.3500" in text(early["items"][0]) and "∂" in text(early["items"][0])
    net.backward()  # the backward pass is complete: Update runs next, with its result
    pending = group(equations_for(frozen(net), ("n", 2, 1), 0, 4), "Update (next)")
    assert "runs next" in pending["items"][0]["title"]
    assert text(pending["items"][0]).endswith("0.5308")  # b²₁ = 0.6 − 0.5 · 0.138499


def test_after_the_update_the_group_is_the_update_that_ran():
    net = worked()
    while net.next_action != "update":
        getattr(net, net.next_action)()
    net.update()
    panel = equations_for(frozen(net), ("e", 2, 1, 1), 0, 4)
    done = group(panel, "Update")
    assert done["name"] == "Update"
    assert "0.3589" in text(done["items"][0])  # w²₁₁: 0.40 − 0.5 · 0.0822


def test_every_equation_comes_inline_and_stacked_with_a_width_bucket():
    net = engine.create_network({"preset": "circle-tanh"})
    while net.next_action != "update":
        getattr(net, net.next_action)()
    panel = equations_for(frozen(net), ("n", 2, 3), 0, 4)
    items = [item for g in panel["groups"] for item in g["items"]]
    assert len(items) >= 6
    for item in items:
        assert LOWEST <= item["fit"] <= HIGHEST and item["fit"] % STEP == 0
        assert text(item) == text(item, "stacked")  # same symbols, only laid out apart
    stacked = ET.fromstring(str(items[0]["stacked"]))
    assert any(e.tag.endswith("mtable") for e in stacked.iter())  # one row per "="
    short = fit('<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>a</mi></math>')
    assert short == LOWEST and items[0]["fit"] > short


def test_the_stylesheet_has_a_container_query_for_every_width_bucket():
    """fit() sorts each equation into a bucket; lab.css must stack it below that width."""
    sheet = (Path(__file__).resolve().parents[2] / "static/css/lab.css").read_text()
    rules = css().splitlines()
    assert len(rules) == (HIGHEST - LOWEST) // STEP + 1
    for rule in rules:
        assert rule in sheet, rule

"""Practice mode on the lab page, read from the server's HTML: the values the next click
computes are nowhere in the page (not in the DOM at all), at every point of an iteration,
while the same page without practice shows the ones it previews; the answer boxes of the
focused element with the known numbers substituted; the check route's results (correct,
the diagnosis with the wrong term marked, Show me with the worked substitution, errors),
and that a check changes nothing."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from app.views.format import fmt
from tests.support.htmldom import parse

HX = {"HX-Request": "true"}
D = 9  # decimals: a value's text names it alone


def new(client, **body) -> str:
    return client.post("/api/networks", json=body).json()["id"]


def numbers(*arrays) -> set[str]:
    """The texts of every number in the arrays, unsigned, at D decimals."""
    out = set()
    for a in arrays:
        if a is None:
            continue
        for x in np.asarray(a, dtype=float).ravel():
            out.add(fmt(abs(float(x)), D))
    return out


def revealed_by_next_click(client, nid) -> set[str]:
    """The values the next click computes (on a copy of the network), minus any whose text
    is also that of a value known now."""
    snap = client.app.state.service.get(nid)
    net = snap.net
    twin = copy.deepcopy(net)
    getattr(twin, net.next_action)()
    known = numbers(*net.weights, *net.biases, net.inputs, net.targets)
    for lt in net.trace.layers:
        known |= numbers(lt.z, lt.a, lt.fprime, lt.delta, lt.grad_w, lt.grad_b, lt.grad_a)
    known |= numbers(net.trace.losses, net.trace.dloss_doutput, [net.trace.loss or 0])
    new = set()
    for old, lt in zip(net.trace.layers, twin.trace.layers):
        for q in ("z", "a", "fprime", "delta", "grad_w", "grad_b"):
            if getattr(old, q) is None or net.phase == "updated":  # a new iteration
                new |= numbers(getattr(lt, q))
    if net.next_action == "update":
        new |= numbers(*twin.weights, *twin.biases)
    elif net.trace.losses is None or net.phase == "updated":
        new |= numbers(twin.trace.losses, twin.trace.dloss_doutput)
    return new - known


def page(client, nid, **query) -> str:
    r = client.get(f"/n/{nid}", params={"digits": D, **query})
    assert r.status_code == 200
    return r.text


FOCI = ["n-1-1", "n-2-1", "n-2-2", "e-2-1-1", "e-1-2-1"]


@pytest.mark.parametrize(
    "preset, optimizer",
    [("worked-example", "sgd"), ("worked-example", "adam"), ("xor-online", "momentum")],
)
def test_the_next_clicks_values_are_not_in_the_page(client, preset, optimizer):
    nid = new(client, preset=preset, optimizer=optimizer)
    previewed = 0
    for _ in range(6):
        hidden = revealed_by_next_click(client, nid)
        assert hidden
        for focus in FOCI:
            shown = page(client, nid, practice=1, focus=focus)
            leaked = {h for h in hidden if h in shown}
            assert not leaked, (focus, leaked)
            plain = page(client, nid, focus=focus)
            previewed += sum(h in plain for h in hidden)  # the test's own control
        action = next_action(client, nid)
        client.post(f"/api/networks/{nid}/{action}", headers={"content-type": "application/json"})
    assert previewed > 0  # without practice, Update's results show before it runs


def next_action(client, nid) -> str:
    return client.get(f"/api/networks/{nid}").json()["cursor"]["next"]


def test_answer_boxes_of_the_focused_neuron(client):
    nid = new(client, preset="worked-example")
    dom = parse(page(client, nid, practice=1, focus="n-1-1", digits=4))
    assert dom.by_id("practice-switch").find("button").attrs["aria-pressed"] == "true"
    forms = dom.find_all("form", cls="pq")
    assert [f.find("input", name="quantity").attrs["value"] for f in forms] == ["z", "a"]
    z = forms[0]
    assert z.find("span", cls="pq-sub").text() == "0.1500 · 0.0500 + 0.2000 · 0.1000 + 0.3500"
    field = z.find("input", name="value")
    assert dom.find("label", **{"for": field.id}).text() == "z¹₁"
    assert forms[1].find("span", cls="pq-sub").text() == "1 / (1 + e^(−z¹₁))"  # z: same click
    assert z.find("div", cls="pq-result").attrs["aria-live"] == "polite"
    assert parse(page(client, nid, focus="n-1-1")).by_id("practice") is None  # off: none


def test_the_tables_mark_the_next_clicks_blanks(client):
    nid = new(client, preset="worked-example")
    client.post(f"/api/networks/{nid}/forward", json={"all": True})
    dom = parse(page(client, nid, practice=1, digits=4))
    blanks = dom.by_id("t-layer-2").find_all("span", cls="blank")
    # layer 2 (output): f′, ∂ℓ/∂a, δ, ∂L/∂b of both neurons; and W²'s gradients
    assert len(blanks) == 2 * 4
    assert len(dom.by_id("t-w-2").find_all("span", cls="blank")) == 4
    assert not dom.by_id("t-layer-1").find_all("span", cls="blank")


def check(client, nid, htmx=True, **form):
    data = {"practice": "1", "digits": "4", **form}
    return client.post(f"/n/{nid}/check", data=data, headers=HX if htmx else {})


def test_a_wrong_answer_gets_its_diagnosis(client):
    nid = new(client, preset="worked-example")
    version = client.get(f"/api/networks/{nid}").json()["version"]
    r = check(client, nid, quantity="z", layer="1", neuron="1", value="0,0275")
    assert r.status_code == 200
    dom = parse(r.text)
    assert "Not quite" in dom.text() and "left out the bias" in dom.text()
    assert dom.find("mark", cls="wrong").text() == "(no bias)"
    assert dom.find("span", cls="right").text() == "in place of + b¹₁"
    assert "0.3775" not in r.text  # the right value only once answered or shown
    assert client.get(f"/api/networks/{nid}").json()["version"] == version


def test_correct_and_show_me(client):
    nid = new(client, preset="worked-example")
    dom = parse(check(client, nid, quantity="z", layer="1", neuron="1", value="0.3775").text)
    assert "Correct" in dom.text() and dom.find(cls="pr-ok")
    shown = parse(
        check(client, nid, quantity="a", layer="1", neuron="1", value="", reveal="1").text
    )
    worked = shown.find("p", cls="pr-worked").text()
    assert worked.endswith("a¹₁ = 1 / (1 + e^(−0.3775)) = 0.5933")
    record = shown.find(cls="pr-shown").attrs["data-check"]
    assert '"revealed": true' in record and '"iteration": 1' in record


def test_check_errors_say_what_is_wrong(client):
    nid = new(client, preset="worked-example")
    r = check(client, nid, quantity="delta", layer="2", neuron="1", value="0.1")
    assert r.status_code == 409 and "Press Forward ×2 first" in parse(r.text).text()
    r = check(client, nid, quantity="z", layer="1", neuron="1", value="twelve")
    assert r.status_code == 422 and parse(r.text).find("p", role="alert")
    r = check(client, nid, quantity="z", layer="x", neuron="1", value="1")
    assert r.status_code == 422 and "layer" in parse(r.text).text()


def test_without_javascript_a_check_is_a_page_with_a_way_back(client):
    nid = new(client, preset="worked-example")
    r = check(
        client, nid, htmx=False, quantity="z", layer="1", neuron="1", value="1", focus="n-1-1"
    )
    dom = parse(r.text)
    assert r.status_code == 200 and dom.find("h1").text().startswith("Practice")
    back = [a.attrs["href"] for a in dom.find_all("a") if a.text() == "Back to the lab"]
    assert back == [f"/n/{nid}?focus=n-1-1&practice=1"]


def test_practice_travels_with_the_steps(client):
    nid = new(client, preset="worked-example")
    r = client.post(f"/n/{nid}/forward", data={"practice": "1", "seen": ""}, headers=HX)
    assert "practice=1" in r.headers["HX-Replace-Url"]
    assert parse(r.text).by_id("practice") is not None


def test_the_score_is_due_after_update(client):
    nid = new(client, preset="worked-example")
    client.post(f"/api/networks/{nid}/step", headers={"content-type": "application/json"})
    score = parse(page(client, nid, practice=1)).by_id("practice-score")
    assert score is not None and score.attrs["data-iteration"] == "1"
    assert score.attrs["role"] == "status"


def test_the_diagram_marks_the_next_layers_circles(client):
    nid = new(client, preset="worked-example")
    client.post(f"/api/networks/{nid}/forward", headers={"content-type": "application/json"})
    dom = parse(page(client, nid, practice=1, digits=4))
    blanks = [n for n in dom.by_id("diagram").find_all("text", cls="blank")]
    assert [b.text() for b in blanks] == ["?", "?"]  # layer 2's two neurons
    assert all(b.parent.attrs["class"].startswith("neuron l2") for b in blanks)
    assert not parse(page(client, nid, digits=4)).by_id("diagram").find_all("text", cls="blank")

"""Changing the network on the lab page: the diagram's + and − (a neuron, a hidden layer)
and the network card's features, activations, initialisation and seed. Each keeps the
weights that stay (compared through the API), says what it kept and drew, and is refused
in place with what to do instead."""

from __future__ import annotations

import pytest

from tests.support.htmldom import parse

HX = {"HX-Request": "true"}
NET = {
    "layers": [2, 3, 1],
    "activations": ["tanh", "sigmoid"],
    "loss": "bce",
    "learning_rate": 0.5,
    "seed": 7,
    "dataset": "circle",
}


@pytest.fixture
def nid(client) -> str:
    r = client.post("/api/networks", json=NET)
    assert r.status_code == 201
    return r.json()["id"]


def state(client, nid: str) -> dict:
    return client.get(f"/api/networks/{nid}").json()


def change(client, nid: str, status: int = 200, **form):
    r = client.post(f"/n/{nid}/network", data={"mode": "train", **form}, headers=HX)
    assert r.status_code == status, r.text[:400]
    lab = parse(r.text).by_id("lab")
    message = lab.by_id("message")
    return lab, message.text() if message else ""


def button(lab, value: str):
    return next(b for b in lab.by_id("shape").find_all("button") if b.attrs["value"] == value)


def test_the_diagram_has_plus_and_minus_for_each_hidden_layer(client, nid):
    lab = parse(client.get(f"/n/{nid}").text).by_id("lab")
    shape = lab.by_id("shape")
    assert shape.attrs["action"] == f"/n/{nid}/network"
    values = [b.attrs["value"] for b in shape.find_all("button")]
    assert values == ["remove-neuron:1", "add-neuron:1", "remove-layer", "add-layer"]
    assert button(lab, "add-neuron:1").attrs["aria-label"] == "Add a neuron to layer 1"


def test_add_a_neuron_keeps_every_other_weight(client, nid):
    before = state(client, nid)
    lab, message = change(client, nid, change="add-neuron:1")
    after = state(client, nid)
    assert after["layers"] == [2, 4, 1]
    assert after["weights"][0][:3] == before["weights"][0]
    assert [row[:3] for row in after["weights"][1]] == before["weights"][1]
    assert lab.by_id("n-1-4") is not None and lab.by_id("n-1-5") is None
    assert "kept 9 weights exactly, drew 3" in message and "Undo" in message


def test_hidden_layers_come_and_go_and_the_last_neuron_is_refused(client, nid):
    lab, message = change(client, nid, change="add-layer")
    assert state(client, nid)["layers"] == [2, 3, 3, 1] and lab.by_id("n-3-1") is not None
    change(client, nid, change="remove-layer")
    for _ in range(2):
        lab, _ = change(client, nid, change="remove-neuron:1")
    assert state(client, nid)["layers"] == [2, 1, 1]
    minus = button(lab, "remove-neuron:1")
    assert "disabled" in minus.attrs and "remove the layer instead" in minus.attrs["title"]
    before = state(client, nid)
    lab, message = change(client, nid, 422, change="remove-neuron:1")
    assert "one neuron left" in message and "Remove the layer instead" in message
    assert state(client, nid) == before  # nothing changed


def test_switch_a_feature_on_from_the_card(client, nid):
    before = state(client, nid)
    form = {"change": "features", "feature": ["x1", "x2", "x1^2", "x2^2"]}
    lab, message = change(client, nid, **form)
    after = state(client, nid)
    assert after["features"] == ["x1", "x2", "x1^2", "x2^2"] and after["layers"][0] == 4
    assert [row[:2] for row in after["weights"][0]] == before["weights"][0]
    assert lab.by_id("n-0-3").find("title").text().startswith("input feature x₁²")
    boxes = lab.by_id("features-form").find_all("input", type="checkbox")
    assert [("checked" in b.attrs) for b in boxes] == [True, True, True, True, False, False, False]
    assert "x₁²" in message
    lab, message = change(client, nid, 422, change="features")
    assert "at least one" in message


def test_activations_init_and_seed_from_the_card(client, nid):
    change(client, nid, change="activations", act1="relu", act2="sigmoid")
    assert state(client, nid)["activations"] == ["relu", "sigmoid"]
    lab, message = change(client, nid, change="new-seed")
    assert state(client, nid)["seed"] == 8 and "seed 8" in message
    assert lab.by_id("nc-seed").attrs["value"] == "8"
    change(client, nid, change="init", init="he", seed="3")
    now = state(client, nid)
    assert (now["init"], now["seed"], now["iteration"]) == ("he", 3, 0)
    _, message = change(client, nid, 422, change="init", init="he", seed="-1")
    assert "Seed" in message and state(client, nid)["seed"] == 3


def test_without_javascript_a_change_answers_303(client, nid):
    r = client.post(f"/n/{nid}/network", data={"change": "add-neuron:1"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/n/{nid}")
    assert state(client, nid)["layers"] == [2, 4, 1]


def test_the_initial_weights_scale_from_the_card(client, nid):
    change(client, nid, change="init", init="normal", init_scale="1.5", seed="7")
    now = state(client, nid)
    assert (now["init"], now["init_scale"], now["seed"]) == ("normal", 1.5, 7)
    lab, message = change(client, nid, 422, change="init", init="normal", init_scale="0", seed="7")
    assert "Scale" in message and state(client, nid)["init_scale"] == 1.5
    assert lab.by_id("nc-init-scale").attrs["value"] == "1.5"

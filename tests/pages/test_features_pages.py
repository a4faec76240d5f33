"""Input features on the lab page: each input neuron labelled with its formula, its value
a⁰ = φ(x) in the table and the panel, and the equations computing z from the features
(numbers checked by hand from the sample's x₁, x₂)."""

from __future__ import annotations

import math

import pytest

from tests.support.htmldom import parse

NET = {
    "layers": [4, 3, 1],
    "activations": ["tanh", "sigmoid"],
    "loss": "bce",
    "learning_rate": 0.5,
    "dataset": "circle",
    "features": ["x1", "x1^2", "x1*x2", "sin(x2)"],
}


@pytest.fixture
def nid(client) -> str:
    r = client.post("/api/networks", json=NET)
    assert r.status_code == 201, r.text
    nid = r.json()["id"]
    assert client.post(f"/api/networks/{nid}/forward", json={"all": True}).status_code == 200
    return nid


def number(text: str) -> float:
    return float(text.replace("−", "-"))


def test_input_neurons_are_labelled_with_their_formulas(client, nid):
    doc = parse(client.get(f"/n/{nid}").text)
    names = [doc.by_id(f"n-0-{j}").find("title").text() for j in range(1, 5)]
    assert [n.split(" = ")[0] for n in names] == [
        "input feature x₁",
        "input feature x₁²",
        "input feature x₁x₂",
        "input feature sin x₂",
    ]
    above = [
        next(t for t in doc.by_id(f"n-0-{j}").find_all("text", cls="x") if "main" not in t.classes)
        for j in range(1, 5)
    ]
    above = [t.text() for t in above]
    assert above == ["x₁", "x₁²", "x₁x₂", "sin x₂"]


def test_the_table_holds_each_features_value_for_the_sample(client, nid):
    x1, x2 = client.get(f"/api/networks/{nid}").json()["inputs"][0]
    doc = parse(client.get(f"/n/{nid}?digits=6").text)
    rows = doc.by_id("t-features").find("tbody").find_all("tr")
    shown = {r.find("th").text(): number(r.find("td").text()) for r in rows}
    expected = {"x₁": x1, "x₁²": x1 * x1, "x₁x₂": x1 * x2, "sin x₂": math.sin(x2)}
    assert shown == pytest.approx(expected, abs=5e-7)


def test_z_of_layer_one_is_computed_from_the_features(client, nid):
    state = client.get(f"/api/networks/{nid}").json()
    x1, x2 = state["inputs"][0]
    a0 = [x1, x1 * x1, x1 * x2, math.sin(x2)]
    w, b = state["weights"][0][0], state["biases"][0][0]
    z = sum(wk * ak for wk, ak in zip(w, a0)) + b
    assert state["trace"]["layers"][0]["z"][0][0] == pytest.approx(z, abs=1e-12)
    weighted = equation(client, nid, "n-1-1", "Weighted input")
    for value in a0:  # each feature's value is an operand of z¹₁
        assert f"{abs(value):.4f}" in weighted
    assert f"{abs(z):.4f}" in weighted
    feature = equation(client, nid, "n-0-3", "Input feature")
    assert f"{abs(x1):.4f}" in feature and f"{abs(x2):.4f}" in feature
    assert feature.endswith(f"{abs(x1 * x2):.4f}")


def equation(client, nid: str, focus: str, title: str) -> str:
    """The text of the focused element's equation whose title starts with `title`."""
    doc = parse(client.get(f"/n/{nid}?focus={focus}&digits=4").text)
    for eq in doc.by_id("equations").find_all("div", cls="eq"):
        if eq.find("p", cls="eq-title").text().startswith(title):
            return eq.find("math").text().replace(" ", "")
    raise AssertionError(f"no equation {title!r}")


@pytest.mark.parametrize("kind", ["md", "html", "tex"])
def test_the_handout_writes_the_input_layer_from_the_features(client, nid, kind):
    r = client.get(f"/api/networks/{nid}/worked-example.{kind}")
    assert r.status_code == 200
    x1, x2 = client.get(f"/api/networks/{nid}").json()["inputs"][0]
    text = r.text.replace("−", "-")
    assert "one neuron per feature" in text
    if kind != "html":  # the page's MathML holds the same numbers as <mn>
        assert r"a^{0} = \varphi(x) = (x_1, x_1^2, x_1 x_2, \sin x_2)" in text
    assert f"{math.sin(x2):.4f}" in text and f"{x1 * x2:.4f}" in text

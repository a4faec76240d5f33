"""The start page: preset cards and the builder (its field errors keep what was typed)."""

from __future__ import annotations

import json

import pytest

from app.documents.export import network_json
from tests.support.forms import BUILDER, field_error, network_count
from tests.support.htmldom import parse


def test_every_preset_has_a_card_that_opens_it(client):
    doc = parse(client.get("/").text)
    names = [p["name"] for p in client.get("/api/presets").json()]
    cards = doc.by_id("presets").find_all("li", cls="card")
    assert [c.id for c in cards] == [f"preset-{n}" for n in names]
    for card, name in zip(cards, names):
        assert card.find("h3").text() and card.find("p", cls="lesson").text()
        assert card.find("svg", cls="mini").find_all("circle")
        assert card.find("form").attrs["action"] == f"/presets/{name}"
    r = client.post(f"/presets/{names[0]}")
    assert r.status_code == 303 and r.headers["location"].startswith("/n/")
    assert client.post("/presets/nope").status_code == 422


def test_builder_creates_and_redirects(client):
    r = client.post("/", data=BUILDER)
    assert r.status_code == 303
    nid = r.headers["location"].rsplit("/", 1)[1]
    state = client.get(f"/api/networks/{nid}").json()
    assert state["layers"] == [2, 3, 1] and state["activations"] == ["tanh", "sigmoid"]
    assert state["seed"] == 3 and len(state["inputs"]) == 4


def test_builder_with_csv_samples(client):
    form = {**BUILDER, "data": "csv", "csv": "0, 0, 0\n1, 1, 1\n0.5 0.5 1"}
    nid = client.post("/", data=form).headers["location"].rsplit("/", 1)[1]
    state = client.get(f"/api/networks/{nid}").json()
    assert state["inputs"] == [[0, 0], [1, 1], [0.5, 0.5]] and state["targets"] == [[0], [1], [1]]


def test_builder_errors_are_shown_next_to_the_field_and_keep_the_input(client):
    doc, message = field_error(client.post("/", data={**BUILDER, "layers": "2, a, 1"}), "layers")
    assert "2, a, 1" in message
    field = doc.find("input", name="layers")
    assert field.attrs["value"] == "2, a, 1" and field.attrs["aria-invalid"] == "true"
    doc, message = field_error(client.post("/", data={**BUILDER, "act2": "linear"}), "act2")
    assert "sigmoid" in message
    assert doc.find("select", name="act2").find("option", selected="").text() == "linear"
    doc, message = field_error(
        client.post("/", data={**BUILDER, "learning_rate": "0"}), "learning_rate"
    )
    assert "Learning rate η is 0" in message and "above 0" in message
    assert doc.find("input", name="learning_rate").attrs["value"] == "0"
    csv = "0, 0\n1, 1, 1"
    doc, message = field_error(client.post("/", data={**BUILDER, "data": "csv", "csv": csv}), "csv")
    assert "line 2" in message and doc.find("textarea", name="csv").text() == "0, 0 1, 1, 1"
    _, message = field_error(client.post("/", data={**BUILDER, "dataset": "sine"}), "layers")
    assert "1 inputs" in message


def test_builder_fields_follow_the_layers(client):
    doc = parse(client.get("/builder?layers=2,4,4,3&act3=tanh").text)
    selects = [s.attrs["name"] for s in doc.find_all("select") if s.attrs["name"].startswith("act")]
    assert selects == ["act1", "act2", "act3"]
    assert doc.find("select", name="act3").find("option", selected="").text() == "tanh"


def test_builder_optimiser_and_test_split(client):
    r = client.post(
        "/", data={**BUILDER, "dataset": "circle", "optimizer": "adam", "test_split": "25"}
    )
    state = client.get(f"/api/networks/{r.headers['location'].rsplit('/', 1)[1]}").json()
    assert state["optimizer"] == "adam"
    assert (len(state["inputs"]), len(state["test_inputs"])) == (150, 50)
    _, message = field_error(
        client.post("/", data={**BUILDER, "optimizer": "rmsprop"}), "optimizer"
    )
    assert "rmsprop" in message


def test_uploaded_csv_with_a_label_column_gives_one_hot_targets(client):
    csv = "x1,x2,species\n0.1,0.2,cat\n0.3,0.1,dog\n0.9,0.8,emu\n0.5,0.5,cat\n"
    form = {
        **BUILDER,
        "layers": "2, 4, 3",
        "act2": "softmax",
        "loss": "cce",
        "data": "csv",
        "csv": "",
        "csv_label": "species",
    }
    r = client.post("/", data=form, files={"csv_file": ("animals.csv", csv, "text/csv")})
    assert r.status_code == 303
    state = client.get(f"/api/networks/{r.headers['location'].rsplit('/', 1)[1]}").json()
    assert state["inputs"] == [[0.1, 0.2], [0.3, 0.1], [0.9, 0.8], [0.5, 0.5]]
    assert state["targets"] == [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]]


def test_csv_columns_by_index_and_errors_that_name_the_line(client):
    csv = "9, 0, 0, 0\n9, 1, 1, 1\n9, 0.5, 0.5, 1"
    form = {**BUILDER, "data": "csv", "csv": csv, "csv_inputs": "1, 2", "csv_targets": "3"}
    state = client.get(
        "/api/networks/" + client.post("/", data=form).headers["location"].rsplit("/", 1)[1]
    ).json()
    assert state["inputs"] == [[0, 0], [1, 1], [0.5, 0.5]]
    before = network_count(client)
    doc, message = field_error(client.post("/", data={**form, "csv": csv + "\n1, x, 2, 3"}), "csv")
    assert "line 4" in message
    assert doc.find("textarea", name="csv").text() == " ".join((csv + "\n1, x, 2, 3").split())
    doc, message = field_error(client.post("/", data={**form, "csv_inputs": "1, 7"}), "csv_inputs")
    assert "7" in message and doc.find("input", name="csv_inputs").attrs["value"] == "1, 7"
    assert network_count(client) == before


def test_an_exported_network_imports_back_identical(client):
    nid = client.post(
        "/api/networks", json={"preset": "circle-tanh", "test_split": 0.2, "optimizer": "momentum"}
    ).json()["id"]
    client.post(f"/api/networks/{nid}/train", json={"iterations": 30})
    exported = network_json(client.app.state.service.get(nid).net)
    r = client.post(
        "/import", files={"network": ("net.json", json.dumps(exported), "application/json")}
    )
    assert r.status_code == 303
    a = client.get(f"/api/networks/{nid}").json()
    b = client.get(f"/api/networks/{r.headers['location'].rsplit('/', 1)[1]}").json()
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
        "test_inputs",
        "test_targets",
    ):
        assert a[key] == b[key], key


@pytest.mark.parametrize(
    "content,words",
    [
        (b"not json at all", "not JSON"),
        (b"[1, 2, 3]", "not a network"),
        (b'{"layers": [2, 1]}', "activations"),
    ],
)
def test_a_bad_import_shows_a_message_and_creates_nothing(client, content, words):
    before = network_count(client)
    r = client.post("/import", files={"network": ("bad.json", content, "application/json")})
    assert r.status_code == 422
    assert words in parse(r.text).by_id("err-import").text()
    assert network_count(client) == before


def test_every_independent_field_error_shows_at_once_with_a_summary(client):
    form = {
        **BUILDER,
        "layers": "2, 0, 1",
        "learning_rate": "fast",
        "data": "csv",
        "csv": "0, 0\n1, 1, 1",
    }
    r = client.post("/", data=form)
    assert r.status_code == 422
    doc = parse(r.text)
    for name in ("layers", "learning_rate", "csv"):
        assert doc.by_id(f"err-{name}") is not None, name
    summary = doc.by_id("builder-errors")
    assert summary.attrs["role"] == "alert" and "autofocus" in summary.attrs
    links = [a.attrs["href"] for a in summary.find_all("a")]
    assert links == ["#f-layers", "#f-learning_rate", "#f-csv"]
    for href in links:
        assert doc.by_id(href[1:]) is not None, href


def test_csv_columns_default_as_in_the_api_and_the_error_sits_at_the_csv(client):
    csv = "0, 0, 0, 1\n0, 1, 1, 0\n1, 0, 1, 0"
    before = network_count(client)
    r = client.post("/", data={**BUILDER, "data": "csv", "csv": csv})
    doc, message = field_error(r, "csv")
    assert "3 inputs" in message and "columns 0, 1, 2" in message
    api = client.post(
        "/api/networks",
        json={"layers": [2, 3, 1], "activations": ["tanh", "sigmoid"], "loss": "bce", "csv": csv},
    )
    assert api.status_code == 422
    assert network_count(client) == before
    label = doc.find("textarea", name="csv").parent
    siblings = [c for c in label.parent.children if not isinstance(c, str)]
    assert siblings[siblings.index(label) + 1].id == "err-csv"
    r = client.post("/", data={**BUILDER, "layers": "3, 3, 1", "data": "csv", "csv": csv})
    state = client.get(f"/api/networks/{r.headers['location'].rsplit('/', 1)[1]}").json()
    assert state["inputs"][1] == [0, 1, 1] and state["targets"][1] == [0]

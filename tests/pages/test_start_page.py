"""The start page: preset cards and the builder (its field errors keep what was typed)."""

from __future__ import annotations

from htmldom import parse

BUILDER = {"layers": "2, 3, 1", "act1": "tanh", "act2": "sigmoid", "loss": "bce",
           "learning_rate": "0.5", "init": "xavier", "init_scale": "0.1", "seed": "3",
           "data": "dataset", "dataset": "xor", "samples": "200", "noise": "0.05", "csv": ""}


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


def field_error(response, name: str):
    assert response.status_code == 422
    doc = parse(response.text)
    error = doc.by_id(f"err-{name}")
    assert error is not None, f"no error shown for {name}"
    return doc, error.text()


def test_builder_errors_are_shown_next_to_the_field_and_keep_the_input(client):
    doc, message = field_error(client.post("/", data={**BUILDER, "layers": "2, a, 1"}), "layers")
    assert "2, a, 1" in message
    field = doc.find("input", name="layers")
    assert field.attrs["value"] == "2, a, 1" and field.attrs["aria-invalid"] == "true"
    doc, message = field_error(client.post("/", data={**BUILDER, "act2": "linear"}), "act2")
    assert "sigmoid" in message
    assert doc.find("select", name="act2").find("option", selected="").text() == "linear"
    doc, message = field_error(client.post("/", data={**BUILDER, "learning_rate": "0"}),
                               "learning_rate")
    assert "learning_rate" in message
    assert doc.find("input", name="learning_rate").attrs["value"] == "0"
    csv = "0, 0\n1, 1, 1"
    doc, message = field_error(client.post("/", data={**BUILDER, "data": "csv", "csv": csv}),
                               "csv")
    assert "Row 1" in message and doc.find("textarea", name="csv").text() == "0, 0 1, 1, 1"
    _, message = field_error(client.post("/", data={**BUILDER, "dataset": "sine"}), "layers")
    assert "1 inputs" in message


def test_builder_fields_follow_the_layers(client):
    doc = parse(client.get("/builder?layers=2,4,4,3&act3=tanh").text)
    selects = [s.attrs["name"] for s in doc.find_all("select") if s.attrs["name"].startswith("act")]
    assert selects == ["act1", "act2", "act3"]
    assert doc.find("select", name="act3").find("option", selected="").text() == "tanh"

"""Samples and optimisers over HTTP: CSV samples (and their errors), test splits,
regenerating the data (undoable), and the optimizer on create and PATCH."""

from __future__ import annotations

import pytest

from tests.support.api_helpers import checked

NET = {"layers": [2, 3, 1], "activations": ["tanh", "sigmoid"], "loss": "bce", "learning_rate": 0.5}
CSV = "x1,x2,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n"


def stored_networks(client) -> int:
    with client.app.state.service.store.reading() as conn:
        return conn.execute("SELECT COUNT(*) FROM networks").fetchone()[0]


def test_csv_creates_the_network_with_its_samples(create):
    net = create(**NET, csv=CSV)
    assert net["inputs"] == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert net["targets"] == [[0], [1], [1], [0]]
    assert net["dataset"] is None


def test_csv_columns_by_name_and_index_and_a_label_column(create):
    text = "a;b;c;kind\n1;2;3;cat\n4;5;6;dog\n7;8;9;cat\n0;1;2;emu\n"
    net = create(
        layers=[2, 4, 3],
        activations=["relu", "softmax"],
        loss="cce",
        learning_rate=0.1,
        csv=text,
        csv_inputs=["c", 0],
        csv_label="kind",
    )
    assert net["inputs"] == [[3, 1], [6, 4], [9, 7], [2, 0]]
    assert net["targets"] == [[1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1]]
    by_text = create(
        **{**NET, "layers": [2, 3, 1]}, csv=CSV, csv_inputs=["0", "1"], csv_targets=["2"]
    )
    assert by_text["targets"] == [[0], [1], [1], [0]]


@pytest.mark.parametrize(
    "text,field,words",
    [
        ("x1,x2,y\n0,0,0\n0,1\n", "csv", "line 3: expected 3 values, found 2"),
        ("0,0,0\n0,abc,1\n", "csv", "line 2, column 1: 'abc' is not a number"),
        ("x1,x2,y\n", "csv", "header but no data rows"),
        ("1,2,3\n" * 1001, "csv", "at most 1000 samples"),
        ("0,0,1e999\n", "csv", "not a finite number"),
        ('0,0,"' + "1" * 140_000 + '"\n', "csv", "cannot be read"),
        ("0,0,0\n1,1\x00,1\n", "csv", "line 2, column 1"),
        ("1,2,3,4\n5,6,7,8\n", "layers[0]", "make the input layer 3"),
    ],
)
def test_bad_csv_is_a_422_naming_the_line_and_creates_nothing(client, text, field, words):
    before = stored_networks(client)
    response = client.post("/api/networks", json={**NET, "csv": text})
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["field"] == field and words in body["detail"], body
    assert stored_networks(client) == before


@pytest.mark.parametrize(
    "extra,field",
    [
        ({"csv_inputs": ["nope"]}, "csv_inputs"),
        ({"csv_inputs": [7]}, "csv_inputs"),
        ({"csv_inputs": ["²"]}, "csv_inputs"),
        ({"csv_inputs": ["--5"]}, "csv_inputs"),
        ({"csv_inputs": []}, "csv_inputs"),
        ({"csv_label": 99999}, "csv_label"),
        ({"csv": ""}, "csv"),
        ({"csv": "x" * ((1 << 20) + 1)}, None),  # over the body limit or the csv limit
        ({"dataset": "xor"}, "csv"),
    ],
)
def test_bad_csv_options_are_refused_clearly(client, extra, field):
    before = stored_networks(client)
    response = client.post("/api/networks", json={**NET, "csv": CSV, **extra})
    assert response.status_code in (413, 422), response.text
    if field is not None:
        assert response.json()["field"].startswith(field), response.json()
    assert stored_networks(client) == before


def test_test_split_holds_samples_out(create, act):
    net = create(preset="circle-tanh", test_split=0.25)
    assert len(net["inputs"]) == 150 and len(net["test_inputs"]) == 50
    assert net["test_split"] == 0.25
    trained = act(net["id"], "train", {"iterations": 20})
    assert [i for i, _ in trained["test_loss_history"]][-1] == 20


@pytest.mark.parametrize("split", [0.51, -0.1, 1, "0.2", None])
def test_test_split_out_of_bounds_is_422(client, split):
    response = client.post("/api/networks", json={"preset": "seed-xor", "test_split": split})
    if split is None:
        assert response.status_code == 201
    else:
        assert response.status_code == 422 and response.json()["field"] == "test_split"


def test_optimizer_on_create_and_patch(client, create, act):
    net = create(preset="worked-example", optimizer="adam")
    assert net["optimizer"] == "adam"
    stepped = act(net["id"], "step")
    assert stepped["trace"]["update"]["optimizer"] == "adam"
    patched = checked(client.patch(f"/api/networks/{net['id']}", json={"optimizer": "momentum"}))
    assert patched["optimizer"] == "momentum" and patched["cursor"] == stepped["cursor"]
    assert act(net["id"], "step")["trace"]["update"]["optimizer"] == "momentum"
    assert act(net["id"], "undo")["optimizer"] == "momentum"
    assert act(net["id"], "undo")["optimizer"] == "adam"
    for bad in ("rmsprop", 1, None):
        response = client.patch(f"/api/networks/{net['id']}", json={"optimizer": bad})
        assert response.status_code == 422
    response = client.post("/api/networks", json={"preset": "seed-xor", "optimizer": "nag"})
    assert response.status_code == 422 and response.json()["field"] == "optimizer"
    assert "sgd, momentum or adam" in response.json()["detail"]


def test_regenerate_gives_new_samples_and_is_undoable(create, act):
    net = create(preset="circle-tanh")
    nid = net["id"]
    act(nid, "forward")
    new = act(
        nid,
        "regenerate",
        {"dataset": {"name": "circle", "samples": 80, "noise": 0.1, "seed": 7}, "test_split": 0.25},
    )
    assert len(new["inputs"]) == 60 and len(new["test_inputs"]) == 20
    assert new["dataset"]["seed"] == 7 and new["cursor"]["phase"] == "idle"
    assert new["weights"] == net["weights"]
    resplit = act(nid, "regenerate", {"test_split": 0.5})
    assert len(resplit["inputs"]) == len(resplit["test_inputs"]) == 40
    back = act(nid, "undo")
    assert back["inputs"] == new["inputs"] and back["test_inputs"] == new["test_inputs"]
    back = act(nid, "undo")
    assert back["inputs"] == net["inputs"] and back["test_inputs"] == []
    assert back["cursor"]["phase"] == "forward"


def test_regenerate_errors_change_nothing(client, create, act):
    net = create(preset="worked-example")
    nid = net["id"]
    url = f"/api/networks/{nid}/regenerate"
    cases = [
        ({}, "body"),
        ({"test_split": 0.9}, "test_split"),
        ({"dataset": "spiral"}, "layers[2]"),
        ({"dataset": {"name": "xor", "x": 1}}, "dataset.x"),
    ]
    for body, field in cases:
        response = client.post(url, json=body)
        assert response.status_code == 422, response.text
        assert response.json()["field"] == field, response.json()
    assert checked(client.get(f"/api/networks/{nid}"))["version"] == net["version"]
    split = act(nid, "regenerate", {"test_split": 0.5})  # one sample: nothing to hold out
    assert split["inputs"] == net["inputs"] and split["test_inputs"] == []


def test_explicit_test_samples_on_create(create):
    net = create(preset="worked-example", test_inputs=[[0.5, 0.5]], test_targets=[[0.2, 0.8]])
    assert net["test_inputs"] == [[0.5, 0.5]] and net["test_split"] == 0.5

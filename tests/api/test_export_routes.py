"""Exports over HTTP: the network JSON imports back to an identical network (spec,
parameters, data), the trace as JSON and as CSV matches the state value for value."""

from __future__ import annotations

import csv
import io

import pytest

from app.api.readout_schemas import TraceExport
from app.api.schemas import NetworkCreate
from tests.support.api_helpers import checked

SPEC = (
    "layers",
    "activations",
    "loss",
    "learning_rate",
    "init",
    "init_scale",
    "seed",
    "optimizer",
    "test_split",
)
DATA = ("weights", "biases", "inputs", "targets", "test_inputs", "test_targets")


def export(client, nid: str) -> dict:
    response = client.get(f"/api/networks/{nid}/export")
    body = checked(response)
    assert response.headers["content-disposition"] == (f'attachment; filename="network-{nid}.json"')
    NetworkCreate.model_validate(body)
    return body


def assert_identical(a: dict, b: dict) -> None:
    for key in SPEC + DATA:
        assert a[key] == b[key], key


@pytest.mark.parametrize(
    "body",
    [
        {"preset": "worked-example"},
        {"preset": "gauss-softmax"},
        {"preset": "circle-tanh", "optimizer": "momentum", "test_split": 0.2},
        {"preset": "seed-xor", "optimizer": "adam", "learning_rate": 0.05},
        {
            "layers": [1, 8, 1],
            "activations": ["tanh", "linear"],
            "loss": "mse",
            "learning_rate": 0.1,
            "dataset": {"name": "sine", "samples": 40, "noise": 0.1},
            "test_split": 0.25,
            "init": "he",
            "init_scale": 0.7,
            "seed": 9,
        },
    ],
)
def test_export_then_create_gives_an_identical_network(client, create, act, body):
    original = create(**body)
    copy = create(**export(client, original["id"]))
    assert_identical(original, copy)
    # the same network: the next iteration gives the same numbers, bit for bit
    assert act(original["id"], "step")["trace"] == act(copy["id"], "step")["trace"]


def test_round_trip_after_training_with_an_optimiser_and_a_test_split(client, create, act):
    net = create(preset="circle-tanh", optimizer="adam", learning_rate=0.01, test_split=0.3)
    trained = act(net["id"], "train", {"iterations": 40})
    assert trained["weights"] != net["weights"]
    exported = export(client, net["id"])
    assert len(exported["test_inputs"]) == len(trained["test_inputs"]) == 60
    copy = create(**exported)
    assert_identical(trained, copy)
    assert copy["iteration"] == 0 and copy["initial_weights"] == trained["weights"]
    # stepping the copy and the original leaves the same parameters only for sgd-free
    # state: adam's moments are not exported, so the copy starts them afresh
    again = create(**export(client, copy["id"]))
    assert_identical(copy, again)


def test_export_of_an_unknown_network_is_404(client):
    response = client.get("/api/networks/nope/export")
    assert response.status_code == 404 and "no network" in response.json()["detail"]


def trace_of(client, nid: str) -> dict:
    response = client.get(f"/api/networks/{nid}/trace")
    assert response.status_code == 200, response.text
    body = response.json()
    TraceExport.model_validate(body)
    return body


def test_trace_json_is_the_states_trace_in_every_phase(client, create, act):
    nid = create(preset="worked-example")["id"]
    assert all(v is None for v in trace_of(client, nid)["trace"]["layers"][0].values())
    for action in ("forward", "forward", "backward", "backward", "update"):
        state = act(nid, action)
        body = trace_of(client, nid)
        assert body["trace"] == state["trace"]
        assert body["cursor"] == state["cursor"] and body["iteration"] == state["iteration"]
    assert body["trace"]["update"]["optimizer"] == "sgd"


def csv_rows(client, nid: str) -> list[dict]:
    response = client.get(f"/api/networks/{nid}/trace.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(response.text)))


def test_trace_csv_has_every_value_of_the_state_once(client, create, act):
    state = create(preset="gauss-softmax")
    nid = state["id"]
    assert csv_rows(client, nid) == []
    state = act(nid, "step")
    rows = csv_rows(client, nid)
    m = len(state["inputs"])
    expected = 0
    for l, lt in enumerate(state["trace"]["layers"], start=1):
        for q in ("z", "a", "fprime", "grad_a", "delta"):
            if lt[q] is not None:
                expected += m * state["layers"][l]
        expected += state["layers"][l] * (state["layers"][l - 1] + 1)
    expected += m + m * state["layers"][-1]  # ℓ_i and ∂ℓ/∂ŷ
    expected += 2 + m * state["layers"][0]  # L_data and Ω, ∂ℓ/∂x
    assert len(rows) == expected
    by_key = {
        (r["layer"], r["j"], r["k"], r["sample"], r["quantity"]): float(r["value"]) for r in rows
    }
    assert len(by_key) == len(rows)
    lt = state["trace"]["layers"][0]
    # sample 8 on the page (numbered from 1) is row 7 of the JSON trace
    assert by_key[("1", "3", "", "8", "delta")] == lt["delta"][7][2]
    assert by_key[("1", "2", "1", "", "grad_weights")] == lt["grad_weights"][1][0]
    assert by_key[("2", "", "", "6", "loss")] == state["trace"]["losses"][5]
    samples = sorted({int(r["sample"]) for r in rows if r["sample"]})
    assert samples == list(range(1, m + 1))


def test_trace_csv_holds_the_optimisers_update_details(client, create, act):
    nid = create(preset="worked-example", optimizer="momentum")["id"]
    act(nid, "step")
    state = act(nid, "step")
    rows = csv_rows(client, nid)
    v = state["trace"]["update"]["layers"][1]["v"]
    got = {
        (r["layer"], r["j"], r["k"], r["quantity"]): float(r["value"])
        for r in rows
        if r["quantity"].startswith("v")
    }
    assert got[("2", "1", "2", "v_weights")] == v["weights"][0][1]
    assert got[("2", "2", "", "v_biases")] == v["biases"][1]
    assert ("1", "1", "1", "v_before_weights") in got


def test_worked_example_document_over_http(client, create, act):
    net = create(preset="worked-example")
    act(net["id"], "forward")
    response = client.get(f"/api/networks/{net['id']}/worked-example.md")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/markdown; charset=utf-8"
    doc = response.text
    assert doc.startswith("# Backpropagation worked by hand: iteration 1")
    for value in ("0.3775", "0.5933", "0.2984", "0.7414", "0.1385", "0.0822", "0.3589"):
        assert value in doc
    state = checked(client.get(f"/api/networks/{net['id']}"))
    assert state["version"] == 2 and state["cursor"]["layer"] == 1  # unchanged


def test_test_samples_live_in_the_data_blob_not_in_each_undo_level(client, create, act):
    nid = create(preset="circle-tanh", test_split=0.5)["id"]
    act(nid, "step")
    stored = client.app.state.service.store.load(nid)
    assert "test_inputs" not in stored.state and "test_loss_history" not in stored.state
    assert len(stored.data["test_inputs"]) == 100
    plain = create(preset="worked-example")["id"]
    assert set(client.app.state.service.store.load(plain).data) == {"inputs", "targets"}


def test_a_network_whose_next_update_overflows(client, create):
    """The worked example needs a whole iteration: when it would overflow, a 422 with the
    remedy; the other read routes still answer, with finite JSON."""
    net = create(
        layers=[1, 1],
        activations=["linear"],
        loss="mse",
        learning_rate=100,
        weights=[[[1.0]]],
        biases=[[0.0]],
        inputs=[[1.0]],
        targets=[[0.0]],
    )
    trained = checked(client.post(f"/api/networks/{net['id']}/train", json={"iterations": 500}))
    assert trained["diverged"] is not None  # |z| grows ×199 per iteration until it overflows
    net = trained
    response = client.get(f"/api/networks/{net['id']}/worked-example.md")
    assert response.status_code == 422
    assert "Lower the learning rate" in response.json()["remedy"]
    for path in ("training-view?resolution=8", "export", "trace", "trace.csv"):
        assert client.get(f"/api/networks/{net['id']}/{path}").status_code == 200, path
    assert checked(client.get(f"/api/networks/{net['id']}"))["version"] == net["version"]


def test_worked_example_with_the_blog_posts_nine_digits(client, create):
    nid = create(preset="worked-example")["id"]
    doc = checked_text(client.get(f"/api/networks/{nid}/worked-example.md?digits=9"))
    # a¹₁ = σ(0.3775), ŷ₁ = σ(1.105905967), w²₁₁ ← 0.4 − 0.5 · 0.082167041 (blog values)
    for value in ("0.593269992", "0.751365070", "0.358916480", "0.298371109"):
        assert value in doc, value
    assert "rounded to 9 decimals" in doc
    four = checked_text(client.get(f"/api/networks/{nid}/worked-example.md"))
    assert "0.5933" in four and "0.593269992" not in four
    assert "the biases are updated too" in doc and "0.291027924" in doc


@pytest.mark.parametrize("digits", ["0", "13", "x", "4.5"])
def test_worked_example_digits_out_of_range_is_a_clear_422(client, create, digits):
    nid = create(preset="worked-example")["id"]
    response = client.get(f"/api/networks/{nid}/worked-example.md?digits={digits}")
    assert response.status_code == 422
    assert response.json()["field"] == "digits"
    assert "1 to 12" in response.json()["detail"]


def checked_text(response) -> str:
    assert response.status_code == 200, response.text
    return response.text


def test_the_trace_export_says_why_it_is_empty_after_train(client, create, act):
    nid = create(preset="circle-tanh")["id"]
    act(nid, "train", {"iterations": 20})
    body = trace_of(client, nid)
    assert all(v is None for v in body["trace"]["layers"][0].values())
    assert "train" in body["note"] and "fast path" in body["note"]
    assert "step" in body["note"] and "forward" in body["note"]
    assert csv_rows(client, nid) == []  # the CSV stays plain: a header, no comment line
    act(nid, "forward")
    assert "in progress" in trace_of(client, nid)["note"]
    act(nid, "step")
    assert trace_of(client, nid)["note"] is None  # complete: nothing to explain

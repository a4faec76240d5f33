"""GET /api/networks/{id}/training-view: the plots' data for 2-input, 1-input and wider
networks, checked against the network's own forward pass; resolution bounds; diagnostics
and hints; the stored network does not change."""

from __future__ import annotations

import numpy as np
import pytest

from app.api.readout_schemas import TrainingView
from tests.support.api_helpers import checked


def view(client, nid: str, **params) -> dict:
    response = client.get(f"/api/networks/{nid}/training-view", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    TrainingView.model_validate(body)
    return body


def forward(state: dict, x) -> np.ndarray:
    """ŷ for the rows of x, computed here from the state's parameters (an oracle beside the
    engine's boundary code)."""
    a = np.asarray(x, dtype=float)
    for w, b, act in zip(state["weights"], state["biases"], state["activations"]):
        z = a @ np.asarray(w).T + np.asarray(b)
        if act == "sigmoid":
            a = 1 / (1 + np.exp(-z))
        elif act == "tanh":
            a = np.tanh(z)
        elif act == "relu":
            a = np.maximum(z, 0)
        elif act == "softmax":
            e = np.exp(z - z.max(axis=1, keepdims=True))
            a = e / e.sum(axis=1, keepdims=True)
        else:
            a = z
    return a


def test_two_inputs_give_the_output_over_the_plane(client, create, act):
    net = create(preset="circle-tanh", test_split=0.2)
    state = act(net["id"], "train", {"iterations": 30})
    body = view(client, net["id"], resolution=12)
    assert body["kind"] == "plane" and body["resolution"] == 12
    grid = body["grid"]
    assert len(grid["x"]) == len(grid["y"]) == 12
    out = np.array(grid["output"])
    assert out.shape == (12, 12, 1)
    i, j = 3, 8  # row i is y[i], column j is x[j]
    expected = forward(state, [[grid["x"][j], grid["y"][i]]])[0, 0]
    assert out[i, j, 0] == pytest.approx(expected, abs=1e-12)
    x_all = np.array(state["inputs"] + state["test_inputs"])
    assert grid["x"][0] < x_all[:, 0].min() and grid["x"][-1] > x_all[:, 0].max()
    assert body["output_range"] == [0.0, 1.0]
    train, test = body["train"], body["test"]
    assert train["inputs"] == state["inputs"] and test["inputs"] == state["test_inputs"]
    assert train["classes"] == [int(t[0] > 0.5) for t in state["targets"]]
    assert np.allclose(train["outputs"], forward(state, state["inputs"]), atol=1e-12)
    assert 0 <= train["accuracy"] <= 1
    assert body["loss_history"] == state["loss_history"]
    assert body["test_loss_history"] == state["test_loss_history"] != []
    assert body["diagnostics"] and len(body["diagnostics"][-1]["grad_norms"]) == 3
    assert "hidden" not in grid
    assert checked(client.get(f"/api/networks/{net['id']}"))["version"] == state["version"]


def test_hidden_layers_over_the_plane_on_request(client, create):
    net = create(preset="circle-tanh")
    grid = view(client, net["id"], resolution=5, hidden="true")["grid"]
    assert [np.array(h).shape for h in grid["hidden"]] == [(5, 5, 6), (5, 5, 6)]


def test_one_input_gives_the_fitted_curve(client, create, act):
    net = create(
        layers=[1, 6, 1],
        activations=["tanh", "linear"],
        loss="mse",
        learning_rate=0.1,
        dataset={"name": "sine", "samples": 30},
    )
    state = act(net["id"], "train", {"iterations": 20})
    body = view(client, net["id"], resolution=40)
    assert body["kind"] == "curve"
    xs, out = body["grid"]["x"], np.array(body["grid"]["output"])
    assert len(xs) == 40 and out.shape == (40, 1)
    assert np.allclose(out, forward(state, [[x] for x in xs]), atol=1e-12)
    assert body["train"]["classes"] is None and body["train"]["accuracy"] is None
    low, high = body["output_range"]
    assert low <= min(out[:, 0]) and high >= max(out[:, 0])


def test_softmax_classes_and_argmax(client, create):
    net = create(preset="gauss-softmax")
    body = view(client, net["id"], resolution=6)
    assert np.array(body["grid"]["argmax"]).shape == (6, 6)
    assert set(body["train"]["classes"]) == {0, 1, 2}


def test_more_inputs_give_the_samples_only(client, create):
    text = "a,b,c,y\n" + "".join(f"{i},{i % 3},{i % 5},{i % 2}\n" for i in range(20))
    net = create(
        layers=[3, 4, 1], activations=["relu", "sigmoid"], loss="bce", learning_rate=0.1, csv=text
    )
    body = view(client, net["id"])
    assert body["kind"] == "samples_only" and body["grid"] is None
    assert body["resolution"] == 48 and len(body["train"]["outputs"]) == 20


def test_seed_xor_hints_say_it_is_stuck(client, create, act):
    nid = create(preset="seed-xor")["id"]
    assert view(client, nid)["hints"] == []
    act(nid, "train", {"iterations": 3000})
    hints = view(client, nid, resolution=2)["hints"]
    assert [h["kind"] for h in hints] == ["stuck_at_average"]
    assert "Adam" in hints[0]["message"]


@pytest.mark.parametrize("resolution", ["1", "129", "abc", "1e3", "-5", ""])
def test_resolution_out_of_bounds_is_422(client, create, resolution):
    nid = create(preset="worked-example")["id"]
    response = client.get(f"/api/networks/{nid}/training-view?resolution={resolution}")
    assert response.status_code == 422
    assert response.json()["field"] == "resolution"
    assert "2 to 128" in response.json()["detail"]


def test_unknown_network_is_404(client):
    assert client.get("/api/networks/nothing-here/training-view").status_code == 404


def test_service_refuses_a_bad_resolution_too(client, create):
    from app.errors import Invalid
    from app.service import readouts

    nid = create(preset="worked-example")["id"]
    with pytest.raises(Invalid, match="resolution"):
        readouts.plot_data(client.app.state.service.get(nid), resolution=1000)


def test_vanishing_gradients_show_right_after_backward_all(client, create, act):
    nid = create(preset="vanishing-sigmoid")["id"]
    act(nid, "forward", {"all": True})
    assert view(client, nid, resolution=2)["diagnostics"] == []
    state = act(nid, "backward", {"all": True})
    body = view(client, nid, resolution=2)
    assert "vanishing" in [h["kind"] for h in body["hints"]]
    [record] = body["diagnostics"]
    assert record["iteration"] == 1
    grads = [np.linalg.norm(layer["grad_weights"]) for layer in state["trace"]["layers"]]
    assert np.allclose(record["grad_norms"], grads, rtol=1e-12)
    assert record["grad_norms"][0] < 1e-3 * record["grad_norms"][-1]
    assert checked(client.get(f"/api/networks/{nid}"))["version"] == state["version"]
    act(nid, "update")
    assert [r["iteration"] for r in view(client, nid, resolution=2)["diagnostics"]] == [1]


def test_a_confident_classifier_gets_the_all_clear_with_its_output_layer_saturated(
    client, create, act
):
    nid = create(preset="circle-tanh")["id"]
    assert view(client, nid, resolution=2)["all_clear"] is None  # no records yet
    act(nid, "train", {"iterations": 2000})
    body = view(client, nid, resolution=2)
    assert body["diagnostics"][-1]["saturation"][-1] > 0.8  # the output layer: confident
    assert body["hints"] == []
    assert "output layer is not counted" in body["all_clear"]

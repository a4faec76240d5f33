"""Changing a network without starting over through the API: PATCH layers, activations,
features, loss, init and seed, with what each kept and drew; kept runs (POST …/keep,
DELETE …/ghosts/{n}); train's stop condition; and the 422 of every bad value, which
changes nothing."""

from __future__ import annotations

import math

import pytest

from app.api.readout_schemas import TrainingView
from tests.api.test_routes import XOR
from tests.support.api_helpers import checked

JSON = {"Content-Type": "application/json"}  # a body-less change (app/security.py)
SINE = {
    "dataset": "sine",
    "layers": [1, 4, 1],
    "activations": ["tanh", "linear"],
    "loss": "mse",
    "learning_rate": 0.1,
}


def patch(client, nid: str, status: int = 200, **body) -> dict:
    return checked(client.patch(f"/api/networks/{nid}", json=body), status)


def refused(client, nid: str, field: str, **body) -> str:
    """PATCH `body`, expect a 422 naming `field`, and check that nothing changed."""
    before = checked(client.get(f"/api/networks/{nid}"))
    answer = patch(client, nid, 422, **body)
    assert answer["detail"].startswith(field), answer["detail"]
    assert checked(client.get(f"/api/networks/{nid}")) == before
    return answer["detail"]


def test_a_neuron_added_keeps_every_weight_and_says_so(client, create):
    net = create(**XOR)  # 2–3–1
    after = patch(client, net["id"], layers=[2, 4, 1])
    assert after["layers"] == [2, 4, 1]
    w1, w2 = after["weights"]
    assert w1[:3] == net["weights"][0]  # the three old neurons' rows, bit for bit
    assert [row[:3] for row in w2] == net["weights"][1]
    assert after["biases"][0][:3] == net["biases"][0] and after["biases"][0][3] == 0.0
    assert after["biases"][1] == net["biases"][1]
    # kept 2·3 + 3·1 = 9; drew the new neuron's 2 incoming and 1 outgoing weight
    assert (after["edit"]["kept"], after["edit"]["drawn"], after["edit"]["dropped"]) == (9, 3, 0)
    assert "kept 9 weights exactly" in after["edit"]["message"]
    assert "xavier, seed 7" in after["edit"]["message"]
    assert after["edit"]["changed"] == ["layers"]


def test_the_same_change_draws_the_same_new_weights(client, create):
    one, two = create(**XOR), create(**XOR)
    a = patch(client, one["id"], layers=[2, 4, 1])
    b = patch(client, two["id"], layers=[2, 4, 1])
    assert a["weights"] == b["weights"]


def test_a_neuron_removed_then_undone(client, create, act):
    net = create(**XOR)
    after = patch(client, net["id"], layers=[2, 2, 1])
    assert after["weights"][0] == net["weights"][0][:2]
    assert after["weights"][1] == [net["weights"][1][0][:2]]
    assert (after["edit"]["kept"], after["edit"]["dropped"]) == (6, 3)
    back = act(net["id"], "undo")
    assert back["layers"] == [2, 3, 1] and back["weights"] == net["weights"]


def test_hidden_layers_added_and_removed_before_the_output(client, create):
    net = create(**XOR)
    deeper = patch(client, net["id"], layers=[2, 3, 2, 1])
    assert deeper["weights"][0] == net["weights"][0]  # W¹ joins the same neurons
    assert deeper["activations"] == ["tanh", "tanh", "sigmoid"]
    assert deeper["biases"][2] == net["biases"][1]  # the output keeps its bias
    shallow = patch(client, net["id"], layers=[2, 3, 1])
    assert shallow["weights"][0] == net["weights"][0]
    assert shallow["activations"] == ["tanh", "sigmoid"]


def test_a_change_clears_the_iteration_and_marks_the_history(client, create, act):
    net = create(**XOR)
    act(net["id"], "train", {"iterations": 30})
    act(net["id"], "forward")
    after = patch(client, net["id"], layers=[2, 4, 1])
    assert after["cursor"]["phase"] == "idle"
    assert after["changes"] == [{"iteration": 30, "what": "layers 2–3–1 → 2–4–1"}]
    trained = act(net["id"], "train", {"iterations": 10})
    assert [it for it, _ in trained["loss_history"]][-1] == 40  # the history goes on


def test_features_switched_on_are_input_neurons_with_their_values(client, create, act):
    net = create(**XOR)
    after = patch(client, net["id"], features=["x1", "x2", "x1^2", "x1*x2"])
    assert after["features"] == ["x1", "x2", "x1^2", "x1*x2"] and after["layers"][0] == 4
    assert [row[:2] for row in after["weights"][0]] == net["weights"][0]
    state = act(net["id"], "forward")
    x = after["inputs"]
    a0 = state["trace"]["a0"]
    for sample, row in zip(x, a0):
        x1, x2 = sample
        assert row == pytest.approx([x1, x2, x1 * x1, x1 * x2], abs=1e-15)
    # the samples stay the data: two numbers each
    assert all(len(sample) == 2 for sample in after["inputs"])


def test_features_at_create(create):
    net = create(**{**XOR, "layers": [3, 3, 1]}, features=["x1^2", "x2^2", "sin(x1)"])
    assert net["features"] == ["x1^2", "x2^2", "sin(x1)"]
    assert len(net["weights"][0][0]) == 3


def test_activation_loss_init_and_seed(client, create, act):
    net = create(**XOR)
    relu = patch(client, net["id"], activations=["relu", "sigmoid"])
    assert relu["activations"] == ["relu", "sigmoid"] and relu["weights"] == net["weights"]
    act(net["id"], "train", {"iterations": 5})
    seeded = patch(client, net["id"], seed=8)
    assert seeded["seed"] == 8 and seeded["iteration"] == 0 and seeded["loss_history"] == []
    assert seeded["weights"] != net["weights"]
    assert "seed 8" in seeded["edit"]["message"]
    again = patch(client, net["id"], seed=7)  # the first seed again: the first weights again
    assert again["weights"] == net["weights"]
    he = patch(client, net["id"], init="he", init_scale=0.5)
    assert (he["init"], he["init_scale"]) == ("he", 0.5)
    mse = patch(client, net["id"], loss="mse")
    assert mse["loss"] == "mse" and mse["edit"]["changed"] == ["loss"]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"layers": [2, 0, 1]}, "layers[1]", "leave the layer out"),  # the last neuron
        ({"layers": [2, 17, 1]}, "layers[1]", "16"),
        ({"layers": [2, 2, 2, 2, 2, 2, 2, 2, 1]}, "layers", "8"),
        ({"layers": [3, 3, 1]}, "layers[0]", "one neuron per feature"),
        ({"layers": [2, 3, 2]}, "layers[2]", "one neuron per target"),
        ({"layers": [2, 3, 1], "activations": ["tanh"]}, "activations", ""),
        ({"features": ["x1", "x3"]}, "features[1]", "x1^2"),
        ({"features": ["x1", "x1"]}, "features", "twice"),
        ({"features": []}, "features", ""),
        ({"activations": ["softmax", "sigmoid"]}, "activations", ""),
        ({"seed": -1}, "seed", ""),
        ({"init": "glorot"}, "init", ""),
        ({"init_scale": 0}, "init_scale", ""),
    ],
)
def test_bad_changes_are_422_naming_the_field_and_change_nothing(
    client, create, body, field, words
):
    net = create(**XOR)
    assert words in refused(client, net["id"], field, **body)


def test_features_on_a_one_input_dataset_are_refused(client, create):
    net = create(**SINE)
    assert "1 input" in refused(client, net["id"], "features", features=["x1"])


def test_keep_a_run_and_compare_the_next(client, create, act):
    net = create(**XOR)
    act(net["id"], "train", {"iterations": 40})
    kept = checked(client.post(f"/api/networks/{net['id']}/keep", json={}))
    ghost = kept["kept"]["ghost"]
    assert ghost["label"] == "run 1: sgd η 0.5, seed 7, 2–3–1 tanh"
    assert ghost["settings"]["learning_rate"] == 0.5 and ghost["iteration"] == 40
    assert ghost["loss"] == [list(p) for p in kept["loss_history"]]
    assert kept["ghosts"] == [ghost]
    reset = act(net["id"], "reset")
    assert reset["ghosts"] == [ghost] and reset["loss_history"] == []
    export = checked(client.get(f"/api/networks/{net['id']}/export"))
    assert export["ghosts"] == [ghost]
    imported = create(**export)
    assert imported["ghosts"] == [ghost]
    forgot = checked(client.delete(f"/api/networks/{net['id']}/ghosts/1", headers=JSON))
    assert forgot["ghosts"] == []
    assert checked(client.post(f"/api/networks/{net['id']}/undo", json={}))["ghosts"] == [ghost]


def test_at_most_four_kept_runs_the_oldest_goes(client, create, act):
    net = create(**XOR)
    act(net["id"], "train", {"iterations": 3})
    for n in range(1, 6):
        body = checked(client.post(f"/api/networks/{net['id']}/keep", json={"label": f"r{n}"}))
    assert [g["label"] for g in body["ghosts"]] == ["r2", "r3", "r4", "r5"]
    assert body["kept"]["dropped"] == "r1"


def test_keep_refusals(client, create):
    net = create(**XOR)
    bare = client.post(f"/api/networks/{net['id']}/keep")  # neither JSON nor our own page
    assert bare.status_code == 415
    assert client.delete(f"/api/networks/{net['id']}/ghosts/1").status_code == 415
    nothing = checked(client.post(f"/api/networks/{net['id']}/keep", json={}), 422)
    assert "train first" in nothing["detail"]
    long = {"label": "x" * 81}
    assert (
        "label" in checked(client.post(f"/api/networks/{net['id']}/keep", json=long), 422)["detail"]
    )
    missing = checked(client.delete(f"/api/networks/{net['id']}/ghosts/3", headers=JSON), 422)
    assert "no kept run 3" in missing["detail"]


def test_train_stops_on_the_loss_or_the_accuracy(client, create, act):
    net = create(**XOR)
    first = act(net["id"], "train", {"iterations": 1})["loss_history"][0][1]
    # any loss below first·2 comes at once: the next iteration's
    stopped = act(net["id"], "train", {"iterations": 500, "stop": {"loss_below": first * 2}})
    assert stopped["trained"] == 1 and stopped["stopped"]["kind"] == "loss"
    none = act(net["id"], "train", {"iterations": 20, "stop": {"loss_below": 1e-12}})
    assert none["trained"] == 20 and none["stopped"] is None
    adam = create(**{**XOR, "optimizer": "adam", "learning_rate": 0.05})
    acc = act(adam["id"], "train", {"iterations": 5000, "stop": {"accuracy": 1}})
    assert acc["stopped"]["kind"] == "accuracy" and acc["trained"] < 5000
    assert acc["accuracy_history"][-1][1] == 1.0


@pytest.mark.parametrize(
    "stop",
    [{"loss_below": 0}, {"loss_below": -1}, {"accuracy": 1.5}, {"accuracy": 0}, {"after": 3}],
)
def test_bad_stop_conditions_are_422(create, act, stop):
    net = create(**XOR)
    body = act(net["id"], "train", {"iterations": 5, "stop": stop}, status=422)
    assert body["detail"].startswith("stop"), body["detail"]


def test_no_accuracy_to_stop_on_for_regression(create, act):
    net = create(**SINE)
    body = act(net["id"], "train", {"iterations": 5, "stop": {"accuracy": 1}}, status=422)
    assert "regression" in body["detail"]
    assert act(net["id"], "train", {"iterations": 1})["iteration"] == 1  # nothing trained


def test_the_training_view_has_the_accuracy_curve_and_confusion(client, create, act):
    net = create(**{**XOR, "test_split": 0.0})
    act(net["id"], "train", {"iterations": 60})
    response = client.get(f"/api/networks/{net['id']}/training-view")
    assert response.status_code == 200
    view = TrainingView.model_validate(response.json()).model_dump()
    assert len(view["accuracy_history"]) >= 1
    train = view["train"]
    matrix = train["confusion"]
    assert len(matrix) == 2 and sum(map(sum, matrix)) == len(train["classes"])
    right = matrix[0][0] + matrix[1][1]
    assert math.isclose(right / sum(map(sum, matrix)), train["accuracy"])
    # counts[actual][predicted], by hand from the classes
    pairs = list(zip(train["classes"], train["predicted"]))
    assert matrix[1][0] == sum(1 for a, p in pairs if (a, p) == (1, 0))

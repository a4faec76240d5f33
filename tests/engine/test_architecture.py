"""Changing a network's shape without starting over: every weight, bias, initial value and
optimiser moment of the neurons that stay kept bit for bit through each change (a neuron
added or removed, a hidden layer added or removed, features switched), the new ones drawn
from the initialiser and seed (the same change, the same numbers), training carrying on
with a mark on the loss history, and every refusal changing nothing."""

import json

import numpy as np
import pytest

from engine import SpecError, create_network, edit_network, from_record, limits, to_record
from engine.core.initialisers import init_parameters

CIRCLE = {
    "layers": [2, 3, 1],
    "activations": ["tanh", "sigmoid"],
    "loss": "bce",
    "learning_rate": 0.05,
    "seed": 3,
    "dataset": {"name": "circle", "samples": 40, "seed": 2},
}


def trained(optimizer="adam", **over):
    net = create_network({**CIRCLE, "optimizer": optimizer, **over})
    net.train(25)  # moments and weights all non-zero, different from the initial ones
    return net


def snapshot(net):
    """Copies of everything a change may keep: W, b, the initial ones, the moments."""
    state = {
        k: [None if a is None else a.copy() for a in v]
        for k, v in net.optimizer_state.items()
        if k != "t"
    }
    return {
        "w": [w.copy() for w in net.weights],
        "b": [b.copy() for b in net.biases],
        "w0": [w.copy() for w in net.initial[0]],
        "b0": [b.copy() for b in net.initial[1]],
        "state": state,
        "t": net.optimizer_state.get("t"),
    }


def same(a, b):
    """Bit for bit: equal values (NaN never appears) and equal shapes."""
    assert a.shape == b.shape
    assert a.tobytes() == b.tobytes()


def fresh(net):
    """What the initialiser draws for the network's new shape and seed."""
    spec = net.spec
    return init_parameters(spec.layers, spec.init, spec.init_scale, spec.seed)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_a_neuron_added_to_a_hidden_layer_keeps_every_other_value(optimizer):
    net = trained(optimizer)
    before = snapshot(net)
    report = edit_network(net, layers=[2, 4, 1])
    new_w, _ = fresh(net)
    # W¹: rows 1..3 (the old neurons) kept, row 4 drawn; b¹: 1..3 kept, 4 zero
    same(net.weights[0][:3], before["w"][0])
    same(net.weights[0][3], new_w[0][3])
    same(net.biases[0][:3], before["b"][0])
    assert net.biases[0][3] == 0.0
    # W²: columns 1..3 kept, column 4 (from the new neuron) drawn; b² kept
    same(net.weights[1][:, :3], before["w"][1])
    same(net.weights[1][:, 3], new_w[1][:, 3])
    same(net.biases[1], before["b"][1])
    # Reset's targets: the kept initial values, the same new draws
    same(net.initial[0][0][:3], before["w0"][0])
    same(net.initial[0][0][3], new_w[0][3])
    same(net.initial[0][1][:, :3], before["w0"][1])
    for key, arrays in before["state"].items():  # momentum's v, Adam's m and v
        moved = net.optimizer_state[key]
        same(moved[0][:3], arrays[0])
        assert not moved[0][3].any()
        same(moved[1][:, :3], arrays[1])
        assert moved[1][0, 3] == 0.0
        same(moved[2][:3], arrays[2])  # b¹'s moments
        same(moved[3], arrays[3])
    assert net.optimizer_state.get("t") == before["t"]
    # 6 + 3 weights kept, 2 (into the new neuron) + 1 (out of it) drawn
    assert (report["kept"], report["drawn"], report["dropped"]) == (9, 3, 0)
    assert "2–3–1 → 2–4–1" in report["message"]


def test_a_neuron_removed_drops_its_weights_and_keeps_the_others():
    net = trained(layers=[2, 4, 1])
    before = snapshot(net)
    report = edit_network(net, layers=[2, 3, 1])
    same(net.weights[0], before["w"][0][:3])
    same(net.biases[0], before["b"][0][:3])
    same(net.weights[1], before["w"][1][:, :3])
    for key, arrays in before["state"].items():
        same(net.optimizer_state[key][0], arrays[0][:3])
        same(net.optimizer_state[key][1], arrays[1][:, :3])
    assert (report["kept"], report["drawn"], report["dropped"]) == (9, 0, 3)


def test_a_hidden_layer_added_before_the_output_keeps_the_layers_below():
    net = trained()
    before = snapshot(net)
    report = edit_network(net, layers=[2, 3, 2, 1])
    new_w, _ = fresh(net)
    assert net.spec.activations == ("tanh", "tanh", "sigmoid")  # the last hidden one's
    same(net.weights[0], before["w"][0])
    same(net.biases[0], before["b"][0])
    same(net.weights[1], new_w[1])  # the new layer's weights, drawn
    assert not net.biases[1].any()
    same(net.weights[2], new_w[2])  # the output now listens to the new layer: drawn
    same(net.biases[2], before["b"][1])  # the output neuron's own bias stays
    same(net.optimizer_state["m"][0], before["state"]["m"][0])
    assert not net.optimizer_state["m"][1].any() and not net.optimizer_state["m"][2].any()
    same(net.optimizer_state["m"][5], before["state"]["m"][3])  # b of the output
    assert (report["kept"], report["drawn"], report["dropped"]) == (6, 8, 3)


def test_a_hidden_layer_removed_keeps_the_ones_below_and_the_output_bias():
    net = trained(layers=[2, 3, 2, 1], activations=["tanh", "relu", "sigmoid"])
    before = snapshot(net)
    edit_network(net, layers=[2, 3, 1])
    new_w, _ = fresh(net)
    assert net.spec.activations == ("tanh", "sigmoid")
    same(net.weights[0], before["w"][0])
    same(net.weights[1], new_w[1])  # the output listens to layer 1 now: drawn
    same(net.biases[1], before["b"][2])
    same(net.optimizer_state["v"][0], before["state"]["v"][0])


def test_features_switched_keep_the_columns_of_the_features_that_stay():
    net = trained()
    before = snapshot(net)
    report = edit_network(net, features=["x1", "x2", "x1^2", "x2^2"])
    new_w, _ = fresh(net)
    assert net.spec.layers == (4, 3, 1)
    same(net.weights[0][:, :2], before["w"][0])
    same(net.weights[0][:, 2:], new_w[0][:, 2:])
    same(net.weights[1], before["w"][1])
    same(net.optimizer_state["m"][0][:, :2], before["state"]["m"][0])
    assert not net.optimizer_state["m"][0][:, 2:].any()
    assert (report["kept"], report["drawn"]) == (9, 6)
    kept = [c.copy() for c in net.weights[0].T]  # columns of x1, x2, x1², x2²
    edit_network(net, features=["x2^2", "x2"])  # dropped x1 and x1²; order as given
    same(net.weights[0][:, 0], kept[3])
    same(net.weights[0][:, 1], kept[1])


def test_the_same_change_draws_the_same_numbers():
    a, b = trained(), trained()
    edit_network(a, layers=[2, 5, 1])
    edit_network(b, layers=[2, 5, 1])
    for wa, wb in zip(a.weights, b.weights):
        same(wa, wb)
    edit_network(b, layers=[2, 3, 1])  # removed and added again: drawn again the same
    edit_network(b, layers=[2, 5, 1])
    for wa, wb in zip(a.weights, b.weights):
        same(wa, wb)


def test_a_frozen_bias_layer_gets_a_new_neuron_with_a_zero_frozen_bias():
    net = trained(
        bias=["frozen", "trained"],
        weights=[[[0.1, 0.2]] * 3, [[0.3] * 3]],
        biases=[[0.5, 0.6, 0.7], [0.1]],
    )
    edit_network(net, layers=[2, 4, 1])
    np.testing.assert_array_equal(net.biases[0], [0.5, 0.6, 0.7, 0.0])
    assert net.optimizer_state["m"][2] is None  # a frozen bias has no moments
    net.train(5)
    np.testing.assert_array_equal(net.biases[0], [0.5, 0.6, 0.7, 0.0])


def test_training_carries_on_with_a_mark_where_the_network_changed():
    net = trained()
    points = len(net.history.as_list())
    edit_network(net, layers=[2, 4, 1])
    assert net.iteration == 25 and net.phase == "idle"
    net.train(10)
    assert net.iteration == 35 and len(net.history.as_list()) == points + 10
    assert net.changes == [{"iteration": 25, "what": "layers 2–3–1 → 2–4–1"}]
    copy = from_record(json.loads(json.dumps(to_record(net))))
    assert copy.changes == net.changes
    copy.reset()
    assert copy.changes == [] and copy.spec.layers == (2, 4, 1)


def test_the_iteration_in_progress_is_cleared():
    net = trained()
    net.forward()
    edit_network(net, layers=[2, 4, 1])
    assert (net.phase, net.layer, net.trace.layers[0].z) == ("idle", 0, None)
    net.step()  # and the new shape steps
    assert net.trace.layers[0].z.shape == (40, 4)


def test_an_activation_changes_alone_and_keeps_every_weight():
    net = trained()
    before = snapshot(net)
    report = edit_network(net, activations=["relu", "sigmoid"])
    for w, old in zip(net.weights, before["w"]):
        same(w, old)
    assert report["kept"] == 9 and report["drawn"] == 0
    assert net.changes[-1]["what"] == "layer 1 tanh → relu"


def test_the_output_activation_and_loss_change_together():
    net = trained()
    edit_network(net, activations=["tanh", "linear"], loss="mse")
    assert (net.spec.activations[-1], net.spec.loss) == ("linear", "mse")


@pytest.mark.parametrize(
    ("edit", "field", "words"),
    [
        ({"layers": [2, 0, 1]}, "layers[1]", "1 to 16 neurons"),
        ({"layers": [2, limits.MAX_NEURONS + 1, 1]}, "layers[1]", "1 to 16 neurons"),
        ({"layers": [2, *[3] * 7, 1]}, "layers", "2 to 8 layers"),
        ({"layers": [2, 3, 2]}, "layers[2]", "one neuron per target"),
        ({"layers": [3, 3, 1]}, "layers[0]", "one neuron per feature"),
        ({"features": ["x1", "x3"]}, "features[1]", "not a feature"),
        ({"features": []}, "features", "one or more"),
        ({"features": ["x1", "x1"]}, "features", "twice"),
        ({"activations": ["tanh"]}, "activations", "one activation per layer"),
        ({"activations": ["tanh", "linear"]}, "activations", "bce needs"),
        ({"activations": ["softmax", "sigmoid"]}, "activations[0]", "output layer"),
        ({"seed": -1}, "seed", "whole number"),
        ({"init": "glorot"}, "init", "unknown initialisation"),
        ({"init_scale": 0}, "init_scale", "above 0"),
    ],
)
def test_a_bad_change_names_its_field_and_changes_nothing(edit, field, words):
    net = trained()
    before = json.dumps(to_record(net, trace=True), sort_keys=True)
    with pytest.raises(SpecError) as e:
        edit_network(net, **edit)
    assert e.value.field == field and words in e.value.message
    assert json.dumps(to_record(net, trace=True), sort_keys=True) == before


def test_features_need_samples_in_the_plane():
    net = create_network({"preset": "sine-regression"})
    with pytest.raises(SpecError) as e:
        edit_network(net, features=["x1", "x1^2"])
    assert e.value.field == "features" and "1 input" in e.value.message


def test_a_new_seed_starts_a_new_run_from_new_initial_parameters():
    net = trained()
    edit_network(net, layers=[2, 4, 1])
    net.ghosts = [{"number": 1, "label": "kept"}]  # a kept run survives a new run
    report = edit_network(net, seed=7)
    expected_w, _ = init_parameters([2, 4, 1], "xavier", 0.1, 7)
    for w, e in zip(net.weights, expected_w):
        same(w, e)
    assert net.iteration == 0 and net.history.as_list() == [] and net.changes == []
    assert not net.optimizer_state["m"][0].any() and net.optimizer_state["t"] == 0
    assert net.ghosts == [{"number": 1, "label": "kept"}]
    assert "seed 7" in report["message"]
    net.train(3)
    net.reset()  # and Reset goes back to the new seed's parameters
    same(net.weights[0], expected_w[0])


@pytest.mark.parametrize("layers", [[2, 3, 4, 1], [2, 1]])
def test_a_new_depth_steps_and_trains_through_every_layer(layers):
    net = trained()
    edit_network(net, layers=layers)
    assert net.depth == len(layers) - 1 == len(net.trace.layers)
    net.step()  # each layer forward and backward, then the update
    assert [lt.a.shape[1] for lt in net.trace.layers] == layers[1:]
    net.train(5)
    assert net.iteration == 31

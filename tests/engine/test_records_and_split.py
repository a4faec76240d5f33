"""Diagnostics records and hints kept by the network; the train / test split and the
test loss history."""

import json
import math

import numpy as np
import pytest

from engine import (
    SpecError,
    create_network,
    edit_network,
    from_record,
    network_hints,
    to_record,
)
from engine.core import passes
from engine.limits import MAX_RECORDS


def dump(net, trace=True):
    return json.dumps(to_record(net, trace=trace), sort_keys=True)


def test_traced_updates_keep_one_record_each_at_most_fifty():
    net = create_network({"preset": "vanishing-sigmoid"})
    net.step()
    rec = net.records[-1]
    assert rec["iteration"] == 1
    norms = [float(np.sqrt((lt.grad_w**2).sum())) for lt in net.trace.layers]
    np.testing.assert_allclose(rec["grad_norms"], norms, rtol=1e-12)
    for _ in range(MAX_RECORDS + 5):
        net.step()
    assert len(net.records) == MAX_RECORDS
    assert [r["iteration"] for r in net.records] == list(range(7, 57))


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_fast_path_record_equals_the_traced_record_of_the_same_iteration(optimizer):
    config = {
        "preset": "gauss-softmax",
        "optimizer": optimizer,
        "learning_rate": 0.05,
        "layers": [2, 6, 5, 3],
        "activations": ["relu", "sigmoid", "softmax"],
    }
    fast, traced = create_network(config), create_network(config)
    fast.train(40)
    traced.train(39)
    traced.step()
    a, b = fast.records[-1], traced.records[-1]
    assert a["iteration"] == b["iteration"] == 40
    np.testing.assert_allclose(a["grad_norms"], b["grad_norms"], rtol=1e-9)
    assert a["saturation"] == b["saturation"] and a["dead"] == b["dead"]
    assert a["saturation"][0] > 0  # the relu layer has units at 0 for some samples


def test_records_round_trip_and_reset():
    net = create_network({"preset": "circle-tanh"})
    net.train(300)  # two chunks of the fast path: two records
    net.step()
    assert [r["iteration"] for r in net.records] == [256, 300, 301]
    full = dump(net)
    assert dump(from_record(json.loads(full))) == full
    assert json.loads(full)["diagnostics"][-1]["iteration"] == 301
    net.reset()
    assert net.records == [] and to_record(net, trace=True)["diagnostics"] == []


def test_seed_xor_hints_name_the_plateau_at_ln2_and_the_advice_works():
    net = create_network({"preset": "seed-xor"})
    net.train(2000)
    hints = network_hints(net)
    assert [h["kind"] for h in hints] == ["stuck_at_average"]
    message = hints[0]["message"]
    assert "0.6931" in message and "ln 2" in message
    assert "Adam" in message and "init_scale 1" in message
    # the advice is true for this network: both leave ln 2 quickly ...
    adam = create_network({"preset": "seed-xor", "optimizer": "adam"})
    assert adam.train(200).losses[-1] < 0.6
    wide = create_network({"preset": "seed-xor", "init_scale": 1.0})
    assert wide.train(5000).losses[-1] < 0.6
    # ... while plain training barely moves, and the hint then goes away
    assert net.train(5000).losses[-1] > 0.69
    assert network_hints(adam) == [] or "stuck_at_average" not in {
        h["kind"] for h in network_hints(adam)
    }


def test_divergence_is_kept_for_the_hints_until_training_succeeds():
    net = create_network({"preset": "sine-regression", "learning_rate": 100.0})
    result = net.train(500)
    assert result.diverged is not None
    assert net.last_divergence == result.diverged
    assert "diverged" in [h["kind"] for h in network_hints(net)]
    net.reset()
    assert net.last_divergence is None
    net.last_divergence = result.diverged
    assert from_record(json.loads(dump(net))).last_divergence == result.diverged
    edit_network(net, learning_rate=0.01)
    net.train(5)
    assert net.last_divergence is None


def test_overfitting_hint_from_the_histories():
    from engine.inspect.diagnostics import overfitting_hint

    train = [(i, 1.0 / i) for i in range(1, 101)]
    rising = [(i, 0.5 + abs(i - 40) / 50) for i in range(1, 101, 10)]
    hint = overfitting_hint(train, rising)
    assert hint["kind"] == "overfitting" and "iteration 41" in hint["message"]
    assert overfitting_hint(train, [(i, 1.0 / i) for i in range(1, 101, 10)]) is None


def test_split_is_deterministic_disjoint_and_complete():
    whole = create_network({"preset": "circle-tanh"})
    net = create_network({"preset": "circle-tanh", "test_split": 0.25})
    again = create_network({"preset": "circle-tanh", "test_split": 0.25})
    other = create_network({"preset": "circle-tanh", "test_split": 0.25, "seed": 7})
    assert net.inputs.shape == (150, 2) and net.test_inputs.shape == (50, 2)
    np.testing.assert_array_equal(net.test_inputs, again.test_inputs)
    assert not np.array_equal(net.test_inputs, other.test_inputs)
    rows = {tuple(r) for r in np.hstack([whole.inputs, whole.targets])}
    train = {tuple(r) for r in np.hstack([net.inputs, net.targets])}
    test = {tuple(r) for r in np.hstack([net.test_inputs, net.test_targets])}
    assert train | test == rows and not train & test
    d = to_record(net, trace=True)
    assert d["test_split"] == 0.25 and len(d["test_inputs"]) == 50 and len(d["test_targets"]) == 50


@pytest.mark.parametrize(
    "preset, fraction, sizes",
    [("seed-xor", 0.5, (2, 2)), ("worked-example", 0.5, (1, 0)), ("seed-xor", 0.0, (4, 0))],
)
def test_at_least_one_training_sample_remains(preset, fraction, sizes):
    net = create_network({"preset": preset, "test_split": fraction})
    assert (len(net.inputs), len(net.test_inputs)) == sizes


@pytest.mark.parametrize("value", [-0.1, 0.6, "half", True, math.nan])
def test_bad_split_is_refused(value):
    with pytest.raises(SpecError) as err:
        create_network({"preset": "circle-tanh", "test_split": value})
    assert err.value.field == "test_split" and "0.5" in err.value.message


def held_out_loss(net, weights, biases):
    return passes.batch_loss(
        net.spec.activations, net.spec.loss, weights, biases, net.test_inputs, net.test_targets
    )


def test_traced_update_records_the_test_loss_of_the_forward_pass_parameters():
    net = create_network({"preset": "circle-tanh", "test_split": 0.2})
    before = ([w.copy() for w in net.weights], [b.copy() for b in net.biases])
    net.step()
    a = net.test_inputs
    for w, b, f in zip(*before, net.spec.activations):
        _, a = passes.forward_layer(w, b, a, f)
    y = net.test_targets
    expected = float(np.mean(-(y * np.log(a) + (1 - y) * np.log(1 - a)).sum(axis=1)))
    [[it, value]] = net.test_history.as_list()
    assert it == 1 and value == pytest.approx(expected, rel=1e-12)


def test_fast_path_records_the_test_loss_at_chunk_ends():
    net = create_network({"preset": "circle-tanh", "test_split": 0.2})
    net.train(300)
    twin = create_network({"preset": "circle-tanh", "test_split": 0.2})
    twin.train(299)  # the parameters iteration 300's forward pass used
    history = net.test_history.as_list()
    assert [it for it, _ in history] == [256, 300]
    assert history[-1][1] == pytest.approx(
        held_out_loss(twin, twin.weights, twin.biases), rel=1e-10
    )
    assert len(net.history.as_list()) == 300  # the training loss of every iteration
    full = dump(net)
    assert dump(from_record(json.loads(full))) == full
    net.reset()
    assert net.test_history.as_list() == []


def test_no_test_samples_no_test_history():
    net = create_network({"preset": "circle-tanh"})
    net.train(10)
    net.step()
    assert net.test_history.as_list() == [] and to_record(net, trace=True)["test_inputs"] == []


def test_data_edits_drop_the_split_unless_test_data_come_too():
    net = create_network({"preset": "seed-xor", "test_split": 0.5})
    edit_network(net, inputs=[[0, 0], [1, 1]], targets=[[0], [0]])
    assert len(net.test_inputs) == 0 and net.spec.test_split == 0.0
    edit_network(
        net, inputs=[[0, 0], [1, 1]], targets=[[0], [0]], test_inputs=[[0, 1]], test_targets=[[1]]
    )
    assert net.test_inputs.tolist() == [[0, 1]] and net.spec.test_split == pytest.approx(1 / 3)
    with pytest.raises(SpecError) as err:
        edit_network(net, test_inputs=[[0, 1, 2]], test_targets=[[1]])
    assert err.value.field == "test_inputs"
    assert net.test_inputs.tolist() == [[0, 1]]  # nothing changed


def test_explicit_test_data_in_create_round_trip_an_export():
    net = create_network({"preset": "circle-tanh", "test_split": 0.3})
    d = to_record(net, trace=True)
    config = {
        k: d[k]
        for k in (
            "layers",
            "activations",
            "loss",
            "learning_rate",
            "weights",
            "biases",
            "inputs",
            "targets",
            "test_inputs",
            "test_targets",
            "test_split",
            "optimizer",
        )
    }
    copy = create_network(config)
    for key in ("inputs", "targets", "test_inputs", "test_targets", "test_split"):
        assert to_record(copy, trace=True)[key] == d[key]

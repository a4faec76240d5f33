"""Samples from CSV text and regenerated datasets, and the training view's plain data."""

import numpy as np
import pytest

from engine import SpecError, create_network, edit_network, training_view
from engine.core import passes

XOR_CSV = "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n"
NET = {"layers": [2, 3, 1], "activations": ["tanh", "sigmoid"], "loss": "bce", "learning_rate": 0.5}


def test_csv_creates_the_network_with_its_samples():
    net = create_network({**NET, "csv": XOR_CSV})
    assert net.inputs.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert net.targets.tolist() == [[0], [1], [1], [0]]
    assert net.spec.dataset is None
    chosen = create_network({**NET, "csv": XOR_CSV, "csv_inputs": ["x2", "x1"], "csv_targets": [2]})
    assert chosen.inputs.tolist() == [[0, 0], [1, 0], [0, 1], [1, 1]]


def test_csv_label_column_gives_one_hot_targets_for_softmax():
    text = "a,b,kind\n0,0,cat\n1,1,dog\n2,0,bird\n0,2,dog\n"
    net = create_network(
        {
            "layers": [2, 4, 3],
            "activations": ["relu", "softmax"],
            "loss": "cce",
            "learning_rate": 0.1,
            "csv": text,
            "csv_label": "kind",
        }
    )
    assert net.targets.tolist() == [[0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 0, 1]]
    net.train(5)


@pytest.mark.parametrize(
    "text, field, words",
    [
        ("x1,x2,y\n0,0,0\n0,1\n", "csv", "line 3: expected 3 values, found 2"),
        ("x1,x2,y\n0,0,0\n0,a,1\n", "csv", "line 3, column 1: 'a' is not a number"),
        ("", "csv", "empty"),
    ],
)
def test_bad_csv_names_the_line_and_creates_nothing(text, field, words):
    with pytest.raises(SpecError) as err:
        create_network({**NET, "csv": text})
    assert err.value.field == field and words in err.value.message


def test_csv_column_choices_and_layer_mismatches_are_clear():
    with pytest.raises(SpecError) as err:
        create_network({**NET, "csv": XOR_CSV, "csv_targets": ["z"]})
    assert err.value.field == "csv_targets" and "no column named 'z'" in err.value.message
    with pytest.raises(SpecError) as err:
        create_network({**NET, "layers": [3, 3, 1], "csv": XOR_CSV})
    assert err.value.field == "layers[0]"
    assert "the CSV has 2 inputs per sample; make the input layer 2" in err.value.message
    with pytest.raises(SpecError) as err:
        create_network(
            {
                **NET,
                "layers": [2, 3, 2],
                "activations": ["tanh", "softmax"],
                "loss": "cce",
                "csv": "a,b,k\n0,0,x\n1,1,y\n2,2,z\n",
                "csv_label": "k",
            }
        )
    assert err.value.field == "layers[2]" and "3 classes" in err.value.message
    with pytest.raises(SpecError) as err:
        create_network({**NET, "csv": XOR_CSV, "dataset": "xor"})
    assert err.value.field == "csv" and "one source" in err.value.message


def test_csv_with_a_test_split():
    rows = "\n".join(f"{i / 10},{(i * 7 % 10) / 10},{i % 2}" for i in range(20))
    net = create_network({**NET, "csv": rows, "test_split": 0.25})
    assert (len(net.inputs), len(net.test_inputs)) == (15, 5)


def test_regenerate_the_dataset_with_new_options():
    net = create_network({"preset": "circle-tanh", "test_split": 0.2})
    net.train(3)
    net.forward()
    old = net.inputs.copy()
    edit_network(net, dataset={"name": "circle", "samples": 100, "noise": 0.1, "seed": 9})
    assert net.inputs.shape == (80, 2) and len(net.test_inputs) == 20
    assert (net.phase, net.iteration) == ("idle", 3)  # the iteration in progress is cleared
    assert net.spec.dataset["seed"] == 9 and not np.array_equal(net.inputs[:5], old[:5])
    edit_network(net, dataset="moons", test_split=0.5)
    assert (len(net.inputs), len(net.test_inputs)) == (100, 100)
    assert net.spec.dataset == {"name": "moons"} and net.spec.test_split == 0.5


def test_regenerate_errors_change_nothing():
    net = create_network({"preset": "circle-tanh"})
    before = net.inputs.copy()
    for edit, field in (
        [{"dataset": "sine"}, "layers[0]"],
        [{"dataset": {"name": "circle", "samples": 0}}, "dataset.samples"],
        [{"dataset": "xor", "inputs": [[0, 0]]}, "dataset"],
        [{"test_split": 0.9}, "test_split"],
        [{"optimizer": "adam", "dataset": "nope"}, "dataset"],
    ):
        with pytest.raises(SpecError) as err:
            edit_network(net, **edit)
        assert err.value.field == field
    np.testing.assert_array_equal(net.inputs, before)
    assert net.spec.optimizer == "sgd"


def test_split_alone_resplits_explicit_samples():
    net = create_network(
        {
            "preset": "worked-example",
            "inputs": [[0, 0], [0, 1], [1, 0], [1, 1]],
            "targets": [[0, 1], [1, 0], [1, 0], [0, 1]],
        }
    )
    edit_network(net, test_split=0.5)
    assert (len(net.inputs), len(net.test_inputs)) == (2, 2)
    edit_network(net, test_split=0.0)
    assert sorted(net.inputs.tolist()) == [[0, 0], [0, 1], [1, 0], [1, 1]]


def forward(net, x):
    a = np.asarray(x, dtype=float)
    for w, b, f in zip(net.weights, net.biases, net.spec.activations):
        _, a = passes.forward_layer(w, b, a, f)
    return a


def test_training_view_plane_for_two_inputs():
    net = create_network({"preset": "circle-tanh", "test_split": 0.25})
    net.train(20)
    view = training_view(net, resolution=9, hidden=True)
    assert view["kind"] == "plane" and view["output_range"] == [0.0, 1.0]
    grid = view["grid"]
    out = np.array(grid["output"])
    assert out.shape == (9, 9, 1) and [np.array(h).shape for h in grid["hidden"]] == [
        (9, 9, 6),
        (9, 9, 6),
    ]
    r, c = 2, 7  # row r is y[r], column c is x[c]
    expected = forward(net, [[grid["x"][c], grid["y"][r]]])[0]
    np.testing.assert_allclose(out[r, c], expected, rtol=0, atol=1e-12)
    everything = np.vstack([net.inputs, net.test_inputs])
    assert grid["x"][0] < everything[:, 0].min() and grid["y"][-1] > everything[:, 1].max()
    train, test = view["train"], view["test"]
    assert len(train["inputs"]) == 150 and len(test["inputs"]) == 50
    assert train["classes"] == [int(t > 0.5) for t in net.targets[:, 0]]
    outputs = forward(net, net.test_inputs)
    assert test["predicted"] == [int(o > 0.5) for o in outputs[:, 0]]
    assert test["accuracy"] == np.mean(np.array(test["predicted"]) == np.array(test["classes"]))


def test_training_view_curve_softmax_and_more_inputs():
    sine = training_view(create_network({"preset": "sine-regression"}), resolution=11)
    assert sine["kind"] == "curve" and np.array(sine["grid"]["output"]).shape == (11, 1)
    assert sine["train"]["classes"] is None and sine["test"]["inputs"] == []
    low, high = sine["output_range"]
    assert low <= min(np.array(sine["grid"]["output"]).min(), -0.9) and high >= 0.9
    gauss = training_view(create_network({"preset": "gauss-softmax"}), resolution=5)
    assert np.array(gauss["grid"]["argmax"]).shape == (5, 5)
    assert set(gauss["train"]["classes"]) == {0, 1, 2}
    wide = create_network(
        {
            "layers": [3, 2, 1],
            "activations": ["tanh", "sigmoid"],
            "loss": "bce",
            "learning_rate": 0.1,
            "inputs": [[0, 0, 1], [1, 1, 0]],
            "targets": [[0], [1]],
        }
    )
    view = training_view(wide)
    assert view["kind"] == "samples_only" and view["grid"] is None
    with pytest.raises(SpecError) as err:
        training_view(wide, resolution=1000)
    assert err.value.field == "resolution"

"""Every named limit gives a SpecError naming the field; nothing is built or changed."""

import json

import pytest

from engine import SpecError, create_network, edit_network, limits, to_record

BASE = {
    "layers": [2, 3, 1],
    "activations": ["tanh", "sigmoid"],
    "loss": "bce",
    "learning_rate": 0.1,
    "dataset": "xor",
}


@pytest.mark.parametrize(
    "change,field,words",
    [
        ({"layers": [2] + [3] * 7 + [1]}, "layers", "8"),
        ({"layers": [2]}, "layers", "2"),
        ({"layers": [2, 17, 1], "activations": ["tanh", "sigmoid"]}, "layers[1]", "16"),
        ({"layers": [2, 0, 1]}, "layers[1]", "1"),
        ({"layers": [2, 2.5, 1]}, "layers[1]", "whole"),
        ({"activations": ["tanh"]}, "activations", "one activation per layer"),
        ({"activations": ["swish", "sigmoid"]}, "activations[0]", "unknown"),
        ({"loss": "hinge"}, "loss", "unknown"),
        ({"activations": ["softmax", "sigmoid"]}, "activations[0]", "softmax"),
        (
            {
                "layers": [2, 3, 2],
                "activations": ["tanh", "softmax"],
                "loss": "mse",
                "inputs": [[0, 0]],
                "targets": [[1, 0]],
            },
            "loss",
            "cce",
        ),
        ({"activations": ["tanh", "sigmoid"], "loss": "cce"}, "activations", "softmax"),
        ({"activations": ["tanh", "tanh"]}, "activations", "(0, 1)"),
        ({"activations": ["tanh", "linear"]}, "activations", "sigmoid"),
        ({"learning_rate": 0}, "learning_rate", "above 0"),
        ({"learning_rate": -0.1}, "learning_rate", "above 0"),
        ({"learning_rate": limits.MAX_LEARNING_RATE * 2}, "learning_rate", "at most"),
        ({"learning_rate": float("nan")}, "learning_rate", "finite"),
        ({"learning_rate": float("inf")}, "learning_rate", "finite"),
        ({"learning_rate": True}, "learning_rate", "finite"),
        ({"weights": [[[1, 2]] * 3, [[1, 2]]], "biases": [[0] * 3, [0]]}, "weights[1]", "shape"),
        (
            {"weights": [[[1, 2]] * 3, [[1, 2, 3]]], "biases": [[0] * 3, [0, 0]]},
            "biases[1]",
            "shape",
        ),
        (
            {"weights": [[[1, float("nan")]] * 3, [[1, 2, 3]]], "biases": [[0] * 3, [0]]},
            "weights[0]",
            "non-finite",
        ),
        (
            {"weights": [[[1, float("inf")]] * 3, [[1, 2, 3]]], "biases": [[0] * 3, [0]]},
            "weights[0]",
            "non-finite",
        ),
        ({"weights": [[[1, 2]] * 3, [[1, 2, 1e9]]], "biases": [[0] * 3, [0]]}, "weights[1]", "±"),
        ({"weights": [[[1, 2]] * 3]}, "weights", "2 matrices"),
        ({"inputs": [[0, 0, 0]], "targets": [[1]]}, "inputs", "shape"),
        ({"inputs": [[0, 0]], "targets": [[1, 0]]}, "targets", "shape"),
        ({"inputs": [[0, 0]], "targets": [[1], [0]]}, "targets", "rows"),
        ({"inputs": [[0, 0]], "targets": [[2.0]]}, "targets", "between 0 and 1"),
        (
            {
                "inputs": [[0, 0]] * (limits.MAX_SAMPLES + 1),
                "targets": [[1]] * (limits.MAX_SAMPLES + 1),
            },
            "inputs",
            "1000",
        ),
        ({"inputs": [], "targets": []}, "inputs", "samples"),
        ({"inputs": [[0, float("nan")]], "targets": [[1]]}, "inputs", "non-finite"),
        ({"inputs": [[0, 0]]}, "targets", "both"),
        ({"dataset": "mnist"}, "dataset", "unknown"),
        ({"dataset": {"name": "circle", "samples": 5000}}, "dataset.samples", "1000"),
        ({"dataset": {"name": "circle", "noise": 2}}, "dataset.noise", "between"),
        ({"dataset": {"name": "circle", "colour": 2}}, "dataset.colour", "option"),
        ({"dataset": "sine"}, "layers[0]", "1"),
        ({"init": "orthogonal"}, "init", "unknown"),
        ({"init": "normal", "init_scale": 0}, "init_scale", "above 0"),
        ({"seed": -1}, "seed", "2³²"),
        ({"preset": "nope"}, "preset", "unknown"),
        ({"colour": "red"}, "colour", "not a field"),
    ],
)
def test_invalid_config_names_the_field(change, field, words):
    config = {**BASE, **change}
    if "inputs" in change or "targets" in change:
        config.pop("dataset")
    with pytest.raises(SpecError) as info:
        create_network(config)
    assert info.value.field == field, str(info.value)
    assert words in str(info.value)


def test_cce_targets_must_be_one_hot():
    with pytest.raises(SpecError) as info:
        create_network(
            {
                "layers": [2, 3],
                "activations": ["softmax"],
                "loss": "cce",
                "learning_rate": 0.1,
                "inputs": [[0, 0]],
                "targets": [[0.5, 0.2, 0.2]],
            }
        )
    assert info.value.field == "targets"


def test_iterations_bounds():
    net = create_network(BASE)
    for bad in (0, -1, limits.MAX_ITERATIONS + 1, 2.0, True):
        with pytest.raises(SpecError) as info:
            net.train(bad)
        assert info.value.field == "iterations"
    assert net.iteration == 0


@pytest.mark.parametrize(
    "edit,field",
    [
        ({"learning_rate": 0}, "learning_rate"),
        ({"weights": [[[1, 2]]]}, "weights"),
        ({"biases": [[0, 0, 0], [float("nan")]]}, "biases[1]"),
        ({"inputs": [[0, 0, 1]] * 4}, "inputs"),
        ({"targets": [[3.0]] * 4}, "targets"),
    ],
)
def test_an_invalid_edit_changes_nothing(edit, field):
    net = create_network(BASE)
    net.forward()
    before = json.dumps(to_record(net, trace=True))
    with pytest.raises(SpecError) as info:
        edit_network(net, **edit)
    assert info.value.field == field
    assert json.dumps(to_record(net, trace=True)) == before

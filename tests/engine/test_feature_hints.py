"""The hint that names the control to change: a classifier in the plane below 90 % after
200 iterations is told which features make its dataset easy, or to add a hidden layer."""

import pytest

from engine import create_network, network_hints

LINEAR = {"layers": [2, 1], "activations": ["sigmoid"], "loss": "bce", "learning_rate": 0.5}


def kinds(net):
    return {h["kind"]: h["message"] for h in network_hints(net)}


@pytest.mark.parametrize("layers", [[2, 1], [2, 2, 1]])
def test_a_circle_without_squares_is_told_to_switch_them_on(layers):
    acts = ["tanh", "sigmoid"][-(len(layers) - 1) :]
    net = create_network({**LINEAR, "layers": layers, "activations": acts, "dataset": "circle"})
    net.train(199)
    assert "features" not in kinds(net)  # too early to tell
    net.train(1)
    message = kinds(net)["features"]
    accuracy = net.accuracy_history.last[1]
    assert accuracy < 0.9
    assert message.startswith(f"Training accuracy is {accuracy:.0%} after 200 iterations")
    assert "switch x₁² and x₂² on (Network card, Input features)" in message


def test_with_the_squares_on_the_circle_is_learned_and_no_hint_speaks():
    net = create_network(
        {**LINEAR, "layers": [4, 1], "dataset": "circle", "features": ["x1", "x2", "x1^2", "x2^2"]}
    )
    net.train(300)
    assert net.accuracy_history.last[1] >= 0.9 and "features" not in kinds(net)


def test_a_network_without_a_hidden_layer_is_told_to_add_one():
    net = create_network({**LINEAR, "dataset": "moons"})
    net.train(400)
    assert net.accuracy_history.last[1] < 0.9  # moons is not linearly separable
    assert "add one (+ layer under the diagram)" in kinds(net)["features"]


def test_regression_gets_no_accuracy_hint():
    net = create_network(
        {
            "layers": [1, 1],
            "activations": ["linear"],
            "loss": "mse",
            "learning_rate": 0.01,
            "dataset": "sine",
        }
    )
    net.train(300)
    assert "features" not in kinds(net)

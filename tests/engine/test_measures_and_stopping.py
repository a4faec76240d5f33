"""Accuracy and the confusion matrix worked out by hand, the accuracy histories a network
keeps while it trains, and the stop conditions of a train call (a loss to go below, an
accuracy to reach): where they stop, and that stopping changes nothing else."""

import numpy as np
import pytest

from engine import SpecError, create_network
from engine.core import measures, passes
from engine.fast.stopping import Stop, check_stop

MOONS = {
    "layers": [2, 6, 1],
    "activations": ["tanh", "sigmoid"],
    "loss": "bce",
    "learning_rate": 0.05,
    "optimizer": "adam",
    "seed": 2,
    "test_split": 0.2,
    "dataset": {"name": "moons", "samples": 60, "seed": 3},
}


def test_accuracy_and_confusion_of_one_output_by_hand():
    outputs = np.array([[0.7], [0.2], [0.6], [0.4], [0.9]])
    targets = np.array([[1.0], [0.0], [0.0], [1.0], [1.0]])
    # predicted 1, 0, 1, 0, 1 against 1, 0, 0, 1, 1: samples 1, 2 and 5 right, 3 of 5
    assert measures.accuracy(outputs, targets) == 3 / 5
    # rows: actual 0 (samples 2, 3: predicted 0 and 1), actual 1 (1, 4, 5: 1, 0, 1)
    assert measures.confusion(outputs, targets) == [[1, 1], [1, 2]]


def test_accuracy_and_confusion_of_three_classes_by_hand():
    outputs = np.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.1, 0.2, 0.7], [0.5, 0.1, 0.4]])
    targets = np.eye(3)[[0, 2, 2, 2]]
    # predicted 0, 1, 2, 0 against 0, 2, 2, 2: right for samples 1 and 3
    assert measures.accuracy(outputs, targets) == 0.5
    assert measures.confusion(outputs, targets) == [[1, 0, 0], [0, 0, 0], [1, 1, 1]]


def test_a_regression_network_has_no_accuracy():
    net = create_network({"preset": "sine-regression"})
    assert net.accuracies() == (None, None)
    net.train(20)
    assert net.accuracy_history.as_list() == []


def accuracy_of(net, weights, biases, a0, y):
    out = passes.outputs(net.spec.activations, weights, biases, a0)
    return float(np.mean((out[:, 0] > 0.5) == (y[:, 0] > 0.5)))


def test_a_step_records_the_accuracies_of_the_parameters_it_started_from():
    net = create_network(MOONS)
    net.step()
    w, b = net.previous.weights, net.previous.biases
    train = accuracy_of(net, w, b, net.a0, net.targets)
    test = accuracy_of(net, w, b, net.test_a0, net.test_targets)
    assert net.accuracy_history.as_list() == [[1, train]]
    assert net.test_accuracy_history.as_list() == [[1, test]]


def test_train_records_the_accuracies_once_a_chunk_beside_the_test_loss():
    net = create_network(MOONS)
    start = net.accuracies()[0]
    net.train(300)
    iterations = [i for i, _ in net.test_history.as_list()]
    assert [i for i, _ in net.accuracy_history.as_list()] == iterations
    assert [i for i, _ in net.test_accuracy_history.as_list()] == iterations
    assert len(iterations) >= 2 and iterations[-1] == 300
    assert all(0 <= a <= 1 for _, a in net.accuracy_history.as_list())
    assert net.accuracy_history.as_list()[-1][1] > start


def test_training_stops_right_after_the_first_loss_below_the_value():
    net, twin = create_network(MOONS), create_network(MOONS)
    result = net.train(2000, Stop(loss_below=0.3))
    k = len(result.losses)
    assert result.stopped["kind"] == "loss" and result.stopped["iteration"] == k == net.iteration
    assert result.losses[-1] < 0.3 and (result.losses[:-1] >= 0.3).all()
    assert "fell below 0.3" in result.stopped["reason"]
    twin.train(k)  # stopping there is the same as training exactly that many
    for a, b in zip([*net.weights, *net.biases], [*twin.weights, *twin.biases]):
        assert a.tobytes() == b.tobytes()
    assert net.history.as_list() == twin.history.as_list()


def test_training_stops_once_the_accuracy_reaches_the_value():
    net = create_network(MOONS)
    result = net.train(3000, Stop(accuracy=1.0))
    assert result.stopped["kind"] == "accuracy" and result.stopped["iteration"] == net.iteration
    assert net.accuracy_history.as_list()[-1] == [net.iteration, 1.0]
    assert all(a < 1.0 for _, a in net.accuracy_history.as_list()[:-1])
    assert "reached 100%" in result.stopped["reason"]


def test_without_a_condition_met_training_runs_every_iteration():
    net = create_network(MOONS)
    result = net.train(50, Stop(loss_below=1e-9, accuracy=1.0))
    assert result.stopped is None and net.iteration == 50


@pytest.mark.parametrize(
    ("value", "loss", "field"),
    [
        ({"loss_below": 0}, "bce", "stop.loss_below"),
        ({"loss_below": "small"}, "bce", "stop.loss_below"),
        ({"accuracy": 1.5}, "bce", "stop.accuracy"),
        ({"accuracy": 0}, "bce", "stop.accuracy"),
        ({"accuracy": 1}, "mse", "stop.accuracy"),
        ({"after": 10}, "bce", "stop"),
    ],
)
def test_a_bad_stop_condition_names_its_field(value, loss, field):
    with pytest.raises(SpecError) as e:
        check_stop(value, loss)
    assert e.value.field == field


def test_stop_conditions_read():
    assert check_stop(None, "bce") is None and check_stop({}, "bce") is None
    assert check_stop({"loss_below": 0.01, "accuracy": 1}, "bce") == Stop(0.01, 1.0)

"""The conventions at create and edit: each bad value names its field and what is allowed,
and changes nothing; each good one takes effect."""

import json

import numpy as np
import pytest

from engine import SpecError, create_network, edit_network, limits, to_record
from tests.engine.test_validation import BASE


@pytest.mark.parametrize(
    "change,field,words",
    [
        ({"bias": "sometimes"}, "bias", "trained, frozen, none"),
        ({"bias": ["trained"]}, "bias", "one per layer after the input (2)"),
        ({"bias": ["trained", "fixed"]}, "bias[1]", "trained, frozen, none"),
        ({"bias": 3}, "bias", "one of trained, frozen, none"),
        ({"loss": "sse", "activations": ["tanh", "softmax"], "layers": [2, 3, 2]}, "loss", "cce"),
        ({"reduction": "median"}, "reduction", "mean"),
        ({"reduction": "median"}, "reduction", "sum"),
        ({"batch_size": 0}, "batch_size", "from 1 to the number of training samples (4)"),
        ({"batch_size": 5}, "batch_size", "is 5"),
        ({"batch_size": 2.5}, "batch_size", "whole number"),
        ({"batch_size": True}, "batch_size", "whole number"),
        ({"batch_size": 4, "test_split": 0.25}, "batch_size", "training samples (3)"),
        ({"shuffle": "yes"}, "shuffle", "true or false"),
        ({"regularization": "l3"}, "regularization", "none, l2, l1"),
        ({"regularization_rate": -1}, "regularization_rate", "from 0 to 10"),
        ({"regularization_rate": limits.MAX_REGULARIZATION_RATE + 1}, "regularization_rate", "10"),
        ({"regularization_rate": float("nan")}, "regularization_rate", "finite"),
        ({"regularization_rate": True}, "regularization_rate", "finite"),
        (
            {"bias": "none", "weights": [[[1, 2]] * 3, [[1, 2, 3]]], "biases": [[0, 1, 0], [0]]},
            "biases[0]",
            "no bias term",
        ),
        ({"loss": "mse_mean", "activations": ["tanh", "softmax"]}, "loss", "cce"),
    ],
)
def test_invalid_convention_names_the_field(change, field, words):
    with pytest.raises(SpecError) as info:
        create_network({**BASE, **change})
    assert info.value.field == field, str(info.value)
    assert words in str(info.value)


def test_good_conventions_are_kept():
    net = create_network(
        {
            **BASE,
            "bias": ["frozen", "none"],
            "loss": "sse",
            "reduction": "sum",
            "batch_size": 2,
            "shuffle": False,
            "regularization": "l2",
            "regularization_rate": 0.5,
        }
    )
    spec = net.spec
    assert spec.bias == ("frozen", "none")
    assert (spec.loss, spec.reduction, spec.batch_size, spec.shuffle) == ("sse", "sum", 2, False)
    assert (spec.regularization, spec.regularization_rate) == ("l2", 0.5)
    assert not net.biases[1].any()


def test_no_biases_needed_when_no_layer_has_one():
    net = create_network({**BASE, "bias": "none", "weights": [[[1, 2]] * 3, [[1, 2, 3]]]})
    assert [b.tolist() for b in net.biases] == [[0.0, 0.0, 0.0], [0.0]]
    with pytest.raises(SpecError) as info:  # but a layer with a bias needs its values
        create_network(
            {**BASE, "bias": ["none", "trained"], "weights": [[[1, 2]] * 3, [[1, 2, 3]]]}
        )
    assert info.value.field == "biases"


@pytest.mark.parametrize(
    "edit,field",
    [
        ({"bias": ["trained"]}, "bias"),
        ({"bias": "fixed"}, "bias"),
        ({"loss": "cce"}, "activations"),
        ({"loss": "hinge"}, "loss"),
        ({"reduction": "max"}, "reduction"),
        ({"batch_size": 9}, "batch_size"),
        ({"batch_size": 0}, "batch_size"),
        ({"shuffle": 1}, "shuffle"),
        ({"regularization": "dropout"}, "regularization"),
        ({"regularization_rate": 10.5}, "regularization_rate"),
        ({"bias": "none", "biases": [[0, 0, 0.5], [0]]}, "biases[0]"),
        ({"inputs": [[0, 0]] * 2, "targets": [[0]] * 2}, "batch_size"),  # fewer than 3 now
        ({"test_split": 0.5}, "batch_size"),  # 2 training samples left
        ({"colour": "red"}, "colour"),
    ],
)
def test_an_invalid_convention_edit_changes_nothing(edit, field):
    net = create_network({**BASE, "batch_size": 3})
    net.forward()
    before = json.dumps(to_record(net, trace=True))
    with pytest.raises(SpecError) as info:
        edit_network(net, **edit)
    assert info.value.field == field, str(info.value)
    assert json.dumps(to_record(net, trace=True)) == before


def test_editing_the_loss_checks_the_targets():
    net = create_network({**BASE, "loss": "mse", "activations": ["tanh", "linear"]})
    edit_network(net, targets=[[2.0]] * 4)
    with pytest.raises(SpecError) as info:
        edit_network(net, loss="bce")
    assert info.value.field == "activations"  # bce needs a sigmoid output first
    explicit = {k: v for k, v in BASE.items() if k != "dataset"}
    sig = create_network({**explicit, "loss": "sse", "inputs": [[0, 0]], "targets": [[2.0]]})
    with pytest.raises(SpecError) as info:
        edit_network(sig, loss="bce")
    assert info.value.field == "targets" and "between 0 and 1" in str(info.value)
    edit_network(sig, loss="mse_mean")
    assert sig.spec.loss == "mse_mean"


@pytest.mark.parametrize(
    "edit",
    [
        {"bias": "frozen"},
        {"loss": "sse"},
        {"reduction": "sum"},
        {"batch_size": 2},
        {"shuffle": False},
        {"regularization": "l1"},
        {"regularization_rate": 0.0},
    ],
)
def test_a_convention_edit_takes_effect_and_clears_the_iteration(edit):
    net = create_network({**BASE, "batch_size": 3, "regularization_rate": 0.1})
    net.forward()
    edit_network(net, **edit)
    ((key, value),) = edit.items()
    assert getattr(net.spec, key) == (("frozen",) * 2 if key == "bias" else value)
    assert net.phase == "idle"
    net.step()
    assert np.isfinite(net.trace.loss)


def test_changing_bias_modes_moves_the_optimiser_state():
    net = create_network({"preset": "worked-example", "optimizer": "adam"})
    net.step()
    v_w, v_b = net.optimizer_state["v"][1].copy(), net.optimizer_state["v"][3].copy()
    edit_network(net, bias=["trained", "frozen"])
    state = net.optimizer_state
    assert state["t"] == 1 and state["v"][3] is None and state["m"][3] is None
    np.testing.assert_array_equal(state["v"][1], v_w)  # the weights' state is kept
    edit_network(net, bias="trained")
    assert state is not net.optimizer_state
    np.testing.assert_array_equal(net.optimizer_state["v"][3], np.zeros(2))  # starts afresh
    assert not np.array_equal(v_b, net.optimizer_state["v"][3])
    net.step()
    assert net.biases[1][0] != 0.60


def test_bias_none_zeroes_the_biases_now_and_on_reset():
    net = create_network({"preset": "worked-example"})
    edit_network(net, bias=["none", "trained"])
    assert net.biases[0].tolist() == [0.0, 0.0] and net.biases[1].tolist() == [0.60, 0.60]
    net.step()
    assert net.biases[0].tolist() == [0.0, 0.0]
    net.reset()
    assert net.biases[0].tolist() == [0.0, 0.0] and net.biases[1].tolist() == [0.60, 0.60]
    edit_network(net, bias="frozen")  # back to a bias term: it starts from zero
    assert net.biases[0].tolist() == [0.0, 0.0]

"""Backprop against central finite differences, for every allowed activation × loss pair."""

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from engine import create_network, gradcheck
from engine.core import passes
from engine.inspect.gradcheck import H, backprop

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
# (output activation, loss): every pair the spec allows
PAIRS = [(f, "mse") for f in HIDDEN] + [("sigmoid", "bce"), ("softmax", "cce")]
KINKED = {"relu", "leaky_relu"}


def random_net(seed, hidden, out_act, loss, widths, m):
    rng = np.random.default_rng(seed)
    n_in, n_out = int(rng.integers(1, 4)), int(rng.integers(2 if out_act == "softmax" else 1, 4))
    layers = [n_in, *widths, n_out]
    x = rng.normal(0, 1, (m, n_in))
    if loss == "cce":
        y = np.eye(n_out)[rng.integers(0, n_out, m)]
    elif loss == "bce":
        y = rng.uniform(0, 1, (m, n_out))
    else:
        y = rng.normal(0, 1, (m, n_out))
    return create_network(
        {
            "layers": layers,
            "activations": [*hidden, out_act],
            "loss": loss,
            "learning_rate": 0.1,
            "init": "normal",
            "init_scale": 0.8,
            "seed": seed,
            "inputs": x.tolist(),
            "targets": y.tolist(),
        }
    )


def distance_to_kink(net):
    """Smallest |z| over the layers whose activation has a kink at 0 (inf if none).
    A central difference straddles the kink only if some |z| < h·(|a^{l-1}| + 1)."""
    a, closest = net.inputs, np.inf
    for l in range(1, net.depth + 1):
        act = net.spec.activations[l - 1]
        z, a_next = passes.forward_layer(net.weights[l - 1], net.biases[l - 1], a, act)
        if act in KINKED:
            closest = min(closest, float(np.abs(z).min()) / (float(np.abs(a).max()) + 1.0))
        a = a_next
    return closest


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    seed=st.integers(0, 2**32 - 1),
    pair=st.sampled_from(PAIRS),
    hidden=st.lists(st.sampled_from(HIDDEN), min_size=0, max_size=3),
    width=st.integers(1, 5),
    m=st.integers(1, 6),
)
def test_backprop_matches_central_differences(seed, pair, hidden, width, m):
    out_act, loss = pair
    net = random_net(seed, hidden, out_act, loss, [width] * len(hidden), m)
    assume(distance_to_kink(net) > 100 * H)
    result = gradcheck(net)
    assert result["max"] < 1e-6, result
    assert len(result["layers"]) == net.depth


@pytest.mark.parametrize("out_act,loss", PAIRS)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_every_pair_with_every_hidden_activation(hidden, out_act, loss):
    for seed in range(3):
        net = random_net(seed, [hidden, hidden], out_act, loss, [4, 3], 5)
        if distance_to_kink(net) <= 100 * H:
            continue
        assert gradcheck(net)["max"] < 1e-6


def test_gradcheck_detects_a_wrong_gradient(monkeypatch):
    """The check can fail: a backprop that forgets the 1/m is caught."""
    net = random_net(7, ["tanh"], "sigmoid", "bce", [3], 4)

    def wrong(delta, a_prev, *conventions):
        return delta.T @ a_prev, delta.sum(axis=0)

    monkeypatch.setattr(passes, "parameter_gradients", wrong)
    assert gradcheck(net)["max"] > 0.1


def test_gradcheck_detects_an_error_in_a_vanishing_layer(monkeypatch):
    """A 10% error in gradients far below the floor still reads far above 1e-6."""
    net = create_network({"preset": "vanishing-sigmoid"})
    right = passes.parameter_gradients

    def wrong(delta, a_prev, *conventions):
        gw, gb = right(delta, a_prev, *conventions)
        return (gw * 1.1, gb) if a_prev is net.inputs else (gw, gb)

    monkeypatch.setattr(passes, "parameter_gradients", wrong)
    first = gradcheck(net)["layers"][0]
    assert first["weights"] > 1e-4 and first["biases"] < 1e-6


def test_floor_makes_tiny_gradients_absolute():
    result = gradcheck(create_network({"preset": "vanishing-sigmoid"}))
    first, last = result["layers"][0], result["layers"][-1]
    assert first["largest_gradient"] < result["floor"]  # vanishing: below the floor
    assert first["absolute"] < 1e-6 * result["floor"]  # agreement to the fd's resolution
    assert last["largest_gradient"] > 100 * first["largest_gradient"]
    assert result["max"] < 1e-6


@pytest.mark.parametrize("preset", ["seed-xor", "circle-tanh", "gauss-softmax", "sine-regression"])
def test_trace_gradients_equal_backprop(preset):
    net = create_network({"preset": preset})
    net.train(3)
    gw, gb, _, _, _, _ = backprop(net.spec, net.weights, net.biases, net.inputs, net.targets)
    net.forward(all=True)
    net.backward(all=True)
    for l, lt in enumerate(net.trace.layers):
        np.testing.assert_array_equal(lt.grad_w, gw[l])
        np.testing.assert_array_equal(lt.grad_b, gb[l])
    # and they are the true gradients
    assert gradcheck(net)["max"] < 1e-6

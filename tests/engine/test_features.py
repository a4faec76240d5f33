"""Input features: each φ(x) worked out by hand, its gradient ∂φ/∂x against central
differences, the network's input layer a⁰ = φ(x) in the trace, backprop through it
against finite differences (the weights, ∂ℓ/∂a⁰ and, by the chain rule, ∂ℓ/∂x), the fast
path against traced steps, and the boundary drawn over the samples' own plane."""

import math

import numpy as np
import pytest

from engine import create_network, gradcheck, trace_to_dict, training_view
from engine.core import features
from engine.inspect.gradcheck import sample_losses_from

H = 1e-6
ALL = list(features.FEATURES)
CIRCLE = {
    "layers": [7, 4, 1],
    "activations": ["tanh", "sigmoid"],
    "loss": "bce",
    "learning_rate": 0.3,
    "seed": 5,
    "features": ALL,
    "dataset": {"name": "circle", "samples": 30, "seed": 4},
}


def test_each_feature_by_hand():
    x = np.array([[0.5, -2.0]])
    a0 = features.apply(tuple(ALL), x)[0]
    by_hand = [0.5, -2.0, 0.25, 4.0, -1.0, math.sin(0.5), math.sin(-2.0)]
    assert a0.tolist() == by_hand


def test_x1_x2_is_the_samples_themselves():
    x = np.array([[0.5, -2.0], [1.0, 3.0]])
    assert features.apply(features.IDENTITY, x) is x
    assert features.apply(None, x) is x


@pytest.mark.parametrize("name", ALL)
def test_each_gradient_against_central_differences(name):
    rng = np.random.default_rng(1)
    x = rng.uniform(-2, 2, (20, 2))
    feature = features.FEATURES[name]
    for axis in (0, 1):
        step = np.zeros(2)
        step[axis] = H
        numeric = (feature.f(x + step) - feature.f(x - step)) / (2 * H)
        np.testing.assert_allclose(feature.grad(x)[:, axis], numeric, rtol=0, atol=1e-8)
    jac = features.jacobian((name,), x)
    np.testing.assert_array_equal(jac[:, 0, :], feature.grad(x))


def test_the_input_layer_is_phi_of_the_samples_and_the_trace_shows_it():
    net = create_network(CIRCLE)
    assert net.inputs.shape == (30, 2) and net.a0.shape == (30, 7)
    np.testing.assert_array_equal(net.a0[:, 2], net.inputs[:, 0] ** 2)
    np.testing.assert_array_equal(net.a0[:, 4], net.inputs[:, 0] * net.inputs[:, 1])
    net.forward()
    trace = trace_to_dict(net)
    assert trace["a0"] == net.a0.tolist()
    z1 = net.a0 @ net.weights[0].T + net.biases[0]
    np.testing.assert_array_equal(net.trace.layers[0].z, z1)


def test_backprop_through_the_features_matches_finite_differences():
    net = create_network(CIRCLE)
    net.train(40)
    check = gradcheck(net)
    assert check["max"] < 1e-6  # every W, b and ∂ℓ/∂a⁰
    net.forward(all=True)
    net.backward(all=True)
    # ∂ℓ_i/∂x_i = (∂a⁰/∂x)ᵀ ∂ℓ_i/∂a⁰: the chain rule through φ, against moving x itself
    chained = np.einsum(
        "mk,mkd->md", net.trace.dloss_dinput, features.jacobian(net.spec.features, net.inputs)
    )
    spec = net.spec
    for axis in (0, 1):
        step = np.zeros(2)
        step[axis] = H
        sides = []
        for sign in (1, -1):
            a0 = net.input_layer(net.inputs + sign * step)
            z1 = a0 @ net.weights[0].T + net.biases[0]
            sides.append(
                sample_losses_from(spec, net.weights, net.biases, net.targets, 1, z1[None])[0]
            )
        numeric = (sides[0] - sides[1]) / (2 * H)
        np.testing.assert_allclose(chained[:, axis], numeric, rtol=1e-6, atol=1e-9)


def test_the_fast_path_trains_as_the_traced_steps_do():
    fast, traced = create_network(CIRCLE), create_network(CIRCLE)
    result = fast.train(12)
    losses = []
    for _ in range(12):
        traced.step()
        losses.append(traced.trace.loss)
    np.testing.assert_allclose(result.losses, losses, rtol=0, atol=1e-12)
    for a, b in zip(fast.weights, traced.weights):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


def test_the_boundary_is_drawn_over_the_samples_plane():
    net = create_network({**CIRCLE, "features": ["x1^2", "x2^2"], "layers": [2, 4, 1]})
    view = training_view(net, resolution=5, hidden=True)
    assert view["kind"] == "plane"
    xs, ys = np.array(view["grid"]["x"]), np.array(view["grid"]["y"])
    span = net.inputs[:, 0].max() - net.inputs[:, 0].min()
    assert xs[0] == pytest.approx(net.inputs[:, 0].min() - 0.1 * span)  # x₁, not x₁²
    assert xs[0] < 0 < xs[-1] and ys[0] < 0 < ys[-1]
    point = np.array([[xs[1], ys[3]]])
    a0 = np.array([[xs[1] ** 2, ys[3] ** 2]])
    z = np.tanh(a0 @ net.weights[0].T + net.biases[0]) @ net.weights[1].T + net.biases[1]
    expected = 1 / (1 + np.exp(-z))
    assert view["grid"]["output"][3][1][0] == pytest.approx(expected[0, 0], abs=1e-15)
    assert np.allclose(net.input_layer(point), a0)
    assert np.array(view["grid"]["features"]).shape == (5, 5, 2)  # each input's picture

"""seed-xor against our own reference written from the article's equations (samples as
columns: Z1 = W1 X + b1, A1 = σ(Z1), Z2 = W2 A1 + b2, A2 = σ(Z2), dZ2 = A2 − y,
dW2 = (1/m) dZ2 A1ᵀ, db2 = (1/m) Σ dZ2, dZ1 = W2ᵀ dZ2 ⊙ A1(1 − A1), dW1 = (1/m) dZ1 Xᵀ,
db1 = (1/m) Σ dZ1, then θ ← θ − η dθ)."""

import numpy as np
import pytest

from engine import create_network


def reference_iteration(p, X, y, eta):
    m = X.shape[1]
    Z1 = p["W1"] @ X + p["b1"]
    A1 = 1.0 / (1.0 + np.exp(-Z1))
    Z2 = p["W2"] @ A1 + p["b2"]
    A2 = 1.0 / (1.0 + np.exp(-Z2))
    dZ2 = A2 - y
    dW2 = dZ2 @ A1.T / m
    db2 = dZ2.sum(axis=1, keepdims=True) / m
    dZ1 = (p["W2"].T @ dZ2) * A1 * (1.0 - A1)
    dW1 = dZ1 @ X.T / m
    db1 = dZ1.sum(axis=1, keepdims=True) / m
    return {
        "W1": p["W1"] - eta * dW1,
        "b1": p["b1"] - eta * db1,
        "W2": p["W2"] - eta * dW2,
        "b2": p["b2"] - eta * db2,
    }


def reference_run(iterations):
    net = create_network({"preset": "seed-xor"})
    # The article's data, written out: X is (2, 4), one column per sample.
    X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
    y = np.array([[0.0, 1.0, 1.0, 0.0]])
    np.testing.assert_array_equal(net.inputs.T, X)
    np.testing.assert_array_equal(net.targets.T, y)
    p = {
        "W1": net.weights[0].copy(),
        "b1": net.biases[0][:, None].copy(),
        "W2": net.weights[1].copy(),
        "b2": net.biases[1][:, None].copy(),
    }
    for _ in range(iterations):
        p = reference_iteration(p, X, y, 0.1)
    return p


def assert_same(net, p, tol=1e-12):
    np.testing.assert_allclose(net.weights[0], p["W1"], rtol=0, atol=tol)
    np.testing.assert_allclose(net.biases[0], p["b1"][:, 0], rtol=0, atol=tol)
    np.testing.assert_allclose(net.weights[1], p["W2"], rtol=0, atol=tol)
    np.testing.assert_allclose(net.biases[1], p["b2"][:, 0], rtol=0, atol=tol)


def test_preset_is_the_articles_configuration():
    net = create_network({"preset": "seed-xor"})
    assert net.spec.layers == (2, 3, 1)
    assert net.spec.activations == ("sigmoid", "sigmoid")
    assert net.spec.loss == "bce" and net.spec.learning_rate == 0.1
    assert all((b == 0).all() for b in net.biases)
    assert 0.01 < np.abs(net.weights[0]).mean() < 0.3  # N(0, 0.1²)


@pytest.mark.parametrize("how", ["step", "train"])
def test_one_iteration(how):
    net = create_network({"preset": "seed-xor"})
    net.step() if how == "step" else net.train(1)
    assert_same(net, reference_run(1))
    assert not np.array_equal(net.weights[0], net.initial[0][0])  # it did move


def test_thousand_steps():
    net = create_network({"preset": "seed-xor"})
    for _ in range(1000):
        net.step()
    assert_same(net, reference_run(1000))


def test_thousand_iterations_of_train():
    net = create_network({"preset": "seed-xor"})
    result = net.train(1000)
    assert len(result.losses) == 1000 and result.diverged is None
    assert_same(net, reference_run(1000))


def test_train_losses_equal_the_step_machine_losses():
    stepped, trained = (create_network({"preset": "seed-xor"}) for _ in range(2))
    losses = []
    for _ in range(50):
        stepped.step()
        losses.append(stepped.trace.loss)
    np.testing.assert_allclose(trained.train(50).losses, losses, rtol=1e-12, atol=0)

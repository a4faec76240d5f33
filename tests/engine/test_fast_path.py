"""The training fast path (engine/fast) against the step machine, for every network the
spec allows: each hidden activation × each output activation and loss it may pair with ×
each optimiser. `train(n)` must land where n traced `step`s land, to 1e-12."""

import functools

import numpy as np
import pytest

from engine import create_network
from engine.core.losses import LOSSES
from engine.core.optimisers import OPTIMISERS
from tests.support.networks import HIDDEN, allowed_outputs

ITERATIONS = 25


def network(activations: list[str], loss: str, optimizer: str):
    """A 2-4-3 network on 12 seeded samples whose targets suit the loss (one-hot for cce,
    0/1 for bce, any number for the squared errors), with weights large enough that every activation
    sees negative and positive z (relu and leaky_relu take both branches)."""
    rng = np.random.default_rng(7)
    x = rng.uniform(-2, 2, (12, 2))
    labels = np.arange(12) % 3
    y = np.eye(3)[labels] if loss == "cce" else (labels[:, None] == np.arange(3)) * 1.0
    if LOSSES[loss].error_factor is not None:  # the squared errors take any number
        y = y * 1.5 - 0.4
    return create_network(
        {
            "layers": [2, 4, 3],
            "activations": activations,
            "loss": loss,
            "learning_rate": 0.05,
            "optimizer": optimizer,
            "init": "normal",
            "init_scale": 0.8,
            "seed": 3,
            "inputs": x.tolist(),
            "targets": y.tolist(),
        }
    )


def cases():
    return [
        (h, out, loss, opt) for h in HIDDEN for out, loss in allowed_outputs() for opt in OPTIMISERS
    ]


def test_every_output_activation_and_loss_pair_is_covered():
    pairs = allowed_outputs()
    assert ("softmax", "cce") in pairs and ("sigmoid", "bce") in pairs
    assert {act for act, loss in pairs if loss == "mse"} == set(HIDDEN)
    assert len(cases()) == len(HIDDEN) * len(pairs) * len(OPTIMISERS)


@pytest.mark.parametrize("hidden,output,loss,optimizer", cases())
def test_train_lands_where_the_same_number_of_steps_lands(hidden, output, loss, optimizer):
    fast = network([hidden, output], loss, optimizer)
    traced = network([hidden, output], loss, optimizer)
    z = traced.inputs @ traced.weights[0].T + traced.biases[0]
    assert (z < 0).any() and (z > 0).any()  # both sides of relu's and leaky_relu's kink
    result = fast.train(ITERATIONS)
    losses = []
    for _ in range(ITERATIONS):
        traced.step()
        losses.append(traced.trace.loss)
    assert result.diverged is None and fast.iteration == traced.iteration == ITERATIONS
    np.testing.assert_allclose(result.losses, losses, rtol=0, atol=1e-12)
    for a, b in zip([*fast.weights, *fast.biases], [*traced.weights, *traced.biases]):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    assert fast.optimizer_state.keys() == traced.optimizer_state.keys()
    for key, value in fast.optimizer_state.items():
        if key == "t":
            assert value == traced.optimizer_state["t"] == ITERATIONS
            continue
        for a, b in zip(value, traced.optimizer_state[key]):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


# ---- the conventions: every combination, train(n) against n steps ----------------------
BIAS = ["trained", "frozen", "none", ["frozen", "none"], ["none", "trained"]]
REDUCTIONS = ["mean", "sum"]
BATCHES = [(None, True), (1, True), (5, True), (5, False)]  # 12 = 5 + 5 + 2
PENALTIES = [("none", 0.0), ("l2", 0.3), ("l1", 0.2)]
STEPS = 14  # with 12 samples and batch size 1, the second epoch (a new order) begins at 13
RATES = {"sgd": 0.02, "momentum": 0.002, "adam": 0.005}  # small enough that none diverges


def convention_cases():
    return [
        (bias, reduction, batch, penalty, optimizer)
        for bias in BIAS
        for reduction in REDUCTIONS
        for batch in BATCHES
        for penalty in PENALTIES
        for optimizer in OPTIMISERS
    ]


@functools.cache
def samples(loss: str) -> tuple[list, list]:
    """network()'s inputs and targets for this loss."""
    net = network(["tanh", "softmax" if loss == "cce" else "sigmoid"], loss, "sgd")
    return net.inputs.tolist(), net.targets.tolist()


def convention_network(activations, loss, optimizer, bias, reduction, batch, penalty):
    inputs, targets = samples(loss)
    size, shuffle = batch
    name, rate = penalty
    return create_network(
        {
            "layers": [2, 4, 3],
            "activations": activations,
            "loss": loss,
            "learning_rate": RATES[optimizer] / (10 if reduction == "sum" else 1),
            "optimizer": optimizer,
            "init": "normal",
            "init_scale": 0.8,
            "seed": 3,
            "inputs": inputs,
            "targets": targets,
            "bias": bias,
            "reduction": reduction,
            "batch_size": size,
            "shuffle": shuffle,
            "regularization": name,
            "regularization_rate": rate,
        }
    )


def assert_same(fast, traced, losses, result, n=ITERATIONS):
    assert result.diverged is None and fast.iteration == traced.iteration == n
    assert max(losses) < 100  # a sane network, where 1e-12 is a strict tolerance
    np.testing.assert_allclose(result.losses, losses, rtol=0, atol=1e-12)
    for a, b in zip([*fast.weights, *fast.biases], [*traced.weights, *traced.biases]):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    for key, value in fast.optimizer_state.items():
        if key == "t":
            assert value == traced.optimizer_state["t"] == n
            continue
        for a, b in zip(value, traced.optimizer_state[key]):
            assert (a is None) == (b is None)
            if a is not None:
                np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


@pytest.mark.parametrize("bias,reduction,batch,penalty,optimizer", convention_cases())
def test_train_equals_steps_for_every_convention(bias, reduction, batch, penalty, optimizer):
    """Each combination of conventions with every (output activation, loss) pair, the
    hidden activation cycling through all of them."""
    for i, (output, loss) in enumerate(allowed_outputs()):
        hidden = HIDDEN[(i + len(str(bias)) + len(reduction)) % len(HIDDEN)]
        args = ([hidden, output], loss, optimizer, bias, reduction, batch, penalty)
        fast, traced = convention_network(*args), convention_network(*args)
        result = fast.train(STEPS)
        losses = []
        for _ in range(STEPS):
            traced.step()
            losses.append(traced.trace.loss)
        assert_same(fast, traced, losses, result, STEPS)
        frozen = [l for l in range(1, 3) if traced.spec.bias_mode(l) == "frozen"]
        for l in frozen:  # frozen biases never move, on either path
            np.testing.assert_array_equal(fast.biases[l - 1], fast.initial[1][l - 1])
            np.testing.assert_array_equal(traced.biases[l - 1], traced.initial[1][l - 1])


def test_every_convention_and_activation_pair_is_covered():
    cases = convention_cases()
    assert len(cases) == len(BIAS) * 2 * len(BATCHES) * 3 * len(OPTIMISERS)
    assert {loss for _, loss in allowed_outputs()} == set(LOSSES)
    assert {act for act, loss in allowed_outputs() if loss == "sse"} == set(HIDDEN)


def test_fast_path_products_match_matmul_bit_for_bit():
    """The fast path multiplies with np.dot where its operands are C- or F-contiguous,
    which must give np.matmul's bits (so existing networks train exactly as before)."""
    rng = np.random.default_rng(0)
    for _ in range(3000):
        n, k, m = (int(v) for v in rng.integers(1, 17, 3))
        m = int(rng.choice([1, 2, 3, m, 4 * m]))
        a, b = rng.normal(size=(n, k)), rng.normal(size=(k, m))
        f_order = rng.normal(size=(m, k)).T  # an F-contiguous (k, m), as Aᵀ is
        for left, right in ((a, b), (a, f_order), (rng.normal(size=(k, n)).T, b)):
            out_dot, out_matmul = np.empty((n, m)), np.empty((n, m))
            np.dot(left, right, out_dot)
            np.matmul(left, right, out=out_matmul)
            np.testing.assert_array_equal(out_dot, out_matmul)

"""The training fast path (engine/fast) against the step machine, for every network the
spec allows: each hidden activation × each output activation and loss it may pair with ×
each optimiser. `train(n)` must land where n traced `step`s land, to 1e-12."""

import itertools

import numpy as np
import pytest

from engine import create_network
from engine.core.activations import ACTIVATIONS
from engine.core.losses import LOSSES
from engine.core.optimisers import OPTIMISERS
from engine.errors import SpecError

ITERATIONS = 25
HIDDEN = [name for name in ACTIVATIONS if name != "softmax"]  # softmax: output layer only


def allowed_outputs() -> list[tuple[str, str]]:
    """Every (output activation, loss) pair the spec accepts, found by asking it."""
    out = []
    for act, loss in itertools.product(ACTIVATIONS, LOSSES):
        try:
            network(["tanh", act], loss, "sgd")
        except SpecError:
            continue
        out.append((act, loss))
    return out


def network(activations: list[str], loss: str, optimizer: str):
    """A 2-4-3 network on 12 seeded samples whose targets suit the loss (one-hot for cce,
    0/1 for bce, any number for mse), with weights large enough that every activation
    sees negative and positive z (relu and leaky_relu take both branches)."""
    rng = np.random.default_rng(7)
    x = rng.uniform(-2, 2, (12, 2))
    labels = np.arange(12) % 3
    y = np.eye(3)[labels] if loss == "cce" else (labels[:, None] == np.arange(3)) * 1.0
    if loss == "mse":
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

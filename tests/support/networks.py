"""Which activations and (output activation, loss) pairs the engine accepts, asked of the
engine itself, for tests that run every one of them; the largest network the limits
allow; the network Play is measured and tested on; and the one linear neuron whose
values the by-hand tests work out."""

from __future__ import annotations

import functools
import itertools

from engine.core.activations import ACTIVATIONS
from engine.core.losses import LOSSES
from engine.core.spec import make_spec
from engine.errors import SpecError

# The largest network the limits allow (8 layers, 16 wide), with Adam's state, on 1000 samples
LARGEST = {
    "layers": [2, 16, 16, 16, 16, 16, 16, 1],
    "activations": ["tanh"] * 6 + ["sigmoid"],
    "loss": "bce",
    "learning_rate": 0.01,
    "optimizer": "adam",
    "dataset": {"name": "circle", "samples": 1000},
}
# One linear neuron ŷ = w x + b, w = 0.5, b = 0.1, on x = (1, 2), y = (1, 0), mse, η = 0.1:
# ŷ = (0.6, 1.1), ŷ − y = (−0.4, 1.1) (the by-hand tests work on from there)
LINE = {
    "layers": [1, 1],
    "activations": ["linear"],
    "loss": "mse",
    "learning_rate": 0.1,
    "weights": [[[0.5]]],
    "biases": [[0.1]],
    "inputs": [[1.0], [2.0]],
    "targets": [[1.0], [0.0]],
}
# Play's benchmark network (bench/training.py) and its tests: 2-8-8-1 on 200 circle samples
PLAYED = {
    "layers": [2, 8, 8, 1],
    "activations": ["tanh", "tanh", "sigmoid"],
    "loss": "bce",
    "learning_rate": 0.3,
    "seed": 1,
    "dataset": {"name": "circle", "samples": 200},
}
HIDDEN = [name for name in ACTIVATIONS if name != "softmax"]  # softmax: output layer only


@functools.cache
def allowed_outputs() -> list[tuple[str, str]]:
    """Every (output activation, loss) pair the spec accepts, found by asking it."""
    out = []
    for act, loss in itertools.product(ACTIVATIONS, LOSSES):
        try:
            make_spec([2, 4, 3], ["tanh", act], loss, 0.1)
        except SpecError:
            continue
        out.append((act, loss))
    return out

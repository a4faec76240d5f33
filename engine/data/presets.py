"""Presets: complete networks (spec, parameters or initialisation, data, learning rate),
each teaching one lesson."""

from __future__ import annotations

# The classic blog post's network (Mazur's), and the online / full-batch XOR net.
WORKED_NETWORK = {
    "layers": [2, 2, 2],
    "activations": ["sigmoid", "sigmoid"],
    "loss": "mse",
    "learning_rate": 0.5,
    "weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
    "biases": [[0.35, 0.35], [0.60, 0.60]],
    "inputs": [[0.05, 0.10]],
    "targets": [[0.01, 0.99]],
}
XOR_NETWORK = {
    "layers": [2, 3, 1],
    "activations": ["tanh", "sigmoid"],
    "loss": "bce",
    "learning_rate": 0.5,
    "init": "xavier",
    "seed": 1,
    "dataset": "xor",
}

PRESETS: dict[str, dict] = {
    "seed-xor": {
        "title": "The article's XOR network",
        "description": "2-3-1 sigmoid net with bce, η = 0.1 and weights N(0, 0.1²): exactly the "
        "article's code. Watch how slowly it starts to learn.",
        "layers": [2, 3, 1],
        "activations": ["sigmoid", "sigmoid"],
        "loss": "bce",
        "learning_rate": 0.1,
        "init": "normal",
        "init_scale": 0.1,
        "seed": 0,
        "dataset": "xor",
    },
    "worked-example": {
        **WORKED_NETWORK,
        "title": "The classic worked example",
        "description": "2-2-2 sigmoid net with mse, one sample: check every number against "
        "the hand-worked blog post.",
    },
    "worked-example-blog": {
        **WORKED_NETWORK,
        "title": "The worked example, the blog's way",
        "description": "The same 2-2-2 net with the blog post's own convention: the biases are "
        "frozen (shown, never updated), so after the first update the loss is the post's "
        "0.291027924.",
        "bias": "frozen",
    },
    "linear-no-bias": {
        "title": "A linear net without biases",
        "description": "2-2-1, linear units, no bias terms and one sample x = (2, 3), y = 1: "
        "every value is a product of weights and inputs you can check on paper.",
        "layers": [2, 2, 1],
        "activations": ["linear", "linear"],
        "loss": "mse",
        "learning_rate": 0.05,
        "bias": "none",
        "weights": [[[0.11, 0.21], [0.12, 0.08]], [[0.14, 0.15]]],
        "inputs": [[2.0, 3.0]],
        "targets": [[1.0]],
    },
    "xor-online": {
        **XOR_NETWORK,
        "title": "XOR one sample at a time",
        "description": "Online learning: batch size 1, so each iteration updates on one sample "
        "and an epoch is four updates, in a new order every epoch. Compare its loss per "
        "epoch with the same net full-batch.",
        "batch_size": 1,
        "shuffle": True,
    },
    "xor-full-batch": {
        **XOR_NETWORK,
        "title": "XOR, the whole batch at once",
        "description": "The online preset's net with every sample in each iteration: one "
        "update per epoch. It needs about four times as many epochs.",
    },
    "and-neuron": {
        "title": "One neuron learns AND",
        "description": "A single sigmoid neuron separates AND with one straight line; try "
        "switching the data to xor and see it fail.",
        "layers": [2, 1],
        "activations": ["sigmoid"],
        "loss": "bce",
        "learning_rate": 1.0,
        "init": "zeros",
        "seed": 0,
        "dataset": "and",
    },
    "circle-tanh": {
        "title": "tanh net learns a circle",
        "description": "Two tanh hidden layers bend the boundary into a ring: no straight line "
        "can separate the inside from the outside.",
        "layers": [2, 6, 6, 1],
        "activations": ["tanh", "tanh", "sigmoid"],
        "loss": "bce",
        "learning_rate": 0.5,
        "init": "xavier",
        "seed": 1,
        "dataset": {"name": "circle", "samples": 200, "noise": 0.05, "seed": 1},
    },
    "gauss-softmax": {
        "title": "Softmax for three classes",
        "description": "A relu hidden layer and a softmax output with cce: the output delta "
        "is simply ŷ − y.",
        "layers": [2, 6, 3],
        "activations": ["relu", "softmax"],
        "loss": "cce",
        "learning_rate": 0.5,
        "init": "he",
        "seed": 2,
        "dataset": {"name": "gauss", "samples": 150, "noise": 0.05, "seed": 2, "classes": 3},
    },
    "vanishing-sigmoid": {
        "title": "Vanishing gradients",
        "description": "Six sigmoid layers deep: each layer multiplies δ by σ' ≤ 0.25, so the "
        "first layers' gradients are tiny. Compare |∂L/∂W¹| with |∂L/∂W⁶|.",
        "layers": [2, 8, 8, 8, 8, 8, 8, 1],
        "activations": ["sigmoid"] * 7,
        "loss": "mse",
        "learning_rate": 0.5,
        "init": "normal",
        "init_scale": 0.5,
        "seed": 3,
        "dataset": "xor",
    },
    "sine-regression": {
        "title": "Fitting a sine curve",
        "description": "1-D regression: tanh hidden units, a linear output and mse bend a line "
        "into a wave.",
        "layers": [1, 8, 1],
        "activations": ["tanh", "linear"],
        "loss": "mse",
        "learning_rate": 0.1,
        "init": "xavier",
        "seed": 4,
        "dataset": {"name": "sine", "samples": 60, "noise": 0.05, "seed": 4},
    },
}


def preset_summaries() -> list[dict]:
    """[{name, title, description, layers}] for every preset."""
    return [
        {"name": name, "title": p["title"], "description": p["description"], "layers": p["layers"]}
        for name, p in PRESETS.items()
    ]

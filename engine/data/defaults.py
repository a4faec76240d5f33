"""A network that learns each dataset quickly: its layers, activations, loss, optimiser
and learning rate. The start page's builder offers them when a dataset is chosen; each
reaches 95 % training accuracy (a regression set: a loss a tenth of the targets'
variance) within ten seconds of Play at the lab page's default speed
(tests/app/test_defaults_learn.py trains every one of them for that long).

Adam at η 0.03 learns every set here; plain gradient descent at the article's η would
sit on a plateau for minutes on the spiral.
"""

from __future__ import annotations

CLASSIFIER = {"loss": "bce", "optimizer": "adam", "learning_rate": 0.03}
REGRESSOR = {"loss": "mse", "optimizer": "adam", "learning_rate": 0.03}
SMALL = {"layers": [2, 4, 1], "activations": ["tanh", "sigmoid"], **CLASSIFIER}

DATASET_DEFAULTS: dict[str, dict] = {
    "xor": SMALL,
    "and": SMALL,
    "or": SMALL,
    "circle": SMALL,
    "gauss": SMALL,
    "moons": SMALL,
    "spiral": {"layers": [2, 10, 10, 1], "activations": ["tanh", "tanh", "sigmoid"], **CLASSIFIER},
    "sine": {"layers": [1, 8, 1], "activations": ["tanh", "linear"], **REGRESSOR},
    "plane": {"layers": [2, 4, 1], "activations": ["tanh", "linear"], **REGRESSOR},
    "gaussians": {
        "layers": [2, 8, 8, 1],
        "activations": ["tanh", "tanh", "linear"],
        **REGRESSOR,
    },
}


def defaults_for(name: str) -> dict:
    """A copy of the dataset's defaults (the xor ones for a name without any)."""
    chosen = DATASET_DEFAULTS.get(name, DATASET_DEFAULTS["xor"])
    return {k: list(v) if isinstance(v, list) else v for k, v in chosen.items()}

"""The conventions as the pages offer them (the start page's builder and the lab page's
Conventions card): each choice with its one-line explanation in the engine's own words, and
a network's conventions as the fields show them."""

from __future__ import annotations

from app.views.model import NetworkModel
from engine import limits
from engine.core.conventions import BIAS_MODES
from engine.core.losses import LOSSES, REDUCTIONS
from engine.core.penalties import REGULARIZATIONS

FIELDS = ("bias", "reduction", "batch_size", "shuffle", "regularization", "regularization_rate")
SHUFFLE = {
    "true": "shuffled: a new order of the samples every epoch",
    "false": "in order: the samples in the same order every epoch",
}
CHOICES = {  # field: [(value, what it means)]
    "loss": [(name, f"{name}: {loss.words}") for name, loss in LOSSES.items()],
    "bias": [(k, f"{k}: {v}") for k, v in BIAS_MODES.items()],
    "reduction": [(k, f"{k}: {v}") for k, v in REDUCTIONS.items()],
    "shuffle": list(SHUFFLE.items()),
    "regularization": [(k, f"{k}: {v}") for k, v in REGULARIZATIONS.items()],
}
HINTS = {
    "batch_size": "samples per iteration: blank for the whole batch, 1 for online learning "
    "(one sample at a time)",
    "regularization_rate": f"λ, from 0 to {limits.MAX_REGULARIZATION_RATE:g}",
}
LABELS = {
    "bias": "Biases",
    "reduction": "Batch loss",
    "batch_size": "Batch size",
    "shuffle": "Order",
    "regularization": "Regularization",
    "regularization_rate": "Rate λ",
}
DEFAULTS = {
    "bias": "trained",
    "reduction": "mean",
    "batch_size": "",
    "shuffle": "true",
    "regularization": "none",
    "regularization_rate": "0",
}


def current(net: NetworkModel) -> dict:
    """The network's conventions as the form's fields show them ('mixed' for biases that
    differ from layer to layer)."""
    modes = set(net.bias_modes)
    return {
        "loss": net.loss,
        "bias": net.bias_modes[0] if len(modes) == 1 else "mixed",
        "reduction": net.reduction,
        "batch_size": "" if net.batch_size is None else str(net.batch_size),
        "shuffle": "true" if net.shuffle else "false",
        "regularization": net.regularization,
        "regularization_rate": f"{net.rate:g}",
    }

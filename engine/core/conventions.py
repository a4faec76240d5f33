"""The conventions a textbook may choose, beside the network's shape, and their checks.

    bias            per layer 1..L: "trained" (the default), "frozen" (kept at its values,
                    never updated) or "none" (no bias term at all: z^l = W^l a^{l-1})
    reduction       "mean" (L = (1/m) Σ_i ℓ_i, the default) or "sum" (L = Σ_i ℓ_i)
    batch_size      samples per iteration, 1..m; unset: the whole batch
    shuffle         a new order of the samples every epoch (mini-batches only)
    regularization  "none", "l2" or "l1", with regularization_rate λ (see penalties.py)

Each check returns the value in its stored form or raises SpecError naming the field, the
value and what is allowed.
"""

from __future__ import annotations

import math

import numpy as np

from .. import limits
from ..errors import SpecError
from .losses import REDUCTIONS
from .penalties import REGULARIZATIONS

BIAS_MODES = {  # each layer's bias, in words
    "trained": "updated by every step, the default",
    "frozen": "kept at its values: shown, never updated",
    "none": "no bias term at all: z = W a",
}
FIELDS = ("bias", "reduction", "batch_size", "shuffle", "regularization", "regularization_rate")


def check_bias(value, depth: int) -> tuple[str, ...]:
    """One mode for every layer, or a list of one per layer 1..L → a tuple of L modes."""
    choices = ", ".join(BIAS_MODES)
    if isinstance(value, str):
        value = [value] * depth
        name = "bias"
    elif isinstance(value, (list, tuple)):
        if len(value) != depth:
            raise SpecError(
                "bias",
                f"has {len(value)} {'entry' if len(value) == 1 else 'entries'}; give one per "
                f"layer after the input ({depth}), "
                f"or one of {choices} for every layer",
            )
        name = "bias[{}]"
    else:
        raise SpecError("bias", f"must be one of {choices}, or a list of one per layer")
    for i, mode in enumerate(value):
        if not isinstance(mode, str) or mode not in BIAS_MODES:
            raise SpecError(
                name.format(i), f"is not a bias mode (got {mode!r}); choose one of {choices}"
            )
    return tuple(value)


def bias_to_json(modes: tuple[str, ...]) -> str | list[str]:
    """The stored form of `bias`: one string when every layer has the same mode."""
    return modes[0] if len(set(modes)) == 1 else list(modes)


def check_reduction(value) -> str:
    if not isinstance(value, str) or value not in REDUCTIONS:
        raise SpecError(
            "reduction",
            f"is not a reduction (got {value!r}); choose mean (L = (1/m) Σ_i ℓ_i) or sum "
            "(L = Σ_i ℓ_i)",
        )
    return value


def check_batch_size(value, m: int) -> int | None:
    """1..m samples per iteration (None: the whole batch)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise SpecError("batch_size", f"must be a whole number from 1 to {m}, got {value!r}")
    if not 1 <= value <= m:
        raise SpecError(
            "batch_size",
            f"is {value}; it must be from 1 to the number of training samples ({m}); "
            "leave it out for the whole batch",
        )
    return int(value)


def check_shuffle(value) -> bool:
    if not isinstance(value, bool):
        raise SpecError("shuffle", f"must be true or false, got {value!r}")
    return value


def check_regularization(value) -> str:
    if not isinstance(value, str) or value not in REGULARIZATIONS:
        raise SpecError(
            "regularization",
            f"is not a regularization (got {value!r}); choose one of {', '.join(REGULARIZATIONS)}",
        )
    return value


def check_regularization_rate(value) -> float:
    top = limits.MAX_REGULARIZATION_RATE
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise SpecError("regularization_rate", f"must be a finite number, got {value!r}")
    if not 0 <= value <= top:
        raise SpecError("regularization_rate", f"is {value:g}; λ must be from 0 to {top:g}")
    return float(value)

"""Weight initialisation, seeded through numpy.random.Generator (same seed, same network
on every machine). Biases always start at zero."""

from __future__ import annotations

import math

import numpy as np

from ..errors import SpecError
from ..limits import MAX_INIT_SCALE

INITS = ("xavier", "he", "normal", "uniform", "zeros")


def init_weight(rng: np.random.Generator, kind: str, n_out: int, n_in: int, scale: float):
    """One W^l of shape (n_out, n_in)."""
    shape = (n_out, n_in)
    if kind == "xavier":  # Glorot uniform: U(−r, r), r = √(6 / (fan_in + fan_out))
        r = math.sqrt(6.0 / (n_in + n_out))
        return rng.uniform(-r, r, shape)
    if kind == "he":  # N(0, 2 / fan_in)
        return rng.standard_normal(shape) * math.sqrt(2.0 / n_in)
    if kind == "normal":  # N(0, scale²), the article's randn × 0.1 with scale 0.1
        return rng.standard_normal(shape) * scale
    if kind == "uniform":
        return rng.uniform(-scale, scale, shape)
    if kind == "zeros":
        return np.zeros(shape)
    raise SpecError("init", f"unknown initialisation {kind!r}; choose one of {', '.join(INITS)}")


def init_parameters(layers, kind: str, scale: float, seed: int):
    """Return (weights, biases): W^l (N_l, N_{l-1}) and b^l (N_l,) for l = 1..L."""
    if not (
        isinstance(scale, (int, float)) and math.isfinite(scale) and 0 < scale <= MAX_INIT_SCALE
    ):
        raise SpecError(
            "init_scale", f"is {scale!r}; it must be above 0 and at most {MAX_INIT_SCALE:g}"
        )
    rng = np.random.default_rng(seed)
    weights = [
        init_weight(rng, kind, layers[l], layers[l - 1], scale) for l in range(1, len(layers))
    ]
    biases = [np.zeros(n) for n in layers[1:]]
    return weights, biases

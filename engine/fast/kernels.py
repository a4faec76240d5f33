"""In-place activation kernels for the fast path: arrays are feature-major, (N_l, m),
samples as columns, and every result goes into a buffer allocated once.

``ACTIVATE[name](z, out, tmp)`` writes f(z) into `out`; ``DELTA[name](z, a, grad_a, out,
tmp)`` writes grad_a ⊙ f'(z) into `out` (elementwise activations only). Each computes
exactly what core/activations.py computes, in the same order, so both paths agree to the
last bit where their inputs do. The output buffer is passed positionally: ufuncs parse a
positional `out` faster than the keyword, which counts on arrays this small.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..core.activations import EXP_MAX, LEAKY_SLOPE


def sigmoid_into(z, out, tmp) -> None:
    """1 / (1 + e^min(−z, 709)), as activations.sigmoid."""
    np.negative(z, out)
    np.minimum(out, EXP_MAX, out=out)
    np.exp(out, out)
    np.add(out, 1.0, out)
    np.divide(1.0, out, out)


def tanh_into(z, out, tmp) -> None:
    np.tanh(z, out)


def relu_into(z, out, tmp) -> None:
    np.maximum(z, 0.0, out=out)


def leaky_relu_into(z, out, tmp) -> None:
    np.multiply(z, LEAKY_SLOPE, tmp)
    np.maximum(z, tmp, out=out)


def linear_into(z, out, tmp) -> None:
    np.copyto(out, z)


def softmax_into(z, out, tmp) -> None:
    """Down each column (one sample)."""
    np.subtract(z, z.max(axis=0), out)
    np.exp(out, out)
    np.divide(out, out.sum(axis=0), out)


def sigmoid_delta(z, a, grad_a, out, tmp) -> None:
    np.subtract(1.0, a, tmp)
    np.multiply(tmp, a, tmp)
    np.multiply(grad_a, tmp, out)


def tanh_delta(z, a, grad_a, out, tmp) -> None:
    np.multiply(a, a, tmp)
    np.subtract(1.0, tmp, tmp)
    np.multiply(grad_a, tmp, out)


def relu_delta(z, a, grad_a, out, tmp) -> None:
    np.multiply(grad_a, z > 0.0, out)


def leaky_relu_delta(z, a, grad_a, out, tmp) -> None:
    np.multiply(grad_a, np.where(z > 0.0, 1.0, LEAKY_SLOPE), out)


def linear_delta(z, a, grad_a, out, tmp) -> None:
    np.copyto(out, grad_a)


ACTIVATE: dict[str, Callable] = {
    "sigmoid": sigmoid_into,
    "tanh": tanh_into,
    "relu": relu_into,
    "leaky_relu": leaky_relu_into,
    "linear": linear_into,
    "softmax": softmax_into,
}
DELTA: dict[str, Callable] = {
    "sigmoid": sigmoid_delta,
    "tanh": tanh_delta,
    "relu": relu_delta,
    "leaky_relu": leaky_relu_delta,
    "linear": linear_delta,
}


def activate_into(name: str, z: np.ndarray, out: np.ndarray, tmp: np.ndarray) -> None:
    """out = f(z) for (N, m) arrays; softmax runs down each column (one sample)."""
    ACTIVATE[name](z, out, tmp)


def delta_into(name: str, z, a, grad_a, out, tmp) -> None:
    """out = grad_a ⊙ f'(z) for an elementwise activation."""
    DELTA[name](z, a, grad_a, out, tmp)

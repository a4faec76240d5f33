"""In-place activation kernels for the fast path: arrays are feature-major, (N_l, m),
samples as columns, and every result goes into a buffer allocated once."""

from __future__ import annotations

import numpy as np

from ..core.activations import EXP_MAX, LEAKY_SLOPE


def activate_into(name: str, z: np.ndarray, out: np.ndarray, tmp: np.ndarray) -> None:
    """out = f(z) for (N, m) arrays; softmax runs down each column (one sample)."""
    if name == "sigmoid":  # 1 / (1 + e^min(−z, 709)), as activations.sigmoid
        np.negative(z, out=out)
        np.minimum(out, EXP_MAX, out=out)
        np.exp(out, out=out)
        np.add(out, 1.0, out=out)
        np.divide(1.0, out, out=out)
    elif name == "tanh":
        np.tanh(z, out=out)
    elif name == "relu":
        np.maximum(z, 0.0, out=out)
    elif name == "leaky_relu":
        np.multiply(z, LEAKY_SLOPE, out=tmp)
        np.maximum(z, tmp, out=out)
    elif name == "linear":
        np.copyto(out, z)
    else:  # softmax
        np.subtract(z, z.max(axis=0), out=out)
        np.exp(out, out=out)
        np.divide(out, out.sum(axis=0), out=out)


def delta_into(name: str, z, a, grad_a, out, tmp) -> None:
    """out = grad_a ⊙ f'(z) for an elementwise activation."""
    if name == "sigmoid":
        np.subtract(1.0, a, out=tmp)
        np.multiply(tmp, a, out=tmp)
        np.multiply(grad_a, tmp, out=out)
    elif name == "tanh":
        np.multiply(a, a, out=tmp)
        np.subtract(1.0, tmp, out=tmp)
        np.multiply(grad_a, tmp, out=out)
    elif name == "relu":
        np.multiply(grad_a, z > 0.0, out=out)
    elif name == "leaky_relu":
        np.multiply(grad_a, np.where(z > 0.0, 1.0, LEAKY_SLOPE), out=out)
    else:  # linear
        np.copyto(out, grad_a)

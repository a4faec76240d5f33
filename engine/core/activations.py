"""Activation functions, each beside its derivative.

Every function takes ``z`` of shape (m, n) (m samples as rows; leading batch axes are
allowed, softmax runs along the last axis) and is stable for |z| up to 1e4 and beyond:
no overflow or invalid-value warnings.
``df(z, a)`` returns f'(z) elementwise, reusing ``a = f(z)`` where that is cheaper.
Softmax has no elementwise derivative; its vector-Jacobian product is ``softmax_vjp``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

LEAKY_SLOPE = 0.01


@dataclass(frozen=True)
class Activation:
    name: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray, np.ndarray], np.ndarray] | None
    latex: str  # how the UI writes f(z)
    bounds: tuple[float, float] | None = None  # the range of f, where it is bounded


# e^709 is about the largest power of e a float64 holds.
EXP_MAX = 709.0


def sigmoid(z: np.ndarray) -> np.ndarray:
    # 1/(1+e^-z), the article's formula, with −z capped so that e^-z cannot overflow
    # (σ(−709) ≈ 1e-308 is already the smallest normal float64).
    return 1.0 / (1.0 + np.exp(np.minimum(-z, EXP_MAX)))


def sigmoid_df(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    return a * (1.0 - a)


def tanh(z: np.ndarray) -> np.ndarray:
    return np.tanh(z)


def tanh_df(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    return 1.0 - a * a


def relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def relu_df(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    return (z > 0.0).astype(np.float64)


def leaky_relu(z: np.ndarray) -> np.ndarray:
    return np.where(z > 0.0, z, LEAKY_SLOPE * z)


def leaky_relu_df(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    return np.where(z > 0.0, 1.0, LEAKY_SLOPE)


def linear(z: np.ndarray) -> np.ndarray:
    return z.copy()


def linear_df(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    return np.ones_like(z)


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_vjp(a: np.ndarray, g: np.ndarray) -> np.ndarray:
    """δ = Jᵀ g for the softmax Jacobian J = diag(a) − a aᵀ, row by row."""
    return a * (g - (g * a).sum(axis=-1, keepdims=True))


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("sigmoid", sigmoid, sigmoid_df, r"\sigma", (0.0, 1.0)),
        Activation("tanh", tanh, tanh_df, r"\tanh", (-1.0, 1.0)),
        Activation("relu", relu, relu_df, r"\operatorname{relu}"),
        Activation("leaky_relu", leaky_relu, leaky_relu_df, r"\operatorname{lrelu}"),
        Activation("linear", linear, linear_df, r"\operatorname{id}"),
        Activation("softmax", softmax, None, r"\operatorname{softmax}", (0.0, 1.0)),
    )
}


def backprop_through(name: str, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray):
    """Return (f'(z) or None for softmax, δ = ∂ℓ/∂z) given ∂ℓ/∂a."""
    act = ACTIVATIONS[name]
    if act.df is None:
        return None, softmax_vjp(a, grad_a)
    fprime = act.df(z, a)
    return fprime, grad_a * fprime

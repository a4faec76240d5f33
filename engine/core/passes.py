"""One layer of the forward pass and one of the backward pass, as pure functions.

Rows are samples: ``a_prev`` is (m, N_{l-1}), ``w`` is W^l (N_l, N_{l-1}), ``b`` is (N_l,)
or None for a layer without a bias term. ``reduction`` is how the batch loss combines the
samples: "mean" (L = (1/m) Σ_i ℓ_i) or "sum" (L = Σ_i ℓ_i), and the gradients with it.
"""

from __future__ import annotations

import numpy as np

from .activations import ACTIVATIONS, backprop_through, sigmoid_df
from .losses import LOSSES, is_simplified, reduce_losses, sample_losses


def forward_layer(w: np.ndarray, b: np.ndarray | None, a_prev: np.ndarray, activation: str):
    """z^l = W^l a^{l-1} + b^l (without b^l when None) and a^l = f^l(z^l), each (m, N_l)."""
    z = np.dot(a_prev, w.T)
    if b is not None:
        z = z + b
    return z, ACTIVATIONS[activation].f(z)


def output_loss(activation: str, loss: str, z, y_hat, y):
    """Per-sample losses ℓ_i (m,) and ∂ℓ/∂ŷ (m, N_L)."""
    return sample_losses(activation, loss, z, y_hat, y), LOSSES[loss].grad(y_hat, y)


def output_delta(activation: str, loss: str, z, y_hat, y, dloss_doutput):
    """(f'(z^L) or None, δ^L). The chain rule δ^L = ∂ℓ/∂ŷ ⊙ f'(z^L), or ŷ − y where the
    pair (sigmoid + bce, softmax + cce) makes the two equal and ŷ − y is exact."""
    if is_simplified(activation, loss):
        fprime = sigmoid_df(z, y_hat) if activation == "sigmoid" else None
        return fprime, y_hat - y
    return backprop_through(activation, z, y_hat, dloss_doutput)


def hidden_delta(activation: str, z, a, w_next, delta_next):
    """(∂ℓ/∂a^l = (W^{l+1})ᵀ δ^{l+1}, f'(z^l), δ^l) for a layer below the output."""
    grad_a = delta_next @ w_next
    fprime, delta = backprop_through(activation, z, a, grad_a)
    return grad_a, fprime, delta


def parameter_gradients(
    delta: np.ndarray, a_prev: np.ndarray, reduction: str = "mean", bias: bool = True
):
    """∂L/∂W^l = (1/m) Σ_i δ_i a_iᵀ, (N_l, N_{l-1}), and ∂L/∂b^l = (1/m) Σ_i δ_i, (N_l,)
    (None when the layer has no bias term); without the 1/m for the sum reduction."""
    grad_w = delta.T @ a_prev
    grad_b = np.add.reduce(delta, axis=0) if bias else None
    if reduction == "sum":
        return grad_w, grad_b
    m = delta.shape[0]
    return grad_w / m, (None if grad_b is None else grad_b / m)


def input_gradient(delta_1: np.ndarray, w_1: np.ndarray) -> np.ndarray:
    """∂ℓ_i/∂x_i = (W¹)ᵀ δ¹_i for every sample: (m, N_0), from δ¹ (m, N_1)."""
    return delta_1 @ w_1


def outputs(activations, weights, biases, x: np.ndarray) -> np.ndarray:
    """ŷ = a^L for the samples' input layer x (k, N_0) with these parameters (b^l None for a
    layer without a bias), (k, N_L); non-finite values are left as they come."""
    a = x
    with np.errstate(all="ignore"):
        for w, b, name in zip(weights, biases, activations):
            _, a = forward_layer(w, b, a, name)
    return a


def batch_loss(
    activations, loss: str, weights, biases, x: np.ndarray, y: np.ndarray, reduction="mean"
):
    """L, the loss over the samples x (k, N_0), y (k, N_L) with these parameters (W^l
    (N_l, N_{l-1}), b^l (N_l,) or None), reduced by `reduction`; None when k = 0 or the
    loss is not finite."""
    if len(x) == 0:
        return None
    a = x
    with np.errstate(all="ignore"):
        for w, b, name in zip(weights, biases, activations):
            z, a = forward_layer(w, b, a, name)
        value = reduce_losses(sample_losses(activations[-1], loss, z, a, y), reduction)
    return value if np.isfinite(value) else None

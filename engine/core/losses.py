"""Loss functions, each value beside its gradient ∂ℓ/∂ŷ.

Shapes: ``y_hat`` and ``y`` are (m, n_out); per-sample values are (m,) (leading batch
axes are allowed: the sums run over the last axis).
The batch loss L reduces the per-sample values ℓ_i: their mean (1/m) Σ_i ℓ_i, or their
sum Σ_i ℓ_i (``REDUCTIONS``; the network's ``reduction``).
Three squared errors: ``mse`` ½ Σ_j (ŷ_j − y_j)² (the ½ convention, ∂ℓ/∂ŷ = ŷ − y),
``sse`` Σ_j (ŷ_j − y_j)² (no ½) and ``mse_mean`` (1/N_L) Σ_j (ŷ_j − y_j)² (the mean over
outputs that Keras and PyTorch call MSE); each has ∂ℓ/∂ŷ = c (ŷ − y) with c = 1, 2, 2/N_L.
Where the output activation and loss pair up (sigmoid + bce, softmax + cce) the loss is
computed from the logits ``z`` instead, which is exact and stable, and the output delta
simplifies to ŷ − y.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

# ŷ is kept this far from 0 and 1 when a gradient ∂ℓ/∂ŷ must divide by it.
CLIP = 1e-15


@dataclass(frozen=True)
class Loss:
    name: str
    value: Callable[[np.ndarray, np.ndarray], np.ndarray]
    grad: Callable[[np.ndarray, np.ndarray], np.ndarray]
    latex: str
    classifies: bool = False  # targets are classes (0/1 or one-hot), outputs probabilities
    # c in ∂ℓ/∂ŷ = c (ŷ − y) as a function of N_L, for the squared errors (None otherwise)
    error_factor: Callable[[int], float] | None = None
    words: str = ""  # what it is, in a few words (forms and messages show it)


REDUCTIONS = {  # how L combines the samples' ℓ_i
    "mean": "L = (1/m) Σ_i ℓ_i, the samples' gradients averaged: the default",
    "sum": "L = Σ_i ℓ_i, the samples' gradients summed",
}


def mse_value(y_hat, y):
    d = y_hat - y
    return 0.5 * (d * d).sum(axis=-1)


def mse_grad(y_hat, y):
    return y_hat - y


def sse_value(y_hat, y):
    d = y_hat - y
    return (d * d).sum(axis=-1)


def sse_grad(y_hat, y):
    return 2.0 * (y_hat - y)


def mse_mean_value(y_hat, y):
    d = y_hat - y
    return (d * d).sum(axis=-1) / y.shape[-1]


def mse_mean_grad(y_hat, y):
    return (2.0 / y.shape[-1]) * (y_hat - y)


def _clip(y_hat):
    return np.maximum(np.minimum(y_hat, 1.0 - CLIP), CLIP)


def bce_value(y_hat, y):
    p = _clip(y_hat)
    return -(y * np.log(p) + (1.0 - y) * np.log1p(-p)).sum(axis=-1)


def bce_grad(y_hat, y):
    p = _clip(y_hat)
    return (p - y) / (p * (1.0 - p))


def cce_value(y_hat, y):
    return -(y * np.log(np.maximum(y_hat, CLIP))).sum(axis=-1)


def cce_grad(y_hat, y):
    return -y / np.maximum(y_hat, CLIP)


def bce_from_logits(z, y):
    """−[y log σ(z) + (1−y) log(1−σ(z))] = log(1 + e^z) − y z (logaddexp is stable)."""
    return (np.logaddexp(0.0, z) - y * z).sum(axis=-1)


def cce_from_logits(z, y):
    """−Σ y log softmax(z) = −Σ y (z − logsumexp z)."""
    top = z.max(axis=-1, keepdims=True)
    lse = top + np.log(np.exp(z - top).sum(axis=-1, keepdims=True))
    return -(y * (z - lse)).sum(axis=-1)


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss(
            "mse",
            mse_value,
            mse_grad,
            r"\tfrac{1}{2}\sum_j (\hat{y}_j - y_j)^2",
            error_factor=lambda n: 1.0,
            words="½ Σ (ŷ − y)², the article's",
        ),
        Loss(
            "sse",
            sse_value,
            sse_grad,
            r"\sum_j (\hat{y}_j - y_j)^2",
            error_factor=lambda n: 2.0,
            words="Σ (ŷ − y)², no ½",
        ),
        Loss(
            "mse_mean",
            mse_mean_value,
            mse_mean_grad,
            r"\tfrac{1}{N_L}\sum_j (\hat{y}_j - y_j)^2",
            error_factor=lambda n: 2.0 / n,
            words="(1/N_L) Σ (ŷ − y)², the mean over outputs, as Keras and PyTorch define MSE",
        ),
        Loss(
            "bce",
            bce_value,
            bce_grad,
            r"-\sum_j \left[y_j \log \hat{y}_j + (1 - y_j)\log(1 - \hat{y}_j)\right]",
            classifies=True,
            words="binary cross-entropy, with a sigmoid output",
        ),
        Loss(
            "cce",
            cce_value,
            cce_grad,
            r"-\sum_j y_j \log \hat{y}_j",
            classifies=True,
            words="categorical cross-entropy, with a softmax output",
        ),
    )
}

# (output activation, loss) pairs whose output delta simplifies to ŷ − y.
FROM_LOGITS = {("sigmoid", "bce"): bce_from_logits, ("softmax", "cce"): cce_from_logits}


def is_simplified(activation: str, loss: str) -> bool:
    return (activation, loss) in FROM_LOGITS


def sample_losses(activation: str, loss: str, z, y_hat, y) -> np.ndarray:
    """Per-sample loss ℓ_i, (m,), from the logits where the pair allows it."""
    fused = FROM_LOGITS.get((activation, loss))
    if fused is not None:
        return fused(z, y)
    return LOSSES[loss].value(y_hat, y)


def reduce_losses(losses: np.ndarray, reduction: str) -> float:
    """L from the per-sample losses ℓ_i (m,): their mean, or their sum."""
    total = float(np.add.reduce(losses))
    return total / len(losses) if reduction == "mean" else total

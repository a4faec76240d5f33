"""Regularisation: a penalty Ω on the weights (never the biases), added to the data loss.

    none:  Ω = 0
    l2:    Ω = (λ/2) Σ_l Σ_jk (w^l_jk)²     ∂Ω/∂w = λ w
    l1:    Ω = λ Σ_l Σ_jk |w^l_jk|          ∂Ω/∂w = λ sign(w)   (0 at w = 0)

as TensorFlow Playground has them. The loss the network shows and descends is
L = L_data + Ω, so ∂L/∂W^l = ∂L_data/∂W^l + ∂Ω/∂W^l.
"""

from __future__ import annotations

import numpy as np

REGULARIZATIONS = {  # the penalty Ω on the weights, in words
    "none": "no penalty, the default",
    "l2": "adds (λ/2) Σ w² over the weights, so ∂L/∂w gains λ w",
    "l1": "adds λ Σ |w| over the weights, so ∂L/∂w gains λ sign(w)",
}


def penalty_terms(name: str, rate: float, w: np.ndarray) -> np.ndarray:
    """Each weight's own share ω(w) of Ω, shaped like w (zeros for none)."""
    if name == "l2":
        return (0.5 * rate) * (w * w)
    if name == "l1":
        return rate * np.abs(w)
    return np.zeros_like(w)


def penalty(name: str, rate: float, weights) -> float:
    """Ω over every W^l (N_l, N_{l-1}); 0.0 for none."""
    if name == "l2":
        return 0.5 * rate * sum(float(np.vdot(w, w)) for w in weights)
    if name == "l1":
        return rate * sum(float(np.abs(w).sum()) for w in weights)
    return 0.0


def penalty_gradient(name: str, rate: float, w: np.ndarray) -> np.ndarray | None:
    """∂Ω/∂W^l, shaped like w; None for none (there is no penalty term)."""
    if name == "l2":
        return rate * w
    if name == "l1":
        return rate * np.sign(w)
    return None


def is_active(name: str) -> bool:
    return name != "none"

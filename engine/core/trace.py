"""The trace: every value one iteration computes, kept for the views.

The iteration runs over its batch: the samples whose indices are in `batch` (all m of them
unless the network trains in mini-batches), b of them, as rows. Per layer l = 1..L:
  z, a          (b, N_l)   z^l = a^{l-1} W^lᵀ + b^l (no b^l when the layer has none),
                           a^l = f^l(z^l)
  fprime        (b, N_l)   f'(z^l); None for softmax, whose derivative is a Jacobian
  grad_a        (b, N_l)   ∂ℓ/∂a^l: ∂ℓ/∂ŷ for the output layer, (W^{l+1})ᵀ δ^{l+1} below it
  delta         (b, N_l)   δ^l = ∂ℓ/∂z^l
  grad_w        (N_l, N_{l-1})  ∂L/∂W^l: the batch mean (or sum) of δ^l (a^{l-1})ᵀ, plus
                           the penalty's part when the network is regularised
  grad_w_data, grad_w_penalty   the two parts of grad_w (None without regularisation,
                           when grad_w is all data)
  grad_b        (N_l,)     ∂L/∂b^l, the batch mean (or sum) of δ^l; None without a bias
Besides: a⁰ (b, N_0), the input layer's values (φ(x) with features, else x), from the
forward pass of layer 1 on; the per-sample losses ℓ_i (b,), the data loss L_data (their
mean or sum), the penalty Ω (0 without regularisation), L = L_data + Ω, ∂ℓ/∂ŷ (b, N_L) and, once the
backward pass reaches layer 1, ∂ℓ_i/∂x_i = (W¹)ᵀ δ¹_i (b, N_0).
Each is None until computed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np


@dataclass
class LayerTrace:
    z: np.ndarray | None = None
    a: np.ndarray | None = None
    fprime: np.ndarray | None = None
    grad_a: np.ndarray | None = None
    delta: np.ndarray | None = None
    grad_w: np.ndarray | None = None
    grad_b: np.ndarray | None = None
    grad_w_data: np.ndarray | None = None
    grad_w_penalty: np.ndarray | None = None


@dataclass
class Trace:
    layers: list[LayerTrace]
    losses: np.ndarray | None = None  # ℓ_i per sample of the batch, (b,)
    loss: float | None = None  # L = L_data + Ω
    dloss_doutput: np.ndarray | None = None  # ∂ℓ/∂ŷ, (b, N_L)
    learning_rate: float | None = None  # η used by the update, once it has run
    update: dict | None = None  # the update's equation values (optimisers.update_details)
    batch: np.ndarray | None = None  # the indices of the batch's samples, ascending, (b,)
    data_loss: float | None = None  # L_data, the mean (or sum) of ℓ_i
    penalty: float | None = None  # Ω, the regularisation penalty (0 without)
    dloss_dinput: np.ndarray | None = None  # ∂ℓ_i/∂a⁰_i, (b, N_0): ∂ℓ/∂x without features
    a0: np.ndarray | None = None  # a⁰ = φ(x) of the batch's samples, (b, N_0)

    @classmethod
    def empty(cls, depth: int) -> Trace:
        return cls([LayerTrace() for _ in range(depth)])

    def copy(self) -> Trace:
        """A copy that later steps can fill without touching this one (arrays are shared:
        steps replace arrays, they never write into them)."""
        return replace(
            self,
            layers=[replace(lt) for lt in self.layers],
        )

"""The trace: every value one iteration computes, kept for the views.

Per layer l = 1..L (rows are samples, m of them):
  z, a          (m, N_l)   z^l = a^{l-1} W^lᵀ + b^l, a^l = f^l(z^l)
  fprime        (m, N_l)   f'(z^l); None for softmax, whose derivative is a Jacobian
  grad_a        (m, N_l)   ∂ℓ/∂a^l: ∂ℓ/∂ŷ for the output layer, (W^{l+1})ᵀ δ^{l+1} below it
  delta         (m, N_l)   δ^l = ∂ℓ/∂z^l
  grad_w        (N_l, N_{l-1})  ∂L/∂W^l, the batch mean of δ^l (a^{l-1})ᵀ
  grad_b        (N_l,)     ∂L/∂b^l, the batch mean of δ^l
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


@dataclass
class Trace:
    layers: list[LayerTrace]
    losses: np.ndarray | None = None  # ℓ_i per sample, (m,)
    loss: float | None = None  # L, the batch mean
    dloss_doutput: np.ndarray | None = None  # ∂ℓ/∂ŷ, (m, N_L)
    learning_rate: float | None = None  # η used by the update, once it has run
    update: dict | None = None  # the update's equation values (optimisers.update_details)

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

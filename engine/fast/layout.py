"""Where the fast path keeps every Θ^l: consecutive blocks of one flat float64 array.

One flat array holds the parameters of every layer (another the gradients, others the
optimiser's moments, all in the same layout), so that the update, elementwise, is one
NumPy operation for the whole network. Per layer l, with k = N_{l-1}:

    trained bias   Θ^l = [W^l | b^l], stored as (N_l, k + 1), rows j
    no bias        Θ^l = W^l, stored as (N_l, k)
    frozen bias    Θ^l = [W^l | b^l], stored transposed, (k + 1, N_l): (W^l)ᵀ in the
                   first k rows, b^l the last row

A frozen layer's gradient is written into its first k rows only, so the last row of its
gradient block stays zero: the update leaves b^l exactly as it is, and its moments stay
zero. Stored transposed, W^l itself is a contiguous block, which the gradient product
writes straight into.
"""

from __future__ import annotations

import numpy as np


class Layout:
    """The blocks of layers with N_l neurons, N_{l-1} inputs and a bias mode each."""

    def __init__(self, shapes: list[tuple[int, int]], modes: list[str]):
        self.shapes, self.modes = shapes, modes  # (N_l, N_{l-1}); trained | frozen | none
        self.stored = []
        for (n, k), mode in zip(shapes, modes):
            self.stored.append({"trained": (n, k + 1), "none": (n, k), "frozen": (k + 1, n)}[mode])
        self.size = sum(r * c for r, c in self.stored)

    def blocks(self, flat: np.ndarray) -> list[np.ndarray]:
        """The stored blocks of `flat`, each C-contiguous, shaped as `stored`."""
        views, start = [], 0
        for r, c in self.stored:
            views.append(flat[start : start + r * c].reshape(r, c))
            start += r * c
        return views

    def theta(self, flat: np.ndarray) -> list[np.ndarray]:
        """Θ^l as (N_l, N_{l-1} + 1) views ((N_l, N_{l-1}) without a bias)."""
        return [b.T if mode == "frozen" else b for b, mode in zip(self.blocks(flat), self.modes)]

    def weights(self, flat: np.ndarray) -> list[np.ndarray]:
        """W^l as (N_l, N_{l-1}) views."""
        return [t if mode == "none" else t[:, :-1] for t, mode in zip(self.theta(flat), self.modes)]

    def biases(self, flat: np.ndarray) -> list[np.ndarray | None]:
        """b^l as (N_l,) views; None without a bias."""
        return [
            None if mode == "none" else t[:, -1] for t, mode in zip(self.theta(flat), self.modes)
        ]

    def gradient_targets(self, flat: np.ndarray) -> list[np.ndarray]:
        """Where each layer's gradient product writes: all of Θ^l's block, or for a frozen
        bias the (N_{l-1}, N_l) block of (W^l)ᵀ."""
        return [b[:-1] if mode == "frozen" else b for b, mode in zip(self.blocks(flat), self.modes)]

    def pack(self, weights, biases) -> np.ndarray:
        """A flat array holding these W^l and b^l (b^l ignored without a bias, and taken as
        zero where it is None)."""
        flat = np.zeros(self.size)
        for w, b, t in zip(weights, biases, self.theta(flat)):
            t[:, : w.shape[1]] = w
            if t.shape[1] > w.shape[1] and b is not None:
                t[:, -1] = b
        return flat

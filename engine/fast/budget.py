"""A rough estimate of how long work takes, so a caller can bound one request.

Measured on the fast path: a fixed cost per layer plus a cost per multiply-add over the
batch. Deliberately pessimistic; it only has to be right in order of magnitude."""

from __future__ import annotations

import itertools

PER_LAYER_SECONDS = 25e-6
PER_MULTIPLY_ADD_SECONDS = 1.2e-9


def multiply_adds(layers) -> int:
    """Σ_l N_l N_{l-1}: the multiply-adds of one sample's forward pass."""
    return sum(a * b for a, b in itertools.pairwise(layers))


def iteration_seconds(layers, samples: int) -> float:
    """Estimated time of one fast-path training iteration (forward, backward, update)."""
    return (len(layers) - 1) * PER_LAYER_SECONDS + (
        samples * multiply_adds(layers) * PER_MULTIPLY_ADD_SECONDS
    )


def max_iterations(layers, samples: int, budget_seconds: float) -> int:
    """How many training iterations fit in `budget_seconds` (at least 1)."""
    return max(1, int(budget_seconds / iteration_seconds(layers, samples)))

"""Mini-batches: which samples each iteration uses.

One iteration is one mini-batch. An epoch is one pass over the m training samples in
batches of b (the last batch of an epoch holds what is left, m − (⌈m/b⌉ − 1) b samples).
With shuffling, each epoch visits the samples in a new order, drawn from the network's seed
and the epoch's number alone, so the batch of any iteration is known without replaying
the ones before it; without shuffling, every epoch takes them in order. A batch's own
samples are kept in ascending order, so with b = m (the default: the whole batch) every
iteration sees every sample exactly as it always did.
"""

from __future__ import annotations

import math

import numpy as np

SHUFFLE_STREAM = 0xBA7C  # mixed into the seed: the orders do not reuse the init's numbers
EPOCHS_PER_DRAW = 64  # orders are drawn for this many epochs at a time (one generator)


def batch_size(spec_batch_size: int | None, m: int) -> int:
    """b, the samples per iteration: the whole batch m when unset (or when b ≥ m)."""
    return m if spec_batch_size is None else min(spec_batch_size, m)


def per_epoch(m: int, b: int) -> int:
    """⌈m / b⌉ iterations make an epoch."""
    return math.ceil(m / b)


def draw_orders(seed: int, block: int, m: int) -> np.ndarray:
    """(EPOCHS_PER_DRAW, m): a permutation of the samples for each epoch of the block."""
    rng = np.random.default_rng([seed, SHUFFLE_STREAM, block])
    rows = np.broadcast_to(np.arange(m), (EPOCHS_PER_DRAW, m)).copy()
    return rng.permuted(rows, axis=1)


class Schedule:
    """The batches of one network's training samples: m samples, batches of b, shuffled
    or not, with the network's seed. Caches the last block of drawn orders."""

    def __init__(self, m: int, spec_batch_size: int | None, shuffle: bool, seed: int):
        self.args = (m, spec_batch_size, shuffle, seed)
        self.m, self.b = m, batch_size(spec_batch_size, m)
        self.full = self.b == m
        self.shuffle, self.seed = shuffle and not self.full, seed
        self.per_epoch = per_epoch(m, self.b)
        self._block: tuple[int, np.ndarray] | None = None
        self._all = np.arange(m)  # the whole batch (shared: never written into)

    def epoch_order(self, epoch: int) -> np.ndarray:
        """(m,) the samples in the order epoch `epoch` (0-based) visits them, each batch's
        part sorted."""
        if not self.shuffle:
            return np.arange(self.m)
        block, row = divmod(epoch, EPOCHS_PER_DRAW)
        if self._block is None or self._block[0] != block:
            self._block = (block, draw_orders(self.seed, block, self.m))
        order = self._block[1][row].copy()
        if self.b > 1:
            whole = (self.m // self.b) * self.b
            order[:whole].reshape(-1, self.b).sort(axis=1)
            order[whole:].sort()
        return order

    def position(self, iteration: int) -> tuple[int, int]:
        """(epoch, batch number within it), both 0-based, of iteration `iteration`
        (0-based: the number of iterations completed before it)."""
        return divmod(iteration, self.per_epoch)

    def batch(self, iteration: int) -> np.ndarray:
        """The sample indices of iteration `iteration` (0-based), ascending."""
        if self.full:
            return self._all
        epoch, k = self.position(iteration)
        return self.epoch_order(epoch)[k * self.b : (k + 1) * self.b]

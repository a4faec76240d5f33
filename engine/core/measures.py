"""How well a classifier does: the class of each output, accuracy and the confusion matrix.

A network classifies when its loss does (bce, cce: targets are classes). The class of a
row of targets or outputs (m, N_L): with one output, 1 where it is above 0.5, else 0;
with several, the index of the largest. Accuracy is the share of samples whose predicted
class is their target's; the confusion matrix counts, for every target class (row) and
predicted class (column), the samples that have both.
"""

from __future__ import annotations

import numpy as np

from . import passes
from .losses import LOSSES


def classifies(loss: str) -> bool:
    return LOSSES[loss].classifies


def classes(values: np.ndarray) -> np.ndarray:
    """The class of each row of `values` (m, N_L): (m,) ints."""
    if values.shape[1] == 1:
        return (values[:, 0] > 0.5).astype(np.int64)
    return values.argmax(axis=1)


def class_count(n_outputs: int) -> int:
    """How many classes N_L outputs tell apart: 2 for one output, else N_L."""
    return 2 if n_outputs == 1 else n_outputs


def accuracy(outputs: np.ndarray, targets: np.ndarray) -> float | None:
    """The share of rows whose class agrees (None without rows)."""
    if not len(targets):
        return None
    return int(np.count_nonzero(classes(outputs) == classes(targets))) / len(targets)


def confusion(outputs: np.ndarray, targets: np.ndarray) -> list[list[int]]:
    """counts[actual][predicted] over the rows, a (k, k) list for k classes."""
    k = class_count(targets.shape[1])
    counts = np.zeros((k, k), dtype=np.int64)
    np.add.at(counts, (classes(targets), classes(outputs)), 1)
    return counts.tolist()


def accuracies(spec, weights, biases, a0: np.ndarray, y: np.ndarray, test_a0, test_y):
    """(training accuracy, test accuracy) with these parameters (W^l, b^l or None), from
    the input layers' values a⁰; None for a network that does not classify, or without
    samples."""
    if not classifies(spec.loss):
        return None, None
    train = accuracy(passes.outputs(spec.activations, weights, biases, a0), y)
    test = None
    if len(test_y):
        test = accuracy(passes.outputs(spec.activations, weights, biases, test_a0), test_y)
    return train, test

"""What the training view's plots need, as plain numbers (no colours, no drawing).

For 2 inputs, the output over a grid on the input plane (the decision boundary); for
1 input, the output along a line (the fitted curve); for any network, the training and
test samples with their classes and the network's outputs on them."""

from __future__ import annotations

import numpy as np

from ..core import measures
from ..core.activations import ACTIVATIONS
from ..errors import SpecError
from .boundary import (
    DEFAULT_RESOLUTION,
    MAX_RESOLUTION,
    MIN_RESOLUTION,
    activations_over,
    curve,
    plane,
)


def classes_of(spec, values: np.ndarray) -> list[int] | None:
    """The class of each row of targets or outputs (m, N_L) (core/measures.py), None for
    regression."""
    if not measures.classifies(spec.loss):
        return None
    return measures.classes(values).tolist()


def sample_view(net, x: np.ndarray, y: np.ndarray) -> dict:
    """{"inputs", "targets", "outputs" (arrays, rows per sample), "classes", "predicted"
    (class lists or None), "accuracy" (share of predicted == classes, or None),
    "confusion" (counts[actual][predicted], or None)}."""
    outputs = activations_over(net, x)[-1] if len(x) else np.empty(y.shape)
    classes, predicted = classes_of(net.spec, y), classes_of(net.spec, outputs)
    accuracy = confusion = None
    if classes is not None and classes:
        accuracy = measures.accuracy(outputs, y)
        confusion = measures.confusion(outputs, y)
    return {
        "inputs": x,
        "targets": y,
        "outputs": outputs,
        "classes": classes,
        "predicted": predicted,
        "accuracy": accuracy,
        "confusion": confusion,
    }


def output_range(net, grid_output: np.ndarray | None) -> list[float]:
    """[low, high] of the output: the activation's own range where it has one, else the
    span of the grid's outputs and the targets."""
    bounded = ACTIVATIONS[net.spec.activations[-1]].bounds
    if bounded is not None:
        return list(bounded)
    values = [net.targets.ravel(), net.test_targets.ravel()]
    if grid_output is not None:
        values.append(grid_output.ravel())
    v = np.concatenate(values)
    return [float(v.min()), float(v.max())]


def check_resolution(resolution) -> int:
    if (
        isinstance(resolution, bool)
        or not isinstance(resolution, int)
        or not (MIN_RESOLUTION <= resolution <= MAX_RESOLUTION)
    ):
        raise SpecError(
            "resolution",
            f"is {resolution!r}; it must be a whole number from {MIN_RESOLUTION} to "
            f"{MAX_RESOLUTION}",
        )
    return resolution


def grid_over_inputs(net, resolution: int, hidden: bool) -> dict | None:
    """The grid of `plot_arrays` (None for more than 2 inputs)."""
    n_in = net.spec.raw_inputs
    if n_in not in (1, 2):
        return None
    raw = plane(net, resolution) if n_in == 2 else curve(net, resolution)
    out = raw["layers"][-1]
    grid = {"x": raw["x"], "output": out}
    if n_in == 2:
        grid["y"] = raw["y"]
        if out.shape[-1] > 1:
            grid["argmax"] = out.argmax(axis=-1)
    if hidden:
        grid["hidden"] = raw["layers"][:-1]
        if "features" in raw:
            grid["features"] = raw["features"]
    return grid


def plot_arrays(net, resolution: int = DEFAULT_RESOLUTION, hidden: bool = False) -> dict:
    """{"kind": "plane" | "curve" | "samples_only", "resolution",
    "grid": for a plane {"x": (r,), "y": (r,), "output": (r, r, N_L), "argmax": (r, r)
             for N_L > 1, "hidden": [(r, r, N_l) per hidden layer] if `hidden`} — row i
             is y[i], column j is x[j]; for a curve {"x": (r,), "output": (r, N_L),
             "hidden": [(r, N_l)]}; None for more than 2 inputs,
    "output_range": [low, high],
    "train", "test": sample_view of the training and held-out samples}, with NumPy arrays."""
    grid = grid_over_inputs(net, check_resolution(resolution), hidden)
    kinds = {1: "curve", 2: "plane"}
    return {
        "kind": kinds.get(net.spec.raw_inputs, "samples_only"),
        "resolution": resolution,
        "grid": grid,
        "output_range": output_range(net, None if grid is None else grid["output"]),
        "train": sample_view(net, net.inputs, net.targets),
        "test": sample_view(net, net.test_inputs, net.test_targets),
    }


def training_view(net, resolution: int = DEFAULT_RESOLUTION, hidden: bool = False) -> dict:
    """`plot_arrays` as plain JSON-able lists."""
    return as_lists(plot_arrays(net, resolution, hidden))


def as_lists(value):
    """`value` with every NumPy array (in dicts and lists) turned into nested lists."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, dict):
        return {k: as_lists(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_lists(v) for v in value]
    return value

"""The training view's pictures as view-models: the loss curve (SVG coordinates from the
loss histories), the decision boundary (a PNG heatmap of the output over the input plane
with the samples as SVG markers on top, or the fitted curve over the samples for one
input) and each hidden neuron's thumbnail. Layout and colour only: every value comes from
the plots' data of the network (app/service/readouts.py: plot_data)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

from app.views import images
from app.views.format import fmt
from engine.core.activations import ACTIVATIONS

PLANE = 300.0  # the boundary's viewBox is PLANE × PLANE
SHAPES = ("circle", "square", "triangle", "diamond", "down", "cross")
PALE = 0.62  # share of the full colour the heatmap keeps


def hex_colour(rgb) -> str:
    r, g, b = (round(float(c)) for c in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def class_style(n_out: int, k: int) -> tuple[str, str]:
    """(colour, shape) of class k; with one output, 0 is orange and 1 blue as in the heatmap."""
    if n_out == 1:
        return hex_colour(images.HIGH if k else images.LOW), SHAPES[k % 2]
    return hex_colour(images.CLASS_COLOURS[k % len(images.CLASS_COLOURS)]), SHAPES[k % len(SHAPES)]


def discretized(output: np.ndarray, low: float, high: float) -> np.ndarray:
    """Each point's class instead of the output: one output above its middle → high, else
    low; several → one-hot of the largest."""
    if output.shape[-1] == 1:
        return np.where(output > (low + high) / 2, high, low)
    return (output == output.max(axis=-1, keepdims=True)).astype(np.float64)


@lru_cache(maxsize=64)  # by value: an output's range is its activation's, mostly
def colour_scale(low: float, high: float) -> dict:
    """The heatmap's colours from `low` to `high` as a CSS gradient, with both ends (the
    same dict for the same range: not to be changed)."""
    values = np.linspace(low, high, 5)
    rgb = images.diverging(values, low, high)
    pale = [255 - (255 - c.astype(np.float64)) * PALE for c in rgb]
    stops = ", ".join(hex_colour(c) for c in pale)
    return {
        "low": fmt(low, 2),
        "high": fmt(high, 2),
        "gradient": f"linear-gradient(to right, {stops})",
    }


def heatmap(output: np.ndarray, low: float, high: float) -> np.ndarray:
    """(r, r, N_L) outputs → (r, r, 3) colours, paler than the
    markers' full colours, flipped so that y grows upwards."""
    rgb = (
        images.diverging(output[..., 0], low, high)
        if output.shape[-1] == 1
        else images.classes(output)
    )
    pale = 255 - (255 - rgb.astype(np.float64)) * PALE  # the markers stand out on top
    return np.ascontiguousarray(pale.round().astype(np.uint8)[::-1])


def scaled(values: np.ndarray, low: float, high: float, size: float) -> list[float]:
    """values in [low, high] as positions 0..size (viewBox units, 0.1 apart)."""
    return np.round((values - low) / (high - low) * size, 1).tolist()


def markers(view: dict, part: str, xs, ys, n_out: int, value_range) -> list[dict]:
    """One marker per sample of view[part] ("train" or "test"): position, colour, shape."""
    samples = view[part]
    x, y = samples["inputs"], samples["targets"]
    cx = scaled(x[:, 0], xs[0], xs[-1], PLANE)
    cy = scaled(-x[:, 1], -ys[-1], -ys[0], PLANE)  # y grows upwards
    classes = samples["classes"]
    if classes is None:
        colours = [hex_colour(c) for c in images.diverging(y[:, :1], *value_range)[:, 0]]
    out = []
    for i in range(len(x)):
        if classes is not None:
            colour, shape = class_style(n_out, classes[i])
            name = f"class {classes[i]}"
        else:
            colour, shape, name = colours[i], "circle", f"target {fmt(float(y[i, 0]), 3)}"
        out.append(
            {
                "x": cx[i],
                "y": cy[i],
                "colour": colour,
                "shape": shape,
                "hollow": part == "test",
                "title": f"{part} sample {i + 1}: {name}",
            }
        )
    return out


@dataclass
class Plane:
    """The decision boundary over the input plane. The markers (one per sample) are made
    on first use: a Play refresh sends only the image and the accuracy."""

    view: dict
    n_out: int
    image: str
    x_range: tuple[str, str]
    y_range: tuple[str, str]
    accuracy: dict
    classes: list
    scale: dict | None = None  # the colour scale of one output
    classifies: bool = False
    discrete: bool = False  # each point's class instead of the output's shade
    confusion: dict | None = None  # the training samples' (classifiers)
    kind: str = "plane"
    size: float = PLANE

    @cached_property
    def markers(self) -> list[dict]:
        grid, value_range = self.view["grid"], self.view["output_range"]
        xs, ys = grid["x"], grid["y"]
        return [
            *markers(self.view, "train", xs, ys, self.n_out, value_range),
            *markers(self.view, "test", xs, ys, self.n_out, value_range),
        ]


def boundary(view: dict | None, n_out: int, discrete: bool = False) -> Plane | dict | None:
    """The decision-boundary picture for the plots' data (see engine.plot_arrays); with
    `discrete`, a classifier's picture shows each point's class."""
    if view is None or view.get("grid") is None:
        return None
    grid = view["grid"]
    low, high = view["output_range"]
    if view["kind"] == "curve":
        return fitted_curve(view)
    xs, ys = grid["x"], grid["y"]
    classifies = view["train"]["classes"] is not None
    output = grid["output"]
    if discrete and classifies:
        output = discretized(output, low, high)
    return Plane(
        view,
        n_out,
        image=images.data_uri(heatmap(output, low, high)),
        x_range=(fmt(xs[0], 2), fmt(xs[-1], 2)),
        y_range=(fmt(ys[0], 2), fmt(ys[-1], 2)),
        accuracy=accuracy(view),
        classes=legend(view, n_out),
        scale=colour_scale(low, high) if n_out == 1 else None,
        classifies=classifies,
        discrete=discrete and classifies,
        confusion=confusion(view, n_out) if classifies else None,
    )


def confusion(view: dict, n_out: int) -> dict | None:
    """The confusion matrices of the training and (when there are any) the test samples:
    counts[actual][predicted], each row with its class and whether a cell is on the
    diagonal (classified right)."""
    counts = view["train"].get("confusion")
    if not counts:
        return None
    parts = [("training", counts), ("test", view["test"].get("confusion"))]
    tables = [
        {
            "part": part,
            "rows": [
                {"k": k, "cells": [{"n": n, "right": k == p} for p, n in enumerate(row)]}
                for k, row in enumerate(matrix)
            ],
        }
        for part, matrix in parts
        if matrix
    ]
    return {"classes": list(range(len(counts))), "tables": tables}


def accuracy(view: dict) -> dict:
    return {
        part: None if view[part]["accuracy"] is None else f"{view[part]['accuracy']:.0%}"
        for part in ("train", "test")
        if len(view[part]["inputs"])
    }


def legend(view: dict, n_out: int) -> list[dict]:
    classes = sorted(set((view["train"]["classes"] or []) + (view["test"]["classes"] or [])))
    return [
        {"k": k, "colour": class_style(n_out, k)[0], "shape": class_style(n_out, k)[1]}
        for k in classes
    ]


def fitted_curve(view: dict) -> dict:
    """One input: the output line over x with the samples as dots (test samples hollow)."""
    xs, ys = view["grid"]["x"], view["grid"]["output"][:, 0]
    train, test = view["train"], view["test"]
    values = np.concatenate([ys, train["targets"][:, 0], test["targets"][:, 0]])
    low, high = float(values.min()), float(values.max())
    span = high - low or 1.0
    low, high = low - 0.08 * span, high + 0.08 * span

    def to_xy(x, y) -> tuple[list[float], list[float]]:
        """Positions of points (x, y) in the picture (y downwards, 3/4 as tall as wide)."""
        return scaled(x, xs[0], xs[-1], PLANE), scaled(high - y, 0.0, high - low, PLANE * 0.75)

    line = " ".join(f"{x},{y}" for x, y in zip(*to_xy(xs, ys)))
    dots = []
    for part, samples in (("train", train), ("test", test)):
        x, t = samples["inputs"][:, 0], samples["targets"][:, 0]
        for i, xy in enumerate(zip(*to_xy(x, t))):
            title = f"{part} sample {i + 1}: x {fmt(float(x[i]), 3)}, y {fmt(float(t[i]), 3)}"
            dots.append({"xy": xy, "hollow": part == "test", "title": title})
    zero = to_xy(np.array([xs[0]]), np.array([0.0]))[1][0] if low < 0 < high else None
    return {
        "kind": "curve",
        "size": PLANE,
        "height": PLANE * 0.75,
        "line": line,
        "dots": dots,
        "zero": zero,
        "x_range": (fmt(float(xs[0]), 2), fmt(float(xs[-1]), 2)),
        "y_range": (fmt(low, 2), fmt(high, 2)),
        "accuracy": {},
        "classes": [],
    }


def thumbnails(view: dict | None, activations: list[str], size: int = 24) -> dict:
    """{"n-l-j": data URI}: every hidden (and output) neuron's a over the plane (2 inputs)."""
    if view is None or view.get("kind") != "plane" or not view["grid"].get("hidden"):
        return {}
    out = {}
    grids = [*view["grid"]["hidden"], view["grid"]["output"]]  # the output neurons too
    for l, grid in enumerate(grids, start=1):
        a = np.asarray(grid, dtype=np.float64)
        step = max(1, a.shape[0] // size)
        a = a[::step, ::step]
        bounds = ACTIVATIONS[activations[l - 1]].bounds
        if bounds is None:
            m = (float(np.nanmax(np.abs(a))) if a.size else 1.0) or 1.0
            bounds = (-m, m)
        low, high = bounds
        for j in range(a.shape[-1]):
            rgb = images.diverging(np.nan_to_num(a[..., j]), low, high)[::-1]
            out[f"n-{l}-{j + 1}"] = images.data_uri(np.ascontiguousarray(rgb))
    return out

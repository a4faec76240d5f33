"""The training view's pictures as view-models: the loss curve (SVG coordinates from the
loss histories), the decision boundary (a PNG heatmap of the output over the input plane
with the samples as SVG markers on top, or the fitted curve over the samples for one
input) and each hidden neuron's thumbnail. Layout and colour only: every value comes from
the plots' data of the network (app/service/readouts.py: plot_data)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from app.views import images
from app.views.format import MINUS, fmt
from engine import notation
from engine.core.activations import ACTIVATIONS

CURVE_W, CURVE_H = 460.0, 190.0
PAD = {"left": 56.0, "right": 14.0, "top": 12.0, "bottom": 30.0}
MAX_POINTS = 400
PLANE = 300.0  # the boundary's viewBox is PLANE × PLANE
SHAPES = ("circle", "square", "triangle", "diamond", "down", "cross")
PALE = 0.62  # share of the full colour the heatmap keeps


def hex_colour(rgb) -> str:
    r, g, b = (round(float(c)) for c in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def nice_step(span: float, count: int = 5) -> float:
    """A 1, 2 or 5 × 10^k step giving about `count` ticks over `span`."""
    raw = span / max(count, 1)
    if raw <= 0 or not math.isfinite(raw):
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def ticks(low: float, high: float, count: int = 5) -> list[float]:
    step = nice_step(high - low, count)
    first = math.ceil(low / step - 1e-9) * step
    return [round(first + i * step, 12) for i in range(int((high - first) / step + 1e-9) + 1)]


def tick_label(t: float) -> str:
    """A round tick value as short as it goes (0.6, 1500), scientific in the pages' style
    (3×10⁻⁵) where that is shorter."""
    plain = f"{t:.12f}".rstrip("0").rstrip(".") if t else "0"
    if len(plain) <= 7:
        return plain.replace("-", MINUS)
    return notation.sci(t, 0) if f"{t:.0e}" == f"{t:.1e}".replace(".0", "") else notation.sci(t)


def decade(e: int) -> str:
    """10^e as the log scale's tick: 10⁻³."""
    return "10" + notation.sup(e).replace("-", "⁻")


def thin(points: list, limit: int = MAX_POINTS) -> list:
    """At most `limit` points, evenly spaced, always keeping the last."""
    if len(points) <= limit:
        return points
    k = math.ceil(len(points) / limit)
    return points[::k] + ([points[-1]] if (len(points) - 1) % k else [])


def finite(history) -> list[tuple[float, float]]:
    return [
        (float(i), float(v))
        for i, v in history or []
        if v is not None and math.isfinite(v) and (v > 0 or v == 0)
    ]


def y_span(values: list[float], log: bool) -> tuple[int, int] | tuple[float, float]:
    """The loss axis: whole decades on a log scale, else 0 to a little above the largest."""
    if log:
        low, high = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
        return low, high if high > low else low + 1
    return 0.0, max(values) * 1.05 or 1.0


def loss_curve(train: list, test: list, log: bool) -> dict:
    """{width, height, lines: [{name, points}], xticks, yticks, log, empty} for the loss
    against iteration; on a log scale non-positive losses are left out."""
    series = [("train", finite(train)), ("test", finite(test))]
    if log:
        series = [(n, [(i, v) for i, v in pts if v > 0]) for n, pts in series]
    every = [p for _, pts in series for p in pts]
    out: dict[str, Any] = {
        "width": CURVE_W,
        "height": CURVE_H,
        "log": log,
        "lines": [],
        "xticks": [],
        "yticks": [],
        "empty": not every,
        "pad": PAD,
        "last": {},
    }
    if not every:
        return out
    x0, x1 = min(i for i, _ in every), max(i for i, _ in every)
    x1 = x1 if x1 > x0 else x0 + 1
    y0, y1 = y_span([v for _, v in every], log)
    iw = CURVE_W - PAD["left"] - PAD["right"]
    ih = CURVE_H - PAD["top"] - PAD["bottom"]

    def sx(i: float) -> float:
        return round(PAD["left"] + (i - x0) / (x1 - x0) * iw, 1)

    def sy(v: float) -> float:
        t = ((math.log10(v) if log else v) - y0) / (y1 - y0)
        return round(PAD["top"] + (1 - t) * ih, 1)

    for name, pts in series:
        if pts:
            points = " ".join(f"{sx(i)},{sy(v)}" for i, v in thin(pts))
            out["lines"].append({"name": name, "points": points})
            out["last"][name] = fmt(pts[-1][1], 4)
    out["xticks"] = [{"x": sx(t), "label": tick_label(t)} for t in ticks(x0, x1, 5)]
    if log:
        decades = range(int(y0), int(y1) + 1)
        out["yticks"] = [{"y": sy(10.0**e), "label": decade(e)} for e in decades]
    else:
        out["yticks"] = [{"y": sy(t), "label": tick_label(t)} for t in ticks(0.0, y1, 4)]
    out["x_label_y"] = CURVE_H - 4
    return out


def class_style(n_out: int, k: int) -> tuple[str, str]:
    """(colour, shape) of class k; with one output, 0 is orange and 1 blue as in the heatmap."""
    if n_out == 1:
        return hex_colour(images.HIGH if k else images.LOW), SHAPES[k % 2]
    return hex_colour(images.CLASS_COLOURS[k % len(images.CLASS_COLOURS)]), SHAPES[k % len(SHAPES)]


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


def boundary(view: dict | None, n_out: int) -> Plane | dict | None:
    """The decision-boundary picture for the plots' data (see engine.plot_arrays)."""
    if view is None or view.get("grid") is None:
        return None
    grid = view["grid"]
    low, high = view["output_range"]
    if view["kind"] == "curve":
        return fitted_curve(view)
    xs, ys = grid["x"], grid["y"]
    return Plane(
        view,
        n_out,
        image=images.data_uri(heatmap(grid["output"], low, high)),
        x_range=(fmt(xs[0], 2), fmt(xs[-1], 2)),
        y_range=(fmt(ys[0], 2), fmt(ys[-1], 2)),
        accuracy=accuracy(view),
        classes=legend(view, n_out),
    )


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

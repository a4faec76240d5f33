"""The training view's curves as view-models: the loss and (for a classifier) the
accuracy against iteration, each with the curves of the kept runs (ghosts) drawn under the
current run's and a mark where the network was changed. SVG coordinates only: every value
comes from the plots' data (app/service/readouts.py: plot_data)."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from app.views import histories
from app.views.format import MINUS, fmt
from engine import notation
from engine.core.features import FEATURES

CURVE_W, CURVE_H = 460.0, 198.0
ACC_H = 158.0
# the bottom holds the tick labels and, under them, the axis's name (text is centred on
# its y: the name at 8 units above the bottom stays inside at every text size)
PAD = {"left": 56.0, "right": 14.0, "top": 12.0, "bottom": 38.0}
X_LABEL_ABOVE = 8.0
MAX_POINTS = 400


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


def thin(points: np.ndarray, limit: int = MAX_POINTS) -> np.ndarray:
    """At most `limit` points (rows), evenly spaced, always keeping the last."""
    if len(points) <= limit:
        return points
    k = math.ceil(len(points) / limit)
    kept = points[::k]
    return kept if (len(points) - 1) % k == 0 else np.concatenate([kept, points[-1:]])


def finite(history, remember: bool = True) -> np.ndarray:
    """The [iteration, value] rows of `history` whose value is finite and not negative,
    as an (n, 2) array (None and the non-finite as NaN first, then left out); `remember`:
    a history of the network's own, whose growth the next request converts
    (app/views/histories.py)."""
    history = history or []
    rows = histories.rows_of(history) if remember else histories.convert(history)
    with np.errstate(invalid="ignore"):
        return rows[np.isfinite(rows[:, 1]) & (rows[:, 1] >= 0)]


@functools.lru_cache(maxsize=8)
def pairs_format(count: int) -> str:
    """The printf format of `count` SVG points to one decimal: "%.1f,%.1f %.1f,%.1f …"
    (the same digits as round(x, 1), in one call instead of one a point)."""
    return " ".join(["%.1f,%.1f"] * count)


def svg_points(xs: np.ndarray, ys: np.ndarray) -> str:
    return pairs_format(len(xs)) % tuple(np.column_stack([xs, ys]).ravel().tolist())


def y_span(values: np.ndarray, log: bool) -> tuple[int, int] | tuple[float, float]:
    """The loss axis: whole decades on a log scale, else 0 to a little above the largest
    (`values`: finite, and positive on a log scale)."""
    largest = float(values.max())
    if log:
        low, high = math.floor(math.log10(float(values.min()))), math.ceil(math.log10(largest))
        return low, high if high > low else low + 1
    return 0.0, largest * 1.05 or 1.0


def ghost_legend(ghosts: list[dict]) -> list[dict]:
    """Each kept run's legend: its number, label and the settings it ran with."""
    out = []
    for g in ghosts:
        s = g.get("settings") or {}
        eta = s.get("learning_rate")
        words = ", ".join(
            w
            for w in (
                s.get("optimizer"),
                None if eta is None else f"η {eta:g}",
                None if s.get("seed") is None else f"seed {s['seed']}",
                None if not s.get("layers") else "–".join(str(n) for n in s["layers"]),
                None if not s.get("features") else ", ".join(feature_text(s["features"])),
            )
            if w
        )
        number, label = g["number"], g["label"]
        own = not label.startswith(f"run {number}: ")  # a default label holds the settings
        shown = {"settings": words if own else "", "all": words}
        out.append({"number": number, "slot": slot(ghosts, g), "label": label, **shown})
    return out


def feature_text(names: list[str]) -> list[str]:
    return [FEATURES[n].text if n in FEATURES else n for n in names]


def slot(ghosts: list[dict], ghost: dict) -> int:
    """The ghost's colour and dash pattern, 1..4 by its place among the kept runs."""
    return ghosts.index(ghost) % 4 + 1


def chart(series: list[dict], log: bool, height: float, fixed: tuple | None, marks: list) -> dict:
    """{width, height, lines: [{name, cls, points, title, dot}], xticks, yticks, marks, log,
    empty, pad, last, x_label_y}: `series` are {name, cls, points, title} with (n, 2)
    arrays of [iteration, value] rows; `fixed` a y range to keep (accuracy: 0 to 1), else
    the loss axis; `dot`: the point of a series of one, drawn as a dot."""
    if log:
        series = [{**s, "points": s["points"][s["points"][:, 1] > 0]} for s in series]
    every = np.concatenate([s["points"] for s in series]) if series else np.empty((0, 2))
    out: dict[str, Any] = {
        "width": CURVE_W,
        "height": height,
        "log": log,
        "lines": [],
        "xticks": [],
        "yticks": [],
        "marks": [],
        "empty": not len(every),
        "pad": PAD,
        "last": {},
        "x_label_y": height - X_LABEL_ABOVE,
    }
    if not len(every):
        return out
    x0, x1 = 0.0, float(every[:, 0].max())  # from iteration 0: runs start together
    x1 = x1 if x1 > x0 else x0 + 1
    y0, y1 = fixed or y_span(every[:, 1], log)
    sx, sy = scales(x0, x1, y0, y1, height, log)
    for s in series:
        if len(s["points"]):
            shown = thin(s["points"])
            xs, ys = axis_x(shown[:, 0], x0, x1), axis_y(shown[:, 1], y0, y1, height, log)
            # a single point draws no line: a dot instead (one Train of one iteration)
            dot = (round(float(xs[0]), 1), round(float(ys[0]), 1)) if len(xs) == 1 else None
            out["lines"].append({**s, "points": svg_points(xs, ys), "dot": dot})
    for name in ("train", "test"):
        pts = next((s["points"] for s in series if s["name"] == name), None)
        if pts is not None and len(pts):
            out["last"][name] = fmt(float(pts[-1][1]), 4)
    out["xticks"] = [{"x": sx(t), "label": tick_label(t)} for t in ticks(x0, x1, 5)]
    out["yticks"] = y_ticks(y0, y1, sy, log, fixed is not None)
    out["marks"] = [
        {"x": sx(m["iteration"]), "what": m["what"], "iteration": m["iteration"]}
        for m in marks
        if x0 <= m["iteration"] <= x1
    ]
    return out


def inner(height: float) -> tuple[float, float]:
    """The plotting area's width and height inside the padding."""
    return CURVE_W - PAD["left"] - PAD["right"], height - PAD["top"] - PAD["bottom"]


def scales(x0, x1, y0, y1, height: float, log: bool) -> tuple[Callable, Callable]:
    """One value's SVG x and y (rounded to 0.1), as axis_x / axis_y compute many."""

    def sx(i: float) -> float:
        return round(PAD["left"] + (i - x0) / (x1 - x0) * inner(height)[0], 1)

    def sy(v: float) -> float:
        t = ((math.log10(v) if log else v) - y0) / (y1 - y0)
        return round(PAD["top"] + (1 - t) * inner(height)[1], 1)

    return sx, sy


def axis_x(i: np.ndarray, x0: float, x1: float) -> np.ndarray:
    return PAD["left"] + (i - x0) / (x1 - x0) * inner(0.0)[0]


def axis_y(v: np.ndarray, y0: float, y1: float, height: float, log: bool) -> np.ndarray:
    t = ((np.log10(v) if log else v) - y0) / (y1 - y0)
    return PAD["top"] + (1 - t) * inner(height)[1]


def y_ticks(y0, y1, sy, log: bool, share: bool) -> list[dict]:
    if log:
        return [{"y": sy(10.0**e), "label": decade(e)} for e in range(int(y0), int(y1) + 1)]
    if share:
        return [{"y": sy(t), "label": f"{t:.0%}"} for t in (0.0, 0.25, 0.5, 0.75, 1.0)]
    return [{"y": sy(t), "label": tick_label(t)} for t in ticks(0.0, y1, 4)]


def runs(current: list[tuple[str, list]], ghosts: list[dict], curve: str) -> list[dict]:
    """The ghosts' `curve` ("loss" or "accuracy") under the current run's series."""
    out = [
        {
            "name": f"ghost-{g['number']}",
            "cls": f"ghost g{slot(ghosts, g)}",
            "points": finite(g.get(curve), remember=False),
            "title": g["label"],
        }
        for g in ghosts
    ]
    return out + [{"name": n, "cls": n, "points": finite(p), "title": n} for n, p in current]


def loss_curve(train: list, test: list, log: bool, ghosts=(), marks=()) -> dict:
    """The loss against iteration (training and test), kept runs under it; on a log
    scale non-positive losses are left out."""
    ghosts = list(ghosts)
    series = runs([("train", train), ("test", test)], ghosts, "loss")
    out = chart(series, log, CURVE_H, None, list(marks))
    out["ghosts"] = ghosts  # the chart needs their count; the legend is made once
    out["title"], out["prefix"] = "Loss", "curve"
    out["label"] = aria_label(out)
    return out


def accuracy_curve(train: list, test: list, ghosts=(), marks=()) -> dict:
    """A classifier's accuracy against iteration, 0 to 100 %, kept runs under it."""
    ghosts = list(ghosts)
    series = runs([("train", train), ("test", test)], ghosts, "accuracy")
    out = chart(series, False, ACC_H, (0.0, 1.0), list(marks))
    out["last"] = {
        name: f"{pts[-1][1]:.0%}" for name, pts in (("train", train), ("test", test)) if pts
    }
    out["ghosts"] = ghosts  # the chart needs their count; the legend is made once
    out["title"], out["prefix"] = "Accuracy", "acc"
    out["label"] = aria_label(out)
    return out


def aria_label(c: dict) -> str:
    """What the chart shows, in words (its SVG's aria-label)."""
    name, last, kept = c["title"].lower(), c["last"], len(c["ghosts"])
    words = [f"{c['title']} against iteration", " on a log scale" if c["log"] else ""]
    words.append(f": training {name}")
    words.append(f" (now {last['train']})" if last.get("train") else "")
    words.append(f" and test {name} (now {last['test']})" if last.get("test") else "")
    words.append(" for the whole life of the network")
    words.append(f", over {kept} kept run{'s' if kept != 1 else ''}" if kept else "")
    words.append("; dashed upright lines mark where the network was changed" if c["marks"] else "")
    return "".join(words) + "."

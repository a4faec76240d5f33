"""The diagram's geometry and colours: column and row gaps, neuron radius and font for a
network's shape, where each neuron's centre goes, an edge's width and colour for its weight,
and the small picture of a network on a preset card."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

POSITIVE = (31, 95, 168)  # blue: w > 0
NEGATIVE = (214, 96, 12)  # orange: w < 0
NEUTRAL = (205, 211, 219)  # w = 0


@dataclass
class Geometry:
    """Column gap, row gap, neuron radius, margins and font size for one network."""

    col: float
    row: float
    r: float
    left: float
    right: float
    top: float
    font: float
    roomy: bool
    label_all: bool = False

    @classmethod
    def for_layers(cls, layers: list[int]) -> Geometry:
        """Roomy (all labels, z and δ beside each neuron) for small nets; compact otherwise.
        The row gap aims at a drawing about 1.5 times as wide as it is tall."""
        depth, widest = len(layers) - 1, max(layers)
        col = {1: 300, 2: 240, 3: 210}.get(depth, max(132, 880 // depth))
        roomy = depth <= 4 and widest <= 6
        right = 250.0 if roomy else 232.0
        width = 92 + depth * col + right
        if roomy:
            r, top = 34.0, 66.0
            row = min(250.0, max(112.0, (width / 1.35 - 2 * top - 2 * r) / max(1, widest - 1)))
            font = 17.0
        else:
            row = max(46.0, min(110.0, 640 / widest))
            r, top = min(24.0, row * 0.4), 52.0
            font = max(12.5, min(15.0, r * 0.62))
        label_all = roomy and max(a * b for a, b in itertools.pairwise(layers)) <= 9
        return cls(col, row, r, 92.0, right, top, font, roomy, label_all)


def mix(c0: tuple, c1: tuple, t: float) -> str:
    r, g, b = (round(a + (b - a) * t) for a, b in zip(c0, c1))
    return f"#{r:02x}{g:02x}{b:02x}"


def edge_style(w: float, w_max: float, max_width: float) -> tuple[float, str]:
    """(stroke width, colour) for weight w; |w| relative to the largest |w| in the net."""
    t = min(1.0, abs(w) / w_max) if w_max > 0 else 0.0
    colour = mix(NEUTRAL, POSITIVE if w >= 0 else NEGATIVE, math.sqrt(t))
    return round(0.8 + (max_width - 0.8) * t, 1), colour


def positions(layers: list[int], g: Geometry) -> tuple[list[list[tuple]], float, float]:
    """Neuron centres per layer (columns centred vertically), and the viewBox size."""
    widest = max(layers)
    height = g.top * 2 + (widest - 1) * g.row + (2 * g.r + 10 if g.roomy else g.r)
    centre = height / 2
    out = []
    for l, n in enumerate(layers):
        x = g.left + l * g.col
        out.append([(x, centre + (j - (n - 1) / 2) * g.row) for j in range(n)])
    width = g.left + (len(layers) - 1) * g.col + g.right
    return out, round(width, 1), round(height, 1)


def mini(layers: list[int], width: float = 220, height: float = 96) -> dict:
    """A small picture of a network's shape for the preset cards: circles and lines."""
    cols = len(layers)
    dx = width / cols
    widest = max(layers)
    dy = min(16.0, (height - 12) / max(1, widest - 1)) if widest > 1 else 0
    r = max(2.2, min(5.5, dy * 0.33 if dy else 5.5))
    pts = [
        [(dx * (l + 0.5), height / 2 + (j - (n - 1) / 2) * dy) for j in range(n)]
        for l, n in enumerate(layers)
    ]
    lines = [(a, b) for l in range(1, cols) for a in pts[l - 1] for b in pts[l]]
    return {
        "width": width,
        "height": height,
        "r": round(r, 1),
        "points": [p for col in pts for p in col],
        "lines": lines,
    }

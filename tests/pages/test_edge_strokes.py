"""An edge's stroke (app/views/geometry.py: edge_styles), worked out for a whole layer at
once: the same width and colour as the one-edge formula gives each weight alone, and
numbers worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.views.geometry import HEX, NEGATIVE, NEUTRAL, POSITIVE, edge_styles


def one_edge(w: float, w_max: float, max_width: float) -> tuple[float, str]:
    """The formula for one weight, written out with Python's floats (the oracle)."""
    t = min(1.0, abs(w) / w_max) if w_max > 0 else 0.0
    end = POSITIVE if w >= 0 else NEGATIVE
    s = math.sqrt(t)
    rgb = [round(a + (b - a) * s) for a, b in zip(NEUTRAL, end, strict=True)]
    return round(0.8 + (max_width - 0.8) * t, 1), "#" + "".join(f"{c:02x}" for c in rgb)


def test_a_quarter_of_the_largest_weight_worked_by_hand():
    # t = 1/4, √t = 1/2; width 0.8 + (4.8 − 0.8) × 0.25 = 1.8
    # blue: 205 + (31 − 205) × 0.5 = 118 = 0x76; 211 + (95 − 211) × 0.5 = 153 = 0x99;
    # 219 + (168 − 219) × 0.5 = 193.5, rounded half to even: 194 = 0xc2
    # orange: 205 + (181 − 205) × 0.5 = 193 = 0xc1; 211 + (71 − 211) × 0.5 = 141 = 0x8d;
    # 219 + (0 − 219) × 0.5 = 109.5, half to even: 110 = 0x6e
    widths, colours = edge_styles(np.array([[0.5, -0.5], [2.0, 0.0]]), 2.0, 4.8)
    assert widths == [[1.8, 1.8], [4.8, 0.8]]
    assert colours == [["#7699c2", "#c18d6e"], ["#1f5fa8", "#cdd3db"]]


def test_every_weight_as_the_one_edge_formula_gives_it():
    rng = np.random.default_rng(7)
    for shape in [(1, 1), (3, 2), (8, 8), (1, 40)]:
        weights = rng.normal(scale=rng.uniform(0.01, 5), size=shape)
        weights[0, 0] = 0.0
        w_max = float(np.abs(weights).max())
        for max_width in (7.5, 3.3, 0.8):
            widths, colours = edge_styles(weights, w_max, max_width)
            expected = [[one_edge(w, w_max, max_width) for w in row] for row in weights.tolist()]
            assert widths == [[w for w, _ in row] for row in expected]
            assert colours == [[c for _, c in row] for row in expected]


@pytest.mark.parametrize("w_max", [0.0, float("nan")])
def test_no_largest_weight_draws_every_edge_neutral_and_thin(w_max):
    widths, colours = edge_styles(np.array([[0.0, 0.0]]), w_max, 7.5)
    assert widths == [[0.8, 0.8]]
    assert colours == [["#cdd3db", "#cdd3db"]] == [[one_edge(0.0, w_max, 7.5)[1]] * 2]


def test_a_weight_past_the_largest_is_drawn_as_the_largest():
    widths, colours = edge_styles(np.array([[3.0, -3.0]]), 1.0, 7.5)
    assert widths == [[7.5, 7.5]]
    assert colours == [[f"#{HEX[31]}{HEX[95]}{HEX[168]}", f"#{HEX[181]}{HEX[71]}{HEX[0]}"]]

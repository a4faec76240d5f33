"""The diagram's geometry and colours: column and row gaps, neuron radius, margins and font
for a network's shape, the text size the reader chose and the screen (a phone gets a
narrow drawing), where each neuron's centre goes, an edge's width and colour for its
weight, and the small picture of a network on a preset card."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

POSITIVE = (31, 95, 168)  # blue: w > 0
NEGATIVE = (181, 71, 0)  # orange: w < 0 (lab.css --neg; blue / orange: colour-blind safe)
NEUTRAL = (205, 211, 219)  # w = 0
NARROW_WIDTH = 420.0  # a phone's drawing is about this wide (viewBox units)
TITLE_GAP = 6.0  # above the column titles and between them and the first labels
PAD = 3.0  # between a circle and its first label line (app/views/labels.py)
LINE = 1.2  # a label line's height in em
ROOMY_FONT = 17.0  # a roomy drawing's font at the normal text size (viewBox units)
# The presenter view's smallest font: its smallest text, a loss box's note (0.72 em of a
# size fitted to the box, about 0.93 em), is then 18 px where the drawing is shown at one
# px per unit or more (static/css/classroom.css: .present)
PRESENT_FONT = 27.0


@dataclass
class Geometry:
    """Column gap, row gap, neuron radius, margins and font size (already multiplied by
    the text size `scale`) for one network, and which drawing it is: roomy (every value
    beside its neuron), compact (one value per neuron) or narrow (a phone: the values in
    the circles, details on tap)."""

    col: float
    row: float
    r: float
    left: float
    right: float
    top: float
    bottom: float
    font: float
    roomy: bool
    label_all: bool = False
    narrow: bool = False
    scale: float = 1.0
    title_lines: int = 1

    @classmethod
    def for_layers(
        cls,
        layers: list[int],
        scale: float = 1.0,
        narrow: bool = False,
        titles: list[str] | None = None,
        min_font: float = 0.0,
    ) -> Geometry:
        """Roomy (all labels, z and δ beside each neuron) for small nets; compact otherwise;
        narrow on a phone. `titles`: each column's one-line title ("layer 1 · sigmoid"), to
        know whether it fits on one line at this text size. `min_font`: the smallest font
        the drawing may have (the presenter view's, PRESENT_FONT): the text size grows to
        reach it, and the labels are placed for that size."""
        if narrow:
            return cls.narrow_for(layers, scale)
        depth, widest = len(layers) - 1, max(layers)
        col = {1: 300, 2: 240, 3: 210}.get(depth, max(132, 880 // depth))
        roomy = depth <= 4 and widest <= 6
        if roomy:
            scale = max(scale, min_font / ROOMY_FONT)
            # circles grow a little with the text, so that their values keep their size
            r = round(34.0 * min(1.25, max(1.0, 0.72 + 0.28 * scale)), 1)
            font = ROOMY_FONT * scale
            width = 92 + depth * col + 250.0
            row = min(250.0, max(112.0, (width / 1.35 - 2 * 66 - 2 * r) / max(1, widest - 1)))
            longest = max((em(t, bold=True) for t in titles or []), default=0.0)
            lines = 1 if longest * 0.9 * font <= col * 0.9 else 2
            label_all = max(a * b for a, b in itertools.pairwise(layers)) <= 9
            above = label_h("bias", font) + PAD  # b above each circle
            below = PAD + 2 * label_h("delta", font) + 2 + 8  # z and δ below
        else:
            row = max(46.0, min(110.0, 640 / widest))
            r, font = min(24.0, row * 0.4), max(12.5, min(15.0, min(24.0, row * 0.4) * 0.62))
            if min_font > font:  # presenting: the circles grow too, as far as the rows allow
                scale = min_font / font
                r = min(24.0 * 1.25, row * 0.42)
            font *= scale
            lines, label_all = 2, False
            above, below = 0.0, PAD + label_h("delta", font) + 8
        top = titles_height(font, lines) + TITLE_GAP + above + r
        right = 250.0 if roomy else 232.0
        return cls(
            col, row, r, 92.0, right, top, r + below, font, roomy, label_all, False, scale, lines
        )

    @classmethod
    def narrow_for(cls, layers: list[int], scale: float) -> Geometry:
        """A phone's drawing: about NARROW_WIDTH wide, the values in the circles (rounded
        to fit), the loss box below the output column."""
        depth, widest = len(layers) - 1, max(layers)
        r = 24.0 if widest <= 4 else (20.0 if widest <= 8 else 16.0)
        font = 15.0 * scale if r >= 20 else 13.0 * scale
        # room for the input column's title, and for the target labels beside the output
        left = max(r + 10.0, em("input", bold=True) * 0.9 * font / 2 + 4)
        right = r + 96.0 * scale
        col = max(2 * r + 26, (NARROW_WIDTH - left - right) / depth)
        row = max(2 * r + 10, min(84.0, 360 / widest))
        top = titles_height(font, 2) + TITLE_GAP + r
        return cls(col, row, r, left, right, top, r + 12, font, False, False, True, scale, 2)


# Advances in em of DejaVu Sans (the sans-serif the page falls back to), by character; bold
# is about 9 % wider except for the wide symbols (measured from the font's hmtx table).
ADVANCE = {
    **dict.fromkeys(".,·: ", 0.318),
    **dict.fromkeys("()", 0.39),
    **dict.fromkeys("ijlℓ", 0.28),
    **dict.fromkeys("ftr", 0.41),
    **dict.fromkeys("⁰¹²³⁴⁵⁶⁷⁸⁹", 0.401),
    "⁻": 0.528,
    **dict.fromkeys("−×→", 0.838),
    **dict.fromkeys("mw", 0.974),
}
SAME_IN_BOLD = set("−×→⁻")


def em(text: str, bold: bool = False) -> float:
    """The text's width in em (DejaVu Sans advances, rounded up by 2 %)."""
    total = 0.0
    for c in text:
        width = ADVANCE.get(c, 0.636)  # digits and most letters
        total += width if not bold or c in SAME_IN_BOLD else width * 1.094
    return round(total * 1.02, 2)


def label_h(kind: str, font: float) -> float:
    """The height of one label line of `kind` (sizes as in app/views/labels.py: SIZE)."""
    return LINE * {"bias": 0.82, "delta": 0.86}.get(kind, 0.82) * font


def titles_height(font: float, lines: int) -> float:
    """The column titles' block: one line at 0.9 em, or two (title, then activation)."""
    return TITLE_GAP + (1.25 * 0.9 * font if lines == 1 else 1.25 * (0.9 + 0.8) * font)


def title_ys(g: Geometry) -> tuple[float, float]:
    """The baselines' centres of the column title and (two lines) the activation."""
    first = TITLE_GAP + 0.625 * 0.9 * g.font
    return round(first, 1), round(first + 0.625 * 0.9 * g.font + 0.625 * 0.8 * g.font, 1)


HEX = tuple(f"{i:02x}" for i in range(256))


def edge_styles(weights: np.ndarray, w_max: float, max_width: float) -> tuple[list, list]:
    """(stroke widths, colours) of a layer's weights (a (j, k) array), each as a list of
    rows like the matrix's; |w| relative to the largest |w| in the net: the width grows
    with it from 0.8 to `max_width`, the colour goes from NEUTRAL to POSITIVE (w ≥ 0) or
    NEGATIVE along its square root. Worked out for the whole layer at once (every edge of
    every drawing asks for its stroke), each value as the same sum in float64 as one
    edge's alone."""
    # np.fmin: a ratio that is NaN counts as the largest, as min(1.0, ratio) has it
    t = np.fmin(1.0, np.abs(weights) / w_max) if w_max > 0 else np.zeros(np.shape(weights))
    widths = [[round(v, 1) for v in row] for row in (0.8 + (max_width - 0.8) * t).tolist()]
    root, positive = np.sqrt(t), weights >= 0
    base, up, down = (np.array(c) for c in (NEUTRAL, POSITIVE, NEGATIVE))
    ends = np.where(positive[..., None], up - base, down - base)  # (j, k, 3): red, green, blue
    rgb = np.rint(base + ends * root[..., None]).astype(int).tolist()
    colours = [[f"#{HEX[r]}{HEX[g]}{HEX[b]}" for r, g, b in row] for row in rgb]
    return widths, colours


def positions(layers: list[int], g: Geometry) -> tuple[list[list[tuple]], float, float]:
    """Neuron centres per layer (columns centred vertically), and the viewBox size."""
    widest = max(layers)
    height = g.top + (widest - 1) * g.row + g.bottom
    centre = g.top + (widest - 1) * g.row / 2
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

"""The SVG diagram as a view-model: where every neuron, edge and label goes, and how wide
and which colour each edge is. Layout and formatting only: every number comes from the
NetworkState dict (no maths is redone here).

Coordinates are in viewBox units; the template draws them. Ids are stable across states
(`n-l-j`, `e-l-j-k`) so htmx morphing keeps the elements and CSS transitions animate them;
labels of a layer computed by the last action get an id with the version, so they are
inserted afresh and their entry animation runs.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from app.views.format import fmt
from app.views.labels import IN_CIRCLE, Label, em_width, fit_size, place
from app.views.panel import previous_bias

POSITIVE = (31, 95, 168)  # blue: w > 0
NEGATIVE = (214, 96, 12)  # orange: w < 0
NEUTRAL = (205, 211, 219)  # w = 0
IN_CIRCLE_DIGITS = 4  # decimals inside a circle; every digit is in its tooltip and the table


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


@dataclass
class Edge:
    id: str
    l: int
    j: int
    k: int
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    colour: str
    label: str | None = None
    grad: str | None = None
    change: str | None = None
    lines: list[Label] = field(default_factory=list)  # placed by app.views.labels
    focus: bool = False
    href: str = ""


@dataclass
class Neuron:
    id: str
    l: int
    j: int
    x: float
    y: float
    main: str = ""
    main_kind: str = "a"
    fit: float = 99.0  # the largest font size at which `main` stays inside the circle
    z: str | None = None
    bias: str | None = None
    delta: str | None = None
    side: str | None = None
    focus: bool = False
    fresh: bool = False
    delay: float = 0.0
    href: str = ""
    title: str = ""
    labels: list[Label] = field(default_factory=list)  # placed by app.views.labels


@dataclass
class Diagram:
    width: float
    height: float
    geometry: Geometry
    neurons: list[Neuron] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    columns: list[dict] = field(default_factory=list)
    pulses: list[dict] = field(default_factory=list)
    loss: tuple | None = None
    loss_xy: tuple[float, float] = (0.0, 0.0)
    loss_h: float = 68.0
    loss_w: float = 120.0
    loss_links: list[tuple] = field(default_factory=list)
    loss_fit: float = 99.0  # the largest font size at which the loss box's lines fit

    def loss_box(self) -> tuple:
        x, y = self.loss_xy
        return (x - self.loss_w / 2, y - 34, x + self.loss_w / 2, y - 34 + self.loss_h)

    def size_loss(self, lines: list[str]) -> None:
        """A loss box wide enough for its lines at the page's text size; larger text sizes
        are capped at `loss_fit` (lab.css) so that the lines never leave the box."""
        font = self.geometry.font
        self.loss_w = round(max(120.0, max(em_width(t) * 1.05 * font for t in lines) + 24), 1)
        self.loss_fit = min(fit_size(t, self.loss_w - 20) for t in lines)

    def set_loss(self, right: float, centres: list) -> None:
        """The loss box right of the output column and its target labels (`right`: where
        they end), with a dashed link from each output neuron; widens the viewBox to fit."""
        out_x = centres[0][0]
        link_x = max(right + 8, out_x + self.geometry.r + 24)
        self.loss_xy = (round(link_x + 18 + self.loss_w / 2, 1), round(self.height / 2, 1))
        self.loss_links = [(round(link_x, 1), y) for _, y in centres]
        self.width = round(max(self.width, link_x + 30 + self.loss_w), 1)


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


def max_abs(matrices: list) -> float:
    return max((abs(v) for w in matrices for row in w for v in row), default=0.0)


def row_of(rows: list | None, sample: int) -> list | None:
    """One sample's row of a per-sample matrix (or None while not computed)."""
    return None if rows is None else rows[sample]


def neuron_values(state: dict, l: int, sample: int) -> dict:
    """a, z, δ rows (N_l,) of layer l for one sample; None where not computed yet."""
    if l == 0:
        return {"a": state["inputs"][sample], "z": None, "delta": None}
    t = state["trace"]["layers"][l - 1]
    return {k: row_of(t[k], sample) for k in ("a", "z", "delta")}


@dataclass
class Context:
    """What the diagram needs besides the state: the view and the last action."""

    sample: int = 0
    digits: int = 4
    focus: tuple = ("n", 1, 1)
    fresh: tuple = ()  # layers whose values the last action computed
    direction: str = ""  # "forward" | "backward" | "update" | ""
    link: object = None  # focus key -> href


def build(state: dict, ctx: Context) -> Diagram:
    layers, trace = state["layers"], state["trace"]
    g = Geometry.for_layers(layers)
    centres, width, height = positions(layers, g)
    d = Diagram(width, height, g)
    d.columns = columns(state, centres, g, height)
    d.neurons = [
        neuron(state, ctx, l, j, centres[l][j - 1], g)
        for l in range(len(layers))
        for j in range(1, layers[l] + 1)
    ]
    d.edges = edges(state, ctx, centres, g)
    if trace["loss"] is not None:
        sample_loss = trace["losses"][ctx.sample]
        d.loss = (fmt(trace["loss"], ctx.digits, "−"), fmt(sample_loss, ctx.digits, "−"))
    d.loss_h = 84.0 if d.loss and len(state["inputs"]) > 1 else 68.0
    d.size_loss(
        [f"L {d.loss[0]}", f"sample {ctx.sample + 1}: ℓ {d.loss[1]}"]
        if d.loss
        else ["L —", f"loss {state['loss']}"]
    )
    place(d, centres[-1], ctx.focus)
    d.pulses = pulses(ctx, [*centres, [d.loss_xy]], layers)
    return d


def columns(state: dict, centres: list, g: Geometry, height: float) -> list[dict]:
    """One band per layer: title, activation, and whether it is the active layer."""
    cur, depth = state["cursor"], len(state["layers"]) - 1
    out = []
    for l, col in enumerate(centres):
        name = "input" if l == 0 else ("output" if l == depth else "hidden")
        act = "" if l == 0 else state["activations"][l - 1]
        active = cur["phase"] in ("forward", "backward") and cur["layer"] == l
        x = col[0][0]
        out.append(
            {
                "l": l,
                "x": x,
                "name": name,
                "act": act,
                "active": active,
                "phase": cur["phase"],
                "band_x": x - g.col * 0.42,
                "band_w": g.col * 0.84,
                "height": height,
            }
        )
    return out


def neuron(state: dict, ctx: Context, l: int, j: int, xy: tuple, g: Geometry) -> Neuron:
    v = neuron_values(state, l, ctx.sample)
    d, minus = ctx.digits, "−"
    n = Neuron(f"n-{l}-{j}", l, j, round(xy[0], 1), round(xy[1], 1))
    a = v["a"][j - 1] if v["a"] is not None else None
    z = v["z"][j - 1] if v["z"] is not None else None
    delta = v["delta"][j - 1] if v["delta"] is not None else None
    show_delta = delta is not None and (g.roomy is False and state["cursor"]["phase"] == "backward")
    n.main = fmt(delta if show_delta else a, min(d, IN_CIRCLE_DIGITS), minus, short=not g.roomy)
    n.fit = fit_size(n.main, 2 * g.r * IN_CIRCLE)  # lab.css caps the value's size at it
    n.main_kind = "delta" if show_delta else ("x" if l == 0 else "a")
    if g.roomy:
        n.z = fmt(z, d, minus) if z is not None else None
        n.delta = fmt(delta, d, minus) if delta is not None else None
        if l > 0:
            n.bias = fmt(state["biases"][l - 1][j - 1], d, minus)
            was = previous_bias(state, l, j)
            if was is not None:
                n.bias = f"was {fmt(was, d, minus)} → {n.bias}"
    if l == len(state["layers"]) - 1:
        n.side = fmt(state["targets"][ctx.sample][j - 1], d, minus)
    n.focus = ctx.focus[:3] == ("n", l, j)
    n.fresh = l in ctx.fresh
    n.delay = round(ctx.fresh.index(l) * 0.5 + 0.45, 2) if n.fresh else 0.0
    n.href = ctx.link(f"n-{l}-{j}") if ctx.link else ""
    n.title = neuron_title(state, l, j, a, z, delta, d)
    return n


def neuron_title(state: dict, l: int, j: int, a, z, delta, d: int) -> str:
    if l == 0:
        return f"input x{j} = {fmt(a, d)}"
    b = fmt(state["biases"][l - 1][j - 1], d)
    was = previous_bias(state, l, j)
    parts = [
        f"neuron {j} of layer {l}",
        f"b was {fmt(was, d)} → {b}" if was is not None else f"b = {b}",
    ]
    parts += [
        f"{name} = {fmt(v, d)}" for name, v in (("z", z), ("a", a), ("δ", delta)) if v is not None
    ]
    return ", ".join(parts)


def edges(state: dict, ctx: Context, centres: list, g: Geometry) -> list[Edge]:
    ws, trace, d = state["weights"], state["trace"]["layers"], ctx.digits
    w_max = max_abs(ws)
    max_width = min(7.5, g.row * 0.11)
    prev = state["previous"]["weights"] if state["previous"] else None
    out = []
    for l in range(1, len(state["layers"])):
        grads = trace[l - 1]["grad_weights"]
        for j, row in enumerate(ws[l - 1], start=1):
            for k, w in enumerate(row, start=1):
                (x1, y1), (x2, y2) = centres[l - 1][k - 1], centres[l][j - 1]
                width, colour = edge_style(w, w_max, max_width)
                e = Edge(
                    f"e-{l}-{j}-{k}",
                    l,
                    j,
                    k,
                    round(x1 + g.r),
                    round(y1),
                    round(x2 - g.r),
                    round(y2),
                    width,
                    colour,
                )
                e.focus = ctx.focus == ("e", l, j, k)
                if g.label_all or e.focus or ctx.focus[:3] == ("n", l, j):
                    e.label = fmt(w, d, "−")
                    e.grad = fmt(grads[j - 1][k - 1], d, "−") if grads is not None else None
                    e.change = fmt(prev[l - 1][j - 1][k - 1], d, "−") if prev else None
                    if not g.roomy and e.grad and state["cursor"]["phase"] == "backward":
                        e.label = None  # one line per edge: the gradient in the backward pass
                    e.href = ctx.link(f"e-{l}-{j}-{k}") if ctx.link else ""
                out.append(e)
    return out


def pulses(ctx: Context, centres: list, layers: list[int]) -> list[dict]:
    """Moving dots for the last action: into layer l along W^l (forward), from layer l+1
    back to layer l along W^{l+1} (backward); layers in order, one after another."""
    out = []
    for step, l in enumerate(ctx.fresh):
        if ctx.direction == "forward" and l >= 1:
            src, dst = l - 1, l
        elif ctx.direction == "backward" and l >= 1:
            src, dst = l + 1, l  # from the loss when l = L
        else:
            continue
        for a in centres[src]:
            for b in centres[dst]:
                out.append(
                    {"x1": a[0], "y1": a[1], "x2": b[0], "y2": b[1], "delay": round(step * 0.5, 2)}
                )
        if ctx.direction == "forward" and l == len(layers) - 1:  # on into the loss
            out += [
                {
                    "x1": a[0],
                    "y1": a[1],
                    "x2": centres[l + 1][0][0],
                    "y2": centres[l + 1][0][1],
                    "delay": round(step * 0.5 + 0.4, 2),
                }
                for a in centres[l]
            ]
    return out


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

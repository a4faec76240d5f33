"""The SVG diagram as a view-model: where every neuron, edge and label goes, and how wide
and which colour each edge is, at the reader's text size and for their screen (a phone
gets a narrow drawing). Layout and formatting only: every number comes from the read
model (app/views/model.py; no maths is redone here).

Coordinates are in viewBox units; the template draws them. Ids are stable across states
(`n-l-j`, `e-l-j-k`) so htmx morphing keeps the elements and CSS transitions animate them;
labels of a layer computed by the last action get an id with the version, so they are
inserted afresh and their entry animation runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from app.views import lossbox
from app.views.format import fit_digits, fmt
from app.views.geometry import PRESENT_FONT, Geometry, edge_styles, em, positions, title_ys
from app.views.labels import (
    IN_CIRCLE,
    MAIN_COMPACT,
    Box,
    Label,
    em_width,
    fit_size,
    input_margin,
    place,
)
from app.views.model import NetworkModel
from engine.core.features import FEATURES, is_identity
from engine.notation import sub, sup

IN_CIRCLE_DIGITS = 4  # decimals inside a circle; every digit is in its tooltip and the table
SHRINK = 0.85  # a circle's value is rounded rather than drawn smaller than this


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
    halo: Box | None = None  # the background behind its lines
    placed: tuple[int, bool] | None = None  # where along the edge they are (labels.put_edge)
    focus: bool = False
    href: str = ""
    name: str = ""  # the link's accessible name: the visible lines first


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
    dx: str | None = None  # ∂ℓ/∂x of an input neuron, once the backward pass reached layer 1
    input_name: str = ""  # an input neuron's: x1, x2 … or its feature's formula (x₁², sin x₁ …)
    formula: bool = False  # input_name is a feature's formula, shown at every size
    side: str | None = None
    focus: bool = False
    fresh: bool = False
    delay: float = 0.0
    href: str = ""
    title: str = ""
    labels: list[Label] = field(default_factory=list)  # placed by app.views.labels

    @property
    def name(self) -> str:
        """The link's accessible name: what it shows (value, then its labels), then what
        it is."""
        shown = [self.main, *(lb.text for lb in self.labels if lb.kind != "target")]
        return ", ".join(t for t in shown if t) + (": " if self.main else "") + self.title


@dataclass
class Diagram:
    width: float
    height: float
    geometry: Geometry
    neurons: list[Neuron] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    columns: list[dict] = field(default_factory=list)
    pulses: list[dict] = field(default_factory=list)
    loss: lossbox.LossBox = field(default_factory=lambda: lossbox.LossBox([], False))

    def loss_box(self) -> Box:
        return self.loss.box()

    def set_loss(self, right: float, centres: list) -> None:
        """The loss box beside (or on a phone below) the output column and its target
        labels (`right`: where they end); widens the viewBox to fit."""
        lossbox.place(self.loss, self, right, centres)


@dataclass
class Context:
    """What the diagram needs besides the network: the view, the last action, and the
    reader's text size and screen."""

    sample: int = 0
    digits: int = 4
    focus: tuple = ("n", 1, 1)
    fresh: tuple = ()  # layers whose values the last action computed
    direction: str = ""  # "forward" | "backward" | "update" | ""
    link: Callable[[str], str] | None = None  # focus key -> href
    scale: float = 1.0  # the text size (app/views/display.py)
    narrow: bool = False  # a phone's screen
    present: bool = False  # the presenter view: text for the back of a room


def build(net: NetworkModel, ctx: Context) -> Diagram:
    layers = net.layers
    titles = [column_title(net, l) for l in range(len(layers))]
    least = PRESENT_FONT if ctx.present else 0.0
    g = Geometry.for_layers(layers, ctx.scale, ctx.narrow, titles, least)
    if not g.narrow:  # a phone's drawing has no lines beside its circles
        gradients = (net.dloss_dinput(ctx.sample, j) for j in range(1, layers[0] + 1))
        shown = [fmt(v, ctx.digits) for v in gradients if v is not None]
        g.left = max(g.left, input_margin(shown, g.font))
    centres, width, height = positions(layers, g)
    d = Diagram(width, height, g)
    d.columns = columns(net, centres, g, titles)
    d.neurons = [
        neuron(net, ctx, l, j, centres[l][j - 1], g)
        for l in range(len(layers))
        for j in range(1, layers[l] + 1)
    ]
    d.edges = edges(net, ctx, centres, g)
    d.loss = lossbox.build(net, g, ctx.sample, ctx.digits)
    place(d, centres[-1], ctx.focus)
    for e in d.edges:
        e.name = edge_name(e)
    d.pulses = pulses(ctx, [*centres, [(d.loss.x, d.loss.y + d.loss.h / 2)]], layers)
    return d


def column_title(net: NetworkModel, l: int) -> str:
    return "input" if l == 0 else f"layer {l} · {net.activations[l - 1]}"


SHORT = {"sigmoid": "σ", "leaky_relu": "lrelu", "linear": "lin", "softmax": "soft"}


def title_lines(net: NetworkModel, g: Geometry, titles: list[str]) -> list[tuple[str, str]]:
    """Each column's title: one line where the drawing is roomy and it fits, else the
    layer and its activation on two lines, shortened ('2', 'σ') when those do not fit in
    the columns (a phone's drawing of a deep network, or a large text size)."""
    if g.title_lines == 1:
        return [(t, "") for t in titles]
    acts = ["", *net.activations]
    full = [("input", "")] + [(f"layer {l}", acts[l]) for l in range(1, len(acts))]
    short = [("in", "")] + [(str(l), SHORT.get(acts[l], acts[l])) for l in range(1, len(acts))]
    room = min(g.col, 2 * g.left) * 0.92

    def fits(lines) -> bool:
        return all(max(em(a, True) * 0.9, em(b, True) * 0.8) * g.font <= room for a, b in lines)

    return full if fits(full) else short


def columns(net: NetworkModel, centres: list, g: Geometry, titles: list[str]) -> list[dict]:
    """One band per layer: title (see title_lines), and whether it is the active layer."""
    out = []
    y1, y2 = title_ys(g)
    for l, (col, (title, act)) in enumerate(zip(centres, title_lines(net, g, titles))):
        x = col[0][0]
        out.append(
            {
                "l": l,
                "x": x,
                "name": "input" if l == 0 else ("output" if l == net.L else "hidden"),
                "title": title,
                "act": act,
                "y": y1,
                "act_y": y2,
                "active": net.phase in ("forward", "backward") and net.layer == l,
                "phase": net.phase,
                "band_x": round(x - g.col * 0.42, 1),
                "band_w": round(g.col * 0.84, 1),
            }
        )
    return out


def bias_text(net: NetworkModel, l: int, j: int, d: int) -> str:
    """b^l_j, as 'was … → …' right after the update that changed it; 'fixed' when frozen."""
    b, was = fmt(net.bias(l, j), d), net.param_before(l, j)
    if net.frozen(l):
        return f"{b} fixed"
    return b if was is None else f"was {fmt(was, d)} → {b}"


def in_circle(value: float | None, digits: int, g: Geometry) -> tuple[str, float]:
    """The circle's value with as many decimals as fit it at the page's text size (never
    more than chosen), drawn at most SHRINK smaller than the diagram's text, and the font
    size lab.css caps it at (`fit`)."""
    font = g.font * (1.0 if g.roomy else MAIN_COMPACT)
    room = 2 * g.r * IN_CIRCLE
    most = min(digits, IN_CIRCLE_DIGITS)
    text = fit_digits(value, most, room / SHRINK, lambda t: em_width(t) * font)
    return text, fit_size(text, room)


def neuron(net: NetworkModel, ctx: Context, l: int, j: int, xy: tuple, g: Geometry) -> Neuron:
    i, d = ctx.sample, ctx.digits
    n = Neuron(f"n-{l}-{j}", l, j, round(xy[0], 1), round(xy[1], 1))
    a, z, delta = (net.value(q, l, i, j) for q in ("a", "z", "delta"))
    show_delta = delta is not None and not g.roomy and net.phase == "backward"
    n.main, n.fit = in_circle(delta if show_delta else a, d, g)
    n.main_kind = "delta" if show_delta else ("x" if l == 0 else "a")
    if l == 0:
        n.input_name, n.formula = input_name(net, j)
    if g.roomy:
        n.z = fmt(z, d) if z is not None else None
        n.delta = fmt(delta, d) if delta is not None else None
        if l > 0 and net.has_bias(l):  # no bias term, no bias label
            n.bias = bias_text(net, l, j, d)
    dx = net.dloss_dinput(i, j) if l == 0 else None
    n.dx = fmt(dx, d) if dx is not None else None
    if l == net.L:
        n.side = fmt(net.target(i, j), min(d, 2) if g.narrow else d)
    n.focus = ctx.focus[:3] == ("n", l, j)
    n.fresh = l in ctx.fresh
    n.delay = round(ctx.fresh.index(l) * 0.5 + 0.45, 2) if n.fresh else 0.0
    n.href = ctx.link(f"n-{l}-{j}") if ctx.link else ""
    n.title = neuron_title(net, l, j, a, z, delta, d, dx)
    return n


def input_name(net: NetworkModel, j: int) -> tuple[str, bool]:
    """Input neuron j's name, and whether it is a feature's formula (features other than
    x1, x2 on): x1 without features, else the feature as the diagram writes it."""
    if not net.features or is_identity(tuple(net.features)):
        return f"x{j}", False
    return FEATURES[net.features[j - 1]].text, True


def neuron_title(net: NetworkModel, l: int, j: int, a, z, delta, d: int, dx=None) -> str:
    if l == 0:
        name, formula = input_name(net, j)
        what = f"input feature {name}" if formula else f"input {name}"
        return f"{what} = {fmt(a, d)}" + (f", ∂ℓ/∂x = {fmt(dx, d)}" if dx is not None else "")
    kind = "output" if l == net.L else "hidden"
    parts = [f"neuron {j} of layer {l} ({kind})"]
    if net.has_bias(l):
        b = bias_text(net, l, j, d).replace(" fixed", " (frozen: never updated)")
        parts.append(f"b {b}" if b.startswith("was") else f"b = {b}")
    else:
        parts.append("no bias term")
    parts += [
        f"{name} = {fmt(v, d)}" for name, v in (("z", z), ("a", a), ("δ", delta)) if v is not None
    ]
    return ", ".join(parts)


def edges(net: NetworkModel, ctx: Context, centres: list, g: Geometry) -> list[Edge]:
    """Every edge, layer by layer: its ends, stroke and colour, link, and its labels where
    the drawing labels it (each layer's ends and each neuron's checks worked out once)."""
    w_max = max(float(abs(w).max()) for w in net.net.weights)
    max_width = min(7.5, g.row * 0.11)
    focus, link = ctx.focus, ctx.link
    out = []
    for l in range(1, net.L + 1):
        starts = [(round(x + g.r), round(y)) for x, y in centres[l - 1]]
        widths, colours = edge_styles(net.net.weights[l - 1], w_max, max_width)
        for j, row in enumerate(net.weights(l), start=1):
            x2, y2 = centres[l][j - 1]
            end = (round(x2 - g.r), round(y2))
            around = focus[:3] == ("n", l, j) and not g.narrow
            row_widths, row_colours = widths[j - 1], colours[j - 1]
            for k, w in enumerate(row, start=1):
                key = f"e-{l}-{j}-{k}"
                e = Edge(key, l, j, k, *starts[k - 1], *end, row_widths[k - 1], row_colours[k - 1])
                e.focus = focus == ("e", l, j, k)
                e.href = link(key) if link else ""
                if g.label_all or e.focus or around:
                    label_edge(e, net, ctx, w, g.roomy)
                out.append(e)
    return out


def label_edge(e: Edge, net: NetworkModel, ctx: Context, w: float, roomy: bool) -> None:
    """The edge's weight, gradient once computed, and weight before the update after it."""
    d, grad, was = ctx.digits, net.grad(e.l, e.j, e.k), net.param_before(e.l, e.j, e.k)
    e.label = fmt(w, d)
    e.grad = fmt(grad, d) if grad is not None else None
    e.change = fmt(was, d) if was is not None else None
    if not roomy and e.grad and net.phase == "backward":
        e.label = None  # one line per edge: the gradient in the backward pass


def edge_name(e: Edge) -> str:
    """What the edge's link shows (its label lines), then what it is."""
    shown = ", ".join(lb.text for lb in e.lines)
    what = edge_what(e.l, e.j, e.k)
    if e.label:
        what += f", {e.label}"
    if e.grad:
        what += f", gradient {e.grad}"
    return f"{shown}: {what}" if shown else what


@lru_cache(maxsize=4096)
def edge_what(l: int, j: int, k: int) -> str:
    """The weight an edge stands for, in words (the same for every drawing of it)."""
    return (
        f"weight w{sup(l)}{sub(j)}{sub(k)} from neuron {k} of layer {l - 1} "
        f"to neuron {j} of layer {l}"
    )


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

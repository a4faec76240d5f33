"""Where the diagram's text labels go. Every label is a box: an estimate of the rendered
text's extent in viewBox units (DejaVu Sans advances, rounded up). Labels are placed in
priority order (targets, the focused neuron and edge, every other neuron's values, then
the other edge labels, each at the first free spot along its edge)
and a label goes in only where its box overlaps no neuron, no loss box and no label already
placed. A neuron in a column too dense for all its lines shows one line (δ once it exists,
else z); the focused neuron shows everything. A value left out is still in the neuron's
tooltip, the table view and the equation panel.
"""

from __future__ import annotations

from dataclasses import dataclass

Box = tuple[float, float, float, float]  # x0, y0, x1, y1

# Font sizes relative to the diagram's font (as in lab.css), and the room around a circle.
SIZE = {
    "bias": 0.82,
    "x": 0.82,
    "z": 0.82,
    "delta": 0.86,
    "target": 0.86,
    "w": 0.82,
    "g": 0.82,
    "was": 0.7,
}
BOLD = {"delta", "target", "w"}
MAIN_COMPACT = 0.86  # the value in a compact diagram's circle (lab.css: .compact .main)
PAD = 3.0  # between a circle and its first label line
MAX_SCALE = 1.6  # the largest text size the page offers (static/js/lab.js: A+)
IN_CIRCLE = 0.96  # share of a circle's diameter that its value may take
EDGE_GAP = 6.0  # around an edge's label, so that it reads as that edge's
EDGE_T = {True: (0.34, 0.26, 0.42, 0.5, 0.2, 0.58, 0.66), False: (0.5, 0.4, 0.6, 0.3, 0.7)}
FINE = tuple(t / 100 for t in range(10, 91))  # then anywhere from 0.1 to 0.9 along it


@dataclass
class Label:
    kind: str  # bias | x | z | delta | target | w | g | was
    text: str
    x: float
    y: float
    size: float
    anchor: str = "middle"  # "middle" or "start"

    def box(self) -> Box:
        """The text's extent: 0.64 em per character (0.7 em bold) by 1.2 em."""
        w = len(self.text) * (0.7 if self.kind in BOLD else 0.64) * self.size
        h = 1.2 * self.size
        x0 = self.x if self.anchor == "start" else self.x - w / 2
        return (round(x0, 1), round(self.y - h / 2, 1), round(x0 + w, 1), round(self.y + h / 2, 1))


def em_width(text: str) -> float:
    """The text's width in em (DejaVu Sans advances, tabular digits, rounded up)."""
    narrow = sum(1 for c in text if c in ".,:")
    return round(0.32 * narrow + 0.64 * (len(text) - narrow), 2)


def fit_size(text: str, room: float) -> float:
    """The largest font size (viewBox units) at which `text` fits in `room` (bold)."""
    return round(room / max(1.0, 1.05 * em_width(text)), 1)


def label(kind: str, text: str, x: float, y: float, font: float, anchor: str = "middle"):
    return Label(kind, text, round(x, 1), round(y, 1), round(SIZE[kind] * font, 2), anchor)


def line_height(kind: str, font: float) -> float:
    return 1.2 * SIZE[kind] * font


def overlap(a: Box, b: Box, gap: float = 1.0) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


class Placer:
    """The boxes taken so far; `take` adds labels only if none of them overlaps one."""

    def __init__(self, obstacles: list[Box]):
        self.boxes = list(obstacles)

    def fits(self, boxes: list[Box], avoid: tuple[Box, ...] = (), gap: float = 1.0) -> bool:
        """Whether `boxes` keep `gap` from everything placed and from `avoid` (`overlap`,
        written out: this loop is the diagram's hottest)."""
        for x0, y0, x1, y1 in boxes:
            for others in (self.boxes, avoid):
                for b0, c0, b1, c1 in others:
                    if x0 < b1 + gap and b0 < x1 + gap and y0 < c1 + gap and c0 < y1 + gap:
                        return False
        return True

    def take(self, labels: list[Label], avoid: tuple[Box, ...] = (), gap: float = 1.0) -> bool:
        """Place `labels` if they keep `gap` from everything placed (and from `avoid`)."""
        boxes = [lb.box() for lb in labels]
        if not self.fits(boxes, avoid, gap):
            return False
        self.boxes += boxes
        return True


def neuron_box(n, g) -> Box:
    """The circle (its value is kept inside it: see app.views.diagram)."""
    return (n.x - g.r, n.y - g.r, n.x + g.r, n.y + g.r)


def neuron_lines(n, g, full: bool) -> list[Label]:
    """b (or x_j) above the circle, z and δ below; a dense column's neuron: one line below."""
    f, out = g.font, []
    above = ("bias", f"b {n.bias}") if n.bias is not None else None
    if g.roomy and n.l == 0:
        above = ("x", f"x{n.j}")
    below = [
        (k, t)
        for k, t in (
            ("z", n.z and f"z {n.z}"),
            ("delta", n.delta and f"δ {n.delta}"),
            ("delta", n.dx and f"∂ℓ/∂x {n.dx}"),  # an input's gradient, in δ's colour
        )
        if t
    ]
    if not full:
        above = above if above and above[0] == "x" else None
        below = below[-1:]
    if above:
        out.append(
            label(above[0], above[1], n.x, n.y - g.r - PAD - line_height(above[0], f) / 2, f)
        )
    y = n.y + g.r + PAD
    for kind, text in below:
        h = line_height(kind, f)
        out.append(label(kind, text, n.x, y + h / 2, f))
        y += h + 2
    return out


def edge_lines(e, g, t: float) -> list[Label]:
    """The edge's label lines ("was", w, ∇) stacked at fraction t along the edge."""
    x, y, f = e.x1 + (e.x2 - e.x1) * t, e.y1 + (e.y2 - e.y1) * t, g.font
    out = []
    if e.change and g.roomy and e.label:
        out.append(
            label(
                "was",
                f"was {e.change}",
                x,
                y - line_height("w", f) / 2 - line_height("was", f) / 2 - 2,
                f,
            )
        )
    if e.label:
        out.append(label("w", e.label, x, y, f))
    if e.grad:
        gy = y + line_height("w", f) + 2 if e.label else y
        out.append(label("g", f"∇ {e.grad}", x, gy, f))
    return out


def place_edge(e, g, placer: Placer, avoid: tuple[Box, ...] = ()) -> None:
    """The first position along the edge where its lines fit: clear of `avoid` and well
    apart from other labels if it can be, else just not overlapping; none fits: no label.
    Each position's lines and boxes are made once, however many passes try it."""
    tries = ((avoid, EDGE_GAP), (avoid, 1.0)) if avoid else ()
    spots: dict[float, tuple[list[Label], list[Box]]] = {}
    for keep_clear, gap in (*tries, ((), EDGE_GAP), ((), 1.0)):
        for t in EDGE_T[g.roomy] + FINE:
            if t not in spots:
                lines = edge_lines(e, g, t)
                spots[t] = (lines, [lb.box() for lb in lines])
            lines, boxes = spots[t]
            if placer.fits(boxes, keep_clear, gap):
                placer.boxes += boxes
                e.lines = lines
                return
    e.lines = []


def targets(d, placer: Placer) -> float:
    """The target label beside each output neuron; returns the right end of the widest."""
    g, right = d.geometry, 0.0
    for n in d.neurons:
        if n.side is not None:
            lb = label("target", f"y {n.side}", neuron_box(n, g)[2] + 8, n.y, g.font, "start")
            placer.take([lb])
            n.labels.append(lb)
            x0, _, x1, _ = lb.box()
            right = max(right, x0 + (x1 - x0) * MAX_SCALE)  # clear at the largest text too
    return right


def place(d, outputs: list[tuple], focus: tuple) -> None:
    """Fill n.labels and e.lines of every neuron and edge of the diagram `d`, and put its
    loss box right of the target labels (`outputs`: the output neurons' centres)."""
    g = d.geometry
    placer = Placer([neuron_box(n, g) for n in d.neurons])
    d.set_loss(targets(d, placer), outputs)
    placer.boxes.append(d.loss_box())
    full_room = (
        g.row
        >= 2 * g.r + 2 * PAD + line_height("bias", g.font) + 2 * line_height("delta", g.font) + 3
    )
    per_layer: dict[int, int] = {}
    for n in d.neurons:
        per_layer[n.l] = per_layer.get(n.l, 0) + 1
    focused = [n for n in d.neurons if n.focus]
    for n in focused:
        n.labels += [lb for lb in neuron_lines(n, g, True) if placer.take([lb])]
    others = {
        n.id: neuron_lines(n, g, full_room or per_layer[n.l] == 1) for n in d.neurons if not n.focus
    }
    wanted = [e for e in d.edges if e.label or e.grad]
    planned = tuple(lb.box() for lines in others.values() for lb in lines)
    for e in wanted:
        if e.focus:
            place_edge(e, g, placer, planned)
    for n in d.neurons:
        if not n.focus:
            n.labels += [lb for lb in others[n.id] if placer.take([lb])]
    for e in wanted:
        if not e.focus:
            place_edge(e, g, placer)


def all_boxes(d) -> list[tuple[str, Box]]:
    """(name, box) of every label placed in the diagram (for checks)."""
    out = [(f"{n.id}:{lb.kind}", lb.box()) for n in d.neurons for lb in n.labels]
    return out + [(f"{e.id}:{lb.kind}", lb.box()) for e in d.edges for lb in e.lines]

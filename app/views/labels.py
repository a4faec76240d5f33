"""Where the diagram's text labels go, at the text size the reader chose. Every label is a
box: an estimate of the rendered text's extent in viewBox units (DejaVu Sans advances,
rounded up), from the font size the geometry gives (already multiplied by the text size).

Labels are placed in priority order (targets, the focused neuron and edge, every other
neuron's values, then the other edge labels) and a label goes in only where its box
overlaps no neuron, no loss box and no label already placed. An edge's label sits on its
own edge, on a halo that hides the line behind it, and where no other edge between the
same two layers passes through that halo (`Segments`), so that it can only be read as its
own edge's. Where every edge is labelled (small networks) a label that finds no such
place is left out, except the focused edge's. Where only the focused neuron's edges are
labelled (larger networks, whose edges fan out and cross everywhere) a label avoids the
other labelled edges if it can, and otherwise takes the first place free of other labels,
the halo keeping it readable. A neuron in a column too dense for
all its lines shows one line (δ once it exists, else z); the focused neuron shows
everything. A value left out is still in the neuron's tooltip, the table view and the
equation panel; a phone's drawing shows only the values in the circles and the targets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.views import placements
from app.views.geometry import PAD, em

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
    "was": 0.74,
}
BOLD = {"delta", "target", "w"}
MAIN_COMPACT = 0.86  # the value in a compact diagram's circle (lab.css: .compact .main)
IN_CIRCLE = 0.96  # share of a circle's diameter that its value may take
EDGE_GAP = 6.0  # around an edge's label, so that it reads as that edge's
HALO = 2.5  # the halo's margin around an edge label's text
CLEAR = 2.0  # room between a halo and another edge's stroke
EDGE_T = {True: (0.5, 0.34, 0.66, 0.26, 0.74, 0.42, 0.58, 0.2, 0.8), False: (0.5, 0.4, 0.6)}
FINE = tuple(t / 100 for t in range(12, 90, 4))  # then anywhere from 0.12 to 0.88 along it


@dataclass
class Label:
    kind: str  # bias | x | z | delta | target | w | g | was
    text: str
    x: float
    y: float
    size: float
    anchor: str = "middle"  # "middle" or "start"

    def box(self) -> Box:
        """The text's extent: its advances (app/views/geometry.py: em) by 1.2 em."""
        w = em(self.text, self.kind in BOLD) * self.size
        h = 1.2 * self.size
        x0 = self.x if self.anchor == "start" else self.x - w / 2
        return (round(x0, 1), round(self.y - h / 2, 1), round(x0 + w, 1), round(self.y + h / 2, 1))


def em_width(text: str, bold: bool = True) -> float:
    """The text's width in em (DejaVu Sans advances, rounded up)."""
    return em(text, bold)


def fit_size(text: str, room: float) -> float:
    """The largest font size (viewBox units) at which `text` fits in `room` (bold)."""
    return round(room / max(1.0, em_width(text)), 1)


def label(kind: str, text: str, x: float, y: float, font: float, anchor: str = "middle"):
    return Label(kind, text, round(x, 1), round(y, 1), round(SIZE[kind] * font, 2), anchor)


def line_height(kind: str, font: float) -> float:
    return 1.2 * SIZE[kind] * font


def overlap(a: Box, b: Box, gap: float = 1.0) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def union(boxes: list[Box], pad: float = 0.0) -> Box:
    return (
        round(min(b[0] for b in boxes) - pad, 1),
        round(min(b[1] for b in boxes) - pad, 1),
        round(max(b[2] for b in boxes) + pad, 1),
        round(max(b[3] for b in boxes) + pad, 1),
    )


class Placer:
    """The boxes taken so far; `take` adds labels only if none of them overlaps one."""

    def __init__(self, obstacles: list[Box]):
        self.boxes = list(obstacles)
        self._array = np.zeros((0, 4))

    def array(self) -> np.ndarray:
        """The boxes as an (n, 4) array (boxes are only ever added: the new ones are
        appended to the array made before)."""
        have = len(self._array)
        if have != len(self.boxes):
            new = np.array(self.boxes[have:], dtype=float).reshape(-1, 4)
            self._array = np.concatenate([self._array, new])
        return self._array

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


class Segments:
    """The drawn edges of each layer as line segments with their half stroke widths, to ask
    which of them pass through a box (vectorised: every candidate box at once)."""

    def __init__(self, edges, labelled: set[str]):
        by_layer: dict[int, list] = {}
        for e in edges:
            by_layer.setdefault(e.l, []).append(e)
        self.index = {e.id: i for segs in by_layer.values() for i, e in enumerate(segs)}
        self.arrays = {
            l: np.array([(e.x1, e.y1, e.x2, e.y2, e.width / 2) for e in segs])
            for l, segs in by_layer.items()
        }
        self.labelled = {
            l: np.array([e.id in labelled for e in segs]) for l, segs in by_layer.items()
        }

    def hits(self, layer: int, boxes: np.ndarray) -> np.ndarray:
        """(k, n): whether edge n of `layer` passes within CLEAR of box k (k, 4)."""
        return segment_hits(self.arrays[layer], boxes)

    def clear(self, layer: int, hits: np.ndarray, own: str, labelled_only: bool) -> np.ndarray:
        """From `hits`: for each box, whether no edge other than `own` (with
        `labelled_only`, no other labelled edge) passes through it."""
        keep = self.labelled[layer].copy() if labelled_only else np.ones(hits.shape[1], bool)
        keep[self.index[own]] = False
        return np.logical_not(hits[:, keep].any(axis=1))


NEAR = 1e-6  # the slack of the pre-check: far more than the clipping's rounding


def segment_hits(segments: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """(k, n): whether segment n (x1, y1, x2, y2, half width) passes within its half width
    and CLEAR of box k (x0, y0, x1, y1): Liang–Barsky clipping, asked only of the pairs
    whose bounding boxes come within NEAR of each other (no other pair can meet); each
    pair's arithmetic is the same as asking every pair."""
    x1, y1, x2, y2, hw = (segments[:, c] for c in range(5))
    m = hw + CLEAR
    near = (np.minimum(x1, x2) - m <= boxes[:, 2:3] + NEAR) & (
        np.maximum(x1, x2) + m >= boxes[:, 0:1] - NEAR
    )
    near &= (np.minimum(y1, y2) - m <= boxes[:, 3:4] + NEAR) & (
        np.maximum(y1, y2) + m >= boxes[:, 1:2] - NEAR
    )
    rows, cols = np.nonzero(near)
    out = np.zeros(near.shape, dtype=bool)
    if rows.size:
        out[rows, cols] = clipped(segments[cols], boxes[rows])
    return out


def clipped(segments: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """(p,): whether segment i meets box i grown by its half width and CLEAR."""
    x1, y1, x2, y2, hw = (segments[:, c] for c in range(5))
    m = hw + CLEAR
    bx0, by0 = boxes[:, 0] - m, boxes[:, 1] - m
    bx1, by1 = boxes[:, 2] + m, boxes[:, 3] + m
    dx, dy = x2 - x1, y2 - y1
    t0, t1 = np.zeros(bx0.shape), np.ones(bx0.shape)
    inside = np.ones(bx0.shape, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for p, q in ((-dx, x1 - bx0), (dx, bx1 - x1), (-dy, y1 - by0), (dy, by1 - y1)):
            inside &= ~((p == 0) & (q < 0))
            r = q / p
            t0 = np.where(p < 0, np.maximum(t0, r), t0)
            t1 = np.where(p > 0, np.minimum(t1, r), t1)
    return inside & (t0 <= t1)


def neuron_box(n, g) -> Box:
    """The circle (its value is kept inside it: see app.views.diagram)."""
    return (n.x - g.r, n.y - g.r, n.x + g.r, n.y + g.r)


def neuron_lines(n, g, full: bool) -> list[Label]:
    """b (or x_j) above the circle, z and δ below; a dense column's neuron: one line
    below; a phone's drawing: none (the values are a tap away)."""
    if g.narrow:
        return []
    f, out = g.font, []
    above = ("bias", f"b {n.bias}") if n.bias is not None else None
    if n.l == 0 and (g.roomy or n.formula):
        above = ("x", n.input_name)
    below = [
        (k, t)
        for k, t in (
            ("z", n.z and f"z {n.z}"),
            ("delta", n.delta and f"δ {n.delta}"),
            ("delta", n.dx and input_gradient(n.dx)),  # an input's gradient, in δ's colour
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


def input_gradient(value: str) -> str:
    """An input neuron's line below its circle: ∂ℓ/∂x and its value."""
    return f"∂ℓ/∂x {value}"


def input_margin(values: list[str], font: float) -> float:
    """The left margin the input column's ∂ℓ/∂x lines need, centred under their circles:
    half the widest line and a little (a long value at a large text size needs more than
    the drawing's usual margin)."""
    boxes = [label("delta", input_gradient(v), 0.0, 0.0, font).box() for v in values]
    return max((b[2] + 2.0 for b in boxes), default=0.0)


def edge_lines(e, g, t: float, short: bool = False) -> list[Label]:
    """The edge's label lines stacked at fraction t along the edge, the weight on the
    line: 'was …' above the new weight right after the update, else the weight and its
    gradient ∇ below it once computed (a compact drawing in the backward pass: ∇ only);
    `short`: the first line on the edge only."""
    x, y, f = e.x1 + (e.x2 - e.x1) * t, e.y1 + (e.y2 - e.y1) * t, g.font
    out = []
    if short:
        return [label("w", e.label, x, y, f) if e.label else label("g", f"∇ {e.grad}", x, y, f)]
    if e.change and e.label:
        gap = line_height("w", f) / 2 + line_height("was", f) / 2 + 1
        out.append(label("was", f"was {e.change}", x, y - gap, f))
    if e.label:
        out.append(label("w", e.label, x, y, f))
    if e.grad and not e.change:
        gy = y + line_height("w", f) + 1 if e.label else y
        out.append(label("g", f"∇ {e.grad}", x, gy, f))
    return out


def halo_of(lines: list[Label]) -> Box:
    return union([lb.box() for lb in lines], HALO)


def candidates(e, g) -> list[tuple[bool, np.ndarray]]:
    """(short, halos (k, 4)) of the edge's lines at every position tried along it: the
    lines' halo at t is the one at t = 0 moved along the edge."""
    ts = np.array(EDGE_T[g.roomy] + FINE)
    along = np.column_stack([ts * (e.x2 - e.x1), ts * (e.y2 - e.y1)] * 2)
    return [
        (short, np.array(halo_of(edge_lines(e, g, 0.0, short))) + along) for short in (False, True)
    ]


def forms_of(edges, g, segments: Segments) -> dict[str, list[tuple]]:
    """{edge id: [(short, halos, hits)]} of `edges`: which other edges pass through each
    candidate halo, asked once per layer for all its edges' candidates together."""
    halos = {e.id: candidates(e, g) for e in edges}
    out: dict[str, list[tuple]] = {}
    for layer in sorted({e.l for e in edges}):
        mine = [e for e in edges if e.l == layer]
        stacked = np.concatenate([h for e in mine for _, h in halos[e.id]])
        hits, at = segments.hits(layer, stacked), 0
        for e in mine:
            out[e.id] = []
            for short, h in halos[e.id]:
                out[e.id].append((short, h, hits[at : at + len(h)]))
                at += len(h)
    return out


def place_edge(e, g, placer: Placer, segments: Segments, forms: list[tuple], avoid=()) -> None:
    """The first position along the edge where its lines fit: on a halo no other edge
    passes through and, if it can be, well apart from other labels and clear of `avoid`;
    failing that, the same for its first line alone (the weight); where only some edges
    are labelled, failing that, on a halo no other labelled edge passes through, and then
    (as for the focused edge) anywhere its lines overlap no label. No position: no label
    (the value is a tap away). `forms`: the edge's candidates (`forms_of`)."""
    ts = EDGE_T[g.roomy] + FINE
    tries = ["all"]
    if not g.label_all:  # only some edges labelled: an unlabelled one may pass behind
        tries.append("labelled")
    if e.focus or not g.label_all:  # fans cross everywhere: the halo keeps it readable
        tries.append("none")
    for clear_of in tries:
        for short, halos, hits in forms:
            ok = np.ones(len(ts), dtype=bool)
            if clear_of != "none":
                ok = segments.clear(e.l, hits, e.id, clear_of == "labelled")
            at = first_free(placer, halos, ok, avoid)
            if at is not None:
                put_edge(e, g, (at, short))
                placer.boxes.append(e.halo)
                return
    put_edge(e, g, None)


def put_edge(e, g, where: tuple[int, bool] | None) -> None:
    """The edge's lines at candidate position `where` (index along the edge, short), or
    none; `e.placed` keeps `where` (app/views/placements.py)."""
    e.placed = where
    if where is None:
        e.lines = []
        return
    at, short = where
    e.lines = edge_lines(e, g, float((EDGE_T[g.roomy] + FINE)[at]), short)
    e.halo = halo_of(e.lines)


def first_free(placer: Placer, halos: np.ndarray, ok: np.ndarray, avoid) -> int | None:
    """The first of `halos` (k, 4) allowed by `ok` that keeps well apart from the labels
    placed and `avoid`, else the first that only does not overlap them; None if none."""
    rows = np.flatnonzero(ok)
    if not rows.size:
        return None
    tried = halos[rows]
    placed = placer.array()
    near = near_any(tried, placed, EDGE_GAP)
    passes = (
        [near | near_any(tried, np.array(list(avoid)).reshape(-1, 4), EDGE_GAP)] if avoid else []
    )
    for blocked in (*passes, near):
        if not blocked.all():
            return int(rows[np.argmin(blocked)])
    blocked = near_any(tried, placed, 1.0)
    return None if blocked.all() else int(rows[np.argmin(blocked)])


def near_any(halos: np.ndarray, boxes: np.ndarray, gap: float) -> np.ndarray:
    """(k,): whether each of `halos` (k, 4) comes within `gap` of any of `boxes` (n, 4)."""
    x0, y0, x1, y1 = (halos[:, c : c + 1] for c in range(4))
    hit = (x0 < boxes[:, 2] + gap) & (boxes[:, 0] < x1 + gap)
    hit &= (y0 < boxes[:, 3] + gap) & (boxes[:, 1] < y1 + gap)
    return np.asarray(hit.any(axis=1))


def targets(d, placer: Placer) -> float:
    """The target label beside each output neuron; returns the right end of the widest."""
    g, right = d.geometry, 0.0
    for n in d.neurons:
        if n.side is not None:
            lb = label("target", f"y {n.side}", neuron_box(n, g)[2] + 8, n.y, g.font, "start")
            placer.take([lb])
            n.labels.append(lb)
            right = max(right, lb.box()[2])
    return right


def place(d, outputs: list[tuple], focus: tuple) -> None:
    """Fill n.labels and e.lines of every neuron and edge of the diagram `d`, and put its
    loss box right of the target labels, or below the output column on a phone
    (`outputs`: the output neurons' centres)."""
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
    lines = {
        n.id: neuron_lines(n, g, n.focus or full_room or per_layer[n.l] == 1) for n in d.neurons
    }
    k = placements.key(d, lines)
    wanted = [e for e in d.edges if e.label or e.grad]
    choices = placements.recall(k)
    if choices is None:
        place_all(d, placer, lines, wanted)
        placements.remember(k, chosen(d, lines, wanted))
        return
    taken, where = choices
    for n, indices in zip(d.neurons, taken, strict=True):
        n.labels += [lines[n.id][i] for i in indices]
    for e, spot in zip(wanted, where, strict=True):
        put_edge(e, g, spot)


def chosen(d, lines: dict[str, list], wanted: list) -> tuple:
    """What the placer chose: the indices of each neuron's lines it kept, and each
    labelled edge's position (app/views/placements.py)."""
    taken = tuple(
        tuple(i for i, lb in enumerate(lines[n.id]) if any(lb is x for x in n.labels))
        for n in d.neurons
    )
    return taken, tuple(e.placed for e in wanted)


def place_all(d, placer: Placer, lines: dict[str, list], wanted: list) -> None:
    """The placement itself (see the module's docstring), in priority order."""
    g = d.geometry
    for n in d.neurons:
        if n.focus:
            n.labels += [lb for lb in lines[n.id] if placer.take([lb])]
    others = {n.id: lines[n.id] for n in d.neurons if not n.focus}
    labelled = {e.id for e in wanted}
    segments = Segments(d.edges, labelled)
    forms = forms_of(wanted, g, segments)
    planned = tuple(lb.box() for own in others.values() for lb in own)
    for e in wanted:
        if e.focus:
            place_edge(e, g, placer, segments, forms[e.id], planned)
    for n in d.neurons:
        if not n.focus:
            n.labels += [lb for lb in others[n.id] if placer.take([lb])]
    for e in wanted:
        if not e.focus:
            place_edge(e, g, placer, segments, forms[e.id])


def all_boxes(d) -> list[tuple[str, Box]]:
    """(name, box) of every label placed in the diagram (for checks)."""
    out = [(f"{n.id}:{lb.kind}", lb.box()) for n in d.neurons for lb in n.labels]
    return out + [(f"{e.id}:{lb.kind}", lb.box()) for e in d.edges for lb in e.lines]

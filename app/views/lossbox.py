"""The diagram's loss box: what it says in each state of the iteration, how big it is at the
reader's text size, and where it goes (right of the output column's target labels, or
below the output column on a phone), with a dashed link from the output neurons.

It never contradicts the status line: while the iteration's forward pass has reached the
loss it shows L (and the selected sample's ℓ); right after the update it shows that L as
'was' (it belongs to the parameters before the update) and says that the next Forward
computes the new one; after training, which records no per-layer values, the loss of the
last trained iteration, named as such."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.views.format import fmt
from app.views.geometry import Geometry
from app.views.labels import Box, em_width, fit_size
from app.views.model import NetworkModel

SIZES = {"k": 0.75, "L": 1.0, "note": 0.72}  # of the diagram's font (lab.css .lossbox)
LEADING = 1.32
PAD_Y, PAD_X = 9.0, 12.0


@dataclass
class LossBox:
    lines: list[tuple[str, str]]  # (css class, text), top to bottom
    has: bool  # the loss of this iteration's forward pass is shown
    x: float = 0.0  # the box's top-left corner
    y: float = 0.0
    w: float = 120.0
    h: float = 68.0
    fit: float = 99.0  # the largest font size at which every line fits (lab.css caps at it)
    links: list[tuple[float, float, float, float]] = field(default_factory=list)
    rows: list[tuple[str, str, float]] = field(default_factory=list)  # (class, text, y)

    def box(self) -> Box:
        return (self.x, self.y, self.x + self.w, self.y + self.h)

    @property
    def cx(self) -> float:
        return round(self.x + self.w / 2, 1)


def lines_for(net: NetworkModel, sample: int, digits: int) -> tuple[list, bool]:
    """The box's lines and whether they show this iteration's loss."""
    head = ("k", f"loss {net.loss}")
    loss, own = net.batch_loss, net.sample_loss(sample)
    if loss is not None and net.updated:
        return [
            head,
            ("L", f"L was {fmt(loss, digits)}"),
            ("note", "next Forward: the new L"),
        ], True
    if loss is not None:
        out = [head, ("L", f"L {fmt(loss, digits)}")]
        if net.m > 1:  # a sample outside the iteration's mini-batch has no ℓ: "—"
            own_text = "—" if own is None else fmt(own, digits)
            out.append(("k", f"sample {sample + 1}: ℓ {own_text}"))
        return out, True
    last = net.net.history.last
    if last is not None:
        return [
            head,
            ("L", f"L {fmt(last[1], digits)}"),
            ("note", f"of iteration {last[0]}"),
        ], False
    return [head, ("L", "L —")], False


def build(net: NetworkModel, g: Geometry, sample: int, digits: int) -> LossBox:
    """A box wide and tall enough for its lines at the page's text size."""
    lines, has = lines_for(net, sample, digits)
    lb = LossBox(lines, has)
    widths = [em_width(t, c == "L") * g.font * SIZES[c] for c, t in lines]
    lb.w = round(max(120.0 * g.scale, max(widths) + 2 * PAD_X), 1)
    lb.h = round(2 * PAD_Y + sum(LEADING * SIZES[c] * g.font for c, _ in lines), 1)
    lb.fit = min(fit_size(t, lb.w - 2 * PAD_X + 4) / SIZES[c] for c, t in lines)
    return lb


def place(lb: LossBox, d, right: float, centres: list) -> None:
    """Right of the output column and its target labels (`right`: where they end), or on a
    phone below the output column; widens or heightens the viewBox of `d` to fit."""
    g = d.geometry
    out_x = centres[0][0]
    if g.narrow:  # below the whole drawing, under the output column as far as it fits
        lowest = max(y for _, y in centres)
        lb.x = round(max(4.0, min(out_x - lb.w / 2, d.width - lb.w - 4)), 1)
        lb.y = round(d.height - g.bottom + g.r + 16, 1)
        lb.links = [(out_x, round(lowest + g.r, 1), out_x, lb.y)]
        d.height = round(max(d.height, lb.y + lb.h + 6), 1)
    else:
        link_x = max(right + 8, out_x + g.r + 24)
        lb.x, lb.y = round(link_x + 18, 1), round(d.height / 2 - lb.h / 2, 1)
        lb.links = [(round(link_x, 1), y, lb.x, round(d.height / 2, 1)) for _, y in centres]
        d.width = round(max(d.width, lb.x + lb.w + 12), 1)
    y = lb.y + PAD_Y
    for c, text in lb.lines:
        h = LEADING * SIZES[c] * g.font
        lb.rows.append((c, text, round(y + h / 2, 1)))
        y += h

"""Where the diagram's labels went, remembered per layout: the placer (app/views/labels.py)
reads nothing but the drawing's geometry, each circle's and edge's position, each edge's
stroke width and each label's kind, position, size and text width. The key holds all of
these, with every label's text written with its digits as 0: the digits share one advance
(app/views/geometry.py: em), so that text has the same width as the label's own. A key
seen before gives the same choices (which lines of each neuron, where along each edge),
applied to the labels of this request's values. Kept per process, the newest MAX_LAYOUTS."""

from __future__ import annotations

import threading
from collections import OrderedDict

MAX_LAYOUTS = 256
DIGITS = str.maketrans("123456789¹²³⁴⁵⁶⁷⁸⁹", "000000000⁰⁰⁰⁰⁰⁰⁰⁰⁰")
_seen: OrderedDict[tuple, tuple] = OrderedDict()
_lock = threading.Lock()


def shape(text: str | None) -> str | None:
    """`text` with its digits as 0: a text of the same width."""
    return None if text is None else text.translate(DIGITS)


def key(d, lines: dict[str, list]) -> tuple:
    """The placer's whole input for the diagram `d` (its targets and loss box placed),
    `lines`: each neuron's candidate lines, in the order the placer tries them."""
    neurons = tuple(
        (n.x, n.y, n.focus, tuple(label_key(lb) for lb in (*n.labels, *lines[n.id])))
        for n in d.neurons
    )
    # an edge's stroke matters only among the edges of a layer that has a labelled edge
    # (the placer asks which of those pass through a place)
    asked = {e.l for e in d.edges if e.label or e.grad}
    edges = tuple(
        (e.l, e.x1, e.y1, e.x2, e.y2, e.width, e.focus, *map(shape, (e.label, e.grad, e.change)))
        for e in d.edges
        if e.l in asked
    )
    return (repr(d.geometry), d.loss_box(), neurons, edges)


def label_key(lb) -> tuple:
    return (lb.kind, lb.x, lb.y, lb.size, lb.anchor, shape(lb.text))


def recall(k: tuple) -> tuple | None:
    with _lock:
        choices = _seen.get(k)
        if choices is not None:
            _seen.move_to_end(k)
        return choices


def remember(k: tuple, choices: tuple) -> None:
    with _lock:
        _seen[k] = choices
        while len(_seen) > MAX_LAYOUTS:
            _seen.popitem(last=False)


def forget() -> None:
    """Every layout remembered (for tests that place afresh)."""
    with _lock:
        _seen.clear()

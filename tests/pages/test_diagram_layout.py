"""The diagram's view-model geometry: for every preset in every phase, with several focus
choices and digit settings, no two text labels overlap, no label covers a neuron or the
loss box, everything lies inside the viewBox, and what a learner needs is still shown (the
focused element's values, every δ once computed, each target)."""

from __future__ import annotations

import itertools

import pytest

import engine
from app.views import diagram
from app.views.labels import all_boxes, neuron_box, overlap
from app.views.model import NetworkModel

EVERY = list(engine.PRESETS)


def phases(net):
    """(phase name, state, read model) for idle, every forward and backward step, and
    updated."""
    yield "idle", engine.to_record(net, trace=True), NetworkModel(net)
    while net.next_action != "update":
        getattr(net, net.next_action)()
        yield f"{net.phase} {net.layer}", engine.to_record(net, trace=True), NetworkModel(net)
    net.update()
    yield "updated", engine.to_record(net, trace=True), NetworkModel(net)


def focuses(state: dict) -> list[tuple]:
    """The default focus (active layer's first neuron), the last neuron of the output layer
    and of the first hidden layer, an input, and the edge into the output from below."""
    layers, depth = state["layers"], len(state["layers"]) - 1
    return [
        ("n", max(state["cursor"]["layer"], 1), 1),
        ("n", depth, layers[depth]),
        ("n", 1, layers[1]),
        ("n", 0, 1),
        ("e", depth, 1, layers[depth - 1]),
    ]


def diagrams(preset: str):
    net = engine.create_network({"preset": preset})
    for index, (phase, s, model) in enumerate(phases(net)):
        for focus, digits in itertools.product(focuses(s), (4, (8, 2)[index % 2])):
            ctx = diagram.Context(sample=len(s["inputs"]) - 1, digits=digits, focus=focus)
            yield (
                f"{preset} {phase} focus={focus} digits={digits}",
                s,
                digits,
                diagram.build(model, ctx),
            )


def check_no_overlap(d, where: str) -> int:
    labels = all_boxes(d)
    obstacles = [(n.id, neuron_box(n, d.geometry)) for n in d.neurons]
    obstacles.append(("loss box", d.loss_box()))
    for (a, box_a), (b, box_b) in itertools.combinations(labels, 2):
        assert not overlap(box_a, box_b, gap=0), f"{where}: {a} {box_a} overlaps {b} {box_b}"
    for (a, box_a), (b, box_b) in itertools.product(labels, obstacles):
        assert not overlap(box_a, box_b, gap=0), f"{where}: {a} {box_a} covers {b} {box_b}"
    for a, (x0, y0, x1, y1) in [*labels, ("loss box", d.loss_box())]:
        assert x0 >= 0 and x1 <= d.width and y0 >= 0 and y1 <= d.height, (
            f"{where}: {a} {(x0, y0, x1, y1)} outside {d.width}×{d.height}"
        )
    return len(labels)


def kinds(n) -> set[str]:
    return {lb.kind for lb in n.labels}


def check_content(d, state: dict, digits: int, where: str) -> None:
    """Targets, the focused neuron's values and the focused edge's label always; every δ
    at the default digits (with 8 decimals a focused edge's label may take its place)."""
    depth = len(state["layers"]) - 1
    for n in d.neurons:
        if n.l == depth:
            assert "target" in kinds(n), f"{where}: {n.id} has no target label"
        if d.geometry.roomy and n.delta is not None and digits <= 4:
            assert "delta" in kinds(n), f"{where}: {n.id} hides its δ"
        if n.focus:
            wanted = {k for k, v in (("bias", n.bias), ("z", n.z), ("delta", n.delta)) if v}
            assert wanted <= kinds(n), f"{where}: focused {n.id} shows {kinds(n)}"
    for e in d.edges:
        if e.focus:
            assert e.lines, f"{where}: the focused edge {e.id} has no label"
            assert e.lines[0].text, where


@pytest.mark.parametrize("preset", EVERY)
def test_no_label_overlaps_another_or_a_neuron(preset):
    placed = 0
    for where, state, digits, d in diagrams(preset):
        placed += check_no_overlap(d, where)
        check_content(d, state, digits, where)
    assert placed > 20


def test_overlap_check_sees_a_collision():
    """The check itself fails on a diagram whose labels collide."""
    net = engine.create_network({"preset": "gauss-softmax"})
    net.forward()
    net.forward()
    net.backward()
    d = diagram.build(NetworkModel(net), diagram.Context(focus=("n", 2, 1)))
    n1, n2 = d.neurons[-3], d.neurons[-2]  # output neurons 1 and 2
    n1.labels[-1].y = n2.labels[0].y if n2.labels else n2.y
    with pytest.raises(AssertionError):
        check_no_overlap(d, "moved")


def test_dense_hidden_column_shows_delta_and_the_focused_neuron_everything():
    """gauss-softmax 2-6-3 after the backward pass: each hidden neuron shows its δ; the
    focused one also b and z; the others leave b and z to the tooltip and the tables."""
    net = engine.create_network({"preset": "gauss-softmax"})
    while net.next_action != "update":
        getattr(net, net.next_action)()
    d = diagram.build(NetworkModel(net), diagram.Context(focus=("n", 1, 3)))
    hidden = {n.j: n for n in d.neurons if n.l == 1}
    assert kinds(hidden[3]) == {"bias", "z", "delta"}
    for j in (1, 2, 4, 5, 6):
        assert kinds(hidden[j]) == {"delta"}, (j, kinds(hidden[j]))
        assert hidden[j].labels[0].text.startswith("δ ")
        assert hidden[j].bias in hidden[j].title  # still in the tooltip


def test_loss_box_sits_right_of_the_target_labels():
    net = engine.create_network({"preset": "sine-regression"})
    net.forward()
    net.forward()
    for digits in (4, 10):
        d = diagram.build(NetworkModel(net), diagram.Context(digits=digits))
        target = next(lb for n in d.neurons for lb in n.labels if lb.kind == "target")
        assert target.box()[2] < d.loss_box()[0], digits
        assert d.loss_box()[2] <= d.width

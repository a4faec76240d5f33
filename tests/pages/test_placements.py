"""The diagram's labels placed from a remembered layout (app/views/placements.py) are where
the placer puts them afresh: every preset stepped through three iterations, at two text
sizes, wide and on a phone, focused on several elements, placed once with the layouts
remembered from all the drawings before it and once with none remembered."""

from __future__ import annotations

import pytest

import engine
from app.views import diagram, placements
from app.views.geometry import em
from app.views.model import NetworkModel


def states(preset: str, iterations: int = 3):
    net = engine.create_network({"preset": preset})
    yield NetworkModel(net)
    for _ in range(iterations):
        while net.next_action != "update":
            getattr(net, net.next_action)()
            yield NetworkModel(net)
        net.update()
        yield NetworkModel(net)


def drawn(d) -> list:
    """Every label of the drawing: whose, what, where, at which size; and each halo."""
    out = [(n.id, lb.kind, lb.text, lb.x, lb.y, lb.size) for n in d.neurons for lb in n.labels]
    out += [(e.id, lb.kind, lb.text, lb.x, lb.y, lb.size) for e in d.edges for lb in e.lines]
    return out + [(e.id, e.halo) for e in d.edges if e.lines]


def contexts(model: NetworkModel):
    depth = model.L
    for scale, narrow in ((1.0, False), (1.3, False), (1.0, True)):
        for focus in (("n", max(model.layer, 1), 1), ("n", depth, 1), ("e", depth, 1, 1)):
            yield diagram.Context(sample=0, digits=4, focus=focus, scale=scale, narrow=narrow)


@pytest.mark.parametrize("preset", list(engine.PRESETS))
def test_a_remembered_layout_places_the_labels_as_the_placer_does(preset, monkeypatch):
    placements.forget()
    recall, hits = placements.recall, []
    monkeypatch.setattr(placements, "recall", lambda k: hits.append(recall(k)) or hits[-1])
    cases = [(m, ctx) for m in states(preset) for ctx in contexts(m)]
    remembered = [drawn(diagram.build(m, ctx)) for m, ctx in cases]
    assert any(h is not None for h in hits), "no layout was ever remembered"
    for (m, ctx), seen in zip(cases, remembered, strict=True):
        placements.forget()
        assert drawn(diagram.build(m, ctx)) == seen, (preset, m.phase, m.layer, ctx)


def test_digits_have_one_width_so_a_layout_key_may_write_them_as_0():
    for bold in (False, True):
        assert len({em(d, bold) for d in "0123456789"}) == 1
        assert len({em(d, bold) for d in "⁰¹²³⁴⁵⁶⁷⁸⁹"}) == 1
    assert placements.shape("w −0.1234 ∇ 9.87 x¹²") == "w −0.0000 ∇ 0.00 x⁰⁰"

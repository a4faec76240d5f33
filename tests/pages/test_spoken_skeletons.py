"""The equations' spoken forms (`alttext`) are read from a side's skeleton (its decimals
replaced by placeholders, spoken once) with the numbers put back: the same words as
reading the side itself, for every equation the panel shows over presets, moments of an
iteration and foci, and for sides where the numbers cannot simply be put back."""

from __future__ import annotations

import pytest

import engine
from app.views import equations as eq
from app.views.equations.speech import speak, speak_chain, speak_side
from app.views.model import NetworkModel

PRESETS = ["worked-example", "seed-xor", "gauss-softmax", "xor-online", "sine-regression"]


def sides_shown(preset: str) -> list[tuple[str, ...]]:
    net = engine.create_network({"preset": preset})
    out = []
    for _ in range(2 * net.depth + 2):
        getattr(net, net.next_action)()
        model = NetworkModel(net)
        for l in range(1, model.L + 1):
            out += [c.sides for c in eq.neuron_chains(model, l, 1, 0, 4)]
            out += [c.sides for c in eq.edge_chains(model, l, 1, 1, 4)]
            out += [c.sides for c in eq.update_chains(model, l, 1, 1, 4, True) or []]
    return out


@pytest.mark.parametrize("preset", PRESETS)
def test_every_side_is_spoken_as_itself(preset):
    chains = sides_shown(preset)
    numbered = [s for sides in chains for s in sides if any(c.isdigit() for c in s)]
    assert len(numbered) > 20  # the equations with their numbers are among them
    for sides in chains:
        assert speak_chain(sides) == " equals ".join(speak.__wrapped__(s) for s in sides)


@pytest.mark.parametrize(
    "latex",
    [
        r"0.25 \cdot 0.5 + 1.0",
        r"\frac{0.5}{2.25}",
        r"w^{2}_{12} = 0.4 - 0.5 \cdot 0.082",
        r"x^{1.5} + 1.5",  # a placeholder's own value among the numbers
        r"\sqrt{12.75} \times 10^{-5}",
        r"-0.3 \le 0.0",
    ],
)
def test_a_side_with_decimals_is_spoken_as_itself(latex):
    assert speak_side(latex) == speak.__wrapped__(latex)

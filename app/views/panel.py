"""The equation panel's content: a heading and the facts of the focused neuron or edge, and
the equations app.views.equations writes for it (symbolic, then with numbers), each in one
line and stacked."""

from __future__ import annotations

from markupsafe import Markup

from app.views import equations as eq
from app.views.diagram import bias_text
from app.views.format import fmt
from app.views.mathwidth import fit
from app.views.model import NetworkModel
from engine.notation import sub, sup

FACTS = (
    ("z", "z", "z"),
    ("a", "a", "a"),
    ("fprime", "f′(z)", ""),
    ("delta", "δ", "d"),
)  # q, name, css


def heading(net: NetworkModel, focus: tuple) -> str:
    if focus[0] == "e":
        _, l, j, k = focus
        return (
            f"Weight w{sup(l)}{sub(j)}{sub(k)}: neuron {k} of layer {l - 1} → "
            f"neuron {j} of layer {l}"
        )
    _, l, j = focus
    kind = "input" if l == 0 else ("output" if l == net.L else "hidden")
    return f"Neuron {j} of layer {l} ({kind})"


def both(chains: list[eq.Chain]) -> list[dict]:
    """Each equation in one line and stacked (one '=' per row): the page shows the line
    while the panel is wider than `fit` px (its estimated width), else the stack."""
    lines, stacks = eq.render(chains), eq.render(chains, aligned=True)
    return [
        {
            "title": e.title,
            "mathml": Markup(e.mathml),
            "stacked": Markup(a.mathml),
            "fit": fit(e.mathml),
        }
        for e, a in zip(lines, stacks, strict=True)
    ]


def equations_for(net: NetworkModel, focus: tuple, sample: int, digits: int) -> dict:
    """{heading, facts, groups: [{name, items: [{title, mathml, stacked, fit}]}]} for the
    focused element."""
    if focus[0] == "e":
        _, l, j, k = focus
        groups = [("Gradient", eq.edge_chains(net, l, j, k, digits))]
    else:
        _, l, j = focus
        k = None
        groups = [("Values", eq.neuron_chains(net, l, j, sample, digits))]
    if net.phase in ("backward", "updated") and l >= 1:
        # once the backward pass has started: symbolic until the layer's gradient exists,
        # then with its numbers (what Update will do); after the update, what it did
        name = "Update" if net.updated else "Update (next)"
        chains = eq.update_chains(net, l, j, k, digits)  # none for a layer without a bias
        groups += [(name, chains)] if chains else []
        if net.updated:  # what just happened goes first, in view without scrolling
            groups.reverse()
    return {
        "heading": heading(net, focus),
        "facts": facts(net, focus, sample, digits),
        "groups": [{"name": name, "items": both(chains)} for name, chains in groups],
    }


def batch_fact(net: NetworkModel) -> str:
    """The iteration's batch: 'sample 3 of 4, epoch 2', 'samples 1 and 3 of 4, epoch 2', or
    for larger batches 'batch 2 of 5 (8 of 40 samples), epoch 2'."""
    if net.b > 4:
        where = f"batch {net.batch_number} of {net.batches} ({net.b} of {net.m} samples)"
        return f"{where}, epoch {net.epoch}"
    which = "sample" if net.b == 1 else "samples"
    return f"{which} {eq.samples_text(net.batch)} of {net.m}, epoch {net.epoch}"


def facts(net: NetworkModel, focus: tuple, sample: int, d: int) -> list[tuple]:
    """(name, value, css class) of the focused element, straight from the network."""
    if focus[0] == "e":
        _, l, j, k = focus
        out = [("w", fmt(net.weight(l, j, k), d), "w")]
        grad, was = net.grad(l, j, k), net.param_before(l, j, k)
        if grad is not None:
            out.append(("∂L/∂w", fmt(grad, d), "g"))
        if was is not None:
            out.append(("before update", fmt(was, d), ""))
        return out
    _, l, j = focus
    batch = [("batch", batch_fact(net), "")] if net.minibatch else []
    if l == 0:
        dx = net.dloss_dinput(sample, j)
        input_grad = [("∂ℓ/∂x", fmt(dx, d), "d")] if dx is not None else []
        return [("x = a⁰", fmt(net.input(sample, j), d), "a"), *input_grad, *batch]
    out = [("b", bias_text(net, l, j, d), "b")] if net.has_bias(l) else [("b", "none", "b")]
    out += batch
    for q, name, css in FACTS:
        value = net.value(q, l, sample, j)
        if value is not None:
            out.append((name, fmt(value, d), css))
    grad = net.grad(l, j)
    return out + ([("∂L/∂b", fmt(grad, d), "g")] if grad is not None else [])

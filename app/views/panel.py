"""The equation panel's content: a heading and the facts of the focused neuron or edge, and
the equations app.views.equations writes for it (symbolic, then with numbers), each in one
line and stacked, each with its spoken form (`alttext`), the one the last action computed
marked as the newest."""

from __future__ import annotations

from markupsafe import Markup

from app.views import equations as eq
from app.views.diagram import bias_text
from app.views.equations.mathml import with_alttext
from app.views.equations.speech import speak_chain
from app.views.format import fmt
from app.views.mathwidth import fit
from app.views.model import NetworkModel
from engine.core.features import is_identity
from engine.notation import sub, sup

FACTS = (
    ("z", "z", "z", "z"),
    ("a", "a", "a", "a"),
    ("fprime", "fprime", "f′(z)", ""),
    ("delta", "delta", "δ", "d"),
)  # q, glossary key, name, css
SYMBOLS = ("z", "a", "fprime", "delta", "dLdw", "dLdb", "eta", "ell", "L")


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
    """Each equation in one line and stacked (one '=' per row), both with the same spoken
    form: the page shows the line while the panel is wider than `fit` (its estimated width
    in em of the panel's text), else the stack."""
    lines, stacks = eq.render(chains), eq.render(chains, aligned=True)
    out = []
    for e, a in zip(lines, stacks, strict=True):
        spoken = speak_chain(e.sides)
        out.append(
            {
                "title": e.title,
                "mathml": Markup(with_alttext(e.mathml, spoken)),
                "stacked": Markup(with_alttext(a.mathml, spoken)),
                "fit": fit(e.mathml),
                "newest": False,
            }
        )
    return out


def equations_for(
    net: NetworkModel,
    focus: tuple,
    sample: int,
    digits: int,
    direction: str = "",
    preview: bool = True,
) -> dict:
    """{heading, facts, symbols, groups: [{name, items: [{title, mathml, stacked, fit,
    newest}]}]} for the focused element; `direction`, the last action's ('forward',
    'backward', 'update'), says which equation is the newest; `preview`: the next
    Update's results shown before it runs (not in practice mode, app/views/practice.py)."""
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
        chains = eq.update_chains(net, l, j, k, digits, preview)  # none without a bias
        groups += [(name, chains)] if chains else []
        if net.updated:  # what just happened goes first, in view without scrolling
            groups.reverse()
    shown = [{"name": name, "items": both(chains)} for name, chains in groups]
    mark_newest(shown, direction)
    return {
        "heading": heading(net, focus),
        "facts": facts(net, focus, sample, digits),
        "symbols": SYMBOLS,
        "groups": shown,
    }


def batch_fact(net: NetworkModel) -> str:
    """The iteration's batch: 'sample 3 of 4, epoch 2', 'samples 1 and 3 of 4, epoch 2', or
    for larger batches 'batch 2 of 5 (8 of 40 samples), epoch 2'."""
    if net.b > 4:
        where = f"batch {net.batch_number} of {net.batches} ({net.b} of {net.m} samples)"
        return f"{where}, epoch {net.epoch}"
    which = "sample" if net.b == 1 else "samples"
    return f"{which} {eq.samples_text(net.batch)} of {net.m}, epoch {net.epoch}"


def mark_newest(groups: list[dict], direction: str) -> None:
    """The equation the last action computed: after Update the update's result (first);
    after Forward or Backward the last computed one of the values (the panel scrolls to it:
    static/js/lab.js)."""
    if not groups or direction not in ("forward", "backward", "update"):
        return
    items = groups[0]["items"]
    computed = [i for i in items if "not computed yet" not in i["title"]]
    if not computed:
        return
    (computed[0] if direction == "update" else computed[-1])["newest"] = True


def facts(net: NetworkModel, focus: tuple, sample: int, d: int) -> list[tuple]:
    """(glossary key, name, value, css class) of the focused element, straight from the
    network."""
    if focus[0] == "e":
        _, l, j, k = focus
        out = [("w", "w", fmt(net.weight(l, j, k), d), "w")]
        grad, was = net.grad(l, j, k), net.param_before(l, j, k)
        if grad is not None:
            out.append(("dLdw", "∂L/∂w", fmt(grad, d), "g"))
        if was is not None:
            out.append(("", "before update", fmt(was, d), ""))
        return out
    _, l, j = focus
    batch = [("", "batch", batch_fact(net), "")] if net.minibatch else []
    if l == 0:
        dx = net.dloss_dinput(sample, j)
        input_grad = [("", "∂ℓ/∂x", fmt(dx, d), "d")] if dx is not None else []
        shown = fmt(net.value("a", 0, sample, j), d)
        name = "x = a⁰" if not net.features or is_identity(tuple(net.features)) else "a⁰ = φ(x)"
        return [("x", name, shown, "a"), *input_grad, *batch]
    if net.has_bias(l):
        out = [("b", "b", bias_text(net, l, j, d), "b")]
    else:
        out = [("b", "b", "none", "b")]
    out += batch
    for q, key, name, css in FACTS:
        value = net.value(q, l, sample, j)
        if value is not None:
            out.append((key, name, fmt(value, d), css))
    grad = net.grad(l, j)
    return out + ([("dLdb", "∂L/∂b", fmt(grad, d), "g")] if grad is not None else [])

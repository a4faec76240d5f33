"""What the page says to a screen reader after each action (templates/_status.html: the
#announce live region): what the action did, with its main numbers, e.g. 'Forward, layer
2: ŷ = 0.7514, 0.7729; loss L 0.2984.' Every number comes from the read model."""

from __future__ import annotations

from app.views import panel
from app.views.format import fmt
from app.views.model import NetworkModel
from engine.notation import sup

MAX_VALUES = 4  # a layer's first values read out; the rest are in the tables


def values(xs: list[float] | None, d: int) -> str:
    if not xs:
        return ""
    shown = [fmt(x, d) for x in xs[:MAX_VALUES]]
    more = f" and {len(xs) - MAX_VALUES} more" if len(xs) > MAX_VALUES else ""
    return ", ".join(shown) + more


def sample_note(net: NetworkModel, sample: int) -> str:
    return f" (sample {sample + 1} of {net.m})" if net.m > 1 else ""


def forward(net: NetworkModel, layers: list[int], sample: int, d: int) -> str:
    """'Forward, layer 2: ŷ = 0.7514, 0.7729; loss L 0.2984.'"""
    if not layers:
        return ""
    l = layers[-1]
    name = "ŷ" if l == net.L else f"a{sup(l)}"
    span = f"layer {l}" if len(layers) == 1 else f"layers {layers[0]} to {l}"
    text = f"Forward, {span}: {name} = {values(net.row('a', l, sample), d)}"
    text += sample_note(net, sample)
    if l == net.L and net.batch_loss is not None:
        text += f"; loss L {fmt(net.batch_loss, d)}"
    return text + "."


def backward(net: NetworkModel, layers: list[int], sample: int, d: int) -> str:
    """'Backward, layer 2: δ² = 0.1385, −0.0381; gradients of W² and b² computed.'"""
    if not layers:
        return ""
    l = layers[-1]
    span = f"layer {l}" if len(layers) == 1 else f"layers {layers[0]} to {l}"
    text = f"Backward, {span}: δ{sup(l)} = {values(net.row('delta', l, sample), d)}"
    text += sample_note(net, sample)
    bias = f" and b{sup(l)}" if net.trace.layers[l - 1].grad_b is not None else ""
    text += f"; gradients of W{sup(l)}{bias} computed"
    if net.next == "update":
        text += "; the backward pass is complete, Update is next"
    return text + "."


def updated(net: NetworkModel, d: int) -> str:
    """'Update: iteration 1 complete; w²₁₁ 0.4000 → 0.3589 … L was 0.2984; the next
    Forward computes the new loss.'"""
    text = f"Update: iteration {net.iteration} complete, {updated_params(net)} moved"
    before = net.param_before(net.L, 1, 1)
    if before is not None:
        text += f" (w{sup(net.L)}₁₁ {fmt(before, d)} → {fmt(net.weight(net.L, 1, 1), d)})"
    if net.batch_loss is not None:
        text += f". The loss was {fmt(net.batch_loss, d)}; the next Forward computes the new one"
    return text + "."


def after(net: NetworkModel, action: str, last: dict, sample: int, d: int) -> str:
    """The announcement for `action` (a lab-page route's name) that led to `net`."""
    layers = list(last.get("layers", ()))
    if action.startswith("forward"):
        return forward(net, layers, sample, d)
    if action.startswith("backward"):
        return backward(net, layers, sample, d)
    if action in ("update", "step"):
        return updated(net, d) if net.updated else ""
    if action == "undo":
        return f"Undone: back to iteration {net.iteration}, {where(net)}."
    if action == "reset":
        return (
            "Reset: back to the initial weights and biases at iteration 0 "
            "(Undo brings the last ones back)."
        )
    return ""


def where(net: NetworkModel) -> str:
    if net.phase == "idle":
        return "nothing computed yet in this iteration"
    if net.phase == "updated":
        return "just after the update"
    return f"{net.phase} pass at layer {net.layer}"


def trained(net: NetworkModel, count: int, d: int) -> str:
    loss = net.last_loss
    text = f"Trained {count} iteration{'s' if count != 1 else ''}: now at iteration {net.iteration}"
    return text + (f", loss L {fmt(loss, d)}." if loss is not None else ".")


def focused(net: NetworkModel, focus: tuple, sample: int, d: int) -> str:
    """'Equations of neuron 1 of layer 2 (output): b = 0.6000, z = 1.1059, a = 0.7514.'"""
    shown = ", ".join(
        f"{name} = {value}" for _, name, value, _ in panel.facts(net, focus, sample, d)
    )
    heading = panel.heading(net, focus)
    return f"Equations of {heading[0].lower()}{heading[1:]}" + (f": {shown}." if shown else ".")


def updated_params(net: NetworkModel) -> str:
    """What Update changes: 'every weight and bias', or without the untrained biases."""
    modes = set(net.bias_modes)
    if modes == {"trained"}:
        return "every weight and bias"
    return "every weight and trained bias" if "trained" in modes else "every weight"

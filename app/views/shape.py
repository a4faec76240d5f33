"""The diagram's + and − (as TensorFlow Playground's): per hidden layer, a neuron more or
less; beside the output, a hidden layer more or less. Where each goes (a share of the
diagram's width, over its layer's column), and whether it can be pressed now and why
not (the limits of engine/limits.py)."""

from __future__ import annotations

from app.views.model import NetworkModel
from engine import limits


def button(change: str, label: str, text: str, why_not: str = "") -> dict:
    return {"change": change, "label": label, "text": text, "why_not": why_not}


def hidden_column(net: NetworkModel, l: int) -> list[dict]:
    n = net.layers[l]
    more = "" if n < limits.MAX_NEURONS else f"a layer has at most {limits.MAX_NEURONS} neurons"
    less = "" if n > limits.MIN_NEURONS else "its last neuron: remove the layer instead"
    return [
        button(f"remove-neuron:{l}", "−", f"Remove neuron {n} of layer {l}", less),
        button(f"add-neuron:{l}", "+", f"Add a neuron to layer {l}", more),
    ]


def layer_buttons(net: NetworkModel) -> list[dict]:
    more = "" if len(net.layers) < limits.MAX_LAYERS else f"at most {limits.MAX_LAYERS} layers"
    less = "" if net.L > 1 else "there is no hidden layer"
    return [
        button("remove-layer", "− layer", "Remove the last hidden layer", less),
        button("add-layer", "+ layer", "Add a hidden layer before the output", more),
    ]


def shape_bar(net: NetworkModel, diagram) -> dict:
    """{"columns": [{l, left (% of the width), n, buttons}], "layers": buttons}."""
    cols = []
    for c in diagram.columns:
        l = c["l"]
        buttons = hidden_column(net, l) if 0 < l < net.L else []
        if l == net.L:
            buttons = layer_buttons(net)
        left = round(100 * c["x"] / diagram.width, 2)
        cols.append({"l": l, "left": left, "n": net.layers[l], "buttons": buttons})
    return {"columns": cols}

"""The table view: every layer's values as rows and columns of plain strings, with the
edit key of each editable cell (weights, biases, inputs, targets)."""

from __future__ import annotations

from app.views.format import fmt
from app.views.model import PER_SAMPLE, NetworkModel
from engine.core.features import FEATURES, is_identity


def cell(value, digits: int, key: str | None = None) -> dict:
    """`text` as shown; `exact` (Python's repr of the float) is what the editor starts
    from, so that submitting it unchanged changes nothing."""
    exact = "" if value is None else repr(float(value))
    return {
        "text": fmt(value, digits),
        "exact": exact,
        "key": key,
        "neg": value is not None and value < 0,
    }


COLUMNS = (
    ("b", "b", ""),
    ("z", "z", ""),
    ("a", "a", ""),
    ("fprime", "f′(z)", ""),
    ("dlda", "∂ℓ/∂a", ""),
    ("delta", "δ", "d"),
    ("dLdb", "∂L/∂b", "g"),
)  # glossary key (app/views/glossary.py), heading, css class


def layer_table(net: NetworkModel, l: int, sample: int, d: int) -> dict:
    """Neuron rows of layer l (1..L): b, z, a, f'(z), ∂ℓ/∂a, δ, ∂L/∂b (no b and no ∂L/∂b
    for a layer without a bias term). Each cell says its column's class (`cls`: d for δ,
    g for ∂L/∂b) and an editable one what it edits (`label`)."""
    cols = [net.row(q, l, sample) for q in PER_SAMPLE]
    grad_b = net.trace.layers[l - 1].grad_b
    has_bias = net.has_bias(l)
    rows = []
    for j in range(1, net.layers[l] + 1):
        row = [
            {**cell(None if v is None else v[j - 1], d), "cls": "d" if q == "delta" else ""}
            for q, v in zip(PER_SAMPLE, cols)
        ]
        if has_bias:
            b = {**cell(net.bias(l, j), d, f"b-{l}-{j}"), "label": f"bias b{l} {j}"}
            b["fixed"] = net.frozen(l)
            g = cell(None if grad_b is None else float(grad_b[j - 1]), d)
            row = [b, *row, {**g, "cls": "g"}]
        was = net.param_before(l, j)
        rows.append({"j": j, "cells": row, "was": "" if was is None else fmt(was, d)})
    columns = COLUMNS if has_bias else tuple(c for c in COLUMNS if c[0] not in ("b", "dLdb"))
    return {
        "l": l,
        "activation": net.activations[l - 1],
        "rows": rows,
        "has_bias": has_bias,
        "frozen": net.frozen(l),
        "columns": columns,
    }


def weight_table(net: NetworkModel, l: int, d: int) -> dict:
    """W^l (rows j, columns k), each cell with its gradient ∂L/∂w^l_jk once computed."""
    grads = net.trace.layers[l - 1].grad_w
    rows = []
    for j, ws in enumerate(net.weights(l), start=1):
        cells = []
        for k, w in enumerate(ws, start=1):
            c = cell(w, d, f"w-{l}-{j}-{k}")
            c["grad"] = fmt(float(grads[j - 1, k - 1]), d) if grads is not None else ""
            cells.append(c)
        rows.append({"j": j, "cells": cells})
    return {"l": l, "ks": list(range(1, net.layers[l - 1] + 1)), "rows": rows}


def sample_table(net: NetworkModel, sample: int, d: int) -> dict:
    """The selected sample: inputs x_k and targets y_j (editable), its loss ℓ and its
    gradient ∂ℓ/∂x_k once computed; and with mini-batches, which samples the iteration's
    batch holds (`batch`: 1-based, and whether this one is among them)."""
    i = sample + 1
    x = [cell(v, d, f"x-{i}-{k}") for k, v in enumerate(net.inputs(sample), start=1)]
    y = [cell(v, d, f"y-{i}-{j}") for j, v in enumerate(net.targets(sample), start=1)]
    features = feature_cells(net, sample, d)
    dx = [] if features else [net.dloss_dinput(sample, k) for k in range(1, net.layers[0] + 1)]
    loss = net.sample_loss(sample)
    return {
        "i": i,
        "features": feature_cells(net, sample, d),
        "x": x,
        "y": y,
        "loss": "" if loss is None else fmt(loss, d),
        "dx": [] if not dx or dx[0] is None else [fmt(v, d) for v in dx],
        "batch": [s + 1 for s in net.batch] if net.minibatch else [],
        "in_batch": net.in_batch(sample),
        "epoch": net.epoch,
    }


def feature_cells(net: NetworkModel, sample: int, d: int) -> list[dict]:
    """With features other than x1, x2: each input neuron's feature and its value a⁰_k =
    φ_k(x) for the sample (and ∂ℓ/∂a⁰_k once computed); [] otherwise."""
    if not net.features or is_identity(tuple(net.features)):
        return []
    out = []
    for k, name in enumerate(net.features, start=1):
        g = net.dloss_dinput(sample, k)
        out.append(
            {
                "name": FEATURES[name].text,
                "value": fmt(net.value("a", 0, sample, k), d),
                "grad": "" if g is None else fmt(g, d),
            }
        )
    return out


def tables(net: NetworkModel, view) -> dict:
    d, s = view.digits, view.sample
    return {
        "sample": sample_table(net, s, d),
        "layers": [layer_table(net, l, s, d) for l in range(1, net.L + 1)],
        "weights": [weight_table(net, l, d) for l in range(1, net.L + 1)],
    }

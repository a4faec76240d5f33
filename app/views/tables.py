"""The table view: every layer's values as rows and columns of plain strings, with the
edit key of each editable cell (weights, biases, inputs, targets)."""

from __future__ import annotations

from app.views.format import fmt
from app.views.model import PER_SAMPLE, NetworkModel


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


def layer_table(net: NetworkModel, l: int, sample: int, d: int) -> dict:
    """Neuron rows of layer l (1..L): b, z, a, f'(z), ∂ℓ/∂a, δ, ∂L/∂b."""
    cols = [net.row(q, l, sample) for q in PER_SAMPLE]
    grad_b = net.trace.layers[l - 1].grad_b
    cols.append(None if grad_b is None else grad_b.tolist())
    rows = []
    for j in range(1, net.layers[l] + 1):
        row = [cell(net.bias(l, j), d, f"b-{l}-{j}")]
        row += [cell(None if v is None else v[j - 1], d) for v in cols]
        was = net.param_before(l, j)
        rows.append({"j": j, "cells": row, "was": "" if was is None else fmt(was, d)})
    return {"l": l, "activation": net.activations[l - 1], "rows": rows}


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
    """The selected sample: inputs x_k and targets y_j (editable), and its loss ℓ."""
    i = sample + 1
    x = [cell(v, d, f"x-{i}-{k}") for k, v in enumerate(net.inputs(sample), start=1)]
    y = [cell(v, d, f"y-{i}-{j}") for j, v in enumerate(net.targets(sample), start=1)]
    loss = net.sample_loss(sample)
    return {"i": i, "x": x, "y": y, "loss": "" if loss is None else fmt(loss, d)}


def tables(net: NetworkModel, view) -> dict:
    d, s = view.digits, view.sample
    return {
        "sample": sample_table(net, s, d),
        "layers": [layer_table(net, l, s, d) for l in range(1, net.L + 1)],
        "weights": [weight_table(net, l, d) for l in range(1, net.L + 1)],
    }

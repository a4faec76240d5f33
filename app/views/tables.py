"""The table view: every layer's values as rows and columns of plain strings, with the
edit key of each editable cell (weights, biases, inputs, targets)."""

from __future__ import annotations

from app.views.format import fmt


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


def column(rows: list | None, sample: int) -> list | None:
    return None if rows is None else rows[sample]


def layer_table(state: dict, l: int, sample: int, d: int) -> dict:
    """Neuron rows of layer l (1..L): b, z, a, f'(z), ∂ℓ/∂a, δ, ∂L/∂b."""
    t = state["trace"]["layers"][l - 1]
    cols = {k: column(t[k], sample) for k in ("z", "a", "fprime", "grad_a", "delta")}
    cols["grad_b"] = t["grad_biases"]
    rows = []
    for j in range(1, state["layers"][l] + 1):
        row = [cell(state["biases"][l - 1][j - 1], d, f"b-{l}-{j}")]
        row += [cell(None if v is None else v[j - 1], d) for v in cols.values()]
        rows.append({"j": j, "cells": row, "was": was_bias(state, l, j, d)})
    return {"l": l, "activation": state["activations"][l - 1], "rows": rows}


def was_bias(state: dict, l: int, j: int, d: int) -> str:
    """b^l_j before the update, in the 'updated' phase: z beside it was computed with it."""
    prev = state["previous"]
    if state["cursor"]["phase"] != "updated" or not prev:
        return ""
    return fmt(prev["biases"][l - 1][j - 1], d)


def weight_table(state: dict, l: int, d: int) -> dict:
    """W^l (rows j, columns k), each cell with its gradient ∂L/∂w^l_jk once computed."""
    grads = state["trace"]["layers"][l - 1]["grad_weights"]
    rows = []
    for j, ws in enumerate(state["weights"][l - 1], start=1):
        cells = []
        for k, w in enumerate(ws, start=1):
            c = cell(w, d, f"w-{l}-{j}-{k}")
            c["grad"] = fmt(grads[j - 1][k - 1], d) if grads is not None else ""
            cells.append(c)
        rows.append({"j": j, "cells": cells})
    return {"l": l, "ks": list(range(1, state["layers"][l - 1] + 1)), "rows": rows}


def sample_table(state: dict, sample: int, d: int) -> dict:
    """The selected sample: inputs x_k and targets y_j (editable), and its loss ℓ."""
    i = sample + 1
    x = [cell(v, d, f"x-{i}-{k}") for k, v in enumerate(state["inputs"][sample], start=1)]
    y = [cell(v, d, f"y-{i}-{j}") for j, v in enumerate(state["targets"][sample], start=1)]
    losses = state["trace"]["losses"]
    return {"i": i, "x": x, "y": y, "loss": fmt(losses[sample], d) if losses else ""}


def tables(state: dict, view) -> dict:
    d, s = view.digits, view.sample
    depth = len(state["layers"]) - 1
    return {
        "sample": sample_table(state, s, d),
        "layers": [layer_table(state, l, s, d) for l in range(1, depth + 1)],
        "weights": [weight_table(state, l, d) for l in range(1, depth + 1)],
    }

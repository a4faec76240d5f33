"""Exports of a NetworkState: the network as JSON that creates it again, and the trace as
CSV (one row per value). Plain formatting of values already in the state."""

from __future__ import annotations

import csv
import io

EXPORT_FIELDS = ("layers", "activations", "loss", "learning_rate", "init", "init_scale",
                 "seed", "weights", "biases", "inputs", "targets")
LAYER_QUANTITIES = ("z", "a", "fprime", "grad_a", "delta")


def network_json(state: dict) -> dict:
    """The create body that rebuilds this network: spec, current parameters and data."""
    out = {key: state[key] for key in EXPORT_FIELDS}
    return out


def trace_rows(state: dict):
    """(layer, neuron, sample, quantity, value) for every computed value of the trace;
    neuron is 1-based (j), sample 0-based; gradients have sample '' (batch means), and a
    weight's neuron is written 'j,k'."""
    trace = state["trace"]
    for l, lt in enumerate(trace["layers"], start=1):
        for q in LAYER_QUANTITIES:
            rows = lt.get(q)
            if rows is None:
                continue
            for i, row in enumerate(rows):
                for j, v in enumerate(row, start=1):
                    yield l, j, i, q, v
        if lt.get("grad_weights") is not None:
            for j, row in enumerate(lt["grad_weights"], start=1):
                for k, v in enumerate(row, start=1):
                    yield l, f"{j},{k}", "", "grad_weights", v
            for j, v in enumerate(lt["grad_biases"], start=1):
                yield l, j, "", "grad_biases", v
    if trace.get("losses") is not None:
        for i, v in enumerate(trace["losses"]):
            yield len(trace["layers"]), "", i, "loss", v
        for i, row in enumerate(trace["dloss_doutput"]):
            for j, v in enumerate(row, start=1):
                yield len(trace["layers"]), j, i, "dloss_doutput", v


def trace_csv(state: dict) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["layer", "neuron", "sample", "quantity", "value"])
    for row in trace_rows(state):
        writer.writerow([*row[:4], repr(float(row[4]))])
    return buf.getvalue()

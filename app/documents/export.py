"""Exports of a network: the JSON that creates it again, and its trace as CSV (one row per
value). Plain formatting of values the network already holds."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import chain, islice

import numpy as np

import engine
from engine.core.spec import SPEC_FIELDS

# The create body: the spec without a generated dataset's options (the samples come along).
BODY_FIELDS = tuple(f for f in SPEC_FIELDS if f != "dataset")
LAYER_QUANTITIES = ("z", "a", "fprime", "grad_a", "delta")
CSV_ROW_SECONDS = 2e-6  # writing one value as a CSV row (1.5-4 µs measured; repr dominates)
Blank = int | str  # an index, or '' where the value has none
Row = tuple[int, Blank, Blank, Blank, str, float]  # layer, j, k, sample, quantity, value
HEADER = ("layer", "j", "k", "sample", "quantity", "value")


def network_json(net: engine.Network) -> dict:
    """The create body that rebuilds this network: spec, current parameters and data.

    The samples are written out explicitly (a generated dataset's options are left out:
    the file does not depend on the generators), the held-out samples as test_inputs and
    test_targets when there are any, and the kept runs (ghosts). The iteration count, loss
    histories and optimiser state are not part of it: the new network starts at iteration
    0 from these parameters."""
    record = engine.to_record(net)
    out = {key: record[key] for key in BODY_FIELDS}
    out["weights"], out["biases"] = record["weights"], record["biases"]
    out["inputs"], out["targets"] = record["inputs"], record["targets"]
    if len(net.test_inputs):
        out["test_inputs"], out["test_targets"] = record["test_inputs"], record["test_targets"]
    if net.ghosts:
        out["ghosts"] = record["ghosts"]
    return out


def matrix_rows(l: int, quantity: str, grads: np.ndarray) -> Iterator[Row]:
    """A batch quantity shaped like W^l, (N_l, N_{l-1}), row by row: j, k, no sample."""
    for j, row in enumerate(grads.tolist(), start=1):
        for k, v in enumerate(row, start=1):
            yield l, j, k, "", quantity, v


def sample_numbers(net: engine.Network) -> list[int]:
    """The page's number (from 1) of each of the trace's rows: the batch's samples."""
    batch = net.trace.batch
    return [int(i) + 1 for i in (range(len(net.inputs)) if batch is None else batch)]


def per_sample(l: int, quantity: str, rows: np.ndarray, numbers: list[int]) -> Iterator[Row]:
    """A (b, N) quantity, one row per sample of the batch: j and the sample's number."""
    for i, row in zip(numbers, rows.tolist()):
        for j, v in enumerate(row, start=1):
            yield l, j, "", i, quantity, v


def trace_rows(net: engine.Network) -> Iterator[Row]:
    """(layer, j, k, sample, quantity, value) for every computed value of the trace, every
    index counted from 1 as on the lab page (a sample by its number among all the samples,
    also in a mini-batch): a neuron's values have j and sample; a weight's gradient (and,
    with regularisation, its data and penalty parts) j and k and no sample (batch means); a
    bias gradient j; ℓ of each sample only its sample (layer L), L_data and the penalty Ω
    no index; ∂ℓ/∂x (layer 0) j and sample."""
    trace, depth, numbers = net.trace, net.depth, sample_numbers(net)
    for l, lt in enumerate(trace.layers, start=1):
        for q in LAYER_QUANTITIES:
            rows = getattr(lt, q)
            if rows is not None:
                yield from per_sample(l, q, rows, numbers)
        for q, grads in (
            ("grad_weights", lt.grad_w),
            ("grad_weights_data", lt.grad_w_data),
            ("grad_weights_penalty", lt.grad_w_penalty),
        ):
            if grads is not None:
                yield from matrix_rows(l, q, grads)
        if lt.grad_b is not None:  # a layer without a bias has no bias gradient
            for j, v in enumerate(lt.grad_b.tolist(), start=1):
                yield l, j, "", "", "grad_biases", v
    if trace.losses is not None and trace.dloss_doutput is not None:
        for i, v in zip(numbers, trace.losses.tolist()):
            yield depth, "", "", i, "loss", v
        for q, value in (("data_loss", trace.data_loss), ("penalty", trace.penalty)):
            if value is not None:
                yield depth, "", "", "", q, value
        yield from per_sample(depth, "dloss_doutput", trace.dloss_doutput, numbers)
    if trace.dloss_dinput is not None:
        yield from per_sample(0, "dloss_dinput", trace.dloss_dinput, numbers)


def update_rows(net: engine.Network) -> Iterator[Row]:
    """(layer, j, k, sample, quantity, value) for the optimiser's update details in the
    trace (momentum's v, adam's m, v, m̂, v̂, before and after), as batch values: no sample,
    and quantities such as 'v_weights', 'm_hat_biases'."""
    update = net.trace.update or {}
    for l, layer in enumerate(update.get("layers") or [], start=1):
        for q, parts in layer.items():
            yield from matrix_rows(l, f"{q}_weights", parts["weights"])
            if parts["biases"] is None:  # a frozen bias or none: nothing updated
                continue
            for j, v in enumerate(parts["biases"].tolist(), start=1):
                yield l, j, "", "", f"{q}_biases", v


def trace_csv(net: engine.Network) -> str:
    return b"".join(trace_csv_chunks(net)).decode()


def trace_csv_chunks(net: engine.Network, rows_per_chunk: int = 4096) -> Iterator[bytes]:
    """The trace as CSV (header, then one row per value), in pieces of `rows_per_chunk`
    rows: a large trace is written out without the whole text in memory at once."""
    rows = chain(trace_rows(net), update_rows(net))
    yield (",".join(HEADER) + "\n").encode()
    while batch := list(islice(rows, rows_per_chunk)):
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerows([*row[:5], repr(float(row[5]))] for row in batch)
        yield buf.getvalue().encode()


def trace_values(net: engine.Network) -> int:
    """How many values the trace holds (trace_csv writes a row for each): its size,
    known before it is written."""
    trace = net.trace
    quantities = (*LAYER_QUANTITIES, "grad_w", "grad_w_data", "grad_w_penalty", "grad_b")
    arrays = [getattr(lt, q) for lt in trace.layers for q in quantities]
    arrays += [trace.losses, trace.dloss_doutput, trace.dloss_dinput]
    if trace.losses is not None and trace.dloss_doutput is not None:
        arrays += [trace.data_loss, trace.penalty]  # one row each, when there
    for layer in (trace.update or {}).get("layers") or []:
        arrays += [a for parts in layer.values() for a in (parts["weights"], parts["biases"])]
    return sum(np.size(a) for a in arrays if a is not None)

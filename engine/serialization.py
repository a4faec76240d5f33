"""A network's record: everything that rebuilds it, as plain JSON-able data, round-trip exact.

Floats travel as Python floats, whose repr (and so JSON) is exact, so every value comes
back bit-identical. The record leaves the trace out: ``from_record`` rebuilds it by running
the same steps again, which gives the same bits (``to_record(net, trace=True)`` keeps it,
for comparisons and exports). ``trace_to_dict`` is the trace alone, as the API shows it.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .core import conventions, optimisers, runs
from .core.history import LossHistory
from .core.losses import is_simplified
from .core.network import PHASES, Network, Previous
from .core.records import records_from_list
from .core.spec import (
    Spec,
    check_data,
    check_parameters,
    check_test_data,
    data_as_arrays,
    make_spec,
    parameters_as_arrays,
)
from .core.trace import LayerTrace, Trace
from .errors import SpecError

FORMAT = 1


def _as_list(x):
    return None if x is None else x.tolist()


def _same(x):
    return x


def trace_to_dict(net: Network, arrays: bool = False) -> dict:
    """The trace of the iteration in progress: per layer z, a, f'(z), ∂ℓ/∂a, δ as rows per
    sample and the gradients, each None until computed; the losses, ∂ℓ/∂ŷ, η and the
    update's details; and `output_delta`, how δ^L is formed. With `arrays`, the per-sample
    values and gradients stay NumPy arrays (for a JSON writer that takes them as they are:
    a large trace then never becomes millions of Python floats)."""
    trace, spec = net.trace, net.spec
    _list = _same if arrays else _as_list
    simplified = is_simplified(spec.activations[-1], spec.loss)
    return {
        "layers": [
            {
                "z": _list(lt.z),
                "a": _list(lt.a),
                "fprime": _list(lt.fprime),
                "grad_a": _list(lt.grad_a),
                "delta": _list(lt.delta),
                "grad_weights": _list(lt.grad_w),
                "grad_biases": _list(lt.grad_b),
                "grad_weights_data": _list(lt.grad_w_data),
                "grad_weights_penalty": _list(lt.grad_w_penalty),
            }
            for lt in trace.layers
        ],
        "batch": _list(trace.batch),
        "losses": _list(trace.losses),
        "data_loss": trace.data_loss,
        "penalty": trace.penalty,
        "loss": trace.loss,
        "dloss_doutput": _list(trace.dloss_doutput),
        "dloss_dinput": _list(trace.dloss_dinput),
        "learning_rate": trace.learning_rate,
        "update": optimisers.update_to_lists(trace.update),
        "output_delta": "simplified" if simplified else "chain_rule",
        "a0": _list(trace.a0),
    }


def _arr(x):
    return None if x is None else np.array(x, dtype=np.float64)


def trace_from_dict(d: dict) -> Trace:
    """Inverse of trace_to_dict; a trace stored before the conventions existed (no batch,
    data loss, penalty or input gradient) reads as the whole batch with no penalty."""
    layers = [
        LayerTrace(
            _arr(e["z"]),
            _arr(e["a"]),
            _arr(e["fprime"]),
            _arr(e["grad_a"]),
            _arr(e["delta"]),
            _arr(e["grad_weights"]),
            _arr(e["grad_biases"]),
            _arr(e.get("grad_weights_data")),
            _arr(e.get("grad_weights_penalty")),
        )
        for e in d["layers"]
    ]
    batch = d.get("batch")
    return Trace(
        layers,
        _arr(d["losses"]),
        d["loss"],
        _arr(d["dloss_doutput"]),
        d.get("learning_rate"),
        optimisers.update_from_lists(d.get("update")),
        batch=None if batch is None else np.array(batch, dtype=np.int64),
        data_loss=d.get("data_loss", d["loss"]),
        penalty=d.get("penalty", None if d["loss"] is None else 0.0),
        dloss_dinput=_arr(d.get("dloss_dinput")),
        a0=_arr(d.get("a0")),
    )


def spec_to_dict(spec: Spec) -> dict:
    return {
        "layers": list(spec.layers),
        "activations": list(spec.activations),
        "loss": spec.loss,
        "learning_rate": spec.learning_rate,
        "init": spec.init,
        "init_scale": spec.init_scale,
        "seed": spec.seed,
        "dataset": spec.dataset,
        "optimizer": spec.optimizer,
        "test_split": spec.test_split,
        "bias": conventions.bias_to_json(spec.bias),
        "reduction": spec.reduction,
        "batch_size": spec.batch_size,
        "shuffle": spec.shuffle,
        "regularization": spec.regularization,
        "regularization_rate": spec.regularization_rate,
        "features": None if spec.features is None else list(spec.features),
    }


def history_to_dict(h: LossHistory) -> dict:
    return {"stride": h.stride, "points": list(h.points), "last": h.last}


def history_from_dict(h: dict | None) -> LossHistory:
    h = h or {}
    points, last = h.get("points", []), h.get("last")
    if not isinstance(points, list):
        raise SpecError("history.points", "must be a list of [iteration, loss] pairs")
    return LossHistory(int(h.get("stride", 1)), list(points), list(last) if last else None)


def to_record(net: Network, trace: bool = False, samples: bool = True) -> dict:
    """Everything that rebuilds the network: spec fields, parameters (now, initial, before
    the last update), data (training and test samples), optimiser state, cursor, iteration,
    loss and accuracy histories, the marks of its changes and the ghosts of kept runs,
    diagnostics records and the last divergence (and the trace if asked;
    without the samples if asked, for a caller that keeps them apart)."""
    prev, depth = net.previous, net.depth
    out = {
        "format": FORMAT,
        **spec_to_dict(net.spec),
        "iteration": net.iteration,
        "weights": [w.tolist() for w in net.weights],
        "biases": [b.tolist() for b in net.biases],
        "initial_weights": [w.tolist() for w in net.initial[0]],
        "initial_biases": [b.tolist() for b in net.initial[1]],
        "previous": None
        if prev is None
        else {
            "weights": [w.tolist() for w in prev.weights],
            "biases": [b.tolist() for b in prev.biases],
            "learning_rate": prev.learning_rate,
            "optimizer": prev.optimizer,
            "optimizer_state": optimisers.state_to_lists(prev.optimizer_state, depth),
        },
        "optimizer_state": optimisers.state_to_lists(net.optimizer_state, depth),
        "cursor": {"phase": net.phase, "layer": net.layer, "next": net.next_action},
        "history": {
            **history_to_dict(net.history),
            "test": history_to_dict(net.test_history),
            "accuracy": history_to_dict(net.accuracy_history),
            "test_accuracy": history_to_dict(net.test_accuracy_history),
        },
        "changes": list(net.changes),
        "ghosts": list(net.ghosts),
        "diagnostics": [dict(r) for r in net.records],
        "last_divergence": net.last_divergence,
    }
    if samples:
        out["inputs"], out["targets"] = net.inputs.tolist(), net.targets.tolist()
        out["test_inputs"] = net.test_inputs.tolist()
        out["test_targets"] = net.test_targets.tolist()
    if trace:
        out["trace"] = trace_to_dict(net)
    return out


def from_record(d: dict, trace: Trace | None = None, checked: bool = False) -> Network:
    """Rebuild a Network from `to_record` output (validated again; raises SpecError).
    `trace`: the trace the record's network had, when the caller kept it (it is placed
    instead of being replayed; the caller answers for it being that network's).
    `checked`: the caller answers for `d` being to_record's own output in this process,
    or a record this function accepted before: the checks of its parameters' and samples'
    shapes and values and of its diagnostics are not made again (the spec's are; the
    network is the same either way)."""
    if d.get("format") != FORMAT:
        raise SpecError("format", f"is {d.get('format')!r}; this engine reads format {FORMAT}")
    spec = spec_from_record(d)
    ws, bs = parameters(spec, d["weights"], d["biases"], checked)
    x, y = samples(spec, d["inputs"], d["targets"], checked, check_data)
    spec = replace(spec, batch_size=conventions.check_batch_size(d.get("batch_size"), len(x)))
    test = d.get("test_inputs", []), d.get("test_targets", [])
    tx, ty = samples(spec, *test, checked, check_test_data)
    initial = parameters(spec, d["initial_weights"], d["initial_biases"], checked)
    net = Network(spec, ws, bs, x, y, initial=initial, test_inputs=tx, test_targets=ty)
    net.iteration = int(d["iteration"])
    net.history = history_from_dict(d.get("history"))
    stored = d.get("history") or {}  # a network stored before accuracies: none yet
    net.test_history = history_from_dict(stored.get("test"))
    net.accuracy_history = history_from_dict(stored.get("accuracy"))
    net.test_accuracy_history = history_from_dict(stored.get("test_accuracy"))
    net.changes = runs.check_marks(d.get("changes"))
    net.ghosts = runs.check_ghosts(d.get("ghosts"))
    net.optimizer_state = optimisers.state_from_lists(
        spec.optimizer, d.get("optimizer_state"), ws, net.trained_biases()
    )
    net.records = records_from_list(d.get("diagnostics"), spec.depth, checked)
    net.last_divergence = d.get("last_divergence")
    place_cursor(net, d, trace, checked)
    return net


def parameters(spec: Spec, weights, biases, checked: bool) -> tuple[list, list]:
    """Stored parameters as arrays: checked (finite, of the spec's shapes) unless
    `checked` says they were before."""
    if checked:
        return parameters_as_arrays(weights, biases)
    return check_parameters(spec, weights, biases, bound=None)


def samples(spec: Spec, inputs, targets, checked: bool, check) -> tuple:
    """Stored samples as arrays: checked by `check` unless `checked` says they were before."""
    if checked:
        return data_as_arrays(spec, inputs, targets)
    return check(spec, inputs, targets)


def spec_from_record(d: dict) -> Spec:
    return make_spec(
        d["layers"],
        d["activations"],
        d["loss"],
        d["learning_rate"],
        init=d.get("init", "xavier"),
        init_scale=d.get("init_scale", 0.1),
        seed=d.get("seed", 0),
        dataset=d.get("dataset"),
        optimizer=optimisers.check_optimiser(d.get("optimizer", "sgd")),
        test_split=stored_split(d.get("test_split", 0.0)),
        # the conventions: a network stored before they existed has the defaults
        **{k: d[k] for k in conventions.FIELDS if d.get(k) is not None and k != "batch_size"},
        features=d.get("features"),  # a network stored before features: x1, x2 or none
    )


def place_cursor(net: Network, d: dict, trace: Trace | None = None, checked: bool = False) -> None:
    """The iteration in progress: `trace` or the record's trace if there is one, else the
    steps replayed up to the cursor."""
    cursor = d["cursor"]
    if cursor["phase"] not in PHASES:
        raise SpecError("cursor.phase", f"is {cursor['phase']!r}; one of {', '.join(PHASES)}")
    if d.get("previous") is not None:
        net.previous = previous_from_dict(net.spec, d["previous"], checked)
    if trace is not None and len(trace.layers) == net.depth:
        net.trace = trace
        net.phase, net.layer = cursor["phase"], int(cursor["layer"])
    elif d.get("trace") is not None and d["trace"].get("layers"):
        net.trace = trace_from_dict(d["trace"])
        net.phase, net.layer = cursor["phase"], int(cursor["layer"])
    else:
        replay(net, cursor["phase"], int(cursor["layer"]))


def stored_split(fraction) -> float:
    if (
        isinstance(fraction, bool)
        or not isinstance(fraction, (int, float))
        or not (0 <= fraction < 1)
    ):
        raise SpecError("test_split", f"is {fraction!r}; a stored split is a fraction below 1")
    return float(fraction)


def previous_from_dict(spec: Spec, p: dict, checked: bool = False) -> Previous:
    pw, pb = parameters(spec, p["weights"], p["biases"], checked)
    name = optimisers.check_optimiser(p.get("optimizer", "sgd"))
    trained = [b if spec.trains_bias(l) else None for l, b in enumerate(pb, start=1)]
    state = optimisers.state_from_lists(name, p.get("optimizer_state"), pw, trained)
    return Previous(pw, pb, float(p["learning_rate"]), name, state)


def replay(net: Network, phase: str, layer: int) -> None:
    """Recompute the trace up to the cursor with the same steps that first made it."""
    if phase == "idle":
        return
    if phase == "updated":
        prev = net.previous
        if prev is None:
            raise SpecError("previous", "an updated network needs the parameters before the update")
        spec = replace(net.spec, learning_rate=prev.learning_rate, optimizer=prev.optimizer)
        scratch = Network(spec, prev.weights, prev.biases, net.inputs, net.targets)
        scratch.optimizer_state = prev.optimizer_state
        scratch.iteration = net.iteration - 1  # the same batch as the update used
        scratch.step()  # the same update again: its trace holds the update's details
        net.trace = scratch.trace
        net.phase, net.layer = "updated", 0
        return
    previous = net.previous
    while (net.phase, net.layer) != (phase, layer):
        if net.next_action == "forward":
            net._forward_one()
        elif net.next_action == "backward":
            net._backward_one()
        else:
            raise SpecError("cursor", f"{phase} layer {layer} cannot be reached")
        if net.phase == "backward" and phase == "forward":
            raise SpecError("cursor", f"{phase} layer {layer} cannot be reached")
    net.previous = previous

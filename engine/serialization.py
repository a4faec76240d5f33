"""The whole network state to and from plain JSON-able dicts, round-trip exact.

Floats travel as Python floats, whose repr (and so JSON) is exact, so every value comes
back bit-identical. ``to_dict(net, trace=False)`` leaves the trace out; ``from_dict`` then
rebuilds it by running the same steps again, which gives the same bits.
"""

from __future__ import annotations

import numpy as np

from .errors import SpecError
from .history import LossHistory
from .losses import is_simplified
from .network import Network, Previous
from .spec import Spec, check_data, check_parameters, make_spec
from .trace import LayerTrace, Trace

FORMAT = 1
PHASES = ("idle", "forward", "backward", "updated")


def _list(x):
    return None if x is None else x.tolist()


def trace_to_dict(trace: Trace) -> dict:
    return {
        "layers": [
            {
                "z": _list(lt.z), "a": _list(lt.a), "fprime": _list(lt.fprime),
                "grad_a": _list(lt.grad_a), "delta": _list(lt.delta),
                "grad_weights": _list(lt.grad_w), "grad_biases": _list(lt.grad_b),
            }
            for lt in trace.layers
        ],
        "losses": _list(trace.losses),
        "loss": trace.loss,
        "dloss_doutput": _list(trace.dloss_doutput),
        "learning_rate": trace.learning_rate,
    }


def _arr(x):
    return None if x is None else np.array(x, dtype=np.float64)


def trace_from_dict(d: dict) -> Trace:
    layers = [
        LayerTrace(_arr(e["z"]), _arr(e["a"]), _arr(e["fprime"]), _arr(e["grad_a"]),
                   _arr(e["delta"]), _arr(e["grad_weights"]), _arr(e["grad_biases"]))
        for e in d["layers"]
    ]
    return Trace(layers, _arr(d["losses"]), d["loss"], _arr(d["dloss_doutput"]),
                 d.get("learning_rate"))


def spec_to_dict(spec: Spec) -> dict:
    return {
        "layers": list(spec.layers), "activations": list(spec.activations), "loss": spec.loss,
        "learning_rate": spec.learning_rate, "init": spec.init, "init_scale": spec.init_scale,
        "seed": spec.seed, "dataset": spec.dataset,
    }


def to_dict(net: Network, trace: bool = True) -> dict:
    """Everything: spec fields, parameters, data, cursor, trace, iteration, loss history."""
    prev = net.previous
    out = {
        "format": FORMAT,
        **spec_to_dict(net.spec),
        "iteration": net.iteration,
        "weights": [w.tolist() for w in net.weights],
        "biases": [b.tolist() for b in net.biases],
        "inputs": net.inputs.tolist(),
        "targets": net.targets.tolist(),
        "initial_weights": [w.tolist() for w in net.initial[0]],
        "initial_biases": [b.tolist() for b in net.initial[1]],
        "previous": None if prev is None else {
            "weights": [w.tolist() for w in prev.weights],
            "biases": [b.tolist() for b in prev.biases],
            "learning_rate": prev.learning_rate,
        },
        "cursor": {"phase": net.phase, "layer": net.layer, "next": net.next_action},
        "loss_history": net.history.as_list(),
        "history": {"stride": net.history.stride, "points": [list(p) for p in net.history.points],
                    "last": None if net.history.last is None else list(net.history.last)},
    }
    if trace:
        out["trace"] = trace_to_dict(net.trace)
        out["trace"]["output_delta"] = (
            "simplified" if is_simplified(net.spec.activations[-1], net.spec.loss) else "chain_rule")
    return out


def from_dict(d: dict) -> Network:
    """Rebuild a Network from `to_dict` output (validated again; raises SpecError)."""
    if d.get("format") != FORMAT:
        raise SpecError("format", f"is {d.get('format')!r}; this engine reads format {FORMAT}")
    spec = make_spec(d["layers"], d["activations"], d["loss"], d["learning_rate"],
                     init=d.get("init", "xavier"), init_scale=d.get("init_scale", 0.1),
                     seed=d.get("seed", 0), dataset=d.get("dataset"))
    ws, bs = check_parameters(spec, d["weights"], d["biases"])
    x, y = check_data(spec, d["inputs"], d["targets"])
    initial = check_parameters(spec, d["initial_weights"], d["initial_biases"])
    net = Network(spec, ws, bs, x, y, initial=initial)
    net.iteration = int(d["iteration"])
    h = d.get("history") or {}
    net.history = LossHistory(int(h.get("stride", 1)), [tuple(p) for p in h.get("points", [])],
                              tuple(h["last"]) if h.get("last") else None)
    cursor = d["cursor"]
    if cursor["phase"] not in PHASES:
        raise SpecError("cursor.phase", f"is {cursor['phase']!r}; one of {', '.join(PHASES)}")
    if d.get("previous") is not None:
        p = d["previous"]
        pw, pb = check_parameters(spec, p["weights"], p["biases"])
        net.previous = Previous(pw, pb, float(p["learning_rate"]))
    if d.get("trace") is not None and d["trace"].get("layers"):
        net.trace = trace_from_dict(d["trace"])
        net.phase, net.layer = cursor["phase"], int(cursor["layer"])
    else:
        replay(net, cursor["phase"], int(cursor["layer"]))
    return net


def replay(net: Network, phase: str, layer: int) -> None:
    """Recompute the trace up to the cursor with the same steps that first made it."""
    if phase == "idle":
        return
    if phase == "updated":
        prev = net.previous
        if prev is None:
            raise SpecError("previous", "an updated network needs the parameters before the update")
        scratch = Network(net.spec, prev.weights, prev.biases, net.inputs, net.targets)
        scratch.spec = net.spec.__class__(**{**net.spec.__dict__, "learning_rate": prev.learning_rate})
        scratch.forward(all=True)
        scratch.backward(all=True)
        net.trace = scratch.trace
        net.trace.learning_rate = prev.learning_rate
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

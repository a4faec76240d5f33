"""Change a network's shape without starting over: neurons and hidden layers added or
removed, input features switched, activations changed.

Neurons keep their identity through a change: an input neuron is its feature (x1, x1^2 …;
its position for samples without features), hidden neuron j of hidden layer l stays neuron
j of hidden layer l, and output neuron j stays output neuron j. A layer grows or shrinks at
its end (neurons 1..n stay), and hidden layers come and go at the end of the hidden ones,
just before the output layer. A weight is kept exactly, bit for bit, when both the neurons
it joins stay and they are still in adjacent layers; so is its optimiser state (momentum's
v, Adam's m and v; Adam's step count t stays) and its initial value (Reset goes back to the
kept initial values). A bias is kept with its neuron. Every other weight is drawn from the
network's initialiser and seed, as `init_parameters` draws the whole new shape (the same
change gives the same numbers again), with zero moments; new biases start at zero.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .core.features import check_features
from .core.initialisers import init_parameters
from .core.optimisers import MOMENTS
from .core.runs import feature_text, shape
from .core.spec import Spec, check_activations, check_layers, make_spec
from .errors import SpecError

DEFAULT_HIDDEN_ACTIVATION = "tanh"  # of a first hidden layer added to a net without one


@dataclass
class Matching:
    """Which old neuron each new one is: per new layer l' the old layer (None: a new layer)
    and per neuron the old index (None: a new neuron), 0-based."""

    layers: list[int | None]  # new layer index 0..L' → old layer index 0..L, or None
    neurons: list[list[int | None]]  # new layer → neuron j' → old neuron j, or None

    def weight_source(self, l: int) -> tuple[int, int] | None:
        """(old source layer, old layer) of new W^l when both are old and adjacent."""
        src, dst = self.layers[l - 1], self.layers[l]
        if src is None or dst is None or src + 1 != dst:
            return None
        return src, dst


def input_keys(spec: Spec) -> list:
    """What identifies each input neuron: its feature, or its position."""
    return list(spec.features) if spec.features is not None else list(range(spec.layers[0]))


def match(old: Spec, new: Spec) -> Matching:
    """The old neuron of every new one (see the module docstring)."""
    old_keys, new_keys = input_keys(old), input_keys(new)
    inputs = [old_keys.index(k) if k in old_keys else None for k in new_keys]
    h_old = old.depth - 1  # hidden layers
    layers: list[int | None] = [0]
    neurons: list[list[int | None]] = [inputs]
    for l in range(1, new.depth + 1):
        o = old.depth if l == new.depth else (l if l <= h_old else None)
        layers.append(o)
        n_old = 0 if o is None else old.layers[o]
        neurons.append([j if j < n_old else None for j in range(new.layers[l])])
    return Matching(layers, neurons)


def carry(m: Matching, old_ws, old_bs, fill_ws, fill_bs) -> tuple[list, list]:
    """New W^l and b^l: the old entries where `m` keeps them, `fill_*` elsewhere. Arrays
    may be None (an untrained bias's moment): a None fill stays None."""
    ws: list = []
    bs: list = []
    for l in range(1, len(m.layers)):
        w = fill_ws[l - 1].copy()
        source = m.weight_source(l)
        if source is not None:
            rows, cols = m.neurons[l], m.neurons[l - 1]
            for j, oj in enumerate(rows):
                for k, ok in enumerate(cols):
                    if oj is not None and ok is not None:
                        w[j, k] = old_ws[source[1] - 1][oj, ok]
        ws.append(w)
        fb, o = fill_bs[l - 1], m.layers[l]
        if fb is None:
            bs.append(None)
            continue
        b = fb.copy()
        old_b = None if o is None else old_bs[o - 1]
        if old_b is not None:
            for j, oj in enumerate(m.neurons[l]):
                if oj is not None:
                    b[j] = old_b[oj]
        bs.append(b)
    return ws, bs


def counts(m: Matching, old: Spec, new: Spec) -> dict:
    """How many weights the change kept, drew afresh and dropped, and the words for it."""
    new_w = sum(a * b for a, b in zip(new.layers[:-1], new.layers[1:]))
    old_w = sum(a * b for a, b in zip(old.layers[:-1], old.layers[1:]))
    kept = 0
    for l in range(1, new.depth + 1):
        if m.weight_source(l) is not None:
            kept += sum(j is not None for j in m.neurons[l]) * sum(
                k is not None for k in m.neurons[l - 1]
            )
    return {"kept": kept, "drawn": new_w - kept, "dropped": old_w - kept}


def describe(old: Spec, new: Spec, tally: dict) -> str:
    """'layers 2–4–1 → 2–5–1: kept 12 weights exactly, drew 3 (xavier, seed 1), dropped 0;
    new biases start at 0'."""
    parts = []
    if old.features != new.features and new.features is not None:
        parts.append(f"features {feature_text(new.features)}")
    if old.layers != new.layers:
        parts.append(f"layers {shape(old.layers)} → {shape(new.layers)}")
    if old.activations != new.activations and len(old.activations) == len(new.activations):
        changed = [
            f"layer {l} {a} → {b}"
            for l, (a, b) in enumerate(zip(old.activations, new.activations), start=1)
            if a != b
        ]
        parts.append(", ".join(changed))
    what = "; ".join(parts) or "the same network"
    if not changes_shape(old, new):
        return f"{what}: every weight and bias kept"
    source = f"{new.init}, seed {new.seed}"
    return (
        f"{what}: kept {tally['kept']} weight{plural(tally['kept'])} exactly, drew "
        f"{tally['drawn']} from the initialiser ({source}), dropped {tally['dropped']}; "
        "the biases of the neurons that stay are kept, new ones start at 0"
    )


def plural(n: int) -> str:
    return "" if n == 1 else "s"


def new_activations(old: Spec, layers: tuple[int, ...], given) -> list[str]:
    """The activations for new `layers`: as given, else the old layers' own, new hidden
    layers taking the last old hidden layer's (tanh with none), the output's kept."""
    if given is not None:
        return list(given)
    depth = len(layers) - 1
    hidden = list(old.activations[:-1])
    fill = hidden[-1] if hidden else DEFAULT_HIDDEN_ACTIVATION
    return [hidden[l] if l < len(hidden) else fill for l in range(depth - 1)] + [
        old.activations[-1]
    ]


def new_bias(old: Spec, depth: int) -> tuple[str, ...]:
    """Bias modes for `depth` layers: the kept layers' own, new hidden layers the last old
    hidden layer's (the output's with none), the output's kept."""
    hidden = list(old.bias[:-1])
    fill = hidden[-1] if hidden else old.bias[-1]
    return (*[hidden[l] if l < len(hidden) else fill for l in range(depth - 1)], old.bias[-1])


def checked_layers(old: Spec, layers, n_inputs: int) -> tuple[int, ...]:
    """New layers: within the limits, the input layer one neuron per input (feature) and
    the output layer one per target, as now."""
    if layers is None:
        return (n_inputs, *old.layers[1:])
    layers = check_layers(layers)
    if layers[0] != n_inputs:
        what = "feature" if old.features is not None else "input"
        raise SpecError(
            "layers[0]",
            f"is {layers[0]}; the input layer has one neuron per {what} ({n_inputs})"
            + ("; switch features on or off to change it" if old.features is not None else ""),
        )
    if layers[-1] != old.layers[-1]:
        raise SpecError(
            f"layers[{len(layers) - 1}]",
            f"is {layers[-1]}; the output layer has one neuron per target "
            f"({old.layers[-1]}), which the samples fix",
        )
    return layers


def reshaped_spec(old: Spec, layers=None, activations=None, features=None, loss=None) -> Spec:
    """The spec after a change of layers, activations and / or features (checked; `loss`,
    the loss the network will have, checks the output activation against it)."""
    chosen = old.features
    if features is not None:
        if old.features is None:
            raise SpecError(
                "features",
                f"this network's samples have {old.raw_inputs} input"
                f"{plural(old.raw_inputs)}; features are computed from two (x₁, x₂)",
            )
        chosen = check_features(features)
    n_inputs = len(chosen) if chosen is not None else old.layers[0]
    new_layers = checked_layers(old, layers, n_inputs)
    if activations is not None:
        check_activations(activations, len(new_layers) - 1, loss or old.loss)
    acts = new_activations(old, new_layers, activations)
    spec = replace(old, layers=new_layers, activations=tuple(acts), features=chosen)
    spec = replace(spec, bias=new_bias(old, spec.depth))
    make_spec(  # every check of a new spec (softmax width, the loss with the output, …)
        spec.layers,
        list(spec.activations),
        loss or spec.loss,
        spec.learning_rate,
        bias=list(spec.bias),
        features=chosen,
    )
    return spec


def changes_shape(old: Spec, new: Spec) -> bool:
    return old.layers != new.layers or old.features != new.features


def reshape(net, spec: Spec) -> dict:
    """Give `net` the shape of `spec` (reshaped_spec), keeping what stays (module
    docstring): parameters, initial parameters and optimiser state. Returns {"kept",
    "drawn", "dropped", "message"}. Changes nothing else (the caller clears the
    iteration)."""
    old = net.spec
    m = match(old, spec)
    fresh_w, fresh_b = init_parameters(spec.layers, spec.init, spec.init_scale, spec.seed)
    net.weights, net.biases = carry(m, net.weights, net.biases, fresh_w, fresh_b)
    net.initial = carry(m, net.initial[0], net.initial[1], fresh_w, fresh_b)
    state = net.optimizer_state
    net.spec = spec
    moved = dict(state)
    for key in MOMENTS[old.optimizer]:  # the state's own rule (a new one starts afresh)
        zeros_w = [np.zeros_like(w) for w in net.weights]
        zeros_b = [np.zeros_like(b) if t else None for b, t in zip(net.biases, spec.trained_bias)]
        old_ws, old_bs = state[key][: old.depth], state[key][old.depth :]
        ws, bs = carry(m, old_ws, old_bs, zeros_w, zeros_b)
        moved[key] = ws + bs
    net.optimizer_state = moved
    tally = counts(m, old, spec)
    return {**tally, "message": describe(old, spec, tally)}

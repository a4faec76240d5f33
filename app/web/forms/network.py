"""The network card's and the diagram's changes of shape, as the page sends them (a
`change` and its fields) → the edit the service applies (PATCH's layers, activations,
features, seed, init). What cannot be done is refused here with what to do instead."""

from __future__ import annotations

import math

from app.errors import Invalid
from app.views.model import NetworkModel
from engine import limits
from engine.core.activations import ACTIVATIONS
from engine.core.features import FEATURES, canonical
from engine.core.initialisers import INITS

CHANGES = (
    "add-neuron",
    "remove-neuron",
    "add-layer",
    "remove-layer",
    "features",
    "activations",
    "new-seed",
    "init",
)


def hidden_layer(net: NetworkModel, text) -> int:
    """The hidden layer l (1..L-1) a button names."""
    try:
        l = int(str(text))
    except (TypeError, ValueError):
        l = 0
    if not 1 <= l < net.L:
        raise Invalid(f"layer: {text!r} is not a hidden layer of this network", field="layer")
    return l


def neurons(net: NetworkModel, layer, step: int) -> dict:
    l = hidden_layer(net, layer)
    layers = list(net.layers)
    layers[l] += step
    if layers[l] < limits.MIN_NEURONS:
        raise Invalid(
            f"Layer {l} has one neuron left: a layer needs at least one. Remove the layer "
            "instead (− layer).",
            field="layers",
        )
    if layers[l] > limits.MAX_NEURONS:
        raise Invalid(
            f"Layer {l} has {limits.MAX_NEURONS} neurons, the most a layer may have.",
            field="layers",
        )
    return {"layers": layers}


def hidden_layers(net: NetworkModel, step: int) -> dict:
    layers = list(net.layers)
    if step > 0:
        if len(layers) >= limits.MAX_LAYERS:
            raise Invalid(
                f"This network has {limits.MAX_LAYERS} layers, the most it may have.",
                field="layers",
            )
        layers.insert(-1, layers[-2] if net.L > 1 else 2)
    else:
        if net.L < 2:
            raise Invalid("This network has no hidden layer to remove.", field="layers")
        del layers[-2]
    return {"layers": layers}


def features(net: NetworkModel, form) -> dict:
    chosen = [str(f) for f in form.getlist("feature")]
    unknown = [f for f in chosen if f not in FEATURES]
    if unknown:
        raise Invalid(f"features: {unknown[0]!r} is not a feature", field="features")
    if not chosen:
        raise Invalid(
            "Choose at least one input feature: the input layer needs a neuron.",
            field="features",
        )
    return {"features": canonical(chosen)}


def activations(net: NetworkModel, form) -> dict:
    """act1 … actL: one activation per layer after the input."""
    acts = [str(form.get(f"act{l}", net.activations[l - 1])) for l in range(1, net.L + 1)]
    bad = next((l for l, a in enumerate(acts, start=1) if a not in ACTIVATIONS), None)
    if bad is not None:
        raise Invalid(
            f"Activation of layer {bad}: choose one of {', '.join(ACTIVATIONS)}.",
            field="activations",
        )
    return {"activations": acts}


def initialisation(net: NetworkModel, form) -> dict:
    """init, its scale and the seed: new initial parameters (a new run)."""
    name = str(form.get("init", net.init))
    if name not in INITS:
        raise Invalid(f"Initialisation: choose one of {', '.join(INITS)}.", field="init")
    text = str(form.get("seed", net.seed)).strip()
    if not text.isdigit() or int(text) > limits.MAX_SEED:
        raise Invalid(
            f"Seed: '{text[:20]}' is not a whole number from 0 to {limits.MAX_SEED}.",
            field="seed",
        )
    scale = str(form.get("init_scale", net.init_scale)).strip().replace(",", ".")
    try:
        value = float(scale)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= limits.MAX_INIT_SCALE):
        raise Invalid(
            f"Scale: '{scale[:20]}' is not a number above 0 and at most {limits.MAX_INIT_SCALE:g}.",
            field="init_scale",
        )
    return {"init": name, "seed": int(text), "init_scale": value}


def shape_edit(net: NetworkModel, form) -> dict:
    """The service edit that the form's `change` asks for ('add-neuron:2': a neuron more
    in hidden layer 2; the layer may come as its own field too)."""
    change, _, layer = str(form.get("change", "")).partition(":")
    if change not in CHANGES:
        raise Invalid(f"change: {change[:30]!r} is not one of {', '.join(CHANGES)}")
    if change in ("add-neuron", "remove-neuron"):
        return neurons(net, layer or form.get("layer"), 1 if change == "add-neuron" else -1)
    if change in ("add-layer", "remove-layer"):
        return hidden_layers(net, 1 if change == "add-layer" else -1)
    if change == "new-seed":
        return {"seed": (net.seed + 1) % (limits.MAX_SEED + 1)}
    if change == "features":
        return features(net, form)
    if change == "activations":
        return activations(net, form)
    return initialisation(net, form)

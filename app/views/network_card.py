"""The training view's network card: the input features (samples in the plane), each
layer's activation, the initialisation and its seed, as the forms show them."""

from __future__ import annotations

from app.views.model import NetworkModel
from engine.core.activations import ACTIVATIONS
from engine.core.features import FEATURES
from engine.core.initialisers import INITS


def network_card(net: NetworkModel) -> dict:
    on = set(net.features or ())
    features = (
        [{"name": f.name, "text": f.text, "on": f.name in on} for f in FEATURES.values()]
        if net.features is not None
        else None
    )
    layers = [
        {"l": l, "name": net.activations[l - 1], "output": l == net.L} for l in range(1, net.L + 1)
    ]
    hidden = [a for a in ACTIVATIONS if a != "softmax"]
    return {
        "features": features,
        "layers": layers,
        "hidden_choices": hidden,
        "output_choices": list(ACTIVATIONS),
        "inits": list(INITS),
        "init": net.init,
        "init_scale": f"{net.init_scale:g}",
        "seed": net.seed,
    }

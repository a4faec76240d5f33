"""Gradient check: central finite differences against backprop, for every weight and bias.

    ∂L/∂θ ≈ (L(θ + h) − L(θ − h)) / 2h

The relative error of one parameter is |g_bp − g_fd| / max(|g_bp| + |g_fd|, FLOOR), so
that gradients that are both near zero count as agreeing.
"""

from __future__ import annotations

import numpy as np

from . import passes

H = 1e-6
FLOOR = 1e-8


def batch_loss(spec, weights, biases, x, y, start: int = 1, a_start=None) -> float:
    """L = mean ℓ_i, running the forward pass from layer `start` (with a^{start-1} given)."""
    a = x if start == 1 else a_start
    z = None
    for l in range(start, spec.depth + 1):
        z, a = passes.forward_layer(weights[l - 1], biases[l - 1], a, spec.activations[l - 1])
    return float(passes.output_loss(spec.activations[-1], spec.loss, z, a, y)[0].mean())


def backprop(spec, weights, biases, x, y):
    """Return ([∂L/∂W^l], [∂L/∂b^l], [a^0 … a^{L-1}]) by one forward and backward pass."""
    acts, zs = [x], []
    for l in range(1, spec.depth + 1):
        z, a = passes.forward_layer(weights[l - 1], biases[l - 1], acts[-1], spec.activations[l - 1])
        zs.append(z)
        acts.append(a)
    _, dl_dy = passes.output_loss(spec.activations[-1], spec.loss, zs[-1], acts[-1], y)
    _, delta = passes.output_delta(spec.activations[-1], spec.loss, zs[-1], acts[-1], y, dl_dy)
    gw, gb = [None] * spec.depth, [None] * spec.depth
    for l in range(spec.depth, 0, -1):
        gw[l - 1], gb[l - 1] = passes.parameter_gradients(delta, acts[l - 1])
        if l > 1:
            _, _, delta = passes.hidden_delta(spec.activations[l - 2], zs[l - 2], acts[l - 1],
                                              weights[l - 1], delta)
    return gw, gb, acts[:-1]


def relative_error(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), FLOOR)


def numeric_gradient(spec, weights, biases, x, y, l: int, a_prev, which: str) -> np.ndarray:
    """Central differences for every entry of W^l (which='w') or b^l (which='b')."""
    params = [p.copy() for p in (weights if which == "w" else biases)]
    target = params[l - 1]
    grad = np.zeros_like(target)
    for idx in np.ndindex(*target.shape):
        keep = target[idx]
        losses = []
        for sign in (1.0, -1.0):
            target[idx] = keep + sign * H
            w, b = (params, biases) if which == "w" else (weights, params)
            losses.append(batch_loss(spec, w, b, x, y, l, a_prev))
        target[idx] = keep
        grad[idx] = (losses[0] - losses[1]) / (2 * H)
    return grad


def gradcheck(net) -> dict:
    """Per layer l = 1..L: the largest relative error for W^l and b^l, and overall."""
    spec, x, y = net.spec, net.inputs, net.targets
    with np.errstate(all="ignore"):
        gw, gb, acts = backprop(spec, net.weights, net.biases, x, y)
        layers = []
        for l in range(1, spec.depth + 1):
            nw = numeric_gradient(spec, net.weights, net.biases, x, y, l, acts[l - 1], "w")
            nb = numeric_gradient(spec, net.weights, net.biases, x, y, l, acts[l - 1], "b")
            ew = float(relative_error(gw[l - 1], nw).max())
            eb = float(relative_error(gb[l - 1], nb).max())
            layers.append({"layer": l, "weights": ew, "biases": eb, "max": max(ew, eb)})
    worst = max(e["max"] for e in layers)
    return {"step": H, "layers": layers, "max": worst}

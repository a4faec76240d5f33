"""What the network computes over its input space, for the decision-boundary picture.

For a network with 2 inputs: every layer's activations over a grid on the input plane
(the output gives the heatmap, each hidden neuron its own thumbnail). For 1 input: the
output along a line (the fitted curve). Nothing here changes the network."""

from __future__ import annotations

import numpy as np

from ..core import passes

PAD = 0.1  # the grid reaches this fraction of the data's span beyond the data
MIN_RESOLUTION, DEFAULT_RESOLUTION, MAX_RESOLUTION = 2, 48, 128  # grid points per axis


def input_bounds(x: np.ndarray) -> list[tuple[float, float]]:
    """[(low, high)] per input column, padded; (m, n) → n pairs."""
    low, high = x.min(axis=0), x.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    return [(float(lo - PAD * s), float(hi + PAD * s)) for lo, hi, s in zip(low, high, span)]


def all_inputs(net) -> np.ndarray:
    """Training and test samples together, (m + k, n): the grid covers both (the samples'
    own plane or line, whatever features the input layer computes from them)."""
    return np.concatenate([net.inputs, net.test_inputs])


def activations_over(net, points: np.ndarray) -> list[np.ndarray]:
    """a^1 … a^L for every point (samples, (p, n): a⁰ = φ(point)), each (p, N_l), with the
    current parameters."""
    a, out = net.input_layer(points), []
    with np.errstate(all="ignore"):
        for l in range(1, net.depth + 1):
            _, a = passes.forward_layer(
                net.weights[l - 1], net.biases[l - 1], a, net.spec.activations[l - 1]
            )
            out.append(a)
    return out


def plane(net, resolution: int = DEFAULT_RESOLUTION) -> dict:
    """For samples in the plane: {"x": [..], "y": [..], "layers": [a^l as (res, res, N_l)
    lists], "features": a⁰ as (res, res, N_0)}. Row r of each grid is y[r], column c is x[c]."""
    if net.spec.raw_inputs != 2:
        raise ValueError("plane needs samples with exactly 2 inputs")
    (x0, x1), (y0, y1) = input_bounds(all_inputs(net))
    xs, ys = np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
    gx, gy = np.meshgrid(xs, ys)
    points = np.stack([gx.ravel(), gy.ravel()], axis=1)
    layers = [a.reshape(resolution, resolution, -1) for a in activations_over(net, points)]
    a0 = net.input_layer(points).reshape(resolution, resolution, -1)
    return {"x": xs, "y": ys, "layers": layers, "features": a0}


def curve(net, resolution: int = DEFAULT_RESOLUTION) -> dict:
    """For 1 input: {"x": (res,), "layers": [a^l as (res, N_l)]} along the data's range."""
    if net.spec.raw_inputs != 1:
        raise ValueError("curve needs samples with exactly 1 input")
    ((x0, x1),) = input_bounds(all_inputs(net))
    xs = np.linspace(x0, x1, resolution)
    return {"x": xs, "layers": activations_over(net, xs[:, None])}

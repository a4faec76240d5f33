"""Gradient check: central finite differences against backprop, for every weight and bias.

    ∂L/∂θ ≈ (L(θ + h) − L(θ − h)) / 2h

Perturbing w^l_{jk} by ±h moves only column j of z^l, by ±h a^{l-1}_k (b^l_j: by ±h), so
each perturbed z^l is the unperturbed z^l with one column shifted. A batch of perturbed z^l
runs through layers l..L at once, with a leading batch axis.

The relative error of one parameter is |g_bp − g_fd| / max(|g_bp| + |g_fd|, floor). A
central difference with h = 1e-5 is accurate to about ε·max(1, L)/h ≈ 1e-11·max(1, L)
(rounding of L, divided by h; the h² truncation is smaller), so a relative error says
nothing about gradients near that size. Gradients below floor = FLOOR·max(1, L) are
therefore compared in absolute terms against the floor: agreement to the resolution of the
differences reads as about 1e-6 or less, while a real error in a tiny gradient still shows
(an absolute error of 1e-8 reads as 1e-4). Each layer also reports its largest absolute
difference and its largest |gradient|, so a layer whose gradients all vanish is visible.
"""

from __future__ import annotations

import numpy as np

from ..core import passes
from ..core.activations import ACTIVATIONS
from ..core.losses import sample_losses

H = 1e-5
FLOOR = 1e-4  # per unit of max(1, L)
CHUNK_VALUES = 1 << 17  # perturbed activations kept at once: batch × samples × neurons


def backprop(spec, weights, biases, x, y):
    """Return ([∂L/∂W^l], [∂L/∂b^l], [a^0 … a^{L-1}], [z^1 … z^L], L) by one forward and
    backward pass, with the same passes as the step machine."""
    acts, zs = [x], []
    for l in range(1, spec.depth + 1):
        z, a = passes.forward_layer(
            weights[l - 1], biases[l - 1], acts[-1], spec.activations[l - 1]
        )
        zs.append(z)
        acts.append(a)
    losses, dl_dy = passes.output_loss(spec.activations[-1], spec.loss, zs[-1], acts[-1], y)
    _, delta = passes.output_delta(spec.activations[-1], spec.loss, zs[-1], acts[-1], y, dl_dy)
    gw, gb = [None] * spec.depth, [None] * spec.depth
    for l in range(spec.depth, 0, -1):
        gw[l - 1], gb[l - 1] = passes.parameter_gradients(delta, acts[l - 1])
        if l > 1:
            _, _, delta = passes.hidden_delta(
                spec.activations[l - 2], zs[l - 2], acts[l - 1], weights[l - 1], delta
            )
    return gw, gb, acts[:-1], zs, float(losses.mean())


def losses_from(spec, weights, biases, y, l: int, z: np.ndarray) -> np.ndarray:
    """Batch losses L for a batch of z^l, (B, m, N_l) → (B,), running layers l..L."""
    acts = spec.activations
    a = ACTIVATIONS[acts[l - 1]].f(z)
    for k in range(l + 1, spec.depth + 1):
        z = np.matmul(a, weights[k - 1].T) + biases[k - 1]
        a = ACTIVATIONS[acts[k - 1]].f(z)
    return sample_losses(acts[-1], spec.loss, z, a, y).mean(axis=-1)


def numeric_gradients(spec, weights, biases, y, l: int, a_prev, z):
    """Central differences for all of W^l (N_l, N_{l-1}) and b^l (N_l,), from a^{l-1}
    (m, N_{l-1}) and the unperturbed z^l (m, N_l)."""
    m, n_out = z.shape
    n_in = a_prev.shape[1]
    factor = np.hstack([a_prev, np.ones((m, 1))])  # what w_jk (k < n_in) and b_j multiply
    j, k = np.divmod(np.arange(n_out * (n_in + 1)), n_in + 1)  # parameter p is (j, k)
    count = len(j)
    per_chunk = max(1, CHUNK_VALUES // (2 * m * max(spec.layers[l:])))
    loss = np.empty((2, count))
    for start in range(0, count, per_chunk):
        p = np.arange(start, min(count, start + per_chunk))
        shift = H * factor[:, k[p]].T  # (B, m): how column j[p] of z^l moves
        for side, sign in enumerate((1.0, -1.0)):
            zp = np.repeat(z[None], len(p), axis=0)
            zp[np.arange(len(p)), :, j[p]] += sign * shift
            loss[side, p] = losses_from(spec, weights, biases, y, l, zp)
    grad = ((loss[0] - loss[1]) / (2 * H)).reshape(n_out, n_in + 1)
    return grad[:, :-1], grad[:, -1]


def relative_error(a: np.ndarray, b: np.ndarray, floor: float) -> np.ndarray:
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)


def gradcheck(net) -> dict:
    """Per layer l = 1..L: the largest relative error for W^l and b^l (see the module
    docstring), the largest absolute difference and the largest |∂L/∂θ|; and overall."""
    spec, x, y = net.spec, net.inputs, net.targets
    with np.errstate(all="ignore"):
        gw, gb, acts, zs, loss = backprop(spec, net.weights, net.biases, x, y)
        floor = FLOOR * max(1.0, abs(loss)) if np.isfinite(loss) else FLOOR
        layers = []
        for l in range(1, spec.depth + 1):
            nw, nb = numeric_gradients(spec, net.weights, net.biases, y, l, acts[l - 1], zs[l - 1])
            ew = float(relative_error(gw[l - 1], nw, floor).max())
            eb = float(relative_error(gb[l - 1], nb, floor).max())
            absolute = max(float(np.abs(gw[l - 1] - nw).max()), float(np.abs(gb[l - 1] - nb).max()))
            largest = max(float(np.abs(gw[l - 1]).max()), float(np.abs(gb[l - 1]).max()))
            layers.append(
                {
                    "layer": l,
                    "weights": ew,
                    "biases": eb,
                    "max": max(ew, eb),
                    "absolute": absolute,
                    "largest_gradient": largest,
                }
            )
    worst = max(e["max"] for e in layers)
    return {"step": H, "floor": floor, "layers": layers, "max": worst}

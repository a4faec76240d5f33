"""Gradient check: central finite differences against backprop, for every weight and bias,
and for the inputs.

    ∂L/∂θ ≈ (L(θ + h) − L(θ − h)) / 2h

L is the loss of the current iteration's batch (all samples unless the network trains in
mini-batches), reduced as the network reduces it (mean or sum), plus the regularisation
penalty Ω. Ω is a sum of one term per weight, so perturbing w^l_{jk} moves it by
ω(w + h) − ω(w − h), computed from the same terms as Ω itself. Biases of layers without a
bias term are not parameters and are not checked (null). The inputs: ∂ℓ_i/∂x_i, sample by
sample (each sample's loss depends on its own x only, so one input column is perturbed
for every sample at once).

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
from ..core.penalties import penalty, penalty_gradient, penalty_terms

H = 1e-5
FLOOR = 1e-4  # per unit of max(1, L)
CHUNK_VALUES = 1 << 17  # perturbed activations kept at once: batch × samples × neurons


def backprop(spec, weights, biases, x, y):
    """Return ([∂L/∂W^l], [∂L/∂b^l or None without a bias], [a^0 … a^{L-1}], [z^1 … z^L],
    L, [∂ℓ_i/∂x_i] (m, N_0)) by one forward and backward pass, with the same passes as the
    step machine (the penalty's part included in ∂L/∂W^l; L is the data loss)."""
    bs = [b if spec.has_bias(l) else None for l, b in enumerate(biases, start=1)]
    acts, zs = [x], []
    for l in range(1, spec.depth + 1):
        z, a = passes.forward_layer(weights[l - 1], bs[l - 1], acts[-1], spec.activations[l - 1])
        zs.append(z)
        acts.append(a)
    losses, dl_dy = passes.output_loss(spec.activations[-1], spec.loss, zs[-1], acts[-1], y)
    _, delta = passes.output_delta(spec.activations[-1], spec.loss, zs[-1], acts[-1], y, dl_dy)
    gw, gb = [None] * spec.depth, [None] * spec.depth
    for l in range(spec.depth, 0, -1):
        gw[l - 1], gb[l - 1] = passes.parameter_gradients(
            delta, acts[l - 1], spec.reduction, spec.has_bias(l)
        )
        extra = penalty_gradient(spec.regularization, spec.regularization_rate, weights[l - 1])
        if extra is not None:
            gw[l - 1] = gw[l - 1] + extra
        if l > 1:
            _, _, delta = passes.hidden_delta(
                spec.activations[l - 2], zs[l - 2], acts[l - 1], weights[l - 1], delta
            )
    dx = passes.input_gradient(delta, weights[0])
    data_loss = float(losses.mean() if spec.reduction == "mean" else losses.sum())
    return gw, gb, acts[:-1], zs, data_loss, dx


def sample_losses_from(spec, weights, biases, y, l: int, z: np.ndarray) -> np.ndarray:
    """ℓ_i for a batch of z^l, (B, m, N_l) → (B, m), running layers l..L."""
    acts = spec.activations
    a = ACTIVATIONS[acts[l - 1]].f(z)
    for k in range(l + 1, spec.depth + 1):
        z = np.matmul(a, weights[k - 1].T)
        if spec.has_bias(k):
            z = z + biases[k - 1]
        a = ACTIVATIONS[acts[k - 1]].f(z)
    return sample_losses(acts[-1], spec.loss, z, a, y)


def losses_from(spec, weights, biases, y, l: int, z: np.ndarray) -> np.ndarray:
    """Data losses L for a batch of z^l, (B, m, N_l) → (B,), reduced as the spec says."""
    per = sample_losses_from(spec, weights, biases, y, l, z)
    return per.mean(axis=-1) if spec.reduction == "mean" else per.sum(axis=-1)


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
    w = weights[l - 1]
    terms = (spec.regularization, spec.regularization_rate)
    grad_penalty = (penalty_terms(*terms, w + H) - penalty_terms(*terms, w - H)) / (2 * H)
    return grad[:, :-1] + grad_penalty, grad[:, -1]


def numeric_input_gradient(spec, weights, biases, x, y) -> np.ndarray:
    """Central differences of ℓ_i with respect to x_i, (m, N_0): input column k moved by
    ±h for every sample at once."""
    n_in = x.shape[1]
    zp = np.empty((2 * n_in, *x.shape))
    for k in range(n_in):
        for side, sign in enumerate((1.0, -1.0)):
            xk = x.copy()
            xk[:, k] += sign * H
            zp[2 * k + side] = xk
    # run the perturbed inputs from layer 1: z^1 = x W¹ᵀ (+ b¹)
    z1 = np.matmul(zp, weights[0].T) + (biases[0] if spec.has_bias(1) else 0.0)
    per = sample_losses_from(spec, weights, biases, y, 1, z1)  # (2 N_0, m)
    return ((per[0::2] - per[1::2]) / (2 * H)).T


def relative_error(a: np.ndarray, b: np.ndarray, floor: float) -> np.ndarray:
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)


def compare(backprop_grad: np.ndarray, numeric: np.ndarray, floor: float) -> tuple:
    """(largest relative error, largest absolute difference, largest |gradient|)."""
    return (
        float(relative_error(backprop_grad, numeric, floor).max()),
        float(np.abs(backprop_grad - numeric).max()),
        float(np.abs(backprop_grad).max()),
    )


def gradcheck(net) -> dict:
    """Per layer l = 1..L: the largest relative error for W^l and b^l (see the module
    docstring; biases null for a layer without them), the largest absolute difference and
    the largest |∂L/∂θ|; the same for the input gradient ∂ℓ_i/∂x_i ("inputs"); and the
    largest error overall. Over the current iteration's batch."""
    spec = net.spec
    x, y = net.a0, net.targets  # the input layer's values: φ(x) with features
    batch = net.batch_position()[1]
    if len(batch) < len(x):
        x, y = x[batch], y[batch]
    with np.errstate(all="ignore"):
        gw, gb, acts, zs, loss, dx = backprop(spec, net.weights, net.biases, x, y)
        loss += penalty(spec.regularization, spec.regularization_rate, net.weights)
        floor = FLOOR * max(1.0, abs(loss)) if np.isfinite(loss) else FLOOR
        layers = []
        for l in range(1, spec.depth + 1):
            nw, nb = numeric_gradients(spec, net.weights, net.biases, y, l, acts[l - 1], zs[l - 1])
            ew, absolute, largest = compare(gw[l - 1], nw, floor)
            eb = None
            if gb[l - 1] is not None:
                eb, abs_b, largest_b = compare(gb[l - 1], nb, floor)
                absolute, largest = max(absolute, abs_b), max(largest, largest_b)
            layers.append(
                {
                    "layer": l,
                    "weights": ew,
                    "biases": eb,
                    "max": ew if eb is None else max(ew, eb),
                    "absolute": absolute,
                    "largest_gradient": largest,
                }
            )
        nx = numeric_input_gradient(spec, net.weights, net.biases, x, y)
        ex, abs_x, largest_x = compare(dx, nx, floor)
    inputs = {"error": ex, "absolute": abs_x, "largest_gradient": largest_x}
    worst = max(ex, *(e["max"] for e in layers))
    return {"step": H, "floor": floor, "layers": layers, "inputs": inputs, "max": worst}

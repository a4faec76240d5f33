"""The fast path's buffers for one network, and one iteration at a time on them.

The same maths as the step machine, laid out for speed: samples as columns (feature-major,
like the article's code), each W^l and b^l joined as one matrix Θ^l = [W^l | b^l] against
activations that carry a row of ones, buffers allocated once and written in place, and
η/m (and the loss's factor c in ∂ℓ/∂ŷ = c (ŷ − y)) folded into δ^L so that every δ below
it is already scaled. A layer without a bias keeps Θ^l = W^l and meets its input without
the row of ones; a frozen bias stays in Θ^l, its gradient held at zero (layout.py).

Products whose operands are C- or F-contiguous use np.dot, which for them gives exactly
np.matmul's bits (one BLAS call either way; tests/engine/test_fast_path.py checks it) at
less overhead per call; (W^l)ᵀ, a strided view of Θ^l, goes through np.matmul, as dot's
bits differ from matmul's for it when a batch has one sample.

With mini-batches (batches.py) the batches of several epochs are gathered at once into
contiguous arrays; every batch size has its own buffers (at most two: b, and what the last
batch of an epoch holds). The regularisation penalty adds λ W^l (or λ sign(W^l)) to the
W^l part of the gradient before the update, and its value Ω to the iteration's loss.
"""

from __future__ import annotations

import numpy as np

from ..core import measures
from ..core.activations import ACTIVATIONS
from ..core.batches import EPOCHS_PER_DRAW, Schedule
from ..core.losses import FROM_LOGITS, LOSSES
from ..core.optimisers import MOMENTS, adam_into, momentum_into
from ..core.passes import batch_loss
from ..core.penalties import is_active, penalty
from ..core.records import measure
from .kernels import ACTIVATE, DELTA
from .layout import Layout

CHUNK_VALUES = 1 << 16  # logits kept per chunk: iterations × samples × outputs


class Buffers:
    """What one iteration over w samples writes: A^l (N_l + 1, w) with a last row of ones for
    l < L (A[0] is the batch's input, set per batch), A^L, Z^l, D^l (δ), T^l (scratch),
    GA^l (∂ℓ/∂a^l of hidden layers); the input each layer multiplies by (with the row of
    ones where the layer has a bias); and per layer the operands and output of its gradient
    product, `grad`: δ (input)ᵀ into Θ^l's gradient block, or for a frozen bias
    (input without the ones) δᵀ into the block of (W^l)ᵀ (layout.py)."""

    def __init__(self, sizes, w: int, modes, targets, scale: float):
        self.w, self.scale, self.modes, self.targets = w, scale, modes, targets
        self.A = [np.ones((n + 1, w)) for n in sizes[:-1]] + [np.empty((sizes[-1], w))]
        self.a = [A[:-1] for A in self.A[:-1]] + [self.A[-1]]  # views without the ones
        self.Z = [np.empty((n, w)) for n in sizes[1:]]
        self.D = [np.empty((n, w)) for n in sizes[1:]]
        self.T = [np.empty((n, w)) for n in sizes[1:]]
        self.GA = [np.empty((n, w)) for n in sizes[1:-1]]
        # [0] of `inputs` and `grad` are replaced by each batch's own for mini-batches
        self.inputs = [A if mode != "none" else A[:-1] for A, mode in zip(self.A, modes)]
        self.grad = [self.grad_operands(l, self.A[l]) for l in range(len(modes))]

    def grad_operands(self, l: int, A: np.ndarray) -> tuple:
        """(left, right, out) of layer l's gradient product, for its input A (with ones)."""
        if self.modes[l] == "frozen":
            return A[:-1], self.D[l].T, self.targets[l]
        return self.D[l], (A if self.modes[l] == "trained" else A[:-1]).T, self.targets[l]


class Runner:
    """The fast path for one network: Θ, optimiser moments and buffers, and `iterate`.

    Every Θ^l lives in one flat array (so do the gradients and the optimiser's moments;
    layout.py), so that the update, elementwise, is one operation for all layers; it runs
    once the backward pass has used every W^l."""

    def __init__(self, net, iterations: int):
        """Ready to run `iterations` iterations of `net` from its current one."""
        spec = net.spec
        self.end = net.iteration + iterations  # mini-batches are gathered up to here
        self.acts, self.loss, self.depth = spec.activations, spec.loss, spec.depth
        self.reduction = spec.reduction
        L = self.depth
        self.modes = [spec.bias_mode(l) for l in range(1, L + 1)]
        self.layout = Layout([w.shape for w in net.weights], self.modes)
        self.flat = self.layout.pack(net.weights, net.biases)
        self.theta = self.layout.theta(self.flat)
        self.W = self.layout.weights(self.flat)
        self.W_T = [w.T for w in self.W]  # live views of (W^l)ᵀ
        self.g_flat = np.zeros(self.layout.size)
        self.Gw = self.layout.weights(self.g_flat)  # the W^l parts of the gradient
        self.optimizer, self.eta = spec.optimizer, spec.learning_rate
        self.sgd, self.adam = self.optimizer == "sgd", self.optimizer == "adam"
        self.simplified = (self.acts[-1], self.loss) in FROM_LOGITS
        self.f = [ACTIVATE[name] for name in self.acts]
        self.df: list = [DELTA.get(name) for name in self.acts]  # softmax: none (simplified)
        self.setup_batches(net)
        self.setup_penalty(spec)
        self.test_x, self.test_y = net.test_a0, net.test_targets
        self.spec, self.train_a0, self.train_y = spec, net.a0, net.targets
        self.setup_moments(net.optimizer_state)

    def setup_moments(self, state: dict) -> None:
        """The optimiser's moments as flat arrays laid out like Θ (zero at untrained biases)."""
        L = self.depth
        self.t = state.get("t", 0)
        self.moments = {
            key: self.layout.pack(state[key][:L], state[key][L:]) for key in MOMENTS[self.optimizer]
        }
        self.hats = [np.empty_like(self.flat) for _ in range(3)]  # m̂, v̂, tmp

    def setup_batches(self, net) -> None:
        spec, sizes = net.spec, net.spec.layers
        self.schedule = sched = Schedule(len(net.inputs), spec.batch_size, spec.shuffle, spec.seed)
        self.m, self.full, self.b = sched.m, sched.full, sched.b
        self.xt, self.yt_all = (
            np.ascontiguousarray(net.a0.T),
            np.ascontiguousarray(net.targets.T),
        )
        # sgd folds η into δ^L, so G^l = η ∂L/∂Θ^l; the other rules need G^l = ∂L/∂Θ^l.
        factor = self.eta if self.sgd else 1.0
        error_factor = LOSSES[self.loss].error_factor
        c = 1.0 if self.simplified or error_factor is None else error_factor(sizes[-1])

        def scale(w: int) -> float:
            if self.reduction == "sum":
                return factor * c
            return factor / w if c == 1.0 else factor * c / w

        widths = {self.b, self.m - (sched.per_epoch - 1) * self.b}
        targets = self.layout.gradient_targets(self.g_flat)
        self.buffers = {w: Buffers(sizes, w, self.modes, targets, scale(w)) for w in widths}
        self.chunk = int(max(1, min(256, CHUNK_VALUES // (self.b * sizes[-1]))))
        self.zbuf = np.empty((self.chunk, sizes[-1], self.b))
        self.slot_y: list = [None] * self.chunk
        self.slot_w = [self.b] * self.chunk
        self.it = net.iteration  # the next iteration's 0-based number
        self.batches: list[tuple] = []  # see gather
        self.first = 0
        if self.full:
            buf = self.buffers[self.m]
            buf.A[0][:-1] = self.xt
            self.one = (buf, self.yt_all)

    def setup_penalty(self, spec) -> None:
        """For l2 / l1: λ (times η for sgd) at every weight and 0 at every bias, flat."""
        self.reg, self.rate = spec.regularization, spec.regularization_rate
        self.penalised = is_active(self.reg)
        self.pen_scale = np.zeros(self.layout.size)
        for w in self.layout.weights(self.pen_scale):
            w[...] = self.rate * (self.eta if self.sgd else 1.0)
        self.P = np.empty_like(self.flat)
        self.pbuf = np.zeros(self.chunk)

    def gather(self, it: int) -> None:
        """The batches of the epochs from iteration `it`'s on (those the run still needs,
        as many as about CHUNK_VALUES numbers hold, at least one), each as contiguous
        (N_0 + 1, w) inputs (the row of ones last) and (N_L, w) targets: [(buffers, layer 1's
        input, its gradient operands, targets)], the first for iteration `first`."""
        sched, b, m = self.schedule, self.b, self.m
        epoch = it // sched.per_epoch
        per_sample = self.xt.shape[0] + 1 + self.yt_all.shape[0]
        left = -(-(self.end - epoch * sched.per_epoch) // sched.per_epoch)  # epochs to go
        count = max(1, min(left, EPOCHS_PER_DRAW, CHUNK_VALUES // (m * per_sample)))
        orders = np.stack([sched.epoch_order(e) for e in range(epoch, epoch + count)])
        whole = m // b
        groups = [orders[:, : whole * b].reshape(count, whole, b)]
        if whole * b < m:
            groups.append(orders[:, whole * b :].reshape(count, 1, -1))
        parts = []
        for idx in groups:  # (epochs, batches, samples)
            X = np.ones((*idx.shape[:2], self.xt.shape[0] + 1, idx.shape[2]))
            X[:, :, :-1, :] = self.xt[:, idx].transpose(1, 2, 0, 3)
            Y = np.ascontiguousarray(self.yt_all[:, idx].transpose(1, 2, 0, 3))
            buf = self.buffers[idx.shape[2]]
            parts.append([[batch_views(buf, x, y) for x, y in zip(*e)] for e in zip(X, Y)])
        self.batches = [batch for per in zip(*parts) for group in per for batch in group]
        self.first = epoch * sched.per_epoch

    def iterate(self, slot: int) -> None:
        """One iteration (its batch: see batches.py): forward, backward and update, in place."""
        if self.full:
            buf, yt = self.one
        else:
            k = self.it - self.first
            if not 0 <= k < len(self.batches):
                self.gather(self.it)
                k = self.it - self.first
            buf, buf.inputs[0], buf.grad[0], yt = self.batches[k]
            self.slot_y[slot], self.slot_w[slot] = yt, buf.w
        self.it += 1
        if self.adam:
            self.t += 1
        if self.penalised:
            self.pbuf[slot] = penalty(self.reg, self.rate, self.W)
        dot, theta, f, df = np.dot, self.theta, self.f, self.df
        Z, D, T, a, inputs = buf.Z, buf.D, buf.T, buf.a, buf.inputs
        last = self.depth - 1
        for l in range(last):
            dot(theta[l], inputs[l], Z[l])
            f[l](Z[l], a[l + 1], T[l])
        y_hat, d_out = a[-1], D[last]
        if buf.w == self.b:
            z_out = self.zbuf[slot]
            dot(theta[last], inputs[last], z_out)
        else:  # the last, smaller batch of an epoch: its columns of the slot (strided)
            z_out = self.zbuf[slot, :, : buf.w]
            np.matmul(theta[last], inputs[last], out=z_out)
        f[last](z_out, y_hat, T[last])
        np.subtract(y_hat, yt, d_out)
        if not self.simplified:  # the squared errors: c (ŷ − y) ⊙ f'(z^L), c in the scale
            df[last](z_out, y_hat, d_out, d_out, T[last])
        np.multiply(d_out, buf.scale, d_out)
        W_T, GA, grad = self.W_T, buf.GA, buf.grad
        for l in range(last, -1, -1):
            dot(*grad[l])
            if l:
                np.matmul(W_T[l], D[l], GA[l - 1])  # (W^l)ᵀ is a strided view: see above
                df[l - 1](Z[l - 1], a[l], GA[l - 1], D[l - 1], T[l - 1])
        self.last = (buf, z_out)
        if self.penalised:
            self.add_penalty()
        if self.sgd:  # Θ ← Θ − η ∂L/∂Θ, η already in G
            np.subtract(self.flat, self.g_flat, self.flat)
        else:
            self.apply()

    def add_penalty(self) -> None:
        """G's W^l parts gain λ W^l (l2) or λ sign(W^l) (l1), times η for sgd."""
        if self.reg == "l2":
            np.multiply(self.flat, self.pen_scale, self.P)
        else:
            np.sign(self.flat, self.P)
            np.multiply(self.P, self.pen_scale, self.P)
        np.add(self.g_flat, self.P, self.g_flat)

    def apply(self) -> None:
        """The momentum or adam update of Θ with G (optimisers.py, elementwise)."""
        if self.optimizer == "momentum":
            momentum_into(self.flat, self.g_flat, self.moments["v"], self.eta, self.hats[2])
        else:
            m_hat, v_hat, tmp = self.hats
            m, v = self.moments["m"], self.moments["v"]
            adam_into(self.flat, self.g_flat, m, v, self.t, self.eta, m_hat, v_hat, tmp)

    def chunk_losses(self, count: int) -> np.ndarray:
        """The loss L = L_data + Ω of the last `count` iterations, from their logits, (count,)."""
        data = self.full_batch_losses(count) if self.full else self.mini_batch_losses(count)
        return data + self.pbuf[:count] if self.penalised else data

    def full_batch_losses(self, count: int) -> np.ndarray:
        z = self.zbuf[:count]
        fused = FROM_LOGITS.get((self.acts[-1], self.loss))
        mean = self.reduction == "mean"
        if fused is not None:  # per-sample functions want samples as rows: (k·m, N_L)
            rows = z.transpose(0, 2, 1).reshape(-1, z.shape[1])
            y = np.broadcast_to(self.yt_all.T, (count, self.m, z.shape[1])).reshape(rows.shape)
            per = fused(rows, y).reshape(count, self.m)
            return per.mean(axis=1) if mean else per.sum(axis=1)
        y_hat = ACTIVATIONS[self.acts[-1]].f(z)
        if self.loss == "mse" and mean:
            d = y_hat - self.yt_all
            return 0.5 * (d * d).sum(axis=(1, 2)) / self.m
        per = LOSSES[self.loss].value(y_hat.transpose(0, 2, 1), self.yt_all.T)
        return per.mean(axis=1) if mean else per.sum(axis=1)

    def mini_batch_losses(self, count: int) -> np.ndarray:
        """Per slot: its batch's ℓ_i reduced, slots grouped by batch size."""
        out = np.empty(count)
        widths = np.array(self.slot_w[:count])
        for w in set(self.slot_w[:count]):
            slots = np.flatnonzero(widths == w)
            z = self.zbuf[slots, :, :w].transpose(0, 2, 1)  # (n, w, N_L): samples as rows
            y = np.stack([self.slot_y[s] for s in slots]).transpose(0, 2, 1)
            fused = FROM_LOGITS.get((self.acts[-1], self.loss))
            if fused is not None:
                per = fused(z, y)
            else:
                per = LOSSES[self.loss].value(ACTIVATIONS[self.acts[-1]].f(z), y)
            out[slots] = per.mean(axis=1) if self.reduction == "mean" else per.sum(axis=1)
        return out

    def params(self) -> tuple[list, list]:
        """([W^l], [b^l or None for a layer without a bias]) as views of Θ."""
        return self.W, self.layout.biases(self.flat)

    def test_loss(self) -> float | None:
        """The data loss over the held-out samples with the current Θ (None without them)."""
        ws, bs = self.params()
        return batch_loss(self.acts, self.loss, ws, bs, self.test_x, self.test_y, self.reduction)

    def accuracies(self) -> tuple[float | None, float | None]:
        """(training, test) accuracy with the current Θ (None: not a classifier)."""
        ws, bs = self.params()
        return measures.accuracies(
            self.spec, ws, bs, self.train_a0, self.train_y, self.test_x, self.test_y
        )

    def record(self, iteration: int) -> dict:
        """measure (core/records.py) of the iteration just run, from the buffers (transposed to
        samples as rows; G^l unscaled back to ∂L/∂W^l)."""
        buf, z_out = self.last
        zs = [z.T for z in buf.Z[:-1]] + [z_out.T]
        unscale = self.eta if self.sgd else 1.0
        grads = [g / unscale for g in self.Gw]
        return measure(self.acts, zs, [a.T for a in buf.a[1:]], grads, iteration)

    def save(self) -> tuple:
        moments = {key: flat.copy() for key, flat in self.moments.items()}
        return (self.flat.copy(), moments, self.t, self.it)

    def load(self, saved: tuple) -> None:
        np.copyto(self.flat, saved[0])
        for key, flat in self.moments.items():
            np.copyto(flat, saved[1][key])
        self.t, self.it = saved[2], saved[3]

    def params_finite(self) -> bool:
        return bool(np.isfinite(self.flat).all())

    def optimizer_state(self) -> dict:
        """The rule's state split back into W^1..W^L, b^1..b^L arrays (None for biases that
        are not trained)."""
        state: dict = {"t": self.t} if self.optimizer == "adam" else {}
        for key, flat in self.moments.items():
            ws = [w.copy() for w in self.layout.weights(flat)]
            bs = self.layout.biases(flat)
            state[key] = ws + [
                b.copy() if mode == "trained" and b is not None else None
                for b, mode in zip(bs, self.modes)
            ]
        return state


def batch_views(buf: Buffers, x: np.ndarray, y: np.ndarray) -> tuple:
    """(buffers, layer 1's input, its gradient operands, targets) of one batch whose
    inputs `x` (N_0 + 1, w) end in the row of ones."""
    return buf, x if buf.modes[0] != "none" else x[:-1], buf.grad_operands(0, x), y

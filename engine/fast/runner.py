"""The fast path's buffers for one network, and one iteration at a time on them.

The same maths as the step machine, laid out for speed: samples as columns (feature-major,
like the article's code), each W^l and b^l joined as one matrix Θ^l = [W^l | b^l] against
activations that carry a row of ones, buffers allocated once and written in place, and
η/m (and the loss's factor c in ∂ℓ/∂ŷ = c (ŷ − y)) folded into δ^L so that every δ below
it is already scaled. A layer without a bias keeps Θ^l = W^l and meets its input without
the row of ones; a frozen bias stays in Θ^l for the forward pass while the update touches
only the W^l part (and its optimiser state covers W^l alone).

With mini-batches (batches.py) each epoch's batches are gathered once into contiguous
arrays; every batch size has its own buffers (at most two: b, and what the last batch of
an epoch holds). The regularisation penalty adds λ W^l (or λ sign(W^l)) to the W^l part of
the gradient before the update, and its value Ω to the iteration's loss.
"""

from __future__ import annotations

import numpy as np

from ..core.activations import ACTIVATIONS
from ..core.batches import Schedule
from ..core.losses import FROM_LOGITS, LOSSES
from ..core.optimisers import MOMENTS, adam_into, copy_state, momentum_into
from ..core.passes import batch_loss
from ..core.penalties import is_active, penalty
from ..core.records import measure
from .kernels import activate_into, delta_into

CHUNK_VALUES = 1 << 16  # logits kept per chunk: iterations × samples × outputs


class Buffers:
    """What one iteration over w samples writes: A^l (N_l + 1, w) with a last row of ones for
    l < L (A[0] is the batch's input, set per batch), A^L, Z^l, D^l (δ), T^l (scratch),
    GA^l (∂ℓ/∂a^l of hidden layers), and the input each layer's forward pass and update
    multiply by (with the row of ones where the layer has a bias in Θ)."""

    def __init__(self, sizes, w: int, with_ones_fwd, with_ones_upd, scale: float):
        self.w, self.scale = w, scale
        self.A = [np.ones((n + 1, w)) for n in sizes[:-1]] + [np.empty((sizes[-1], w))]
        self.a = [A[:-1] for A in self.A[:-1]] + [self.A[-1]]  # views without the ones
        self.Z = [np.empty((n, w)) for n in sizes[1:]]
        self.D = [np.empty((n, w)) for n in sizes[1:]]
        self.T = [np.empty((n, w)) for n in sizes[1:]]
        self.GA = [np.empty((n, w)) for n in sizes[1:-1]]
        # [0] is replaced by each batch's own input for mini-batches
        self.fwd_in = [self.A[l] if with_ones_fwd[l] else self.a[l] for l in range(len(self.Z))]
        self.upd_in = [self.A[l] if with_ones_upd[l] else self.a[l] for l in range(len(self.Z))]


class Runner:
    """The fast path for one network: Θ, optimiser moments and buffers, and `iterate`."""

    def __init__(self, net):
        spec = net.spec
        self.acts, self.loss, self.depth = spec.activations, spec.loss, spec.depth
        self.reduction = spec.reduction
        L = self.depth
        self.has_bias = [spec.has_bias(l) for l in range(1, L + 1)]
        self.trains = [spec.trains_bias(l) for l in range(1, L + 1)]
        self.theta = [
            join(w, b) if has else w.copy()
            for w, b, has in zip(net.weights, net.biases, self.has_bias)
        ]
        self.W = [t[:, :-1] if has else t for t, has in zip(self.theta, self.has_bias)]
        self.W_T = [w.T for w in self.W]  # live views of (W^l)ᵀ
        # what the update changes: all of Θ^l when its bias is trained, else W^l alone
        self.upd = [t if tr else w for t, w, tr in zip(self.theta, self.W, self.trains)]
        self.G = [np.empty_like(u) for u in self.upd]
        self.Gw = [
            g[:, :-1] if tr and has else g for g, tr, has in zip(self.G, self.trains, self.has_bias)
        ]
        self.optimizer, self.eta = spec.optimizer, spec.learning_rate
        self.sgd, self.adam = self.optimizer == "sgd", self.optimizer == "adam"
        self.simplified = (self.acts[-1], self.loss) in FROM_LOGITS
        self.setup_batches(net)
        self.setup_penalty(spec)
        self.test_x, self.test_y = net.test_inputs, net.test_targets
        state = net.optimizer_state
        self.t = state.get("t", 0)
        self.moments = {
            key: [
                join(state[key][l], state[key][L + l]) if self.trains[l] else state[key][l].copy()
                for l in range(L)
            ]
            for key in MOMENTS[self.optimizer]
        }
        self.hats = [[np.empty_like(u) for u in self.upd] for _ in range(3)]  # m̂, v̂, tmp

    def setup_batches(self, net) -> None:
        spec, sizes = net.spec, net.spec.layers
        self.schedule = sched = Schedule(len(net.inputs), spec.batch_size, spec.shuffle, spec.seed)
        self.m, self.full, self.b = sched.m, sched.full, sched.b
        self.xt, self.yt_all = (
            np.ascontiguousarray(net.inputs.T),
            np.ascontiguousarray(net.targets.T),
        )
        # sgd folds η into δ^L, so G^l = η ∂L/∂Θ^l; the other rules need G^l = ∂L/∂Θ^l.
        factor = self.eta if self.sgd else 1.0
        c = LOSSES[self.loss].error_factor
        c = 1.0 if self.simplified or c is None else c(sizes[-1])
        fwd, upd = self.has_bias, self.trains

        def scale(w: int) -> float:
            if self.reduction == "sum":
                return factor * c
            return factor / w if c == 1.0 else factor * c / w

        widths = {self.b, self.m - (sched.per_epoch - 1) * self.b}
        self.buffers = {w: Buffers(sizes, w, fwd, upd, scale(w)) for w in widths}
        self.chunk = int(max(1, min(256, CHUNK_VALUES // (self.b * sizes[-1]))))
        self.zbuf = np.empty((self.chunk, sizes[-1], self.b))
        self.slot_y: list = [None] * self.chunk
        self.slot_w = [self.b] * self.chunk
        self.it = net.iteration  # the next iteration's 0-based number
        self.epoch = -1  # the epoch whose batches are gathered
        if self.full:
            buf = self.buffers[self.m]
            buf.A[0][:-1] = net.inputs.T
            self.batches = [(buf, self.yt_all)]
            self.epoch = None  # every epoch is the same single batch

    def setup_penalty(self, spec) -> None:
        self.reg, self.rate = spec.regularization, spec.regularization_rate
        self.penalised = is_active(self.reg)
        self.pen_scale = self.rate * (self.eta if self.sgd else 1.0)
        self.P = [np.empty_like(w) for w in self.W]
        self.pbuf = np.zeros(self.chunk)

    def gather_epoch(self, epoch: int) -> None:
        """Each batch of `epoch` as contiguous (N_0 + 1, w) inputs (the row of ones last)
        and (N_L, w) targets: [(buffers, forward input, update input, targets)]."""
        order, b, m = self.schedule.epoch_order(epoch), self.b, self.m
        whole = m // b
        parts = [order[: whole * b].reshape(whole, b)]
        if whole * b < m:
            parts.append(order[whole * b :].reshape(1, -1))
        fwd, upd = self.has_bias[0], self.trains[0]
        self.batches = []
        for idx in parts:
            X = np.ones((len(idx), self.xt.shape[0] + 1, idx.shape[1]))
            X[:, :-1, :] = self.xt[:, idx].transpose(1, 0, 2)
            Y = np.ascontiguousarray(self.yt_all[:, idx].transpose(1, 0, 2))
            buf = self.buffers[idx.shape[1]]
            self.batches += [
                (buf, x if fwd else x[:-1], x if upd else x[:-1], y) for x, y in zip(X, Y)
            ]
        self.epoch = epoch

    def iterate(self, slot: int) -> None:
        """One iteration (its batch: see batches.py): forward, backward and update, in place."""
        L, acts = self.depth, self.acts
        if self.full:
            buf, yt = self.batches[0]
        else:
            epoch, k = divmod(self.it, self.schedule.per_epoch)
            if epoch != self.epoch:
                self.gather_epoch(epoch)
            buf, buf.fwd_in[0], buf.upd_in[0], yt = self.batches[k]
            self.slot_y[slot], self.slot_w[slot] = yt, buf.w
        self.it += 1
        if self.adam:
            self.t += 1
        if self.penalised:
            self.pbuf[slot] = penalty(self.reg, self.rate, self.W)
        A, Z, D, T, inputs = buf.A, buf.Z, buf.D, buf.T, buf.fwd_in
        for l in range(L - 1):
            np.matmul(self.theta[l], inputs[l], out=Z[l])
            activate_into(acts[l], Z[l], buf.a[l + 1], T[l])
        z_out = self.zbuf[slot] if buf.w == self.b else self.zbuf[slot, :, : buf.w]
        np.matmul(self.theta[-1], inputs[L - 1], out=z_out)
        activate_into(acts[-1], z_out, A[L], T[-1])
        np.subtract(A[L], yt, out=D[-1])
        if not self.simplified:  # the squared errors: c (ŷ − y) ⊙ f'(z^L), c in the scale
            delta_into(acts[-1], z_out, A[L], D[-1], D[-1], T[-1])
        np.multiply(D[-1], buf.scale, out=D[-1])
        for l in range(L - 1, -1, -1):
            np.matmul(D[l], buf.upd_in[l].T, out=self.G[l])
            if l > 0:
                np.matmul(self.W_T[l], D[l], out=buf.GA[l - 1])
                delta_into(acts[l - 1], Z[l - 1], buf.a[l], buf.GA[l - 1], D[l - 1], T[l - 1])
            if self.penalised:
                self.add_penalty(l)
            if self.sgd:  # Θ^l ← Θ^l − η ∂L/∂Θ^l, η already in G^l
                np.subtract(self.upd[l], self.G[l], out=self.upd[l])
            else:
                self.apply(l)
        self.last = (buf, z_out)

    def add_penalty(self, l: int) -> None:
        """G^l's W^l part gains λ W^l (l2) or λ sign(W^l) (l1), times η for sgd."""
        if self.reg == "l2":
            np.multiply(self.W[l], self.pen_scale, out=self.P[l])
        else:
            np.sign(self.W[l], out=self.P[l])
            np.multiply(self.P[l], self.pen_scale, out=self.P[l])
        np.add(self.Gw[l], self.P[l], out=self.Gw[l])

    def apply(self, l: int) -> None:
        """The momentum or adam update of Θ^l with G^l (optimisers.py, elementwise)."""
        if self.optimizer == "momentum":
            momentum_into(self.upd[l], self.G[l], self.moments["v"][l], self.eta, self.hats[2][l])
        else:
            adam_into(
                self.upd[l],
                self.G[l],
                self.moments["m"][l],
                self.moments["v"][l],
                self.t,
                self.eta,
                self.hats[0][l],
                self.hats[1][l],
                self.hats[2][l],
            )

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
        bs = [t[:, -1] if has else None for t, has in zip(self.theta, self.has_bias)]
        return self.W, bs

    def test_loss(self) -> float | None:
        """The data loss over the held-out samples with the current Θ (None without them)."""
        ws, bs = self.params()
        return batch_loss(self.acts, self.loss, ws, bs, self.test_x, self.test_y, self.reduction)

    def record(self, iteration: int) -> dict:
        """measure (core/records.py) of the iteration just run, from the buffers (transposed to
        samples as rows; G^l unscaled back to ∂L/∂W^l)."""
        buf, z_out = self.last
        zs = [z.T for z in buf.Z[:-1]] + [z_out.T]
        unscale = self.eta if self.sgd else 1.0
        grads = [g / unscale for g in self.Gw]
        return measure(self.acts, zs, [a.T for a in buf.a[1:]], grads, iteration)

    def save(self) -> tuple:
        return ([t.copy() for t in self.theta], copy_state(self.moments), self.t, self.it)

    def load(self, saved: tuple) -> None:
        for t, s in zip(self.theta, saved[0]):
            np.copyto(t, s)
        for key, arrays in self.moments.items():
            for a, s in zip(arrays, saved[1][key]):
                np.copyto(a, s)
        self.t, self.it = saved[2], saved[3]

    def params_finite(self) -> bool:
        return all(np.isfinite(t).all() for t in self.theta)

    def optimizer_state(self) -> dict:
        """The rule's state split back into W^1..W^L, b^1..b^L arrays (None for biases that
        are not trained)."""
        state: dict = {"t": self.t} if self.optimizer == "adam" else {}
        for key, arrays in self.moments.items():
            ws = [a[:, :-1].copy() if tr else a.copy() for a, tr in zip(arrays, self.trains)]
            bs = [a[:, -1].copy() if tr else None for a, tr in zip(arrays, self.trains)]
            state[key] = ws + bs
        return state


def join(w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Θ = [W | b], (N_l, N_{l-1} + 1)."""
    return np.hstack([w, b[:, None]])

"""The training fast path: whole iterations without full traces.

The same maths as the step machine, laid out for speed: samples as columns
(feature-major, like the article's code), each W^l and b^l joined as one matrix
Θ^l = [W^l | b^l] against activations that carry a row of ones, buffers allocated once and
written in place, and η/m folded into δ^L so that every δ below it is already scaled.
The loss of each iteration is computed afterwards for a chunk of iterations at once, from
the output logits kept in a buffer. Non-finite values are looked for once a chunk; when
one appears, the chunk is run again one iteration at a time from a copy of Θ to find the
iteration that diverged, and the parameters stay as they were before it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import limits
from ..core.activations import ACTIVATIONS
from ..core.losses import FROM_LOGITS
from ..core.optimisers import MOMENTS, adam_into, copy_state, momentum_into
from ..core.passes import batch_loss
from ..core.records import measure
from ..errors import OrderError, SpecError
from .kernels import activate_into, delta_into

CHUNK_VALUES = 1 << 16  # logits kept per chunk: iterations × samples × outputs


@dataclass
class TrainResult:
    losses: np.ndarray  # (k,) the batch loss of each completed iteration
    diverged: dict | None = None  # {"iteration", "reason", "remedy"} when training stopped


class Runner:
    """The fast path's buffers for one network, and one iteration at a time on them."""

    def __init__(self, net):
        spec = net.spec
        self.acts, self.loss, self.depth = spec.activations, spec.loss, spec.depth
        x, y = net.inputs, net.targets
        self.m = m = x.shape[0]
        sizes = spec.layers
        self.theta = [join(w, b) for w, b in zip(net.weights, net.biases)]
        # A[l]: (N_l + 1, m), the last row all ones, for l = 0..L-1; A[L] plain (N_L, m).
        self.A = [np.ones((n + 1, m)) for n in sizes[:-1]] + [np.empty((sizes[-1], m))]
        self.A[0][:-1] = x.T
        self.a = [A[:-1] for A in self.A[:-1]] + [self.A[-1]]  # views without the ones
        self.Z = [np.empty((n, m)) for n in sizes[1:]]
        self.D = [np.empty((n, m)) for n in sizes[1:]]
        self.T = [np.empty((n, m)) for n in sizes[1:]]
        self.GA = [np.empty((n, m)) for n in sizes[1:-1]]
        self.G = [np.empty_like(t) for t in self.theta]
        self.W_T = [t[:, :-1].T for t in self.theta]  # live views of (W^l)ᵀ
        self.yt = np.ascontiguousarray(y.T)
        self.optimizer, self.eta = spec.optimizer, spec.learning_rate
        self.sgd, self.adam = self.optimizer == "sgd", self.optimizer == "adam"
        # sgd folds η into δ^L, so G^l = η ∂L/∂Θ^l; the other rules need G^l = ∂L/∂Θ^l.
        self.scale = (self.eta if self.optimizer == "sgd" else 1.0) / m
        self.simplified = (self.acts[-1], self.loss) in FROM_LOGITS
        self.chunk = int(max(1, min(256, CHUNK_VALUES // (m * sizes[-1]))))
        self.zbuf = np.empty((self.chunk, sizes[-1], m))
        self.test_x, self.test_y = net.test_inputs, net.test_targets
        L, state = self.depth, net.optimizer_state
        self.t = state.get("t", 0)
        self.moments = {
            key: [join(state[key][l], state[key][L + l]) for l in range(L)]
            for key in MOMENTS[self.optimizer]
        }
        self.hats = [[np.empty_like(t) for t in self.theta] for _ in range(3)]  # m̂, v̂, tmp

    def iterate(self, slot: int) -> None:
        """One iteration: forward, backward and update, in place."""
        L, acts, A, Z, D, T = self.depth, self.acts, self.A, self.Z, self.D, self.T
        if self.adam:
            self.t += 1
        for l in range(L - 1):
            np.matmul(self.theta[l], A[l], out=Z[l])
            activate_into(acts[l], Z[l], self.a[l + 1], T[l])
        z_out = self.zbuf[slot]
        np.matmul(self.theta[-1], A[L - 1], out=z_out)
        activate_into(acts[-1], z_out, A[L], T[-1])
        if self.simplified:
            np.subtract(A[L], self.yt, out=D[-1])
        else:  # mse: ∂ℓ/∂ŷ = ŷ − y, then ⊙ f'(z^L)
            np.subtract(A[L], self.yt, out=D[-1])
            delta_into(acts[-1], z_out, A[L], D[-1], D[-1], T[-1])
        np.multiply(D[-1], self.scale, out=D[-1])
        for l in range(L - 1, -1, -1):
            np.matmul(D[l], A[l].T, out=self.G[l])
            if l > 0:
                np.matmul(self.W_T[l], D[l], out=self.GA[l - 1])
                delta_into(acts[l - 1], Z[l - 1], self.a[l], self.GA[l - 1], D[l - 1], T[l - 1])
            if self.sgd:  # Θ^l ← Θ^l − η ∂L/∂Θ^l, η already in G^l
                np.subtract(self.theta[l], self.G[l], out=self.theta[l])
            else:
                self.apply(l)

    def apply(self, l: int) -> None:
        """The momentum or adam update of Θ^l with G^l (optimisers.py, elementwise)."""
        if self.optimizer == "momentum":
            momentum_into(self.theta[l], self.G[l], self.moments["v"][l], self.eta, self.hats[2][l])
        else:
            adam_into(
                self.theta[l],
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
        """The batch loss of the last `count` iterations, from their logits, (count,)."""
        z = self.zbuf[:count]
        fused = FROM_LOGITS.get((self.acts[-1], self.loss))
        if fused is not None:  # per-sample functions want samples as rows: (k·m, N_L)
            rows = z.transpose(0, 2, 1).reshape(-1, z.shape[1])
            y = np.broadcast_to(self.yt.T, (count, self.m, z.shape[1])).reshape(rows.shape)
            return fused(rows, y).reshape(count, self.m).mean(axis=1)
        y_hat = ACTIVATIONS[self.acts[-1]].f(z)
        d = y_hat - self.yt
        return 0.5 * (d * d).sum(axis=(1, 2)) / self.m

    def test_loss(self) -> float | None:
        """The loss over the held-out samples with the current Θ (None without them)."""
        return batch_loss(
            self.acts,
            self.loss,
            [t[:, :-1] for t in self.theta],
            [t[:, -1] for t in self.theta],
            self.test_x,
            self.test_y,
        )

    def record(self, slot: int, iteration: int) -> dict:
        """measure (core/records.py) of the iteration just run, from the buffers (transposed to
        samples as rows; G^l unscaled back to ∂L/∂W^l)."""
        zs = [z.T for z in self.Z[:-1]] + [self.zbuf[slot].T]
        unscale = self.eta if self.optimizer == "sgd" else 1.0
        grads = [g[:, :-1] / unscale for g in self.G]
        return measure(self.acts, zs, [a.T for a in self.a[1:]], grads, iteration)

    def save(self) -> tuple:
        return ([t.copy() for t in self.theta], copy_state(self.moments), self.t)

    def load(self, saved: tuple) -> None:
        for t, s in zip(self.theta, saved[0]):
            np.copyto(t, s)
        for key, arrays in self.moments.items():
            for a, s in zip(arrays, saved[1][key]):
                np.copyto(a, s)
        self.t = saved[2]

    def params_finite(self) -> bool:
        return all(np.isfinite(t).all() for t in self.theta)

    def optimizer_state(self) -> dict:
        """The rule's state split back into W^1..W^L, b^1..b^L arrays."""
        state: dict = {"t": self.t} if self.optimizer == "adam" else {}
        for key, arrays in self.moments.items():
            state[key] = [a[:, :-1].copy() for a in arrays] + [a[:, -1].copy() for a in arrays]
        return state


def join(w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Θ = [W | b], (N_l, N_{l-1} + 1)."""
    return np.hstack([w, b[:, None]])


def check_iterations(iterations) -> int:
    if (
        isinstance(iterations, bool)
        or not isinstance(iterations, (int, np.integer))
        or not (1 <= iterations <= limits.MAX_ITERATIONS)
    ):
        raise SpecError(
            "iterations",
            f"is {iterations!r}; train runs 1 to {limits.MAX_ITERATIONS:,} iterations per call",
        )
    return int(iterations)


def train(net, iterations: int) -> TrainResult:
    """Run `iterations` whole iterations from idle / updated. Returns each iteration's loss;
    on divergence, stops before the iteration that diverged (parameters still finite).
    At the end of each chunk the network also gets the test loss (of the parameters that
    chunk's last forward pass used) and a diagnostics record."""
    if net.phase not in ("idle", "updated"):
        raise OrderError(
            "train", net.next_action, net.where() + "; finish this iteration first (step)"
        )
    n = check_iterations(iterations)
    run = Runner(net)
    losses: list[np.ndarray] = []
    tests: list[tuple[int, float]] = []
    records: list[dict] = []
    diverged = None
    done = 0
    with np.errstate(all="ignore"):
        while done < n and diverged is None:
            count = min(run.chunk, n - done)
            saved = run.save()
            for slot in range(count - 1):
                run.iterate(slot)
            test = run.test_loss()
            run.iterate(count - 1)
            chunk = run.chunk_losses(count)
            if np.isfinite(chunk).all() and run.params_finite():
                losses.append(chunk)
                done += count
                records.append(run.record(count - 1, net.iteration + done))
                tests += [(net.iteration + done, test)] if test is not None else []
                continue
            run.load(saved)  # find the first bad iteration
            good, diverged, last = one_by_one(run, count, net.iteration + done)
            losses.append(np.array(good))
            done += len(good)
            if last is not None:
                records.append(last[0])
                tests += [(net.iteration + done, last[1])] if last[1] is not None else []
    all_losses = np.concatenate(losses) if losses else np.empty(0)
    if done:
        write_back(net, run, all_losses, tests, records)
    net.last_divergence = diverged
    return TrainResult(all_losses, diverged)


def write_back(net, run: Runner, losses: np.ndarray, tests: list, records: list) -> None:
    """The network after the iterations run: parameters and optimiser state from the
    buffers, the loss histories, the records, and no iteration in progress."""
    net.weights = [t[:, :-1].copy() for t in run.theta]
    net.biases = [t[:, -1].copy() for t in run.theta]
    net.optimizer_state = run.optimizer_state()
    net.history.extend(net.iteration + 1, losses)
    for it, loss in tests:
        net.test_history.append(it, loss)
    net.add_records(records)
    net.iteration += len(losses)
    net.clear_iteration()


def one_by_one(run: Runner, count: int, start: int):
    """Run up to `count` iterations singly, stopping before the first non-finite one.
    Returns (their losses, divergence report or None, (record, test loss) of the last
    good iteration or None)."""
    good: list[float] = []
    last = None
    for slot in range(count):
        before = run.save()
        test = run.test_loss()
        run.iterate(0)
        loss = run.chunk_losses(1)
        if not (np.isfinite(loss).all() and run.params_finite()):
            run.load(before)
            return good, divergence(start + slot + 1, loss), last
        good.append(loss[0])
        last = (run.record(0, start + slot + 1), test)
    return good, None, last


def divergence(iteration: int, loss: np.ndarray) -> dict:
    what = "the loss" if not np.isfinite(loss).all() else "a weight or bias"
    what += " became non-finite (overflow)"
    return {
        "iteration": iteration,
        "reason": f"{what} in iteration {iteration}",
        "remedy": "Lower the learning rate (try a tenth of it); the network is kept at "
        f"iteration {iteration - 1}, its last finite state.",
    }

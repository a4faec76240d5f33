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

from . import limits
from .activations import EXP_MAX
from .errors import OrderError, SpecError
from .losses import FROM_LOGITS, LOSSES

CHUNK_VALUES = 1 << 16  # logits kept per chunk: iterations × samples × outputs


@dataclass
class TrainResult:
    losses: np.ndarray  # (k,) the batch loss of each completed iteration
    diverged: dict | None = None  # {"iteration", "reason", "remedy"} when training stopped


def activate_into(name: str, z: np.ndarray, out: np.ndarray, tmp: np.ndarray) -> None:
    """out = f(z) for (N, m) arrays; softmax runs down each column (one sample)."""
    if name == "sigmoid":  # 1 / (1 + e^min(−z, 709)), as activations.sigmoid
        np.negative(z, out=out)
        np.minimum(out, EXP_MAX, out=out)
        np.exp(out, out=out)
        np.add(out, 1.0, out=out)
        np.divide(1.0, out, out=out)
    elif name == "tanh":
        np.tanh(z, out=out)
    elif name == "relu":
        np.maximum(z, 0.0, out=out)
    elif name == "leaky_relu":
        np.multiply(z, 0.01, out=tmp)
        np.maximum(z, tmp, out=out)
    elif name == "linear":
        np.copyto(out, z)
    else:  # softmax
        np.subtract(z, z.max(axis=0), out=out)
        np.exp(out, out=out)
        np.divide(out, out.sum(axis=0), out=out)


def delta_into(name: str, z, a, grad_a, out, tmp) -> None:
    """out = grad_a ⊙ f'(z) for an elementwise activation."""
    if name == "sigmoid":
        np.subtract(1.0, a, out=tmp)
        np.multiply(tmp, a, out=tmp)
        np.multiply(grad_a, tmp, out=out)
    elif name == "tanh":
        np.multiply(a, a, out=tmp)
        np.subtract(1.0, tmp, out=tmp)
        np.multiply(grad_a, tmp, out=out)
    elif name == "relu":
        np.multiply(grad_a, z > 0.0, out=out)
    elif name == "leaky_relu":
        np.multiply(grad_a, np.where(z > 0.0, 1.0, 0.01), out=out)
    else:  # linear
        np.copyto(out, grad_a)


class Runner:
    def __init__(self, net):
        spec = net.spec
        self.acts, self.loss, self.depth = spec.activations, spec.loss, spec.depth
        x, y = net.inputs, net.targets
        self.m = m = x.shape[0]
        sizes = spec.layers
        self.theta = [np.hstack([w, b[:, None]]) for w, b in zip(net.weights, net.biases)]
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
        self.scale = spec.learning_rate / m
        self.simplified = (self.acts[-1], self.loss) in FROM_LOGITS
        self.chunk = int(max(1, min(256, CHUNK_VALUES // (m * sizes[-1]))))
        self.zbuf = np.empty((self.chunk, sizes[-1], m))

    def iterate(self, slot: int) -> None:
        """One iteration: forward, backward and update, in place."""
        L, acts, A, Z, D, T = self.depth, self.acts, self.A, self.Z, self.D, self.T
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
            np.subtract(self.theta[l], self.G[l], out=self.theta[l])

    def chunk_losses(self, count: int) -> np.ndarray:
        """The batch loss of the last `count` iterations, from their logits, (count,)."""
        z = self.zbuf[:count]
        fused = FROM_LOGITS.get((self.acts[-1], self.loss))
        if fused is not None:  # per-sample functions want samples as rows: (k·m, N_L)
            rows = z.transpose(0, 2, 1).reshape(-1, z.shape[1])
            y = np.broadcast_to(self.yt.T, (count, self.m, z.shape[1])).reshape(rows.shape)
            return fused(rows, y).reshape(count, self.m).mean(axis=1)
        from .activations import ACTIVATIONS

        y_hat = ACTIVATIONS[self.acts[-1]].f(z)
        d = y_hat - self.yt
        return 0.5 * (d * d).sum(axis=(1, 2)) / self.m

    def params_finite(self) -> bool:
        return all(np.isfinite(t).all() for t in self.theta)


def check_iterations(iterations) -> int:
    if isinstance(iterations, bool) or not isinstance(iterations, (int, np.integer)) or not (
        1 <= iterations <= limits.MAX_ITERATIONS
    ):
        raise SpecError(
            "iterations",
            f"is {iterations!r}; train runs 1 to {limits.MAX_ITERATIONS:,} iterations per call",
        )
    return int(iterations)


def train(net, iterations: int) -> TrainResult:
    """Run `iterations` whole iterations from idle / updated. Returns each iteration's loss;
    on divergence, stops before the iteration that diverged (parameters still finite)."""
    if net.phase not in ("idle", "updated"):
        raise OrderError(
            "train", net.next_action, net.where() + "; finish this iteration first (step)")
    n = check_iterations(iterations)
    run = Runner(net)
    losses: list[np.ndarray] = []
    diverged = None
    done = 0
    with np.errstate(all="ignore"):
        while done < n and diverged is None:
            count = min(run.chunk, n - done)
            saved = [t.copy() for t in run.theta]
            for slot in range(count):
                run.iterate(slot)
            chunk = run.chunk_losses(count)
            if np.isfinite(chunk).all() and run.params_finite():
                losses.append(chunk)
                done += count
                continue
            for t, s in zip(run.theta, saved):  # find the first bad iteration
                np.copyto(t, s)
            good = []
            for slot in range(count):
                before = [t.copy() for t in run.theta]
                run.iterate(0)
                loss = run.chunk_losses(1)
                if not (np.isfinite(loss).all() and run.params_finite()):
                    for t, s in zip(run.theta, before):
                        np.copyto(t, s)
                    diverged = divergence(net.iteration + done + slot + 1, loss)
                    break
                good.append(loss[0])
            losses.append(np.array(good))
            done += len(good)
    all_losses = np.concatenate(losses) if losses else np.empty(0)
    if done:
        net.weights = [t[:, :-1].copy() for t in run.theta]
        net.biases = [t[:, -1].copy() for t in run.theta]
        net.history.extend(net.iteration + 1, all_losses)
        net.iteration += done
        net.clear_iteration()
    return TrainResult(all_losses, diverged)


def divergence(iteration: int, loss: np.ndarray) -> dict:
    what = "the loss" if not np.isfinite(loss).all() else "a weight or bias"
    return {
        "iteration": iteration,
        "reason": f"{what} became non-finite (overflow) in iteration {iteration}",
        "remedy": "Lower the learning rate (try a tenth of it); the network is kept at "
        f"iteration {iteration - 1}, its last finite state.",
    }


__all__ = ["LOSSES", "TrainResult", "train"]

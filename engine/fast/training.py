"""The training fast path: whole iterations without full traces.

The iterations run on runner.py's buffers. The loss of each iteration is computed
afterwards for a chunk of iterations at once, from the output logits kept in a buffer.
Non-finite values are looked for once a chunk; when one appears, the chunk is run again one
iteration at a time from a copy of Θ to find the iteration that diverged, and the
parameters stay as they were before it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import limits
from ..errors import OrderError, SpecError
from .runner import Runner


@dataclass
class TrainResult:
    losses: np.ndarray  # (k,) the batch loss of each completed iteration
    diverged: dict | None = None  # {"iteration", "reason", "remedy"} when training stopped


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
    run = Runner(net, n)
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
                records.append(run.record(net.iteration + done))
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
    ws, bs = run.params()
    net.weights = [w.copy() for w in ws]
    net.biases = [b if new is None else new.copy() for b, new in zip(net.biases, bs)]
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
        last = (run.record(start + slot + 1), test)
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

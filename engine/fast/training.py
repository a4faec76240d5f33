"""The training fast path: whole iterations without full traces.

The iterations run on runner.py's buffers. The loss of each iteration is computed
afterwards for a chunk of iterations at once, from the output logits kept in a buffer.
Non-finite values are looked for once a chunk; when one appears, the chunk is run again one
iteration at a time from a copy of Θ to find the iteration that diverged, and the
parameters stay as they were before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import limits
from ..errors import OrderError, SpecError
from . import stopping
from .runner import Runner
from .stopping import Stop


@dataclass
class TrainResult:
    losses: np.ndarray  # (k,) the batch loss of each completed iteration
    diverged: dict | None = None  # {"iteration", "reason", "remedy"} when training stopped
    stopped: dict | None = None  # {"iteration", "kind", "reason"}: a stop condition ended it


@dataclass
class Chunk:
    """What a chunk of iterations gave: each one's loss, and the test loss and the
    accuracies of the parameters its last iteration started from."""

    losses: np.ndarray
    test: float | None
    accuracy: tuple[float | None, float | None]


@dataclass
class Log:
    """What a train call gives the network's histories, chunk by chunk."""

    losses: list = field(default_factory=list)
    tests: list = field(default_factory=list)  # (iteration, test loss)
    accuracies: list = field(default_factory=list)  # (iteration, train, test)
    records: list = field(default_factory=list)

    def add(self, losses, record: dict, it: int, test, accuracy) -> None:
        self.losses.append(losses)
        self.records.append(record)
        if test is not None:
            self.tests.append((it, test))
        self.accuracies.append((it, *accuracy))


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


def run_chunk(run: Runner, count: int) -> Chunk:
    for slot in range(count - 1):
        run.iterate(slot)
    test, accuracy = run.test_loss(), run.accuracies()
    run.iterate(count - 1)
    return Chunk(run.chunk_losses(count), test, accuracy)


def train(net, iterations: int, stop: Stop | None = None) -> TrainResult:
    """Run `iterations` whole iterations from idle / updated, or fewer when `stop`
    (stopping.py) is met. Returns each iteration's loss; on divergence, stops before the
    iteration that diverged (parameters still finite). At the end of each chunk the
    network also gets the test loss and the accuracies (of the parameters that chunk's
    last forward pass used) and a diagnostics record."""
    if net.phase not in ("idle", "updated"):
        raise OrderError(
            "train", net.next_action, net.where() + "; finish this iteration first (step)"
        )
    n = check_iterations(iterations)
    run = Runner(net, n)
    log = Log()
    diverged = stopped = None
    done = 0
    with np.errstate(all="ignore"):
        while done < n and diverged is None and stopped is None:
            count = min(run.chunk, n - done)
            saved = run.save()
            chunk = run_chunk(run, count)
            if not (np.isfinite(chunk.losses).all() and run.params_finite()):
                run.load(saved)  # find the first bad iteration
                good, diverged, last = one_by_one(run, count, net.iteration + done)
                done += len(good)
                if last is not None:
                    log.add(np.array(good), last[0], net.iteration + done, *last[1:])
                continue
            hit = stop.loss_hit(chunk.losses) if stop else None
            if hit is not None and hit + 1 < count:  # run the chunk again up to that one
                run.load(saved)
                count = hit + 1
                chunk = run_chunk(run, count)
            done += count
            it = net.iteration + done
            log.add(chunk.losses, run.record(it), it, chunk.test, chunk.accuracy)
            if stop and hit is not None:
                stopped = stopping.reason(stop, "loss", it, float(chunk.losses[-1]))
            elif stop and stop.accuracy_hit(chunk.accuracy[0]):
                stopped = stopping.reason(stop, "accuracy", it, float(chunk.accuracy[0] or 0))
    all_losses = np.concatenate(log.losses) if log.losses else np.empty(0)
    if done:
        write_back(net, run, all_losses, log)
    net.last_divergence = diverged
    return TrainResult(all_losses, diverged, stopped)


def write_back(net, run: Runner, losses: np.ndarray, log: Log) -> None:
    """The network after the iterations run: parameters and optimiser state from the
    buffers, the loss and accuracy histories, the records, and no iteration in progress."""
    ws, bs = run.params()
    net.weights = [w.copy() for w in ws]
    net.biases = [b if new is None else new.copy() for b, new in zip(net.biases, bs)]
    net.optimizer_state = run.optimizer_state()
    net.history.extend(net.iteration + 1, losses)
    for it, loss in log.tests:
        net.test_history.append(it, loss)
    for it, train_acc, test_acc in log.accuracies:
        net.record_accuracy(it, train_acc, test_acc)
    net.add_records(log.records)
    net.iteration += len(losses)
    net.clear_iteration()


def one_by_one(run: Runner, count: int, start: int):
    """Run up to `count` iterations singly, stopping before the first non-finite one.
    Returns (their losses, divergence report or None, (record, test loss, accuracies) of
    the last good iteration or None)."""
    good: list[float] = []
    last = None
    for slot in range(count):
        before = run.save()
        test, accuracy = run.test_loss(), run.accuracies()
        run.iterate(0)
        loss = run.chunk_losses(1)
        if not (np.isfinite(loss).all() and run.params_finite()):
            run.load(before)
            return good, divergence(start + slot + 1, loss), last
        good.append(loss[0])
        last = (run.record(start + slot + 1), test, accuracy)
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
